/**
 * Guarantee 1: an update delivered twice (same `update_id`) changes the state once and is answered
 * once, with the in-memory store and with SQLite (also across a restart, and for `/delete`).
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test } from 'vitest';
import { SqliteStore } from '../../bot/storage/sqlite.js';
import { type ConversationStore, MemoryStore } from '../../bot/storage/store.js';
import { BOT_KEY, freshId, harness, sendCalls, tempDir, textMsg } from './helpers.js';

const CHAT = 7001;
const KEY = `telegram:${CHAT}`;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn();
});

/** A raw snapshot of everything stored for the chat (the record's JSON), to compare before/after. */
async function rawOf(store: ConversationStore) {
  return JSON.stringify((await store.get(KEY)) ?? null);
}

const stores: [string, () => { store: ConversationStore; file?: string }][] = [
  ['MemoryStore', () => ({ store: new MemoryStore() })],
  [
    'SqliteStore',
    () => {
      const tmp = tempDir();
      const store = new SqliteStore({ file: tmp.file });
      cleanups.push(tmp.remove, () => store.close());
      return { store, file: tmp.file };
    },
  ],
];

describe.each(stores)('a redelivered update, with %s', (_name, makeStore) => {
  test('a typed answer delivered twice is applied once and answered once', async () => {
    const h = harness({ store: makeStore().store });
    await h.handle(textMsg(CHAT, '/start'));
    await h.handle(textMsg(CHAT, '同意'));
    const answer = textMsg(CHAT, '1993-04-09');
    await h.handle(answer);
    const after = await rawOf(h.store);
    const callsAfter = h.calls.length;
    expect(JSON.parse(after).answers).toEqual([['birthDate', '1993-04-09']]);

    await h.handle(structuredClone(answer));
    expect(await rawOf(h.store)).toBe(after);
    expect(h.calls.length).toBe(callsAfter); // nothing sent, nothing edited
    expect(h.log.records().filter((r) => r.msg === 'duplicate update skipped')).toHaveLength(1);
  });

  test('a tapped button delivered twice is applied once, the reply sent once', async () => {
    const h = harness({ store: makeStore().store });
    await h.handle(textMsg(CHAT, '/start'));
    const tap = await h.tap(CHAT, '同意');
    const after = await rawOf(h.store);
    // The tap edited the consent message into the next question.
    expect(h.calls.filter((c) => c.method === 'editMessageText')).toHaveLength(1);
    const callsAfter = h.calls.length;
    await h.handle(structuredClone(tap));
    expect(await rawOf(h.store)).toBe(after);
    // Nothing sent or edited again: only the redelivered tap's spinner is answered.
    expect(h.calls.slice(callsAfter).map((c) => c.method)).toEqual(['answerCallbackQuery']);
  });

  test('the same update delivered twice at once (two webhook requests in flight) is applied once', async () => {
    const h = harness({ store: makeStore().store });
    await h.handle(textMsg(CHAT, '/start'));
    await h.handle(textMsg(CHAT, '同意'));
    const before = JSON.parse(await rawOf(h.store));
    const sentBefore = sendCalls(h.calls).length;
    const answer = textMsg(CHAT, '1993-04-09');
    await Promise.all([
      h.handle(answer),
      h.handle(structuredClone(answer)),
      h.handle(structuredClone(answer)),
    ]);
    const after = JSON.parse(await rawOf(h.store));
    expect(after.seq).toBe(before.seq + 1);
    expect(after.answers).toEqual([['birthDate', '1993-04-09']]);
    expect(sendCalls(h.calls).length).toBe(sentBefore + 1);
  });

  test('a redelivered /delete is still recognised after the erasure: nothing is recreated or sent', async () => {
    const h = harness({ store: makeStore().store });
    await h.handle(textMsg(CHAT, '/start'));
    await h.handle(textMsg(CHAT, '同意'));
    await h.handle(textMsg(CHAT, '1993-04-09'));
    const del = textMsg(CHAT, '/delete');
    await h.handle(del);
    expect(await h.store.get(KEY)).toBeUndefined();
    const callsAfter = h.calls.length;
    await h.handle(structuredClone(del));
    expect(await h.store.get(KEY)).toBeUndefined();
    expect(h.calls.length).toBe(callsAfter);
    expect(await h.store.hasUpdate({ bot: BOT_KEY, id: del.update_id })).toBe(true);
  });

  test('a new update after a duplicate is applied normally', async () => {
    const h = harness({ store: makeStore().store });
    await h.handle(textMsg(CHAT, '/start'));
    const agree = textMsg(CHAT, '同意');
    await h.handle(agree);
    await h.handle(structuredClone(agree));
    await h.handle(textMsg(CHAT, '1993-04-09'));
    const stored = await h.store.get(KEY);
    expect(stored?.answers).toEqual([['birthDate', '1993-04-09']]);
    expect(stored?.seq).toBe(2); // 同意, the date (/start stored nothing): the duplicate counted nowhere
  });

  test('before consent nothing is stored, so a redelivered /start is answered again (the welcome twice)', async () => {
    const h = harness({ store: makeStore().store });
    const start = textMsg(CHAT, '/start');
    await h.handle(start);
    await h.handle(structuredClone(start));
    expect(await h.store.get(KEY)).toBeUndefined();
    expect(await h.store.hasUpdate({ bot: BOT_KEY, id: start.update_id })).toBe(false);
    expect(sendCalls(h.calls)).toHaveLength(2);
    // Only the second welcome keeps its buttons.
    expect(h.calls.filter((c) => c.method === 'editMessageReplyMarkup')).toHaveLength(1);
  });
});

describe('a redelivery after a restart (SQLite file)', () => {
  test('an update processed before the bot restarted is recognised by the new process', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const first = new SqliteStore({ file: tmp.file });
    const h1 = harness({ store: first });
    await h1.handle(textMsg(CHAT, '/start'));
    await h1.handle(textMsg(CHAT, '同意'));
    const answer = textMsg(CHAT, '1993-04-09');
    await h1.handle(answer);
    const before = await rawOf(first);
    first.close();

    // The process restarts; the polling offset was not confirmed, so Telegram sends the update again.
    const second = new SqliteStore({ file: tmp.file });
    cleanups.push(() => second.close());
    const h2 = harness({ store: second });
    await h2.handle(structuredClone(answer));
    expect(await rawOf(second)).toBe(before);
    expect(h2.calls).toHaveLength(0);
    // And the record of it is kept in the conversation's own row (erased with it).
    const db = new Database(tmp.file, { readonly: true });
    cleanups.push(() => db.close());
    const updates = JSON.parse(
      db.prepare('SELECT updates FROM conversations WHERE key = ?').pluck().get(KEY) as string,
    ) as Record<string, number[]>;
    expect(updates[BOT_KEY]?.slice(1)).toContain(answer.update_id);
    expect(
      db
        .prepare('SELECT count(*) FROM processed_updates WHERE bot = ? AND update_id = ?')
        .pluck()
        .get(BOT_KEY, answer.update_id),
    ).toBe(0);
  });

  test('update ids are per bot: the same id from another bot is not a duplicate', async () => {
    const store = new MemoryStore();
    const id = freshId();
    expect(await store.commit('k', undefined, { bot: 'telegram:1', id })).toBe(true);
    expect(await store.commit('k', undefined, { bot: 'telegram:1', id })).toBe(false);
    expect(await store.hasUpdate({ bot: 'telegram:2', id })).toBe(false);
  });
});
