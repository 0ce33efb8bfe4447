/**
 * The fast evaluator and validator against a frozen copy of the implementation they replaced
 * (`legacy/`): over thousands of generated profiles, several decision dates, both age readings,
 * partial consultations and broken inputs, `check`, `decide`, `checkRoutes` and `validateProfile`
 * must give byte-identical JSON (and deep-equal values, key order included).
 */
import { describe, expect, test } from 'vitest';
import { generateProfiles, mulberry32 } from '../../bench/profiles.js';
import {
  addDays,
  anniversary,
  check,
  checkRoutes,
  DEFAULT_EDITION,
  decide,
  type Edition,
  formatIsoDate,
  type ProfileInput,
  parseIsoDate,
  validateProfile,
} from '../../rules/index.js';
import { TEST_EDITIONS, testEdition } from './fixtures/test-edition.js';
import { check as legacyCheck } from './legacy/check.js';
import { checkRoutes as legacyCheckRoutes, decide as legacyDecide } from './legacy/evaluate.js';
import { validateProfile as legacyValidate } from './legacy/validate.js';

const AS_OFS = ['2026-11-28', '2024-02-29', '2023-02-28', '2025-03-01', '2026-12-31', '2019-02-28'];

let compared = 0;

/** The JSON must match byte for byte; every 10th pair is also compared deeply (-0, undefined, types). */
function same(actual: unknown, expected: unknown): void {
  const json = JSON.stringify(actual);
  if (json !== JSON.stringify(expected)) expect(json).toBe(JSON.stringify(expected));
  if (compared++ % 10 === 0) expect(actual).toStrictEqual(expected);
}

/** Profiles near every age limit (both readings), on 29 February, and with edge months. */
function edgeProfiles(asOf: string): ProfileInput[] {
  const day = parseIsoDate(asOf);
  if (!day) throw new Error(asOf);
  const out: ProfileInput[] = [];
  const random = mulberry32(99);
  for (const years of [18, 34, 35, 36, 39, 40, 41, 44, 45, 46, 99, 100]) {
    for (const shift of [-91, -90, -89, -1, 0, 1, 89, 90, 91]) {
      const birth = addDays(anniversary(day, -years), shift);
      const birthDate = formatIsoDate(birth);
      if (!validateProfile({ birthDate, education: 'none' }, asOf).ok) continue;
      out.push({
        birthDate,
        education: random() < 0.5 ? 'bachelor' : 'college',
        educationMode: random() < 0.7 ? 'regular' : 'non-regular',
        overseasDegree: random() < 0.5 ? 'none' : 'master',
        overseasScholar: random() < 0.3,
        skill: (['none', 'senior-worker', 'technician', 'senior-technician'] as const)[
          Math.floor(random() * 4)
        ],
        skillInCatalog: random() < 0.7,
        skillObtainedInShenzhen: random() < 0.4,
        skillLevelTestPassed: random() < 0.4,
        socialInsuranceMonths: [0, 1, 35, 36, 37, 1200][Math.floor(random() * 6)],
        creditHighRisk: random() < 0.3,
        guangdongHukou: random() < 0.5,
      });
    }
  }
  for (const birthDate of ['1992-02-29', '1988-02-29', '1984-02-29', '1996-02-29', '2000-02-29'])
    for (const education of ['none', 'college', 'bachelor', 'master', 'doctorate'] as const)
      out.push(
        education === 'none'
          ? { birthDate, education, skill: 'senior-worker', skillInCatalog: true, skillLevelTestPassed: true }
          : { birthDate, education, educationMode: 'regular', socialInsuranceMonths: 12 },
      );
  return out.filter((p) => validateProfile(p, asOf).ok);
}

