/**
 * Guarantee 3: faults from Telegram. 429 (after `retry_after`) and 5xx are retried and the reply
 * still goes out; 403 (the person blocked the bot) is handled without throwing, the state is saved
 * and it is logged once; 400 "message is not modified" when removing buttons is ignored.
 *
 * The grammY bot talks to a fake Bot API on 127.0.0.1 through its real client, so the transformers
 * the product installs (auto-retry) are exercised. The waits auto-retry asks for are recorded and cut
 * to 1 ms, so the tests stay fast while checking that `retry_after` is honoured.
 */
import type { Update } from 'grammy/types';
import { Telegram, TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Engine } from '../../bot/engine.js';
import { MemoryStore } from '../../bot/storage/store.js';
import { createGrammyBot } from '../../bot/telegram/grammy.js';
import { retryDelay, withRetry } from '../../bot/telegram/retry.js';
import { telegrafPort } from '../../bot/telegram/telegraf.js';
import {
  blocked,
  type FakeBotApi,
  internalError,
  notModified,
  startFakeBotApi,
  tooManyRequests,
} from './fake-bot-api.js';
import { AS_OF, BOT_INFO, i18n, memoryLogger, tapMsg, textMsg } from './helpers.js';

const realSetTimeout = globalThis.setTimeout;
/** The waits (ms) asked for between 1 s and 1 min: auto-retry's pauses. */
let waits: number[] = [];
let api: FakeBotApi;

beforeEach(async () => {
  waits = [];
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    fn: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    if (typeof ms === 'number' && ms >= 1000 && ms <= 60_000) {
      waits.push(ms);
      return realSetTimeout(fn, 1, ...args);
    }
    return realSetTimeout(fn, ms, ...args);
  }) as unknown as typeof setTimeout);
  api = await startFakeBotApi();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await api.close();
});

function bot() {
  const store = new MemoryStore();
  const log = memoryLogger();
  const engine = new Engine({ store, i18n, today: () => AS_OF });
  const b = createGrammyBot('123456:FAULTS', {
    engine,
    i18n,
    logger: log.logger,
    botInfo: BOT_INFO,
    apiRoot: api.apiRoot,
  });
  const handle = (u: unknown) => b.handleUpdate(u as Update);
  const sent = () => api.requests.filter((r) => r.method === 'sendMessage' && r.response.ok);
  const failures = () => log.records().filter((r) => r.level >= 40);
  return { store, log, handle, sent, failures };
}

describe('grammY: Telegram faults', () => {
  test('429 with retry_after: the reply is sent again after the wait asked for, and delivered', async () => {
    const b = bot();
    api.fail('sendMessage', tooManyRequests(2));
    await b.handle(textMsg(9001, '/start'));
    const attempts = api.requests.filter((r) => r.method === 'sendMessage');
    expect(attempts.map((r) => r.response.error_code ?? 200)).toEqual([429, 200]);
    expect(attempts[1]?.payload).toEqual(attempts[0]?.payload);
    expect(waits).toContain(2000);
    expect(b.failures()).toEqual([]);
  });

  test('several 429s in a row, then ok: delivered once', async () => {
    const b = bot();
    await b.handle(textMsg(9002, '/start'));
    api.fail('sendMessage', tooManyRequests(1), tooManyRequests(1), tooManyRequests(1));
    await b.handle(textMsg(9002, '同意'));
    expect(api.requests.filter((r) => r.method === 'sendMessage').length).toBe(5);
    expect(b.sent()).toHaveLength(2);
    expect(waits.filter((w) => w === 1000)).toHaveLength(3);
    expect((await b.store.get('telegram:9002'))?.seq).toBe(1); // stored from consent on
    expect(b.failures()).toEqual([]);
  });

  test('500, then ok: the reply is delivered after a backoff', async () => {
    const b = bot();
    api.fail('sendMessage', internalError);
    await b.handle(textMsg(9003, '/start'));
    expect(
      api.requests.filter((r) => r.method === 'sendMessage').map((r) => r.response.error_code ?? 200),
    ).toEqual([500, 200]);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(b.failures()).toEqual([]);
  });

  test('403 (blocked): no throw, the answer is saved, logged once for the chat, never as an update failure', async () => {
    const b = bot();
    const CHAT = 9004;
    await b.handle(textMsg(CHAT, '/start'));
    await b.handle(textMsg(CHAT, '同意'));
    api.fail('sendMessage', blocked, blocked, blocked);
    await expect(b.handle(textMsg(CHAT, '1993-04-09'))).resolves.toBeUndefined();
    await expect(b.handle(textMsg(CHAT, '本科'))).resolves.toBeUndefined();
    const stored = await b.store.get(`telegram:${CHAT}`);
    expect(stored?.answers).toEqual([
      ['birthDate', '1993-04-09'],
      ['education', 'bachelor'],
    ]);
    // 403 is not retried.
    expect(api.requests.filter((r) => r.response.error_code === 403)).toHaveLength(2);
    const warnings = b.log.records().filter((r) => r.level >= 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, msg: 'reply refused' });
    expect(String(warnings[0]?.reason)).toContain('403');
  });

  test('400 "message is not modified" when removing buttons is ignored: the next question goes out', async () => {
    const b = bot();
    const CHAT = 9005;
    await b.handle(textMsg(CHAT, '/start'));
    const consent = api.requests.find((r) => r.method === 'sendMessage');
    if (!consent) throw new Error('no consent message');
    const keyboard = (consent.payload.reply_markup as { inline_keyboard: { callback_data: string }[][] })
      .inline_keyboard;
    const messageId = (consent.response.result as { message_id: number }).message_id;
    const agree = keyboard[0]?.[0]?.callback_data ?? '';
    const removals400 = () =>
      api.requests.filter((r) => r.method === 'editMessageReplyMarkup' && r.response.error_code === 400);
    // The tap edits the consent message into the next question (no buttons left to remove).
    await b.handle(tapMsg(CHAT, agree, messageId));
    const edit = api.requests.find((r) => r.method === 'editMessageText');
    expect(edit?.payload).toMatchObject({ chat_id: CHAT, message_id: messageId });
    expect(String(edit?.payload.text)).toContain('出生日期');
    expect(b.sent()).toHaveLength(1);
    // The same button tapped again (a double tap): stale, so the current question is sent anew and the
    // tapped message's buttons removed, which Telegram refuses (already gone): ignored.
    api.fail('editMessageReplyMarkup', notModified, notModified);
    await b.handle(tapMsg(CHAT, agree, messageId));
    expect(removals400()).toHaveLength(1);
    expect(removals400()[0]?.payload).toMatchObject({ chat_id: CHAT, message_id: messageId });
    expect(b.sent()).toHaveLength(2);
    expect(String(b.sent()[1]?.payload.text)).toContain('出生日期');
    // A typed answer also removes the last question's buttons; a refusal there is ignored too.
    await b.handle(textMsg(CHAT, '1993-04-09'));
    await b.handle(textMsg(CHAT, '本科'));
    expect(removals400()).toHaveLength(2);
    expect(b.sent()).toHaveLength(4);
    expect(String(b.sent()[3]?.payload.text)).toContain('统招');
    expect((await b.store.get(`telegram:${CHAT}`))?.answers).toEqual([
      ['birthDate', '1993-04-09'],
      ['education', 'bachelor'],
    ]);
    expect(b.failures()).toEqual([]);
  });
});

