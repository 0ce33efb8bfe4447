/**
 * The view of a consultation snapshot: what to show the person now. Pure, derived from the snapshot
 * alone (the decision is recomputed here rather than stored, so stored conversations stay small).
 */
import type { SnapshotFrom } from 'xstate';
import { ageOn, type Decision, decide, parseIsoDate } from '../rules/index.js';
import { type consultationMachine, EDIT_PREFIX } from './consultation.js';
import type { ConsultationContext } from './context.js';
import { editionOf, unconfirmedFields } from './context.js';
import { answerParam, optionKey } from './display.js';
import { presentDecision } from './present/decision.js';
import { QUESTION_IDS, type QuestionId, questionOf } from './questions.js';
import { profileFrom } from './relevance.js';
import { type Block, type Choice, type Param, type Text, text, type View } from './view.js';

/** A snapshot of the consultation machine. */
export type ConsultationSnapshot = SnapshotFrom<typeof consultationMachine>;

/** After this many invalid answers in a row, the question's help line and its choices are offered. */
export const FAILURES_BEFORE_HELP = 2;

const line = (t: Text): Block => ({ kind: 'line', text: t });
const choice = (id: string, key: string, params?: Text['params']): Choice => ({
  id,
  label: text(key, params),
});

/** The choices of a question: its options (or yes/no), and "not sure" where that is accepted. */
export function questionChoices(question: QuestionId): Choice[] {
  const q = questionOf(question);
  const options = q.kind.type === 'choice' ? q.kind.options : q.kind.type === 'yes-no' ? ['yes', 'no'] : [];
  const choices = options.map((o) => choice(o, optionKey(question, o)));
  return q.ifUnknown !== undefined ? [...choices, choice('unknown', 'common.unknown')] : choices;
}

/** The parts of a question's view that depend on the question alone, built once and shared. */
interface QuestionParts {
  readonly choices: readonly Choice[];
  readonly prompt: readonly Block[];
  readonly help: readonly Block[];
}
const questionParts = new Map<string, QuestionParts>();
function partsOf(question: QuestionId): QuestionParts {
  let parts = questionParts.get(question);
  if (!parts) {
    // Frozen, all the way down: channels may keep what they render of them (see `viewHtml`).
    parts = deepFreeze({
      choices: questionChoices(question),
      prompt: [line(text(`question.${question}.prompt`))],
      help: [line(text(`question.${question}.help`))],
    });
    questionParts.set(question, parts);
  }
  return parts;
}
const NO_BLOCKS: readonly Block[] = Object.freeze([]);

/** Freezes a value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** A birth date derived from an age, shown as that age. */
function approximateAge(birthDate: string, asOf: string): Param {
  const birth = parseIsoDate(birthDate);
  const on = parseIsoDate(asOf);
  return birth && on
    ? { t: 'summary.approximateAge', params: { age: ageOn(birth, on) } }
    : { date: birthDate };
}

/** The decision the answers so far lead to. */
export function decisionOf(context: ConsultationContext): Decision {
  return decide(profileFrom(context.answers), {
    asOf: context.asOf,
    edition: editionOf(context),
    unconfirmed: unconfirmedFields(context),
  });
}

/** `active.<state>` by state, made once (a view's `state` is not a new string every turn). */
const activeNames = new Map<string, string>();

function stateName(snapshot: ConsultationSnapshot): string {
  const value = snapshot.value as unknown;
  if (typeof value === 'string') return value;
  const active = (value as { active?: unknown }).active;
  if (typeof active === 'string' && Object.keys(value as object).length === 1) {
    let name = activeNames.get(active);
    if (name === undefined) {
      name = `active.${active}`;
      // The machine's states are few; anything else is not kept.
      if (activeNames.size < 16) activeNames.set(active, name);
    }
    return name;
  }
  return Object.entries(value as object)
    .map(([parent, child]) => `${parent}.${String(child)}`)
    .join(',');
}

