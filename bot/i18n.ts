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
 * Instances made by {@link createI18n}: their options are known (no escaping, `{{…}}` interpolation,
 * fallback to zh-CN, no post-processing), so their sentences with parameters can be filled in from
 * compiled templates instead of through i18next's `t()` (same output: `test/bot/i18n-compiled.test.ts`).
 */
const OWN_INSTANCES = new WeakSet<I18n>();

/**
 * The i18next options `createI18n` initialises its instances with (all but the resources):
 * synchronous, zh-CN first and as the fallback, no HTML escaping (channels escape what they send).
 */
export const I18NEXT_OPTIONS = {
  initAsync: false,
  lng: DEFAULT_LANG,
  fallbackLng: DEFAULT_LANG,
  supportedLngs: [...LANGUAGES],
  returnNull: false,
  interpolation: { escapeValue: false },
} as const;

/**
 * Creates an initialised i18next instance with Luohu's sentences (initialised synchronously: it can
 * be used as soon as this returns). `overrides` replace sentences per language, e.g.
 * `createI18n({ en: { check: { disclaimer: '...' } } })`.
 */
export function createI18n(overrides: LocaleOverrides = {}): I18n {
  const instance = i18next.createInstance();
  OWN_INSTANCES.add(instance);
  void instance.init({
    ...I18NEXT_OPTIONS,
    resources: Object.fromEntries(
      LANGUAGES.map((lang) => [lang, { translation: mergeResources(LOCALES[lang], overrides[lang]) }]),
    ),
  });
  return instance;
}

/** Plural suffixes i18next adds to a key (CLDR categories). */
const PLURAL_SUFFIXES = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;

/** What is known of one sentence key in one language (resources do not change once created). */
interface Entry {
  /** The language itself (not its fallback) has a sentence for the key, in some plural form. */
  readonly has: boolean;
  /** The sentence without parameters, once rendered so. */
  sentence?: string;
  /** The compiled sentence (null: left to i18next), once rendered with parameters but no count. */
  template?: Template | null;
}

/** One language of one i18n instance, and what is known of its sentences. */
interface LangCache {
  readonly i18n: I18n;
  readonly lang: Lang;
  /** The instance is one of {@link createI18n}'s: its sentences with parameters are compiled. */
  readonly compiled: boolean;
  /** By key. */
  readonly entries: Map<string, Entry>;
  /** Compiled plural sentences, by key and count. */
  readonly plurals: Map<string, Template | null>;
  /** Rendered sentences with parameters, for instances whose sentences are not compiled. */
  readonly memo: Map<string, string>;
  /** Dates written in this language, by ISO date. */
  readonly dates: Map<string, string>;
  /** How many times a renderer found a sentence missing (see {@link renderMemo}). */
  misses: number;
  /** Channels' memories of rendered objects, by table (see {@link renderMemo}). */
  readonly memos: Map<object, RenderMemo>;
}

const langCaches = new WeakMap<I18n, Map<string, LangCache>>();

function langCache(i18n: I18n, lang: Lang): LangCache {
  let byLang = langCaches.get(i18n);
  if (!byLang) {
    byLang = new Map();
    langCaches.set(i18n, byLang);
  }
  let cache = byLang.get(lang);
  if (!cache) {
    cache = {
      i18n,
      lang,
      compiled: OWN_INSTANCES.has(i18n),
      entries: new Map(),
      plurals: new Map(),
      memo: new Map(),
      dates: new Map(),
      misses: 0,
      memos: new Map(),
    };
    byLang.set(lang, cache);
  }
  return cache;
}

function entryOf(cache: LangCache, key: string): Entry {
  let entry = cache.entries.get(key);
  if (entry === undefined) {
    const { i18n, lang } = cache;
    const isSentence = (k: string) => typeof i18n.getResource(lang, 'translation', k) === 'string';
    entry = { has: isSentence(key) || PLURAL_SUFFIXES.some((s) => isSentence(`${key}_${s}`)) };
    cache.entries.set(key, entry);
  }
  return entry;
}

/** True when `lang` itself (not its fallback) has a sentence for `key`, in any plural form. */
export function hasSentence(i18n: I18n, lang: Lang, key: string): boolean {
  return entryOf(langCache(i18n, lang), key).has;
}

