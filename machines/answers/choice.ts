/**
 * The multiple-choice answer: by number, by id, by label (in any language), or by a part of a label.
 */
import { ok } from '../../rules/result.js';
import type { Param } from '../view.js';
import { type AnswerResult, emptyOrUnknown, known, type ParseOptions, problem } from './answer.js';
import { compactKey, normalise, stripTrailingPunctuation } from './normalise.js';
import { chineseNumeralsToArabic } from './numerals.js';
import { isUnknown } from './unknown.js';

/** One option of a question: its id and every label it may be called by. */
export interface Choice<Id extends string = string> {
  readonly id: Id;
  /** The rendered labels in every language, plus synonyms (`本科`, `Bachelor's degree`, `学士`). */
  readonly labels: readonly string[];
}

/** The shortest answer matched against a part of a label (shorter ones must match a whole label). */
export const MIN_PARTIAL_LENGTH = 2;

const NUMBERED =
  /^(?:the\s+)?(?:选择第|选第|选择|选|第|option|choice|number|no\.?|#)?\s*\(?\s*(\d+)\s*\)?\s*(?:个|项|号|条|种|st|nd|rd|th)?(?:\s*one)?$/;
const ORDINALS: readonly string[] = [
  'first',
  'second',
  'third',
  'fourth',
  'fifth',
  'sixth',
  'seventh',
  'eighth',
  'ninth',
  'tenth',
];
const ORDINAL = /^(?:the\s+)?([a-z]+)(?:\s+one)?$/;
/** A negation left around a label found inside the answer: `不是本科` does not choose 本科. */
const NEGATION = /不|没|非|无|未|否|not|never|dont|didnt|isnt|nor/;

interface Match<Id extends string> {
  readonly id: Id;
  /** The label that matched (shown back to the person when the answer is ambiguous). */
  readonly label: string;
  readonly key: string;
}

/**
 * Parses the choice of one of `choices`, returning its id. Tried in this order, the first stage
 * that matches deciding:
 * 1. the whole id or a whole label (case, spaces and punctuation ignored);
 * 2. a 1-based number: `2`, `2.`, `(2)`, `第2个`, `第二个`, `选2`, `option 2`, `2nd`, `second`;
 * 3. "I don't know" (see {@link ParseOptions});
 * 4. the answer (at least {@link MIN_PARTIAL_LENGTH} characters) as the start of a label, then as a
 *    part of one (`bach` → bachelor);
 * 5. a label (at least 2 characters) inside the answer, not negated (`我是本科毕业` → bachelor, but
 *    not `不是本科`); when one found label contains another (`高级技师` ⊃ `技师`), the longer wins.
 *
 * Errors: `answer.choice.ambiguous` {options: list of the matched labels},
 * `answer.choice.out-of-range` {max}, `answer.choice.unrecognised`, plus `answer.empty` and
 * `answer.unknown.not-allowed`.
 */
export function parseChoice<Id extends string>(
  answer: string,
  choices: readonly Choice<Id>[],
  options?: ParseOptions,
): AnswerResult<Id> {
  const normalised = normalise(answer);
  if (normalised === '') return problem('answer.empty');
  const key = compactKey(normalised);
  const labels = labelsOf(choices);

  const exact = decide(labels.filter((m) => m.key === key && key !== ''));
  if (exact) return exact;
  const number = readNumber(normalised);
  if (number !== undefined) {
    const chosen = choices[number - 1];
    return chosen ? ok(known(chosen.id)) : problem('answer.choice.out-of-range', { max: choices.length });
  }
  if (isUnknown(normalised))
    return emptyOrUnknown(normalised, options) ?? problem('answer.choice.unrecognised');
  if ([...key].length >= MIN_PARTIAL_LENGTH) {
    const partial =
      decide(labels.filter((m) => m.key.startsWith(key))) ??
      decide(labels.filter((m) => m.key.includes(key))) ??
      decide(longest(labels.filter((m) => [...m.key].length >= 2 && contains(key, m.key))));
    if (partial) return partial;
  }
  return problem('answer.choice.unrecognised');
}

/** The labels of each choices array (with their keys), for callers that pass the same array again. */
const labelLists = new WeakMap<readonly Choice[], readonly Match<string>[]>();

/** Every label of `choices` (and each id) with its comparison key, empty keys left out. */
function labelsOf<Id extends string>(choices: readonly Choice<Id>[]): readonly Match<Id>[] {
  const known = labelLists.get(choices);
  if (known) return known as readonly Match<Id>[];
  const labels = choices
    .flatMap((choice) =>
      [...choice.labels, choice.id].map((label) => ({ id: choice.id, label, key: labelKey(label) })),
    )
    .filter((m) => m.key !== '');
  labelLists.set(choices, labels);
  return labels;
}

/** Labels' comparison keys: labels come from a small vocabulary, so each is computed once. */
const labelKeys = new Map<string, string>();
const LABEL_KEYS_SIZE = 5_000;
function labelKey(label: string): string {
  let key = labelKeys.get(label);
  if (key === undefined) {
    key = compactKey(label);
    if (labelKeys.size >= LABEL_KEYS_SIZE) labelKeys.clear();
    labelKeys.set(label, key);
  }
  return key;
}

/** The 1-based number the answer names, if it is a number. */
function readNumber(normalised: string): number | undefined {
  const s = chineseNumeralsToArabic(stripTrailingPunctuation(normalised));
  const numbered = NUMBERED.exec(s);
  if (numbered) return Number(numbered[1]);
  const word = ORDINAL.exec(s)?.[1];
  const index = word === undefined ? -1 : ORDINALS.indexOf(word);
  return index >= 0 ? index + 1 : undefined;
}

/** True when `label` occurs in `answer` and what is around it does not negate it. */
function contains(answer: string, label: string): boolean {
  const at = answer.indexOf(label);
  if (at < 0) return false;
  return !NEGATION.test(answer.slice(0, at) + answer.slice(at + label.length));
}

/** The matches whose label is not a mere part of another match's label. */
function longest<Id extends string>(matches: readonly Match<Id>[]): Match<Id>[] {
  return matches.filter((m) => !matches.some((other) => other.key !== m.key && other.key.includes(m.key)));
}

/** One choice matched: its id; several: ambiguous; none: `undefined` (try the next stage). */
function decide<Id extends string>(matches: readonly Match<Id>[]): AnswerResult<Id> | undefined {
  const byId = new Map<Id, string>();
  for (const m of matches) if (!byId.has(m.id)) byId.set(m.id, m.label);
  const [first, ...others] = [...byId];
  if (!first) return undefined;
  if (others.length === 0) return ok(known(first[0]));
  const list: Param[] = [...byId.values()];
  return problem('answer.choice.ambiguous', { options: { list } });
}
