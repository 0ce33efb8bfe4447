/**
 * The edges of every limit: each age limit the day before the Nth birthday (still open, `until` that
 * day) and on the birthday itself (closed, `age`); 29 February birthdays; 35 vs 36 months of social
 * insurance; the `age-limit-soon` warning at 90 and 91 days; the three verdicts.
 */
import { describe, expect, test } from 'vitest';
import type { ProfileInput } from '../../rules/index.js';
import { AS_OF, decideOne, type RouteId, routeOf, VERIFIED } from './support.js';

type Qualification = Omit<ProfileInput, 'birthDate'>;

const BACHELOR: Qualification = { education: 'bachelor', educationMode: 'regular' };
const COLLEGE: Qualification = { education: 'college', educationMode: 'regular' };

describe('age limits: open the day before the Nth birthday, closed on it', () => {
  test.each<[RouteId, number, Qualification, string, string, string]>([
    // route, N, qualification, birth, day before Nth birthday, Nth birthday
    ['degree-bachelor', 45, BACHELOR, '1990-06-15', '2035-06-14', '2035-06-15'],
    [
      'degree-bachelor',
      45,
      { education: 'master', educationMode: 'regular' },
      '1990-06-15',
      '2035-06-14',
      '2035-06-15',
    ],
    [
      'degree-bachelor',
      45,
      { education: 'doctorate', educationMode: 'regular' },
      '1981-01-01',
      '2025-12-31',
      '2026-01-01',
    ],
    [
      'overseas-returnee',
      45,
      { education: 'none', overseasDegree: 'bachelor' },
      '1990-06-15',
      '2035-06-14',
      '2035-06-15',
    ],
    [
      'overseas-returnee',
      45,
      { education: 'none', overseasScholar: true },
      '1990-06-15',
      '2035-06-14',
      '2035-06-15',
    ],
    ['degree-college', 35, COLLEGE, '1990-06-15', '2025-06-14', '2025-06-15'],
    ['degree-college', 35, COLLEGE, '1991-10-20', '2026-10-19', '2026-10-20'],
    [
      'skill-senior-technician',
      45,
      { education: 'none', skill: 'senior-technician', ...VERIFIED },
      '1990-06-15',
      '2035-06-14',
      '2035-06-15',
    ],
    [
      'skill-technician',
      40,
      { education: 'none', skill: 'technician', ...VERIFIED },
      '1990-06-15',
      '2030-06-14',
      '2030-06-15',
    ],
    [
      'skill-senior-worker',
      35,
      { education: 'none', skill: 'senior-worker', ...VERIFIED, socialInsuranceMonths: 36 },
      '1990-06-15',
      '2025-06-14',
      '2025-06-15',
    ],
    // 29 February birthdays: the birthday is 1 March in common years, 29 February in leap years
    ['degree-college', 35, COLLEGE, '2000-02-29', '2035-02-28', '2035-03-01'],
    ['degree-bachelor', 45, BACHELOR, '1980-02-29', '2025-02-28', '2025-03-01'],
    [
      'skill-technician',
      40,
      { education: 'none', skill: 'technician', ...VERIFIED },
      '1996-02-29',
      '2036-02-28',
      '2036-02-29',
    ],
    ['degree-college', 35, COLLEGE, '2001-02-28', '2036-02-27', '2036-02-28'],
  ])(
    '%s (under %i): born %s, open on %s, closed on %s',
    (id, n, qualification, birthDate, dayBefore, birthday) => {
      const profile = { ...qualification, birthDate };

      const open = decideOne(profile, { asOf: dayBefore });
      expect(open.age).toBe(n - 1);
      expect(routeOf(open, id)).toEqual({ id, met: true, unmet: [], until: dayBefore });
      expect(open.route).toBe(id);

      const closed = decideOne(profile, { asOf: birthday });
      expect(closed.age).toBe(n);
      expect(routeOf(closed, id)).toEqual({ id, met: false, unmet: ['age'], until: dayBefore });
      expect(closed.route).not.toBe(id);
    },
  );
});

