/**
 * `luohu simulate`: staff chat with the consultation in a terminal, replay dialogue scripts as
 * regression tests, record new ones, or drive it from a program line by line (`--jsonl`).
 */
import { writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { stringify as toYaml } from 'yaml';
import type { View } from '../../machines/view.js';
import { POLICY_TIME_ZONE, resolveSettings, todayIn } from '../../rules/index.js';
import { jsonView } from '../http/view.js';
import { DEFAULT_LANG, isLang, LANGUAGES, type Lang } from '../i18n.js';
import type { CommandIO } from '../io.js';
import { formatIssue } from '../render/check-output.js';
import { renderViewPlain } from '../render/view.js';
import { loadScript, runScript, ScriptFileError } from '../simulate/replay.js';
import type { Expect, Script, Step } from '../simulate/script.js';
import { SimulatedChat } from '../simulate/session.js';

/** Options of `luohu simulate`. */
export interface SimulateOptions {
  readonly lang?: string;
  readonly asOf?: string;
  readonly script?: readonly string[];
  readonly record?: string;
  readonly jsonl?: boolean;
}

/** Where the simulator reads lines from (standard input, or a test's list). */
export interface LineSource {
  readonly lines: AsyncIterable<string>;
  readonly interactive: boolean;
  readonly prompt?: (text: string) => void;
}

/** Lines of standard input; prompts only when it is a terminal. */
export function stdinLines(): LineSource {
  const interactive = Boolean(process.stdin.isTTY);
  const rl = createInterface({ input: process.stdin, terminal: interactive });
  return { lines: rl, interactive, prompt: (text) => process.stdout.write(text) };
}

/** What `--record` writes after each view: enough to make the replay a real test. */
function expectationOf(view: View): Expect | undefined {
  if (view.kind === 'question' && view.question) return { question: view.question };
  if (view.kind === 'result' && view.decision)
    return {
      verdict: view.decision.verdict,
      route: view.decision.route,
      settlement: view.decision.settlement.recommended,
    };
  return { kind: view.kind };
}

/**
 * The view as one JSON line for programs: the JSON view of the HTTP API (`bot/http/view.ts`): text,
 * blocks, notice, choices, and the decision on results.
 */
export function viewJson(view: View, chat: SimulatedChat): string {
  return JSON.stringify(jsonView(view, chat.renderer()));
}

/** Runs `luohu simulate`; returns the exit code. */
export async function runSimulate(
  options: SimulateOptions,
  io: CommandIO,
  source?: LineSource,
): Promise<number> {
  const lang: Lang = options.lang !== undefined && isLang(options.lang) ? options.lang : DEFAULT_LANG;
  const problems: string[] = [];
  if (options.lang !== undefined && !isLang(options.lang))
    problems.push(
      formatIssue(
        {
          path: ['--lang'],
          code: 'unknown-language',
          params: { value: options.lang, allowed: LANGUAGES.join(', ') },
        },
        lang,
      ),
    );
  const settings = resolveSettings(options.asOf !== undefined ? { asOf: options.asOf } : {});
  if (!settings.ok)
    for (const issue of settings.error) problems.push(formatIssue({ ...issue, path: ['--as-of'] }, lang));
  if (problems.length > 0) {
    for (const p of problems) io.stderr(`${p}\n`);
    return 2;
  }
  const asOf = settings.ok ? settings.value.asOf : todayIn(POLICY_TIME_ZONE);

  if (options.script && options.script.length > 0) return replayScripts(options.script, lang, io);

  const chat = new SimulatedChat({ lang, asOf });
  const input = source ?? stdinLines();
  const steps: Step[] = [];
  const jsonl = Boolean(options.jsonl);
  const show = (view: View) => {
    if (jsonl) io.stdout(`${viewJson(view, chat)}\n`);
    else io.stdout(`${renderViewPlain(view, chat.renderer())}\n`);
  };
  const promptNow = () => {
    if (input.interactive && !jsonl) input.prompt?.(chat.renderer().render({ key: 'simulate.prompt' }));
  };

  if (!jsonl && input.interactive) io.stdout(`${chat.renderer().render({ key: 'simulate.welcome' })}\n\n`);
  let view = await chat.open();
  const start = expectationOf(view);
  show(view);
  promptNow();
  for await (const raw of input.lines) {
    const line = raw.trim();
    if (line === '') {
      promptNow();
      continue;
    }
    view = await chat.send({ text: line });
    const expect = expectationOf(view);
    steps.push({ say: line, ...(expect ? { expect } : {}) });
    if (!jsonl) io.stdout('\n');
    show(view);
    if (view.kind === 'deleted' && !input.interactive) break;
    promptNow();
  }
  if (input.interactive && !jsonl) io.stdout(`\n${chat.renderer().render({ key: 'simulate.bye' })}\n`);

  if (options.record) {
    const script: Script = {
      name: `recorded ${new Date().toISOString()}`,
      lang,
      asOf,
      ...(start ? { start } : {}),
      steps,
    };
    await writeFile(options.record, toYaml(script));
    io.stderr(`${chat.renderer().render({ key: 'simulate.recorded', params: { file: options.record } })}\n`);
  }
  return 0;
}

async function replayScripts(files: readonly string[], lang: Lang, io: CommandIO): Promise<number> {
  const chat = new SimulatedChat({ lang, asOf: '2000-01-01' });
  const r = chat.renderer();
  let failed = 0;
  let broken = 0;
  for (const file of files) {
    let script: Script;
    try {
      script = await loadScript(file, lang);
    } catch (error) {
      if (!(error instanceof ScriptFileError)) throw error;
      io.stderr(`${error.message}\n`);
      broken++;
      continue;
    }
    const outcome = await runScript(script);
    if (outcome.mismatches.length === 0) {
      io.stdout(`${r.render({ key: 'simulate.script.pass', params: { file, count: outcome.steps } })}\n`);
      continue;
    }
    failed++;
    const first = outcome.mismatches[0];
    io.stdout(`${r.render({ key: 'simulate.script.fail', params: { file, step: first?.step ?? 0 } })}\n`);
    for (const m of outcome.mismatches)
      io.stdout(
        `  #${m.step}${m.input ? ` (${m.input})` : ''}: ${r.render({ key: 'simulate.script.mismatch', params: { what: m.what, expected: m.expected, actual: m.actual } })}\n`,
      );
    const upTo = (first?.step ?? 0) * 2 + 1;
    io.stdout(`${outcome.transcript.slice(Math.max(0, upTo - 4), upTo).join('\n')}\n\n`);
  }
  io.stdout(`${files.length - failed - broken} passed, ${failed + broken} failed\n`);
  return broken > 0 ? 2 : failed > 0 ? 1 : 0;
}