/** Called with each key that has no sentence in the language being rendered. */
type OnMissing = (key: string) => void;

function renderParam(param: Param, cache: LangCache, onMissing: OnMissing): string | number {
  if (typeof param === 'string' || typeof param === 'number') return param;
  if (typeof param === 'boolean') return translate(param ? YES : NO, cache, onMissing);
  if ('t' in param)
    // Without parameters, i18next is called exactly as for a text without parameters: same sentence.
    return param.params === undefined
      ? translateKey(param.t, cache, onMissing)
      : translate({ key: param.t, params: param.params }, cache, onMissing);
  if ('date' in param) return formatDate(param.date, cache, onMissing);
  const separator = translate(LIST_SEPARATOR, cache, onMissing);
  return param.list.map((item) => renderParam(item, cache, onMissing)).join(separator);
}

const YES: Text = { key: 'common.yes' };
const NO: Text = { key: 'common.no' };
const LIST_SEPARATOR: Text = { key: 'common.listSeparator' };
/** The keys of the months' names, by month number. */
const MONTH_KEYS = Array.from({ length: 13 }, (_, m) => `common.months.${m}`);

/** The value of the decimal digit at `index` of `s`, or -1 for any other character. */
function digitAt(s: string, index: number): number {
  const c = s.charCodeAt(index) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

/** `YYYY-MM-DD` (any digits) as the number `YYYYMMDD`; -1 for anything else. */
function isoParts(iso: string): number {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return -1;
  let n = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const d = digitAt(iso, i);
    if (d < 0) return -1;
    n = n * 10 + d;
  }
  return n;
}

function formatDate(iso: string, cache: LangCache, onMissing: OnMissing): string {
  const known = cache.dates.get(iso);
  if (known !== undefined) return known;
  const parts = isoParts(iso);
  if (parts < 0) return iso;
  const year = Math.floor(parts / 10_000);
  const month = Math.floor(parts / 100) % 100;
  const day = parts % 100;
  // The common case: the sentence and the month's name are there, and the sentence is compiled.
  const writer = dateWriterOf(cache);
  const monthName = writer?.months[month];
  const fast = writer !== undefined && monthName !== undefined;
  const rendered = fast ? writer.write(year, monthName, day) : writeDate(year, month, day, cache, onMissing);
  // Remembered only when nothing was missing (a missing sentence is reported every time).
  if (fast || (entryOf(cache, 'common.date').has && entryOf(cache, MONTH_KEYS[month] ?? '').has)) {
    if (cache.dates.size >= DATES_SIZE) cache.dates.clear();
    cache.dates.set(iso, rendered);
  }
  return rendered;
}

/** How many written dates are remembered per i18n instance and language. */
const DATES_SIZE = 5_000;

function writeDate(year: number, month: number, day: number, cache: LangCache, onMissing: OnMissing): string {
  return translate(
    {
      key: 'common.date',
      params: { year, day, monthName: { t: MONTH_KEYS[month] ?? `common.months.${month}` } },
    },
    cache,
    onMissing,
  );
}

/**
 * Writes dates straight from the compiled `common.date` sentence: what {@link writeDate} gives, for
 * the months whose names the language has (`months`), without building parameters.
 */
interface DateWriter {
  /** The month's name by month number; undefined where the language has none. */
  readonly months: readonly (string | undefined)[];
  write(year: number, monthName: string, day: number): string;
}

const dateWriters = new WeakMap<LangCache, DateWriter | null>();

/** The {@link DateWriter} of a language, or undefined when dates go through {@link writeDate}. */
function dateWriterOf(cache: LangCache): DateWriter | undefined {
  let writer = dateWriters.get(cache);
  if (writer === undefined) {
    writer = makeDateWriter(cache);
    dateWriters.set(cache, writer);
  }
  return writer ?? undefined;
}

