// Frozen copy of rules/check.ts before the performance work (issue 5): the reference the
// equivalence tests compare the fast implementation with. Do not change.
/**
 * `check`: raw input (one profile or an array of them) in, decisions or a list of problems out.
 * The one entry point shared by the CLI, the HTTP API and integrations.
 */

import type { Decision } from '../../../rules/decision.js';
import type { Edition } from '../../../rules/edition.js';
import { DEFAULT_EDITION, EDITIONS } from '../../../rules/editions/index.js';
import type { Issue } from '../../../rules/issues.js';
import type { Profile } from '../../../rules/profile.js';
import { fail, ok, type Result } from '../../../rules/result.js';
import { type IsoDate, POLICY_TIME_ZONE, parseIsoDate, todayIn } from './dates.js';
import { decide } from './evaluate.js';
import { validateProfile } from './validate.js';

/** Options of {@link check}. */
export interface CheckOptions {
  /** Decision date; default: today in Asia/Shanghai. */
  readonly asOf?: IsoDate;
  /** Edition id; default: `shenzhen-2019`. */
  readonly policy?: string;
  /** Editions to choose from (tests and integrators may add their own). */
  readonly editions?: ReadonlyMap<string, Edition>;
  /** The current instant, for "today"; default: the clock. */
  readonly now?: Date;
}

/** The decision settings after defaults and checks. */
export interface ResolvedSettings {
  readonly asOf: IsoDate;
  readonly edition: Edition;
}

/** Resolves and checks `asOf` and `policy`; problems are reported as issues on `--as-of` / `--policy`. */
export function resolveSettings(options: CheckOptions = {}): Result<ResolvedSettings, Issue[]> {
  const issues: Issue[] = [];
  const asOf = options.asOf ?? todayIn(POLICY_TIME_ZONE, options.now);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    issues.push({ path: ['asOf'], code: 'date-format', params: { value: asOf } });
  else if (!parseIsoDate(asOf))
    issues.push({ path: ['asOf'], code: 'not-a-real-date', params: { value: asOf } });
  const editions = options.editions ?? EDITIONS;
  const edition = options.policy === undefined ? DEFAULT_EDITION : editions.get(options.policy);
  if (!edition)
    issues.push({
      path: ['policy'],
      code: 'unknown-policy',
      params: { value: String(options.policy), allowed: [...editions.keys()].join(', ') },
    });
  return issues.length > 0 || !edition ? fail(issues) : ok({ asOf, edition });
}

/** Decides one validated profile with resolved settings. */
export function decideWith(profile: Profile, settings: ResolvedSettings): Decision {
  return decide(profile, { asOf: settings.asOf, edition: settings.edition });
}

/**
 * Checks one profile or an array of profiles (bulk screening).
 * For an array, the result is an array of decisions in the same order; a problem in any item fails
 * the whole batch, with every item's problems reported under its index (`[3].birthDate`).
 */
export function check(input: unknown, options: CheckOptions = {}): Result<Decision | Decision[], Issue[]> {
  const settings = resolveSettings(options);
  if (!settings.ok) return settings;
  const { asOf } = settings.value;
  if (Array.isArray(input)) {
    const decisions: Decision[] = [];
    const issues: Issue[] = [];
    input.forEach((item, index) => {
      const valid = validateProfile(item, asOf, [index]);
      if (valid.ok) decisions.push(decideWith(valid.value, settings.value));
      else issues.push(...valid.error);
    });
    return issues.length > 0 ? fail(issues) : ok(decisions);
  }
  const valid = validateProfile(input, asOf);
  return valid.ok ? ok(decideWith(valid.value, settings.value)) : valid;
}
