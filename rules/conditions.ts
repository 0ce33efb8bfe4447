/**
 * Each condition kind of a route, checked against a profile: the value the person has, the
 * threshold, pass or fail, and the smallest change that would make it pass. The thresholds come
 * from the edition's data; this file holds only the meaning of each kind.
 */

import { addDays, addMonths, anniversary, compareDates, type DateParts, formatIsoDate } from './dates.js';
import type { Change, ConditionCheck } from './decision.js';
import type { AgeReading, ConditionId, ConditionRule } from './edition.js';
import {
  EDUCATION_LEVELS,
  EDUCATION_MODES,
  OVERSEAS_DEGREES,
  type Profile,
  rankOf,
  SKILL_LEVELS,
} from './profile.js';

/** What a condition needs to know besides the profile. */
export interface ConditionContext {
  readonly birth: DateParts;
  readonly asOf: DateParts;
  readonly age: number;
  readonly ageReading: AgeReading;
}

/** The first day a person is out of an "under N" limit, under the edition's reading. */
export function limitBirthday(ctx: Pick<ConditionContext, 'birth' | 'ageReading'>, under: number): DateParts {
  return anniversary(ctx.birth, ctx.ageReading === 'exclusive' ? under : under + 1);
}

/** The last day an "under N" limit still holds: the day before {@link limitBirthday}. */
export function lastDayUnder(ctx: Pick<ConditionContext, 'birth' | 'ageReading'>, under: number): DateParts {
  return addDays(limitBirthday(ctx, under), -1);
}

/**
 * Whether one condition holds: true, false, or null when it does not apply (no degree, so no
 * degree mode). The cheap check used to pick the next question; {@link checkCondition} explains.
 */
export function conditionMet(rule: ConditionRule, profile: Profile, ctx: ConditionContext): boolean | null {
  switch (rule.id) {
    case 'certificate':
      return profile.highLevelTalent;
    case 'education':
      return rankOf(EDUCATION_LEVELS, profile.education) >= rankOf(EDUCATION_LEVELS, rule.atLeast.value);
    case 'education-mode':
      if (profile.education === 'none' || profile.educationMode === undefined) return null;
      return profile.educationMode === rule.required.value;
    case 'overseas':
      return (
        rankOf(OVERSEAS_DEGREES, profile.overseasDegree) >=
          rankOf(OVERSEAS_DEGREES, rule.degreeAtLeast.value) || profile.overseasScholar
      );
    case 'skill':
      return rankOf(SKILL_LEVELS, profile.skill) >= rankOf(SKILL_LEVELS, rule.atLeast.value);
    case 'catalog':
      return profile.skillInCatalog;
    case 'level-test':
      return profile.skillObtainedInShenzhen || profile.skillLevelTestPassed;
    case 'social-insurance':
      return profile.socialInsuranceMonths >= rule.minMonths.value;
    case 'age':
      return compareDates(ctx.asOf, limitBirthday(ctx, rule.under.value)) < 0;
  }
}

/** A scalar a condition check reports as the person's value or the rule's threshold. */
type Scalar = ConditionCheck['value'];

/**
 * One condition rule prepared for evaluation in bulk: its ranks and limits as numbers, its static
 * change (frozen, shared by every decision it fails in) and the checks made so far (frozen, shared:
 * a check depends only on the rule, whether it is met and the person's value, all from small sets).
 */
export interface CompiledCondition {
  readonly rule: ConditionRule;
  readonly id: ConditionId;
  /** The rank the profile's value must reach (`education`, `skill`, `overseas`); 0 otherwise. */
  readonly rank: number;
  /** `age`: index of its limit in the edition's limits; `social-insurance`: the months needed. */
  readonly limit: number;
  /** `age`: the birthday that closes it (the `age` of `age-closed`). */
  readonly turned: number;
  readonly threshold: Scalar;
  readonly clause: string;
  readonly since: string;
  /** The change that fixes it when it depends on nothing but the rule. */
  readonly change: Change | undefined;
  readonly metChecks: Map<Scalar, SharedCheck>;
  readonly failedChecks: Map<Scalar, SharedCheck>;
  readonly nullChecks: Map<Scalar, SharedCheck>;
  /** How many checks have been shared (the next check's number). */
  checkCount: number;
  /** How many different checks validated profiles can give (check numbers below it are expected). */
  readonly capacity: number;
  /** `social-insurance`: its changes for the decision date `changesDay`, by missing months and in time. */
  readonly changes: Map<number, Change>;
  changesDay: number;
}

