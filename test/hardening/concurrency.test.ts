/**
 * Guarantee 2: many updates of one chat in flight at once (webhook mode) are applied one by one, in
 * update order, none lost or overwritten; different chats proceed in parallel.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { SqliteStore } from '../../bot/storage/sqlite.js';
import { type ConversationStore, MemoryStore, type UpdateRef } from '../../bot/storage/store.js';
import { createRateLimiter } from '../../bot/telegram/rate-limit.js';
import type { StoredConversation } from '../../machines/conversation.js';
import { harness, sendCalls, tempDir, textMsg, textOf, within } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn();
});

/** 50 texts for one chat: consent, a consultation's answers, commands, and text it cannot parse. */
const TEXTS = [
  '同意',
  '1993-04-09',
  '本科',
  '统招',
  '返回',
  '本科',
  '统招',
  '否',
  '否',
  'no idea',
  '否',
  '是',
  '否',
  '/summary',
  '/back',
  '是',
  '/help',
  '/language',
  'yes',
  'no',
  ...Array.from({ length: 30 }, (_, i) => `message ${i + 1} 🙂`),
];

/** A store whose every operation takes a turn of the event loop (as a real async database would). */
class SlowStore implements ConversationStore {
  readonly commits: number[] = [];
  constructor(readonly inner: ConversationStore) {}
  #tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  async get(key: string) {
    await this.#tick();
    return this.inner.get(key);
  }
  async set(key: string, c: StoredConversation) {
    await this.#tick();
    return this.inner.set(key, c);
  }
  async delete(key: string) {
    await this.#tick();
    return this.inner.delete(key);
  }
  async hasUpdate(u: UpdateRef) {
    await this.#tick();
    return this.inner.hasUpdate(u);
  }
  async commit(key: string, c: StoredConversation | undefined, u: UpdateRef) {
    await this.#tick();
    this.commits.push(u.id);
    return this.inner.commit(key, c, u);
  }
  async claimUpdate(u: UpdateRef) {
    await this.#tick();
    return this.inner.claimUpdate(u);
  }
}

const stores: [string, () => ConversationStore][] = [
  ['MemoryStore', () => new MemoryStore()],
  ['a slow async store', () => new SlowStore(new MemoryStore())],
  [
    'SqliteStore',
    () => {
      const tmp = tempDir();
      const store = new SqliteStore({ file: tmp.file });
      cleanups.push(tmp.remove, () => store.close());
      return store;
    },
  ],
];

describe.each(stores)('50 answers of one chat in flight at once, with %s', (_name, makeStore) => {
  test('each is applied once, in update order: seq grows by 50, 50 answers, the replies in order', async () => {
    const CHAT = 8001;
    const updates = () => TEXTS.map((t, i) => textMsg(CHAT, t, { id: 10_000 + i }));

    // The default rate limit (30 per 10 s) would hold back a burst of 51; that is guarantee 8's business.
    const rateLimiter = () => createRateLimiter({ limit: 1000 });
    // The reference: the same updates one after the other.
    const ref = harness({ rateLimiter: rateLimiter() });
    await ref.handle(textMsg(CHAT, '/start', { id: 9999 }));
    for (const u of updates()) await ref.handle(u);
    const expected = await ref.store.get(`telegram:${CHAT}`);
    expect(expected?.answers.length).toBeGreaterThanOrEqual(8); // the texts make a real consultation

    const h = harness({ store: makeStore(), rateLimiter: rateLimiter() });
    await h.handle(textMsg(CHAT, '/start', { id: 9999 }));
    const before = await h.store.get(`telegram:${CHAT}`);
    const sentBefore = sendCalls(h.calls).length;
    await Promise.all(updates().map((u) => h.handle(u)));
    const after = await h.store.get(`telegram:${CHAT}`);

    expect(after?.seq).toBe((before?.seq ?? 0) + 50);
    expect(after?.answers).toEqual(expected?.answers);
    expect(after?.snapshot).toEqual(expected?.snapshot);
    // Every update was answered, in update order: the replies are those of the one-by-one run.
    const replies = sendCalls(h.calls).slice(sentBefore).map(textOf);
    const refReplies = sendCalls(ref.calls).slice(1).map(textOf);
    expect(replies.length).toBeGreaterThanOrEqual(50);
    expect(replies).toEqual(refReplies);
    if (h.store instanceof SlowStore)
      // (The /start before them stored nothing.)
      expect(h.store.commits).toEqual(updates().map((u) => u.update_id));
  });
});

describe('different chats proceed in parallel', () => {
  test("chat B is answered while chat A's commit is stuck", async () => {
    const A = 8101;
    const B = 8102;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inner = new MemoryStore();
    let aStuck = false;
    const store: ConversationStore = {
      get: (k) => inner.get(k),
      set: (k, c) => inner.set(k, c),
      delete: (k) => inner.delete(k),
      hasUpdate: (u) => inner.hasUpdate(u),
      claimUpdate: (u) => inner.claimUpdate(u),
      async commit(k, c, u) {
        if (k === `telegram:${A}`) {
          aStuck = true;
          await gate;
        }
        return inner.commit(k, c, u);
      },
    };
    const h = harness({ store });
    // (Consent is the first update stored: a /start before it stores nothing.)
    const a = h.handle(textMsg(A, '同意'));
    const a2 = h.handle(textMsg(A, '1993-04-09'));
    await within(
      (async () => {
        while (!aStuck) await new Promise((resolve) => setImmediate(resolve));
      })(),
      2000,
      "A's commit",
    );
    await within(h.handle(textMsg(B, '同意')), 2000, 'chat B while chat A is stuck');
    await within(h.handle(textMsg(B, '1993-04-09')), 2000, 'chat B, second update');
    expect((await inner.get(`telegram:${B}`))?.seq).toBe(2);
    expect(sendCalls(h.calls, A)).toHaveLength(0);
    release();
    await Promise.all([a, a2]);
    expect((await inner.get(`telegram:${A}`))?.seq).toBe(2);
    expect(sendCalls(h.calls, A).length).toBeGreaterThanOrEqual(2);
  });
});
