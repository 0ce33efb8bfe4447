/**
 * Settlement options (落户方式): all five, in the policy's order; the first that fits is recommended;
 * the police-managed household fits only when none of the other four does.
 */
import { describe, expect, test } from 'vitest';
import { decideOne } from './support.js';

const OPTION_IDS = ['own-property', 'relative', 'employer-collective', 'talent-centre', 'police-managed'];

const Y = true;
const N = false;

describe('the full truth table of the four fitting fields', () => {
  test.each([
    // ownsProperty, relativeHost, employerCollective, talentCentre → recommended, fits (5 options)
    [N, N, N, N, 'police-managed', [N, N, N, N, Y]],
    [N, N, N, Y, 'talent-centre', [N, N, N, Y, N]],
    [N, N, Y, N, 'employer-collective', [N, N, Y, N, N]],
    [N, N, Y, Y, 'employer-collective', [N, N, Y, Y, N]],
    [N, Y, N, N, 'relative', [N, Y, N, N, N]],
    [N, Y, N, Y, 'relative', [N, Y, N, Y, N]],
    [N, Y, Y, N, 'relative', [N, Y, Y, N, N]],
    [N, Y, Y, Y, 'relative', [N, Y, Y, Y, N]],
    [Y, N, N, N, 'own-property', [Y, N, N, N, N]],
    [Y, N, N, Y, 'own-property', [Y, N, N, Y, N]],
    [Y, N, Y, N, 'own-property', [Y, N, Y, N, N]],
    [Y, N, Y, Y, 'own-property', [Y, N, Y, Y, N]],
    [Y, Y, N, N, 'own-property', [Y, Y, N, N, N]],
    [Y, Y, N, Y, 'own-property', [Y, Y, N, Y, N]],
    [Y, Y, Y, N, 'own-property', [Y, Y, Y, N, N]],
    [Y, Y, Y, Y, 'own-property', [Y, Y, Y, Y, N]],
  ])(
    'property %s, relative %s, collective %s, talent centre %s → %s',
    (ownsProperty, relativeHost, employerCollective, talentCentre, recommended, fits) => {
      const decision = decideOne({
        birthDate: '1990-06-15',
        education: 'bachelor',
        educationMode: 'regular',
        ownsProperty,
        relativeHost,
        employerCollective,
        talentCentre,
      });
      expect(decision.settlement.options.map((o) => o.id)).toEqual(OPTION_IDS);
      expect(decision.settlement.options.map((o) => o.fits)).toEqual(fits);
      expect(decision.settlement.recommended).toBe(recommended);
    },
  );
});

describe('settlement is given whatever the verdict', () => {
  test.each([
    ['instant', { education: 'bachelor', educationMode: 'regular' }],
    ['window-review', { education: 'bachelor', educationMode: 'regular', creditHighRisk: true }],
    ['not-eligible', { education: 'none' }],
  ] as const)('%s', (verdict, qualification) => {
    const decision = decideOne({ birthDate: '1990-06-15', ...qualification, relativeHost: true });
    expect(decision.verdict).toBe(verdict);
    expect(decision.settlement.recommended).toBe('relative');
    expect(decision.settlement.options).toHaveLength(5);
  });
});

describe('explain.settlement: each option with its clause, pros and cons, in order', () => {
  test('five options, cited from the plan, each with something for and against', () => {
    const decision = decideOne({ birthDate: '1990-06-15', education: 'bachelor', educationMode: 'regular' });
    expect(decision.explain.settlement.map((o) => o.id)).toEqual(OPTION_IDS);
    expect(decision.explain.settlement.map((o) => o.clause)).toEqual([
      'plan-2019/settlement/1',
      'plan-2019/settlement/2',
      'plan-2019/settlement/3',
      'plan-2019/settlement/4',
      'plan-2019/settlement/5',
    ]);
    for (const option of decision.explain.settlement)
      expect(option.pros.length + option.cons.length).toBeGreaterThan(0);
  });
});
