/**
 * Views as Telegram messages: HTML text (every user-supplied string escaped), split under Telegram's
 * message limit, and inline keyboards whose buttons carry the view's turn so that an old button
 * can be told from a current one.
 */
import { type Block, type Choice, type Runs, runsOf, type View } from '../../machines/view.js';
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
/** The table of {@link renderMemo} that holds runs of blocks (see `noteRuns`) as HTML, lines joined. */
const RUN_HTML = {};

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

/** True when `blocks` holds `run` from `start` on, block for block. */
function holds(blocks: readonly Block[], start: number, run: readonly Block[]): boolean {
  if (start + run.length > blocks.length) return false;
  for (let i = 0; i < run.length; i++) if (blocks[start + i] !== run[i]) return false;
  return true;
}

/**
 * The HTML of a frozen run of frozen blocks (lines joined), kept whole when nothing was missing.
 * Undefined when the run is not frozen all the way down (then it is rendered block by block).
 */
function runHtml(
  run: readonly Block[],
  renderer: Renderer,
  memo: RenderMemo,
  runs: RenderMemo,
): string | undefined {
  const known = runs.values.get(run);
  if (known !== undefined) return known;
  if (!Object.isFrozen(run)) return undefined;
  for (const b of run) if (!Object.isFrozen(b)) return undefined;
  const misses = runs.misses;
  let html = '';
  for (let i = 0; i < run.length; i++) {
    const line = frozenBlockHtml(run[i] as Block, renderer, memo);
    html = i === 0 ? line : `${html}\n${line}`;
  }
  if (runs.misses === misses) runs.values.set(run, html);
  return html;
}

/**
 * The whole text of a view as Telegram HTML (notice in italics, then the body). Frozen blocks (the
 * presenter shares them between decisions) are rendered once per language and i18n instance, and
 * so are the frozen runs of them a list is noted to hold (`noteRuns`).
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
  const runs = memo !== undefined ? runsOf(blocks) : undefined;
  const runMemo = runs !== undefined ? renderMemo(renderer, RUN_HTML) : undefined;
  let r = 0;
  let nextRun = runs !== undefined && runs.length > 0 ? (runs[0] as number) : -1;
  for (let i = 0; i < blocks.length; i++) {
    if (i === nextRun) {
      const run = (runs as Runs)[r + 1] as readonly Block[];
      r += 2;
      nextRun = r < (runs as Runs).length ? ((runs as Runs)[r] as number) : -1;
      const part =
        holds(blocks, i, run) && run.length > 0
          ? runHtml(run, renderer, memo as RenderMemo, runMemo as RenderMemo)
          : undefined;
      if (part !== undefined) {
        html = html === undefined ? part : `${html}\n${part}`;
        i += run.length - 1;
        continue;
      }
    }
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
