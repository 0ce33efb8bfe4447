/**
 * Problems with input as one plain line each: `path: what is wrong` (e.g.
 * `birthDate: 1990-02-30 is not a real date`), in the renderer's language.
 */
import type { Param, Params, Text } from '../../machines/view.js';
import { formatPath, type Issue } from '../../rules/index.js';
import type { Renderer } from '../i18n.js';

/** JSON types that have a name under `jsonType.<name>`. */
const JSON_TYPES = ['string', 'number', 'int', 'boolean', 'object', 'array', 'null'] as const;

/** A type name as a parameter: translated when it is a known JSON type, as given otherwise. */
function typeName(value: string | number): Param {
  return (JSON_TYPES as readonly (string | number)[]).includes(value) ? { t: `jsonType.${value}` } : value;
}

/** The sentence of an issue (`issue.<code>`), without its path. */
export function issueText(issue: Issue): Text {
  const params: Record<string, Param> = { ...issue.params };
  for (const name of ['type', 'expected'] as const) {
    const value = issue.params[name];
    if (value !== undefined) params[name] = typeName(value);
  }
  const key =
    issue.code === 'wrong-type' && 'expected' in issue.params
      ? 'issue.wrong-type-expected'
      : `issue.${issue.code}`;
  return { key, params: params as Params };
}

/** One line for an issue: `${formatPath(issue.path)}: ${message}`. */
export function issueLine(issue: Issue, renderer: Renderer): string {
  return `${formatPath(issue.path)}: ${renderer.render(issueText(issue))}`;
}
