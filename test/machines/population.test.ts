/**
 * A population of generated people answer truthfully. Whatever the dialogue skipped, the verdict,
 * the settlement recommendation and the steps are those of their full profile, and the route it
 * names is one their full profile meets.
 */
import { describe, expect, test } from 'vitest';
import { consult } from '../../bench/dialogue.js';
import { generateProfiles } from '../../bench/profiles.js';
import { check, type Decision, type Profile, ProfileSchema } from '../../rules/index.js';
import { AS_OF } from './support.js';

const people = generateProfiles(1500, AS_OF, 42).map((p) => ProfileSchema.parse(p));
const CHUNK = 100;
const chunks = Array.from(
  { length: people.length / CHUNK },
  (_, i) => [i * CHUNK, people.slice(i * CHUNK, (i + 1) * CHUNK)] as const,
);

function assertSound(profile: Profile): void {
  const { questions, decision } = consult(profile, AS_OF);
  const full = check(profile, { asOf: AS_OF });
  if (!full.ok || Array.isArray(full.value)) throw new Error('generated profiles are valid');
  const truth: Decision = full.value;
  expect(decision.verdict).toBe(truth.verdict);
  if (decision.verdict !== 'not-eligible') {
    expect(decision.settlement.recommended).toBe(truth.settlement.recommended);
    expect(decision.steps).toEqual(truth.steps);
    expect(truth.routes.find((r) => r.id === decision.route)?.met).toBe(true);
  }
  expect(new Set(questions).size).toBe(questions.length);
}

describe('questions to a sound decision', () => {
  test.each(chunks)('people from index %i', (_first, group: readonly Profile[]) => {
    for (const profile of group) assertSound(profile);
  });
});
