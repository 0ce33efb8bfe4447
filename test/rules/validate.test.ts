/**
 * Input validation: every problem reported with its field path and a code (`locales/` words it),
 * never a thrown error. One profile with `validateProfile`, batches and options with `check`.
 */
import { describe, expect, test } from 'vitest';
import { check, formatPath, type Issue, validateProfile } from '../../rules/index.js';
import { AS_OF } from './support.js';

const OK = { birthDate: '1990-06-15', education: 'none' } as const;

/** Issues as sorted `path code` strings, so a table can list them in any order. */
const show = (issues: readonly Issue[]) => issues.map((i) => `${formatPath(i.path)} ${i.code}`).sort();

function issuesOf(input: unknown, asOf = AS_OF): string[] {
  const result = validateProfile(input, asOf);
  return result.ok ? [] : show(result.error);
}

describe('validateProfile: one profile', () => {
  test.each<[string, unknown, string[]]>([
    // name, input, issues (`path code`); [] = valid
    ['minimal valid profile', OK, []],
    [
      'all fields',
      {
        ...OK,
        education: 'bachelor',
        educationMode: 'regular',
        overseasDegree: 'master',
        overseasScholar: true,
        highLevelTalent: false,
        skill: 'technician',
        skillInCatalog: true,
        skillObtainedInShenzhen: false,
        skillLevelTestPassed: true,
        socialInsuranceMonths: 0,
        creditHighRisk: false,
        ownsProperty: true,
        relativeHost: false,
        employerCollective: false,
        talentCentre: false,
        guangdongHukou: true,
      },
      [],
    ],
    // unknown keys, one issue per key
    ['one unknown key', { ...OK, foo: 1 }, ['foo unknown-field']],
    [
      'a typo and an extra key',
      { ...OK, birthdate: '1990-06-15', extra: true },
      ['birthdate unknown-field', 'extra unknown-field'],
    ],
    // enums
    ['education not in the list', { ...OK, education: 'phd' }, ['education not-in-list']],
    [
      'educationMode not in the list',
      { ...OK, education: 'bachelor', educationMode: 'full-time' },
      ['educationMode not-in-list'],
    ],
    ['overseasDegree not in the list', { ...OK, overseasDegree: 'college' }, ['overseasDegree not-in-list']],
    ['skill not in the list', { ...OK, skill: 'master-worker' }, ['skill not-in-list']],
    // types
    ['boolean given as a string', { ...OK, ownsProperty: 'yes' }, ['ownsProperty wrong-type']],
    [
      'months given as a string',
      { ...OK, socialInsuranceMonths: '30' },
      ['socialInsuranceMonths wrong-type'],
    ],
    ['birth date given as a number', { ...OK, birthDate: 19900615 }, ['birthDate wrong-type']],
    // required fields
    ['birthDate missing', { education: 'none' }, ['birthDate required']],
    ['education missing', { birthDate: '1990-06-15' }, ['education required']],
    [
      'educationMode missing with a degree',
      { ...OK, education: 'bachelor' },
      ['educationMode education-mode-required'],
    ],
    [
      'educationMode missing with college',
      { ...OK, education: 'college' },
      ['educationMode education-mode-required'],
    ],
    ['educationMode not needed without education', { ...OK, education: 'none' }, []],
    // dates
    ['30 February', { ...OK, birthDate: '1990-02-30' }, ['birthDate not-a-real-date']],
    ['month 13', { ...OK, birthDate: '1990-13-01' }, ['birthDate not-a-real-date']],
    ['29 February of a common year', { ...OK, birthDate: '2023-02-29' }, ['birthDate not-a-real-date']],
    ['29 February of a leap year', { ...OK, birthDate: '2004-02-29' }, []],
    ['unpadded date', { ...OK, birthDate: '1990-2-3' }, ['birthDate date-format']],
    ['slashes', { ...OK, birthDate: '1990/02/03' }, ['birthDate date-format']],
    ['date and time', { ...OK, birthDate: '1990-02-03T00:00:00Z' }, ['birthDate date-format']],
    ['born today', { ...OK, birthDate: '2026-11-28' }, []],
    ['born tomorrow', { ...OK, birthDate: '2026-11-29' }, ['birthDate date-in-future']],
    ['exactly 100 years before asOf', { ...OK, birthDate: '1926-11-28' }, []],
    ['100 years and one day before asOf', { ...OK, birthDate: '1926-11-27' }, ['birthDate date-too-old']],
    ['far too old', { ...OK, birthDate: '1900-01-01' }, ['birthDate date-too-old']],
    // months
    ['zero months', { ...OK, socialInsuranceMonths: 0 }, []],
    ['fractional months', { ...OK, socialInsuranceMonths: 1.5 }, ['socialInsuranceMonths not-an-integer']],
    ['negative months', { ...OK, socialInsuranceMonths: -1 }, ['socialInsuranceMonths too-small']],
    // not an object
    ['a string', 'birthDate=1990-06-15', ['(input) not-an-object']],
    ['a number', 42, ['(input) not-an-object']],
    ['null', null, ['(input) not-an-object']],
    ['an array', [OK], ['(input) not-an-object']],
    ['a boolean', true, ['(input) not-an-object']],
    // several problems at once: all reported
    [
      'three problems',
      { birthDate: '1990-02-30', education: 'phd', foo: 1 },
      ['birthDate not-a-real-date', 'education not-in-list', 'foo unknown-field'],
    ],
  ])('%s', (_name, input, expected) => {
    expect(issuesOf(input)).toEqual(expected);
  });

  test('a valid profile comes back with every default filled in', () => {
    const result = validateProfile(OK, AS_OF);
    expect(result).toEqual({
      ok: true,
      value: {
        birthDate: '1990-06-15',
        education: 'none',
        overseasDegree: 'none',
        overseasScholar: false,
        highLevelTalent: false,
        skill: 'none',
        skillInCatalog: false,
        skillObtainedInShenzhen: false,
        skillLevelTestPassed: false,
        socialInsuranceMonths: 0,
        creditHighRisk: false,
        ownsProperty: false,
        relativeHost: false,
        employerCollective: false,
        talentCentre: false,
        guangdongHukou: false,
      },
    });
  });

  test.each<[string, unknown, Issue]>([
    [
      'not-a-real-date quotes the value',
      { ...OK, birthDate: '1990-02-30' },
      { path: ['birthDate'], code: 'not-a-real-date', params: { value: '1990-02-30' } },
    ],
    [
      'date-too-old gives the limit',
      { ...OK, birthDate: '1900-01-01' },
      { path: ['birthDate'], code: 'date-too-old', params: { value: '1900-01-01', years: 100 } },
    ],
    [
      'too-small gives the minimum',
      { ...OK, socialInsuranceMonths: -1 },
      { path: ['socialInsuranceMonths'], code: 'too-small', params: { value: '-1', min: 0 } },
    ],
    ['unknown-field names the key', { ...OK, foo: 1 }, { path: ['foo'], code: 'unknown-field', params: {} }],
  ])('%s', (_name, input, issue) => {
    const result = validateProfile(input, AS_OF);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContainEqual(issue);
  });

  test('not-in-list lists the allowed values', () => {
    const result = validateProfile({ ...OK, education: 'phd' }, AS_OF);
    expect(result.ok ? undefined : result.error[0]?.params).toMatchObject({
      value: 'phd',
      allowed: 'none, college, bachelor, master, doctorate',
    });
  });

  test('the birth date is checked against the asOf given, not today', () => {
    expect(issuesOf({ ...OK, birthDate: '2026-01-01' }, '2025-12-31')).toEqual(['birthDate date-in-future']);
    expect(issuesOf({ ...OK, birthDate: '2025-12-31' }, '2025-12-31')).toEqual([]);
    expect(issuesOf({ ...OK, birthDate: '1925-12-31' }, '2025-12-31')).toEqual([]);
  });

  test.each([
    // birth date, asOf, issues: at most 100 years before asOf
    ['1925-12-31', '2025-12-31', []],
    ['1925-12-30', '2025-12-31', ['birthDate date-too-old']],
    ['1926-01-01', '2025-12-31', []],
    ['1924-02-29', '2024-02-29', []],
    ['1924-02-29', '2024-03-01', ['birthDate date-too-old']],
    ['1924-02-28', '2024-02-29', ['birthDate date-too-old']],
    ['1924-03-01', '2024-03-01', []],
  ])('100-year limit: born %s, asOf %s → %j', (birthDate, asOf, expected) => {
    expect(issuesOf({ ...OK, birthDate }, asOf)).toEqual(expected);
  });
});

