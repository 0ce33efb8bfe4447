/**
 * The events the consultation machine accepts. Channels turn what a person types or taps into these
 * (see `bot/interpret.ts`): commands, a tapped choice, or free text to parse as an answer.
 */
import type { QuestionId } from './questions.js';
import type { Text } from './view.js';

/** Commands available at any point of a conversation. */
export const COMMANDS = ['back', 'restart', 'summary', 'help', 'language', 'delete'] as const;
export type Command = (typeof COMMANDS)[number];

/** An event of the consultation machine. */
export type ConsultationEvent =
  /**
   * Typed text, to be parsed as the answer to the current question. `problem`: why it matched none
   * of the choices shown (an option number out of range, two options at once), if the channel knows.
   */
  | { readonly type: 'TEXT'; readonly text: string; readonly problem?: Text }
  /** A choice of the current view, by id (a button tap, or typed text that matched a label). */
  | { readonly type: 'CHOOSE'; readonly id: string }
  /** An answer already parsed: used to rebuild a conversation from its stored answers. */
  | {
      readonly type: 'ANSWER';
      readonly question: QuestionId;
      readonly value: unknown;
      readonly unknown?: boolean;
      readonly approximate?: boolean;
    }
  | { readonly type: 'COMMAND'; readonly command: Command; readonly lang?: string }
  /** The calendar day moved on: decisions are made for `asOf`. */
  | { readonly type: 'CLOCK'; readonly asOf: string };
