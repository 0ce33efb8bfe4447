import { describe, expect, it } from 'vitest';
import {
  chineseNumeralsToArabic,
  chineseNumeralToDigits,
  compactKey,
  isUnknown,
  normalise,
  UNKNOWN_WORDS,
} from '../../../machines/answers/index.js';

describe('normalise', () => {
  it.each([
    ['１９９０／５／１７', '1990/5/17'],
    ['  Hello   World  ', 'hello world'],
    ['ＹＥＳ', 'yes'],
    ['（２）', '(2)'],
    ['？', '?'],
    ['是的！', '是的!'],
    ['1990。5。17', '1990.5.17'],
    ['本科、硕士', '本科,硕士'],
    ['I don’t know', "i don't know"],
    ['−3', '-3'],
    ['a\u3000b', 'a b'],
    ['a\u200bb', 'ab'],
    ['\tline\nbreak ', 'line break'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalise(input)).toBe(expected);
  });
});

describe('compactKey', () => {
  it.each([
    ["Master's degree", 'mastersdegree'],
    ['（硕士）', '硕士'],
    ['Senior-Worker', 'seniorworker'],
    [' 本 科 。', '本科'],
  ])('%j → %j', (input, expected) => {
    expect(compactKey(input)).toBe(expected);
  });
});

describe('Chinese numerals', () => {
  it.each([
    ['三', '3'],
    ['十', '10'],
    ['十七', '17'],
    ['二十', '20'],
    ['三十六', '36'],
    ['九十九', '99'],
    ['一百零五', '105'],
    ['两千', '2000'],
    ['一九九零', '1990'],
    ['二〇二三', '2023'],
    ['零六', '06'],
    ['两', '2'],
  ])('%s → %s', (input, expected) => {
    expect(chineseNumeralToDigits(input)).toBe(expected);
  });
  it.each(['十十', '一二十', '百十百'])('%s is not a number', (input) => {
    expect(chineseNumeralToDigits(input)).toBeUndefined();
  });
  it('replaces the runs inside a text', () => {
    expect(chineseNumeralsToArabic('三年零六个月')).toBe('3年06个月');
    expect(chineseNumeralsToArabic('一九九零年五月十七日')).toBe('1990年5月17日');
    expect(chineseNumeralsToArabic('第十十个')).toBe('第十十个');
  });
});

describe('isUnknown', () => {
  it('recognises every word of UNKNOWN_WORDS', () => {
    for (const word of UNKNOWN_WORDS) expect(isUnknown(word), word).toBe(true);
  });
  it.each([
    '不知道',
    '不清楚',
    '不确定',
    '不晓得',
    '不了解',
    '说不准',
    'idk',
    'IDK',
    "I don't know",
    'i dont know',
    'I don’t know',
    'dont know',
    'not sure',
    'Not sure.',
    'unknown',
    '?',
    '？',
    '??',
    '？？？',
    '不知道啊',
    '不知道。',
    '我不知道',
    '我也不太清楚',
    '我真的不知道呢',
    '嗯…不清楚',
    '不记得了',
    'sorry, I don’t know',
    'honestly not sure',
    'no idea',
  ])('%s → true', (input) => {
    expect(isUnknown(input)).toBe(true);
  });
  it.each([
    '',
    '是',
    '不是',
    'no',
    '1990-05-17',
    '36',
    '不知道日期是1990年',
    'I know',
    '知道',
    '清楚',
    'not',
    '?1',
  ])('%s → false', (input) => {
    expect(isUnknown(input)).toBe(false);
  });
});
