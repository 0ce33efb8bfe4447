/**
 * The presenter and Telegram's formatting against frozen copies of what they were before the second
 * round of performance work (`legacy/`, `test/bot/legacy/`): over thousands of generated people
 * (whole and partial consultations, several decision dates, both editions, unknown answers,
 * approximate ages), in every language, the blocks must be deep-equal with the same JSON, and the
 * HTML, its messages and the keyboards byte-identical.
 */
import { describe, expect, test } from 'vitest';
import { answerEvent } from '../../../bench/dialogue.js';
import { generateProfiles, mulberry32 } from '../../../bench/profiles.js';
import { createI18n, createRenderer, LANGUAGES, type Lang } from '../../../bot/i18n.js';
import { keyboardOf, SPLIT_AT, splitMessage, viewHtml } from '../../../bot/telegram/format.js';
import { stepConversation } from '../../../machines/conversation.js';
import { clearSharedBlocks, presentDecision } from '../../../machines/present/decision.js';
import type { QuestionId } from '../../../machines/questions.js';
import type { Block, View } from '../../../machines/view.js';
import { viewOf } from '../../../machines/views.js';
import {
  DEFAULT_EDITION,
  type Decision,
  decide,
  type Edition,
  ProfileSchema,
  validateProfile,
} from '../../../rules/index.js';
import {
  keyboardOf as legacyKeyboardOf,
  splitMessage as legacySplitMessage,
  viewHtml as legacyViewHtml,
} from '../../bot/legacy/format.js';
import { testEdition } from '../../rules/fixtures/test-edition.js';
import { AS_OF, consented } from '../support.js';
import { presentDecision as legacyPresentDecision } from './legacy/decision.js';

interface Case {
  readonly decision: Decision;
  readonly approximateAge: boolean;
  readonly lang: Lang;
}

/** Decisions of whole profiles: several days, both editions, some with unconfirmed answers. */
function wholeProfiles(): Case[] {
  const out: Case[] = [];
  const random = mulberry32(21);
  const days = [AS_OF, '2027-03-01', '2030-01-15', '2024-02-29'];
  for (const [i, asOf] of days.entries())
    for (const edition of [DEFAULT_EDITION, testEdition] as Edition[])
      for (const input of generateProfiles(i === 0 ? 1_200 : 300, asOf, 31 + i)) {
        const valid = validateProfile(input, asOf);
        if (!valid.ok) throw new Error('generated profiles are valid');
        const unconfirmed = random() < 0.2 ? ['skillInCatalog', 'socialInsuranceMonths'] : undefined;
        out.push({
          decision: decide(valid.value, { asOf, edition, ...(unconfirmed ? { unconfirmed } : {}) }),
          approximateAge: random() < 0.2,
          lang: random() < 0.5 ? 'en' : 'zh-CN',
        });
      }
  return out;
}

/** The views of whole consultations (every question view, then the result), some answered "don't know". */
function consultations(): View[] {
  const views: View[] = [];
  const random = mulberry32(8);
  for (const [i, input] of generateProfiles(400, AS_OF, 5).entries()) {
    const profile = ProfileSchema.parse(input);
    let snapshot = consented(i % 2 ? 'en' : 'zh-CN');
    views.push(viewOf(snapshot));
    for (let step = 0; step < 30; step++) {
      const view = viewOf(snapshot);
      if (view.kind !== 'question') break;
      const question = view.question as QuestionId;
      const unknown = view.choices.some((c) => c.id === 'unknown') && random() < 0.15;
      snapshot = stepConversation(
        snapshot,
        unknown ? { type: 'CHOOSE', id: 'unknown' } : answerEvent(question, profile),
      );
      views.push(viewOf(snapshot));
    }
  }
  return views;
}

const i18n = createI18n();

/** The blocks must be deep-equal and give the same JSON (key order included). */
function sameBlocks(actual: readonly Block[], expected: readonly Block[]): void {
  const json = JSON.stringify(actual);
  if (json !== JSON.stringify(expected)) expect(json).toBe(JSON.stringify(expected));
  expect(actual).toEqual(expected);
}

