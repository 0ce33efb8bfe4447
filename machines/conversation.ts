/**
 * A conversation as stored, and the pure functions that start, step, store and restore it.
 *
 * Stored form: machine version, policy edition, language, the answers given (in order), and where
 * the conversation is beyond them (its state, decision date, current question and failed attempts):
 * each answer once, nothing the answers already say. A conversation of the running machine version
 * is restored as it was; any other (an older machine, or data that no longer fits) is rebuilt by
 * replaying the answers into a fresh machine. A stored answer that no longer fits is dropped, so its
 * question is asked again. Records written before 2026-11-28 hold XState's persisted snapshot
 * instead of the state (answers again included); they are restored as they were too. Restoring
 * never throws.
 */
import { type AnyActorScope, createActor } from 'xstate';
import { z } from 'zod';
import { answerFits } from './answer.js';
import { answerUpdate, consultationMachine, MACHINE_VERSION } from './consultation.js';
import {
  answersOf,
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
  /** Where the conversation is (written since 2026-11-28; restoring accepts it without, see `snapshot`). */
  readonly state?: StoredState;
  /**
   * Records written before 2026-11-28: `consultationMachine.getPersistedSnapshot(...)` instead of
   * `state`. Read, never written.
   */
  readonly snapshot?: unknown;
  /** Inputs applied so far; lets a channel tell a button of an older view from a current one. */
  readonly seq?: number;
  /** What a channel keeps with the conversation (e.g. the message that carries the buttons). */
  readonly meta?: Readonly<Record<string, string | number>>;
}

/** The states a stored conversation can be in, as {@link StoredState.at} names them. */
const STORED_AT = ['consent', 'declined', 'interview', 'result', 'summary'] as const;

/**
 * Where a stored conversation is, beyond its answers: with them, all of the machine's context (the
 * answers, their order and which were "I don't know" come from {@link StoredConversation.answers};
 * the one-off notice is not kept).
 */
