/**
 * Dialogue scripts in the page: what a message becomes in a script (`say` typed text, `tap` a
 * button's id), the expectation recorded after it (as `luohu simulate --record` writes it), and the
 * checks of a loaded script's expectations against the API's views. The format itself is the
 * project's `ScriptSchema`, so an exported script is exactly what `luohu simulate --script` reads.
 */
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { type Expect, type Script, ScriptSchema, type Step } from '../../bot/simulate/script.js';
import type { ApiView, Lang, Message } from './types.js';

export type { Expect, Script, Step };

/** The words that switch straight to a language (the engine's own: `LANGUAGE_WORDS`). */
const LANGUAGE_WORD: Readonly<Record<Lang, string>> = { 'zh-CN': '中文', en: 'English' };

/** What a message sent through the API is as a script step (a command is typed, as on Telegram). */
export function stepInput(message: Message): Pick<Step, 'say' | 'tap'> {
  if ('text' in message) return { say: message.text };
  if ('choice' in message) return { tap: message.choice };
  if (message.command === 'language' && message.lang) return { say: LANGUAGE_WORD[message.lang] };
  return { say: `/${message.command}` };
}

/** What a step sends through the API (a tap without its turn, as the script runner sends it). */
export function stepMessage(step: Step): Message {
  return step.say !== undefined ? { text: step.say } : { choice: step.tap ?? '' };
}

/** The expectation recorded after a view: the question; the verdict, route and settlement; or the kind. */
export function expectationOf(view: ApiView): Expect {
  if (view.kind === 'question' && view.question) return { question: view.question };
  if (view.kind === 'result' && view.decision)
    return {
      verdict: view.decision.verdict,
      route: view.decision.route,
      settlement: view.decision.settlement.recommended,
    };
  return { kind: view.kind };
}

/** A script from a recorded session. */
export function buildScript(options: {
  name: string;
  lang: Lang;
  asOf: string;
  start?: Expect;
  steps: readonly Step[];
}): Script {
  return {
    name: options.name,
    lang: options.lang,
    asOf: options.asOf,
    ...(options.start ? { start: options.start } : {}),
    steps: [...options.steps],
  };
}

/** A script as YAML (what `--record` writes) or JSON. */
export function formatScript(script: Script, format: 'yaml' | 'json'): string {
  return format === 'json' ? `${JSON.stringify(script, null, 2)}\n` : toYaml(script);
}

/** Reads a script (YAML or JSON); the problems are lines naming the field. */
export function parseScript(
  source: string,
): { ok: true; script: Script } | { ok: false; problems: string[] } {
  let raw: unknown;
  try {
    raw = parseYaml(source); // YAML is a superset of JSON
  } catch (error) {
    return {
      ok: false,
      problems: [error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)],
    };
  }
  const parsed = ScriptSchema.safeParse(raw);
  if (parsed.success) return { ok: true, script: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(script)'}: ${issue.message}`),
  };
}

/** One expectation's outcome. */
export interface Check {
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
  /** Why the check is weaker in the page than in `luohu simulate` (notice keys are not in the API). */
  readonly partial?: boolean;
}

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

/** The text `contains`/`excludes` look in: the view's text and its choices, numbered as in the terminal. */
export function renderedText(view: ApiView): string {
  return [view.text, ...view.choices.map((c, i) => `  [${i + 1}] ${c.label}`)].join('\n');
}

/** Checks every key of an expectation against a view (the same rules as `luohu simulate --script`). */
export function checkExpect(expect: Expect, view: ApiView): Check[] {
  const out: Check[] = [];
  const same = (what: string, expected: unknown, actual: unknown) => {
    if (expected === undefined) return;
    out.push({
      what,
      expected: show(expected),
      actual: show(actual),
      ok: JSON.stringify(expected) === JSON.stringify(actual),
    });
  };
  same('kind', expect.kind, view.kind);
  same('question', expect.question, view.question);
  if (expect.notice === null) same('notice', null, view.notice ?? null);
  else if (expect.notice !== undefined)
    out.push({
      what: 'notice',
      expected: show(expect.notice),
      actual: show(view.notice ?? null),
      ok: Boolean(view.notice),
      partial: true,
    });
  same('verdict', expect.verdict, view.decision?.verdict);
  if (expect.route !== undefined) same('route', expect.route, view.decision?.route);
  same('settlement', expect.settlement, view.decision?.settlement.recommended);
  for (const id of expect.choices ?? [])
    out.push({
      what: 'choices',
      expected: show(id),
      actual: show(view.choices.map((c) => c.id)),
      ok: view.choices.some((c) => c.id === id),
    });
  for (const w of expect.warnings ?? [])
    out.push({
      what: 'warnings',
      expected: show(w),
      actual: show(view.decision?.warnings),
      ok: Boolean(view.decision?.warnings.includes(w)),
    });
  const rendered = renderedText(view);
  for (const s of expect.contains ?? [])
    out.push({ what: 'contains', expected: show(s), actual: '', ok: rendered.includes(s) });
  for (const s of expect.excludes ?? [])
    out.push({ what: 'excludes', expected: show(s), actual: '', ok: !rendered.includes(s) });
  return out;
}
