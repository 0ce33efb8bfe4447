/**
 * A conversation as stored, and the pure functions that start, step, store and restore it.
 *
 * Stored form: machine version, policy edition, language, the answers given (in order), and the
 * XState persisted snapshot. A snapshot of the running machine version is restored as it is; any
 * other (an older machine, or data that no longer fits) is rebuilt by replaying the answers into a
 * fresh machine. A stored answer that no longer fits is dropped, so its question is asked again.
 * Restoring never throws.
 */
import { type AnyActorScope, createActor } from 'xstate';
import { z } from 'zod';
import { answerFits } from './answer.js';
import { answerUpdate, consultationMachine, MACHINE_VERSION } from './consultation.js';
import {
  ask,
  type ConsultationContext,
  type ConsultationInput,
  editionOf,
  initialContext,
} from './context.js';
import type { ConsultationEvent } from './events.js';
import { QUESTION_IDS, type QuestionId } from './questions.js';
import type { ConsultationSnapshot } from './views.js';

/** One stored answer: question, value, and 1 when it was "I don't know". */
export type StoredAnswer = readonly [question: QuestionId, value: unknown, unknown?: 1];

/** A conversation as it is stored (JSON). */
export interface StoredConversation {
  /** {@link MACHINE_VERSION} of the machine that wrote it. */
  readonly v: number;
  readonly policy: string;
  readonly lang: string;
  /** Where the person was: still to consent, declined, or in the consultation proper. */
  readonly stage: 'consent' | 'declined' | 'active';
  readonly answers: readonly StoredAnswer[];
  /** The birth date was derived from an age. */
  readonly approximateAge?: boolean;
  /** `consultationMachine.getPersistedSnapshot(...)`. */
  readonly snapshot: unknown;
  /** Inputs applied so far; lets a channel tell a button of an older view from a current one. */
  readonly seq?: number;
  /** What a channel keeps with the conversation (e.g. the message that carries the buttons). */
  readonly meta?: Readonly<Record<string, string | number>>;
}

/**
 * The actor scope transitions are computed in. XState's own `transition()` builds a new throwaway
 * actor for every call, which cost more than the rest of a turn together; this machine has no
 * children, timers or effects (its only actions are `assign`), so one inert scope serves every call.
 */
const inertScope = (() => {
  const self = createActor(consultationMachine, { input: { asOf: '1970-01-01' } });
  const noop = () => {};
  return {
    self,
    defer: noop,
    id: '',
    logger: noop,
    sessionId: '',
    stopChild: noop,
    system: self.system,
    emit: noop,
    actionExecutor: noop,
  } as unknown as AnyActorScope;
})();

/** The first snapshot XState makes, as the pattern of every other conversation's first one. */
let firstSnapshot: ConsultationSnapshot | undefined;

/**
 * Starts a conversation: the consent question. The snapshot XState's `getInitialSnapshot` gives, built
 * directly: the machine's initial state has no entry actions and no eventless transitions, so only
 * the context (from `input`) differs between conversations (`test/machines/fast-step.test.ts`).
 */
export function startConversation(input: ConsultationInput): ConsultationSnapshot {
  firstSnapshot ??= consultationMachine.getInitialSnapshot(inertScope, PATTERN_INPUT);
  const s = firstSnapshot;
  return {
    status: s.status,
    output: s.output,
    error: s.error,
    machine: s.machine,
    context: initialContext(input),
    _nodes: s._nodes,
    value: s.value,
    tags: new Set(),
    children: s.children,
    historyValue: s.historyValue,
    matches: s.matches,
    hasTag: s.hasTag,
    can: s.can,
    getMeta: s.getMeta,
    toJSON: s.toJSON,
  } as ConsultationSnapshot;
}

const PATTERN_INPUT: ConsultationInput = { asOf: '1970-01-01' };

/**
 * `Object.assign({}, context, update)`, as XState's `assign` does, as a literal: the same keys in
 * the same order (every context has all of them), one object shape.
 */
