/**
 * Guarantee 9: the logs of a whole consultation, at debug level and through every logging path
 * (handled, duplicate, rate limited, reply refused, store unavailable), carry update ids and hashed
 * chat ids, and never an answer, a message text, the token or the raw chat id.
 */
import { describe, expect, test } from 'vitest';
import { MemoryStore, type UpdateRef } from '../../bot/storage/store.js';
import { hashChat } from '../../bot/telegram/log.js';
import { createRateLimiter } from '../../bot/telegram/rate-limit.js';
import type { StoredConversation } from '../../machines/conversation.js';
import { harness, memoryLogger, textMsg } from './helpers.js';

const TOKEN = '123456:SECRET-TOKEN-VALUE';
const CHAT = 987654321;
const OTHER = 987654322;

class FailingStore extends MemoryStore {
  failing = false;
  override async commit(key: string, c: StoredConversation | undefined, u: UpdateRef) {
    if (this.failing) throw new Error(`database is locked while writing ${JSON.stringify(c)}`);
    return super.commit(key, c, u);
  }
}

describe('the logs of a whole consultation', () => {
  test('update ids and 16-hex hashed chat ids; no answer, text, token or raw chat id', async () => {
    const log = memoryLogger('debug');
    const store = new FailingStore();
    const h = harness({
      store,
      token: TOKEN,
      logger: log.logger,
      rateLimiter: createRateLimiter({ limit: 40, windowMs: 60_000 }),
    });
    let blockNext = false;
    h.bot.api.config.use(async (prev, method, payload, signal) => {
      if (method === 'sendMessage' && blockNext) {
        blockNext = false;
        // biome-ignore lint/suspicious/noExplicitAny: the transformer returns grammY's generic response.
        return { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } as any;
      }
      return prev(method, payload, signal);
    });

    const ids: number[] = [];
    const send = async (text: string, chat = CHAT) => {
      const u = textMsg(chat, text);
      ids.push(u.update_id);
      await h.handle(u);
      return u;
    };
    const tap = async (label: string) => {
      const u = await h.tap(CHAT, label);
      ids.push(u.update_id);
    };

    await send('/start');
    await tap('同意');
    const date = await send('1993-04-09');
    await h.handle(structuredClone(date)); // a duplicate
    await tap('本科');
    await tap('统招（普通高等教育）');
    blockNext = true;
    await send('my secret free text zebra'); // the reply is refused (403)
    store.failing = true;
    await send('否'); // the store is down
    store.failing = false;
    for (const label of ['否', '否', '否', '是', '否']) await tap(label);
    await send('/summary');
    await send('/delete');
    // Another person floods.
    for (let i = 0; i < 45; i++) await send(`flood ${i} 1993-04-09`, OTHER);

    const text = log.text();
    const records = log.records();
    // The consultation reached its end.
    expect(records.some((r) => r.state === 'active.result' || r.state === 'active.summary')).toBe(true);
    // Every path wrote its line.
    for (const msg of [
      'update',
      'duplicate update skipped',
      'reply refused',
      'store unavailable; asked to try again',
      'rate limited',
    ])
      expect(
        records.map((r) => r.msg),
        msg,
      ).toContain(msg);

    for (const secret of [
      '1993-04-09',
      '同意',
      '本科',
      'bachelor',
      'regular',
      'zebra',
      'flood',
      'SECRET-TOKEN-VALUE',
      TOKEN,
      String(CHAT),
      String(OTHER),
      'c:',
    ])
      expect(text, secret).not.toContain(secret);

    // Update ids are there, chat ids only hashed.
    const logged = new Set(records.map((r) => r.update));
    for (const id of ids) expect(logged.has(id), `update ${id}`).toBe(true);
    for (const r of records) if ('chat' in r) expect(String(r.chat)).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set(records.filter((r) => 'chat' in r).map((r) => r.chat))).toEqual(
      new Set([hashChat(CHAT), hashChat(OTHER)]),
    );
    expect(hashChat(CHAT)).not.toBe(hashChat(OTHER));
  });
});
