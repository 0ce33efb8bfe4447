/**
 * Guarantee 8: a flood from one chat is slowed down: at most `limit` updates per window are
 * processed, the person gets one polite sentence, and other chats are not affected.
 */
import { describe, expect, test } from 'vitest';
import { MemoryStore } from '../../bot/storage/store.js';
import { createRateLimiter } from '../../bot/telegram/rate-limit.js';
import { harness, sendCalls, sentence, tapMsg, textMsg, textOf } from './helpers.js';

const LIMIT = 5;
const WINDOW = 10_000;

function setup() {
  let now = 1_000_000;
  const rateLimiter = createRateLimiter({ limit: LIMIT, windowMs: WINDOW, now: () => now });
  const h = harness({ rateLimiter });
  return {
    h,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const SLOW_DOWN = sentence('zh-CN', 'telegram.slow-down');

describe('a flood of 100 updates from one chat', () => {
  for (const mode of ['one after the other', 'all at once'] as const) {
    test(`${mode}: ${LIMIT} processed, one slow-down, the rest dropped; another chat unaffected`, async () => {
      const { h, advance } = setup();
      const A = 9801;
      const B = 9802;
      // Consent first: every update processed after it is stored (nothing is, before it).
      const flood = Array.from({ length: 100 }, (_, i) => textMsg(A, i === 0 ? '同意' : `junk ${i}`));
      if (mode === 'all at once')
        await Promise.all([...flood.map((u) => h.handle(u)), h.handle(textMsg(B, '/start'))]);
      else {
        for (const u of flood) await h.handle(u);
        await h.handle(textMsg(B, '/start'));
      }
      expect((await h.store.get(`telegram:${A}`))?.seq).toBe(LIMIT);
      const toA = sendCalls(h.calls, A).map(textOf);
      expect(toA.filter((t) => t === SLOW_DOWN)).toHaveLength(1);
      expect(toA.length).toBe(LIMIT + 1);
      // The chat that did nothing wrong is served.
      expect(sendCalls(h.calls, B)).toHaveLength(1);
      expect(await h.store.get(`telegram:${B}`)).toBeUndefined(); // asked for consent: nothing stored
      const limited = h.log.records().filter((r) => r.msg === 'rate limited');
      expect(limited).toHaveLength(100 - LIMIT);

      // The next window: A is served again, and warned again only if it floods again.
      advance(WINDOW);
      await h.handle(textMsg(A, '同意'));
      expect((await h.store.get(`telegram:${A}`))?.seq).toBe(LIMIT + 1);
      expect(textOf(sendCalls(h.calls, A).at(-1))).not.toBe(SLOW_DOWN);
    });
  }

  test('limited taps still stop the button spinner, without a reply', async () => {
    const { h } = setup();
    const A = 9803;
    for (let i = 0; i < LIMIT + 3; i++) await h.handle(tapMsg(A, 'c:0:agree', 1));
    const answered = h.calls.filter((c) => c.method === 'answerCallbackQuery');
    expect(answered).toHaveLength(LIMIT + 3);
    expect(sendCalls(h.calls, A).filter((c) => textOf(c) === SLOW_DOWN)).toHaveLength(1);
  });

  test('redeliveries of updates already applied do not use up the allowance (a restarted process re-sent its backlog)', async () => {
    const store = new MemoryStore();
    const A = 9804;
    // Updates after consent (those before it are not stored, so not recognised when sent again).
    const applied = [textMsg(A, '同意'), textMsg(A, '1993-04-09'), textMsg(A, '/help')];
    const first = harness({ store, rateLimiter: createRateLimiter({ limit: LIMIT, windowMs: WINDOW }) });
    for (const u of applied) await first.handle(u);
    expect((await store.get(`telegram:${A}`))?.seq).toBe(3);
    // Another process (a fresh limiter) over the same store is sent them again, twice, mixed with
    // LIMIT new updates: every new one is applied, nobody is told to slow down.
    const h = harness({ store, rateLimiter: createRateLimiter({ limit: LIMIT, windowMs: WINDOW }) });
    for (const u of [...applied, ...applied]) await h.handle(structuredClone(u));
    for (let i = 0; i < LIMIT; i++) await h.handle(textMsg(A, '/help'));
    expect((await store.get(`telegram:${A}`))?.seq).toBe(3 + LIMIT);
    expect(sendCalls(h.calls, A).filter((c) => textOf(c) === SLOW_DOWN)).toEqual([]);
    expect(h.log.records().filter((r) => r.msg === 'rate limited')).toEqual([]);
    // The next new update is over the limit again.
    await h.handle(textMsg(A, '/help'));
    expect((await store.get(`telegram:${A}`))?.seq).toBe(3 + LIMIT);
    expect(sendCalls(h.calls, A).filter((c) => textOf(c) === SLOW_DOWN)).toHaveLength(1);
  });

  test('refund takes back one counted update, never below zero', () => {
    const limiter = createRateLimiter({ limit: 2, windowMs: 1000, now: () => 0 });
    limiter.refund?.(1); // nothing counted: no credit
    expect([limiter.check(1), limiter.check(1)]).toEqual(['ok', 'ok']);
    limiter.refund?.(1);
    expect([limiter.check(1), limiter.check(1), limiter.check(1)]).toEqual(['ok', 'warn', 'drop']);
  });

  test('the limiter forgets the oldest chats beyond maxChats', () => {
    let now = 0;
    const limiter = createRateLimiter({ limit: 1, windowMs: 1000, maxChats: 2, now: () => now });
    expect(limiter.check(1)).toBe('ok');
    expect(limiter.check(1)).toBe('warn');
    expect(limiter.check(1)).toBe('drop');
    limiter.check(2);
    limiter.check(3); // chat 1 is forgotten
    expect(limiter.check(1)).toBe('ok');
    now += 1000;
    expect(limiter.check(2)).toBe('ok');
  });
});