describe.each(AS_OFS)('as of %s', (asOf) => {
  const profiles = [...generateProfiles(asOf === AS_OFS[0] ? 2_000 : 200, asOf, 7), ...edgeProfiles(asOf)];

  test.each(['shenzhen-2019', 'test-2030'])('check: a batch under %s gives the same decisions', (policy) => {
    const options = { asOf, policy, editions: TEST_EDITIONS };
    same(check(profiles, options), legacyCheck(profiles, options));
  });

  test('check: one profile at a time gives the same decisions', () => {
    for (const profile of profiles.slice(0, 300))
      same(check(profile, { asOf }), legacyCheck(profile, { asOf }));
  });

  test.each<[string, Edition]>([
    ['shenzhen-2019', DEFAULT_EDITION],
    ['test-2030', testEdition],
  ])('decide and checkRoutes under %s, with and without unconfirmed answers', (_name, edition) => {
    const random = mulberry32(5);
    for (const input of profiles) {
      const valid = validateProfile(input, asOf);
      if (!valid.ok) throw new Error('generated profiles are valid');
      const unconfirmed = random() < 0.3 ? ['socialInsuranceMonths', 'skillInCatalog'] : undefined;
      const options = { asOf, edition, ...(unconfirmed ? { unconfirmed } : {}) };
      same(decide(valid.value, options), legacyDecide(valid.value, options));
      same(checkRoutes(valid.value, options), legacyCheckRoutes(valid.value, options));
    }
  });
});

test('checkRoutes: the profiles of partial consultations (unanswered fields at their least favourable value)', () => {
  const asOf = AS_OFS[0] as string;
  const random = mulberry32(11);
  for (const input of generateProfiles(2_000, asOf, 3)) {
    const profile: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input))
      if (key === 'birthDate' || random() < 0.5) profile[key] = value;
    profile.education ??= 'none';
    if (profile.education !== 'none') profile.educationMode ??= 'non-regular';
    const valid = validateProfile(profile, asOf);
    if (!valid.ok) throw new Error('partial profiles are valid');
    const options = { asOf, edition: DEFAULT_EDITION };
    same(checkRoutes(valid.value, options), legacyCheckRoutes(valid.value, options));
  }
});

test('decide on profiles that skipped validation (odd values, -0 months) gives the same as before', () => {
  const asOf = AS_OFS[0] as string;
  const base = { birthDate: '1985-03-10', education: 'bachelor', educationMode: 'regular' };
  const odd: Record<string, unknown>[] = [
    { socialInsuranceMonths: -0, skill: 'senior-worker', skillInCatalog: true, skillLevelTestPassed: true },
    {
      socialInsuranceMonths: 1.5,
      skill: 'senior-worker',
      skillInCatalog: true,
      skillObtainedInShenzhen: true,
    },
    { socialInsuranceMonths: 5000 },
    { education: 'phd', educationMode: 'regular' },
    { educationMode: 'evening' },
    { overseasDegree: 'diploma', overseasScholar: 1 },
    { skill: 'master-chef', skillInCatalog: 'yes', skillLevelTestPassed: 0 },
    { highLevelTalent: 1, ownsProperty: 'yes', relativeHost: 0, creditHighRisk: 1 },
    { guangdongHukou: 'no', talentCentre: null },
    { birthDate: '1920-01-01' },
  ];
  for (const extra of odd)
    for (const edition of [DEFAULT_EDITION, testEdition]) {
      const profile = { ...base, ...extra } as unknown as Parameters<typeof decide>[0];
      const options = { asOf, edition };
      for (let i = 0; i < 3; i++) {
        expect(decide(profile, options)).toStrictEqual(legacyDecide(profile, options));
        expect(JSON.stringify(decide(profile, options))).toBe(JSON.stringify(legacyDecide(profile, options)));
        expect(checkRoutes(profile, options)).toStrictEqual(legacyCheckRoutes(profile, options));
      }
    }
  const broken = { ...base, birthDate: '1985-02-30' } as unknown as Parameters<typeof decide>[0];
  expect(() => decide(broken, { asOf, edition: DEFAULT_EDITION })).toThrow(RangeError);
  expect(() => checkRoutes(broken, { asOf, edition: DEFAULT_EDITION })).toThrow(RangeError);
  expect(() =>
    decide(base as Parameters<typeof decide>[0], { asOf: '2026-13-01', edition: DEFAULT_EDITION }),
  ).toThrow(RangeError);
});

