/**
 * Deterministic generator of valid, varied profiles, for benchmarks and population-wide tests.
 * A small seeded PRNG (mulberry32) so runs are repeatable.
 */
import {
  addDays,
  BOOLEAN_FIELDS,
  EDUCATION_LEVELS,
  EDUCATION_MODES,
  formatIsoDate,
  OVERSEAS_DEGREES,
  type ProfileInput,
  parseIsoDate,
  SKILL_LEVELS,
} from '../rules/index.js';

/** A seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` profiles of people aged about 18 to 60 on `asOf`, every field exercised. */
export function generateProfiles(count: number, asOf: string, seed = 1): ProfileInput[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const base = parseIsoDate(asOf);
  if (!base) throw new RangeError(`not a date: ${asOf}`);
  const profiles: ProfileInput[] = [];
  for (let i = 0; i < count; i++) {
    const birthDate = formatIsoDate(addDays(base, -Math.floor((18 + random() * 42) * 365.25)));
    const education = pick(EDUCATION_LEVELS);
    const profile: Record<string, unknown> = {
      birthDate,
      education,
      overseasDegree: random() < 0.8 ? 'none' : pick(OVERSEAS_DEGREES),
      skill: random() < 0.5 ? 'none' : pick(SKILL_LEVELS),
      socialInsuranceMonths: Math.floor(random() * 72),
    };
    if (education !== 'none') profile.educationMode = pick(EDUCATION_MODES);
    for (const field of BOOLEAN_FIELDS) profile[field] = random() < 0.3;
    profiles.push(profile as ProfileInput);
  }
  return profiles;
}
