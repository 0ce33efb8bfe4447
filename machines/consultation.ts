/**
 * The consultation, as an XState v5 machine: consent, then the interview (one relevant question at a
 * time), then the result, with the summary to change any answer. Pure: no I/O, no sentences. Views
 * are derived from its snapshot by `views.ts`; `conversation.ts` stores and restores it.
 *
 * ```
 * consent ──agree──▶ active.interview ──(no question left)──▶ result ──edit──▶ summary ──pick──▶ interview
 *    └─decline─▶ declined                ▲──────────── back / restart / continue ─────────┘
 * any state ──delete──▶ deleted (final)
 * ```
 */
import { assign, setup } from 'xstate';
import { parseAnswer, parseConsent } from './answer.js';
import {
  ask,
  type ConsultationContext,
  type ConsultationInput,
  forget,
  initialContext,
  recordAnswer,
} from './context.js';
import { answerParam } from './display.js';
import type { ConsultationEvent } from './events.js';
import { QUESTION_IDS, type QuestionId } from './questions.js';
import { text } from './view.js';

/**
 * The version of the machine's states and context. Bump it whenever a stored snapshot of the old
 * machine would not fit the new one: stored conversations are then rebuilt from their answers.
 */
export const MACHINE_VERSION = 1;

const PLACEHOLDER_INPUT: ConsultationInput = { asOf: '1970-01-01' };

/** The prefix of summary choices that reopen one answer: `edit:birthDate`. */
export const EDIT_PREFIX = 'edit:';

const isQuestionId = (id: string): id is QuestionId => (QUESTION_IDS as readonly string[]).includes(id);

/**
 * What the `answer` action assigns for `event` (a partial context): the answer recorded and the next
 * question asked, or the correction to show. A plain function so that the fast path of
 * `stepConversation` (`conversation.ts`) applies exactly what the machine applies.
 */
export function answerUpdate(
  context: ConsultationContext,
  event: ConsultationEvent,
): Partial<ConsultationContext> {
  if (event.type === 'ANSWER') {
    // A stored answer replayed into this machine: accepted for any question, in any order.
    const parsed = parseAnswer(event.question, event, context);
    return parsed.ok ? recordAnswer(context, event.question, parsed.value.value, parsed.value) : {};
  }
  const question = context.current;
  if (question === null) return {};
  if (event.type !== 'TEXT' && event.type !== 'CHOOSE') return {};
  const parsed = parseAnswer(question, event, context);
  if (!parsed.ok) {
    // A button of an earlier view is not a wrong answer; a typed one is, with the most specific correction.
    if (parsed.error.key === 'notice.moved-on') return { notice: parsed.error };
    const notice = event.type === 'TEXT' && event.problem ? event.problem : parsed.error;
    return { notice, failures: context.failures + 1 };
  }
  const next = recordAnswer(context, question, parsed.value.value, parsed.value);
  if (parsed.value.unknown)
    // "I don't know" is an answer: say what is assumed and how to find out.
    return {
      ...next,
      notice: text('notice.assumed', {
        answer: answerParam(question, parsed.value.value),
        how: { t: `question.${question}.how` },
      }),
    };
  if (parsed.value.approximate) return { ...next, notice: text('notice.approximate-age') };
  return next;
}

