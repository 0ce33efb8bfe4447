/** The human output of `luohu check`: decisions explained in a language, and problems as plain lines. */
import { presentDecision } from '../../machines/present/decision.js';
import type { Decision, Issue } from '../../rules/index.js';
import { createI18n, createRenderer, type I18n, type Lang } from '../i18n.js';
import { issueLine } from '../present/issues.js';
import { renderPlain } from './plain.js';

let shared: I18n | undefined;
const i18nOnce = () => {
  shared ??= createI18n();
  return shared;
};

/** Explains decisions as plain text; several decisions (a batch) are numbered and separated. */
export function formatDecisions(decisions: readonly Decision[], lang: Lang): string {
  const renderer = createRenderer(lang, i18nOnce());
  if (decisions.length === 1 && decisions[0])
    return `${renderPlain(presentDecision(decisions[0]), renderer)}\n`;
  return decisions
    .map((d, index) => {
      const head = renderer.render({
        key: 'check.batchItem',
        params: { index: index + 1, count: decisions.length },
      });
      return `${head}\n${renderPlain(presentDecision(d), renderer)}\n`;
    })
    .join('\n');
}

/** One problem as one plain line: `[3].birthDate: 1990-02-30 is not a real date`. */
export function formatIssue(issue: Issue, lang: Lang): string {
  return issueLine(issue, createRenderer(lang, i18nOnce()));
}
