/**
 * Pure parsers of the answers typed in the dialogue: no I/O and no sentences. Each takes the raw
 * text and returns a {@link Result} of a {@link ParsedAnswer} (a value, or "I don't know" where
 * allowed) or a {@link Text} naming the problem (locale keys `answer.*`, see `LOCALE_KEYS.json`).
 */
export type { Result } from '../../rules/result.js';
export type { Text } from '../view.js';
export {
  type AnswerResult,
  emptyOrUnknown,
  known,
  type ParsedAnswer,
  type ParseOptions,
  problem,
  UNKNOWN_ANSWER,
} from './answer.js';
export { type Choice, MIN_PARTIAL_LENGTH, parseChoice } from './choice.js';
export {
  type BirthAnswer,
  birthDateRange,
  type DateParseOptions,
  MAX_AGE,
  MIN_AGE,
  parseDate,
} from './date.js';
export { MAX_MONTHS, parseMonths } from './months.js';
export { compactKey, normalise, stripTrailingPunctuation } from './normalise.js';
export { chineseNumeralsToArabic, chineseNumeralToDigits } from './numerals.js';
export { isUnknown, UNKNOWN_WORDS } from './unknown.js';
export { NO_WORDS, parseYesNo, YES_WORDS } from './yes-no.js';
