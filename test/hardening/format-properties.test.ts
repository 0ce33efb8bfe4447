/**
 * Guarantee 6, at the level of `format.ts`: whatever text a view renders to (any script, emoji,
 * markup characters, sentences over several lines, agency overrides of any length), the messages
 * `splitMessage` makes of `viewHtml` are valid Telegram HTML within the limit, and lose no text.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createI18n, createRenderer } from '../../bot/i18n.js';
import {
  CALLBACK_DATA_LIMIT,
  callbackData,
  escapeHtml,
  keyboardOf,
  parseCallbackData,
  SPLIT_AT,
  splitMessage,
  viewHtml,
} from '../../bot/telegram/format.js';
import type { View } from '../../machines/view.js';
import { checkTelegramHtml } from './telegram-html.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** One code point, often one of HTML's special characters. */
const markupOrAny = fc.oneof(
  fc.constantFrom('&', '<', '>', '"', ';', '#', '&amp;', '&lt;', '</b>', '🙂'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

/** The parsed text of messages, joined as the person reads them. */
const textOf = (parts: string[]) => parts.map((p) => checkTelegramHtml(p).text).join('\n');

/** Text as a sentence may render: any script, emoji, markup characters, and some newlines. */
const sentence = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 3000, maxLength: 5000 }) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1500 }), { minLength: 2, maxLength: 5 })
        .map((lines) => lines.join('\n')),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('<b>', '&amp;', '&', '< > &', '🙂'.repeat(2500), `a${'🙂'.repeat(2500)}`),
    },
  )
  .filter((s) => s.split('\n').every((line) => line.trim() !== ''));

describe('splitMessage(viewHtml(view))', () => {
  test('the text of a single sentence survives escaping: valid HTML, the same text back', () => {
    fc.assert(
      fc.property(fc.string({ unit: markupOrAny, minLength: 1, maxLength: 300 }), (s) => {
        fc.pre(s.trim() !== '');
        const { problems, text } = checkTelegramHtml(escapeHtml(s));
        expect(problems).toEqual([]);
        expect(text).toBe(s);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  test(`any view: every message valid Telegram HTML under the limit, no text lost (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(
        fc.option(sentence, { nil: undefined }),
        fc.array(fc.tuple(fc.constantFrom('title', 'heading', 'line', 'item', 'detail'), sentence), {
          minLength: 1,
          maxLength: 8,
        }),
        (notice, blocks) => {
          const texts = new Map<string, string>();
          const key = (s: string) => {
            const k = `k${texts.size}`;
            texts.set(k, s);
            return { key: k };
          };
          const view = {
            kind: 'result',
            state: 'active.result',
            lang: 'en',
            ...(notice !== undefined ? { notice: key(notice) } : {}),
            blocks: blocks.map(([kind, s]) => ({ kind, text: key(s) })),
            choices: [],
          } as View;
          const renderer = { render: (t: { key: string }) => texts.get(t.key) ?? '' } as ReturnType<
            typeof createRenderer
          >;
          const parts = splitMessage(viewHtml(view, renderer));
          for (const part of parts) {
            expect(part.length).toBeLessThanOrEqual(SPLIT_AT);
            expect(checkTelegramHtml(part).problems, part.slice(0, 200)).toEqual([]);
          }
          // Nothing lost: every character of every sentence is still there, in order (the layout's
          // bullets and whitespace aside).
          const normal = (s: string) => s.replace(/[\s•]/g, '');
          expect(normal(textOf(parts))).toBe(normal([notice ?? '', ...blocks.map(([, s]) => s)].join('')));
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  test('a long line of emoji is cut between characters, never inside one (no lone surrogates)', () => {
    const parts = splitMessage(escapeHtml(`a${'🙂'.repeat(3000)}`));
    for (const part of parts) expect(checkTelegramHtml(part).problems).toEqual([]);
    expect(parts.join('')).toBe(`a${'🙂'.repeat(3000)}`);
  });

  test('a sentence in italics over several lines, split between them, keeps every message balanced', () => {
    // An agency's longer help text (locale overrides), shown as the notice of a view.
    const help = Array.from({ length: 40 }, (_, i) => `${i + 1}. ${'说明文字'.repeat(30)}`).join('\n');
    const i18n = createI18n({ 'zh-CN': { notice: { help } } });
    const view: View = {
      kind: 'question',
      state: 'active.interview',
      lang: 'zh-CN',
      notice: { key: 'notice.help' },
      blocks: [{ kind: 'line', text: { key: 'question.birthDate.text' } }],
      choices: [],
    };
    const parts = splitMessage(viewHtml(view, createRenderer('zh-CN', i18n)));
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(checkTelegramHtml(part).problems, part.slice(0, 80)).toEqual([]);
  });
});

describe('callback data', () => {
  test('callbackData/parseCallbackData round trip, within 64 bytes, or a RangeError', () => {
    fc.assert(
      fc.property(
        fc.nat(999_999_999),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        (seq, id) => {
          let data: string;
          try {
            data = callbackData(seq, id);
          } catch (error) {
            expect(error).toBeInstanceOf(RangeError);
            return;
          }
          expect(Buffer.byteLength(data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
          // Choice ids are short ASCII words; any id without a line break, of at most 50 UTF-16 units,
          // reads back.
          if (!/[\n\r\u2028\u2029]/.test(id) && id.length <= 50)
            expect(parseCallbackData(data)).toEqual({ seq, choice: id });
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  test('parseCallbackData never throws on anything', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => {
        const parsed = parseCallbackData(s);
        if (parsed) expect(Number.isSafeInteger(parsed.seq) && parsed.seq >= 0).toBe(true);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  });

  test("every real view's keyboard fits: the longest choice id at the largest turn", () => {
    const renderer = createRenderer('en', createI18n());
    const view: View = {
      kind: 'summary',
      state: 'active.summary',
      lang: 'en',
      blocks: [],
      choices: [{ id: 'edit:skillObtainedInShenzhen', label: { key: 'summary.continue' } }],
    };
    for (const row of keyboardOf(view, 999_999_999, renderer))
      for (const b of row)
        expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(CALLBACK_DATA_LIMIT);
  });
});