describe('check: batches report problems under the item index', () => {
  test.each<[string, unknown[], string[]]>([
    [
      'one bad item at index 3',
      [OK, OK, OK, { ...OK, birthDate: '1990-02-30' }],
      ['[3].birthDate not-a-real-date'],
    ],
    [
      'problems in two items',
      [{ education: 'none' }, OK, { ...OK, skill: 'guru', foo: 1 }],
      ['[0].birthDate required', '[2].foo unknown-field', '[2].skill not-in-list'],
    ],
    ['an item that is not an object', [OK, 'x'], ['[1] not-an-object']],
    [
      'a missing educationMode in item 1',
      [OK, { ...OK, education: 'master' }],
      ['[1].educationMode education-mode-required'],
    ],
  ])('%s', (_name, input, expected) => {
    const result = check(input, { asOf: AS_OF });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(show(result.error)).toEqual(expected);
  });

  test('the index is a number in the path: [3, "birthDate"]', () => {
    const result = check([OK, OK, OK, { ...OK, birthDate: '1990-13-01' }], { asOf: AS_OF });
    expect(result.ok ? [] : result.error.map((i) => i.path)).toEqual([[3, 'birthDate']]);
  });

  test('a valid batch gives one decision per item, in order', () => {
    const result = check(
      [
        { birthDate: '1990-06-15', education: 'bachelor', educationMode: 'regular' },
        OK,
        { birthDate: '1968-03-15', education: 'none', highLevelTalent: true },
      ],
      { asOf: AS_OF },
    );
    expect(result.ok && Array.isArray(result.value) ? result.value.map((d) => d.route) : undefined).toEqual([
      'degree-bachelor',
      null,
      'high-level-talent',
    ]);
  });

  test('a single profile gives a single decision, not an array', () => {
    const result = check(OK, { asOf: AS_OF });
    expect(result.ok && !Array.isArray(result.value) ? result.value.verdict : undefined).toBe('not-eligible');
  });
});

