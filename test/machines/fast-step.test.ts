/**
 * The fast path of `stepConversation` (answers, replayed answers and the clock, computed without
 * XState's macrostep) must give exactly the snapshot XState's own `transition` gives: for every event
 * on every generated path, and for stray events (wrong text, stale buttons, commands, the clock) at
 * every point of those paths. Equal as values, and equal as stored (same JSON, same key order).
 */
import { describe, expect, test } from 'vitest';
import { createActor } from 'xstate';
import { consultationScripts } from '../../bench/workload.js';
import { createI18n, createRenderer, LANGUAGES } from '../../bot/i18n.js';
import { consultationMachine } from '../../machines/consultation.js';
import {
  startConversation,
  stepConversation,
  storeConversation,
  transitionConversation,
} from '../../machines/conversation.js';
import type { ConsultationEvent } from '../../machines/events.js';
import { interpret } from '../../machines/interpret.js';
import type { Choice } from '../../machines/view.js';
import { type ConsultationSnapshot, viewOf } from '../../machines/views.js';
import { walk } from './paths.js';
import { AS_OF } from './support.js';

/** Steps both ways and checks they agree; returns the snapshot. */
function both(snapshot: ConsultationSnapshot, event: ConsultationEvent): ConsultationSnapshot {
  const fast = stepConversation(snapshot, event);
  const slow = transitionConversation(snapshot, event);
  expect(fast).toEqual(slow);
  expect(fast.value).toEqual(slow.value);
  expect(fast.status).toBe(slow.status);
  expect(JSON.stringify(fast.context)).toBe(JSON.stringify(slow.context));
  expect(JSON.stringify(storeConversation(fast))).toBe(JSON.stringify(storeConversation(slow)));
  expect(fast.matches({ active: 'result' })).toBe(slow.matches({ active: 'result' }));
  return fast;
}

/** Events tried beside the path's own at each point: each is checked, then dropped. */
const STRAY: readonly ConsultationEvent[] = [
  { type: 'TEXT', text: '???' },
  { type: 'TEXT', text: '不知道' },
  { type: 'TEXT', text: 'yes' },
  { type: 'TEXT', text: '30岁' },
  { type: 'TEXT', text: '9', problem: { key: 'answer.choice.out-of-range', params: { max: 3 } } },
  { type: 'CHOOSE', id: 'bogus' },
  { type: 'CHOOSE', id: 'unknown' },
  { type: 'CHOOSE', id: 'edit' },
  { type: 'CHOOSE', id: 'edit:education' },
  { type: 'CHOOSE', id: 'continue' },
  { type: 'CHOOSE', id: 'restart' },
  { type: 'ANSWER', question: 'skill', value: 'technician' },
  { type: 'ANSWER', question: 'socialInsuranceMonths', value: 0, unknown: true },
  { type: 'ANSWER', question: 'birthDate', value: '1990-02-03', approximate: true },
  { type: 'ANSWER', question: 'education', value: 'nonsense' },
  { type: 'CLOCK', asOf: '2027-01-01' },
  { type: 'COMMAND', command: 'back' },
  { type: 'COMMAND', command: 'summary' },
  { type: 'COMMAND', command: 'help' },
];

describe('the fast path of stepConversation', () => {
  test('equals XState on every event of generated paths, and on stray events at every point', () => {
    let paths = 0;
    walk(
      AS_OF,
      (path) => {
        paths++;
        let snapshot = startConversation({ asOf: AS_OF });
        for (const event of path.events) {
          for (const stray of paths % 10 === 0 ? STRAY : STRAY.slice(0, 3)) {
            const strayed = both(snapshot, stray);
            // One event further from the stray state too (e.g. an answer after `back`).
            both(strayed, event);
          }
          snapshot = both(snapshot, event);
        }
        for (const stray of STRAY) both(snapshot, stray);
        expect(snapshot).toEqual(path.final);
      },
      () => {},
      { limit: 200 },
    );
    expect(paths).toBe(200);
  });

  test('equals XState over the benchmark workload, typed answers interpreted as the engine does', () => {
    const i18n = createI18n();
    const labelsOf = (c: Choice) => LANGUAGES.map((lang) => createRenderer(lang, i18n).render(c.label));
    for (const script of consultationScripts(120, AS_OF, 1, 3)) {
      let snapshot = startConversation({ asOf: AS_OF, lang: script.languageCode === 'en' ? 'en' : 'zh-CN' });
      for (const step of script.steps) {
        if ('text' in step && step.text === '/start') continue;
        const event: ConsultationEvent =
          'tap' in step ? { type: 'CHOOSE', id: step.tap } : interpret(step.text, viewOf(snapshot), labelsOf);
        snapshot = both(snapshot, event);
      }
      expect(snapshot.value).toEqual({ active: 'result' });
    }
  });

  test('startConversation equals the initial snapshot of XState, and steps from it as XState does', () => {
    const inputs = [
      { asOf: AS_OF },
      { asOf: '2030-02-28', lang: 'en' },
      { asOf: AS_OF, policy: 'shenzhen-2019', lang: 'zh-CN' },
      { asOf: AS_OF, policy: 'no-such-edition' },
    ];
    for (const input of inputs) {
      const fast = startConversation(input);
      const slow = createActor(consultationMachine, { input }).getSnapshot();
      expect(fast).toEqual(slow);
      expect(JSON.stringify(storeConversation(fast))).toBe(JSON.stringify(storeConversation(slow)));
      expect(viewOf(fast)).toEqual(viewOf(slow));
      // Two conversations started alike share nothing they could change.
      expect(startConversation(input).context).not.toBe(fast.context);
      for (const event of [
        ...STRAY,
        { type: 'CHOOSE', id: 'agree' } as const,
        { type: 'TEXT', text: '不同意' } as const,
      ])
        expect(both(fast, event)).toEqual(transitionConversation(slow, event));
    }
  });

  test('a rebuild from stored answers equals one through XState alone', () => {
    walk(
      AS_OF,
      (path) => {
        let fast = both(startConversation({ asOf: AS_OF }), { type: 'CHOOSE', id: 'agree' });
        const { answers, order } = path.final.context;
        for (const question of order)
          fast = both(fast, { type: 'ANSWER', question: question as 'skill', value: answers[question] });
        expect(fast.value).toEqual({ active: 'result' });
      },
      () => {},
      { limit: 100 },
    );
  });
});
