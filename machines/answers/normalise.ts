/**
 * The shared normaliser of typed answers: whatever the keyboard (full-width digits from a Chinese
 * IME, curly quotes from a phone), every parser sees the same plain, lower-case text.
 */

/** Characters that NFKC leaves alone but that people type for their ASCII look-alikes. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '。': '.',
  '、': ',',
  '‘': "'",
  '’': "'",
  '“': '"',
  '”': '"',
  '–': '-',
  '—': '-',
  '−': '-',
  '〜': '~',
};
const LOOK_ALIKE = /[。、‘’“”–—−〜]/g;
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/**
 * Normalises a typed answer: full-width digits, letters and punctuation to half-width (NFKC, so
 * `１９９０／５／１７` becomes `1990/5/17`), `。` to `.`, `、` to `,`, curly quotes to straight ones, dashes and `−` to `-`,
 * invisible characters removed, runs of white space collapsed to one space, trimmed, lower-cased.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(LOOK_ALIKE, (c) => LOOK_ALIKES[c] ?? c)
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * A comparison key: {@link normalise}d, then without any white space, punctuation or symbol, so that
 * `Master's degree`, `masters degree` and `（硕士）` compare by their letters only.
 */
export function compactKey(text: string): string {
  return normalise(text).replace(/[\s\p{P}\p{S}]/gu, '');
}

/** Removes trailing punctuation, symbols and spaces (`是的！` → `是的`, `no...` → `no`). */
export function stripTrailingPunctuation(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]+$/u, '');
}
