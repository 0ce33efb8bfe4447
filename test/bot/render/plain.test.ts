/** Plain terminal rendering of blocks: marks, numbering, indentation, no escape codes. */
import { expect, test } from 'vitest';
import { createRenderer } from '../../../bot/i18n.js';
import { renderPlain } from '../../../bot/render/plain.js';
import type { Block } from '../../../machines/view.js';

test('lays blocks out as indented plain text', () => {
  const blocks: Block[] = [
    { kind: 'title', text: { key: 'common.yes' } },
    { kind: 'heading', text: { key: 'check.heading.steps' } },
    { kind: 'item', text: { key: 'common.no' }, number: 1 },
    { kind: 'item', text: { key: 'common.no' }, mark: 'pass' },
    { kind: 'detail', text: { key: 'common.yes' }, mark: 'fail' },
    { kind: 'item', text: { key: 'common.yes' } },
    { kind: 'line', text: { key: 'common.no' }, mark: 'warn' },
  ];
  const output = renderPlain(blocks, createRenderer('en'));
  expect(output).toBe('yes\n\n■ Steps\n  1. no\n  ✓ no\n      ✗ yes\n  • yes\n! no\n');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that no ANSI escape is present
  expect(output).not.toMatch(/\u001b\[/);
});
