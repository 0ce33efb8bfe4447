// Frozen copy of rules/validate.ts before the performance work (issue 5): the reference the
// equivalence tests compare the fast implementation with. Do not change.
/**
 * Validation of profiles against the contract, including the checks that depend on the decision date.
 */

import { fromZodIssues, type Issue } from '../../../rules/issues.js';
import { type Profile, ProfileSchema } from '../../../rules/profile.js';
import { fail, ok, type Result } from '../../../rules/result.js';
import {
  anniversary,
  compareDates,
  type DateParts,
  type IsoDate,
  parseIsoDate,
  splitIsoDate,
} from './dates.js';

/** The oldest age a birth date may imply: the contract rejects birth dates over 100 years back. */
export const MAX_AGE_YEARS = 100;

/**
 * Checks a birth date against the decision date: a real day, not after `asOf`, at most 100 years before it.
 * Returns the issues found (none when it is fine).
 */
export function birthDateIssues(
  birthDate: string,
  asOf: DateParts,
  path: readonly (string | number)[],
): Issue[] {
  const parts = splitIsoDate(birthDate);
  if (!parts) return [{ path, code: 'date-format', params: { value: birthDate } }];
  const birth = parseIsoDate(birthDate);
  if (!birth) return [{ path, code: 'not-a-real-date', params: { value: birthDate } }];
  if (compareDates(birth, asOf) > 0) return [{ path, code: 'date-in-future', params: { value: birthDate } }];
  // Exactly 100 years before the decision date is the earliest birth date accepted.
  if (compareDates(anniversary(birth, MAX_AGE_YEARS), asOf) < 0)
    return [{ path, code: 'date-too-old', params: { value: birthDate, years: MAX_AGE_YEARS } }];
  return [];
}

/**
 * Validates one profile for a decision on `asOf`. Unknown keys, wrong types and enum values,
 * impossible or implausible dates are all reported, each with its field path (prefixed by `prefix`,
 * e.g. the item's index in a batch).
 */
export function validateProfile(
  input: unknown,
  asOf: IsoDate,
  prefix: readonly (string | number)[] = [],
): Result<Profile, Issue[]> {
  const parsed = ProfileSchema.safeParse(input);
  const asOfParts = parseIsoDate(asOf);
  if (!asOfParts) throw new RangeError(`asOf must be a real YYYY-MM-DD date, got ${asOf}`);
  const issues = parsed.success ? [] : fromZodIssues(parsed.error.issues, input, prefix);
  const birthDate = (input as { birthDate?: unknown } | null)?.birthDate;
  const birthPath = [...prefix, 'birthDate'];
  // zod checks only the shape of the date; when the shape is right, check the day itself.
  const shapeReported = issues.some(
    (i) => i.path.length === birthPath.length && i.path.at(-1) === 'birthDate',
  );
  if (typeof birthDate === 'string' && !shapeReported)
    issues.push(...birthDateIssues(birthDate, asOfParts, birthPath));
  if (issues.length > 0 || !parsed.success) return fail(issues);
  return ok(parsed.data);
}
