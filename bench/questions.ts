/** Questions to a decision over a generated population: median, max, and the distribution. */
import { ProfileSchema } from '../rules/index.js';
import { consult } from './dialogue.js';
import { generateProfiles } from './profiles.js';

/** Counts of questions asked per person, over `size` generated people. */
export function questionCounts(size: number, asOf: string): number[] {
  return generateProfiles(size, asOf, 2026).map(
    (p) => consult(ProfileSchema.parse(p), asOf).questions.length,
  );
}