/**
 * What to show for a snapshot, derived afresh at each call: equal views for the same snapshot, not
 * the same object. A question's view is a literal over parts shared by every view of the question
 * (its prompt, help and choices, frozen: channels keep what they render of them), so it costs next
 * to nothing; a result's view runs the decision and presents it, so call it once per turn. Views are
 * read-only.
 *
 * No cache by snapshot: a `WeakMap` entry per snapshot (one per message) cost more, in its look-ups
 * and in the garbage collector's work on its entries, than deriving a question's view again, and
 * kept each result's presented decision alive as long as its snapshot.
 */
export function viewOf(snapshot: ConsultationSnapshot): View {
  const { context } = snapshot;
  const value = snapshot.value as unknown;
  const sub =
    typeof value === 'object' && value !== null ? (value as { active?: unknown }).active : undefined;
  if (sub === 'interview') {
    // The hot case, built as a literal with the same keys in the same order as the others.
    const question = context.current ?? 'birthDate';
    const parts = partsOf(question);
    // Only a correction of the answer just given replaces the question; other notices come with it.
    const notice = context.notice;
    const correcting = context.failures > 0 && notice?.key.startsWith('answer.') === true;
    const blocks = correcting
      ? context.failures >= FAILURES_BEFORE_HELP
        ? parts.help
        : NO_BLOCKS
      : parts.prompt;
    return notice
      ? {
          state: stateName(snapshot),
          lang: context.lang,
          notice,
          kind: 'question',
          question,
          blocks,
          choices: parts.choices,
        }
      : {
          state: stateName(snapshot),
          lang: context.lang,
          kind: 'question',
          question,
          blocks,
          choices: parts.choices,
        };
  }
  // The machine's states: `consent`, `declined` and `deleted` are atomic, `active` has `interview`,
  // `summary` and `result`; the value says which (no XState state matching needed).
  const base = {
    state: stateName(snapshot),
    lang: context.lang,
    ...(context.notice ? { notice: context.notice } : {}),
  };
  if (value === 'consent')
    return {
      ...base,
      kind: 'consent',
      blocks: [line(text('consent.intro')), line(text('consent.data')), line(text('consent.ask'))],
      choices: [choice('agree', 'consent.agree'), choice('decline', 'consent.decline')],
    };
  if (value === 'declined')
    return {
      ...base,
      kind: 'declined',
      blocks: [line(text('declined.body'))],
      choices: [choice('start', 'declined.start')],
    };
  if (value === 'deleted')
    return { ...base, kind: 'deleted', blocks: [line(text('deleted.body'))], choices: [] };
  if (sub === 'summary') {
    // In the order the questions are asked, whatever order they were answered in.
    const answered = QUESTION_IDS.filter((q) => context.answers[q] !== undefined);
    const shown = (q: QuestionId) =>
      q === 'birthDate' && context.approximateAge && context.answers.birthDate
        ? approximateAge(context.answers.birthDate, context.asOf)
        : answerParam(q, context.answers[q], context.unknown.includes(q));
    return {
      ...base,
      kind: 'summary',
      blocks: [
        { kind: 'heading', text: text(answered.length ? 'summary.heading' : 'summary.empty') },
        ...answered.map(
          (q): Block => ({
            kind: 'item',
            text: text('summary.item', { question: { t: `question.${q}.short` }, answer: shown(q) }),
          }),
        ),
        line(text('summary.hint')),
      ],
      choices: [
        ...answered.map((q) =>
          choice(`${EDIT_PREFIX}${q}`, 'summary.change', { question: { t: `question.${q}.short` } }),
        ),
        choice('continue', 'summary.continue'),
      ],
    };
  }
  if (sub === 'result') {
    const decision = decisionOf(context);
    return {
      ...base,
      kind: 'result',
      blocks: presentDecision(decision, { approximateAge: context.approximateAge }),
      choices: [choice('edit', 'result.edit'), choice('restart', 'result.restart')],
      decision,
    };
  }
  const question = context.current ?? 'birthDate';
  // Only a correction of the answer just given replaces the question; other notices come with it.
  const correcting = context.failures > 0 && context.notice?.key.startsWith('answer.') === true;
  const blocks: Block[] = correcting
    ? context.failures >= FAILURES_BEFORE_HELP
      ? [line(text(`question.${question}.help`))]
      : []
    : [line(text(`question.${question}.prompt`))];
  return { ...base, kind: 'question', question, blocks, choices: questionChoices(question) };
}
