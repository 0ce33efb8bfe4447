/**
 * The registry of policy editions. Adding an edition: write its data file beside this one and list
 * it here; nothing in the evaluator changes.
 */
import type { Edition } from '../edition.js';
import { shenzhen2019 } from './shenzhen-2019.js';

/** Editions Luohu can apply, by id. */
export const EDITIONS: ReadonlyMap<string, Edition> = new Map([[shenzhen2019.id, shenzhen2019]]);

/** The edition applied when none is asked for. */
export const DEFAULT_EDITION: Edition = shenzhen2019;

/** Looks an edition up by id; `undefined` when there is none. */
export function findEdition(
  id: string,
  editions: ReadonlyMap<string, Edition> = EDITIONS,
): Edition | undefined {
  return editions.get(id);
}