describe('social insurance: 36 months for senior workers', () => {
  test.each([
    [0, false],
    [35, false],
    [36, true],
    [37, true],
  ])('%i months → met %s', (months, met) => {
    const decision = decideOne({
      birthDate: '1996-06-15',
      education: 'none',
      skill: 'senior-worker',
      ...VERIFIED,
      socialInsuranceMonths: months,
    });
    const outcome = routeOf(decision, 'skill-senior-worker');
    expect(outcome.met).toBe(met);
    expect(outcome.unmet).toEqual(met ? [] : ['social-insurance']);
    expect(decision.verdict).toBe(met ? 'instant' : 'not-eligible');
  });

  test('the 36 months do not matter to the other skill routes', () => {
    const decision = decideOne({
      birthDate: '1996-06-15',
      education: 'none',
      skill: 'technician',
      ...VERIFIED,
      socialInsuranceMonths: 0,
    });
    expect(routeOf(decision, 'skill-technician').met).toBe(true);
  });
});

describe('warning age-limit-soon: route.until at most 90 days after asOf', () => {
  test.each<[string, ProfileInput, string | null, string[]]>([
    // name, profile, expected route, expected warnings (asOf 2026-11-28)
    [
      'until = asOf (0 days)',
      { birthDate: '1981-11-29', ...BACHELOR },
      'degree-bachelor',
      ['age-limit-soon'],
    ],
    ['until in 40 days', { birthDate: '1982-01-07', ...BACHELOR }, 'degree-bachelor', ['age-limit-soon']],
    [
      'until in 90 days (2027-02-26)',
      { birthDate: '1982-02-27', ...BACHELOR },
      'degree-bachelor',
      ['age-limit-soon'],
    ],
    ['until in 91 days (2027-02-27)', { birthDate: '1982-02-28', ...BACHELOR }, 'degree-bachelor', []],
    ['until in ten years', { birthDate: '1990-06-15', ...BACHELOR }, 'degree-bachelor', []],
    [
      'high-level talent: never, even with bachelor closing in 10 days',
      { birthDate: '1981-12-09', ...BACHELOR, highLevelTalent: true },
      'high-level-talent',
      [],
    ],
    [
      'only the chosen route counts: college closes in 42 days, bachelor years later',
      { birthDate: '1992-01-10', ...BACHELOR },
      'degree-bachelor',
      [],
    ],
    [
      'college alone closing in 42 days',
      { birthDate: '1992-01-10', ...COLLEGE },
      'degree-college',
      ['age-limit-soon'],
    ],
    [
      'window review warns too',
      { birthDate: '1982-02-27', ...BACHELOR, creditHighRisk: true },
      'degree-bachelor',
      ['age-limit-soon'],
    ],
    ['not eligible: no warning', { birthDate: '1990-06-15', ...COLLEGE }, null, []],
  ])('%s', (_name, profile, route, warnings) => {
    const decision = decideOne(profile);
    expect(decision.asOf).toBe(AS_OF);
    expect(decision.route).toBe(route);
    expect(decision.warnings).toEqual(warnings);
  });
});

describe('verdicts', () => {
  test.each<[string, ProfileInput, string, string | null]>([
    ['met route, good credit', { birthDate: '1990-06-15', ...BACHELOR }, 'instant', 'degree-bachelor'],
    [
      'met route, high credit risk',
      { birthDate: '1990-06-15', ...BACHELOR, creditHighRisk: true },
      'window-review',
      'degree-bachelor',
    ],
    [
      'high-level talent, high credit risk',
      { birthDate: '1968-03-15', education: 'none', highLevelTalent: true, creditHighRisk: true },
      'window-review',
      'high-level-talent',
    ],
    ['no route, good credit', { birthDate: '1990-06-15', ...COLLEGE }, 'not-eligible', null],
    [
      'no route, high credit risk',
      { birthDate: '1990-06-15', ...COLLEGE, creditHighRisk: true },
      'not-eligible',
      null,
    ],
  ])('%s → %s', (_name, profile, verdict, route) => {
    const decision = decideOne(profile);
    expect(decision.verdict).toBe(verdict);
    expect(decision.route).toBe(route);
  });
});
