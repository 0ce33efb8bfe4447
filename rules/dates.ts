/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`), in whole days and full years (周岁).
 *
 * Dates are plain strings at every boundary of the project; inside, they are converted to a day
 * number (days since 1970-01-01, UTC) so that comparisons and differences are integer operations.
 * No time zone enters here except in {@link todayIn}.
 */

/** A calendar date written `YYYY-MM-DD`. */
export type IsoDate = string;

/** A calendar date split into its parts; `month` is 1-12. */
export interface DateParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when the parts name a day that exists (no 30 February, no month 13). */
export function isRealDate(parts: DateParts): boolean {
  const { year, month, day } = parts;
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** True when the character at `index` is an ASCII digit (what `\d` matches). */
const digitAt = (text: string, index: number): boolean => {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
};

/** Splits a `YYYY-MM-DD` string; `undefined` when it is not in that exact shape. */
export function splitIsoDate(text: string): DateParts | undefined {
  if (typeof text !== 'string') {
    // Not reachable from typed code; keeps the regular expression's coercion for anything else.
    const match = ISO_DATE.exec(text);
    return match ? { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) } : undefined;
  }
  // The shape of ISO_DATE, checked character by character (no match object, no substrings).
  if (
    text.length !== 10 ||
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    !digitAt(text, 0) ||
    !digitAt(text, 1) ||
    !digitAt(text, 2) ||
    !digitAt(text, 3) ||
    !digitAt(text, 5) ||
    !digitAt(text, 6) ||
    !digitAt(text, 8) ||
    !digitAt(text, 9)
  )
    return undefined;
  const d = (index: number) => text.charCodeAt(index) - 48;
  return {
    year: d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3),
    month: d(5) * 10 + d(6),
    day: d(8) * 10 + d(9),
  };
}

/** Parses a `YYYY-MM-DD` string that names a real day; `undefined` otherwise. */
export function parseIsoDate(text: string): DateParts | undefined {
  const parts = splitIsoDate(text);
  return parts && isRealDate(parts) ? parts : undefined;
}

/** Writes parts as `YYYY-MM-DD`. */
export function formatIsoDate(parts: DateParts): IsoDate {
  const { year, month, day } = parts;
  const y = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return `${y}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/**
 * Day number of a date: days since 1970-01-01 (proleptic Gregorian calendar).
 * Integer arithmetic after Howard Hinnant's `days_from_civil`, so no Date object is made.
 */
export function toDayNumber(parts: DateParts): number {
  const y = parts.month <= 2 ? parts.year - 1 : parts.year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (parts.month + (parts.month > 2 ? -3 : 9)) + 2) / 5) + parts.day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** The date of a day number (Howard Hinnant's `civil_from_days`). */
export function fromDayNumber(dayNumber: number): DateParts {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** `date` moved by `days` (negative to go back). */
export function addDays(date: DateParts, days: number): DateParts {
  return fromDayNumber(toDayNumber(date) + days);
}

/** `date` moved by whole calendar months, the day clamped to the month's length (31 Jan + 1 = 28/29 Feb). */
export function addMonths(date: DateParts, months: number): DateParts {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, day: Math.min(date.day, daysInMonth(year, month)) };
}

/** Days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: DateParts, to: DateParts): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** -1, 0 or 1 as `a` is before, on or after `b`. */
export function compareDates(a: DateParts, b: DateParts): number {
  return Math.sign(toDayNumber(a) - toDayNumber(b));
}

/**
 * The day someone born on `birth` reaches `years` full years of age (周岁).
 * A 29 February birthday falls on 1 March in common years.
 */
export function anniversary(birth: DateParts, years: number): DateParts {
  const year = birth.year + years;
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) return { year, month: 3, day: 1 };
  return { year, month: birth.month, day: birth.day };
}

/** Full years of age (周岁) on `on`: the number of birthdays reached so far. */
export function ageOn(birth: DateParts, on: DateParts): number {
  const years = on.year - birth.year;
  return compareDates(anniversary(birth, years), on) > 0 ? years - 1 : years;
}

/** Per time zone: its formatter, and the day of the last minute asked about. */
interface DayCache {
  readonly format: Intl.DateTimeFormat;
  /** Minutes since the epoch of the cached day, or NaN. */
  minute: number;
  today: IsoDate;
}

const dayCaches = new Map<string, DayCache>();

/** The latest instant a Date can hold, in milliseconds either side of the epoch. */
const MAX_TIME = 8.64e15;

function formatDay(format: Intl.DateTimeFormat, time: number): IsoDate {
  const parts = format.formatToParts(time);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * Today's date in an IANA time zone, e.g. `todayIn('Asia/Shanghai')`.
 *
 * **WARNING:** the decision date of the policy is a Shanghai calendar day. Never use the server's
 * local date: between 16:00 and 24:00 UTC the two differ.
 *
 * Formatting costs microseconds, and the engine asks on every turn: the day is kept per time zone
 * for the rest of the current minute, once the minute's first and last millisecond are seen to fall
 * on the same day (a zone's offset may have seconds, e.g. local mean time before 1901).
 */
export function todayIn(timeZone: string, now?: Date): IsoDate {
  const time = now === undefined ? Date.now() : now.getTime();
  let cache = dayCaches.get(timeZone);
  if (!cache) {
    // Building a formatter costs about 100 µs; one per time zone is kept.
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    cache = { format, minute: Number.NaN, today: '' };
    dayCaches.set(timeZone, cache);
  }
  const minute = Math.floor(time / 60_000);
  if (minute === cache.minute) return cache.today;
  const start = minute * 60_000;
  const end = start + 59_999;
  if (!(start >= -MAX_TIME && end <= MAX_TIME)) return formatDay(cache.format, time);
  const today = formatDay(cache.format, start);
  if (formatDay(cache.format, end) !== today) return formatDay(cache.format, time);
  cache.minute = minute;
  cache.today = today;
  return today;
}

/** The time zone in which the policy's calendar days are counted. */
export const POLICY_TIME_ZONE = 'Asia/Shanghai';
