/**
 * `check`: raw input (one profile or an array of them) in, decisions or a list of problems out.
 * The one entry point shared by the CLI, the HTTP API and integrations.
 */
import { type IsoDate, POLICY_TIME_ZONE, parseIsoDate, todayIn } from './dates.js';
import type { Decision } from './decision.js';
import type { Edition } from './edition.js';
import { DEFAULT_EDITION, EDITIONS } from './editions/index.js';
import { decide } from './evaluate.js';
import type { Issue } from './issues.js';
import type { Profile } from './profile.js';
import { fail, ok, type Result } from './result.js';
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
 *
 * Decisions are plain data, but the parts many decisions have in common (a condition's check, the
 * steps, the settlement options...) are shared between them and frozen: copy a decision (e.g.
 * `structuredClone`) before changing it.
 */
export function check(input: unknown, options: CheckOptions = {}): Result<Decision | Decision[], Issue[]> {
  const settings = resolveSettings(options);
  if (!settings.ok) return settings;
  const { asOf } = settings.value;
  if (Array.isArray(input)) {
    const decisions: Decision[] = [];
    const issues: Issue[] = [];
    const prefix: [number] = [0];
    for (let index = 0; index < input.length; index++) {
      if (!(index in input)) continue; // a hole, skipped as forEach skips it
      prefix[0] = index;
      const valid = validateProfile(input[index], asOf, prefix);
      if (valid.ok) {
        if (issues.length === 0) decisions.push(decideWith(valid.value, settings.value));
      } else issues.push(...valid.error);
    }
    return issues.length > 0 ? fail(issues) : ok(decisions);
  }
  const valid = validateProfile(input, asOf);
  return valid.ok ? ok(decideWith(valid.value, settings.value)) : valid;
}
