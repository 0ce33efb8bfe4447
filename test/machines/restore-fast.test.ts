/**
 * The stored form holds each answer once and the state beside them, and gives back the whole
 * context. `restoreConversation` restores it without zod; it must give exactly what the schemas and
 * XState's `resolveState` give (`restoreConversationFully`): for stored conversations at every step
 * of generated paths, in every state, for damaged variants of them, and for records written before
 * 2026-11-28 (XState's persisted snapshot in place of the state).
 */
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../bench/profiles.js';
import { consultationMachine } from '../../machines/consultation.js';
import {
  type Restored,
  restoreConversation,
  restoreConversationFully,
  startConversation,
  stepConversation,
  storeConversation,
} from '../../machines/conversation.js';
import type { ConsultationEvent } from '../../machines/events.js';
import type { ConsultationSnapshot } from '../../machines/views.js';
import { walk } from './paths.js';
import { AS_OF } from './support.js';

function same(stored: unknown, asOf = AS_OF): Restored {
  const input = { asOf, lang: 'en' };
  const quick = restoreConversation(structuredClone(stored), asOf, input);
  const full = restoreConversationFully(structuredClone(stored), asOf, input);
  expect(quick.how).toBe(full.how);
  expect(quick.snapshot).toEqual(full.snapshot);
  expect(JSON.stringify(quick.snapshot.context)).toBe(JSON.stringify(full.snapshot.context));
  expect(JSON.stringify(storeConversation(quick.snapshot))).toBe(
    JSON.stringify(storeConversation(full.snapshot)),
  );
  return quick;
}

/** Snapshots along some paths, in every state. */
function snapshotsOnPaths(): ConsultationSnapshot[] {
  const snapshots: ConsultationSnapshot[] = [];
  const start = startConversation({ asOf: AS_OF });
  snapshots.push(start, stepConversation(start, { type: 'CHOOSE', id: 'decline' }));
  walk(
    AS_OF,
    (path) => {
      let s = start;
      for (const event of path.events) {
        s = stepConversation(s, event);
        snapshots.push(s);
      }
      const extra: ConsultationEvent[] = [
        { type: 'COMMAND', command: 'summary' },
        { type: 'CHOOSE', id: 'edit:birthDate' },
      ];
      for (const event of extra) {
        s = stepConversation(s, event);
        snapshots.push(s);
      }
    },
    () => {},
    { limit: 60 },
  );
  return snapshots;
}

/** Stored forms (as JSON would give them back) of every snapshot along some paths, in every state. */
function storedForms(): unknown[] {
  return snapshotsOnPaths().map((s, i) =>
    JSON.parse(
      JSON.stringify({
        ...storeConversation(s),
        seq: i,
        ...(i % 2 ? { meta: { keyboard: i, at: 'x' } } : {}),
      }),
    ),
  );
}

type Json = Record<string, unknown>;

/**
 * A record as written before 2026-11-28: XState's persisted snapshot (the notice left out) in place
 * of the state.
 */
function legacyForm(s: ConsultationSnapshot, extra: Json = {}): Json {
  const { state: _state, ...rest } = storeConversation(s);
  const persisted = consultationMachine.getPersistedSnapshot(s) as unknown as { context: object };
  const snapshot = { ...persisted, context: { ...persisted.context, notice: null } };
  return JSON.parse(JSON.stringify({ ...rest, snapshot, ...extra })) as Json;
}

/** Damaged variants of a record as written before 2026-11-28. */
function damagedLegacy(stored: Json): unknown[] {
  const snapshot = stored.snapshot as Json;
  const context = snapshot.context as Json;
  const withSnapshot = (s: Json) => ({ ...stored, snapshot: s });
  const withContext = (c: Json) => withSnapshot({ ...snapshot, context: c });
  const { asOf: _asOf, ...withoutAsOf } = context;
  return [
    { ...stored, snapshot: undefined },
    withSnapshot({ ...snapshot, status: 'done' }),
    withSnapshot({ ...snapshot, value: 'deleted' }),
    withSnapshot({ ...snapshot, value: { active: 'elsewhere' } }),
    withSnapshot({ ...snapshot, value: { active: 'interview', other: 1 } }),
    withSnapshot({ ...snapshot, extra: 1 }),
    withContext({ ...context, notice: { key: 'notice.back', params: { a: 1 } } }),
    withContext({ ...context, notice: { key: 3 } }),
    withContext({ ...context, extra: 'kept out' }),
    withContext({ ...context, failures: -1 }),
    withContext({ ...context, current: 'nope' }),
    withContext({ ...context, order: ['nope'] }),
    withContext({ ...context, unknown: 'skill' }),
    withContext({ ...context, approximateAge: 1 }),
    withContext({ ...context, answers: { ...(context.answers as Json), skill: 'wizard' } }),
    withContext({ ...context, answers: { ...(context.answers as Json), wizardry: true } }),
    withContext({ ...context, answers: { ...(context.answers as Json), birthDate: '2030-01-01' } }),
    withContext({ ...context, answers: [] }),
    withContext({ ...context, asOf: '2020-01-01' }),
    withContext(withoutAsOf),
  ];
}

