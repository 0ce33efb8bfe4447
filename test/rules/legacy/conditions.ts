// Frozen copy of rules/conditions.ts before the performance work (issue 5): the reference the
// equivalence tests compare the fast implementation with. Do not change.
/**
 * Each condition kind of a route, checked against a profile: the value the person has, the
 * threshold, pass or fail, and the smallest change that would make it pass. The thresholds come
 * from the edition's data; this file holds only the meaning of each kind.
 */

import type { Change, ConditionCheck } from '../../../rules/decision.js';
import type { AgeReading, ConditionRule } from '../../../rules/edition.js';
import {
  EDUCATION_LEVELS,
  OVERSEAS_DEGREES,
  type Profile,
  rankOf,
  SKILL_LEVELS,
} from '../../../rules/profile.js';
import { addDays, addMonths, anniversary, compareDates, type DateParts, formatIsoDate } from './dates.js';

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

/** A condition's outcome and, when it failed, the change that would fix it. */
export interface ConditionOutcome {
  readonly check: ConditionCheck;
  readonly change?: Change;
}

/**
 * Checks one condition. `closedOn` is the route's limit birthday (if it has an age limit), used to
 * tell whether missing social insurance can still be made up in time.
 */
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

export function checkCondition(
  rule: ConditionRule,
  profile: Profile,
  ctx: ConditionContext,
  closedOn: DateParts | undefined,
): ConditionOutcome {
  const base = (
    met: boolean | null,
    value: ConditionCheck['value'],
    threshold: ConditionCheck['threshold'],
    cite: { clause: string; since: string },
  ): ConditionCheck => ({ id: rule.id, met, value, threshold, clause: cite.clause, since: cite.since });
  const change = (id: string, params: Change['params'] = {}): Change => ({ id, condition: rule.id, params });

  const met = conditionMet(rule, profile, ctx);
  switch (rule.id) {
    case 'certificate': {
      return { check: base(met, met, true, rule), ...(met ? {} : { change: change('get-certificate') }) };
    }
    case 'education': {
      return {
        check: base(met, profile.education, rule.atLeast.value, rule.atLeast),
        ...(met ? {} : { change: change('raise-education', { to: rule.atLeast.value }) }),
      };
    }
    case 'education-mode': {
      if (profile.education === 'none' || profile.educationMode === undefined)
        return { check: base(null, null, rule.required.value, rule.required) };
      return {
        check: base(met, profile.educationMode, rule.required.value, rule.required),
        ...(met ? {} : { change: change('regular-education') }),
      };
    }
    case 'overseas': {
      const degreeMet =
        rankOf(OVERSEAS_DEGREES, profile.overseasDegree) >=
        rankOf(OVERSEAS_DEGREES, rule.degreeAtLeast.value);
      const value = profile.overseasScholar && !degreeMet ? 'scholar' : profile.overseasDegree;
      return {
        check: base(met, value, rule.degreeAtLeast.value, rule.degreeAtLeast),
        ...(met
          ? {}
          : {
              change: change('overseas-study', {
                degree: rule.degreeAtLeast.value,
                years: rule.scholarYears.value,
              }),
            }),
      };
    }
    case 'skill': {
      return {
        check: base(met, profile.skill, rule.atLeast.value, rule.atLeast),
        ...(met ? {} : { change: change('raise-skill', { to: rule.atLeast.value }) }),
      };
    }
    case 'catalog': {
      return { check: base(met, met, true, rule), ...(met ? {} : { change: change('catalog-occupation') }) };
    }
    case 'level-test': {
      const value = profile.skillObtainedInShenzhen
        ? 'shenzhen-exam'
        : profile.skillLevelTestPassed
          ? 'passed'
          : 'none';
      return { check: base(met, value, true, rule), ...(met ? {} : { change: change('pass-level-test') }) };
    }
    case 'social-insurance': {
      const need = rule.minMonths.value;
      const have = profile.socialInsuranceMonths;
      if (met) return { check: base(true, have, need, rule.minMonths) };
      const missing = need - have;
      const reachedOn = addMonths(ctx.asOf, missing);
      const inTime = closedOn === undefined || compareDates(reachedOn, closedOn) < 0;
      return {
        check: base(false, have, need, rule.minMonths),
        change: change('more-social-insurance', {
          months: missing,
          reachedOn: formatIsoDate(reachedOn),
          inTime,
        }),
      };
    }
    case 'age': {
      const closes = limitBirthday(ctx, rule.under.value);
      const turned = ctx.ageReading === 'exclusive' ? rule.under.value : rule.under.value + 1;
      return {
        check: base(met, ctx.age, rule.under.value, rule.under),
        ...(met ? {} : { change: change('age-closed', { closedOn: formatIsoDate(closes), age: turned }) }),
      };
    }
  }
}
