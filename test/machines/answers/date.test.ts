import { describe, expect, it } from 'vitest';
import {
  type BirthAnswer,
  birthDateRange,
  MAX_AGE,
  MIN_AGE,
  parseDate,
} from '../../../machines/answers/index.js';
import type { Params } from '../../../machines/view.js';
import { expectError, expectUnknown, expectValue } from './support.js';

const asOf = '2026-11-28';
const date = (d: string): BirthAnswer => ({ kind: 'date', date: d });
const age = (n: number): BirthAnswer => ({ kind: 'age', age: n });

describe('parseDate: dates', () => {
  it.each([
    ['1990-05-17', '1990-05-17'],
    ['1990/5/17', '1990-05-17'],
    ['1990.5.17', '1990-05-17'],
    ['1990 5 17', '1990-05-17'],
    ['1990 - 05 - 17', '1990-05-17'],
    ['1990年5月17日', '1990-05-17'],
    ['1990年5月17号', '1990-05-17'],
    ['1990年05月17日', '1990-05-17'],
    ['1990 年 5 月 17 日', '1990-05-17'],
    ['1990年5月17', '1990-05-17'],
    ['19900517', '1990-05-17'],
    ['17 May 1990', '1990-05-17'],
    ['17th of May, 1990', '1990-05-17'],
    ['17-may-1990', '1990-05-17'],
    ['May 17, 1990', '1990-05-17'],
    ['may 17th 1990', '1990-05-17'],
    ['Sept. 3, 1985', '1985-09-03'],
    ['3 December 1985', '1985-12-03'],
    ['１９９０／５／１７', '1990-05-17'],
    ['１９９０年５月１７日', '1990-05-17'],
    ['１９９０。５。１７', '1990-05-17'],
    ['  1990-05-17  ', '1990-05-17'],
    ['一九九零年五月十七日', '1990-05-17'],
    ['一九九〇年十二月三十一日', '1990-12-31'],
    ['二〇〇〇年二月二十九日', '2000-02-29'],
    ['90年5月17日', '1990-05-17'],
    ['05年1月1日', '2005-01-01'],
    ['我是1990年5月17日出生的', '1990-05-17'],
    ['1990年5月17日生', '1990-05-17'],
    ['生日是1990.5.17', '1990-05-17'],
    ['born on 17 May 1990', '1990-05-17'],
    ['1990-05-17.', '1990-05-17'],
    ['2004-02-29', '2004-02-29'],
    ['2010-11-28', '2010-11-28'], // 16th birthday exactly on asOf
    ['1926-11-28', '1926-11-28'], // 100th birthday on asOf: still allowed
    ['1925-11-29', '1925-11-29'], // still 100 (as rules/validate.ts: the 101st birthday is the first day out)
  ])('%s → %s', (input, expected) => {
    expectValue(parseDate(input, { asOf }), date(expected));
  });

  it('accepts 29 February in a leap year (2024-02-29 on a later asOf)', () => {
    expectValue(parseDate('2024-02-29', { asOf: '2042-01-01' }), date('2024-02-29'));
  });
});

describe('parseDate: ages', () => {
  it.each([
    ['33', 33],
    ['33岁', 33],
    ['33周岁', 33],
    ['33 岁', 33],
    ['33 years', 33],
    ['33 years old', 33],
    ['33 yrs old', 33],
    ['33yo', 33],
    ['age 33', 33],
    ['Age: 33', 33],
    ["I'm 33", 33],
    ['i am 33', 33],
    ['我33岁', 33],
    ['今年33岁了', 33],
    ['三十三岁', 33],
    ['３３', 33],
    ['３３岁', 33],
    ['16', MIN_AGE],
    ['100', MAX_AGE],
    ['四十五周岁', 45],
  ])('%s → age %d', (input, expected) => {
    expectValue(parseDate(input, { asOf }), age(expected));
  });
});

