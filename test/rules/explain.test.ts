/**
 * The reasons behind a decision (`explain`): each condition with the person's value, the threshold,
 * pass/fail and its clause; what would change the verdict; the routes closest to being met; the
 * deadline. Decision date 2026-11-28.
 */
import { describe, expect, test } from 'vitest';
import { ExplanationSchema, type ProfileInput, shenzhen2019 } from '../../rules/index.js';
import { decideOne, explainOf, type RouteId, VERIFIED } from './support.js';

const SINCE = '2019-02-28';
const P = 'plan-2019/scope';

type Row = [
  id: string,
  met: boolean | null,
  value: string | number | boolean | null,
  threshold: string | number | boolean,
  clause: string,
];

describe('explain.routes[i].conditions: value, threshold, met, clause', () => {
  test.each<[string, ProfileInput, RouteId, Row[]]>([
    [
      'bachelor regular, 33',
      { birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular' },
      'degree-bachelor',
      [
        ['education', true, 'bachelor', 'bachelor', `${P}/degree-1`],
        ['education-mode', true, 'regular', 'regular', `${P}/degree-1`],
        ['age', true, 33, 45, `${P}/degree-1`],
      ],
    ],
    [
      'adult-education bachelor, 37, against the college route',
      { birthDate: '1989-07-01', education: 'bachelor', educationMode: 'non-regular' },
      'degree-college',
      [
        ['education', true, 'bachelor', 'college', `${P}/degree-2`],
        ['education-mode', false, 'non-regular', 'regular', `${P}/degree-2`],
        ['age', false, 37, 35, `${P}/degree-2`],
      ],
    ],
    [
      'no mainland education: the mode does not apply',
      { birthDate: '1996-06-15', education: 'none' },
      'degree-college',
      [
        ['education', false, 'none', 'college', `${P}/degree-2`],
        ['education-mode', null, null, 'regular', `${P}/degree-2`],
        ['age', true, 30, 35, `${P}/degree-2`],
      ],
    ],
    [
      'no certificate',
      { birthDate: '1996-06-15', education: 'none' },
      'high-level-talent',
      [['certificate', false, false, true, `${P}/high-level`]],
    ],
    [
      'certificate',
      { birthDate: '1968-03-15', education: 'none', highLevelTalent: true },
      'high-level-talent',
      [['certificate', true, true, true, `${P}/high-level`]],
    ],
    [
      'overseas scholar, 42',
      { birthDate: '1984-06-15', education: 'none', overseasScholar: true },
      'overseas-returnee',
      [
        ['overseas', true, 'scholar', 'bachelor', `${P}/overseas`],
        ['age', true, 42, 45, `${P}/overseas`],
      ],
    ],
    [
      'overseas master and scholar, 42: the degree is shown',
      { birthDate: '1984-06-15', education: 'none', overseasDegree: 'master', overseasScholar: true },
      'overseas-returnee',
      [
        ['overseas', true, 'master', 'bachelor', `${P}/overseas`],
        ['age', true, 42, 45, `${P}/overseas`],
      ],
    ],
    [
      'technician via the level test, 38',
      {
        birthDate: '1988-06-15',
        education: 'none',
        skill: 'technician',
        skillInCatalog: true,
        skillLevelTestPassed: true,
      },
      'skill-technician',
      [
        ['skill', true, 'technician', 'technician', `${P}/skill-2`],
        ['catalog', true, true, true, `${P}/skill-note-1`],
        ['level-test', true, 'passed', true, `${P}/skill-note-2`],
        ['age', true, 38, 40, `${P}/skill-2`],
      ],
    ],
    [
      'senior worker from a Shenzhen exam, 30 months, 28',
      {
        birthDate: '1998-01-05',
        education: 'none',
        skill: 'senior-worker',
        ...VERIFIED,
        socialInsuranceMonths: 30,
      },
      'skill-senior-worker',
      [
        ['skill', true, 'senior-worker', 'senior-worker', `${P}/skill-3`],
        ['catalog', true, true, true, `${P}/skill-note-1`],
        ['level-test', true, 'shenzhen-exam', true, `${P}/skill-note-2`],
        ['social-insurance', false, 30, 36, `${P}/skill-3`],
        ['age', true, 28, 35, `${P}/skill-3`],
      ],
    ],
    [
      'no skill, 44, against senior technician',
      { birthDate: '1982-01-07', education: 'none' },
      'skill-senior-technician',
      [
        ['skill', false, 'none', 'senior-technician', `${P}/skill-1`],
        ['catalog', false, false, true, `${P}/skill-note-1`],
        ['level-test', false, 'none', true, `${P}/skill-note-2`],
        ['age', true, 44, 45, `${P}/skill-1`],
      ],
    ],
  ])('%s: %s', (_name, profile, id, rows) => {
    const route = explainOf(decideOne(profile), id);
    expect(route.conditions.map((c) => [c.id, c.met, c.value, c.threshold, c.clause])).toEqual(rows);
    for (const c of route.conditions) expect(c.since).toBe(SINCE);
  });

  test.each<[string, ProfileInput]>([
    ['bachelor', { birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular' }],
    ['nothing, 50', { birthDate: '1976-06-15', education: 'none' }],
    [
      'technician unverified',
      { birthDate: '1988-06-15', education: 'college', educationMode: 'non-regular', skill: 'technician' },
    ],
  ])('%s: conditions follow the edition, unmet = the failed ones, route clause given', (_name, profile) => {
    const decision = decideOne(profile);
    expect(ExplanationSchema.safeParse(decision.explain).success).toBe(true);
    expect(decision.explain.routes.map((r) => r.id)).toEqual(shenzhen2019.routes.map((r) => r.id));
    shenzhen2019.routes.forEach((rule, i) => {
      const explained = decision.explain.routes[i];
      const outcome = decision.routes[i];
      expect(explained?.clause).toBe(rule.clause);
      expect(explained?.met).toBe(outcome?.met);
      expect(explained?.conditions.map((c) => c.id)).toEqual(rule.conditions.map((c) => c.id));
      expect(explained?.conditions.filter((c) => c.met === false).map((c) => c.id)).toEqual(outcome?.unmet);
    });
  });
});

describe('explain.routes[i].changes: what would open a route', () => {
  test.each<[string, ProfileInput, RouteId, unknown[], boolean, string | null]>([
    // name, profile, route, changes, reachable, closedOn
    [
      'senior worker, 30 months, 28: six more months, in time',
      {
        birthDate: '1998-01-05',
        education: 'none',
        skill: 'senior-worker',
        ...VERIFIED,
        socialInsuranceMonths: 30,
      },
      'skill-senior-worker',
      [
        {
          id: 'more-social-insurance',
          condition: 'social-insurance',
          params: { months: 6, reachedOn: '2027-05-28', inTime: true },
        },
      ],
      true,
      '2033-01-05',
    ],
    [
      'senior worker, 30 months, 34: the 36 months come after the 35th birthday',
      {
        birthDate: '1992-01-10',
        education: 'none',
        skill: 'senior-worker',
        ...VERIFIED,
        socialInsuranceMonths: 30,
      },
      'skill-senior-worker',
      [
        {
          id: 'more-social-insurance',
          condition: 'social-insurance',
          params: { months: 6, reachedOn: '2027-05-28', inTime: false },
        },
      ],
      false,
      '2027-01-10',
    ],
    [
      'senior worker, 30 months: the 36 months come on the 35th birthday itself (too late)',
      {
        birthDate: '1992-05-28',
        education: 'none',
        skill: 'senior-worker',
        ...VERIFIED,
        socialInsuranceMonths: 30,
      },
      'skill-senior-worker',
      [
        {
          id: 'more-social-insurance',
          condition: 'social-insurance',
          params: { months: 6, reachedOn: '2027-05-28', inTime: false },
        },
      ],
      false,
      '2027-05-28',
    ],
    [
      'senior worker, 30 months: the 36 months come the day before the 35th birthday (in time)',
      {
        birthDate: '1992-05-29',
        education: 'none',
        skill: 'senior-worker',
        ...VERIFIED,
        socialInsuranceMonths: 30,
      },
      'skill-senior-worker',
      [
        {
          id: 'more-social-insurance',
          condition: 'social-insurance',
          params: { months: 6, reachedOn: '2027-05-28', inTime: true },
        },
      ],
      true,
      '2027-05-29',
    ],
    [
      'college, turned 35 last month: closed by age',
      { birthDate: '1991-10-20', education: 'college', educationMode: 'regular' },
      'degree-college',
      [{ id: 'age-closed', condition: 'age', params: { closedOn: '2026-10-20', age: 35 } }],
      false,
      '2026-10-20',
    ],
    [
      'bachelor, 50: closed at 45',
      { birthDate: '1976-06-15', education: 'bachelor', educationMode: 'regular' },
      'degree-bachelor',
      [{ id: 'age-closed', condition: 'age', params: { closedOn: '2021-06-15', age: 45 } }],
      false,
      '2021-06-15',
    ],
    [
      'technician in the catalogue, no level test',
      { birthDate: '1988-06-15', education: 'none', skill: 'technician', skillInCatalog: true },
      'skill-technician',
      [{ id: 'pass-level-test', condition: 'level-test', params: {} }],
      true,
      '2028-06-15',
    ],
    [
      'technician tested, occupation not in the catalogue',
      { birthDate: '1988-06-15', education: 'none', skill: 'technician', skillLevelTestPassed: true },
      'skill-technician',
      [{ id: 'catalog-occupation', condition: 'catalog', params: {} }],
      true,
      '2028-06-15',
    ],
    [
      'no skill, 50: everything missing and closed',
      { birthDate: '1976-06-15', education: 'none' },
      'skill-technician',
      [
        { id: 'raise-skill', condition: 'skill', params: { to: 'technician' } },
        { id: 'catalog-occupation', condition: 'catalog', params: {} },
        { id: 'pass-level-test', condition: 'level-test', params: {} },
        { id: 'age-closed', condition: 'age', params: { closedOn: '2016-06-15', age: 40 } },
      ],
      false,
      '2016-06-15',
    ],
    [
      'no mainland education, 30',
      { birthDate: '1996-06-15', education: 'none' },
      'degree-bachelor',
      [{ id: 'raise-education', condition: 'education', params: { to: 'bachelor' } }],
      true,
      '2041-06-15',
    ],
    [
      'adult-education bachelor, 30',
      { birthDate: '1996-06-15', education: 'bachelor', educationMode: 'non-regular' },
      'degree-bachelor',
      [{ id: 'regular-education', condition: 'education-mode', params: {} }],
      true,
      '2041-06-15',
    ],
    [
      'no overseas study, 42',
      { birthDate: '1984-06-15', education: 'none' },
      'overseas-returnee',
      [{ id: 'overseas-study', condition: 'overseas', params: { degree: 'bachelor', years: 1 } }],
      true,
      '2029-06-15',
    ],
    [
      'no certificate: no age limit',
      { birthDate: '1960-06-15', education: 'none' },
      'high-level-talent',
      [{ id: 'get-certificate', condition: 'certificate', params: {} }],
      true,
      null,
    ],
    [
      'a met route needs no change',
      { birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular' },
      'degree-bachelor',
      [],
      true,
      '2038-04-09',
    ],
  ])('%s', (_name, profile, id, changes, reachable, closedOn) => {
    const route = explainOf(decideOne(profile), id);
    expect(route.changes).toEqual(changes);
    expect(route.reachable).toBe(reachable);
    expect(route.closedOn).toBe(closedOn);
  });
});

describe('explain.closest: routes not met but reachable, closest first', () => {
  test('senior worker short of social insurance: that route first, then the other skill routes', () => {
    const { explain } = decideOne({
      birthDate: '1998-01-05',
      education: 'none',
      skill: 'senior-worker',
      ...VERIFIED,
      socialInsuranceMonths: 30,
    });
    expect(explain.closest[0]).toBe('skill-senior-worker');
    expect(explain.closest.slice(1, 3).sort()).toEqual(['skill-senior-technician', 'skill-technician']);
    expect([...explain.closest].sort()).toEqual(
      [
        'degree-bachelor',
        'degree-college',
        'high-level-talent',
        'overseas-returnee',
        'skill-senior-technician',
        'skill-senior-worker',
        'skill-technician',
      ].sort(),
    );
  });

  test.each<[string, ProfileInput, RouteId[], RouteId[]]>([
    // name, profile, routes that must be listed, routes that must not
    [
      'the missing months come too late: route left out',
      {
        birthDate: '1992-01-10',
        education: 'none',
        skill: 'senior-worker',
        ...VERIFIED,
        socialInsuranceMonths: 30,
      },
      ['degree-college', 'skill-technician'],
      ['skill-senior-worker'],
    ],
    [
      'closed by age: left out',
      { birthDate: '1991-10-20', education: 'college', educationMode: 'regular' },
      [
        'degree-bachelor',
        'overseas-returnee',
        'skill-senior-technician',
        'skill-technician',
        'high-level-talent',
      ],
      ['degree-college', 'skill-senior-worker'],
    ],
    [
      'met routes: left out',
      { birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular' },
      ['high-level-talent', 'overseas-returnee'],
      ['degree-bachelor', 'degree-college'],
    ],
  ])('%s', (_name, profile, listed, absent) => {
    const { closest } = decideOne(profile).explain;
    for (const id of listed) expect(closest).toContain(id);
    for (const id of absent) expect(closest).not.toContain(id);
  });

  test('a level test away comes before a new qualification', () => {
    const { closest } = decideOne({
      birthDate: '1988-06-15',
      education: 'none',
      skill: 'technician',
      skillInCatalog: true,
    }).explain;
    expect(closest[0]).toBe('skill-technician');
    expect(closest.indexOf('skill-technician')).toBeLessThan(closest.indexOf('skill-senior-technician'));
    expect(closest.indexOf('skill-technician')).toBeLessThan(closest.indexOf('degree-bachelor'));
  });
});

describe('explain.deadline (latest until among met routes) and alternatives (met routes that outlast the chosen one)', () => {
  test.each<[string, ProfileInput, string | null, { id: string; until: string | null }[]]>([
    [
      'bachelor, 33: bachelor lasts longer than college',
      { birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular' },
      '2038-04-08',
      [],
    ],
    [
      'college and technician, 30: the deadline is not the chosen route’s',
      {
        birthDate: '1996-06-15',
        education: 'college',
        educationMode: 'regular',
        skill: 'technician',
        ...VERIFIED,
      },
      '2036-06-14',
      [{ id: 'skill-technician', until: '2036-06-14' }],
    ],
    [
      'senior technician, 30: 45 beats 40',
      { birthDate: '1996-06-15', education: 'none', skill: 'senior-technician', ...VERIFIED },
      '2041-06-14',
      [],
    ],
    [
      'high-level talent met: no deadline',
      { birthDate: '1990-06-15', education: 'bachelor', educationMode: 'regular', highLevelTalent: true },
      null,
      [],
    ],
    [
      'not eligible: no deadline',
      { birthDate: '1990-06-15', education: 'college', educationMode: 'regular' },
      null,
      [],
    ],
  ])('%s', (_name, profile, deadline, alternatives) => {
    const { explain } = decideOne(profile);
    expect(explain.deadline).toBe(deadline);
    expect(explain.alternatives).toEqual(alternatives);
  });
});

describe('explain: the reading, interpretations and notes', () => {
  test('the age reading of the edition is stated with its clause', () => {
    const { explain } = decideOne({ birthDate: '1990-06-15', education: 'none' });
    expect(explain.ageReading).toBe('exclusive');
    expect(explain.ageReadingClause).toBe('luohu/age-boundary');
    expect(explain.interpretations).toEqual(['age-boundary', 'social-insurance-cumulative']);
    expect(explain.laterChanges).toEqual(['draft-2021']);
    expect(explain.clauses).toEqual({
      source: 'plan-2019',
      creditReview: 'plan-2019/credit',
      submitters: 'plan-2019/guide/how',
    });
  });

  test.each<[string, ProfileInput, string[], string[]]>([
    // name, profile, notes present, notes absent
    [
      'not eligible',
      { birthDate: '1990-06-15', education: 'none' },
      ['not-official'],
      ['after-approval-checks', 'party-transfer'],
    ],
    [
      'instant',
      { birthDate: '1990-06-15', education: 'bachelor', educationMode: 'regular' },
      ['after-approval-checks', 'party-transfer'],
      ['part-time-postgraduate'],
    ],
    [
      'master on the bachelor route',
      { birthDate: '1990-06-15', education: 'master', educationMode: 'regular' },
      ['part-time-postgraduate'],
      [],
    ],
    [
      'adult education',
      { birthDate: '1990-06-15', education: 'bachelor', educationMode: 'non-regular' },
      ['non-regular-points'],
      [],
    ],
    [
      'relative household',
      { birthDate: '1990-06-15', education: 'none', relativeHost: true },
      ['friend-household'],
      ['talent-account'],
    ],
    [
      'talent centre',
      { birthDate: '1990-06-15', education: 'none', talentCentre: true },
      ['talent-account'],
      ['friend-household'],
    ],
  ])('%s', (_name, profile, present, absent) => {
    const { notes } = decideOne(profile).explain;
    for (const id of present) expect(notes).toContain(id);
    for (const id of absent) expect(notes).not.toContain(id);
  });
});