export interface StoredState {
  /** The machine's state: `consent`, `declined`, or the state of `active` it is in. */
  readonly at: (typeof STORED_AT)[number];
  /** The decision date, `YYYY-MM-DD`, the conversation was last moved to. */
  readonly asOf: string;
  /** The question being asked, or null. */
  readonly current: QuestionId | null;
  /** Invalid answers in a row to the current question. */
  readonly failures: number;
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

const STORED_STATES: ReadonlySet<unknown> = new Set(STORED_AT);

/** {@link StoredState.at} of a snapshot; undefined for a snapshot in no state a conversation is kept in (deleted). */
function atOf(snapshot: ConsultationSnapshot): StoredState['at'] | undefined {
  if (snapshot.status !== 'active') return undefined;
  const value = snapshot.value as unknown;
  const at = typeof value === 'string' ? value : (value as { active?: unknown }).active;
  return STORED_STATES.has(at) ? (at as StoredState['at']) : undefined;
}

/**
 * The stored form of a snapshot: each answer once (with its "I don't know" mark), and where the
 * conversation is. The transient notice is not stored. A snapshot in no state a conversation is
 * kept in (deleted) is stored without its state: restoring rebuilds it from the answers.
 */
export function storeConversation(snapshot: ConsultationSnapshot): StoredConversation {
  const { context } = snapshot;
  const answers: StoredAnswer[] = [];
  const { order, unknown } = context;
  for (let i = 0; i < order.length; i++) {
    const q = order[i] as QuestionId;
    answers.push(
      unknown.length > 0 && unknown.includes(q) ? [q, context.answers[q], 1] : [q, context.answers[q]],
    );
  }
  const at = atOf(snapshot);
  return {
    v: MACHINE_VERSION,
    policy: context.policy,
    lang: context.lang,
    stage: stageOf(snapshot),
    answers,
    ...(context.approximateAge ? { approximateAge: true } : {}),
    ...(at === undefined
      ? {}
      : { state: { at, asOf: context.asOf, current: context.current, failures: context.failures } }),
  };
}

const questionId = z.enum(QUESTION_IDS);
const textSchema = z.object({ key: z.string(), params: z.record(z.string(), z.unknown()).optional() });
/** What a stored state must look like to be restored as it is. */
const StateSchema = z.object({
  at: z.enum(STORED_AT),
  asOf: z.string(),
  current: questionId.nullable(),
  failures: z.number().int().min(0),
});
/**
 * What a persisted snapshot of this machine version (records written before 2026-11-28) must look
 * like to be restored as it is.
 */
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
  state: z.unknown().optional(),
  snapshot: z.unknown().optional(),
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
const isCount = (x: unknown) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** A snapshot of each state a stored conversation can be in, as `resolveState` builds it. */
const templates = new Map<string, ConsultationSnapshot>();
function templateOf(at: StoredState['at']): ConsultationSnapshot {
  let template = templates.get(at);
  if (!template) {
    template = consultationMachine.resolveState({
      value: machineValueOf(at),
      context: initialContext({ asOf: '1970-01-01' }),
    });
    templates.set(at, template);
  }
  return template;
}

/** The machine's state value for {@link StoredState.at}. */
function machineValueOf(at: StoredState['at']): string | { active: string } {
  return at === 'consent' || at === 'declined' ? at : { active: at };
}

/**
 * The machine's context of a stored conversation in `state`; undefined when it cannot be the
 * context of a conversation as it was: a question answered twice, or an answer this machine no
 * longer accepts (an option removed since), which a rebuild then drops.
 */
function contextOf(
  stored: Pick<StoredConversation, 'policy' | 'lang' | 'answers' | 'approximateAge'>,
  state: StoredState,
): ConsultationContext | undefined {
  const { asOf } = state;
  const answers = answersOf({});
  const order: QuestionId[] = [];
  const unknown: QuestionId[] = [];
  for (const [question, value, dontKnow] of stored.answers) {
    if (answers[question] !== undefined || !answerFits(question, value, { asOf })) return undefined;
    (answers as Record<QuestionId, unknown>)[question] = value;
    order.push(question);
    if (dontKnow === 1) unknown.push(question);
  }
  return {
    asOf,
    policy: stored.policy,
    lang: stored.lang,
    answers,
    order,
    unknown,
    approximateAge: stored.approximateAge === true,
    current: state.current,
    failures: state.failures,
    notice: null,
  };
}

/**
 * The common case of {@link restoreConversation} without zod: a record of this machine version with
 * its state. Accepts only what the schemas accept, and gives what they and `resolveState` give;
 * undefined for anything else (records written before 2026-11-28 among them), which then takes the
 * full path. `test/machines/restore-fast.test.ts` compares the two.
 */
function quickRestore(stored: unknown): ConsultationSnapshot | undefined {
  if (!isRecord(stored) || stored.v !== MACHINE_VERSION) return undefined;
  const { policy, lang, stage, answers, approximateAge, state, seq, meta } = stored;
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
  if (!isRecord(state)) return undefined;
  const { at, asOf, current, failures } = state;
  if (!STORED_STATES.has(at) || typeof asOf !== 'string' || !isCount(failures)) return undefined;
  if (current !== null && !QUESTION_SET.has(current)) return undefined;
  const valid = { at, asOf, current, failures } as StoredState;
  const context = contextOf({ policy, lang, answers: answers as StoredAnswer[], approximateAge }, valid);
  if (context === undefined) return undefined;
  const template = templateOf(valid.at);
  return {
    ...template,
    context,
    value: machineValueOf(valid.at),
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

/** The snapshot of a record of this machine version as it was, through the schemas and XState. */
function resolveStored(record: StoredConversation): ConsultationSnapshot | undefined {
  let value: unknown;
  let context: ConsultationContext | undefined;
  if (record.state !== undefined) {
    const state = StateSchema.safeParse(record.state);
    if (!state.success) return undefined;
    value = machineValueOf(state.data.at);
    context = contextOf(record, state.data);
  } else {
    // A record written before 2026-11-28: XState's persisted snapshot.
    const persisted = PersistedSchema.safeParse(record.snapshot);
    if (!persisted.success) return undefined;
    const c = persisted.data.context;
    // Every answer must still be an answer this machine accepts (an option may have been removed).
    const fits = Object.entries(c.answers).every(
      ([q, answer]) => QUESTION_SET.has(q) && answerFits(q as QuestionId, answer, { asOf: c.asOf }),
    );
    value = persisted.data.value;
    context = fits ? { ...(c as ConsultationContext), answers: answersOf(c.answers) } : undefined;
  }
  if (context === undefined) return undefined;
  try {
    return consultationMachine.resolveState({ value: value as never, context });
  } catch {
    // The state does not fit this machine: rebuilt.
    return undefined;
  }
}

/**
 * {@link restoreConversation} through the schemas and XState alone (no quick path): the reference
 * the quick path is tested against, and the path of records written before 2026-11-28.
 */
export function restoreConversationFully(
  stored: unknown,
  asOf: string,
  fallback: ConsultationInput,
): Restored {
  const shape = StoredSchema.safeParse(stored);
  if (!shape.success) return { snapshot: startConversation({ ...fallback, asOf }), how: 'rebuilt' };
  const record = shape.data as StoredConversation;
  const snapshot = record.v === MACHINE_VERSION ? resolveStored(record) : undefined;
  if (snapshot !== undefined) {
    const moved =
      snapshot.context.asOf === asOf ? snapshot : stepConversation(snapshot, { type: 'CLOCK', asOf });
    return { snapshot: moved, how: 'restored' };
  }
  return { snapshot: rebuildConversation(record, asOf), how: 'rebuilt' };
}
