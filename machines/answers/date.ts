/**
 * The birth-date answer: a date in any common Chinese or English spelling, or simply an age.
 */
import {
  addDays,
  ageOn,
  compareDates,
  type DateParts,
  daysInMonth,
  formatIsoDate,
  type IsoDate,
  isRealDate,
  parseIsoDate,
} from '../../rules/dates.js';
import { ok } from '../../rules/result.js';
import { MAX_AGE_YEARS } from '../../rules/validate.js';
import { type AnswerResult, emptyOrUnknown, known, type ParseOptions, problem } from './answer.js';
import { normalise, stripTrailingPunctuation } from './normalise.js';
import { chineseNumeralsToArabic } from './numerals.js';

/** The youngest age accepted (a working-age check): younger is `answer.date.too-young`. */
export const MIN_AGE = 16;
/** The oldest age accepted, as in the contract (100 years before the decision date): older is `answer.date.too-old`. */
export const MAX_AGE = MAX_AGE_YEARS;

/**
 * A birth-date answer: the date itself (`YYYY-MM-DD`), or only the age in full years (周岁), in which
 * case every deadline derived from it is approximate (see {@link birthDateRange}).
 */
export type BirthAnswer =
  | { readonly kind: 'date'; readonly date: IsoDate }
  | { readonly kind: 'age'; readonly age: number };

/** Options of {@link parseDate}. */
export interface DateParseOptions extends ParseOptions {
  /** The decision date `YYYY-MM-DD`: birth dates after it are in the future, ages are counted on it. */
  readonly asOf: IsoDate;
}

const MONTHS: Readonly<Record<string, number>> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

const LEADING =
  /^(?:my (?:date of )?birth ?(?:day|date) is|i was born (?:on|in)|i was born|date of birth|birth ?(?:day|date)|dob|born (?:on|in)|born|我的(?:生日|出生日期)是?|出生日期是?|生日是?|出生于|出生在|生于|我是|我)\s*:?\s*/;
const TRAILING = /\s*(?:出生的?|生的?|的)$/;

