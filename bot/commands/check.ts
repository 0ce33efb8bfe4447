/**
 * `luohu check [FILE|-]`: decide one profile or a batch from JSON, per `../shared/contract/check.md`.
 * Exit 0 with a decision (whatever the verdict); exit 2 on bad input with one line per problem on
 * stderr and nothing on stdout.
 */
import { readFile } from 'node:fs/promises';
import { check, type Decision, type Issue, resolveSettings } from '../../rules/index.js';
import { isLang, LANGUAGES, type Lang } from '../i18n.js';
import type { CommandIO } from '../io.js';
import { formatDecisions, formatIssue } from '../render/check-output.js';

/** Options of `luohu check`, as commander hands them over. */
export interface CheckCommandOptions {
  readonly json?: boolean;
  readonly asOf?: string;
  readonly lang?: string;
  readonly policy?: string;
}

/** Exit codes of `luohu check`. */
export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 2;

/** Option names as people type them, for problems with the options themselves. */
const OPTION_PATHS: Readonly<Record<string, string>> = {
  asOf: '--as-of',
  policy: '--policy',
  lang: '--lang',
};

async function readInput(
  file: string | undefined,
  io: CommandIO,
): Promise<{ text: string } | { issue: Issue }> {
  if (file === undefined || file === '-') {
    return { text: await io.readStdin() };
  }
  try {
    return { text: await readFile(file, 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'EIO';
    return { issue: { path: [file], code: 'file-unreadable', params: { reason } } };
  }
}

function parseJson(text: string): { value: unknown } | { issue: Issue } {
  if (text.trim() === '') return { issue: { path: [], code: 'empty-input', params: {} } };
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(detail)?.[1];
    return { issue: { path: [], code: 'invalid-json', params: { position: position ?? '?' } } };
  }
}

/**
 * Runs `luohu check`. Returns the exit code; writes only through `io`.
 *
 * **WARNING:** profile values are personal data: they go to stdout as the decision, and never to a log.
 */
export async function runCheck(
  file: string | undefined,
  options: CheckCommandOptions,
  io: CommandIO,
): Promise<number> {
  const lang: Lang = options.lang !== undefined && isLang(options.lang) ? options.lang : 'zh-CN';
  const report = (issues: readonly Issue[]) => {
    for (const issue of issues) io.stderr(`${formatIssue(issue, lang)}\n`);
    return EXIT_BAD_INPUT;
  };
  // Problems with the options are named as the option is typed (`--as-of: ...`).
  const asOption = (issue: Issue): Issue => ({ ...issue, path: [OPTION_PATHS[String(issue.path[0])] ?? ''] });

  const optionIssues: Issue[] = [];
  if (options.lang !== undefined && !isLang(options.lang))
    optionIssues.push({
      path: ['lang'],
      code: 'unknown-language',
      params: { value: options.lang, allowed: LANGUAGES.join(', ') },
    });
  const settings = resolveSettings({
    ...(options.asOf !== undefined ? { asOf: options.asOf } : {}),
    ...(options.policy !== undefined ? { policy: options.policy } : {}),
  });
  if (!settings.ok) optionIssues.push(...settings.error);
  if (optionIssues.length > 0 || !settings.ok) return report(optionIssues.map(asOption));

  const input = await readInput(file, io);
  if ('issue' in input) return report([input.issue]);
  const parsed = parseJson(input.text);
  if ('issue' in parsed) return report([parsed.issue]);

  const result = check(parsed.value, { asOf: settings.value.asOf, policy: settings.value.edition.id });
  if (!result.ok) return report(result.error);

  const decisions: Decision | Decision[] = result.value;
  if (options.json) io.stdout(`${JSON.stringify(decisions, null, 2)}\n`);
  else io.stdout(formatDecisions(Array.isArray(decisions) ? decisions : [decisions], lang));
  return EXIT_OK;
}