describe('parseDate: errors', () => {
  const cases: [string, string, Params | undefined][] = [
    ['2023-02-29', 'answer.date.no-such-day', { year: 2023, month: 2, day: 29, max: 28 }],
    ['1990-05-32', 'answer.date.no-such-day', { year: 1990, month: 5, day: 32, max: 31 }],
    ['1990年5月32日', 'answer.date.no-such-day', { year: 1990, month: 5, day: 32, max: 31 }],
    ['1990-04-31', 'answer.date.no-such-day', { year: 1990, month: 4, day: 31, max: 30 }],
    ['1990-05-00', 'answer.date.no-such-day', { year: 1990, month: 5, day: 0, max: 31 }],
    ['1900-02-29', 'answer.date.no-such-day', { year: 1900, month: 2, day: 29, max: 28 }],
    ['29 February 2023', 'answer.date.no-such-day', { year: 2023, month: 2, day: 29, max: 28 }],
    ['1990年13月1日', 'answer.date.bad-month', { month: 13 }],
    ['1990-00-10', 'answer.date.bad-month', { month: 0 }],
    ['19901301', 'answer.date.bad-month', { month: 13 }],
    ['2026-11-29', 'answer.date.future', { date: { date: '2026-11-29' } }],
    ['2030年1月1日', 'answer.date.future', { date: { date: '2030-01-01' } }],
    ['1925-11-28', 'answer.date.too-old', { max: 100, age: 101 }],
    ['1900-01-01', 'answer.date.too-old', { max: 100, age: 126 }],
    ['101', 'answer.date.too-old', { max: 100, age: 101 }],
    ['150岁', 'answer.date.too-old', { max: 100, age: 150 }],
    ['15', 'answer.date.too-young', { min: 16, age: 15 }],
    ['0', 'answer.date.too-young', { min: 16, age: 0 }],
    ['2010-11-29', 'answer.date.too-young', { min: 16, age: 15 }],
    ['2020-01-01', 'answer.date.too-young', { min: 16, age: 6 }],
    ['17/05/1990', 'answer.date.year-first', { guess: '1990-05-17' }],
    ['05/17/1990', 'answer.date.year-first', { guess: '1990-05-17' }],
    ['05/06/1990', 'answer.date.year-first-ambiguous', { dayFirst: '1990-06-05', monthFirst: '1990-05-06' }],
    ['5.5.1990', 'answer.date.year-first', { guess: '1990-05-05' }],
    ['32/13/1990', 'answer.date.unrecognised', undefined],
    ['1990', 'answer.date.incomplete', undefined],
    ['1990年', 'answer.date.incomplete', undefined],
    ['1990年5月', 'answer.date.incomplete', undefined],
    ['1990-05', 'answer.date.incomplete', undefined],
    ['5月17日', 'answer.date.incomplete', undefined],
    ['May 1990', 'answer.date.incomplete', undefined],
    ['May 17', 'answer.date.incomplete', undefined],
    ['hello', 'answer.date.unrecognised', undefined],
    ['33.5', 'answer.date.unrecognised', undefined],
    ['1990-5-17-3', 'answer.date.unrecognised', undefined],
    ['Mai 17, 1990', 'answer.date.unrecognised', undefined],
    ['', 'answer.empty', undefined],
    ['   ', 'answer.empty', undefined],
    ['不知道', 'answer.unknown.not-allowed', undefined],
  ];
  it.each(cases)('%s → %s', (input, key, params) => {
    expectError(parseDate(input, { asOf }), key, params);
  });
});

describe('parseDate: unknown', () => {
  it.each(['不知道', '不清楚', 'idk', '?', '？', 'not sure'])('%s is unknown when allowed', (input) => {
    expectUnknown(parseDate(input, { asOf, allowUnknown: true }));
  });
  it('still parses dates when unknown is allowed', () => {
    expectValue(parseDate('1990-05-17', { asOf, allowUnknown: true }), date('1990-05-17'));
  });
});

describe('parseDate: asOf', () => {
  it('counts the age on asOf', () => {
    expectError(parseDate('2010-05-17', { asOf: '2026-05-16' }), 'answer.date.too-young', {
      min: 16,
      age: 15,
    });
    expectValue(parseDate('2010-05-17', { asOf: '2026-05-17' }), date('2010-05-17'));
  });
  it('reads a two-digit year in the latest century not after asOf', () => {
    expectValue(parseDate('30年1月1日', { asOf }), date('1930-01-01'));
    expectValue(parseDate('00年1月1日', { asOf }), date('2000-01-01'));
  });
  it('throws on an invalid asOf (a programming error)', () => {
    expect(() => parseDate('1990-05-17', { asOf: '2026-02-30' })).toThrow(RangeError);
  });
});

describe('birthDateRange', () => {
  it.each([
    [33, '2026-11-28', '1992-11-29', '1993-11-28'],
    [26, '2026-03-01', '1999-03-02', '2000-03-01'],
    [33, '2024-02-29', '1990-03-01', '1991-02-28'],
    [0, '2026-01-01', '2025-01-02', '2026-01-01'],
  ])('age %d on %s: %s to %s', (years, on, earliest, latest) => {
    expect(birthDateRange(years, on)).toEqual({ earliest, latest });
  });
  it('is tight: the day before earliest and the day after latest give another age', () => {
    const { earliest, latest } = birthDateRange(40, asOf);
    expect({ earliest, latest }).toEqual({ earliest: '1985-11-29', latest: '1986-11-28' });
    expectValue(parseDate(earliest, { asOf }), date('1985-11-29'));
    expectValue(parseDate(latest, { asOf }), date('1986-11-28'));
    expect(birthDateRange(41, asOf).latest).toBe('1985-11-28');
    expect(birthDateRange(39, asOf).earliest).toBe('1986-11-29');
  });
});
