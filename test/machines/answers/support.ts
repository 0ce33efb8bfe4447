/** Helpers for the answer-parser tests: compare a result with the value or error expected. */
import { expect } from 'vitest';
import type { AnswerResult } from '../../../machines/answers/index.js';
import type { Params } from '../../../machines/view.js';

/** Asserts that `result` is the value `value`. */
export function expectValue<T>(result: AnswerResult<T>, value: T): void {
  expect(result).toEqual({ ok: true, value: { kind: 'value', value } });
}

/** Asserts that `result` is "I don't know". */
export function expectUnknown<T>(result: AnswerResult<T>): void {
  expect(result).toEqual({ ok: true, value: { kind: 'unknown' } });
}

/** Asserts that `result` is the error `key`, with exactly `params` when given. */
export function expectError<T>(result: AnswerResult<T>, key: string, params?: Params): void {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.key).toBe(key);
  if (params !== undefined) expect(result.error.params).toEqual(params);
}
