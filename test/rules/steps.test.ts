/**
 * Steps and materials: what this person has to do and prepare. Move-in permit and migration
 * certificate exactly when the hukou is outside Guangdong; the approval SMS for 秒批, the window
 * review for a high credit risk; materials tailored to the chosen route and settlement option.
 */
import { describe, expect, test } from 'vitest';
import type { ProfileInput } from '../../rules/index.js';
import { decideOne, VERIFIED } from './support.js';

const BACHELOR = { birthDate: '1990-06-15', education: 'bachelor', educationMode: 'regular' } as const;
const NOT_ELIGIBLE = { birthDate: '1990-06-15', education: 'college', educationMode: 'regular' } as const;

/** `a` comes before `b` in `list` (both present). */
function comesBefore(list: readonly string[], a: string, b: string): boolean {
  return list.includes(a) && list.includes(b) && list.indexOf(a) < list.indexOf(b);
}

describe('steps by hukou province and verdict', () => {
  test.each<[string, ProfileInput, string, string[], string[]]>([
    // name, profile, verdict, steps included, steps excluded
    [
      'instant, hukou outside Guangdong',
      { ...BACHELOR },
      'instant',
      ['approval-sms', 'move-in-permit', 'migration-certificate', 'police-registration'],
      ['one-stop-wait', 'window-review'],
    ],
    [
      'instant, Guangdong hukou',
      { ...BACHELOR, guangdongHukou: true },
      'instant',
      ['approval-sms', 'one-stop-wait', 'police-registration'],
      ['move-in-permit', 'migration-certificate', 'window-review'],
    ],
    [
      'window review, hukou outside Guangdong',
      { ...BACHELOR, creditHighRisk: true },
      'window-review',
      ['window-review', 'move-in-permit', 'migration-certificate', 'police-registration'],
      ['approval-sms', 'one-stop-wait'],
    ],
    [
      'window review, Guangdong hukou',
      { ...BACHELOR, creditHighRisk: true, guangdongHukou: true },
      'window-review',
      ['window-review', 'one-stop-wait', 'police-registration'],
      ['approval-sms', 'move-in-permit', 'migration-certificate'],
    ],
  ])('%s', (_name, profile, verdict, included, excluded) => {
    const decision = decideOne(profile);
    expect(decision.verdict).toBe(verdict);
    for (const id of included) expect(decision.steps).toContain(id);
    for (const id of excluded) expect(decision.steps).not.toContain(id);
    expect(new Set(decision.steps).size).toBe(decision.steps.length);
  });

  test('the process runs in order: submit, approval, move-in permit, migration certificate, registration', () => {
    const { steps } = decideOne(BACHELOR);
    expect(comesBefore(steps, 'online-assessment', 'upload-materials')).toBe(true);
    expect(comesBefore(steps, 'upload-materials', 'approval-sms')).toBe(true);
    expect(comesBefore(steps, 'approval-sms', 'move-in-permit')).toBe(true);
    expect(comesBefore(steps, 'move-in-permit', 'migration-certificate')).toBe(true);
    expect(comesBefore(steps, 'migration-certificate', 'police-registration')).toBe(true);
    expect(steps.at(-1)).toBe('police-registration');
  });

  test('Guangdong one-stop: wait for the SMS, then register', () => {
    const { steps } = decideOne({ ...BACHELOR, guangdongHukou: true });
    expect(comesBefore(steps, 'one-stop-wait', 'police-registration')).toBe(true);
  });
});

describe('not eligible: no steps and no materials', () => {
  test.each<[string, ProfileInput]>([
    ['plain', { ...NOT_ELIGIBLE }],
    ['Guangdong hukou', { ...NOT_ELIGIBLE, guangdongHukou: true }],
    ['high credit risk', { ...NOT_ELIGIBLE, creditHighRisk: true }],
    ['owns property', { ...NOT_ELIGIBLE, ownsProperty: true }],
  ])('%s', (_name, profile) => {
    const decision = decideOne(profile);
    expect(decision.verdict).toBe('not-eligible');
    expect(decision.steps).toEqual([]);
    expect(decision.materials).toEqual([]);
  });
});

