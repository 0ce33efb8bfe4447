/**
 * Views as Telegram messages: HTML text (every user-supplied string escaped), split under Telegram's
 * message limit, and inline keyboards whose buttons carry the view's turn so that an old button
 * can be told from a current one.
 */
import type { Block, Choice, View } from '../../machines/view.js';
import { type Renderer, type RenderMemo, renderMemo } from '../i18n.js';
import { blockPrefix } from '../render/plain.js';

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

/** The table of {@link renderMemo} that holds blocks, and frozen lists of blocks, as HTML. */
const BLOCK_HTML = {};

/** The HTML of a block, kept when the block is frozen (and nothing was missing). */
function frozenBlockHtml(b: Block, renderer: Renderer, memo: RenderMemo): string {
  let line = memo.values.get(b);
  if (line === undefined) {
    const misses = memo.misses;
    line = blockHtml(b, renderer);
    if (memo.misses === misses) memo.values.set(b, line);
  }
  return line;
}

/**
 * The whole text of a view as Telegram HTML (notice in italics, then the body). Frozen blocks (the
 * presenter shares them between decisions) are rendered once per language and i18n instance.
 */
export function viewHtml(view: View, renderer: Renderer): string {
  const memo = renderMemo(renderer, BLOCK_HTML);
  const blocks = view.blocks;
  // A frozen list of frozen blocks (a question's prompt) is kept whole, when there is no notice.
  const whole = memo !== undefined && view.notice === undefined && Object.isFrozen(blocks);
  if (whole) {
    const known = memo.values.get(blocks);
    if (known !== undefined) return known;
  }
  const missesBefore = memo?.misses ?? 0;
  let allFrozen = true;
  let html = view.notice ? perLine('i', escapeHtml(renderer.render(view.notice))) : undefined;
  // An index loop: the list may be frozen, and iterating a frozen list allocates.
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as Block;
    let line: string;
    if (memo !== undefined && Object.isFrozen(b)) line = frozenBlockHtml(b, renderer, memo);
    else {
      allFrozen = false;
      line = blockHtml(b, renderer);
    }
    html = html === undefined ? line : `${html}\n${line}`;
  }
  const out = html === undefined ? '' : html.trim();
  if (whole && allFrozen && memo.misses === missesBefore) memo.values.set(blocks, out);
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
  // Messages of whole lines are pieces of the text itself: found by position, cut once each. What
  // the line by line split below gives (a message is the lines that fit, an empty one is dropped).
  const parts: string[] = [];
  let from = 0;
  let to = 0;
  let at = 0;
  for (;;) {
    const end = html.indexOf('\n', at);
    const lineEnd = end < 0 ? html.length : end;
    if (lineEnd - at > limit) return splitByLines(html, limit);
    const length = to - from;
    if (length > 0 && length + 1 + (lineEnd - at) > limit) {
      parts.push(html.slice(from, to));
      from = at;
    } else if (length === 0) from = at;
    to = lineEnd;
    if (end < 0) break;
    at = end + 1;
  }
  const last = html.slice(from, to);
  if (last.trim()) parts.push(last);
  return parts.length > 0 ? parts : [''];
}

/** {@link splitMessage} line by line, for a text with a line longer than `limit`. */
function splitByLines(html: string, limit: number): string[] {
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

/** How many characters (code points, as the string iterator counts them) `text` has. */
function codePoints(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}

/**
 * The labels and data of the keyboard being made, from index 0 (`keyboardOf` is not re-entered while
 * it runs; the lists are not emptied, which would drop their storage).
 */
const LABEL_SCRATCH: string[] = [];
const DATA_SCRATCH: string[] = [];

/** The keyboard of a view: one button a row for long labels, two a row for short ones. */
export function keyboardOf(view: View, seq: number, renderer: Renderer): Button[][] {
  const memo = renderMemo(renderer, LABELS);
  const choices = view.choices;
  const labels = LABEL_SCRATCH;
  const data = DATA_SCRATCH;
  const count = choices.length;
  let short = true;
  // Index loops: the choices are frozen, and iterating a frozen list allocates.
  for (let i = 0; i < count; i++) {
    const c = choices[i] as Choice;
    const text =
      memo !== undefined && Object.isFrozen(c) ? labelOf(c, renderer, memo) : renderer.render(c.label);
    labels[i] = text;
    data[i] = callbackData(seq, c.id);
    if (short && text.length > 12 && codePoints(text) > 12) short = false;
  }
  const rows: Button[][] = [];
  const button = (i: number): Button => ({ text: labels[i] as string, callback_data: data[i] as string });
  for (let i = 0; i < count; i += short ? 2 : 1)
    rows.push(short && i + 1 < count ? [button(i), button(i + 1)] : [button(i)]);
  return rows;
}