function makeDateWriter(cache: LangCache): DateWriter | null {
  // Only where `translate` fills the compiled sentence in with nothing missing, and only from the
  // parameters `writeDate` gives (a sentence naming anything else goes the long way).
  if (!cache.compiled) return null;
  const entry = entryOf(cache, 'common.date');
  if (!entry.has) return null;
  if (entry.template === undefined) entry.template = templateOf(cache, 'common.date', undefined);
  const template = entry.template;
  if (template === null) return null;
  const { parts, names } = template;
  if (!names.every((n) => n === 'year' || n === 'day' || n === 'monthName' || n === 'lng')) return null;
  const lang = cache.lang;
  const months = MONTH_KEYS.map((key) =>
    entryOf(cache, key).has ? translateKey(key, cache, () => {}) : undefined,
  );
  return {
    months,
    write(year, monthName, day) {
      let out = parts[0] as string;
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        out +=
          name === 'year'
            ? String(year)
            : name === 'day'
              ? String(day)
              : name === 'monthName'
                ? monthName
                : lang;
        out += parts[i + 1] as string;
      }
      return out;
    },
  };
}

/** How many rendered sentences with parameters are remembered per i18n instance and language. */
export const RENDER_MEMO_SIZE = 20_000;

/**
 * A sentence split at its `{{name}}` placeholders: `parts[0] names[0] parts[1] … parts[n]`. Built
 * from the sentence i18next resolves (language, fallback, plural form), with i18next's own
 * placeholder pattern; sentences that use more than plain placeholders (nesting `$t(`, unescaped
 * `{{- }}`, formats `{{x, f}}`, deep names `{{a.b}}`) are not compiled and go through i18next.
 */
interface Template {
  readonly parts: readonly string[];
  readonly names: readonly string[];
}

/** i18next's placeholder pattern for the default `{{` `}}` delimiters. */
const PLACEHOLDER = /{{(.+?)}}/g;

function compile(sentence: string): Template | null {
  if (sentence.includes('$t(') || sentence.includes('{{-')) return null;
  const parts: string[] = [];
  const names: string[] = [];
  let last = 0;
  for (const match of sentence.matchAll(PLACEHOLDER)) {
    const name = (match[1] as string).trim();
    if (name.includes(',') || name.includes('.') || name in Object.prototype) return null;
    parts.push(sentence.slice(last, match.index));
    names.push(name);
    last = match.index + match[0].length;
  }
  parts.push(sentence.slice(last));
  return { parts, names };
}

/**
 * Parameter names that are options of i18next's `t()` (they change what it resolves): a text with
 * one of them is left to i18next.
 */
const T_OPTIONS = new Set([
  'context',
  'ordinal',
  'defaultValue',
  'ns',
  'lng',
  'lngs',
  'fallbackLng',
  'replace',
  'returnObjects',
  'returnDetails',
  'joinArrays',
  'postProcess',
  'interpolation',
  'skipInterpolation',
  'nest',
  'keySeparator',
  'nsSeparator',
  'appendNamespaceToCIMode',
  'missingKeyNoValueFallbackToKey',
  'tDescription',
]);

/** How many compiled plural sentences (one per key and count) are kept per instance and language. */
const PLURALS_SIZE = 10_000;

/** The sentence i18next would interpolate for `key` (same key resolution, fallback and plural form). */
function templateOf(cache: LangCache, key: string, count: number | undefined): Template | null {
  const { i18n, lang } = cache;
  const sentence = i18n.t(
    key,
    count === undefined
      ? { lng: lang, skipInterpolation: true }
      : { lng: lang, count, skipInterpolation: true },
  );
  return typeof sentence === 'string' ? compile(sentence) : null;
}

/**
 * The sentence for `key` with `values` filled in, exactly as `i18n.t(key, { ...values, lng })`
 * gives it: from a compiled template when it can be, else through i18next.
 */
function fill(cache: LangCache, entry: Entry, key: string, values: Record<string, string | number>): string {
  const count = values.count;
  let template: Template | null | undefined;
  if (count !== undefined && typeof count !== 'string') {
    const pluralKey = `${key}\u0000${count}`;
    template = cache.plurals.get(pluralKey);
    if (template === undefined) {
      template = templateOf(cache, key, count);
      if (cache.plurals.size >= PLURALS_SIZE) cache.plurals.clear();
      cache.plurals.set(pluralKey, template);
    }
  } else {
    template = entry.template;
    if (template === undefined) {
      template = templateOf(cache, key, undefined);
      entry.template = template;
    }
  }
  const lang = cache.lang;
  if (template !== null) {
    const { parts, names } = template;
    let out = parts[0] as string;
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      if (name === 'lng') out += lang;
      else if (Object.hasOwn(values, name)) out += String(values[name]);
      // A placeholder without a value: i18next leaves it, or empties it; let it decide.
      else return cache.i18n.t(key, { ...values, lng: lang });
      out += parts[i + 1] as string;
    }
    return out;
  }
  return cache.i18n.t(key, { ...values, lng: lang });
}