describe('materials tailored to the route', () => {
  const ROUTE_MATERIALS = [
    'chsi-record',
    'overseas-degree-certification',
    'scholar-proof',
    'high-level-certificate',
    'skill-certificate',
    'level-test-result',
    'social-insurance-record',
  ];
  test.each<[string, ProfileInput, string, string[]]>([
    // name, profile, route, the route-specific materials expected (all others absent)
    ['bachelor', { ...BACHELOR }, 'degree-bachelor', ['chsi-record']],
    [
      'college',
      { birthDate: '1996-06-15', education: 'college', educationMode: 'regular' },
      'degree-college',
      ['chsi-record'],
    ],
    [
      'overseas master',
      { birthDate: '1984-06-15', education: 'none', overseasDegree: 'master' },
      'overseas-returnee',
      ['overseas-degree-certification'],
    ],
    [
      'overseas scholar',
      { birthDate: '1984-06-15', education: 'none', overseasScholar: true },
      'overseas-returnee',
      ['scholar-proof'],
    ],
    [
      'overseas degree and scholar',
      { birthDate: '1984-06-15', education: 'none', overseasDegree: 'doctorate', overseasScholar: true },
      'overseas-returnee',
      ['overseas-degree-certification'],
    ],
    [
      'high-level talent with a doctorate',
      { birthDate: '1968-03-15', education: 'doctorate', educationMode: 'regular', highLevelTalent: true },
      'high-level-talent',
      ['high-level-certificate'],
    ],
    [
      'technician from a Shenzhen exam',
      { birthDate: '1988-06-15', education: 'none', skill: 'technician', ...VERIFIED },
      'skill-technician',
      ['skill-certificate'],
    ],
    [
      'technician via the level test',
      {
        birthDate: '1988-06-15',
        education: 'none',
        skill: 'technician',
        skillInCatalog: true,
        skillLevelTestPassed: true,
      },
      'skill-technician',
      ['skill-certificate', 'level-test-result'],
    ],
    [
      'senior technician via the level test',
      {
        birthDate: '1984-06-15',
        education: 'none',
        skill: 'senior-technician',
        skillInCatalog: true,
        skillLevelTestPassed: true,
      },
      'skill-senior-technician',
      ['skill-certificate', 'level-test-result'],
    ],
    [
      'senior worker from a Shenzhen exam',
      {
        birthDate: '1996-06-15',
        education: 'none',
        skill: 'senior-worker',
        ...VERIFIED,
        socialInsuranceMonths: 36,
      },
      'skill-senior-worker',
      ['skill-certificate', 'social-insurance-record'],
    ],
    [
      'senior worker via the level test',
      {
        birthDate: '1996-06-15',
        education: 'none',
        skill: 'senior-worker',
        skillInCatalog: true,
        skillLevelTestPassed: true,
        socialInsuranceMonths: 40,
      },
      'skill-senior-worker',
      ['skill-certificate', 'level-test-result', 'social-insurance-record'],
    ],
  ])('%s → %s: %j', (_name, profile, route, expected) => {
    const decision = decideOne(profile);
    expect(decision.route).toBe(route);
    expect(decision.materials.filter((m) => ROUTE_MATERIALS.includes(m))).toEqual(expected);
    expect(decision.materials).toContain('report-form');
    expect(decision.materials).toContain('hukou-and-id');
  });
});

describe('materials tailored to the settlement option', () => {
  const SETTLEMENT_MATERIALS = ['property-certificate', 'host-consent', 'collective-acceptance'];
  test.each<[string, ProfileInput, string, string[]]>([
    ['own property', { ...BACHELOR, ownsProperty: true }, 'own-property', ['property-certificate']],
    ['relative', { ...BACHELOR, relativeHost: true }, 'relative', ['host-consent']],
    [
      'employer collective',
      { ...BACHELOR, employerCollective: true },
      'employer-collective',
      ['collective-acceptance'],
    ],
    ['talent centre', { ...BACHELOR, talentCentre: true }, 'talent-centre', []],
    ['police-managed', { ...BACHELOR }, 'police-managed', []],
    [
      'property and collective: only the recommended one',
      { ...BACHELOR, ownsProperty: true, employerCollective: true },
      'own-property',
      ['property-certificate'],
    ],
  ])('%s', (_name, profile, recommended, expected) => {
    const decision = decideOne(profile);
    expect(decision.settlement.recommended).toBe(recommended);
    expect(decision.materials.filter((m) => SETTLEMENT_MATERIALS.includes(m))).toEqual(expected);
  });
});