/** HTML, its messages and the keyboard, as the Telegram channel renders them, against the legacy code. */
function sameRendering(view: View, lang: Lang, seq: number): void {
  const renderer = createRenderer(lang, i18n);
  const html = viewHtml(view, renderer);
  const expected = legacyViewHtml(view, createRenderer(lang, i18n));
  if (html !== expected) expect(html).toBe(expected);
  const parts = splitMessage(html);
  const expectedParts = legacySplitMessage(expected);
  if (JSON.stringify(parts) !== JSON.stringify(expectedParts)) expect(parts).toEqual(expectedParts);
  if (view.choices.length > 0)
    expect(keyboardOf(view, seq, renderer)).toEqual(legacyKeyboardOf(view, seq, createRenderer(lang, i18n)));
}

describe('presentDecision and Telegram formatting give what they gave before', () => {
  const cases = wholeProfiles();

  test('blocks of whole profiles, presented warm, again, and afresh', () => {
    for (let round = 0; round < 2; round++)
      for (const { decision, approximateAge } of cases)
        sameBlocks(
          presentDecision(decision, { approximateAge }),
          legacyPresentDecision(decision, { approximateAge }),
        );
    clearSharedBlocks();
    for (const { decision, approximateAge } of cases.slice(0, 300))
      sameBlocks(
        presentDecision(structuredClone(decision), { approximateAge }),
        legacyPresentDecision(decision, { approximateAge }),
      );
  });

  test('HTML, messages and keyboards of results, in every language', () => {
    for (const [i, { decision, approximateAge, lang }] of cases.entries()) {
      const view: View = {
        state: 'active.result',
        lang,
        kind: 'result',
        blocks: presentDecision(decision, { approximateAge }),
        choices: [
          { id: 'edit', label: { key: 'result.edit' } },
          { id: 'restart', label: { key: 'result.restart' } },
        ],
        decision,
      };
      sameRendering(view, lang, i);
      // The other language, and with a notice.
      const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
      sameRendering({ ...view, notice: { key: 'notice.moved-on' } }, other, i + 1);
    }
  });

  test('views of whole consultations: questions, notices and results, in both languages', () => {
    const views = consultations();
    expect(views.filter((v) => v.kind === 'result').length).toBeGreaterThan(300);
    for (const [i, view] of views.entries()) for (const lang of LANGUAGES) sameRendering(view, lang, i);
  });

  test('the decision of a consultation is presented as before, approximate ages included', () => {
    const views = consultations().filter((v) => v.kind === 'result');
    for (const view of views) {
      const decision = view.decision as Decision;
      for (const approximateAge of [false, true])
        sameBlocks(
          presentDecision(decision, { approximateAge }),
          legacyPresentDecision(decision, { approximateAge }),
        );
    }
  });

  test('keyboards of labels of every length (surrogate pairs, lone surrogates) are laid out as before', () => {
    const random = mulberry32(17);
    const pieces = ['a', '你', '🙂', '\ud83d', '\ude42', ' ', 'é'];
    for (let i = 0; i < 2_000; i++) {
      const labels = Array.from({ length: Math.floor(random() * 6) }, () => {
        let label = '';
        const n = Math.floor(random() * 16);
        for (let j = 0; j < n; j++) label += pieces[Math.floor(random() * pieces.length)];
        return label;
      });
      const view: View = {
        kind: 'question',
        state: 'active.interview',
        lang: 'en',
        blocks: [],
        choices: labels.map((label, j) => ({ id: `c${j}`, label: { key: label } })),
      };
      const renderer = {
        lang: 'en' as const,
        i18n,
        render: (t: { key: string }) => t.key,
        has: () => true,
        missing: [],
      };
      expect(keyboardOf(view, i, renderer)).toEqual(legacyKeyboardOf(view, i, renderer));
    }
  });

  test('splitMessage splits long texts as before, lines of every length', () => {
    const random = mulberry32(13);
    const pieces = ['\n', '\n\n', ' ', 'a', '<b>x</b>', '&amp;', '你好', '🙂', 'word '];
    for (let i = 0; i < 3_000; i++) {
      let html = '';
      const n = Math.floor(random() * 60);
      for (let j = 0; j < n; j++) {
        const piece = pieces[Math.floor(random() * pieces.length)] as string;
        html += random() < 0.1 ? piece.repeat(1 + Math.floor(random() * 40)) : piece;
      }
      for (const limit of [1, 2, 5, 17, 64, SPLIT_AT])
        expect(splitMessage(html, limit)).toEqual(legacySplitMessage(html, limit));
    }
  });
});