describe('validateProfile: the same result as the zod-only validation', () => {
  const asOf = AS_OFS[0] as string;
  const valid = generateProfiles(300, asOf, 13) as Record<string, unknown>[];
  const BAD_VALUES: unknown[] = [
    undefined,
    null,
    '',
    'x',
    0,
    -0,
    1.5,
    -1,
    1200,
    1201,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    false,
    [],
    {},
    'none',
    'regular',
    'bachelor',
    'senior-technician',
    '1990-02-30',
    '1990-2-3',
    '1990-02-03\n',
    ' 1990-02-03',
    '1926-11-28',
    '1926-11-27',
    '2026-11-28',
    '2026-11-29',
    '0000-01-01',
    '１９９０-01-01',
  ];
  const FIELDS = [
    ...Object.keys(valid[0] ?? {}),
    'educationMode',
    'unknownField',
    '__proto__',
    'constructor',
  ];

  test('valid generated profiles, and each with every field set to odd values or removed', () => {
    const random = mulberry32(17);
    for (const base of valid) {
      same(validateProfile(base, asOf), legacyValidate(base, asOf));
      same(validateProfile(base, asOf, [4]), legacyValidate(base, asOf, [4]));
      const field = FIELDS[Math.floor(random() * FIELDS.length)] as string;
      const removed = { ...base };
      delete removed[field];
      same(validateProfile(removed, asOf), legacyValidate(removed, asOf));
      for (const value of BAD_VALUES) {
        const changed = { ...base, [field]: value };
        same(validateProfile(changed, asOf, [2]), legacyValidate(changed, asOf, [2]));
      }
    }
  });

  test('every field against every odd value, on a full and on a minimal profile', () => {
    const full = { ...valid[0], education: 'master', educationMode: 'regular' };
    for (const base of [full, { birthDate: '1990-06-15', education: 'none' }])
      for (const field of FIELDS)
        for (const value of BAD_VALUES) {
          const changed: Record<string, unknown> = { ...base, [field]: value };
          same(validateProfile(changed, asOf), legacyValidate(changed, asOf));
        }
  });

  test('inputs that are not plain objects', () => {
    const plain = { birthDate: '1990-06-15', education: 'none' };
    class Person {
      birthDate = '1990-06-15';
      education = 'none';
    }
    const hidden = { ...plain };
    Object.defineProperty(hidden, 'skill', { value: 'technician', enumerable: false });
    const withSymbol = { ...plain, [Symbol('s')]: 1 };
    const inputs: unknown[] = [
      undefined,
      null,
      42,
      'text',
      [],
      [plain],
      new Date(0),
      Object.assign(Object.create(null), plain),
      Object.assign(Object.create({ inherited: 1 }), plain),
      new Person(),
      hidden,
      withSymbol,
      JSON.parse('{"birthDate":"1990-06-15","education":"none","__proto__":{"x":1}}'),
    ];
    for (const input of inputs) same(validateProfile(input, asOf, [0]), legacyValidate(input, asOf, [0]));
  });
});

test('a decision does not share anything a caller could change with another decision', () => {
  const asOf = AS_OFS[0] as string;
  const [a, b] = generateProfiles(2, asOf, 21).map((p) => {
    const result = check(p, { asOf });
    if (!result.ok || Array.isArray(result.value)) throw new Error('one decision expected');
    return result.value;
  });
  if (!a || !b) throw new Error('two decisions expected');
  const before = JSON.stringify(b);
  // Whatever is shared between decisions is frozen: changing it throws instead of leaking.
  const attempts: (() => void)[] = [
    () => (a.explain.settlement[0]?.pros as string[] | undefined)?.push('x'),
    () => (a.explain.interpretations as string[]).push('x'),
    () => (a.settlement.options as { fits: boolean }[]).push({ fits: true }),
    () => {
      const check0 = a.explain.routes[0]?.conditions[0] as { met: boolean | null } | undefined;
      if (check0) check0.met = null;
    },
  ];
  for (const attempt of attempts) {
    try {
      attempt();
    } catch {
      // frozen: fine
    }
  }
  expect(JSON.stringify(b)).toBe(before);
});