/** A check shared between decisions, and its number among its condition's checks. */
interface SharedCheck {
  readonly check: ConditionCheck;
  readonly id: number;
}

/**
 * How many different checks each kind can give for validated profiles: its met values times the
 * person's values (an age is at most 100, months at most 1200).
 */
const CAPACITY: Readonly<Record<ConditionId, number>> = {
  certificate: 2,
  education: EDUCATION_LEVELS.length,
  'education-mode': 1 + EDUCATION_MODES.length,
  overseas: 2 * OVERSEAS_DEGREES.length + 1,
  skill: SKILL_LEVELS.length,
  catalog: 2,
  'level-test': 3,
  'social-insurance': 1201,
  age: 2 * 101,
};

/** A frozen change of a condition, for the changes that depend on the rule alone. */
function staticChange(rule: ConditionRule, id: string, params: Change['params'] = {}): Change {
  return Object.freeze({ id, condition: rule.id, params: Object.freeze(params) });
}

/**
 * Prepares one condition. `limitIndex` gives, for an `age` rule, the index of the years to its limit
 * birthday (`under`, or `under + 1` when the edition reads the limit inclusively) in the edition's list.
 */
export function compileCondition(
  rule: ConditionRule,
  ageReading: AgeReading,
  limitIndex: (years: number) => number,
): CompiledCondition {
  const base = { rule, id: rule.id, rank: 0, limit: 0, turned: 0, capacity: CAPACITY[rule.id] };
  const memo = {
    metChecks: new Map(),
    failedChecks: new Map(),
    nullChecks: new Map(),
    checkCount: 0,
    changes: new Map(),
    changesDay: 0,
  };
  const cite = (c: { clause: string; since: string }) => ({ clause: c.clause, since: c.since });
  switch (rule.id) {
    case 'certificate':
      return {
        ...base,
        threshold: true,
        ...cite(rule),
        change: staticChange(rule, 'get-certificate'),
        ...memo,
      };
    case 'education':
      return {
        ...base,
        rank: rankOf(EDUCATION_LEVELS, rule.atLeast.value),
        threshold: rule.atLeast.value,
        ...cite(rule.atLeast),
        change: staticChange(rule, 'raise-education', { to: rule.atLeast.value }),
        ...memo,
      };
    case 'education-mode':
      return {
        ...base,
        threshold: rule.required.value,
        ...cite(rule.required),
        change: staticChange(rule, 'regular-education'),
        ...memo,
      };
    case 'overseas':
      return {
        ...base,
        rank: rankOf(OVERSEAS_DEGREES, rule.degreeAtLeast.value),
        threshold: rule.degreeAtLeast.value,
        ...cite(rule.degreeAtLeast),
        change: staticChange(rule, 'overseas-study', {
          degree: rule.degreeAtLeast.value,
          years: rule.scholarYears.value,
        }),
        ...memo,
      };
    case 'skill':
      return {
        ...base,
        rank: rankOf(SKILL_LEVELS, rule.atLeast.value),
        threshold: rule.atLeast.value,
        ...cite(rule.atLeast),
        change: staticChange(rule, 'raise-skill', { to: rule.atLeast.value }),
        ...memo,
      };
    case 'catalog':
      return {
        ...base,
        threshold: true,
        ...cite(rule),
        change: staticChange(rule, 'catalog-occupation'),
        ...memo,
      };
    case 'level-test':
      return {
        ...base,
        threshold: true,
        ...cite(rule),
        change: staticChange(rule, 'pass-level-test'),
        ...memo,
      };
    case 'social-insurance':
      return {
        ...base,
        limit: rule.minMonths.value,
        threshold: rule.minMonths.value,
        ...cite(rule.minMonths),
        change: undefined,
        ...memo,
      };
    case 'age': {
      const turned = ageReading === 'exclusive' ? rule.under.value : rule.under.value + 1;
      return {
        ...base,
        limit: limitIndex(turned),
        turned,
        threshold: rule.under.value,
        ...cite(rule.under),
        change: undefined,
        ...memo,
      };
    }
  }
}

