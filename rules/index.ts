/**
 * `rules/`: the policy as code. Pure functions and dated policy data; ids and values, no sentences.
 */
export { applies, type Case } from './applies.js';
export { type CheckOptions, check, decideWith, type ResolvedSettings, resolveSettings } from './check.js';
export { conditionMet, lastDayUnder, limitBirthday } from './conditions.js';
export * from './dates.js';
export * from './decision.js';
export type * from './edition.js';
export { DEFAULT_EDITION, EDITIONS, findEdition } from './editions/index.js';
export { shenzhen2019 } from './editions/shenzhen-2019.js';
export { checkRoutes, type DecideOptions, decide, type RouteCheck } from './evaluate.js';
export { formatPath, fromZodIssues, type Issue, type IssueCode, showValue } from './issues.js';
export * from './profile.js';
export { fail, ok, type Result } from './result.js';
export { birthDateIssues, MAX_AGE_YEARS, validateProfile } from './validate.js';