function withUpdate(c: ConsultationContext, u: Partial<ConsultationContext>): ConsultationContext {
  return {
    asOf: 'asOf' in u ? (u.asOf as string) : c.asOf,
    policy: 'policy' in u ? (u.policy as string) : c.policy,
    lang: 'lang' in u ? (u.lang as string) : c.lang,
    answers: 'answers' in u ? (u.answers as ConsultationContext['answers']) : c.answers,
    order: 'order' in u ? (u.order as ConsultationContext['order']) : c.order,
    unknown: 'unknown' in u ? (u.unknown as ConsultationContext['unknown']) : c.unknown,
    approximateAge: 'approximateAge' in u ? (u.approximateAge as boolean) : c.approximateAge,
    current: 'current' in u ? (u.current as ConsultationContext['current']) : c.current,
    failures: 'failures' in u ? (u.failures as number) : c.failures,
    notice: 'notice' in u ? (u.notice as ConsultationContext['notice']) : c.notice,
  };
}

/**
 * The snapshot XState's `transition` gives for the hot events, computed directly: an answer to the
 * interview's question (`TEXT`/`CHOOSE` in `active.interview`), a replayed answer (`ANSWER` in
 * `active`), and the day moving on (`CLOCK`, anywhere). The same action functions, in the same
 * order, as the machine's definition; then its one eventless transition (`interview` →
 * `result` when no question is left). Undefined for every other case, which XState handles.
 * `test/machines/fast-step.test.ts` checks it deep-equals `transition()` on every generated path.
 */
function fastStep(
  snapshot: ConsultationSnapshot,
  event: ConsultationEvent,
): ConsultationSnapshot | undefined {
  if (snapshot.status !== 'active' || snapshot.machine !== consultationMachine) return undefined;
  const value = snapshot.value as unknown;
  const sub =
    typeof value === 'object' && value !== null ? (value as { active?: unknown }).active : undefined;
  let context: ConsultationContext;
  // The state after the event's transition, before the eventless one.
  let state: 'interview' | undefined;
  if (event.type === 'CLOCK') {
    // `setDate` on the root: no state changes, but the eventless transition is checked again.
    context = withUpdate(snapshot.context, { asOf: event.asOf });
    if (sub === 'interview') state = 'interview';
    else return moved(snapshot, context, undefined);
  } else if (event.type === 'ANSWER') {
    // `ANSWER` targets `.interview` from any state of `active`.
    if (sub !== 'interview' && sub !== 'result' && sub !== 'summary') return undefined;
    const cleared = withUpdate(snapshot.context, { notice: null });
    context = withUpdate(cleared, answerUpdate(cleared, event));
    state = 'interview';
  } else if (event.type === 'TEXT' || event.type === 'CHOOSE') {
    if (sub === 'interview') {
      const cleared = withUpdate(snapshot.context, { notice: null });
      context = withUpdate(cleared, answerUpdate(cleared, event));
      state = 'interview';
    } else if (value === 'consent' && event.type === 'CHOOSE' && event.id === 'agree') {
      // `agrees`: `clearNotice`, then `active` is entered (its entry action `ask`), then `interview`.
      context = ask(withUpdate(snapshot.context, { notice: null }));
      state = 'interview';
    } else return undefined;
  } else return undefined;
  // `interview`'s eventless transition: no question left, the result.
  return moved(snapshot, context, context.current === null ? 'result' : state);
}

/** State nodes of the states of `active` the fast path moves to. */
const nodesOf = new Map<string, ConsultationSnapshot['_nodes']>();

/**
 * The snapshot with `context`, in `active.<to>` (or where it is), built as XState's
 * `createMachineSnapshot` builds it: the same fields, in the same order.
 */