/**
 * The check of a condition, shared between decisions (frozen) once made; its number among the
 * condition's shared checks goes to `out.checkId` (-1 when it is not shared).
 */
export function checkOf(
  c: CompiledCondition,
  met: boolean | null,
  value: Scalar,
  out: ConditionSink,
): ConditionCheck {
  // -0 and 0 are one key in a Map: a -0 months count gets a check of its own, never shared.
  const memo = Object.is(value, -0)
    ? undefined
    : met === true
      ? c.metChecks
      : met === false
        ? c.failedChecks
        : met === null
          ? c.nullChecks
          : undefined;
  const found = memo?.get(value);
  if (found) {
    out.checkId = found.id;
    return found.check;
  }
  const check = Object.freeze({
    id: c.id,
    met,
    value,
    threshold: c.threshold,
    clause: c.clause,
    since: c.since,
  });
  // Values beyond what validated profiles can hold (a caller of decide() that skipped validation)
  // are not kept.
  if (memo && c.checkCount < c.capacity) {
    out.checkId = c.checkCount++;
    memo.set(value, { check, id: out.checkId });
  } else out.checkId = -1;
  return check;
}

/** The dates a decision's conditions compare with, computed once per person. */
export interface DayFacts {
  readonly asOf: DateParts;
  /** `asOf` as `year * 10000 + month * 100 + day`: dates compare as numbers. */
  readonly asOfKey: number;
  readonly age: number;
  /** Per limit of the edition: the limit birthday as a key, and written `YYYY-MM-DD`. */
  readonly limitKeys: readonly number[];
  readonly limitDates: readonly string[];
  /** Per limit: the `age-closed` change of this person, made once for all the routes with that limit. */
  readonly ageChanges: (Change | undefined)[];
}

/** A date as `year * 10000 + month * 100 + day`. */
export const dateKey = (year: number, month: number, day: number): number => year * 10000 + month * 100 + day;

/** Where {@link evaluateCondition} puts the change a failed condition needs. */
export interface ConditionSink {
  change: Change | undefined;
  /** True when the change cannot be made (closed by age, or not in time): the route is unreachable. */
  blocks: boolean;
  /** The number of the check among its condition's shared checks, or -1 (see {@link checkOf}). */
  checkId: number;
  /** True when the change depends on this person (not shared between decisions). */
  personal: boolean;
}

/**
 * Evaluates one condition for a decision: returns the check and puts the change that would fix it
 * (when it failed) in `out.change`. `closes` is the index of the route's limit
 * (its first age rule), or -1, to tell whether missing social insurance can be made up in time.
 */
