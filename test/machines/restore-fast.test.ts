/**
 * `restoreConversation` restores the common stored shape without zod; it must give exactly what the
 * schemas and XState's `resolveState` give (`restoreConversationFully`): for stored conversations at
 * every step of generated paths, in every state, and for damaged variants of them.
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

/** Damaged variants of a stored form. */
function damaged(stored: Json, random: () => number): unknown[] {
  const snapshot = stored.snapshot as Json;
  const context = snapshot.context as Json;
  const withSnapshot = (s: Json) => ({ ...stored, snapshot: s });
  const withContext = (c: Json) => withSnapshot({ ...snapshot, context: c });
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
    { ...stored, answers: [['nope', 1]] },
    { ...stored, answers: [['skill', 'none', 2]] },
    { ...stored, answers: [['skill']] },
    { ...stored, extra: { anything: 1 } },
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
  ];
  const { asOf: _asOf, ...withoutAsOf } = context;
  variants.push(withContext(withoutAsOf));
  return variants.filter(() => random() < 0.5);
}

describe('the stored form', () => {
  test("equals XState's persisted snapshot (without the notice), key order included", () => {
    for (const s of snapshotsOnPaths()) {
      const persisted = consultationMachine.getPersistedSnapshot(s) as unknown as { context: object };
      const reference = { ...persisted, context: { ...persisted.context, notice: null } };
      const stored = storeConversation(s);
      expect(stored.snapshot).toEqual(reference);
      expect(JSON.stringify(stored.snapshot)).toBe(JSON.stringify(reference));
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
});
