// Frozen copy of machines/present/block.ts before the second round of performance work (issue 5): the
// reference the presenter's equivalence test compares with. Do not change.
/**
 * Channel-neutral blocks: what a presenter produces and a renderer (terminal, Telegram, web) lays
 * out. A block holds a {@link Text} (a locale key and its parameters), never a sentence.
 */
import type { Block, BlockKind, Text } from '../../../../machines/view.js';

export type { Block, BlockKind, Mark } from '../../../../machines/view.js';

/** Shorthand for a {@link Block}. */
export function block(kind: BlockKind, text: Text, extra?: Pick<Block, 'mark' | 'number'>): Block {
  // Literals for the common cases (one shape each); the same keys as `{ kind, text, ...extra }`.
  if (extra === undefined) return { kind, text };
  const keys = Object.keys(extra);
  if (keys.length === 0) return { kind, text };
  if (keys.length === 1 && keys[0] === 'mark') return { kind, text, mark: extra.mark };
  return { kind, text, ...extra };
}
