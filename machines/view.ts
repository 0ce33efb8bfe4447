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
