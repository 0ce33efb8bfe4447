/**
 * Which routes a person meets, which one is chosen, and what each unmet route lists: one row per
 * person. Decision date 2026-11-28 throughout (ages: born 1996-06-15 → 30, 1988-06-15 → 38,
 * 1990-06-15 → 36, 1984-06-15 → 42, 1986-06-15 → 40, 1992-06-15 → 34).
 */
import { describe, expect, test } from 'vitest';
import { CONDITION_IDS, type ProfileInput } from '../../rules/index.js';
import { decideOne, metIds, ROUTE_IDS, type RouteId, routeOf, VERIFIED } from './support.js';

const AGE_30 = '1996-06-15';
const AGE_34 = '1992-06-15';
const AGE_36 = '1990-06-15';
const AGE_38 = '1988-06-15';
const AGE_40 = '1986-06-15';
const AGE_42 = '1984-06-15';

const REGULAR = { educationMode: 'regular' } as const;
const NONE = { education: 'none' } as const;

describe('met routes and the chosen route', () => {
  test.each<[string, ProfileInput, RouteId[]]>([
    [
      'high-level talent alone, 58',
      { birthDate: '1968-03-15', ...NONE, highLevelTalent: true },
      ['high-level-talent'],
    ],
    ['bachelor regular, 36', { birthDate: AGE_36, education: 'bachelor', ...REGULAR }, ['degree-bachelor']],
    [
      'master regular counts for bachelor, 36',
      { birthDate: AGE_36, education: 'master', ...REGULAR },
      ['degree-bachelor'],
    ],
    [
      'doctorate regular counts for bachelor, 42',
      { birthDate: AGE_42, education: 'doctorate', ...REGULAR },
      ['degree-bachelor'],
    ],
    [
      'bachelor regular, 30: bachelor and college',
      { birthDate: AGE_30, education: 'bachelor', ...REGULAR },
      ['degree-bachelor', 'degree-college'],
    ],
    [
      'doctorate regular, 30: counts for college too',
      { birthDate: AGE_30, education: 'doctorate', ...REGULAR },
      ['degree-bachelor', 'degree-college'],
    ],
    ['college regular, 30', { birthDate: AGE_30, education: 'college', ...REGULAR }, ['degree-college']],
    ['college regular, 36: closed by age', { birthDate: AGE_36, education: 'college', ...REGULAR }, []],
    [
      'bachelor non-regular, 30',
      { birthDate: AGE_30, education: 'bachelor', educationMode: 'non-regular' },
      [],
    ],
    [
      'college non-regular, 30',
      { birthDate: AGE_30, education: 'college', educationMode: 'non-regular' },
      [],
    ],
    [
      'overseas bachelor alone, 42',
      { birthDate: AGE_42, ...NONE, overseasDegree: 'bachelor' },
      ['overseas-returnee'],
    ],
    [
      'overseas master alone, 42',
      { birthDate: AGE_42, ...NONE, overseasDegree: 'master' },
      ['overseas-returnee'],
    ],
    [
      'overseas doctorate alone, 42',
      { birthDate: AGE_42, ...NONE, overseasDegree: 'doctorate' },
      ['overseas-returnee'],
    ],
    [
      'overseas scholar alone qualifies, 42',
      { birthDate: AGE_42, ...NONE, overseasScholar: true },
      ['overseas-returnee'],
    ],
    ['no overseas degree, no scholarship, 42', { birthDate: AGE_42, ...NONE, overseasDegree: 'none' }, []],
    [
      'senior technician verified, 42',
      { birthDate: AGE_42, ...NONE, skill: 'senior-technician', ...VERIFIED },
      ['skill-senior-technician'],
    ],
    [
      'senior technician verified, 38: counts for technician',
      { birthDate: AGE_38, ...NONE, skill: 'senior-technician', ...VERIFIED },
      ['skill-senior-technician', 'skill-technician'],
    ],
    [
      'senior technician verified, 30, 36 months: counts for every skill route',
      { birthDate: AGE_30, ...NONE, skill: 'senior-technician', ...VERIFIED, socialInsuranceMonths: 36 },
      ['skill-senior-technician', 'skill-technician', 'skill-senior-worker'],
    ],
    [
      'technician verified, 38',
      { birthDate: AGE_38, ...NONE, skill: 'technician', ...VERIFIED },
      ['skill-technician'],
    ],
    [
      'technician verified, 30, 36 months: counts for senior worker',
      { birthDate: AGE_30, ...NONE, skill: 'technician', ...VERIFIED, socialInsuranceMonths: 36 },
      ['skill-technician', 'skill-senior-worker'],
    ],
    [
      'technician verified by the level test, 38',
      { birthDate: AGE_38, ...NONE, skill: 'technician', skillInCatalog: true, skillLevelTestPassed: true },
      ['skill-technician'],
    ],
    [
      'technician in catalogue, neither Shenzhen exam nor level test, 38',
      { birthDate: AGE_38, ...NONE, skill: 'technician', skillInCatalog: true },
      [],
    ],
    [
      'technician from a Shenzhen exam but not in the catalogue, 38',
      { birthDate: AGE_38, ...NONE, skill: 'technician', skillObtainedInShenzhen: true },
      [],
    ],
    [
      'senior worker verified, 30, 36 months',
      { birthDate: AGE_30, ...NONE, skill: 'senior-worker', ...VERIFIED, socialInsuranceMonths: 36 },
      ['skill-senior-worker'],
    ],
    [
      'senior worker verified, 30, 35 months',
      { birthDate: AGE_30, ...NONE, skill: 'senior-worker', ...VERIFIED, socialInsuranceMonths: 35 },
      [],
    ],
    [
      'senior worker verified by level test, 30, 120 months',
      {
        birthDate: AGE_30,
        ...NONE,
        skill: 'senior-worker',
        skillInCatalog: true,
        skillLevelTestPassed: true,
        socialInsuranceMonths: 120,
      },
      ['skill-senior-worker'],
    ],
    ['nothing at all, 30', { birthDate: AGE_30, ...NONE }, []],
    [
      'everything, 30: all seven met',
      {
        birthDate: AGE_30,
        education: 'doctorate',
        ...REGULAR,
        overseasDegree: 'doctorate',
        highLevelTalent: true,
        skill: 'senior-technician',
        ...VERIFIED,
        socialInsuranceMonths: 36,
      },
      [...ROUTE_IDS],
    ],
  ])('%s', (_name, profile, met) => {
    const decision = decideOne(profile);
    expect(metIds(decision)).toEqual(met);
    expect(decision.route).toBe(met[0] ?? null);
    expect(decision.verdict).toBe(met.length > 0 ? 'instant' : 'not-eligible');
  });
});

