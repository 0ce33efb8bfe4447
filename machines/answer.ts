/**
 * One answer to one question, from whatever the person sent: typed text, a tapped choice, or a
 * stored value being replayed. Returns the profile value to store, or the correction to show.
 */
import { birthDateIssues, fail, ok, parseIsoDate, type Result } from '../rules/index.js';
import { birthDateRange, parseDate } from './answers/date.js';
import { parseMonths } from './answers/months.js';
import { compactKey } from './answers/normalise.js';
import { isUnknown } from './answers/unknown.js';
import { parseYesNo } from './answers/yes-no.js';
import type { ConsultationEvent } from './events.js';
import { type AnswerValue, type QuestionId, questionOf } from './questions.js';
import { type Text, text } from './view.js';

/** An accepted answer: the value to store, and how it was given. */
export interface Accepted {
  readonly value: AnswerValue;
  /** "I don't know": `value` is the question's cautious assumption. */
  readonly unknown?: boolean;
  /** A birth date derived from an age. */
  readonly approximate?: boolean;
}

type AnswerInput = Extract<ConsultationEvent, { type: 'TEXT' | 'CHOOSE' | 'ANSWER' }>;

/** What the answer is checked against. */
export interface AnswerContext {
  readonly asOf: string;
}

const movedOn = (): Result<Accepted, Text> => fail(text('notice.moved-on'));

/** Checks a value already in profile form (a replayed answer, or a tapped choice's id). */
function checkValue(question: QuestionId, value: unknown, ctx: AnswerContext): Result<Accepted, Text> {
  const { kind } = questionOf(question);
  switch (kind.type) {
    case 'choice':
      return typeof value === 'string' && kind.options.includes(value)
        ? ok({ value: value as AnswerValue })
        : movedOn();
    case 'yes-no':
      return typeof value === 'boolean' ? ok({ value }) : movedOn();
    case 'months':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1200
        ? ok({ value })
        : movedOn();
    case 'date': {
      const asOf = parseIsoDate(ctx.asOf);
      if (typeof value !== 'string' || !asOf) return movedOn();
      return birthDateIssues(value, asOf, []).length === 0 ? ok({ value }) : movedOn();
    }
  }
}

/** True when a stored value is still a valid answer to `question` (e.g. after a change of options). */
export function answerFits(question: QuestionId, value: unknown, ctx: AnswerContext): boolean {
  return (
    checkValue(question, value, ctx).ok || (value !== undefined && questionOf(question).ifUnknown === value)
  );
}

/**
 * Parses one answer to `question`. A tapped choice must be one of the question's choices; typed text
 * is parsed by the question's kind; "I don't know" is accepted where the question allows it.
 */
export function parseAnswer(
  question: QuestionId,
  input: AnswerInput,
  ctx: AnswerContext,
): Result<Accepted, Text> {
  const q = questionOf(question);
  const unknownValue = q.ifUnknown;
  const allowUnknown = unknownValue !== undefined;

  if (input.type === 'ANSWER') {
    if (input.unknown)
      return allowUnknown && input.value === unknownValue
        ? ok({ value: unknownValue, unknown: true })
        : movedOn();
    const checked = checkValue(question, input.value, ctx);
    return checked.ok && input.approximate ? ok({ ...checked.value, approximate: true }) : checked;
  }

  if (input.type === 'CHOOSE') {
    if (input.id === 'unknown') return allowUnknown ? ok({ value: unknownValue, unknown: true }) : movedOn();
    if (q.kind.type === 'yes-no' && (input.id === 'yes' || input.id === 'no'))
      return ok({ value: input.id === 'yes' });
    if (q.kind.type === 'months' && /^\d+$/.test(input.id))
      return checkValue(question, Number(input.id), ctx);
    return checkValue(question, input.id, ctx);
  }

  const typed = input.text;
  if (allowUnknown && isUnknown(typed)) return ok({ value: unknownValue, unknown: true });
  switch (q.kind.type) {
    case 'date': {
      const parsed = parseDate(typed, { asOf: ctx.asOf });
      if (!parsed.ok) return parsed;
      if (parsed.value.kind !== 'value') return fail(text('answer.unknown.not-allowed'));
      const birth = parsed.value.value;
      // From an age, assume the earliest compatible birth date: deadlines then err on the early side.
      const accepted: Accepted =
        birth.kind === 'date'
          ? { value: birth.date }
          : { value: birthDateRange(birth.age, ctx.asOf).earliest, approximate: true };
      // The contract's own limits on a birth date have the last word (e.g. at most 100 years back).
      return checkValue(question, accepted.value, ctx).ok
        ? ok(accepted)
        : fail(text('answer.date.too-old', { max: 100 }));
    }
    case 'months': {
      const parsed = parseMonths(typed);
      if (!parsed.ok) return parsed;
      return parsed.value.kind === 'value'
        ? ok({ value: parsed.value.value })
        : fail(text('answer.unknown.not-allowed'));
    }
    case 'yes-no': {
      const parsed = parseYesNo(typed);
      if (!parsed.ok) return parsed;
      return parsed.value.kind === 'value'
        ? ok({ value: parsed.value.value })
        : fail(text('answer.unknown.not-allowed'));
    }
    case 'choice': {
      const id = typed.trim().toLowerCase();
      return q.kind.options.includes(id)
        ? ok({ value: id as AnswerValue })
        : fail(text('answer.choice.unrecognised'));
    }
  }
}

/** Replies to the consent question beyond yes and no (compared after {@link compactKey}). */
export const CONSENT_WORDS: Readonly<Record<'agree' | 'decline', readonly string[]>> = {
  agree: ['agree', 'i agree', 'accept', 'i accept', 'yes i agree', '我同意', '同意并开始', '接受'],
  decline: ['disagree', 'i disagree', 'decline', 'i decline', 'refuse', '我不同意', '拒绝', '不接受'],
};

/** Reads a typed reply to the consent question: true (agrees), false (declines), undefined (unclear). */
export function parseConsent(typed: string): boolean | undefined {
  const key = compactKey(typed);
  if (CONSENT_WORDS.agree.some((w) => compactKey(w) === key)) return true;
  if (CONSENT_WORDS.decline.some((w) => compactKey(w) === key)) return false;
  const parsed = parseYesNo(typed);
  return parsed.ok && parsed.value.kind === 'value' ? parsed.value.value : undefined;
}
