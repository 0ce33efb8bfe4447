import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type AnswerResult,
  parseChoice,
  parseDate,
  parseMonths,
  parseYesNo,
} from '../../../machines/answers/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../machines/answers');
const localeDir = join(dirname(fileURLToPath(import.meta.url)), '../../../locales');
type Tree = { readonly [key: string]: string | Tree };
const locales = Object.fromEntries(
  ['zh-CN', 'en'].map((lang) => [
    lang,
    JSON.parse(readFileSync(join(localeDir, `${lang}.json`), 'utf8')) as Tree,
  ]),
);
/** The answer sentences of every locale, by key. */
const sentences: Record<string, Record<string, string>> = {};
for (const [lang, tree] of Object.entries(locales)) {
  const walk = (node: Tree, prefix: string) => {
    for (const [k, v] of Object.entries(node))
      if (typeof v === 'string') {
        sentences[prefix + k] ??= {};
        (sentences[prefix + k] as Record<string, string>)[lang] = v;
      } else walk(v, `${prefix}${k}.`);
  };
  const answer = tree.answer;
  if (typeof answer === 'object') walk(answer, 'answer.');
}

const asOf = '2026-11-28';
const choices = [
  { id: 'a', labels: ['高级工'] },
  { id: 'b', labels: ['高级技师'] },
];

/** One answer producing each error key. */
const examples: [string, AnswerResult<unknown>][] = [
  ['answer.empty', parseYesNo(' ')],
  ['answer.unknown.not-allowed', parseYesNo('不知道')],
  ['answer.date.no-such-day', parseDate('2023-02-29', { asOf })],
  ['answer.date.bad-month', parseDate('1990年13月1日', { asOf })],
  ['answer.date.future', parseDate('2030-01-01', { asOf })],
  ['answer.date.too-old', parseDate('1900-01-01', { asOf })],
  ['answer.date.too-young', parseDate('12岁', { asOf })],
  ['answer.date.year-first', parseDate('17/05/1990', { asOf })],
  ['answer.date.year-first-ambiguous', parseDate('05/06/1990', { asOf })],
  ['answer.date.incomplete', parseDate('1990年5月', { asOf })],
  ['answer.date.unrecognised', parseDate('yesterday', { asOf })],
  ['answer.months.negative', parseMonths('-1')],
  ['answer.months.fraction', parseMonths('2.5个月')],
  ['answer.months.too-many', parseMonths('601')],
  ['answer.months.unrecognised', parseMonths('a while')],
  ['answer.yesno.unrecognised', parseYesNo('maybe')],
  ['answer.choice.ambiguous', parseChoice('高级', choices)],
  ['answer.choice.out-of-range', parseChoice('3', choices)],
  ['answer.choice.unrecognised', parseChoice('博士', choices)],
];

describe('answer sentences in locales/', () => {
  it('has exactly the keys the parsers use', () => {
    const used = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      for (const match of readFileSync(join(dir, file), 'utf8').matchAll(/'(answer\.[a-z.-]+)'/g))
        used.add(match[1] ?? '');
    }
    expect(Object.keys(sentences).sort()).toEqual([...used].sort());
    expect(examples.map(([key]) => key).sort()).toEqual([...used].sort());
  });

  it.each(examples)('%s: a zh-CN and an en sentence using only the parameters given', (key, result) => {
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.key).toBe(key);
    const entry = sentences[key];
    expect(Object.keys(entry ?? {}).sort()).toEqual(['en', 'zh-CN']);
    const given = Object.keys(result.error.params ?? {}).sort();
    for (const sentence of Object.values(entry ?? {})) {
      expect(sentence.trim().length).toBeGreaterThan(0);
      const used = [...sentence.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1] ?? '');
      for (const param of used) expect(given, `${key}: {{${param}}}`).toContain(param);
    }
  });
});