describe('route = the first met route in table order', () => {
  const all: ProfileInput = {
    birthDate: AGE_30,
    education: 'bachelor',
    ...REGULAR,
    overseasDegree: 'master',
    highLevelTalent: true,
    skill: 'senior-technician',
    ...VERIFIED,
    socialInsuranceMonths: 36,
  };
  test.each<[string, Partial<ProfileInput>, RouteId]>([
    ['everything', {}, 'high-level-talent'],
    ['no certificate', { highLevelTalent: false }, 'degree-bachelor'],
    ['no certificate, college only', { highLevelTalent: false, education: 'college' }, 'overseas-returnee'],
    [
      '… and no overseas degree',
      { highLevelTalent: false, education: 'college', overseasDegree: 'none' },
      'degree-college',
    ],
    [
      '… and no mainland education',
      { highLevelTalent: false, ...NONE, overseasDegree: 'none' },
      'skill-senior-technician',
    ],
    [
      '… and technician only',
      { highLevelTalent: false, ...NONE, overseasDegree: 'none', skill: 'technician' },
      'skill-technician',
    ],
    [
      '… and senior worker only',
      { highLevelTalent: false, ...NONE, overseasDegree: 'none', skill: 'senior-worker' },
      'skill-senior-worker',
    ],
  ])('%s → %s', (_name, change, expected) => {
    const profile = { ...all, ...change };
    if (profile.education === 'none') delete profile.educationMode;
    expect(decideOne(profile).route).toBe(expected);
  });
});

