/**
 * Channel-neutral blocks: what a presenter produces and a renderer (terminal, Telegram, web) lays
 * out. A block holds a {@link Text} (a locale key and its parameters), never a sentence.
 */
import type { Block, BlockKind, Text } from '../view.js';

export type { Block, BlockKind, Mark } from '../view.js';

/** Shorthand for a {@link Block}. */
export function block(kind: BlockKind, text: Text, extra: Pick<Block, 'mark' | 'number'> = {}): Block {
  return { kind, text, ...extra };
}
