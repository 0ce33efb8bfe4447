import { describe, it } from 'vitest';
import { parseYesNo } from '../../../machines/answers/index.js';
import { expectError, expectUnknown, expectValue } from './support.js';

describe('parseYesNo: yes', () => {
  it.each([
    '是',
    '是的',
    '是的！',
    '是的。',
    '对',
    '对的',
    '有',
    '有的',
    '有的啊',
    '嗯',
    '嗯嗯',
    '好',
    '好的',
    '可以',
    '同意',
    '要',
    '会',
    '没问题',
    '当然',
    'yes',
    'Yes',
    'YES',
    'Ｙｅｓ',
    'y',
    'yeah',
    'yep',
    'ok',
    'OK!',
    'sure',
    'true',
    '1',
    '１',
    'of course',
    'no problem',
    'yes, I do',
    'yes I have one',
    'yeah sure',
    '是的，我有',
    '是，在深圳',
    '嗯，是的',
    '有房',
    '我有',
    '我已经考过了',
    '考过了',
    '通过了',
    '符合',
    '👍',
  ])('%s → true', (input) => {
    expectValue(parseYesNo(input), true);
  });
});

describe('parseYesNo: no', () => {
  it.each([
    '否',
    '不是',
    '不是的',
    '不',
    '没有',
    '没有哦',
    '没有。',
    '无',
    '没',
    '不对',
    '不要',
    '不同意',
    '不会',
    '不行',
    '还没有',
    'no',
    'No.',
    'NO',
    'ｎｏ',
    'n',
    'nope',
    'nah',
    'false',
    '0',
    'not really',
    'never',
    'of course not',
    "I don't",
    'i haven’t',
    'no, I don’t',
    'nope, never',
    'no thanks',
    '没有，不是',
    '不是，我是外地的',
    '嗯，不是',
    '没有房',
    '我没有',
    '我没考过',
    '没通过',
    '不在深圳',
    '不符合',
    '👎',
  ])('%s → false', (input) => {
    expectValue(parseYesNo(input), false);
  });
});

describe('parseYesNo: not guessed', () => {
  it.each([
    ['maybe', 'answer.yesno.unrecognised'],
    ['看情况', 'answer.yesno.unrecognised'],
    ['不一定', 'answer.yesno.unrecognised'],
    ['可能有', 'answer.yesno.unrecognised'],
    ['应该是', 'answer.yesno.unrecognised'],
    ['不是没有', 'answer.yesno.unrecognised'],
    ['是不是', 'answer.yesno.unrecognised'],
    ['有没有', 'answer.yesno.unrecognised'],
    ['对不起', 'answer.yesno.unrecognised'],
    ['yes and no', 'answer.yesno.unrecognised'],
    ['yeah, not really', 'answer.yesno.unrecognised'],
    ['no, yes', 'answer.yesno.unrecognised'],
    ['2', 'answer.yesno.unrecognised'],
    ['hello', 'answer.yesno.unrecognised'],
    ['yesterday', 'answer.yesno.unrecognised'],
    ['', 'answer.empty'],
    ['不知道', 'answer.unknown.not-allowed'],
    ['不确定', 'answer.unknown.not-allowed'],
    ['not sure', 'answer.unknown.not-allowed'],
    ['no idea', 'answer.unknown.not-allowed'],
  ])('%s → %s', (input, key) => {
    expectError(parseYesNo(input), key);
  });
});

describe('parseYesNo: unknown', () => {
  it.each([
    '不知道',
    '不清楚',
    '不确定',
    '不晓得',
    '不了解',
    '说不准',
    'idk',
    "I don't know",
    'dont know',
    'not sure',
    'unknown',
    '?',
    '？',
    '我也不太清楚啊',
    'no idea',
  ])('%s is unknown when allowed', (input) => {
    expectUnknown(parseYesNo(input, { allowUnknown: true }));
  });
  it('still reads yes and no when unknown is allowed', () => {
    expectValue(parseYesNo('不是', { allowUnknown: true }), false);
    expectValue(parseYesNo('是', { allowUnknown: true }), true);
  });
});
