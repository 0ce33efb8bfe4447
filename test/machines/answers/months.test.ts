import { describe, it } from 'vitest';
import { MAX_MONTHS, parseMonths } from '../../../machines/answers/index.js';
import type { Params } from '../../../machines/view.js';
import { expectError, expectUnknown, expectValue } from './support.js';

describe('parseMonths: values', () => {
  it.each([
    ['36', 36],
    ['０', 0],
    ['0', 0],
    ['36个月', 36],
    ['36 个月', 36],
    ['36個月', 36],
    ['36月', 36],
    ['36 months', 36],
    ['1 month', 1],
    ['36 mos', 36],
    ['36m', 36],
    ['3年', 36],
    ['3 years', 36],
    ['1 year', 12],
    ['3 yrs', 36],
    ['3 yr', 36],
    ['3y', 36],
    ['3年6个月', 42],
    ['3年零6个月', 42],
    ['3年又6个月', 42],
    ['3 years 6 months', 42],
    ['3 years and 6 months', 42],
    ['3 years, 6 months', 42],
    ['3y6m', 42],
    ['三年', 36],
    ['两年', 24],
    ['十年', 120],
    ['三十六个月', 36],
    ['九十九个月', 99],
    ['三年零六个月', 42],
    ['三年六个月', 42],
    ['半年', 6],
    ['三年半', 42],
    ['一年半', 18],
    ['3年半', 42],
    ['1.5年', 18],
    ['1.5 years', 18],
    ['3.5 years', 42],
    ['0.5年', 6],
    ['1.25年', 15],
    ['3.0', 3],
    ['没有', 0],
    ['没', 0],
    ['无', 0],
    ['没交过', 0],
    ['从来没有交过', 0],
    ['none', 0],
    ['None.', 0],
    ['no', 0],
    ['never', 0],
    ['零', 0],
    ['０个月', 0],
    ['３６个月', 36],
    ['３年６个月', 42],
    ['一共36个月', 36],
    ['已经交了3年', 36],
    ['社保交了三年了', 36],
    ['大概3年', 36],
    ['3年左右', 36],
    ['3年多', 36],
    ['3年以上', 36],
    ['about 36 months', 36],
    ['36个月。', 36],
    ['600', MAX_MONTHS],
    ['50年', 600],
  ] as const)('%s → %d', (input, expected) => {
    expectValue(parseMonths(input), expected);
  });
});

describe('parseMonths: errors', () => {
  const cases: [string, string, Params | undefined][] = [
    ['-3', 'answer.months.negative', undefined],
    ['-3个月', 'answer.months.negative', undefined],
    ['负3个月', 'answer.months.negative', undefined],
    ['−36', 'answer.months.negative', undefined],
    ['2.5个月', 'answer.months.fraction', { lower: 2, upper: 3 }],
    ['2.5', 'answer.months.fraction', { lower: 2, upper: 3 }],
    ['两个半月', 'answer.months.fraction', { lower: 2, upper: 3 }],
    ['半个月', 'answer.months.fraction', { lower: 0, upper: 1 }],
    ['1.3年', 'answer.months.fraction', { lower: 15, upper: 16 }],
    ['601', 'answer.months.too-many', { max: 600, months: 601 }],
    ['51年', 'answer.months.too-many', { max: 600, months: 612 }],
    ['1000 months', 'answer.months.too-many', { max: 600, months: 1000 }],
    ['hello', 'answer.months.unrecognised', undefined],
    ['三年几个月', 'answer.months.unrecognised', undefined],
    ['十几个月', 'answer.months.unrecognised', undefined],
    ['6个月3年', 'answer.months.unrecognised', undefined],
    ['3 weeks', 'answer.months.unrecognised', undefined],
    ['快3年', 'answer.months.unrecognised', undefined],
    ['36 minutes', 'answer.months.unrecognised', undefined],
    ['', 'answer.empty', undefined],
    ['不清楚', 'answer.unknown.not-allowed', undefined],
  ];
  it.each(cases)('%s → %s', (input, key, params) => {
    expectError(parseMonths(input), key, params);
  });
});

describe('parseMonths: unknown', () => {
  it.each(['不知道', '不记得了', "I don't know", 'dunno', '?'])('%s is unknown when allowed', (input) => {
    expectUnknown(parseMonths(input, { allowUnknown: true }));
  });
  it('still reads numbers when unknown is allowed', () => {
    expectValue(parseMonths('36', { allowUnknown: true }), 36);
  });
});
