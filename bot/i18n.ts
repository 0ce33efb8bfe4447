/**
 * The languages Luohu speaks, the i18next instance that holds their sentences, and the renderer that
 * turns a channel-neutral {@link Text} (`machines/view.ts`) into a sentence in one language.
 *
 * Sentences live in `locales/<lang>.json` (i18next JSON v4, default namespace). An agency may replace
 * any of them with `createI18n(overrides)`; the overrides are merged into the shipped sentences.
 */
import i18next, { type i18n } from 'i18next';
import en from '../locales/en.json' with { type: 'json' };
import zh from '../locales/zh-CN.json' with { type: 'json' };
import type { Param, Text } from '../machines/view.js';

/** The languages Luohu speaks; the first is the primary one (and the fallback). */
export const LANGUAGES = ['zh-CN', 'en'] as const;

/** A language Luohu speaks. */
export type Lang = (typeof LANGUAGES)[number];

/** The language used when none is asked for, and for any sentence missing in another language. */
export const DEFAULT_LANG: Lang = 'zh-CN';

/** True when `x` is one of {@link LANGUAGES}. */
export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && (LANGUAGES as readonly string[]).includes(x);
}

/** A tree of sentences: nested objects whose leaves are sentences (i18next JSON v4). */
export interface ResourceTree {
  readonly [key: string]: string | ResourceTree;
}

/** Sentences that replace or add to the shipped ones, per language. */
export type LocaleOverrides = { readonly [L in Lang]?: ResourceTree };

/** An initialised i18next instance holding Luohu's sentences. */
export type I18n = i18n;

/** The shipped sentences of each language, as read from `locales/`. */
export const LOCALES: Readonly<Record<Lang, ResourceTree>> = { 'zh-CN': zh, en };

function isTree(value: string | ResourceTree | undefined): value is ResourceTree {
  return typeof value === 'object' && value !== null;
}

/** Merges `extra` into `base`, key by key; a sentence in `extra` replaces the one in `base`. */
export function mergeResources(base: ResourceTree, extra: ResourceTree | undefined): ResourceTree {
  if (!extra) return base;
  const out: Record<string, string | ResourceTree> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isTree(value) && isTree(current) ? mergeResources(current, value) : value;
  }
  return out;
}

/**
 * Creates an initialised i18next instance with Luohu's sentences (initialised synchronously: it can
 * be used as soon as this returns). `overrides` replace sentences per language, e.g.
 * `createI18n({ en: { check: { disclaimer: '...' } } })`.
 */
export function createI18n(overrides: LocaleOverrides = {}): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    initAsync: false,
    lng: DEFAULT_LANG,
    fallbackLng: DEFAULT_LANG,
    supportedLngs: [...LANGUAGES],
    returnNull: false,
    interpolation: { escapeValue: false },
    resources: Object.fromEntries(
      LANGUAGES.map((lang) => [lang, { translation: mergeResources(LOCALES[lang], overrides[lang]) }]),
    ),
  });
  return instance;
}

/** Plural suffixes i18next adds to a key (CLDR categories). */
const PLURAL_SUFFIXES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

/** Answers of {@link hasSentence}, per i18n instance (resources do not change once created). */
const sentenceCache = new WeakMap<I18n, Map<string, boolean>>();

/** True when `lang` itself (not its fallback) has a sentence for `key`, in any plural form. */
export function hasSentence(i18n: I18n, lang: Lang, key: string): boolean {
  let cache = sentenceCache.get(i18n);
  if (!cache) {
    cache = new Map();
    sentenceCache.set(i18n, cache);
  }
  const cacheKey = `${lang}\u0000${key}`;
  let found = cache.get(cacheKey);
  if (found === undefined) {
    const isSentence = (k: string) => typeof i18n.getResource(lang, 'translation', k) === 'string';
    found = isSentence(key) || PLURAL_SUFFIXES.some((s) => isSentence(`${key}_${s}`));
    cache.set(cacheKey, found);
  }
  return found;
}

/** Called with each key that has no sentence in the language being rendered. */
type OnMissing = (key: string) => void;

