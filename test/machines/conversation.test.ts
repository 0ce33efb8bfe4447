import { describe, expect, test } from 'vitest';
import { MACHINE_VERSION } from '../../machines/consultation.js';
import {
  restoreConversation,
  startConversation,
  stepConversation,
  storeConversation,
} from '../../machines/conversation.js';
import type { ConsultationEvent } from '../../machines/events.js';
import { QUESTION_IDS } from '../../machines/questions.js';
import { viewOf } from '../../machines/views.js';
import { AS_OF, command, say, tap } from './support.js';

const FALLBACK = { asOf: AS_OF, lang: 'zh-CN' };

/** A long path: consent, answers, an invalid answer, back, summary edit, result. */
const PATH: ConsultationEvent[] = [
  tap('agree'),
  say('1989-07-01'),
  tap('bachelor'),
  say('不知道'),
  tap('none'),
  tap('no'),
  tap('no'),
  say('banana'),
  tap('technician'),
  command('back'),
  tap('technician'),
  tap('yes'),
  tap('no'),
  tap('yes'),
  tap('no'),
  tap('no'),
  tap('yes'),
  tap('no'),
  tap('edit'),
  tap('edit:guangdongHukou'),
  tap('yes'),
];

const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('store and restore', () => {
  test('restoring at every step gives the same outcome as an uninterrupted run', () => {
    let straight = startConversation(FALLBACK);
    let interrupted = startConversation(FALLBACK);
    for (const event of PATH) {
      straight = stepConversation(straight, event);
      const restored = restoreConversation(roundTrip(storeConversation(interrupted)), AS_OF, FALLBACK);
      expect(restored.how).toBe('restored');
      interrupted = stepConversation(restored.snapshot, event);
      const { notice: _a, ...a } = straight.context;
      const { notice: _b, ...b } = interrupted.context;
      expect(b).toEqual(a);
      expect(interrupted.value).toEqual(straight.value);
    }
    expect(viewOf(interrupted).decision).toEqual(viewOf(straight).decision);
    expect(viewOf(straight).kind).toBe('result');
  });

  test("every context's answers have one shape: each question's key, in the catalogue's order", () => {
    const keys = (snapshot: ReturnType<typeof startConversation>) => Object.keys(snapshot.context.answers);
    let snapshot = startConversation(FALLBACK);
    expect(keys(snapshot)).toEqual([...QUESTION_IDS]);
    // Answered, gone back over, edited from the summary, restored at every step: always the same keys.
    for (const event of PATH) {
      snapshot = stepConversation(snapshot, event);
      expect(keys(snapshot)).toEqual([...QUESTION_IDS]);
      const restored = restoreConversation(roundTrip(storeConversation(snapshot)), AS_OF, FALLBACK);
      expect(keys(restored.snapshot)).toEqual([...QUESTION_IDS]);
    }
    // The unanswered ones are undefined, so nothing of them is stored or sent.
    expect(JSON.stringify(startConversation(FALLBACK).context.answers)).toBe('{}');
  });

  test('a stored conversation is small', () => {
    const snapshot = PATH.reduce(stepConversation, startConversation(FALLBACK));
    const bytes = Buffer.byteLength(JSON.stringify(storeConversation(snapshot)));
    expect(bytes).toBeLessThan(2048);
  });

  test('a conversation from another machine version is rebuilt from its answers', () => {
    const snapshot = PATH.reduce(stepConversation, startConversation(FALLBACK));
    const stored = { ...storeConversation(snapshot), v: MACHINE_VERSION - 1, snapshot: { whatever: true } };
    const restored = restoreConversation(roundTrip(stored), AS_OF, FALLBACK);
    expect(restored.how).toBe('rebuilt');
    expect(restored.snapshot.context.answers).toEqual(snapshot.context.answers);
    expect(restored.snapshot.context.unknown).toEqual(snapshot.context.unknown);
    expect(viewOf(restored.snapshot).decision).toEqual(viewOf(snapshot).decision);
  });

  test('a stored answer that no longer fits is dropped and asked again', () => {
    const snapshot = [tap('agree'), say('1993-04-09'), tap('bachelor')].reduce(
      stepConversation,
      startConversation(FALLBACK),
    );
    const stored = storeConversation(snapshot);
    const broken = {
      ...stored,
      v: 0,
      answers: [
        ['birthDate', '1993-04-09'],
        ['education', 'bachelors-degree'],
      ],
    };
    const restored = restoreConversation(broken, AS_OF, FALLBACK);
    expect(restored.snapshot.context.answers).toEqual({ birthDate: '1993-04-09' });
    expect(viewOf(restored.snapshot).question).toBe('education');
  });

  test.each([
    ['null', null],
    ['a string', 'hello'],
    ['an empty object', {}],
    [
      'a wrong snapshot of this version',
      {
        v: MACHINE_VERSION,
        policy: 'shenzhen-2019',
        lang: 'en',
        stage: 'active',
        answers: [],
        snapshot: { value: 'nowhere' },
      },
    ],
  ])('garbage (%s) never throws: a fresh or rebuilt conversation', (_name, stored) => {
    const restored = restoreConversation(stored, AS_OF, FALLBACK);
    expect(['consent', 'question']).toContain(viewOf(restored.snapshot).kind);
  });

  test('a declined conversation stays declined after a rebuild', () => {
    const snapshot = stepConversation(startConversation(FALLBACK), tap('decline'));
    const restored = restoreConversation({ ...storeConversation(snapshot), v: 0 }, AS_OF, FALLBACK);
    expect(viewOf(restored.snapshot).kind).toBe('declined');
  });

  test('the decision date moves on when a stored conversation is restored on a later day', () => {
    const snapshot = stepConversation(startConversation(FALLBACK), tap('agree'));
    const restored = restoreConversation(roundTrip(storeConversation(snapshot)), '2027-01-01', FALLBACK);
    expect(restored.snapshot.context.asOf).toBe('2027-01-01');
  });

  test('the one-off notice is not stored', () => {
    const snapshot = [tap('agree'), say('banana')].reduce(stepConversation, startConversation(FALLBACK));
    expect(snapshot.context.notice).not.toBeNull();
    const notice = snapshot.context.notice?.key ?? '';
    const stored = JSON.stringify(storeConversation(snapshot));
    expect(stored).not.toContain(notice);
    expect(stored).not.toContain('notice');
    const restored = restoreConversation(JSON.parse(stored), AS_OF, FALLBACK);
    expect(restored.snapshot.context.notice).toBeNull();
    expect(restored.snapshot.context.failures).toBe(snapshot.context.failures);
  });

  test('each answer is stored once', () => {
    const snapshot = PATH.reduce(stepConversation, startConversation(FALLBACK));
    const stored = JSON.stringify(storeConversation(snapshot));
    expect(stored.split('"1989-07-01"')).toHaveLength(2);
    expect(stored.split('"technician"')).toHaveLength(2);
    expect(JSON.parse(stored)).toEqual({
      v: MACHINE_VERSION,
      policy: snapshot.context.policy,
      lang: 'zh-CN',
      stage: 'active',
      answers: snapshot.context.order.map((q) =>
        snapshot.context.unknown.includes(q)
          ? [q, snapshot.context.answers[q], 1]
          : [q, snapshot.context.answers[q]],
      ),
      state: { at: 'result', asOf: AS_OF, current: null, failures: 0 },
    });
  });
});