function moved(
  snapshot: ConsultationSnapshot,
  context: ConsultationContext,
  to: 'interview' | 'result' | undefined,
): ConsultationSnapshot {
  let nodes = snapshot._nodes;
  let value = snapshot.value as unknown;
  if (to !== undefined) {
    let known = nodesOf.get(to);
    if (!known) {
      known = consultationMachine.resolveState({
        value: { active: to },
        context: initialContext({ asOf: context.asOf }),
      })._nodes;
      nodesOf.set(to, known);
    }
    nodes = known;
    value = { active: to };
  } else if (typeof value === 'object' && value !== null) value = { ...value };
  return {
    status: snapshot.status,
    output: snapshot.output,
    error: snapshot.error,
    machine: snapshot.machine,
    context,
    _nodes: nodes,
    value,
    tags: new Set(),
    children: snapshot.children,
    historyValue: snapshot.historyValue,
    matches: snapshot.matches,
    hasTag: snapshot.hasTag,
    can: snapshot.can,
    getMeta: snapshot.getMeta,
    toJSON: snapshot.toJSON,
  } as ConsultationSnapshot;
}

/** Applies one event. Pure: the snapshot given is not changed. */
export function stepConversation(
  snapshot: ConsultationSnapshot,
  event: ConsultationEvent,
): ConsultationSnapshot {
  return fastStep(snapshot, event) ?? consultationMachine.transition(snapshot, event, inertScope);
}

/** Applies one event with XState alone (no fast path): the reference the fast path is tested against. */
export function transitionConversation(
  snapshot: ConsultationSnapshot,
  event: ConsultationEvent,
): ConsultationSnapshot {
  return consultationMachine.transition(snapshot, event, inertScope);
}

function stageOf(snapshot: ConsultationSnapshot): StoredConversation['stage'] {
  const value = snapshot.value as unknown;
  if (value === 'consent') return 'consent';
  if (value === 'declined') return 'declined';
  return 'active';
}

const isEmpty = (x: object | undefined) => {
  for (const _ in x) return false;
  return true;
};

/**
 * `consultationMachine.getPersistedSnapshot(snapshot)` with the notice left out. This machine has no
 * children, history states or actors in its context, so it is the snapshot's JSON fields in
 * XState's order; any other snapshot goes through XState.
 */
function persistedOf(snapshot: ConsultationSnapshot): unknown {
  if (!isEmpty(snapshot.children) || !isEmpty(snapshot.historyValue)) {
    const persisted = consultationMachine.getPersistedSnapshot(snapshot) as unknown as {
      context: ConsultationContext;
    };
    return { ...persisted, context: { ...persisted.context, notice: null } };
  }
  return {
    status: snapshot.status,
    output: snapshot.output,
    error: snapshot.error,
    value: snapshot.value,
    historyValue: {},
    context: { ...snapshot.context, notice: null },
    children: {},
  };
}

/** The stored form of a snapshot. The transient notice is not stored. */
export function storeConversation(snapshot: ConsultationSnapshot): StoredConversation {
  const { context } = snapshot;
  const answers: StoredAnswer[] = [];
  for (const q of context.order)
    answers.push(context.unknown.includes(q) ? [q, context.answers[q], 1] : [q, context.answers[q]]);
  return {
    v: MACHINE_VERSION,
    policy: context.policy,
    lang: context.lang,
    stage: stageOf(snapshot),
    answers,
    ...(context.approximateAge ? { approximateAge: true } : {}),
    snapshot: persistedOf(snapshot),
  };
}

const questionId = z.enum(QUESTION_IDS);
const textSchema = z.object({ key: z.string(), params: z.record(z.string(), z.unknown()).optional() });
/** What a persisted snapshot of this machine version must look like to be restored as it is. */
const PersistedSchema = z.object({
  status: z.literal('active'),
  value: z.union([
    z.enum(['consent', 'declined']),
    z.object({ active: z.enum(['interview', 'result', 'summary']) }),
  ]),
  context: z.object({
    asOf: z.string(),
    policy: z.string(),
    lang: z.string(),
    answers: z.record(z.string(), z.unknown()),
    order: z.array(questionId),
    unknown: z.array(questionId),
    approximateAge: z.boolean(),
    current: questionId.nullable(),
    failures: z.number().int().min(0),
    notice: textSchema.nullable(),
  }),
});