describe('unmet lists every failing condition, in the contract order', () => {
  test.each<[string, ProfileInput, RouteId, string[]]>([
    [
      'college non-regular, 36',
      { birthDate: AGE_36, education: 'college', educationMode: 'non-regular' },
      'degree-bachelor',
      ['education', 'education-mode'],
    ],
    [
      'college non-regular, 36',
      { birthDate: AGE_36, education: 'college', educationMode: 'non-regular' },
      'degree-college',
      ['education-mode', 'age'],
    ],
    [
      'college regular, 36',
      { birthDate: AGE_36, education: 'college', ...REGULAR },
      'degree-bachelor',
      ['education'],
    ],
    [
      'bachelor non-regular, 30',
      { birthDate: AGE_30, education: 'bachelor', educationMode: 'non-regular' },
      'degree-bachelor',
      ['education-mode'],
    ],
    ['nothing, 40', { birthDate: AGE_40, ...NONE }, 'high-level-talent', ['certificate']],
    [
      'nothing, 40',
      { birthDate: AGE_40, ...NONE },
      'skill-senior-worker',
      ['skill', 'catalog', 'level-test', 'social-insurance', 'age'],
    ],
    [
      'nothing, 40',
      { birthDate: AGE_40, ...NONE },
      'skill-technician',
      ['skill', 'catalog', 'level-test', 'age'],
    ],
    [
      'nothing, 40',
      { birthDate: AGE_40, ...NONE },
      'skill-senior-technician',
      ['skill', 'catalog', 'level-test'],
    ],
    ['nothing, 50', { birthDate: '1976-06-15', ...NONE }, 'overseas-returnee', ['overseas', 'age']],
    ['nothing, 50', { birthDate: '1976-06-15', ...NONE }, 'degree-bachelor', ['education', 'age']],
    [
      'technician, unverified, 10 months, 38',
      { birthDate: AGE_38, ...NONE, skill: 'technician', socialInsuranceMonths: 10 },
      'skill-senior-worker',
      ['catalog', 'level-test', 'social-insurance', 'age'],
    ],
    [
      'technician, unverified, 38',
      { birthDate: AGE_38, ...NONE, skill: 'technician' },
      'skill-technician',
      ['catalog', 'level-test'],
    ],
    [
      'technician, unverified, 38',
      { birthDate: AGE_38, ...NONE, skill: 'technician' },
      'skill-senior-technician',
      ['skill', 'catalog', 'level-test'],
    ],
    [
      'technician in catalogue, not tested, 38',
      { birthDate: AGE_38, ...NONE, skill: 'technician', skillInCatalog: true },
      'skill-technician',
      ['level-test'],
    ],
    [
      'technician tested, not in catalogue, 38',
      { birthDate: AGE_38, ...NONE, skill: 'technician', skillLevelTestPassed: true },
      'skill-technician',
      ['catalog'],
    ],
    [
      'senior worker verified, 20 months, 34',
      { birthDate: AGE_34, ...NONE, skill: 'senior-worker', ...VERIFIED, socialInsuranceMonths: 20 },
      'skill-senior-worker',
      ['social-insurance'],
    ],
    [
      'senior technician verified, 42',
      { birthDate: AGE_42, ...NONE, skill: 'senior-technician', ...VERIFIED, socialInsuranceMonths: 36 },
      'skill-senior-worker',
      ['age'],
    ],
  ])('%s: %s → %j', (_name, profile, id, unmet) => {
    const outcome = routeOf(decideOne(profile), id);
    expect(outcome.unmet).toEqual(unmet);
    expect(outcome.met).toBe(false);
  });
});

describe('until: the last day open by age, given whether or not the route is met', () => {
  // born 1990-06-15: 35th birthday 2025-06-15, 40th 2030-06-15, 45th 2035-06-15
  const UNTIL: Record<RouteId, string | null> = {
    'high-level-talent': null,
    'degree-bachelor': '2035-06-14',
    'overseas-returnee': '2035-06-14',
    'degree-college': '2025-06-14',
    'skill-senior-technician': '2035-06-14',
    'skill-technician': '2030-06-14',
    'skill-senior-worker': '2025-06-14',
  };
  test.each<[string, ProfileInput]>([
    ['meets nothing', { birthDate: AGE_36, ...NONE }],
    ['meets bachelor', { birthDate: AGE_36, education: 'bachelor', ...REGULAR }],
    ['meets high-level talent', { birthDate: AGE_36, ...NONE, highLevelTalent: true }],
    [
      'meets senior technician and technician',
      { birthDate: AGE_36, ...NONE, skill: 'senior-technician', ...VERIFIED },
    ],
  ])('%s', (_name, profile) => {
    const decision = decideOne(profile);
    expect(Object.fromEntries(decision.routes.map((r) => [r.id, r.until]))).toEqual(UNTIL);
  });
});

describe('the shape of routes, for every person above', () => {
  const people: ProfileInput[] = [
    { birthDate: AGE_30, ...NONE },
    { birthDate: AGE_36, education: 'college', educationMode: 'non-regular', skill: 'technician' },
    { birthDate: AGE_42, education: 'master', ...REGULAR, overseasScholar: true, highLevelTalent: true },
    { birthDate: AGE_30, ...NONE, skill: 'senior-worker', ...VERIFIED, socialInsuranceMonths: 40 },
  ];
  test.each(people)('%j', (profile) => {
    const decision = decideOne(profile);
    expect(decision.routes.map((r) => r.id)).toEqual([...ROUTE_IDS]);
    for (const r of decision.routes) {
      expect(r.met).toBe(r.unmet.length === 0);
      expect(r.until === null).toBe(r.id === 'high-level-talent');
      const positions = r.unmet.map((id) => CONDITION_IDS.indexOf(id));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(r.unmet).size).toBe(r.unmet.length);
    }
  });
});
