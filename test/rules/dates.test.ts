/**
 * Calendar arithmetic: full years of age (周岁), the Nth birthday (29 February falls on 1 March in
 * common years), month arithmetic with clamping, and "today" as a Shanghai calendar day.
 */
import { describe, expect, test } from 'vitest';
import {
  addMonths,
  ageOn,
  anniversary,
  daysBetween,
  formatIsoDate,
  isLeapYear,
  POLICY_TIME_ZONE,
  parseIsoDate,
  todayIn,
} from '../../rules/index.js';
import { decideOne } from './support.js';

/** Parses a date the table writes, failing loudly on a typo in the table itself. */
function d(text: string) {
  const parts = parseIsoDate(text);
  if (!parts) throw new Error(`bad date in test table: ${text}`);
  return parts;
}

describe('isLeapYear', () => {
  test.each([
    [2024, true],
    [2026, false],
    [2000, true],
    [1900, false],
    [2100, false],
    [2036, true],
  ])('%i → %s', (year, leap) => {
    expect(isLeapYear(year)).toBe(leap);
  });
});

describe('parseIsoDate', () => {
  test.each([
    ['2024-02-29', '2024-02-29'],
    ['2026-02-29', undefined],
    ['1990-02-30', undefined],
    ['1990-13-01', undefined],
    ['1990-00-10', undefined],
    ['1990-04-31', undefined],
    ['1990-2-3', undefined],
    ['19900203', undefined],
    ['', undefined],
    ['1990-12-31', '1990-12-31'],
  ])('%j → %j', (text, expected) => {
    const parts = parseIsoDate(text);
    expect(parts === undefined ? undefined : formatIsoDate(parts)).toBe(expected);
  });
});

describe('ageOn: full years (周岁) on a date', () => {
  test.each([
    // birth, on, age
    ['1990-06-15', '2026-06-14', 35],
    ['1990-06-15', '2026-06-15', 36],
    ['1990-06-15', '2026-06-16', 36],
    ['1999-12-31', '2000-01-01', 0],
    ['1999-12-31', '2026-12-30', 26],
    ['1999-12-31', '2026-12-31', 27],
    ['2026-11-28', '2026-11-28', 0],
    // 29 February: the birthday is 1 March in common years, 29 February in leap years
    ['2000-02-29', '2001-02-28', 0],
    ['2000-02-29', '2001-03-01', 1],
    ['2000-02-29', '2035-02-28', 34],
    ['2000-02-29', '2035-03-01', 35],
    ['2000-02-29', '2036-02-28', 35],
    ['2000-02-29', '2036-02-29', 36],
    ['2000-02-29', '2036-03-01', 36],
    // born 1 March: never affected by the leap day
    ['2000-03-01', '2036-02-29', 35],
    ['2000-03-01', '2036-03-01', 36],
  ])('born %s, on %s → %i', (birth, on, age) => {
    expect(ageOn(d(birth), d(on))).toBe(age);
  });
});

describe('anniversary: the day the Nth birthday is reached', () => {
  test.each([
    ['1990-06-15', 35, '2025-06-15'],
    ['1990-02-28', 10, '2000-02-28'],
    ['1990-03-01', 10, '2000-03-01'],
    ['2000-02-29', 35, '2035-03-01'],
    ['2000-02-29', 36, '2036-02-29'],
    ['2000-02-29', 100, '2100-03-01'],
    ['1996-02-29', 4, '2000-02-29'],
    ['1996-02-29', 104, '2100-03-01'],
    ['1980-02-29', 45, '2025-03-01'],
    ['1984-02-29', 40, '2024-02-29'],
  ])('born %s, birthday %i → %s', (birth, years, expected) => {
    expect(formatIsoDate(anniversary(d(birth), years))).toBe(expected);
  });
});

describe('addMonths: calendar months, the day clamped to the month length', () => {
  test.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2024-01-31', 1, '2024-02-29'],
    ['2026-03-31', 1, '2026-04-30'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-11-28', 6, '2027-05-28'],
    ['2026-12-15', 1, '2027-01-15'],
    ['2026-11-28', 36, '2029-11-28'],
    ['2026-11-28', 0, '2026-11-28'],
    ['2026-01-15', -1, '2025-12-15'],
    ['2026-05-31', -3, '2026-02-28'],
    ['2024-02-29', 12, '2025-02-28'],
  ])('%s + %i months → %s', (from, months, expected) => {
    expect(formatIsoDate(addMonths(d(from), months))).toBe(expected);
  });
});

describe('daysBetween', () => {
  test.each([
    ['2026-11-28', '2026-11-28', 0],
    ['2026-11-28', '2027-02-26', 90],
    ['2026-11-28', '2027-02-27', 91],
    ['2026-11-28', '2026-11-27', -1],
    ['2024-02-28', '2024-03-01', 2],
    ['2026-02-28', '2026-03-01', 1],
  ])('%s → %s: %i days', (from, to, days) => {
    expect(daysBetween(d(from), d(to))).toBe(days);
  });
});

describe('todayIn: the calendar day in a time zone', () => {
  test('the policy time zone is Asia/Shanghai', () => {
    expect(POLICY_TIME_ZONE).toBe('Asia/Shanghai');
  });

  test.each([
    // instant (UTC), time zone, calendar day there
    ['2026-11-28T16:30:00Z', 'Asia/Shanghai', '2026-11-29'],
    ['2026-11-28T15:59:59Z', 'Asia/Shanghai', '2026-11-28'],
    ['2026-11-28T16:00:00Z', 'Asia/Shanghai', '2026-11-29'],
    ['2026-12-31T16:00:00Z', 'Asia/Shanghai', '2027-01-01'],
    ['2028-02-28T16:00:00Z', 'Asia/Shanghai', '2028-02-29'],
    ['2026-11-28T00:00:00Z', 'Asia/Shanghai', '2026-11-28'],
    ['2026-11-28T16:30:00Z', 'UTC', '2026-11-28'],
    ['2026-11-28T02:00:00Z', 'America/Los_Angeles', '2026-11-27'],
  ])('%s in %s → %s', (instant, zone, expected) => {
    expect(todayIn(zone, new Date(instant))).toBe(expected);
  });

  test.each([
    // instant (UTC), the decision date check() uses by default
    ['2026-11-28T16:30:00Z', '2026-11-29'],
    ['2026-11-28T15:30:00Z', '2026-11-28'],
    ['2026-12-31T23:00:00Z', '2027-01-01'],
  ])('check() without asOf decides for the Shanghai day: %s → %s', (instant, expected) => {
    const decision = decideOne(
      { birthDate: '1990-06-15', education: 'bachelor', educationMode: 'regular' },
      { asOf: undefined, now: new Date(instant) },
    );
    expect(decision.asOf).toBe(expected);
  });

  test('a birthday that is today in Shanghai but still tomorrow in UTC closes the route', () => {
    // 35th birthday on 2026-11-29; at 16:30 UTC on the 28th it is already the 29th in Shanghai.
    const profile = { birthDate: '1991-11-29', education: 'college', educationMode: 'regular' } as const;
    const lateUtc = decideOne(profile, { asOf: undefined, now: new Date('2026-11-28T16:30:00Z') });
    expect(lateUtc.age).toBe(35);
    expect(lateUtc.verdict).toBe('not-eligible');
    const earlyUtc = decideOne(profile, { asOf: undefined, now: new Date('2026-11-28T15:30:00Z') });
    expect(earlyUtc.age).toBe(34);
    expect(earlyUtc.route).toBe('degree-college');
  });
});
