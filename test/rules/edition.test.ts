/**
 * A new edition is data, not code: the same people decided under `shenzhen-2019` and under the test
 * edition `test-2030` (inclusive age reading, bachelor limit 40), OpenFisca-style before/after.
 */
import { describe, expect, test } from 'vitest';
import {
  check,
  DEFAULT_EDITION,
  decide,
  EDITIONS,
  type ProfileInput,
  type RouteOutcome,
  shenzhen2019,
  validateProfile,
} from '../../rules/index.js';
import { TEST_EDITIONS, testEdition } from './fixtures/test-edition.js';
import { AS_OF, decideOne, explainOf, type RouteId, routeOf, VERIFIED } from './support.js';

const under = (policy: string) => ({ policy, editions: TEST_EDITIONS });

interface Outcome {
  readonly verdict: string;
  readonly route: string | null;
  readonly outcome: Omit<RouteOutcome, 'id'>;
}

describe('the same person before (shenzhen-2019) and after (test-2030), asOf 2026-11-28', () => {
  test.each<[string, ProfileInput, RouteId, Outcome, Outcome]>([
    [
      'college, turned 35 yesterday: exclusive closes, inclusive keeps open a year more',
      { birthDate: '1991-11-27', education: 'college', educationMode: 'regular' },
      'degree-college',
      { verdict: 'not-eligible', route: null, outcome: { met: false, unmet: ['age'], until: '2026-11-26' } },
      { verdict: 'instant', route: 'degree-college', outcome: { met: true, unmet: [], until: '2027-11-26' } },
    ],
    [
      'bachelor, 42: under 45 in 2019, over the new limit of 40',
      { birthDate: '1984-06-15', education: 'bachelor', educationMode: 'regular' },
      'degree-bachelor',
      {
        verdict: 'instant',
        route: 'degree-bachelor',
        outcome: { met: true, unmet: [], until: '2029-06-14' },
      },
      { verdict: 'not-eligible', route: null, outcome: { met: false, unmet: ['age'], until: '2025-06-14' } },
    ],
    [
      'bachelor, 36: still met, but the deadline moves from the 45th to the 41st birthday',
      { birthDate: '1990-06-15', education: 'bachelor', educationMode: 'regular' },
      'degree-bachelor',
      {
        verdict: 'instant',
        route: 'degree-bachelor',
        outcome: { met: true, unmet: [], until: '2035-06-14' },
      },
      {
        verdict: 'instant',
        route: 'degree-bachelor',
        outcome: { met: true, unmet: [], until: '2031-06-14' },
      },
    ],
    [
      'bachelor, turned 40 yesterday: met under both, until moves',
      { birthDate: '1986-11-27', education: 'bachelor', educationMode: 'regular' },
      'degree-bachelor',
      {
        verdict: 'instant',
        route: 'degree-bachelor',
        outcome: { met: true, unmet: [], until: '2031-11-26' },
      },
      {
        verdict: 'instant',
        route: 'degree-bachelor',
        outcome: { met: true, unmet: [], until: '2027-11-26' },
      },
    ],
    [
      'overseas master, turned 45 yesterday: the unchanged limit read inclusively',
      { birthDate: '1981-11-27', education: 'none', overseasDegree: 'master' },
      'overseas-returnee',
      { verdict: 'not-eligible', route: null, outcome: { met: false, unmet: ['age'], until: '2026-11-26' } },
      {
        verdict: 'instant',
        route: 'overseas-returnee',
        outcome: { met: true, unmet: [], until: '2027-11-26' },
      },
    ],
    [
      'technician, turned 41 today: closed under both readings',
      { birthDate: '1985-11-28', education: 'none', skill: 'technician', ...VERIFIED },
      'skill-technician',
      { verdict: 'not-eligible', route: null, outcome: { met: false, unmet: ['age'], until: '2025-11-27' } },
      { verdict: 'not-eligible', route: null, outcome: { met: false, unmet: ['age'], until: '2026-11-27' } },
    ],
  ])('%s', (_name, profile, id, before, after) => {
    for (const [policy, expected] of [
      ['shenzhen-2019', before],
      ['test-2030', after],
    ] as const) {
      const decision = decideOne(profile, under(policy));
      expect(decision.policy).toBe(policy);
      expect({ verdict: decision.verdict, route: decision.route, outcome: routeOf(decision, id) }).toEqual({
        verdict: expected.verdict,
        route: expected.route,
        outcome: { id, ...expected.outcome },
      });
    }
  });
});

describe('inclusive reading at the boundary: open until the day before the (N+1)th birthday', () => {
  test.each([
    // route, qualification, birth, last open day, first closed day
    [
      'degree-college',
      { education: 'college', educationMode: 'regular' },
      '1990-06-15',
      '2026-06-14',
      '2026-06-15',
    ],
    [
      'degree-bachelor',
      { education: 'master', educationMode: 'regular' },
      '1990-06-15',
      '2031-06-14',
      '2031-06-15',
    ],
    [
      'degree-college',
      { education: 'college', educationMode: 'regular' },
      '2000-02-29',
      '2036-02-28',
      '2036-02-29',
    ],
    [
      'skill-technician',
      { education: 'none', skill: 'technician', ...VERIFIED },
      '1999-02-28',
      '2040-02-27',
      '2040-02-28',
    ],
  ] as const)(
    '%s: born %s, open on %s, closed on %s',
    (id, qualification, birthDate, lastOpen, firstClosed) => {
      const profile = { ...qualification, birthDate };
      const open = decideOne(profile, { asOf: lastOpen, ...under('test-2030') });
      expect(routeOf(open, id)).toEqual({ id, met: true, unmet: [], until: lastOpen });
      const closed = decideOne(profile, { asOf: firstClosed, ...under('test-2030') });
      expect(routeOf(closed, id)).toEqual({ id, met: false, unmet: ['age'], until: lastOpen });
    },
  );
});

