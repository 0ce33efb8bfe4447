/**
 * Guarantee 4: when the store fails (busy, closed), the person is asked to try again, nothing is
 * half-written, and once the store recovers the same answer works.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { SqliteStore } from '../../bot/storage/sqlite.js';
import { type ConversationStore, MemoryStore, type UpdateRef } from '../../bot/storage/store.js';
import type { StoredConversation } from '../../machines/conversation.js';
import { BOT_KEY, harness, sendCalls, sentence, tempDir, textMsg, textOf } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn();
});

const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

/** A store that fails (like SQLITE_BUSY) while `down` is set: on commit, or on every operation. */
class FlakyStore implements ConversationStore {
  down: false | 'commit' | 'all' = false;
  constructor(readonly inner: ConversationStore) {}
  #check(op: string) {
    if (this.down === 'all' || (this.down === 'commit' && op === 'commit')) throw busy();
  }
  async get(key: string) {
    this.#check('get');
    return this.inner.get(key);
  }
  async set(key: string, c: StoredConversation) {
    this.#check('set');
    return this.inner.set(key, c);
  }
  async delete(key: string) {
    this.#check('delete');
    return this.inner.delete(key);
  }
  async hasUpdate(u: UpdateRef) {
    this.#check('hasUpdate');
    return this.inner.hasUpdate(u);
  }
  async commit(key: string, c: StoredConversation | undefined, u: UpdateRef) {
    this.#check('commit');
    return this.inner.commit(key, c, u);
  }
  async claimUpdate(u: UpdateRef) {
    this.#check('claimUpdate');
    return this.inner.claimUpdate(u);
  }
}

const inners: [string, () => ConversationStore][] = [
  ['MemoryStore', () => new MemoryStore()],
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

const CHAT = 9101;
const KEY = `telegram:${CHAT}`;
const TRY_AGAIN = sentence('zh-CN', 'telegram.try-again');

describe.each(inners)('the store fails, over %s', (_name, makeInner) => {
  for (const mode of ['commit', 'all'] as const) {
    test(`(${mode === 'commit' ? 'the commit throws' : 'every operation throws'}): try again, nothing written; after recovery the same answer works`, async () => {
      const store = new FlakyStore(makeInner());
      const h = harness({ store });
      await h.handle(textMsg(CHAT, '/start'));
      await h.handle(textMsg(CHAT, '同意'));
      const before = JSON.stringify(await store.inner.get(KEY));
      const sentBefore = sendCalls(h.calls).length;

      store.down = mode;
      const answer = textMsg(CHAT, '1993-04-09');
      await expect(h.handle(answer)).resolves.toBeUndefined();
      const replies = sendCalls(h.calls).slice(sentBefore);
      expect(replies.map(textOf)).toEqual([TRY_AGAIN]);
      expect(JSON.stringify(await store.inner.get(KEY))).toBe(before);
      expect(await store.inner.hasUpdate({ bot: BOT_KEY, id: answer.update_id })).toBe(false);
      expect(h.log.records().filter((r) => r.msg === 'store unavailable; asked to try again')).toHaveLength(
        1,
      );
      expect(h.log.records().filter((r) => r.msg === 'update failed')).toEqual([]);

      store.down = false;
      // The person sends the answer again (a new update)...
      await h.handle(textMsg(CHAT, '1993-04-09'));
      const after = await store.inner.get(KEY);
      expect(after?.answers).toEqual([['birthDate', '1993-04-09']]);
      expect(after?.seq).toBe(JSON.parse(before).seq + 1);
      expect(textOf(sendCalls(h.calls).at(-1))).toContain('最高学历');
      // ...and a redelivery of the failed update is not taken for a duplicate: it was never recorded.
      const h2 = harness({ store: new FlakyStore(makeInner()) });
      await h2.handle(textMsg(CHAT + 1, '/start', { id: 1 }));
      await h2.handle(textMsg(CHAT + 1, '同意', { id: 2 }));
      (h2.store as FlakyStore).down = mode;
      await h2.handle(textMsg(CHAT + 1, '1993-04-09', { id: 3 }));
      (h2.store as FlakyStore).down = false;
      await h2.handle(textMsg(CHAT + 1, '1993-04-09', { id: 3 }));
      expect((await h2.store.get(`telegram:${CHAT + 1}`))?.answers).toEqual([['birthDate', '1993-04-09']]);
    });
  }
});

describe('a real SQLite database that cannot be written', () => {
  test('a closed database: try again, no throw; reopened, the conversation is as it was and goes on', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const store = new SqliteStore({ file: tmp.file });
    const h = harness({ store });
    await h.handle(textMsg(CHAT, '/start'));
    await h.handle(textMsg(CHAT, '同意'));
    const before = JSON.stringify(await store.get(KEY));
    store.close();
    await expect(h.handle(textMsg(CHAT, '1993-04-09'))).resolves.toBeUndefined();
    expect(textOf(sendCalls(h.calls).at(-1))).toBe(TRY_AGAIN);

    const reopened = new SqliteStore({ file: tmp.file });
    cleanups.push(() => reopened.close());
    expect(JSON.stringify(await reopened.get(KEY))).toBe(before);
    const h2 = harness({ store: reopened });
    await h2.handle(textMsg(CHAT, '1993-04-09'));
    expect((await reopened.get(KEY))?.answers).toEqual([['birthDate', '1993-04-09']]);
  });

  test('a write failing half-way through the SQLite transaction rolls the conversation back too', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const store = new SqliteStore({ file: tmp.file });
    cleanups.push(() => store.close());
    const h = harness({ store });
    await h.handle(textMsg(CHAT, '/start'));
    await h.handle(textMsg(CHAT, '同意'));
    const before = JSON.stringify(await store.get(KEY));
    // Another connection makes the write fail after the conversation row (with the update's record in
    // it) has been written.
    const other = new Database(tmp.file);
    cleanups.push(() => other.close());
    other.exec(`CREATE TRIGGER fail_record AFTER UPDATE ON conversations
      BEGIN SELECT RAISE(ABORT, 'simulated I/O error'); END`);
    const answer = textMsg(CHAT, '1993-04-09');
    await h.handle(answer);
    expect(textOf(sendCalls(h.calls).at(-1))).toBe(TRY_AGAIN);
    expect(JSON.stringify(await store.get(KEY))).toBe(before);
    expect(await store.hasUpdate({ bot: BOT_KEY, id: answer.update_id })).toBe(false);

    // The store's transaction of that turn of the event loop (group commit) ends with the turn.
    await new Promise((resolve) => setImmediate(resolve));
    other.exec('DROP TRIGGER fail_record');
    await h.handle(structuredClone(answer)); // Telegram redelivers it, or the person sends it again
    expect((await store.get(KEY))?.answers).toEqual([['birthDate', '1993-04-09']]);
    expect(await store.hasUpdate({ bot: BOT_KEY, id: answer.update_id })).toBe(true);
  });
});
