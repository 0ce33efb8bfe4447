/**
 * Validation of profiles against the contract, including the checks that depend on the decision date.
 */
import {
  anniversary,
  compareDates,
  type DateParts,
  type IsoDate,
  parseIsoDate,
  splitIsoDate,
} from './dates.js';
import { fromZodIssues, type Issue } from './issues.js';
import {
  BOOLEAN_FIELDS,
  EDUCATION_LEVELS,
  EDUCATION_MODES,
  OVERSEAS_DEGREES,
  type Profile,
  ProfileSchema,
  SKILL_LEVELS,
} from './profile.js';
import { fail, ok, type Result } from './result.js';

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

let lastAsOfText: string | undefined;
let lastAsOf: DateParts | undefined;

/** The decision date's parts (kept for the next call: a whole batch has one date). */
function asOfParts(asOf: IsoDate): DateParts | undefined {
  if (asOf !== lastAsOfText) {
    lastAsOf = parseIsoDate(asOf);
    lastAsOfText = asOf;
  }
  return lastAsOf;
}

const isOneOf = (values: readonly string[], value: unknown): boolean =>
  typeof value === 'string' && values.includes(value);

/**
 * The common case without zod: a plain object with only known fields, each obviously valid, and a
 * birth date {@link birthDateIssues} accepts. Returns the profile exactly as the schema gives it
 * (same keys in the same order, defaults filled in), or `undefined` to leave the input to zod, which
 * then reports what is wrong (or accepts an unusual valid input, such as a class instance).
 */
function quickProfile(input: unknown, asOf: DateParts): Profile | undefined {
  if (typeof input !== 'object' || input === null || Object.getPrototypeOf(input) !== Object.prototype)
    return undefined;
  const o = input as Record<string, unknown>;
  let keys = 0;
  for (const _ in o) keys++;
  // Every key seen must be a known field holding a value (an unknown key, or `undefined`, goes to zod).
  let known = 2;
  const { birthDate, education, educationMode, overseasDegree, skill, socialInsuranceMonths } = o;
  if (typeof birthDate !== 'string' || !isOneOf(EDUCATION_LEVELS, education)) return undefined;
  if (educationMode === undefined) {
    if (education !== 'none') return undefined;
  } else if (isOneOf(EDUCATION_MODES, educationMode)) known++;
  else return undefined;
  if (overseasDegree !== undefined) {
    if (!isOneOf(OVERSEAS_DEGREES, overseasDegree)) return undefined;
    known++;
  }
  if (skill !== undefined) {
    if (!isOneOf(SKILL_LEVELS, skill)) return undefined;
    known++;
  }
  if (socialInsuranceMonths !== undefined) {
    if (
      typeof socialInsuranceMonths !== 'number' ||
      !Number.isInteger(socialInsuranceMonths) ||
      socialInsuranceMonths < 0 ||
      socialInsuranceMonths > 1200
    )
      return undefined;
    known++;
  }
  for (const field of BOOLEAN_FIELDS) {
    const value = o[field];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') return undefined;
    known++;
  }
  if (known !== keys) return undefined;
  const birth = parseIsoDate(birthDate);
  if (!birth || compareDates(birth, asOf) > 0 || compareDates(anniversary(birth, MAX_AGE_YEARS), asOf) < 0)
    return undefined;
  // The schema's key order: educationMode only when given.
  const level = education as Profile['education'];
  if (educationMode === undefined)
    return {
      birthDate,
      education: level,
      overseasDegree: (overseasDegree ?? 'none') as Profile['overseasDegree'],
      overseasScholar: (o.overseasScholar ?? false) as boolean,
      highLevelTalent: (o.highLevelTalent ?? false) as boolean,
      skill: (skill ?? 'none') as Profile['skill'],
      skillInCatalog: (o.skillInCatalog ?? false) as boolean,
      skillObtainedInShenzhen: (o.skillObtainedInShenzhen ?? false) as boolean,
      skillLevelTestPassed: (o.skillLevelTestPassed ?? false) as boolean,
      socialInsuranceMonths: (socialInsuranceMonths ?? 0) as number,
      creditHighRisk: (o.creditHighRisk ?? false) as boolean,
      ownsProperty: (o.ownsProperty ?? false) as boolean,
      relativeHost: (o.relativeHost ?? false) as boolean,
      employerCollective: (o.employerCollective ?? false) as boolean,
      talentCentre: (o.talentCentre ?? false) as boolean,
      guangdongHukou: (o.guangdongHukou ?? false) as boolean,
    };
  return {
    birthDate,
    education: level,
    educationMode: educationMode as Profile['educationMode'],
    overseasDegree: (overseasDegree ?? 'none') as Profile['overseasDegree'],
    overseasScholar: (o.overseasScholar ?? false) as boolean,
    highLevelTalent: (o.highLevelTalent ?? false) as boolean,
    skill: (skill ?? 'none') as Profile['skill'],
    skillInCatalog: (o.skillInCatalog ?? false) as boolean,
    skillObtainedInShenzhen: (o.skillObtainedInShenzhen ?? false) as boolean,
    skillLevelTestPassed: (o.skillLevelTestPassed ?? false) as boolean,
    socialInsuranceMonths: (socialInsuranceMonths ?? 0) as number,
    creditHighRisk: (o.creditHighRisk ?? false) as boolean,
    ownsProperty: (o.ownsProperty ?? false) as boolean,
    relativeHost: (o.relativeHost ?? false) as boolean,
    employerCollective: (o.employerCollective ?? false) as boolean,
    talentCentre: (o.talentCentre ?? false) as boolean,
    guangdongHukou: (o.guangdongHukou ?? false) as boolean,
  };
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
  const asOfDay = asOfParts(asOf);
  const quick = asOfDay && quickProfile(input, asOfDay);
  if (quick) return ok(quick);
  const parsed = ProfileSchema.safeParse(input);
  if (!asOfDay) throw new RangeError(`asOf must be a real YYYY-MM-DD date, got ${asOf}`);
  const issues = parsed.success ? [] : fromZodIssues(parsed.error.issues, input, prefix);
  const birthDate = (input as { birthDate?: unknown } | null)?.birthDate;
  const birthPath = [...prefix, 'birthDate'];
  // zod checks only the shape of the date; when the shape is right, check the day itself.
  const shapeReported = issues.some(
    (i) => i.path.length === birthPath.length && i.path.at(-1) === 'birthDate',
  );
  if (typeof birthDate === 'string' && !shapeReported)
    issues.push(...birthDateIssues(birthDate, asOfDay, birthPath));
  if (issues.length > 0 || !parsed.success) return fail(issues);
  return ok(parsed.data);
}
