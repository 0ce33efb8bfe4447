/**
 * The lean webhook adapter of `luohu serve` (`grammyWebhook` in `bot/serve.ts`), behind the gate:
 * grammY's webhook reply envelope (one call answered in the response, in one piece with its
 * length), an empty 200 otherwise, 200 after the timeout, 500 on bad JSON, 401 on a wrong secret.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot } from 'grammy';
import { afterEach, expect, test } from 'vitest';
import { grammyWebhook, webhookGate } from '../../bot/serve.js';
import { BOT_INFO } from './telegram/fake-api.js';

const PATH = '/hook';
const SECRET = 'test-secret_123';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(bot: Bot, timeoutMs?: number): Promise<number> {
  server = createServer(webhookGate(PATH, SECRET, grammyWebhook(bot, timeoutMs)));
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function post(port: number, body: string, secret = SECRET) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path: PATH,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'x-telegram-bot-api-secret-token': secret,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      req.once('error', reject);
      req.end(body);
    },
  );
}

const tap = (id: number) =>
  JSON.stringify({
    update_id: id,
    callback_query: {
      id: `q${id}`,
      chat_instance: 'c',
      data: 'x',
      from: { id: 7, is_bot: false, first_name: 'A' },
      message: { message_id: 1, date: 0, chat: { id: 7, type: 'private' } },
    },
  });

function botWith(handle: (ctx: import('grammy').Context) => Promise<unknown> | unknown): Bot {
  const bot = new Bot('123:TEST', {
    botInfo: BOT_INFO,
    client: {
      apiRoot: 'http://127.0.0.1:9',
      canUseWebhookReply: (method) => method === 'answerCallbackQuery',
    },
  });
  bot.use(async (ctx) => {
    await handle(ctx);
  });
  return bot;
}

test('the update is handled; its webhook reply is the response, JSON with its length', async () => {
  const seen: number[] = [];
  const port = await serve(
    botWith(async (ctx) => {
      seen.push(ctx.update.update_id);
      expect(await ctx.api.answerCallbackQuery(`q${ctx.update.update_id}`, { text: '好' })).toBe(true);
    }),
  );
  const res = await post(port, tap(11));
  expect(seen).toEqual([11]);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/json');
  expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
  expect(JSON.parse(res.body)).toEqual({
    method: 'answerCallbackQuery',
    callback_query_id: 'q11',
    text: '好',
  });
});

test('an update without a webhook reply: 200 with an empty body once it is done', async () => {
  let done = false;
  const port = await serve(
    botWith(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      done = true;
    }),
  );
  const res = await post(port, tap(12));
  expect(done).toBe(true);
  expect([res.status, res.body]).toEqual([200, '']);
});

test('a slow update: 200 after the timeout, and its late webhook reply fails', async () => {
  let late: unknown;
  let handled = false;
  let finished!: () => void;
  const over = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const port = await serve(
    botWith(async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 150));
      handled = true;
      late = await ctx.api.answerCallbackQuery('q').catch((error: unknown) => error);
      finished();
    }),
    40,
  );
  const res = await post(port, tap(13));
  // Answered at the timeout, while the update was still being handled.
  expect(handled).toBe(false);
  expect([res.status, res.body]).toEqual([200, '']);
  await over;
  expect(late).toBeInstanceOf(Error);
});

test('bad JSON: 500 with an empty body; a wrong secret: 401, nothing handled', async () => {
  let handled = 0;
  const port = await serve(
    botWith(() => {
      handled++;
    }),
  );
  for (const body of ['{"update_id": 1,', 'null']) {
    const bad = await post(port, body);
    expect([body, bad.status, bad.body]).toEqual([body, 500, '']);
  }
  const wrong = await post(port, tap(14), `${SECRET}x`);
  expect(wrong.status).toBe(401);
  expect(handled).toBe(0);
});

test("the bot's final call is the webhook reply; a second final call goes out over HTTP", async () => {
  const { createGrammyBot } = await import('../../bot/telegram/grammy.js');
  const { Engine } = await import('../../bot/engine.js');
  const { createI18n } = await import('../../bot/i18n.js');
  const { createLogger } = await import('../../bot/log.js');
  const { MemoryStore } = await import('../../bot/storage/store.js');
  const { grammyPort, handleWebhookUpdate } = await import('../../bot/telegram/grammy.js');
  const i18n = createI18n();
  const bot = createGrammyBot('123:TEST', {
    engine: new Engine({ store: new MemoryStore(), i18n }),
    i18n,
    logger: createLogger('silent'),
    apiRoot: 'http://127.0.0.1:9',
    botInfo: BOT_INFO,
  });
  const sent: string[] = [];
  const reply = { used: false, send: (json: string) => void sent.push(json) };
  // Port 9 (discard) refuses: the HTTP call fails, and the port swallows it.
  const port = grammyPort(bot.api, bot.api, reply);
  await port.answerCallback('q1', '好', { final: true });
  expect(reply.used).toBe(true);
  expect(sent.map((j) => JSON.parse(j) as unknown)).toEqual([
    { callback_query_id: 'q1', text: '好', method: 'answerCallbackQuery' },
  ]);
  expect(typeof handleWebhookUpdate).toBe('function');
});
