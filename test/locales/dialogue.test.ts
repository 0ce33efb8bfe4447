/**
 * The sentences of the dialogue: every question's prompt, short label, help line and "how to find
 * out" in every language; a label for every option, distinct within its question; the consent,
 * notice and summary sentences; and only the parameters the code passes to each sentence.
 * Question ids and options are read from `machines/questions.ts`, so a new question or option
 * without its sentences fails here.
 */
import { describe, expect, test } from 'vitest';
import { createI18n, createRenderer, LANGUAGES, LOCALES, type ResourceTree } from '../../bot/i18n.js';
import { compactKey } from '../../machines/answers/normalise.js';
import { answerParam, optionKey } from '../../machines/display.js';
import { COMMANDS } from '../../machines/events.js';
import { QUESTION_IDS, QUESTIONS, type QuestionId } from '../../machines/questions.js';
import { text } from '../../machines/view.js';
import { questionChoices } from '../../machines/views.js';

const i18n = createI18n();

/** The sentence of `key` in `lang` itself (no fallback), or undefined; plural forms count. */
function sentence(lang: (typeof LANGUAGES)[number], key: string): string | undefined {
  for (const k of [key, `${key}_other`]) {
    const value = i18n.getResource(lang, 'translation', k);
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Every leaf of a resource tree as [dotted key, sentence]. */
function leaves(tree: ResourceTree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object'
      ? leaves(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, string]],
  );
}

const unpluralised = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '');

const PARTS = ['prompt', 'short', 'help', 'how'] as const;
const choiceQuestions = QUESTIONS.flatMap((q) =>
  q.kind.type === 'choice' ? [{ ...q, options: q.kind.options }] : [],
);

/** The dialogue's fixed sentences (besides the questions) and the parameters each receives. */
const DIALOGUE: Readonly<Record<string, readonly string[]>> = {
  'consent.intro': [],
  'consent.data': [],
  'consent.ask': [],
  'consent.agree': [],
  'consent.decline': [],
  'declined.body': [],
  'declined.start': [],
  'deleted.body': [],
  'notice.back': ['question', 'answer'],
  'notice.editing': ['question', 'answer'],
  'notice.restarted': [],
  'notice.nothing-to-undo': [],
  'notice.help': [],
  'notice.use-choices': [],
  'notice.moved-on': [],
  'notice.need-consent': [],
  'notice.language': [],
  'notice.assumed': ['answer', 'how'],
  'notice.approximate-age': [],
  'summary.heading': [],
  'summary.empty': [],
  'summary.item': ['question', 'answer'],
  'summary.approximateAge': ['age'],
  'summary.hint': [],
  'summary.change': ['question'],
  'summary.continue': [],
  'result.edit': [],
  'result.restart': [],
  'common.unknown': [],
  'common.unanswered': [],
  'common.monthCount': ['count'],
  ...Object.fromEntries(['start', ...COMMANDS].map((c) => [`command.${c}.description`, []])),
  'simulate.welcome': [],
  'simulate.prompt': [],
  'simulate.choicesHint': [],
  'simulate.bye': [],
  'simulate.script.pass': ['file', 'count'],
  'simulate.script.fail': ['file', 'step'],
  'simulate.script.mismatch': ['what', 'expected', 'actual'],
  'simulate.recorded': ['file'],
};

/** Subtrees that belong to the dialogue: none of their sentences takes a parameter unless listed. */
const DIALOGUE_TREES = [
  'consent.',
  'declined.',
  'deleted.',
  'question.',
  'notice.',
  'summary.',
  'result.',
  'command.',
  'simulate.',
];