/** Telegraf's error for a Bot API refusal. */
const telegrafError = (code: number, retryAfter?: number) =>
  new TelegramError({
    error_code: code,
    description: `error ${code}`,
    ...(retryAfter !== undefined ? { parameters: { retry_after: retryAfter } } : {}),
  });

describe('Telegraf: withRetry and retryDelay', () => {
  const fakeSleep = () => {
    const slept: number[] = [];
    return { slept, sleep: async (ms: number) => void slept.push(ms) };
  };
  /** A call failing with `errors` in turn, then resolving 'ok'. */
  const failing = (...errors: unknown[]) => {
    let calls = 0;
    const fn = async () => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return 'ok';
    };
    return { fn, calls: () => calls };
  };

  test('429: waits retry_after seconds, then succeeds', async () => {
    const { slept, sleep } = fakeSleep();
    const call = failing(telegrafError(429, 3));
    await expect(withRetry(call.fn, { sleep })).resolves.toBe('ok');
    expect(slept).toEqual([3000]);
    expect(call.calls()).toBe(2);
  });

  test('500 and network errors: exponential backoff, then success', async () => {
    const { slept, sleep } = fakeSleep();
    const network = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const call = failing(telegrafError(500), telegrafError(502), network);
    await expect(withRetry(call.fn, { sleep, baseDelayMs: 100 })).resolves.toBe('ok');
    expect(slept).toEqual([100, 200, 400]);
  });

  test('403 and 400 are not retried: thrown at once', async () => {
    for (const code of [400, 403]) {
      const { slept, sleep } = fakeSleep();
      const call = failing(telegrafError(code));
      await expect(withRetry(call.fn, { sleep })).rejects.toBeInstanceOf(TelegramError);
      expect(slept).toEqual([]);
      expect(call.calls()).toBe(1);
    }
  });

  test('gives up after `attempts`, rethrowing the last error; waits are capped', async () => {
    const { slept, sleep } = fakeSleep();
    const call = failing(...Array.from({ length: 10 }, () => telegrafError(429, 3600)));
    await expect(withRetry(call.fn, { sleep, attempts: 3, maxDelayMs: 5000 })).rejects.toMatchObject({
      code: 429,
    });
    expect(call.calls()).toBe(3);
    expect(slept).toEqual([5000, 5000]);
  });

  test('retryDelay reads the shapes of both frameworks', () => {
    expect(retryDelay(telegrafError(429, 7), 0)).toBe(7000);
    expect(retryDelay({ error_code: 429, parameters: { retry_after: 4 } }, 0)).toBe(4000); // grammY
    expect(retryDelay({ error_code: 503 }, 2, { baseDelayMs: 10 })).toBe(40);
    expect(retryDelay({ error_code: 404 }, 0)).toBeUndefined();
    expect(retryDelay(undefined, 0, { baseDelayMs: 10 })).toBe(10); // a network failure
  });

  test("Telegraf's port: a 429 then ok delivers the message; a 400 on removing buttons is ignored", async () => {
    const telegram = new Telegram('123456:TELEGRAF', {});
    let sends = 0;
    vi.spyOn(telegram, 'sendMessage').mockImplementation((async () => {
      if (++sends === 1) throw telegrafError(429, 0);
      return { message_id: 77 };
    }) as unknown as Telegram['sendMessage']);
    vi.spyOn(telegram, 'editMessageReplyMarkup').mockRejectedValue(telegrafError(400));
    const port = telegrafPort(telegram);
    await expect(port.sendMessage(1, 'hi')).resolves.toBe(77);
    expect(sends).toBe(2);
    await expect(port.removeKeyboard(1, 5)).resolves.toBeUndefined();
  });
});
