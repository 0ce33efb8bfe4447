/**
 * The i18n layer: languages, synchronous initialisation, clause keys containing '/', dates, lists,
 * nested texts, plurals, agency overrides and the detection of missing sentences.
 */
import { describe, expect, test } from 'vitest';
import {
  createI18n,
  createRenderer,
  DEFAULT_LANG,
  hasSentence,
  isLang,
  LANGUAGES,
  mergeResources,
  renderText,
} from '../../bot/i18n.js';

const i18n = createI18n();
const zh = createRenderer('zh-CN', i18n);
const en = createRenderer('en', i18n);

describe('languages', () => {
  test('zh-CN first and the default; en second', () => {
    expect(LANGUAGES).toEqual(['zh-CN', 'en']);
    expect(DEFAULT_LANG).toBe('zh-CN');
  });

  test('isLang accepts exactly the listed languages', () => {
    expect(isLang('zh-CN')).toBe(true);
    expect(isLang('en')).toBe(true);
    for (const other of ['zh', 'zh-cn', 'EN', 'fr', '', 42, null, undefined])
      expect(isLang(other)).toBe(false);
  });
});

describe('createI18n', () => {
  test('is usable as soon as it returns (synchronous init)', () => {
    const fresh = createI18n();
    expect(fresh.isInitialized).toBe(true);
    expect(fresh.t('common.yes', { lng: 'en' })).toBe('yes');
  });

  test("reads clause ids containing '/' under the default key separator '.'", () => {
    const key = 'clause.plan-2019/scope/degree-1';
    expect(hasSentence(i18n, 'zh-CN', key)).toBe(true);
    expect(i18n.t(key, { lng: 'zh-CN' })).toContain('学历类人才①');
    expect(i18n.t(key, { lng: 'en' })).toContain('degree holders ①');
  });

  test('overrides replace single sentences per language and keep the rest', () => {
    const custom = createI18n({ en: { check: { disclaimer: 'Ask our office.' } } });
    expect(custom.t('check.disclaimer', { lng: 'en' })).toBe('Ask our office.');
    expect(custom.t('check.heading.why', { lng: 'en' })).toBe('Why');
    expect(custom.t('check.disclaimer', { lng: 'zh-CN' })).toBe(i18n.t('check.disclaimer', { lng: 'zh-CN' }));
  });

  test('mergeResources merges nested trees without touching the base', () => {
    const base = { a: { b: 'x', c: 'y' } };
    expect(mergeResources(base, { a: { c: 'z' } })).toEqual({ a: { b: 'x', c: 'z' } });
    expect(base).toEqual({ a: { b: 'x', c: 'y' } });
  });

  test('does not escape what it inserts', () => {
    expect(en.render({ key: 'issue.not-a-real-date', params: { value: '<b>&' } })).toBe(
      '<b>& is not a real date',
    );
  });
});

describe('rendering a Text', () => {
  test('dates the language’s way', () => {
    const t = { key: 'check.why.until', params: { date: { date: '2038-04-08' } } };
    expect(zh.render(t)).toContain('2038年4月8日');
    expect(en.render(t)).toContain('8 April 2038');
  });

  test('nested texts are translated first', () => {
    const t = { key: 'check.route.metNoLimit', params: { route: { t: 'route.degree-bachelor.name' } } };
    expect(zh.render(t)).toBe('学历类·本科及以上：符合');
    expect(en.render(t)).toBe("Degree: bachelor's or higher (学历类·本科): met");
  });

  test('lists are joined with the language’s separator', () => {
    const list = { list: [{ t: 'settlement.relative.name' }, { t: 'settlement.police-managed.name' }] };
    expect(zh.render({ key: 'check.settlement.others', params: { list } })).toContain(
      '挂靠亲友户口、派出所代管户口',
    );
    expect(en.render({ key: 'check.settlement.others', params: { list } })).toContain(
      'household (挂靠亲友户口), Police-managed',
    );
  });

  test('booleans become yes / no', () => {
    expect(zh.render({ key: 'check.why.alternative', params: { route: true, until: false } })).toContain(
      '是',
    );
  });

  test('English plurals follow the count', () => {
    const months = (count: number) =>
      en.render({
        key: 'change.more-social-insurance',
        params: { count, reachedOn: { date: '2027-01-01' } },
      });
    expect(months(1)).toContain('1 more month;');
    expect(months(6)).toContain('6 more months;');
    expect(
      zh.render({
        key: 'change.more-social-insurance',
        params: { count: 6, reachedOn: { date: '2027-01-01' } },
      }),
    ).toBe('再累计缴纳6个月深圳社保，最早2027年1月1日满足');
  });

  test('the example sentences of the brief', () => {
    expect(
      zh.render({
        key: 'condition.age.line',
        params: { value: 33, threshold: 45, turns: 45, closedOn: { date: '2038-04-09' } },
      }),
    ).toBe('年龄：33周岁（要求：45周岁以下，即2038年4月9日满45周岁之前）');
    expect(
      zh.render({
        key: 'condition.education.line',
        params: { value: { t: 'level.education.bachelor' }, threshold: { t: 'level.education.bachelor' } },
      }),
    ).toBe('学历：本科（要求：本科及以上）');
    const closed = { key: 'change.age-closed', params: { closedOn: { date: '2025-05-16' }, age: 35 } };
    expect(zh.render(closed)).toBe('已于2025年5月16日满35周岁时关闭');
    expect(en.render(closed)).toBe('closed on 16 May 2025, when you turned 35');
  });
});

describe('missing sentences', () => {
  test('are recorded by the renderer, nested ones included', () => {
    const renderer = createRenderer('en', i18n);
    renderer.render({
      key: 'check.cited',
      params: { text: { t: 'no.such.key' }, clause: { t: 'clause.nope' } },
    });
    expect(renderer.missing).toEqual(['no.such.key', 'clause.nope']);
  });

  test('a sentence only in zh-CN is missing in en, though en falls back to it', () => {
    const custom = createI18n({ 'zh-CN': { extra: { only: '仅中文' } } });
    const renderer = createRenderer('en', custom);
    expect(renderer.render({ key: 'extra.only' })).toBe('仅中文');
    expect(renderer.missing).toEqual(['extra.only']);
    expect(renderer.has('extra.only')).toBe(false);
    expect(createRenderer('zh-CN', custom).has('extra.only')).toBe(true);
  });

  test('a key naming a group, not a sentence, is missing', () => {
    expect(hasSentence(i18n, 'en', 'check.heading')).toBe(false);
  });

  test('renderText renders without a renderer', () => {
    expect(renderText({ key: 'common.no' }, 'zh-CN', i18n)).toBe('否');
  });
});
