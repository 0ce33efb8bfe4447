// Frozen copy of rules/evaluate.ts before the performance work (issue 5): the reference the
// equivalence tests compare the fast implementation with. Do not change.
/**
 * The evaluator: a validated profile, a decision date and an edition in; a decision out.
 * Pure: no clock, no I/O, no text. Every number it applies comes from the edition.
 */

import type {
  Change,
  Decision,
  Explanation,
  RouteExplanation,
  RouteOutcome,
  Verdict,
} from '../../../rules/decision.js';
import type { ConditionId, Edition, RouteRule } from '../../../rules/edition.js';
import type { Profile } from '../../../rules/profile.js';
import { applies, type Case } from './applies.js';
import {
  type ConditionContext,
  checkCondition,
  conditionMet,
  lastDayUnder,
  limitBirthday,
} from './conditions.js';
import { ageOn, daysBetween, formatIsoDate, type IsoDate, parseIsoDate } from './dates.js';

/** Options of {@link decide}. */
export interface DecideOptions {
  /** The decision date, `YYYY-MM-DD` (a Shanghai calendar day; see `todayIn`). */
  readonly asOf: IsoDate;
  readonly edition: Edition;
  /** Profile fields the person did not know and that were answered with the cautious assumption. */
  readonly unconfirmed?: readonly string[];
}

/**
 * How much effort each kind of change takes, to rank the routes closest to being met.
 * Luohu's advice heuristic, not policy: passing a test is quicker than earning a new qualification.
 */
const CHANGE_EFFORT: Readonly<Record<ConditionId, number>> = {
  'level-test': 1,
  'social-insurance': 1,
  catalog: 2,
  skill: 3,
  education: 4,
  'education-mode': 4,
  overseas: 4,
  certificate: 5,
  age: Number.POSITIVE_INFINITY,
};

function evaluateRoute(
  route: RouteRule,
  profile: Profile,
  ctx: ConditionContext,
): RouteExplanation & RouteOutcome {
  const ageRule = route.conditions.find((c) => c.id === 'age');
  const closes = ageRule ? limitBirthday(ctx, ageRule.under.value) : undefined;
  const outcomes = route.conditions.map((rule) => checkCondition(rule, profile, ctx, closes));
  const unmet = outcomes.filter((o) => o.check.met === false).map((o) => o.check.id);
  const changes = outcomes.flatMap((o) => (o.change ? [o.change] : []));
  const reachable = changes.every((c) => c.id !== 'age-closed' && c.params.inTime !== false);
  return {
    id: route.id,
    clause: route.clause,
    met: unmet.length === 0,
    unmet,
    until: ageRule ? formatIsoDate(lastDayUnder(ctx, ageRule.under.value)) : null,
    conditions: outcomes.map((o) => o.check),
    changes,
    closedOn: closes ? formatIsoDate(closes) : null,
    reachable,
  };
}

/** The context conditions are checked in, for a profile on a date under an edition. */
function contextOf(profile: Profile, options: Pick<DecideOptions, 'asOf' | 'edition'>): ConditionContext {
  const asOf = parseIsoDate(options.asOf);
  const birth = parseIsoDate(profile.birthDate);
  if (!asOf || !birth) throw new RangeError('decide() needs a validated profile and a real asOf date');
  return { birth, asOf, age: ageOn(birth, asOf), ageReading: options.edition.ageReading.value };
}

/** A route's outcome without the explanation: met, and the conditions that fail. */
export interface RouteCheck {
  readonly id: string;
  readonly met: boolean;
  readonly unmet: readonly ConditionId[];
}

/**
 * Which routes are met and what fails, without building explanations: the cheap check behind the
 * choice of the next question. {@link decide} gives the same `met` and `unmet`, with the reasons.
 */
export function checkRoutes(
  profile: Profile,
  options: Pick<DecideOptions, 'asOf' | 'edition'>,
): RouteCheck[] {
  const ctx = contextOf(profile, options);
  return options.edition.routes.map((route) => {
    const unmet: ConditionId[] = [];
    for (const rule of route.conditions) if (conditionMet(rule, profile, ctx) === false) unmet.push(rule.id);
    return { id: route.id, met: unmet.length === 0, unmet };
  });
}