function renderParam(param: Param, lang: Lang, i18n: I18n, onMissing: OnMissing): string | number {
  if (typeof param === 'string' || typeof param === 'number') return param;
  if (typeof param === 'boolean')
    return translate({ key: param ? 'common.yes' : 'common.no' }, lang, i18n, onMissing);
  if ('t' in param) return translate({ key: param.t, params: param.params ?? {} }, lang, i18n, onMissing);
  if ('date' in param) return formatDate(param.date, lang, i18n, onMissing);
  const separator = translate({ key: 'common.listSeparator' }, lang, i18n, onMissing);
  return param.list.map((item) => renderParam(item, lang, i18n, onMissing)).join(separator);
}

function formatDate(iso: string, lang: Lang, i18n: I18n, onMissing: OnMissing): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [, year, month, day] = match;
  return translate(
    {
      key: 'common.date',
      params: {
        year: Number(year),
        day: Number(day),
        monthName: { t: `common.months.${Number(month)}` },
      },
    },
    lang,
    i18n,
    onMissing,
  );
}

/** How many rendered sentences with parameters are remembered per i18n instance. */
export const RENDER_MEMO_SIZE = 20_000;

const renderMemo = new WeakMap<I18n, Map<string, string>>();
function memoOf(i18n: I18n): Map<string, string> {
  let memo = renderMemo.get(i18n);
  if (!memo) {
    memo = new Map();
    renderMemo.set(i18n, memo);
  }
  return memo;
}

/** Sentences without parameters, per i18n instance: they never change, and most texts are such. */
const staticCache = new WeakMap<I18n, Map<string, string>>();

function translate(text: Text, lang: Lang, i18n: I18n, onMissing: OnMissing): string {
  if (!hasSentence(i18n, lang, text.key)) onMissing(text.key);
  if (text.params === undefined) {
    let cache = staticCache.get(i18n);
    if (!cache) {
      cache = new Map();
      staticCache.set(i18n, cache);
    }
    const cacheKey = `${lang}\u0000${text.key}`;
    let sentence = cache.get(cacheKey);
    if (sentence === undefined) {
      sentence = i18n.t(text.key, { lng: lang });
      cache.set(cacheKey, sentence);
    }
    return sentence;
  }
  // Most sentences with parameters recur with the same values (route names, thresholds, dates of
  // one person): rendered ones are remembered, a bounded number per i18n instance.
  const memo = memoOf(i18n);
  const memoKey = `${lang}\u0000${text.key}\u0000${JSON.stringify(text.params)}`;
  const known = memo.get(memoKey);
  if (known !== undefined) return known;
  const values: Record<string, string | number> = {};
  for (const [name, param] of Object.entries(text.params ?? {}))
    values[name] = renderParam(param, lang, i18n, onMissing);
  const sentence = i18n.t(text.key, { ...values, lng: lang });
  if (memo.size >= RENDER_MEMO_SIZE) memo.clear();
  memo.set(memoKey, sentence);
  return sentence;
}

/**
 * Renders a {@link Text} in `lang`: parameters that are texts are translated first, dates are
 * written the language's way (2038年4月8日 / 8 April 2038), lists are joined with
 * `common.listSeparator`. A sentence missing in `lang` falls back to zh-CN.
 */
export function renderText(text: Text, lang: Lang, i18n: I18n): string {
  return translate(text, lang, i18n, () => {});
}

/** Renders texts in one language and remembers which sentences were missing. */
export interface Renderer {
  /** The language it renders in. */
  readonly lang: Lang;
  /** The i18next instance holding the sentences. */
  readonly i18n: I18n;
  /** The text as a sentence in {@link Renderer.lang}. */
  render(text: Text): string;
  /** True when {@link Renderer.lang} has a sentence for `key` (without falling back). */
  has(key: string): boolean;
  /** Keys rendered so far that had no sentence in {@link Renderer.lang}, in first-seen order. */
  readonly missing: readonly string[];
}

/** Creates a {@link Renderer} for `lang`; `i18n` defaults to a new instance with the shipped sentences. */
export function createRenderer(lang: Lang, i18n: I18n = createI18n()): Renderer {
  const missing = new Set<string>();
  const onMissing: OnMissing = (key) => {
    missing.add(key);
  };
  return {
    lang,
    i18n,
    render: (text) => translate(text, lang, i18n, onMissing),
    has: (key) => hasSentence(i18n, lang, key),
    get missing() {
      return [...missing];
    },
  };
}
