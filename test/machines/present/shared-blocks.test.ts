/**
 * The presenter shares blocks between decisions (frozen, made once per key) and Telegram's HTML of a
 * frozen block is rendered once per language: both must give exactly what a fresh presentation and
 * a fresh rendering give, over many generated people (every verdict, dates, unknown answers,
 * approximate ages), in every language.
 */
import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import { generateProfiles } from '../../../bench/profiles.js';
import {
  createI18n,
  createRenderer,
  I18NEXT_OPTIONS,
  LANGUAGES,
  LOCALES,
  type Renderer,
} from '../../../bot/i18n.js';
import { viewHtml } from '../../../bot/telegram/format.js';
import { clearSharedBlocks, presentDecision } from '../../../machines/present/decision.js';
import type { Block, View } from '../../../machines/view.js';
import { check, type Decision, type ProfileInput } from '../../../rules/index.js';
import { AS_OF } from '../support.js';

const i18n = createI18n();

/** Decisions of generated people on a few days (dates change what is shared), some with unknown answers. */
function decisions(): { decision: Decision; approximateAge: boolean }[] {
  const out: { decision: Decision; approximateAge: boolean }[] = [];
  for (const [i, asOf] of [AS_OF, '2027-03-01', '2030-01-15'].entries())
    for (const [j, profile] of generateProfiles(400, asOf, 11 + i).entries()) {
      const unconfirmed = j % 7 === 0 ? { unconfirmed: ['skillInCatalog'] } : {};
      const result = check(profile as ProfileInput, { asOf, ...unconfirmed });
      if (!result.ok || Array.isArray(result.value)) throw new Error('a generated profile did not decide');
      out.push({ decision: result.value, approximateAge: j % 5 === 0 });
    }
  return out;
}

/** A view of blocks, as the result view carries them. */
const viewOfBlocks = (blocks: readonly Block[], lang: string): View => ({
  kind: 'result',
  state: 'active.result',
  lang,
  blocks,
  choices: [],
});

describe('shared blocks', () => {
  const all = decisions();

  test('presenting with the tables filled by earlier decisions gives what a fresh presentation gives', () => {
    const warm = all.map(({ decision, approximateAge }) => presentDecision(decision, { approximateAge }));
    // Twice: the second time every shared block comes from the tables.
    const again = all.map(({ decision, approximateAge }) => presentDecision(decision, { approximateAge }));
    for (const [i, { decision, approximateAge }] of all.entries()) {
      clearSharedBlocks();
      // A copy shares nothing with the rules' frozen parts: every block is made afresh.
      const fresh = presentDecision(structuredClone(decision), { approximateAge });
      expect(warm[i]).toEqual(fresh);
      expect(again[i]).toEqual(fresh);
    }
  });

  test('shared blocks are frozen, and the same objects for the same decision', () => {
    const { decision } = all[0] as { decision: Decision };
    const a = presentDecision(decision);
    const b = presentDecision(decision);
    expect(a.filter((x) => Object.isFrozen(x)).length).toBeGreaterThan(a.length / 2);
    for (const [i, x] of a.entries()) if (Object.isFrozen(x)) expect(b[i]).toBe(x);
    // The returned list is the caller's own.
    expect(a).not.toBe(b);
    expect(Object.isFrozen(a)).toBe(false);
  });

  test('HTML of shared blocks rendered once per language equals a fresh rendering', () => {
    for (const lang of LANGUAGES) {
      const renderer = createRenderer(lang, i18n);
      for (const { decision, approximateAge } of all) {
        const blocks = presentDecision(decision, { approximateAge });
        const cached = viewHtml(viewOfBlocks(blocks, lang), renderer);
        // A copy is not frozen: rendered afresh, block by block.
        const fresh = viewHtml(viewOfBlocks(structuredClone(blocks), lang), createRenderer(lang, i18n));
        expect(cached).toBe(fresh);
        expect(viewHtml(viewOfBlocks(blocks, lang), createRenderer(lang, i18n))).toBe(fresh);
      }
      expect(renderer.missing).toEqual([]);
    }
  });

  test('a notice comes first, and a view without blocks is empty', () => {
    const renderer = createRenderer('en', i18n);
    const blocks = presentDecision((all[1] as { decision: Decision }).decision);
    const notice = { key: 'notice.moved-on' };
    const html = viewHtml({ ...viewOfBlocks(blocks, 'en'), notice }, renderer);
    const fresh = viewHtml({ ...viewOfBlocks(structuredClone(blocks), 'en'), notice }, renderer);
    expect(html).toBe(fresh);
    expect(html.startsWith('<i>')).toBe(true);
    expect(viewHtml(viewOfBlocks([], 'en'), renderer)).toBe('');
  });

  test('a missing sentence is reported by every renderer, however often the block was rendered', () => {
    const { check: _omitted, ...rest } = LOCALES.en as Record<string, unknown>;
    const check = { ...(LOCALES.en.check as Record<string, unknown>) };
    delete check.disclaimer;
    const instance = i18next.createInstance();
    void instance.init({
      ...I18NEXT_OPTIONS,
      resources: {
        'zh-CN': { translation: LOCALES['zh-CN'] },
        en: { translation: { ...rest, check } },
      },
    });
    const blocks = presentDecision((all[2] as { decision: Decision }).decision);
    for (let i = 0; i < 3; i++) {
      const renderer = createRenderer('en', instance);
      const html = viewHtml(viewOfBlocks(blocks, 'en'), renderer);
      expect(renderer.missing).toEqual(['check.disclaimer']);
      // The zh-CN sentence stands in for it.
      expect(html.endsWith(createRenderer('zh-CN', i18n).render({ key: 'check.disclaimer' }))).toBe(true);
    }
  });

  test('a renderer of another making is used as it is', () => {
    const blocks = presentDecision((all[3] as { decision: Decision }).decision);
    const real = createRenderer('en', i18n);
    let calls = 0;
    const own: Renderer = {
      lang: 'en',
      i18n,
      render: (t) => {
        calls++;
        return real.render(t);
      },
      has: (key) => real.has(key),
      missing: [],
    };
    expect(viewHtml(viewOfBlocks(blocks, 'en'), own)).toBe(viewHtml(viewOfBlocks(blocks, 'en'), real));
    expect(calls).toBe(blocks.length);
  });
});