const effort = (changes: readonly Change[]) =>
  changes.reduce((sum, c) => sum + CHANGE_EFFORT[c.condition], 0);

/**
 * Decides a case: which routes are met, the verdict, the settlement option, the steps and
 * materials, and the reasons behind each. The profile must have been validated for `asOf`.
 */
export function decide(profile: Profile, options: DecideOptions): Decision {
  const { edition } = options;
  const asOf = parseIsoDate(options.asOf);
  const birth = parseIsoDate(profile.birthDate);
  if (!asOf || !birth) throw new RangeError('decide() needs a validated profile and a real asOf date');
  const ctx: ConditionContext = {
    birth,
    asOf,
    age: ageOn(birth, asOf),
    ageReading: edition.ageReading.value,
  };

  const evaluated = edition.routes.map((r) => evaluateRoute(r, profile, ctx));
  const met = evaluated.filter((r) => r.met);
  const first = met[0];
  const verdict: Verdict = !first ? 'not-eligible' : profile.creditHighRisk ? 'window-review' : 'instant';

  const warnings: string[] = [];
  if (first?.until) {
    const until = parseIsoDate(first.until);
    if (until && daysBetween(asOf, until) <= edition.ageLimitWarningDays.value)
      warnings.push('age-limit-soon');
  }
  if (options.unconfirmed && options.unconfirmed.length > 0) warnings.push('unconfirmed-answers');

  const fitting = edition.settlement.filter((o) => o.fitsWhen !== 'fallback' && profile[o.fitsWhen]);
  const options_ = edition.settlement.map((o) => ({
    id: o.id,
    fits: o.fitsWhen === 'fallback' ? fitting.length === 0 : profile[o.fitsWhen],
  }));
  const recommended =
    options_.find((o) => o.fits)?.id ?? edition.settlement[edition.settlement.length - 1]?.id ?? '';

  const theCase: Case = { profile, route: first?.id ?? null, verdict, settlement: recommended };
  const eligible = verdict !== 'not-eligible';
  const pick = (items: Edition['steps']) =>
    eligible ? items.filter((i) => applies(i.when, theCase)).map((i) => i.id) : [];

  // ISO dates sort as strings; a met route without an age limit means no deadline at all.
  const deadlines = met.map((r) => r.until);
  const deadline = deadlines.includes(null) ? null : ([...deadlines].sort().at(-1) ?? null);

  const closest = evaluated
    .filter((r) => !r.met && r.reachable)
    .map((r, order) => ({ id: r.id, cost: effort(r.changes), order }))
    .sort((a, b) => a.cost - b.cost || a.order - b.order)
    .map((r) => r.id);

  const explain: Explanation = {
    ageReading: edition.ageReading.value,
    ageReadingClause: edition.ageReading.clause,
    routes: evaluated.map(({ unmet: _u, until: _t, ...rest }) => rest),
    deadline,
    // Only the met routes that outlast the chosen one are a fallback if it closes.
    alternatives: met
      .slice(1)
      .filter((r) => first?.until != null && (r.until === null || r.until > first.until))
      .map((r) => ({ id: r.id, until: r.until })),
    closest,
    notes: edition.notes.filter((n) => applies(n.when, theCase)).map((n) => n.id),
    interpretations: edition.interpretations.map((i) => i.id),
    laterChanges: edition.laterChanges.map((c) => c.clause),
    unconfirmed: [...(options.unconfirmed ?? [])],
    clauses: {
      source: edition.source,
      creditReview: edition.creditReview.clause,
      submitters: edition.submitters.clause,
    },
    settlement: edition.settlement.map((o) => ({
      id: o.id,
      clause: o.clause,
      pros: [...o.pros],
      cons: [...o.cons],
    })),
  };

  return {
    policy: edition.id,
    asOf: options.asOf,
    age: ctx.age,
    verdict,
    route: first?.id ?? null,
    routes: evaluated.map(({ id, met, unmet, until }) => ({ id, met, unmet, until })),
    warnings,
    settlement: { recommended, options: options_ },
    steps: pick(edition.steps),
    materials: pick(edition.materials),
    explain,
  };
}