describe('check: options', () => {
  test.each<[string, { asOf?: string; policy?: string }, string[]]>([
    ['unknown policy', { asOf: AS_OF, policy: 'shenzhen-2021' }, ['policy unknown-policy']],
    ['asOf not a real date', { asOf: '2026-02-30' }, ['asOf not-a-real-date']],
    ['asOf unpadded', { asOf: '2026-2-3' }, ['asOf date-format']],
    ['asOf in another format', { asOf: '28/11/2026' }, ['asOf date-format']],
    ['asOf empty', { asOf: '' }, ['asOf date-format']],
    ['both wrong', { asOf: '2026-13-01', policy: 'nope' }, ['asOf not-a-real-date', 'policy unknown-policy']],
  ])('%s', (_name, options, expected) => {
    const result = check(OK, options);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(show(result.error)).toEqual(expected);
  });

  test('unknown-policy names the policies that exist', () => {
    const result = check(OK, { asOf: AS_OF, policy: 'shenzhen-2021' });
    expect(result.ok ? undefined : result.error).toEqual([
      {
        path: ['policy'],
        code: 'unknown-policy',
        params: { value: 'shenzhen-2021', allowed: 'shenzhen-2019' },
      },
    ]);
  });

  test('the policy can be named explicitly', () => {
    const result = check(OK, { asOf: AS_OF, policy: 'shenzhen-2019' });
    expect(result.ok && !Array.isArray(result.value) ? result.value.policy : undefined).toBe('shenzhen-2019');
  });
});

describe('formatPath', () => {
  test.each<[(string | number)[], string]>([
    [[], '(input)'],
    [['birthDate'], 'birthDate'],
    [[3, 'birthDate'], '[3].birthDate'],
    [[0], '[0]'],
    [['policy'], 'policy'],
  ])('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});
