/**
 * What every answer parser returns: a value, or "the person does not know" where the question
 * accepts that, or a {@link Text} saying what is wrong with the answer.
 */
import { fail, ok, type Result } from '../../rules/result.js';
import { type Text, text } from '../view.js';
import { isUnknown } from './unknown.js';

/**
 * A successfully parsed answer: either a value, or `unknown` ("I don't know", only when the caller
 * passed `allowUnknown: true`).
 */
export type ParsedAnswer<T> = { readonly kind: 'value'; readonly value: T } | { readonly kind: 'unknown' };

/** The result of every parser: a parsed answer, or the locale key (and parameters) of the problem. */
export type AnswerResult<T> = Result<ParsedAnswer<T>, Text>;

/** Options shared by every parser. */
export interface ParseOptions {
  /**
   * Accept "I don't know" (不知道, not sure, ？…) as `{ kind: 'unknown' }`. Default false: such an
   * answer is then the error `answer.unknown.not-allowed`.
   */
  readonly allowUnknown?: boolean;
}

/** A parsed value. */
export const known = <T>(value: T): ParsedAnswer<T> => ({ kind: 'value', value });

/** The parsed "I don't know". */
export const UNKNOWN_ANSWER: ParsedAnswer<never> = { kind: 'unknown' };

/** A failed parse with the locale key `key` (and its parameters). */
export const problem = (key: string, params?: Text['params']): { readonly ok: false; readonly error: Text } =>
  fail(text(key, params));

/**
 * The common first steps of every parser: an empty answer is `answer.empty`; an "I don't know" answer
 * is `unknown` when allowed and `answer.unknown.not-allowed` otherwise. `undefined`: neither, parse on.
 */
export function emptyOrUnknown(
  normalised: string,
  options: ParseOptions | undefined,
): Result<ParsedAnswer<never>, Text> | undefined {
  if (normalised === '') return problem('answer.empty');
  if (!isUnknown(normalised)) return undefined;
  return options?.allowUnknown ? ok(UNKNOWN_ANSWER) : problem('answer.unknown.not-allowed');
}
