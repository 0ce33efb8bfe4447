/**
 * Problems with input, as data: a field path, a problem code, and the values a sentence needs.
 * `locales/` turns each into one plain line (`issue.<code>`); nothing here is text for people.
 */
import type { z } from 'zod';

/** What can be wrong with an input field. Each code has a sentence `issue.<code>` in every locale. */
export type IssueCode =
  | 'invalid-json'
  | 'not-an-object'
  | 'required'
  | 'wrong-type'
  | 'not-in-list'
  | 'unknown-field'
  | 'date-format'
  | 'not-a-real-date'
  | 'date-in-future'
  | 'date-too-old'
  | 'not-an-integer'
  | 'too-small'
  | 'too-large'
  | 'education-mode-required'
  | 'unknown-policy'
  | 'unknown-language'
  | 'empty-input'
  | 'file-unreadable';

/** One problem: where (a path into the input) and what. */
export interface Issue {
  /** Path into the input, e.g. `[3, 'birthDate']`; empty for the input as a whole. */
  readonly path: readonly (string | number)[];
  readonly code: IssueCode;
  /** Values the sentence quotes (the value given, the allowed values, a limit). */
  readonly params: Readonly<Record<string, string | number>>;
}

/** Writes a path as people and programs read it: `[3].birthDate`, `birthDate`, `(input)`. */
export function formatPath(path: readonly (string | number)[]): string {
  let text = '';
  for (const part of path) text += typeof part === 'number' ? `[${part}]` : text ? `.${part}` : part;
  return text || '(input)';
}

/** Shows an input value briefly, as JSON, for quoting in a message. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Converts zod's issues into Luohu issues, one per problem, each naming its field.
 * `input` is the raw value that was parsed, so the message can quote what was given.
 */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  prefix: readonly (string | number)[] = [],
): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const at = [...prefix, ...path];
    const given = valueAt(input, path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) out.push({ path: [...at, key], code: 'unknown-field', params: {} });
        break;
      case 'invalid_type':
        if (given === undefined) out.push({ path: at, code: 'required', params: {} });
        else if (issue.expected === 'int' || (typeof given === 'number' && issue.expected === 'number'))
          out.push({ path: at, code: 'not-an-integer', params: { value: showValue(given) } });
        else if (path.length === 0)
          out.push({ path: at, code: 'not-an-object', params: { type: typeName(given) } });
        else
          out.push({
            path: at,
            code: 'wrong-type',
            params: { expected: String(issue.expected), type: typeName(given), value: showValue(given) },
          });
        break;
      case 'invalid_value':
        if (given === undefined) {
          out.push({ path: at, code: 'required', params: {} });
          break;
        }
        out.push({
          path: at,
          code: 'not-in-list',
          params: { value: showValue(given), allowed: issue.values.map(String).join(', ') },
        });
        break;
      case 'invalid_format':
        out.push({ path: at, code: 'date-format', params: { value: showValue(given) } });
        break;
      case 'too_small':
        out.push({
          path: at,
          code: 'too-small',
          params: { value: showValue(given), min: Number(issue.minimum) },
        });
        break;
      case 'too_big':
        out.push({
          path: at,
          code: 'too-large',
          params: { value: showValue(given), max: Number(issue.maximum) },
        });
        break;
      case 'custom': {
        const code = (issue.params as { luohu?: IssueCode } | undefined)?.luohu;
        out.push({ path: at, code: code ?? 'wrong-type', params: { value: showValue(given) } });
        break;
      }
      default:
        out.push({
          path: at,
          code: 'wrong-type',
          params: { value: showValue(given), type: typeName(given) },
        });
    }
  }
  return out;
}
