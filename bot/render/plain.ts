/**
 * Plain terminal text for presented blocks: one block a line, sections separated by a blank line,
 * items and details indented, status marks as plain symbols (no colours, no escape codes).
 */

import type { Block, Mark } from '../../machines/view.js';
import type { Renderer } from '../i18n.js';

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

function renderBlock(b: Block, renderer: Renderer): string {
  const body = renderer.render(b.text);
  switch (b.kind) {
    case 'title':
      return body;
    case 'heading':
      return `\n■ ${body}`;
    default: {
      const prefix =
        b.number !== undefined
          ? `${b.number}. `
          : b.mark
            ? `${PLAIN_MARKS[b.mark]} `
            : b.kind === 'item'
              ? '• '
              : '';
      return `${INDENT[b.kind]}${prefix}${body}`;
    }
  }
}

/** Renders blocks as plain text for a terminal, ending with a newline. */
export function renderPlain(blocks: readonly Block[], renderer: Renderer): string {
  return `${blocks.map((b) => renderBlock(b, renderer)).join('\n')}\n`;
}