describe.each(LANGUAGES)('%s: the questions', (lang) => {
  test.each(QUESTION_IDS.flatMap((id) => PARTS.map((part) => [id, part] as const)))(
    '%s has a non-empty %s',
    (id, part) => {
      expect(sentence(lang, `question.${id}.${part}`)?.trim()).toBeTruthy();
    },
  );

  test.each(choiceQuestions.map((q) => [q.id, q.options] as const))(
    '%s: every option has a label, no two alike',
    (id, options) => {
      const labels = options.map((o) => sentence(lang, `question.${id}.options.${o}`));
      expect(options.filter((_, i) => !labels[i]?.trim())).toEqual([]);
      const keys = labels.map((l) => compactKey(l ?? ''));
      expect(new Set(keys).size).toBe(keys.length);
    },
  );

  test.each(choiceQuestions.map((q) => [q.id, q] as const))(
    '%s: no label (nor "not sure") is a part of another, so typed labels are never ambiguous',
    (id, q) => {
      const keys = [
        ...q.options.map((o) => sentence(lang, optionKey(id, o)) ?? ''),
        ...(q.ifUnknown !== undefined ? [sentence(lang, 'common.unknown') ?? ''] : []),
      ].map(compactKey);
      const nested = keys.flatMap((a, i) =>
        keys.filter((b, j) => i !== j && b.includes(a)).map((b) => `${a} ⊂ ${b}`),
      );
      expect(nested).toEqual([]);
    },
  );

  test.each([...QUESTION_IDS])('%s: the offered choices render to distinct labels', (id) => {
    const renderer = createRenderer(lang, i18n);
    const labels = questionChoices(id).map((c) => renderer.render(c.label));
    expect(renderer.missing).toEqual([]);
    expect(new Set(labels.map(compactKey)).size).toBe(labels.length);
  });
});

describe.each(LANGUAGES)('%s: the dialogue sentences', (lang) => {
  test.each(Object.keys(DIALOGUE))('%s exists and is not empty', (key) => {
    expect(sentence(lang, key)?.trim()).toBeTruthy();
  });

  test('every {{param}} is one the code passes', () => {
    const wrong = leaves(LOCALES[lang]).flatMap(([leaf, value]) => {
      const key = unpluralised(leaf);
      const allowed = DIALOGUE[key] ?? (DIALOGUE_TREES.some((t) => key.startsWith(t)) ? [] : undefined);
      if (!allowed) return [];
      return placeholders(value)
        .filter((p) => !allowed.includes(p))
        .map((p) => `${leaf}: {{${p}}}`);
    });
    expect(wrong).toEqual([]);
  });

  test('the notices render with their parameters, nothing missing or left over', () => {
    const renderer = createRenderer(lang, i18n);
    const q: QuestionId = 'socialInsuranceMonths';
    const texts = [
      text('notice.back', { question: { t: `question.${q}.short` }, answer: answerParam(q, 36) }),
      text('notice.editing', {
        question: { t: 'question.birthDate.short' },
        answer: answerParam('birthDate', '1990-05-17'),
      }),
      text('notice.assumed', {
        answer: answerParam('educationMode', 'non-regular'),
        how: { t: 'question.educationMode.how' },
      }),
      text('summary.item', {
        question: { t: 'question.creditHighRisk.short' },
        answer: answerParam('creditHighRisk', true),
      }),
      text('summary.item', {
        question: { t: 'question.skill.short' },
        answer: answerParam('skill', undefined),
      }),
      text('summary.change', { question: { t: 'question.skill.short' } }),
      text('notice.assumed', { answer: answerParam(q, 0), how: { t: `question.${q}.how` } }),
      text('simulate.script.pass', { file: 'a.yaml', count: 12 }),
      text('simulate.script.fail', { file: 'a.yaml', step: 3 }),
      text('simulate.script.mismatch', { what: 'question', expected: 'skill', actual: 'education' }),
      text('simulate.recorded', { file: 'a.yaml' }),
    ];
    const rendered = texts.map((t) => renderer.render(t));
    expect(renderer.missing).toEqual([]);
    expect(rendered.filter((s) => /\{\{|\}\}|question\.|common\./.test(s))).toEqual([]);
  });

  test('a number of months reads naturally (the plural form, not the month names)', () => {
    const renderer = createRenderer(lang, i18n);
    const item = (n: number) =>
      renderer.render(
        text('summary.item', {
          question: { t: 'question.socialInsuranceMonths.short' },
          answer: answerParam('socialInsuranceMonths', n),
        }),
      );
    expect(item(36)).toContain(lang === 'en' ? '36 months' : '36个月');
    expect(item(1)).toContain(lang === 'en' ? '1 month' : '1个月');
    expect(item(1)).not.toContain('1 months');
    expect(renderer.missing).toEqual([]);
  });

  test('command descriptions fit Telegram (1–256 characters)', () => {
    for (const c of ['start', ...COMMANDS]) {
      const d = sentence(lang, `command.${c}.description`) ?? '';
      expect(d.length).toBeGreaterThan(0);
      expect(d.length).toBeLessThanOrEqual(256);
    }
  });
});
