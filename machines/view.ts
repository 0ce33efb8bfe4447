import type { Decision } from '../rules/index.js';

/**
 * Channel-neutral text: a locale key and its parameters. The machine and the presenters produce
 * these; each channel (terminal, Telegram, web) renders them with i18next in its own format.
 */

/** A value inside a text's parameters. */
export type Param =
  | string
  | number
  | boolean
  /** Another text, translated first and inserted (a route's name, a condition's sentence). */
  | { readonly t: string; readonly params?: Params }
  /** A calendar date `YYYY-MM-DD`, written the locale's way (2038年4月8日 / 8 April 2038). */
  | { readonly date: string }
  /** A list, each item rendered and joined the locale's way (、 / , ). */
  | { readonly list: readonly Param[] };

/** Named parameters of a text. */
export type Params = Readonly<Record<string, Param>>;

/** A sentence to show: the key of a sentence in `locales/` and its parameters. */
export interface Text {
  readonly key: string;
  readonly params?: Params;
}

/** Shorthand for a {@link Text}. */
export const text = (key: string, params?: Params): Text => (params ? { key, params } : { key });

/**
 * The role of a block in the layout.
 * - `title`: the first line of the whole answer.
 * - `heading`: starts a section.
 * - `line`: a paragraph of the section.
 * - `item`: an entry of a list in the section (numbered when `number` is set).
 * - `detail`: a sub-entry of the item before it.
 */
export type BlockKind = 'title' | 'heading' | 'line' | 'item' | 'detail';

/**
 * A status shown before a block's text: `pass` (met, ✓), `fail` (not met, ✗), `na` (does not apply),
 * `todo` (what to do to change it), `warn` (needs attention).
 */
export type Mark = 'pass' | 'fail' | 'na' | 'todo' | 'warn';

/** A paragraph of a view: a text, its layout, and optionally a status mark or list number. */
export interface Block {
  readonly kind: BlockKind;
  readonly text: Text;
  readonly mark?: Mark;
  /** Position in a numbered list (steps), starting at 1. */
  readonly number?: number;
}

/** A button or numbered option: what it sends (`id`) and what it says. */
export interface Choice {
  readonly id: string;
  readonly label: Text;
}

/** What a view is for; channels may style each kind differently. */
export type ViewKind = 'consent' | 'declined' | 'question' | 'result' | 'summary' | 'deleted';

/**
 * Everything a channel shows after one input: an optional one-off notice (a correction, a
 * confirmation), the body, and the choices. The same view is rendered by every channel.
 */
export interface View {
  readonly kind: ViewKind;
  /** The machine state it was derived from, e.g. `active.interview` (for debugging and tests). */
  readonly state: string;
  /** The question asked, on question views. */
  readonly question?: string;
  readonly notice?: Text;
  readonly blocks: readonly Block[];
  readonly choices: readonly Choice[];
  /** The person's language, as the conversation stores it. */
  readonly lang: string;
  /** On result views: the decision, exactly as `luohu check --json` gives it. */
  readonly decision?: Decision;
}