/** The consultation machine. */
export const consultationMachine = setup({
  types: {
    context: {} as ConsultationContext,
    events: {} as ConsultationEvent,
    input: {} as ConsultationInput,
  },
  guards: {
    agrees: ({ event }) =>
      (event.type === 'CHOOSE' && event.id === 'agree') ||
      (event.type === 'TEXT' && parseConsent(event.text) === true),
    declines: ({ event }) =>
      (event.type === 'CHOOSE' && event.id === 'decline') ||
      (event.type === 'TEXT' && parseConsent(event.text) === false),
    startsAgain: ({ event }) => event.type === 'CHOOSE' && event.id === 'start',
    complete: ({ context }) => context.current === null,
    isBack: ({ event }) => event.type === 'COMMAND' && event.command === 'back',
    backWithAnswers: ({ context, event }) =>
      event.type === 'COMMAND' && event.command === 'back' && context.order.length > 0,
    isRestart: ({ event }) => event.type === 'COMMAND' && event.command === 'restart',
    isSummary: ({ event }) => event.type === 'COMMAND' && event.command === 'summary',
    choosesEdit: ({ event }) => event.type === 'CHOOSE' && event.id === 'edit',
    choosesContinue: ({ event }) => event.type === 'CHOOSE' && event.id === 'continue',
    picksAnswer: ({ context, event }) =>
      event.type === 'CHOOSE' &&
      event.id.startsWith(EDIT_PREFIX) &&
      isQuestionId(event.id.slice(EDIT_PREFIX.length)) &&
      context.answers[event.id.slice(EDIT_PREFIX.length) as QuestionId] !== undefined,
  },
  actions: {
    clearNotice: assign({ notice: null }),
    ask: assign(({ context }) => ask(context)),
    answer: assign(({ context, event }) => answerUpdate(context, event)),
    goBack: assign(({ context }) => {
      const last = context.order.at(-1);
      if (last === undefined) return {};
      const previous = context.answers[last];
      const wasUnknown = context.unknown.includes(last);
      return {
        ...forget(context, last),
        current: last,
        failures: 0,
        notice: text('notice.back', {
          question: { t: `question.${last}.short` },
          answer: answerParam(last, previous, wasUnknown),
        }),
      };
    }),
    reopen: assign(({ context, event }) => {
      if (event.type !== 'CHOOSE') return {};
      const question = event.id.slice(EDIT_PREFIX.length) as QuestionId;
      return {
        current: question,
        failures: 0,
        notice: text('notice.editing', {
          question: { t: `question.${question}.short` },
          answer: answerParam(question, context.answers[question], context.unknown.includes(question)),
        }),
      };
    }),
    reset: assign(({ context }) =>
      ask({
        ...initialContext({ asOf: context.asOf, policy: context.policy, lang: context.lang }),
        notice: text('notice.restarted'),
      }),
    ),
    noteNothingToUndo: assign({ notice: text('notice.nothing-to-undo') }),
    noteHelp: assign({ notice: text('notice.help') }),
    noteUseChoices: assign({ notice: text('notice.use-choices') }),
    noteMovedOn: assign({ notice: text('notice.moved-on') }),
    noteNeedConsent: assign({ notice: text('notice.need-consent') }),
    switchLanguage: assign(({ context, event }) => {
      if (event.type !== 'COMMAND') return {};
      const lang = event.lang ?? (context.lang === 'en' ? 'zh-CN' : 'en');
      return { lang, notice: text('notice.language') };
    }),
    setDate: assign(({ event }) => (event.type === 'CLOCK' ? { asOf: event.asOf } : {})),
  },
}).createMachine({
  id: 'consultation',
  // XState's pure `transition` builds a throwaway actor without input on every call: give it a
  // cheap placeholder instead of letting it throw (a thrown error costs a stack trace each time).
  context: ({ input }) => initialContext(input ?? PLACEHOLDER_INPUT),
  initial: 'consent',
  on: {
    CLOCK: { actions: 'setDate' },
    COMMAND: [
      { guard: ({ event }) => event.command === 'delete', target: '.deleted' },
      { guard: ({ event }) => event.command === 'language', actions: ['clearNotice', 'switchLanguage'] },
      { guard: ({ event }) => event.command === 'help', actions: ['clearNotice', 'noteHelp'] },
      { guard: ({ event }) => event.command === 'restart', target: '.consent', actions: 'clearNotice' },
      { actions: ['clearNotice', 'noteNeedConsent'] },
    ],
  },
  states: {
    consent: {
      on: {
        CHOOSE: [
          { guard: 'agrees', target: 'active', actions: 'clearNotice' },
          { guard: 'declines', target: 'declined', actions: 'clearNotice' },
          // "Start again" of the declined view, tapped when nothing was stored: the question again.
          { guard: 'startsAgain', actions: 'clearNotice' },
          { actions: ['clearNotice', 'noteMovedOn'] },
        ],
        TEXT: [
          { guard: 'agrees', target: 'active', actions: 'clearNotice' },
          { guard: 'declines', target: 'declined', actions: 'clearNotice' },
          { actions: ['clearNotice', 'noteNeedConsent'] },
        ],
      },
    },
    declined: {
      on: {
        CHOOSE: [
          { guard: 'startsAgain', target: 'consent', actions: 'clearNotice' },
          { actions: ['clearNotice', 'noteMovedOn'] },
        ],
        TEXT: { target: 'consent', actions: 'clearNotice' },
      },
    },
    active: {
      initial: 'interview',
      entry: 'ask',
      on: {
        COMMAND: [
          { guard: 'backWithAnswers', target: '.interview', actions: ['clearNotice', 'goBack'] },
          { guard: 'isBack', actions: ['clearNotice', 'noteNothingToUndo'] },
          { guard: 'isRestart', target: '.interview', actions: 'reset' },
          { guard: 'isSummary', target: '.summary', actions: 'clearNotice' },
        ],
        ANSWER: { target: '.interview', actions: ['clearNotice', 'answer'] },
      },
      states: {
        interview: {
          always: { guard: 'complete', target: 'result' },
          on: {
            TEXT: { actions: ['clearNotice', 'answer'] },
            CHOOSE: { actions: ['clearNotice', 'answer'] },
          },
        },
        result: {
          on: {
            CHOOSE: [
              { guard: 'choosesEdit', target: 'summary', actions: 'clearNotice' },
              { guard: ({ event }) => event.id === 'restart', target: 'interview', actions: 'reset' },
              { actions: ['clearNotice', 'noteMovedOn'] },
            ],
            TEXT: { actions: ['clearNotice', 'noteUseChoices'] },
          },
        },
        summary: {
          on: {
            CHOOSE: [
              { guard: 'picksAnswer', target: 'interview', actions: ['clearNotice', 'reopen'] },
              { guard: 'choosesContinue', target: 'interview', actions: ['clearNotice', 'ask'] },
              { actions: ['clearNotice', 'noteMovedOn'] },
            ],
            TEXT: { actions: ['clearNotice', 'noteUseChoices'] },
          },
        },
      },
    },
    deleted: { type: 'final' },
  },
});
