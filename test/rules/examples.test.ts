/**
 * The contract's worked examples (`../shared/contract/examples.json`): every field of `expect` must
 * come out exactly; the steps, described in words in `note`, are checked as the note says.
 */
import { describe, expect, test } from 'vitest';
import { check, DecisionSchema, type ProfileInput } from '../../rules/index.js';
import { contractExamplesText } from '../fixtures/contract.js';

interface Example {
  readonly name: string;
  readonly asOf: string;
  readonly profile: ProfileInput;
  readonly expect: Record<string, unknown>;
  readonly note: string;
}

const EXAMPLES: Example[] = JSON.parse(contractExamplesText());

/** What each `note` wording says about the steps. */
const NOTES: Record<string, 'include' | 'exclude' | 'empty'> = {
  'steps include move-in-permit and migration-certificate': 'include',
  'steps exclude move-in-permit and migration-certificate': 'exclude',
  'steps: empty (not eligible)': 'empty',
};

const IGNORED = new Set(['steps', 'materials', 'explain']);

test('examples.json holds the seven worked examples', () => {
  expect(EXAMPLES).toHaveLength(7);
  for (const example of EXAMPLES) expect(Object.keys(NOTES)).toContain(example.note);
});

describe.each(EXAMPLES)('$name', (example) => {
  const result = check(example.profile, { asOf: example.asOf });
  const decision = result.ok && !Array.isArray(result.value) ? result.value : undefined;

  test('check accepts the profile and returns one decision matching the schema', () => {
    expect(result.ok).toBe(true);
    expect(decision).toBeDefined();
    expect(DecisionSchema.safeParse(decision).success).toBe(true);
  });

  test.each(Object.keys(example.expect).filter((k) => !IGNORED.has(k)))('field %s equals expect', (key) => {
    expect((decision as Record<string, unknown> | undefined)?.[key]).toStrictEqual(example.expect[key]);
  });

  test(`steps: ${example.note}`, () => {
    const steps = decision?.steps;
    expect(steps).toBeDefined();
    switch (NOTES[example.note]) {
      case 'include':
        expect(steps).toContain('move-in-permit');
        expect(steps).toContain('migration-certificate');
        expect(steps).not.toContain('one-stop-wait');
        break;
      case 'exclude':
        expect(steps).not.toContain('move-in-permit');
        expect(steps).not.toContain('migration-certificate');
        expect(steps?.length).toBeGreaterThan(0);
        break;
      case 'empty':
        expect(steps).toEqual([]);
        expect(decision?.materials).toEqual([]);
        break;
      default:
        throw new Error(`unknown note: ${example.note}`);
    }
  });
});

test('bulk: the examples as one array give the same decisions in the same order', () => {
  const asOfs = new Set(EXAMPLES.map((e) => e.asOf));
  expect(asOfs.size).toBe(1);
  const result = check(
    EXAMPLES.map((e) => e.profile),
    { asOf: EXAMPLES[0]?.asOf },
  );
  expect(result.ok).toBe(true);
  if (!result.ok || !Array.isArray(result.value)) throw new Error('expected an array of decisions');
  expect(result.value.map((d) => [d.route, d.verdict, d.age])).toEqual(
    EXAMPLES.map((e) => [e.expect.route, e.expect.verdict, e.expect.age]),
  );
});