export function evaluateCondition(
  c: CompiledCondition,
  profile: Profile,
  facts: DayFacts,
  closes: number,
  out: ConditionSink,
): ConditionCheck {
  out.change = undefined;
  out.blocks = false;
  out.personal = false;
  switch (c.id) {
    case 'certificate': {
      const met = profile.highLevelTalent;
      if (!met) out.change = c.change;
      return checkOf(c, met, met, out);
    }
    case 'education': {
      const met = rankOf(EDUCATION_LEVELS, profile.education) >= c.rank;
      if (!met) out.change = c.change;
      return checkOf(c, met, profile.education, out);
    }
    case 'education-mode': {
      if (profile.education === 'none' || profile.educationMode === undefined)
        return checkOf(c, null, null, out);
      const met = profile.educationMode === c.threshold;
      if (!met) out.change = c.change;
      return checkOf(c, met, profile.educationMode, out);
    }
    case 'overseas': {
      const degreeMet = rankOf(OVERSEAS_DEGREES, profile.overseasDegree) >= c.rank;
      const met = degreeMet || profile.overseasScholar;
      if (!met) out.change = c.change;
      return checkOf(c, met, profile.overseasScholar && !degreeMet ? 'scholar' : profile.overseasDegree, out);
    }
    case 'skill': {
      const met = rankOf(SKILL_LEVELS, profile.skill) >= c.rank;
      if (!met) out.change = c.change;
      return checkOf(c, met, profile.skill, out);
    }
    case 'catalog': {
      const met = profile.skillInCatalog;
      if (!met) out.change = c.change;
      return checkOf(c, met, met, out);
    }
    case 'level-test': {
      const met = profile.skillObtainedInShenzhen || profile.skillLevelTestPassed;
      if (!met) out.change = c.change;
      const value = profile.skillObtainedInShenzhen
        ? 'shenzhen-exam'
        : profile.skillLevelTestPassed
          ? 'passed'
          : 'none';
      return checkOf(c, met, value, out);
    }
    case 'social-insurance': {
      const need = c.limit;
      const have = profile.socialInsuranceMonths;
      if (have >= need) return checkOf(c, true, have, out);
      const missing = need - have;
      const reachedOn = addMonths(facts.asOf, missing);
      const inTime =
        closes < 0 ||
        dateKey(reachedOn.year, reachedOn.month, reachedOn.day) < (facts.limitKeys[closes] ?? 0);
      out.blocks = !inTime;
      // The same for everyone missing as many months on that day: shared while the date stays.
      if (c.changesDay !== facts.asOfKey) {
        c.changes.clear();
        c.changesDay = facts.asOfKey;
      }
      const key = Number.isInteger(missing) ? missing * 2 + (inTime ? 1 : 0) : -1;
      let change = key >= 0 ? c.changes.get(key) : undefined;
      if (!change) {
        change = Object.freeze({
          id: 'more-social-insurance',
          condition: c.id,
          params: Object.freeze({ months: missing, reachedOn: formatIsoDate(reachedOn), inTime }),
        });
        if (key >= 0) c.changes.set(key, change);
      }
      out.change = change;
      return checkOf(c, false, have, out);
    }
    case 'age': {
      const met = facts.asOfKey < (facts.limitKeys[c.limit] ?? 0);
      if (!met) {
        out.blocks = true;
        out.personal = true;
        let change = facts.ageChanges[c.limit];
        if (!change) {
          // Shared by the routes with this limit within the decision: frozen like every shared part.
          change = Object.freeze({
            id: 'age-closed',
            condition: c.id,
            params: Object.freeze({ closedOn: facts.limitDates[c.limit] ?? '', age: c.turned }),
          });
          facts.ageChanges[c.limit] = change;
        }
        out.change = change;
      }
      return checkOf(c, met, facts.age, out);
    }
  }
}

/** Whether a prepared condition holds, as {@link conditionMet} says, from the day facts. */
export function compiledMet(
  c: CompiledCondition,
  profile: Profile,
  asOfKey: number,
  limitKeys: readonly number[],
): boolean | null {
  switch (c.id) {
    case 'certificate':
      return profile.highLevelTalent;
    case 'education':
      return rankOf(EDUCATION_LEVELS, profile.education) >= c.rank;
    case 'education-mode':
      if (profile.education === 'none' || profile.educationMode === undefined) return null;
      return profile.educationMode === c.threshold;
    case 'overseas':
      return rankOf(OVERSEAS_DEGREES, profile.overseasDegree) >= c.rank || profile.overseasScholar;
    case 'skill':
      return rankOf(SKILL_LEVELS, profile.skill) >= c.rank;
    case 'catalog':
      return profile.skillInCatalog;
    case 'level-test':
      return profile.skillObtainedInShenzhen || profile.skillLevelTestPassed;
    case 'social-insurance':
      return profile.socialInsuranceMonths >= c.limit;
    case 'age':
      return asOfKey < (limitKeys[c.limit] ?? 0);
  }
}
