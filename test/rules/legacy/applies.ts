// Frozen copy of rules/applies.ts before the performance work (issue 5): the reference the
// equivalence tests compare the fast implementation with. Do not change.
/** Matching of an edition's `When` clauses (for steps, materials and notes) against a case. */
import type { When } from '../../../rules/edition.js';
import type { Profile } from '../../../rules/profile.js';

/** The facts a `When` is matched against. */
export interface Case {
  readonly profile: Profile;
  readonly route: string | null;
  readonly verdict: string;
  readonly settlement: string;
}

/** True when every part of `when` holds for the case (an absent `when` always holds). */
export function applies(when: When | undefined, c: Case): boolean {
  if (!when) return true;
  if (when.route && (c.route === null || !when.route.includes(c.route))) return false;
  if (when.verdict && !(when.verdict as readonly string[]).includes(c.verdict)) return false;
  if (when.settlement && !when.settlement.includes(c.settlement)) return false;
  for (const [field, allowed] of Object.entries(when.profile ?? {})) {
    const value = c.profile[field as keyof Profile];
    if (!(allowed as readonly unknown[]).includes(value)) return false;
  }
  return true;
}
