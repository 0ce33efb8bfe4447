/** Issue lines: `path: what is wrong`, in plain words, in every language. */
import { describe, expect, test } from 'vitest';
import { createI18n, createRenderer, LANGUAGES } from '../../../bot/i18n.js';
import { issueLine, issueText } from '../../../bot/present/issues.js';
import { validateProfile } from '../../../rules/index.js';

const i18n = createI18n();
const en = createRenderer('en', i18n);
const zh = createRenderer('zh-CN', i18n);

describe('issueLine', () => {
  test('names the path and says what is wrong', () => {
    const issue = { path: ['birthDate'], code: 'not-a-real-date', params: { value: '1990-02-30' } } as const;
    expect(issueLine(issue, en)).toBe('birthDate: 1990-02-30 is not a real date');
    expect(issueLine(issue, zh)).toBe('birthDate: 1990-02-30 不是真实存在的日期');
  });

  test('batch items are named by index', () => {
    const issue = {
      path: [3, 'education'],
      code: 'not-in-list',
      params: { value: 'phd', allowed: 'none, college' },
    } as const;
    expect(issueLine(issue, en)).toBe('[3].education: phd is not one of: none, college');
  });

  test('type names are put into words', () => {
    const issue = {
      path: ['ownsProperty'],
      code: 'wrong-type',
      params: { expected: 'boolean', type: 'string', value: 'yes' },
    } as const;
    expect(issueText(issue).key).toBe('issue.wrong-type-expected');
    expect(issueLine(issue, en)).toBe('ownsProperty: wrong type: expected true or false, got text');
  });

  test.each(LANGUAGES)('every issue of a badly wrong profile reads fully in %s', (lang) => {
    const renderer = createRenderer(lang, i18n);
    const result = validateProfile(
      {
        birthDate: '2030-01-01',
        education: 'phd',
        overseasScholar: 'yes',
        socialInsuranceMonths: 1.5,
        skill: 3,
        typo: 1,
      },
      '2026-11-28',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const issue of result.error) expect(issueLine(issue, renderer)).not.toContain('{{');
    expect(renderer.missing).toEqual([]);
  });
});