/** The sentence of `key` without parameters. */
function translateKey(key: string, cache: LangCache, onMissing: OnMissing): string {
  const entry = entryOf(cache, key);
  if (!entry.has) onMissing(key);
  let sentence = entry.sentence;
  if (sentence === undefined) {
    sentence = cache.i18n.t(key, { lng: cache.lang });
    entry.sentence = sentence;
  }
  return sentence;
}

function translate(text: Text, cache: LangCache, onMissing: OnMissing): string {
  const key = text.key;
  const params = text.params;
  if (params === undefined) return translateKey(key, cache, onMissing);
  const entry = entryOf(cache, key);
  if (!entry.has) onMissing(key);
  if (cache.compiled) {
    // Compiled sentences are filled in directly: cheaper than remembering them.
    const values: Record<string, string | number> = {};
    let plain = true;
    for (const name in params) {
      if (!Object.hasOwn(params, name)) continue;
      if (T_OPTIONS.has(name) || name.startsWith('defaultValue')) plain = false;
      values[name] = renderParam(params[name] as Param, cache, onMissing);
    }
    return plain ? fill(cache, entry, key, values) : cache.i18n.t(key, { ...values, lng: cache.lang });
  }
  // Other instances: most sentences with parameters recur with the same values (route names,
  // thresholds, dates of one person): rendered ones are remembered, a bounded number.
  const memo = cache.memo;
  const memoKey = `${key}\u0000${JSON.stringify(params)}`;
  const known = memo.get(memoKey);
  if (known !== undefined) return known;
  const values: Record<string, string | number> = {};
  for (const [name, param] of Object.entries(params)) values[name] = renderParam(param, cache, onMissing);
  const sentence = cache.i18n.t(key, { ...values, lng: cache.lang });
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
  return translate(text, langCache(i18n, lang), () => {});
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

/** The language cache of a renderer made by {@link createRenderer} (not part of its shape). */
const CACHE = Symbol('cache');

/** Creates a {@link Renderer} for `lang`; `i18n` defaults to a new instance with the shipped sentences. */
export function createRenderer(lang: Lang, i18n: I18n = createI18n()): Renderer {
  let missing: Set<string> | undefined;
  const cache = langCache(i18n, lang);
  const onMissing: OnMissing = (key) => {
    cache.misses++;
    if (missing === undefined) missing = new Set();
    missing.add(key);
  };
  return {
    lang,
    i18n,
    render: (text) => translate(text, cache, onMissing),
    has: (key) => entryOf(cache, key).has,
    get missing() {
      return missing === undefined ? [] : [...missing];
    },
    [CACHE]: cache,
  } as Renderer;
}

/**
 * A channel's memory of what it rendered of frozen objects (e.g. a presented block as HTML) in one
 * language of one i18n instance: sentences do not change once created, and frozen objects do not
 * change at all, so a rendering can be kept as long as the object lives.
 */
export interface RenderMemo {
  /** Renderings by object (weakly held). */
  readonly values: WeakMap<object, string>;
  /**
   * How many sentences renderers of this language have found missing so far. Keep a rendering only
   * when this did not grow while it was made: a missing sentence must be reported every time.
   */
  readonly misses: number;
}

/**
 * The {@link RenderMemo} of `table` (any object a channel owns, one per kind of rendering) for the
 * language and i18n instance of `renderer`; undefined for a renderer not made by {@link createRenderer}.
 */
export function renderMemo(renderer: Renderer, table: object): RenderMemo | undefined {
  const cache = (renderer as Renderer & { [CACHE]?: LangCache })[CACHE];
  if (cache === undefined) return undefined;
  let memo = cache.memos.get(table);
  if (memo === undefined) {
    const values = new WeakMap<object, string>();
    memo = {
      values,
      get misses() {
        return cache.misses;
      },
    };
    cache.memos.set(table, memo);
  }
  return memo;
}
