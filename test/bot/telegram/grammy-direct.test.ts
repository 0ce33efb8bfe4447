/**
 * The bot's frequent Bot API calls (`sendMessage`, `editMessageText`) go straight to the light
 * client (`directCalls` in `bot/telegram/grammy.ts`), and a call that succeeds at once skips the
 * retry wrappers; what Telegram sees and the retries must stay as through grammY's own client.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GrammyError } from 'grammy';
import { afterEach, expect, test } from 'vitest';
import { Engine } from '../../../bot/engine.js';
import { createI18n } from '../../../bot/i18n.js';
import { createLogger } from '../../../bot/log.js';
import { MemoryStore } from '../../../bot/storage/store.js';
import { createLightClient } from '../../../bot/telegram/fetch.js';
import { createGrammyBot } from '../../../bot/telegram/grammy.js';
import { BOT_INFO } from './fake-api.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

type Answer = { status: number; body: unknown };

async function botAt(answer: (method: string, body: unknown, n: number) => Answer, upgraded: boolean) {
  const seen: { method: string; type?: string; body: unknown }[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.url?.split('/').pop() ?? '';
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as unknown;
      seen.push({ method, type: req.headers['content-type'], body });
      const a = answer(method, body, seen.length);
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const client = createLightClient();
  if (upgraded) await client.upgrade();
  const i18n = createI18n();
  const bot = createGrammyBot('123:TEST', {
    engine: new Engine({ store: new MemoryStore(), i18n }),
    i18n,
    logger: createLogger('silent'),
    apiRoot: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    botInfo: BOT_INFO,
    client,
  });
  return { bot, seen };
}

const MESSAGE = { message_id: 5, date: 0, chat: { id: 7, type: 'private' } };

test.each([false, true])('JSON out without nulls, the result back (undici: %s)', async (upgraded) => {
  const { bot, seen } = await botAt(() => ({ status: 200, body: { ok: true, result: MESSAGE } }), upgraded);
  const message = await bot.api.sendMessage(7, '你好', {
    parse_mode: 'HTML',
    reply_markup: null as never,
  });
  expect(message.message_id).toBe(5);
  expect(await bot.api.editMessageText(7, 5, 'null')).toEqual(MESSAGE);
  expect(seen).toEqual([
    {
      method: 'sendMessage',
      type: 'application/json',
      body: { chat_id: 7, text: '你好', parse_mode: 'HTML' },
    },
    {
      method: 'editMessageText',
      type: 'application/json',
      body: { chat_id: 7, message_id: 5, text: 'null' },
    },
  ]);
});

test.each([false, true])('429 with retry_after: retried, then it goes out (undici: %s)', async (upgraded) => {
  const { bot, seen } = await botAt(
    (_m, _b, n) =>
      n === 1
        ? {
            status: 429,
            body: { ok: false, error_code: 429, description: 'Too Many', parameters: { retry_after: 0 } },
          }
        : { status: 200, body: { ok: true, result: MESSAGE } },
    upgraded,
  );
  expect((await bot.api.sendMessage(7, 'x')).message_id).toBe(5);
  expect(seen.map((s) => s.method)).toEqual(['sendMessage', 'sendMessage']);
});

test.each([false, true])('a 400 is not retried: a GrammyError at once (undici: %s)', async (upgraded) => {
  const { bot, seen } = await botAt(
    () => ({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: x' } }),
    upgraded,
  );
  await expect(bot.api.sendMessage(7, 'x')).rejects.toBeInstanceOf(GrammyError);
  expect(seen).toHaveLength(1);
});

test('the JSON sent is byte for byte what grammY sends: nulls dropped at any depth, "null" in a text kept', async () => {
  const { directCalls } = await import('../../../bot/telegram/grammy.js');
  const bodies: string[] = [];
  const direct = directCalls(
    async (_url, body) => {
      bodies.push(body);
      return { ok: true, result: true };
    },
    'http://127.0.0.1:9',
    '123:TEST',
  ) as unknown as (prev: unknown, method: string, payload: unknown) => Promise<unknown>;
  const keyboard = [[{ text: 'null', callback_data: 'a' }], [{ text: 'b', callback_data: 'b', url: null }]];
  const payloads: unknown[] = [
    { chat_id: 7, text: 'null 与 undefined', parse_mode: 'HTML' },
    { chat_id: 7, text: 'x', reply_markup: { inline_keyboard: keyboard } },
    { chat_id: 7, text: 'x', link_preview_options: { is_disabled: true, url: null }, entities: [null, 1] },
    { chat_id: 7, text: 'x', reply_markup: null, when: new Date(0) },
    { chat_id: 7, text: 'x', a: { b: { c: { d: { e: { f: { g: { h: { i: { j: { k: null } } } } } } } } } } },
  ];
  for (const payload of payloads) await direct(undefined, 'sendMessage', payload);
  // grammY's own client: JSON.stringify with a replacer that drops null.
  expect(bodies).toEqual(payloads.map((p) => JSON.stringify(p, (_, v: unknown) => v ?? undefined)));
});
