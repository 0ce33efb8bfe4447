/**
 * The page's and the widget's own chrome (buttons, panel titles, the command menu), in zh-CN and en:
 * the `web` and `command` sentences of `locales/`, bundled in by Vite (only those two parts of the
 * files). Everything the consultation says comes rendered from the API; nothing here is advice.
 */
import { command as enCommand, web as enWeb } from '../../locales/en.json';
import { command as zhCommand, web as zhWeb } from '../../locales/zh-CN.json';
import type { Command, Lang } from './types.js';

/** The dotted paths of the sentences under a nested object, e.g. `page.tab.decision`. */
type Paths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${Paths<T[K]>}`;
}[keyof T & string];

/** A sentence of the page's chrome: a path under `web` in `locales/*.json`. */
export type ChromeKey = Paths<typeof zhWeb>;

interface Chrome {
  readonly web: unknown;
  readonly command: Readonly<Record<string, { readonly description: string }>>;
}

const DICTIONARY: Readonly<Record<Lang, Chrome>> = {
  'zh-CN': { web: zhWeb, command: zhCommand },
  en: { web: enWeb, command: enCommand },
};

/** The sentence at a dotted path (the key itself if there is none: a missing sentence shows). */
function lookup(tree: unknown, key: string): string {
  let node = tree;
  for (const part of key.split('.'))
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' ? node : key;
}

/** A chrome string in `lang`, with `{{name}}` placeholders filled. */
export function t(
  lang: Lang,
  key: ChromeKey,
  params: Readonly<Record<string, string | number>> = {},
): string {
  return lookup(DICTIONARY[lang].web, key).replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The command menu's description of a command. */
export const commandDescription = (lang: Lang, command: Command): string =>
  DICTIONARY[lang].command[command]?.description ?? command;
