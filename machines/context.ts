/**
 * The consultation's memory and the pure functions that change it. The machine (`consultation.ts`)
 * only wires these to its events; they are plain functions so they can be tested on their own.
 */
import { DEFAULT_EDITION, type Edition, findEdition } from '../rules/index.js';
import type { QuestionId } from './questions.js';
import { type Answers, nextQuestion } from './relevance.js';
import type { Text } from './view.js';

/** What the consultation remembers. Small and plain: it is stored after every message. */
export interface ConsultationContext {
  /** Decision date, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Policy edition id. */
  readonly policy: string;
  /** The person's language (`zh-CN` or `en`); the machine only stores it. */
  readonly lang: string;
  readonly answers: Answers;
  /** Questions answered, in the order answered (for `back`, and to replay into a newer machine). */
  readonly order: readonly QuestionId[];
  /** Questions answered "I don't know" (the cautious value is stored as the answer). */
  readonly unknown: readonly QuestionId[];
  /** The birth date was derived from an age, so deadlines are approximate. */
  readonly approximateAge: boolean;
  /** The question being asked, or null when there is none (consent, result). */
  readonly current: QuestionId | null;
  /** Invalid answers in a row to the current question. */
  readonly failures: number;
  /** A one-off message for the next view (a correction, the previous answer after `back`). */
  readonly notice: Text | null;
}

/** What a consultation starts from. */
export interface ConsultationInput {
  readonly asOf: string;
  readonly policy?: string;
  readonly lang?: string;
}

/** The edition a context names (the default one when the id is not known any more). */
export function editionOf(context: Pick<ConsultationContext, 'policy'>): Edition {
  return findEdition(context.policy) ?? DEFAULT_EDITION;
}

/** {@link Answers} with every question's key, unanswered ones undefined. */
export type AllAnswers = { -readonly [K in QuestionId]-?: Answers[K] | undefined };

/**
 * A copy of `answers` with every question's key, in the catalogue's order, the unanswered ones
 * undefined (JSON leaves them out). Every context's answers then have one object shape, whatever
 * the order the person answered in: a spread per answer gave ~100 shapes over 600 consultations, and
 * reading an answer by name (the relevance check, the profile, on every turn) was a megamorphic look-up.
 */
export function answersOf(answers: Answers): AllAnswers {
  return {
    birthDate: answers.birthDate,
    education: answers.education,
    educationMode: answers.educationMode,
    overseasDegree: answers.overseasDegree,
    overseasScholar: answers.overseasScholar,
    highLevelTalent: answers.highLevelTalent,
    skill: answers.skill,
    skillInCatalog: answers.skillInCatalog,
    skillObtainedInShenzhen: answers.skillObtainedInShenzhen,
    skillLevelTestPassed: answers.skillLevelTestPassed,
    socialInsuranceMonths: answers.socialInsuranceMonths,
    creditHighRisk: answers.creditHighRisk,
    ownsProperty: answers.ownsProperty,
    relativeHost: answers.relativeHost,
    employerCollective: answers.employerCollective,
    talentCentre: answers.talentCentre,
    guangdongHukou: answers.guangdongHukou,
  };
}

/** A fresh context. */
export function initialContext(input: ConsultationInput): ConsultationContext {
  return {
    asOf: input.asOf,
    policy: input.policy ?? DEFAULT_EDITION.id,
    lang: input.lang ?? 'zh-CN',
    answers: answersOf({}),
    order: [],
    unknown: [],
    approximateAge: false,
    current: null,
    failures: 0,
    notice: null,
  };
}

/** The context with `current` set to the next relevant question (null: ready for the result). */
export function ask(context: ConsultationContext): ConsultationContext {
  const current = nextQuestion(context.answers, { asOf: context.asOf, edition: editionOf(context) });
  // A literal in the fields' order (not a spread): one object shape for every context, same JSON.
  return {
    asOf: context.asOf,
    policy: context.policy,
    lang: context.lang,
    answers: context.answers,
    order: context.order,
    unknown: context.unknown,
    approximateAge: context.approximateAge,
    current,
    failures: current === context.current ? context.failures : 0,
    notice: context.notice,
  };
}

/** How an answer was given. */
export interface AnswerMeta {
  /** "I don't know": the cautious value was assumed. */
  readonly unknown?: boolean;
  /** A birth date derived from an age. */
  readonly approximate?: boolean;
}

/** Records an answer to `question` and moves on to the next relevant question. */
export function recordAnswer(
  context: ConsultationContext,
  question: QuestionId,
  value: unknown,
  meta: AnswerMeta = {},
): ConsultationContext {
  const answers = answersOf(context.answers);
  (answers as Record<QuestionId, unknown>)[question] = value;
  const order = withLast(context.order, question, true);
  const unknown = withLast(context.unknown, question, meta.unknown === true);
  const approximateAge = question === 'birthDate' ? Boolean(meta.approximate) : context.approximateAge;
  // What `ask` makes of the context with these answers (no current question, no failures), built once.
  const current = nextQuestion(answers, { asOf: context.asOf, edition: editionOf(context) });
  return {
    asOf: context.asOf,
    policy: context.policy,
    lang: context.lang,
    answers,
    order,
    unknown,
    approximateAge,
    current,
    failures: 0,
    notice: context.notice,
  };
}

/**
 * `list` without `question`, then with it last when `add`: `list` itself when that changes nothing
 * (lists in a context are never changed, so they can be shared by the next one).
 */
function withLast(list: readonly QuestionId[], question: QuestionId, add: boolean): readonly QuestionId[] {
  const at = list.indexOf(question);
  if (at < 0 && !add) return list;
  if (add && at >= 0 && at === list.length - 1) return list;
  const out: QuestionId[] = [];
  for (const q of list) if (q !== question) out.push(q);
  if (add) out.push(question);
  return out;
}

/** Forgets one answer (and its "unknown" mark). */
export function forget(context: ConsultationContext, question: QuestionId): ConsultationContext {
  const answers = answersOf(context.answers);
  answers[question] = undefined;
  return {
    ...context,
    answers,
    order: context.order.filter((q) => q !== question),
    unknown: context.unknown.filter((q) => q !== question),
    approximateAge: question === 'birthDate' ? false : context.approximateAge,
  };
}

/** Profile fields not confirmed by the person (answered "I don't know", or a birth date from an age). */
export function unconfirmedFields(context: ConsultationContext): string[] {
  return [...context.unknown, ...(context.approximateAge ? ['birthDate'] : [])];
}