const AGE =
  /^(?:今年|现在|年龄|已经|age|aged|i'm|im|i am)?\s*:?\s*(\d{1,3})\s*(?:周岁|岁|years?\s*old|years?|yrs?\s*old|yrs?|y\.?o\.?)?\s*(?:了|左右)?$/;
const YMD = /^(\d{4})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{1,2})$/;
const YMD_CHINESE = /^(\d{4}|\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?$/;
const YMD_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const DMY_ENGLISH = /^(\d{1,2})(?:st|nd|rd|th)?[\s,./-]*(?:of\s+)?([a-z]+)\.?[\s,./-]*(\d{4})$/;
const MDY_ENGLISH = /^([a-z]+)\.?[\s,./-]*(\d{1,2})(?:st|nd|rd|th)?[\s,./-]*(\d{4})$/;
const DAY_FIRST = /^(\d{1,2})\s*[-/.\s]\s*(\d{1,2})\s*[-/.\s]\s*(\d{4})$/;
/** Dates missing their day or their year. */
const INCOMPLETE: readonly RegExp[] = [
  /^\d{4}$/,
  /^(?:\d{4}|\d{2})\s*年$/,
  /^(?:\d{4}|\d{2})\s*年\s*\d{1,2}\s*月?$/,
  /^\d{4}\s*[-/.\s]\s*\d{1,2}$/,
  /^\d{1,2}\s*[-/.]\s*\d{4}$/,
  /^\d{1,2}\s*月\s*\d{1,2}\s*[日号號]?$/,
];
const INCOMPLETE_ENGLISH: readonly RegExp[] = [
  /^([a-z]+)\.?[\s,]*\d{4}$/,
  /^\d{4}[\s,]*([a-z]+)$/,
  /^([a-z]+)\.?\s*\d{1,2}(?:st|nd|rd|th)?$/,
  /^\d{1,2}(?:st|nd|rd|th)?\s*(?:of\s+)?([a-z]+)$/,
];

/**
 * Parses a birth-date answer on the decision date `options.asOf`.
 *
 * Accepted dates: `1990-05-17`, `1990/5/17`, `1990.5.17`, `1990 5 17`, `1990年5月17日` (or `号`,
 * or in Chinese numerals, or with a two-digit year `90年5月17日`), `19900517`, `17 May 1990`,
 * `May 17, 1990`; accepted ages: `33`, `33岁`, `33周岁`, `33 years (old)`, `age 33`, `三十三岁`.
 * Day-first numeric dates (`17/05/1990`) are refused with a hint to write the year first.
 *
 * Errors: `answer.date.bad-month` {month}, `answer.date.no-such-day` {year, month, day, max},
 * `answer.date.future` {date}, `answer.date.too-old` {max, age}, `answer.date.too-young` {min, age},
 * `answer.date.year-first` {guess}, `answer.date.year-first-ambiguous` {dayFirst, monthFirst},
 * `answer.date.incomplete`, `answer.date.unrecognised`, plus `answer.empty` and
 * `answer.unknown.not-allowed`.
 *
 * @throws RangeError when `options.asOf` is not a real `YYYY-MM-DD` date (a programming error).
 */
export function parseDate(answer: string, options: DateParseOptions): AnswerResult<BirthAnswer> {
  const asOf = parseIsoDate(options.asOf);
  if (!asOf) throw new RangeError(`asOf must be a real YYYY-MM-DD date, got ${options.asOf}`);
  const normalised = normalise(answer);
  const early = emptyOrUnknown(normalised, options);
  if (early) return early;
  const s = chineseNumeralsToArabic(stripFillers(normalised));

  const age = AGE.exec(s);
  if (age) return checkAge(Number(age[1]));
  const parts = readDate(s, asOf);
  if (parts) return checkDate(parts, asOf);
  const dayFirst = DAY_FIRST.exec(s);
  if (dayFirst) return yearFirstHint(Number(dayFirst[1]), Number(dayFirst[2]), Number(dayFirst[3]));
  if (isIncomplete(s)) return problem('answer.date.incomplete');
  return problem('answer.date.unrecognised');
}

/**
 * The birth dates compatible with being `age` full years old on `asOf`: from `earliest` to `latest`
 * inclusive (a span of one year). Use `earliest` for a cautious deadline, since the person may be
 * about to turn `age + 1`.
 *
 * @throws RangeError when `asOf` is not a real `YYYY-MM-DD` date.
 */
export function birthDateRange(
  age: number,
  asOf: IsoDate,
): { readonly earliest: IsoDate; readonly latest: IsoDate } {
  const on = parseIsoDate(asOf);
  if (!on) throw new RangeError(`asOf must be a real YYYY-MM-DD date, got ${asOf}`);
  return {
    earliest: formatIsoDate(addDays(latestBirthForAge(age + 1, on), 1)),
    latest: formatIsoDate(latestBirthForAge(age, on)),
  };
}

/** The last birth date at which someone is at least `age` on `on`. */
function latestBirthForAge(age: number, on: DateParts): DateParts {
  const year = on.year - age;
  let birth: DateParts = { year, month: on.month, day: Math.min(on.day, daysInMonth(year, on.month)) };
  while (ageOn(addDays(birth, 1), on) >= age) birth = addDays(birth, 1);
  while (ageOn(birth, on) < age) birth = addDays(birth, -1);
  return birth;
}

function stripFillers(normalised: string): string {
  const withoutLead = stripTrailingPunctuation(normalised).replace(LEADING, '');
  return stripTrailingPunctuation(withoutLead.replace(TRAILING, '')).trim();
}

/** The year, month and day written in `s` (not yet checked), or `undefined` when it is no full date. */
function readDate(s: string, asOf: DateParts): DateParts | undefined {
  const numeric = YMD.exec(s) ?? YMD_COMPACT.exec(s);
  if (numeric) return { year: Number(numeric[1]), month: Number(numeric[2]), day: Number(numeric[3]) };
  const chinese = YMD_CHINESE.exec(s);
  if (chinese) {
    const written = chinese[1] ?? '';
    const year = written.length === 2 ? fullYear(Number(written), asOf) : Number(written);
    return { year, month: Number(chinese[2]), day: Number(chinese[3]) };
  }
  const dmy = DMY_ENGLISH.exec(s);
  const dmyMonth = dmy ? MONTHS[dmy[2] ?? ''] : undefined;
  if (dmy && dmyMonth) return { year: Number(dmy[3]), month: dmyMonth, day: Number(dmy[1]) };
  const mdy = MDY_ENGLISH.exec(s);
  const mdyMonth = mdy ? MONTHS[mdy[1] ?? ''] : undefined;
  if (mdy && mdyMonth) return { year: Number(mdy[3]), month: mdyMonth, day: Number(mdy[2]) };
  return undefined;
}

/** A two-digit year (`90年`) in the latest century that does not put it after `asOf`. */
function fullYear(twoDigits: number, asOf: DateParts): number {
  const century = Math.floor(asOf.year / 100) * 100;
  return century + twoDigits <= asOf.year ? century + twoDigits : century - 100 + twoDigits;
}

function checkDate(parts: DateParts, asOf: DateParts): AnswerResult<BirthAnswer> {
  const { year, month, day } = parts;
  if (month < 1 || month > 12) return problem('answer.date.bad-month', { month });
  const max = daysInMonth(year, month);
  if (day < 1 || day > max) return problem('answer.date.no-such-day', { year, month, day, max });
  const date = formatIsoDate(parts);
  if (compareDates(parts, asOf) > 0) return problem('answer.date.future', { date: { date } });
  const age = ageOn(parts, asOf);
  if (age > MAX_AGE) return problem('answer.date.too-old', { max: MAX_AGE, age });
  if (age < MIN_AGE) return problem('answer.date.too-young', { min: MIN_AGE, age });
  return ok(known({ kind: 'date', date }));
}

function checkAge(age: number): AnswerResult<BirthAnswer> {
  if (age > MAX_AGE) return problem('answer.date.too-old', { max: MAX_AGE, age });
  if (age < MIN_AGE) return problem('answer.date.too-young', { min: MIN_AGE, age });
  return ok(known({ kind: 'age', age }));
}

/** The hint for a day-first date `a/b/year`: the real reading(s) of it, written year first. */
function yearFirstHint(a: number, b: number, year: number): AnswerResult<BirthAnswer> {
  const dayFirst = { year, month: b, day: a };
  const monthFirst = { year, month: a, day: b };
  const readings = [dayFirst, monthFirst].filter(isRealDate).map(formatIsoDate);
  const [first, second] = [...new Set(readings)];
  if (first === undefined) return problem('answer.date.unrecognised');
  if (second === undefined) return problem('answer.date.year-first', { guess: first });
  return problem('answer.date.year-first-ambiguous', { dayFirst: first, monthFirst: second });
}

function isIncomplete(s: string): boolean {
  if (INCOMPLETE.some((pattern) => pattern.test(s))) return true;
  return INCOMPLETE_ENGLISH.some((pattern) => {
    const word = pattern.exec(s)?.[1];
    return word !== undefined && MONTHS[word] !== undefined;
  });
}
