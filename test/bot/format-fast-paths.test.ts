/**
 * Shortcuts in the Telegram formatting must give what the general code gives: a text that fits in
 * one message is not split line by line, and the labels of frozen (shared) choices are rendered once
 * per language.
 */
import { describe, expect, test } from 'vitest';
import { answerEvent } from '../../bench/dialogue.js';
import { generateProfiles, mulberry32 } from '../../bench/profiles.js';
import { createI18n, createRenderer, LANGUAGES } from '../../bot/i18n.js';
import { keyboardOf, SPLIT_AT, splitMessage, viewHtml } from '../../bot/telegram/format.js';
import { stepConversation } from '../../machines/conversation.js';
import type { QuestionId } from '../../machines/questions.js';
import type { View } from '../../machines/view.js';
import { viewOf } from '../../machines/views.js';
import { ProfileSchema } from '../../rules/index.js';
import { AS_OF, consented } from '../machines/support.js';

/** `splitMessage` as it splits every text: line by line (the reference for the one-message case). */
function splitByLines(html: string, limit: number): string[] {
  const parts: string[] = [];
  let current = '';
  for (const line of html.split('\n')) {
    if (current && current.length + 1 + line.length > limit) {
      parts.push(current);
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current.trim()) parts.push(current);
  return parts.length > 0 ? parts : [''];
}

describe('splitMessage of a text that fits in one message', () => {
  test('equals the line-by-line split, for texts of newlines, blanks and words', () => {
    const random = mulberry32(5);
    const pieces = ['\n', '\n\n', ' ', '\t', 'a', '<b>x</b>', '你好', '🙂', ''];
    for (let i = 0; i < 20_000; i++) {
      let html = '';
      const n = Math.floor(random() * 8);
      for (let j = 0; j < n; j++) html += pieces[Math.floor(random() * pieces.length)];
      expect(splitMessage(html)).toEqual(splitByLines(html, SPLIT_AT));
      expect(splitMessage(html, 6)).toEqual(html.length <= 6 ? splitByLines(html, 6) : splitMessage(html, 6));
    }
    for (const html of [
      '',
      '\n',
      '\n\n a',
      'a\n\n',
      ' ',
      'x'.repeat(SPLIT_AT),
      `\n${'x'.repeat(SPLIT_AT - 1)}`,
    ])
      expect(splitMessage(html)).toEqual(splitByLines(html, SPLIT_AT));
  });
});

describe('viewHtml and keyboardOf of shared question parts', () => {
  test('HTML and labels rendered once per language equal fresh ones', () => {
    const i18n = createI18n();
    const views: View[] = [viewOf(consented())];
    for (const input of generateProfiles(30, AS_OF, 3)) {
      const profile = ProfileSchema.parse(input);
      let snapshot = consented();
      for (let view = viewOf(snapshot); view.kind === 'question'; view = viewOf(snapshot)) {
        views.push(view);
        snapshot = stepConversation(snapshot, answerEvent(view.question as QuestionId, profile));
      }
      views.push(viewOf(snapshot));
    }
    expect(views.filter((v) => v.kind === 'question').length).toBeGreaterThan(100);
    for (const lang of LANGUAGES)
      for (const view of views) {
        expect(view.choices.every((c) => Object.isFrozen(c)) || view.kind !== 'question').toBe(true);
        const html = viewHtml(structuredClone(view), createRenderer(lang, i18n));
        expect(viewHtml(view, createRenderer(lang, i18n))).toBe(html);
        expect(viewHtml(view, createRenderer(lang, i18n))).toBe(html);
        const fresh = keyboardOf(structuredClone(view), 3, createRenderer(lang, i18n));
        expect(keyboardOf(view, 3, createRenderer(lang, i18n))).toEqual(fresh);
        expect(keyboardOf(view, 3, createRenderer(lang, i18n))).toEqual(fresh);
      }
  });
});

describe('viewHtml of a frozen list of blocks', () => {
  test('a list holding a block that is not frozen is rendered afresh every time', () => {
    const i18n = createI18n();
    const block = { kind: 'line' as const, text: { key: 'consent.intro' } };
    const blocks = Object.freeze([block]);
    const view: View = { kind: 'question', state: 'active.interview', lang: 'en', blocks, choices: [] };
    const first = viewHtml(view, createRenderer('en', i18n));
    block.text = { key: 'consent.data' };
    const second = viewHtml(view, createRenderer('en', i18n));
    expect(second).not.toBe(first);
    expect(second).toBe(createRenderer('en', i18n).render({ key: 'consent.data' }));
  });
});
