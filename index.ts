/**
 * Luohu as a library: the rules engine and its contract. Integrations import from `luohu`.
 *
 * @example
 * ```ts
 * import { check } from 'luohu';
 * const result = check({ birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular' });
 * if (result.ok && !Array.isArray(result.value)) console.log(result.value.verdict);
 * ```
 */
export * from './rules/index.js';