describe('the explanation follows the edition’s data', () => {
  const bachelor42 = { birthDate: '1984-06-15', education: 'bachelor', educationMode: 'regular' } as const;

  test('age reading and its clause', () => {
    const before = decideOne(bachelor42, under('shenzhen-2019')).explain;
    const after = decideOne(bachelor42, under('test-2030')).explain;
    expect([before.ageReading, before.ageReadingClause]).toEqual(['exclusive', 'luohu/age-boundary']);
    expect([after.ageReading, after.ageReadingClause]).toEqual(['inclusive', 'test-2030/age-reading']);
  });

  test('the changed threshold is cited from the new edition; unchanged ones keep the 2019 clause', () => {
    const after = decideOne(bachelor42, under('test-2030'));
    const bachelor = explainOf(after, 'degree-bachelor');
    expect(bachelor.clause).toBe('test-2030/degree-1');
    expect(bachelor.conditions.find((c) => c.id === 'age')).toEqual({
      id: 'age',
      met: false,
      value: 42,
      threshold: 40,
      clause: 'test-2030/degree-1',
      since: '2030-01-01',
    });
    expect(bachelor.changes).toEqual([
      { id: 'age-closed', condition: 'age', params: { closedOn: '2025-06-15', age: 41 } },
    ]);
    expect(explainOf(after, 'overseas-returnee').conditions.find((c) => c.id === 'age')).toMatchObject({
      threshold: 45,
      clause: 'plan-2019/scope/overseas',
    });
  });

  test('2019: the same person, cited from the 2019 plan', () => {
    const before = decideOne(bachelor42, under('shenzhen-2019'));
    expect(explainOf(before, 'degree-bachelor').conditions.find((c) => c.id === 'age')).toEqual({
      id: 'age',
      met: true,
      value: 42,
      threshold: 45,
      clause: 'plan-2019/scope/degree-1',
      since: '2019-02-28',
    });
  });
});

describe('editions are chosen, never mutated', () => {
  const OK = { birthDate: '1990-06-15', education: 'none' } as const;

  test('without the extra registry the test edition is unknown', () => {
    const result = check(OK, { asOf: AS_OF, policy: 'test-2030' });
    expect(result.ok ? undefined : result.error.map((i) => [i.path, i.code])).toEqual([
      [['policy'], 'unknown-policy'],
    ]);
    expect(EDITIONS.has('test-2030')).toBe(false);
  });

  test('with the registry, an unknown id lists both editions', () => {
    const result = check(OK, { asOf: AS_OF, policy: 'test-2031', editions: TEST_EDITIONS });
    expect(result.ok ? undefined : result.error[0]?.params).toEqual({
      value: 'test-2031',
      allowed: 'shenzhen-2019, test-2030',
    });
  });

  test('without a policy the default edition applies, even with the registry given', () => {
    expect(DEFAULT_EDITION.id).toBe('shenzhen-2019');
    expect(decideOne(OK, { editions: TEST_EDITIONS }).policy).toBe('shenzhen-2019');
  });

  test('building the test edition left shenzhen-2019 as it was', () => {
    expect(shenzhen2019.ageReading.value).toBe('exclusive');
    const age = shenzhen2019.routes
      .find((r) => r.id === 'degree-bachelor')
      ?.conditions.find((c) => c.id === 'age');
    expect(age).toEqual({
      id: 'age',
      under: { value: 45, clause: 'plan-2019/scope/degree-1', since: '2019-02-28' },
    });
    expect(testEdition.routes.map((r) => r.id)).toEqual(shenzhen2019.routes.map((r) => r.id));
  });

  test('decide() takes the edition as an argument, no registry needed', () => {
    const valid = validateProfile(
      { birthDate: '1991-11-27', education: 'college', educationMode: 'regular' },
      AS_OF,
    );
    if (!valid.ok) throw new Error('fixture profile should be valid');
    expect(decide(valid.value, { asOf: AS_OF, edition: testEdition }).route).toBe('degree-college');
    expect(decide(valid.value, { asOf: AS_OF, edition: shenzhen2019 }).route).toBeNull();
  });

  test('a batch under the test edition', () => {
    const result = check(
      [
        { birthDate: '1991-11-27', education: 'college', educationMode: 'regular' },
        { birthDate: '1984-06-15', education: 'bachelor', educationMode: 'regular' },
      ],
      { asOf: AS_OF, ...under('test-2030') },
    );
    expect(
      result.ok && Array.isArray(result.value) ? result.value.map((d) => [d.policy, d.verdict]) : undefined,
    ).toEqual([
      ['test-2030', 'instant'],
      ['test-2030', 'not-eligible'],
    ]);
  });
});
