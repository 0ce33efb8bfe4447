/**
 * Chinese numerals in answers (`三年半`, `一九九零年五月十七日`, `第二个`), turned into Arabic digits
 * before the parsers' patterns are applied.
 */

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const NUMERAL_RUN = /[零〇一二两三四五六七八九十百千]+/g;

/**
 * The digits a run of Chinese numerals stands for, or `undefined` when the run is not a well-formed
 * number. Without a unit character the run is read digit by digit, keeping leading zeros
 * (`一九九零` → `1990`, `零六` → `06`); with units it is read by place value (`十七` → `17`,
 * `三十六` → `36`, `一百零五` → `105`), up to 9999.
 */
export function chineseNumeralToDigits(run: string): string | undefined {
  const chars = [...run];
  if (chars.length === 0) return undefined;
  if (chars.every((c) => c in DIGITS)) return chars.map((c) => String(DIGITS[c])).join('');
  let total = 0;
  let current: number | undefined;
  let lastUnit = Number.POSITIVE_INFINITY;
  for (const c of chars) {
    const digit = DIGITS[c];
    const unit = UNITS[c];
    if (digit !== undefined) {
      if (digit === 0) {
        // 零 only marks a skipped place (一百零五); it may not stand between two digits.
        if (current !== undefined) return undefined;
        continue;
      }
      if (current !== undefined) return undefined;
      current = digit;
    } else if (unit !== undefined) {
      if (unit >= lastUnit) return undefined;
      total += (current ?? 1) * unit;
      current = undefined;
      lastUnit = unit;
    } else {
      return undefined;
    }
  }
  return String(total + (current ?? 0));
}

/**
 * Replaces every run of Chinese numerals in `text` by its Arabic digits (`三年零六个月` →
 * `3年06个月`); a run that is not a well-formed number is left as it is.
 */
export function chineseNumeralsToArabic(text: string): string {
  return text.replace(NUMERAL_RUN, (run) => chineseNumeralToDigits(run) ?? run);
}