const StoredSchema = z.object({
  v: z.number(),
  policy: z.string(),
  lang: z.string(),
  stage: z.enum(['consent', 'declined', 'active']),
  answers: z.array(
    z.union([z.tuple([questionId, z.unknown()]), z.tuple([questionId, z.unknown(), z.literal(1)])]),
  ),
  approximateAge: z.boolean().optional(),
  snapshot: z.unknown(),
  seq: z.number().int().min(0).optional(),
  meta: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** The outcome of {@link restoreConversation}. */
export interface Restored {
  readonly snapshot: ConsultationSnapshot;
  /** How it was restored: as stored, or rebuilt from the answers (a new machine version, or bad data). */
  readonly how: 'restored' | 'rebuilt';
}

/** Rebuilds a conversation from its answers alone, in a fresh machine. */
export function rebuildConversation(
  stored: Pick<StoredConversation, 'policy' | 'lang' | 'stage' | 'answers' | 'approximateAge'>,
  asOf: string,
): ConsultationSnapshot {
  let snapshot = startConversation({
    asOf,
    policy: editionOf({ policy: stored.policy }).id,
    lang: stored.lang,
  });
  if (stored.stage === 'declined') return stepConversation(snapshot, { type: 'CHOOSE', id: 'decline' });
  if (stored.stage === 'consent' && stored.answers.length === 0) return snapshot;
  snapshot = stepConversation(snapshot, { type: 'CHOOSE', id: 'agree' });
  for (const [question, value, unknown] of stored.answers) {
    snapshot = stepConversation(snapshot, {
      type: 'ANSWER',
      question,
      value,
      ...(unknown ? { unknown: true } : {}),
      ...(question === 'birthDate' && stored.approximateAge ? { approximate: true } : {}),
    });
  }
  return snapshot;
}

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const QUESTION_SET: ReadonlySet<unknown> = new Set(QUESTION_IDS);
const isQuestionIds = (x: unknown): x is QuestionId[] =>
  Array.isArray(x) && x.every((q) => QUESTION_SET.has(q));
const isCount = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const SUBSTATES: ReadonlySet<unknown> = new Set(['interview', 'result', 'summary']);

/** A snapshot of each state a stored conversation can be in, as `resolveState` builds it. */
const templates = new Map<string, ConsultationSnapshot>();
function templateOf(state: string): ConsultationSnapshot {
  let template = templates.get(state);
  if (!template) {
    template = consultationMachine.resolveState({
      value: state === 'consent' || state === 'declined' ? state : { active: state },
      context: initialContext({ asOf: '1970-01-01' }),
    });
    templates.set(state, template);
  }
  return template;
}

/**
 * The common case of {@link restoreConversation} without zod: a record of this machine version in
 * exactly the shape it is stored in (no notice), every answer still fitting. Accepts only what the
 * schemas accept, and gives what they and `resolveState` give; undefined for anything else, which
 * then takes the full path. `test/machines/restore-fast.test.ts` compares the two.
 */
function quickRestore(stored: unknown): ConsultationSnapshot | undefined {
  if (!isRecord(stored) || stored.v !== MACHINE_VERSION) return undefined;
  const { policy, lang, stage, answers, approximateAge, snapshot, seq, meta } = stored;
  if (typeof policy !== 'string' || typeof lang !== 'string') return undefined;
  if (stage !== 'consent' && stage !== 'declined' && stage !== 'active') return undefined;
  if (approximateAge !== undefined && typeof approximateAge !== 'boolean') return undefined;
  if (seq !== undefined && !isCount(seq)) return undefined;
  if (meta !== undefined) {
    if (!isRecord(meta)) return undefined;
    for (const k in meta) {
      const m = meta[k];
      if (typeof m !== 'string' && !(typeof m === 'number' && Number.isFinite(m))) return undefined;
    }
  }
  if (!Array.isArray(answers)) return undefined;
  for (const a of answers)
    if (!Array.isArray(a) || !QUESTION_SET.has(a[0]) || !(a.length === 2 || (a.length === 3 && a[2] === 1)))
      return undefined;
  if (!isRecord(snapshot) || snapshot.status !== 'active') return undefined;
  const { value, context: c } = snapshot;
  let state: string;
  if (value === 'consent' || value === 'declined') state = value;
  else if (isRecord(value) && SUBSTATES.has(value.active)) state = value.active as string;
  else return undefined;
  if (!isRecord(c)) return undefined;
  const { asOf } = c;
  if (typeof asOf !== 'string' || typeof c.policy !== 'string' || typeof c.lang !== 'string')
    return undefined;
  if (!isRecord(c.answers) || !isQuestionIds(c.order) || !isQuestionIds(c.unknown)) return undefined;
  if (typeof c.approximateAge !== 'boolean' || !isCount(c.failures) || c.notice !== null) return undefined;
  if (c.current !== null && !QUESTION_SET.has(c.current)) return undefined;
  const given: Record<string, unknown> = {};
  for (const q in c.answers) {
    if (!Object.hasOwn(c.answers, q)) continue;
    const answer = c.answers[q];
    if (!QUESTION_SET.has(q) || !answerFits(q as QuestionId, answer, { asOf })) return undefined;
    given[q] = answer;
  }
  const context: ConsultationContext = {
    asOf,
    policy: c.policy,
    lang: c.lang,
    answers: given,
    order: [...c.order],
    unknown: [...c.unknown],
    approximateAge: c.approximateAge,
    current: c.current as QuestionId | null,
    failures: c.failures as number,
    notice: null,
  };
  const template = templateOf(state);
  return {
    ...template,
    context,
    value: typeof template.value === 'string' ? template.value : { active: state },
    tags: new Set(),
    children: {},
    historyValue: {},
  } as ConsultationSnapshot;
}

/**
 * Restores a stored conversation (any JSON value; never throws). `asOf` is today's date: a
 * rebuilt conversation is decided for it, and a restored one is moved to it.
 */
export function restoreConversation(stored: unknown, asOf: string, fallback: ConsultationInput): Restored {
  const quick = quickRestore(stored);
  if (quick)
    return {
      snapshot: quick.context.asOf === asOf ? quick : stepConversation(quick, { type: 'CLOCK', asOf }),
      how: 'restored',
    };
  return restoreConversationFully(stored, asOf, fallback);
}

/**
 * {@link restoreConversation} through the schemas and XState alone (no quick path): the reference
 * the quick path is tested against.
 */
export function restoreConversationFully(
  stored: unknown,
  asOf: string,
  fallback: ConsultationInput,
): Restored {
  const shape = StoredSchema.safeParse(stored);
  if (!shape.success) return { snapshot: startConversation({ ...fallback, asOf }), how: 'rebuilt' };
  const record = shape.data as StoredConversation;
  if (record.v === MACHINE_VERSION) {
    const persisted = PersistedSchema.safeParse(record.snapshot);
    // Every answer must still be an answer this machine accepts (an option may have been removed).
    const fits =
      persisted.success &&
      Object.entries(persisted.data.context.answers).every(
        ([q, value]) =>
          (QUESTION_IDS as readonly string[]).includes(q) &&
          answerFits(q as QuestionId, value, { asOf: persisted.data.context.asOf }),
      );
    if (persisted.success && fits) {
      try {
        const snapshot = consultationMachine.resolveState({
          value: persisted.data.value,
          context: persisted.data.context as ConsultationContext,
        });
        const moved =
          snapshot.context.asOf === asOf ? snapshot : stepConversation(snapshot, { type: 'CLOCK', asOf });
        return { snapshot: moved, how: 'restored' };
      } catch {
        // Falls through to a rebuild: the snapshot does not fit this machine.
      }
    }
  }
  return { snapshot: rebuildConversation(record, asOf), how: 'rebuilt' };
}
