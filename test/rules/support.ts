/**
 * Helpers shared by the rules tests: decide one profile through the public `check` entry point,
 * and look a route up by id. Tables stay data; these only run them.
 */
import {
  type CheckOptions,
  check,
  type Decision,
  type ProfileInput,
  type RouteOutcome,
} from '../../rules/index.js';

/** The decision date of the contract's worked examples. */
export const AS_OF = '2026-11-28';

/** The route ids of edition `shenzhen-2019`, in the contract table's order. */
export const ROUTE_IDS = [
  'high-level-talent',
  'degree-bachelor',
  'overseas-returnee',
  'degree-college',
  'skill-senior-technician',
  'skill-technician',
  'skill-senior-worker',
] as const;
export type RouteId = (typeof ROUTE_IDS)[number];

/** Decides one valid profile with `check`; throws (failing the test) when check reports issues. */
export function decideOne(profile: ProfileInput, options: CheckOptions = {}): Decision {
  const result = check(profile, { asOf: AS_OF, ...options });
  if (!result.ok) throw new Error(`unexpected issues: ${JSON.stringify(result.error)}`);
  if (Array.isArray(result.value)) throw new Error('expected one decision, got an array');
  return result.value;
}

/** The contract outcome of one route; throws when the decision does not list it. */
export function routeOf(decision: Decision, id: string): RouteOutcome {
  const found = decision.routes.find((r) => r.id === id);
  if (!found) throw new Error(`route ${id} missing from decision`);
  return found;
}

/** The explanation of one route; throws when the decision does not explain it. */
export function explainOf(decision: Decision, id: string): Decision['explain']['routes'][number] {
  const found = decision.explain.routes.find((r) => r.id === id);
  if (!found) throw new Error(`route ${id} missing from explain.routes`);
  return found;
}

/** Ids of the met routes, in order. */
export const metIds = (decision: Decision): string[] => decision.routes.filter((r) => r.met).map((r) => r.id);

/** A skill that counts: in the catalogue and obtained through a Shenzhen examination. */
export const VERIFIED = { skillInCatalog: true, skillObtainedInShenzhen: true } as const;