/** Damaged variants of a stored form. */
function damaged(stored: Json, random: () => number): unknown[] {
  const state = stored.state as Json;
  const answers = stored.answers as unknown[][];
  const withState = (s: unknown) => ({ ...stored, state: s });
  const { asOf: _asOf, ...withoutAsOf } = state;
  const { current: _current, ...withoutCurrent } = state;
  const variants: unknown[] = [
    null,
    [],
    'text',
    { ...stored, v: 0 },
    { ...stored, v: '1' },
    { ...stored, policy: 3 },
    { ...stored, stage: 'elsewhere' },
    { ...stored, seq: -1 },
    { ...stored, seq: 1.5 },
    { ...stored, seq: 2 ** 60 },
    { ...stored, meta: { keyboard: true } },
    { ...stored, meta: [] },
    { ...stored, approximateAge: 'yes' },
    { ...stored, approximateAge: true },
    { ...stored, answers: [['nope', 1]] },
    { ...stored, answers: [['skill', 'none', 2]] },
    { ...stored, answers: [['skill']] },
    { ...stored, answers: [...answers, ['skill', 'wizard']] },
    { ...stored, answers: [...answers, ['birthDate', '2030-01-01']] },
    { ...stored, answers: [...answers, ...answers.slice(0, 1)] },
    { ...stored, answers: answers.map((a) => [a[0], a[1], 1]) },
    { ...stored, answers: {} },
    { ...stored, extra: { anything: 1 } },
    { ...stored, state: undefined },
    withState(null),
    withState([]),
    withState('result'),
    withState({ ...state, at: 'deleted' }),
    withState({ ...state, at: 'active' }),
    withState({ ...state, at: { active: 'result' } }),
    withState({ ...state, extra: 1 }),
    withState({ ...state, asOf: 20200101 }),
    withState({ ...state, asOf: '2020-01-01' }),
    withState(withoutAsOf),
    withState(withoutCurrent),
    withState({ ...state, current: 'nope' }),
    withState({ ...state, current: 'skill' }),
    withState({ ...state, failures: -1 }),
    withState({ ...state, failures: 1.5 }),
    withState({ ...state, failures: '2' }),
    withState({ ...state, failures: 3 }),
    // Both forms: the state is the one read.
    { ...stored, snapshot: { status: 'done' } },
  ];
  return variants.filter(() => random() < 0.5);
}

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('the stored form', () => {
  test('holds each answer once, and with them the whole context but the notice, and the state', () => {
    const snapshots = snapshotsOnPaths();
    expect(snapshots.length).toBeGreaterThan(500);
    for (const s of snapshots) {
      const stored = storeConversation(s);
      expect(stored).not.toHaveProperty('snapshot');
      expect(stored.answers.map(([q]) => q)).toEqual(s.context.order);
      const restored = restoreConversation(roundTrip(stored), s.context.asOf, { asOf: AS_OF });
      expect(restored.how).toBe('restored');
      expect(restored.snapshot.context).toEqual({ ...s.context, notice: null });
      expect(restored.snapshot.value).toEqual(s.value);
    }
  });

  test("a record written before 2026-11-28 (XState's persisted snapshot) is restored as it was", () => {
    for (const s of snapshotsOnPaths().filter((_, i) => i % 4 === 0)) {
      const legacy = restoreConversation(legacyForm(s), s.context.asOf, { asOf: AS_OF });
      expect(legacy.how).toBe('restored');
      expect(legacy.snapshot.context).toEqual({ ...s.context, notice: null });
      expect(legacy.snapshot.value).toEqual(s.value);
      // Written again in the current form.
      expect(storeConversation(legacy.snapshot)).toEqual(storeConversation(s));
    }
  });
});

describe('the quick restore', () => {
  const forms = storedForms();

  test('equals the schemas and resolveState for every stored form, restored as stored', () => {
    expect(forms.length).toBeGreaterThan(500);
    for (const stored of forms) expect(same(stored).how).toBe('restored');
  });

  test('moves a conversation stored on another day to today exactly as the full path does', () => {
    for (const stored of forms.slice(0, 200)) same(stored, '2027-03-01');
  });

  test('equals the full path on damaged stored forms (rebuilt or started again, never thrown)', () => {
    const random = mulberry32(11);
    let tried = 0;
    for (const stored of forms.filter((_, i) => i % 3 === 0))
      for (const variant of damaged(stored as Json, random)) {
        same(variant);
        tried++;
      }
    expect(tried).toBeGreaterThan(1000);
  });

  test('equals the full path on records written before 2026-11-28, whole and damaged', () => {
    let tried = 0;
    for (const s of snapshotsOnPaths().filter((_, i) => i % 7 === 0)) {
      const legacy = legacyForm(s, { seq: 3 });
      expect(same(legacy).how).toBe('restored');
      for (const variant of damagedLegacy(legacy)) {
        same(variant);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(500);
  });
});
