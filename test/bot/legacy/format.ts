// Frozen copy of bot/telegram/format.ts before the second round of performance work (issue 5): the
// reference the formatting equivalence test compares with. Do not change.
/**
 * Views as Telegram messages: HTML text (every user-supplied string escaped), split under Telegram's
 * message limit, and inline keyboards whose buttons carry the view's turn so that an old button
 * can be told from a current one.
 */

import { type Renderer, type RenderMemo, renderMemo } from '../../../bot/i18n.js';
import type { Block, Choice, View } from '../../../machines/view.js';
import { blockPrefix } from './plain.js';

/** Telegram's limit on a message's text, in UTF-16 code units after entity parsing. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** The budget used when splitting, below the limit to leave room for markup. */
export const SPLIT_AT = 3800;
/** Telegram's limit on callback data, in bytes. */
export const CALLBACK_DATA_LIMIT = 64;

/** Escapes text for Telegram's HTML parse mode. */
export function escapeHtml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const NEEDS_ESCAPE = /[&<>]/;

/** Wraps every line of `html` in `tag` on its own, so a message can be split between any two lines. */
function perLine(tag: 'b' | 'i', html: string): string {
  if (!html.includes('\n')) return html ? `<${tag}>${html}</${tag}>` : html;
  return html
    .split('\n')
    .map((line) => (line ? `<${tag}>${line}</${tag}>` : line))
    .join('\n');
}

function blockHtml(b: Block, renderer: Renderer): string {
  const body = escapeHtml(renderer.render(b.text));
  switch (b.kind) {
    case 'title':
      return perLine('b', body);
    case 'heading':
      return `\n${perLine('b', body)}`;
    default: {
      const indent = b.kind === 'detail' ? '    ' : '';
      return `${indent}${blockPrefix(b)}${body}`;
    }
  }
}

/** The table of {@link renderMemo} that holds blocks as HTML. */
const BLOCK_HTML = {};

/**
 * The whole text of a view as Telegram HTML (notice in italics, then the body). Frozen blocks (the
 * presenter shares them between decisions) are rendered once per language and i18n instance.
 */
export function viewHtml(view: View, renderer: Renderer): string {
  const memo = renderMemo(renderer, BLOCK_HTML);
  // A frozen list of frozen blocks (a question's prompt) is kept whole, when there is no notice.
  const whole = memo !== undefined && view.notice === undefined && Object.isFrozen(view.blocks);
  if (whole) {
    const known = memo.values.get(view.blocks);
    if (known !== undefined) return known;
  }
  const missesBefore = memo?.misses ?? 0;
  let allFrozen = true;
  let html = view.notice ? perLine('i', escapeHtml(renderer.render(view.notice))) : undefined;
  for (const b of view.blocks) {
    let line: string | undefined;
    if (memo !== undefined && Object.isFrozen(b)) {
      line = memo.values.get(b);
      if (line === undefined) {
        const misses = memo.misses;
        line = blockHtml(b, renderer);
        if (memo.misses === misses) memo.values.set(b, line);
      }
    } else {
      allFrozen = false;
      line = blockHtml(b, renderer);
    }
    html = html === undefined ? line : `${html}\n${line}`;
  }
  const out = html === undefined ? '' : html.trim();
  if (whole && allFrozen && memo.misses === missesBefore) memo.values.set(view.blocks, out);
  return out;
}

/**
 * Splits HTML text into messages under `limit` (UTF-16 code units, as Telegram counts), between
 * lines; every line's tags are closed on the line, so no message carries an unclosed tag. A single
 * longer line is cut as plain text between characters, never inside a character or an entity.
 */
export function splitMessage(html: string, limit = SPLIT_AT): string[] {
  if (html.length <= limit) {
    // One message (the common case): what the loop below makes of it, without splitting it into
    // lines: the empty lines it starts with dropped, nothing for blank text.
    let start = 0;
    while (html.charCodeAt(start) === 10) start++;
    const text = start === 0 ? html : html.slice(start);
    return [text.trim() ? text : ''];
  }
  const parts: string[] = [];
  let current = '';
  for (const line of html.split('\n')) {
    const pieces = line.length <= limit ? [line] : cutLongLine(line, limit);
    for (const piece of pieces) {
      if (current && current.length + 1 + piece.length > limit) {
        parts.push(current);
        current = piece;
      } else current = current ? `${current}\n${piece}` : piece;
    }
  }
  if (current.trim()) parts.push(current);
  return parts.length > 0 ? parts : [''];
}

/** Cuts a line longer than `limit` into plain-text pieces: whole characters and whole entities. */
function cutLongLine(line: string, limit: number): string[] {
  const tokens = line.replace(/<\/?[bi]>/g, '').match(/&(?:amp|lt|gt|quot);|[\s\S]/gu) ?? [];
  const out: string[] = [];
  let piece = '';
  for (const token of tokens) {
    if (piece.length + token.length > limit) {
      out.push(piece);
      piece = '';
    }
    piece += token;
  }
  if (piece) out.push(piece);
  return out;
}

/** An inline keyboard button. */
export interface Button {
  readonly text: string;
  readonly callback_data: string;
}

/** Writes a choice's callback data: `c:<turn>:<choice id>`. */
export function callbackData(seq: number, choiceId: string): string {
  const data = `c:${seq}:${choiceId}`;
  // A UTF-16 code unit is at most 3 bytes in UTF-8: short data needs no count.
  if (data.length * 3 > CALLBACK_DATA_LIMIT && Buffer.byteLength(data) > CALLBACK_DATA_LIMIT)
    throw new RangeError(`callback data too long: ${data}`);
  return data;
}

/** Reads callback data written by {@link callbackData}; undefined for anything else. */
export function parseCallbackData(data: string): { seq: number; choice: string } | undefined {
  const match = /^c:(\d{1,9}):(.{1,50})$/.exec(data);
  return match ? { seq: Number(match[1]), choice: match[2] as string } : undefined;
}

/** The table of {@link renderMemo} that holds the labels of frozen choices. */
const LABELS = {};

/** A frozen choice's label, rendered once per language and i18n instance. */
function labelOf(choice: Choice, renderer: Renderer, memo: RenderMemo): string {
  let label = memo.values.get(choice);
  if (label === undefined) {
    const misses = memo.misses;
    label = renderer.render(choice.label);
    if (memo.misses === misses) memo.values.set(choice, label);
  }
  return label;
}

/** The keyboard of a view: one button a row for long labels, two a row for short ones. */
export function keyboardOf(view: View, seq: number, renderer: Renderer): Button[][] {
  const memo = renderMemo(renderer, LABELS);
  const buttons = view.choices.map((c) => ({
    text: memo !== undefined && Object.isFrozen(c) ? labelOf(c, renderer, memo) : renderer.render(c.label),
    callback_data: callbackData(seq, c.id),
  }));
  const short = buttons.every((b) => b.text.length <= 12 || [...b.text].length <= 12);
  const perRow = short ? 2 : 1;
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return rows;
}
