// Frozen copy of bot/render/plain.ts (blockPrefix) for the legacy format.ts. Do not change.
/**
 * Plain terminal text for presented blocks: one block a line, sections separated by a blank line,
 * items and details indented, status marks as plain symbols (no colours, no escape codes).
 */

import type { Renderer } from '../../../bot/i18n.js';
import type { Block, Mark } from '../../../machines/view.js';

/** The symbol shown for each mark. */
export const PLAIN_MARKS: Readonly<Record<Mark, string>> = {
  pass: '✓',
  fail: '✗',
  na: '–',
  todo: '→',
  warn: '!',
};

/** Indentation of each block kind. */
const INDENT = { title: '', heading: '', line: '', item: '  ', detail: '      ' } as const;

/** What stands before a block's text: its number, its mark, or a bullet for list items. */
export function blockPrefix(b: Block): string {
  if (b.number !== undefined) return `${b.number}. `;
  if (b.mark) return `${PLAIN_MARKS[b.mark]} `;
  return b.kind === 'item' ? '• ' : '';
}

function renderBlock(b: Block, renderer: Renderer): string {
  const body = renderer.render(b.text);
  switch (b.kind) {
    case 'title':
      return body;
    case 'heading':
      return `\n■ ${body}`;
    default: {
      return `${INDENT[b.kind]}${blockPrefix(b)}${body}`;
    }
  }
}

/** Renders blocks as plain text for a terminal, ending with a newline. */
export function renderPlain(blocks: readonly Block[], renderer: Renderer): string {
  return `${blocks.map((b) => renderBlock(b, renderer)).join('\n')}\n`;
}
