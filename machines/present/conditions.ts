/**
 * The texts of one route's conditions and changes: what the person has, what the rule asks for, and
 * what would make a failed condition pass. Keys only (`condition.*`, `change.*`, `level.*`).
 */

import type { AgeReading, Change, ConditionCheck, RouteExplanation } from '../../rules/index.js';
import { SKILL_LEVELS } from '../../rules/index.js';
import type { Param, Params, Text } from '../view.js';
import type { Mark } from './block.js';

/** What a condition's sentence needs besides the check itself. */
export interface ConditionScope {
  /** The route the condition belongs to (for its closing date). */
  readonly route: RouteExplanation;
  readonly ageReading: AgeReading;
  /** Years abroad as a visiting scholar that also satisfy `overseas`, when the edition says. */
  readonly scholarYears?: number;
}

/** The scales whose values have a name under `level.<scale>.<value>`. */
type Scale = 'education' | 'educationMode' | 'overseas' | 'skill';

/** The name of a level, e.g. `level.education.bachelor`; other values are shown as they are. */
function level(scale: Scale, value: ConditionCheck['value']): Param {
  return typeof value === 'string' ? { t: `level.${scale}.${value}` } : String(value);
}

/** A condition's raw value as a parameter (`null`, for "does not apply", as an empty string). */
function raw(value: ConditionCheck['value']): Param {
  return value === null ? '' : value;
}

/** `{ [name]: value }`, or nothing when the value is missing. */
function given(name: string, value: Param | undefined): Params {
  return value === undefined ? {} : { [name]: value };
}

/** ✓ for a met condition, ✗ for a failed one, – for one that does not apply. */
export function conditionMark(check: ConditionCheck): Mark {
  return check.met === null ? 'na' : check.met ? 'pass' : 'fail';
}

/**
 * The sentence of one condition: the value the person has and the threshold,
 * e.g. "学历：本科（要求：本科及以上）".
 */
export function conditionText(check: ConditionCheck, scope: ConditionScope): Text {
  const key = `condition.${check.id}`;
  const { value, threshold } = check;
  switch (check.id) {
    case 'certificate':
    case 'catalog':
      return {
        key: `${key}.line`,
        params: { value: { t: `${key}.value.${value === true ? 'yes' : 'no'}` } },
      };
    case 'level-test':
      return { key: `${key}.line`, params: { value: { t: `${key}.value.${String(value)}` } } };
    case 'education':
      return {
        key: `${key}.line`,
        params: { value: level('education', value), threshold: level('education', threshold) },
      };
    case 'education-mode': {
      const required = level('educationMode', threshold);
      if (value === null) return { key: `${key}.not-applicable`, params: { threshold: required } };
      return { key: `${key}.line`, params: { value: level('educationMode', value), threshold: required } };
    }
    case 'overseas': {
      const params: Params = { value: level('overseas', value), threshold: level('overseas', threshold) };
      if (scope.scholarYears === undefined) return { key: `${key}.line-no-years`, params };
      return { key: `${key}.line`, params: { ...params, count: scope.scholarYears } };
    }
    case 'skill': {
      const top = threshold === SKILL_LEVELS[SKILL_LEVELS.length - 1];
      return {
        key: `${key}.${top ? 'line-top' : 'line'}`,
        params: { value: level('skill', value), threshold: level('skill', threshold) },
      };
    }
    case 'social-insurance':
      return { key: `${key}.line`, params: { count: raw(value), threshold: raw(threshold) } };
    case 'age': {
      const under = typeof threshold === 'number' ? threshold : Number(threshold);
      const closedOn = scope.route.closedOn;
      return {
        // The one sentence made afresh for every person (it names their date): a literal key.
        key: 'condition.age.line',
        params: {
          value: raw(value),
          threshold: under,
          turns: scope.ageReading === 'exclusive' ? under : under + 1,
          closedOn: closedOn ? { date: closedOn } : '',
        },
      };
    }
  }
}

/** The sentence of a change that would satisfy a failed condition of `route`. */
export function changeText(change: Change, route: RouteExplanation): Text {
  const p = change.params;
  const key = `change.${change.id}`;
  switch (change.id) {
    case 'raise-education':
      return { key, params: { to: level('education', p.to ?? '') } };
    case 'raise-skill':
      return { key, params: { to: level('skill', p.to ?? '') } };
    case 'overseas-study':
      return { key, params: { degree: level('overseas', p.degree ?? ''), ...given('count', p.years) } };
    case 'more-social-insurance': {
      const params: Params = { ...given('count', p.months), reachedOn: { date: String(p.reachedOn) } };
      if (p.inTime !== false) return { key, params };
      return {
        key: `${key}-late`,
        params: { ...params, closedOn: route.closedOn ? { date: route.closedOn } : '' },
      };
    }
    case 'age-closed':
      // Made afresh for every person (it names their date): a literal key.
      return {
        key: 'change.age-closed',
        params: { closedOn: { date: String(p.closedOn) }, age: p.age ?? '' },
      };
    default:
      return { key, params: p };
  }
}

/** True when the route is closed because the person has passed its age limit. */
export function closedByAge(route: RouteExplanation): boolean {
  for (const c of route.changes) if (c.id === 'age-closed') return true;
  return false;
}
