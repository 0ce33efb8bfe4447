/**
 * Replays dialogue scripts against the engine and reports every mismatch as a readable line.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { View } from '../../machines/view.js';
import { fromZodIssues } from '../../rules/index.js';
import { DEFAULT_LANG, type Lang, type Renderer } from '../i18n.js';
import { formatIssue } from '../render/check-output.js';
import { renderViewPlain } from '../render/view.js';
import { type Expect, type Script, ScriptSchema } from './script.js';
import { SimulatedChat } from './session.js';

/** A difference between what a script expected and what the bot did. */
export interface Mismatch {
  /** 0 for the first view, then the step's number (1-based). */
  readonly step: number;
  /** What the person sent at that step. */
  readonly input: string;
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
}

/** The outcome of one script. */
export interface ScriptOutcome {
  readonly name: string;
  readonly steps: number;
  readonly mismatches: readonly Mismatch[];
  /** The rendered transcript, for showing on failure. */
  readonly transcript: readonly string[];
}

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

/** Checks one view against an expectation; returns the differences. */
export function compare(expect: Expect, view: View, rendered: string): Omit<Mismatch, 'step' | 'input'>[] {
  const out: Omit<Mismatch, 'step' | 'input'>[] = [];
  const check = (what: string, expected: unknown, actual: unknown) => {
    if (expected !== undefined && JSON.stringify(expected) !== JSON.stringify(actual))
      out.push({ what, expected: show(expected), actual: show(actual) });
  };
  check('kind', expect.kind, view.kind);
  check('question', expect.question, view.question);
  if (expect.notice !== undefined) check('notice', expect.notice, view.notice?.key ?? null);
  check('verdict', expect.verdict, view.decision?.verdict);
  if (expect.route !== undefined) check('route', expect.route, view.decision?.route);
  check('settlement', expect.settlement, view.decision?.settlement.recommended);
  for (const id of expect.choices ?? [])
    if (!view.choices.some((c) => c.id === id))
      out.push({ what: 'choices', expected: show(id), actual: show(view.choices.map((c) => c.id)) });
  for (const w of expect.warnings ?? [])
    if (!view.decision?.warnings.includes(w))
      out.push({ what: 'warnings', expected: show(w), actual: show(view.decision?.warnings) });
  for (const s of expect.contains ?? [])
    if (!rendered.includes(s))
      out.push({ what: 'text contains', expected: show(s), actual: '(not in the view)' });
  for (const s of expect.excludes ?? [])
    if (rendered.includes(s))
      out.push({ what: 'text excludes', expected: show(s), actual: '(present in the view)' });
  return out;
}

/** Runs one parsed script. */
export async function runScript(script: Script): Promise<ScriptOutcome> {
  const chat = new SimulatedChat({ lang: script.lang, asOf: script.asOf });
  const mismatches: Mismatch[] = [];
  const transcript: string[] = [];
  const render = (view: View, renderer: Renderer) => renderViewPlain(view, renderer);

  let view = await chat.open();
  let rendered = render(view, chat.renderer());
  transcript.push(rendered);
  if (script.start)
    for (const m of compare(script.start, view, rendered)) mismatches.push({ step: 0, input: '', ...m });

  for (const [index, step] of script.steps.entries()) {
    const input = step.say ?? `[${step.tap}]`;
    view = await chat.send(step.say !== undefined ? { text: step.say } : { choice: step.tap ?? '' });
    rendered = render(view, chat.renderer());
    transcript.push(`> ${input}`, rendered);
    if (step.expect)
      for (const m of compare(step.expect, view, rendered)) mismatches.push({ step: index + 1, input, ...m });
  }
  return { name: script.name, steps: script.steps.length, mismatches, transcript };
}

/** A script file that could not be read or does not follow the script format. */
export class ScriptFileError extends Error {}

/** Reads and validates a script file (YAML or JSON). */
export async function loadScript(file: string, lang: Lang = DEFAULT_LANG): Promise<Script> {
  let raw: unknown;
  try {
    const textContent = await readFile(file, 'utf8');
    raw = file.endsWith('.json') ? JSON.parse(textContent) : parseYaml(textContent);
  } catch (error) {
    throw new ScriptFileError(
      `${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  const parsed = ScriptSchema.safeParse(raw);
  if (!parsed.success)
    throw new ScriptFileError(
      fromZodIssues(parsed.error.issues, raw)
        .map((issue) => `${file}: ${formatIssue(issue, lang)}`)
        .join('\n'),
    );
  return parsed.data;
}
