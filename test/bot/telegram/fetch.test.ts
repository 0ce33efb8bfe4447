/**
 * The keep-alive `fetch` of the grammY bot (`bot/telegram/fetch.ts`): what grammY's API client needs
 * of a `fetch`, against a local HTTP server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, HttpError, InputFile } from 'grammy';
import { afterEach, expect, test } from 'vitest';
import { createLightClient, type LightClient } from '../../../bot/telegram/fetch.js';
import { BOT_INFO } from './fake-api.js';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void) {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A client on `node:http`, or one moved to undici. */
async function clientOn(transport: LightClient['transport']): Promise<LightClient> {
  const client = createLightClient();
  if (transport === 'undici') await client.upgrade();
  expect(client.transport).toBe(transport);
  return client;
}

const TRANSPORTS = ['node:http', 'undici'] as const;

test.each(TRANSPORTS)(
  'Bot API calls through grammY (%s): JSON out, JSON back, over kept-alive connections',
  async (transport) => {
    const seen: { url?: string; type?: string; body: unknown }[] = [];
    const sockets = new Set<unknown>();
    const root = await serve((req, body, res) => {
      sockets.add(req.socket);
      seen.push({ url: req.url, type: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ ok: true, result: { message_id: 5, date: 0, chat: { id: 7, type: 'private' } } }),
      );
    });
    const bot = new Bot('123:TEST', {
      botInfo: BOT_INFO,
      client: { apiRoot: root, fetch: (await clientOn(transport)).fetch as unknown as typeof fetch },
    });
    const texts = ['你好 <b>1</b>', 'two', 'three', 'four', 'five', 'six'];
    for (const text of texts) {
      const message = await bot.api.sendMessage(7, text, { parse_mode: 'HTML' });
      expect(message.message_id).toBe(5);
    }
    expect(seen.map((s) => s.url)).toEqual(texts.map(() => '/bot123:TEST/sendMessage'));
    expect(seen[0]?.type).toBe('application/json');
    expect(seen[0]?.body).toEqual({ chat_id: 7, text: '你好 <b>1</b>', parse_mode: 'HTML' });
    // Connections are kept open and used again (a new one only while the last is being released).
    expect(sockets.size).toBeLessThanOrEqual(2);
  },
);

test.each(TRANSPORTS)(
  "Telegram's errors come back as grammY errors; a cut connection as an HttpError (%s)",
  async (transport) => {
    const root = await serve((req, _body, res) => {
      if (req.url?.endsWith('/sendMessage')) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error_code: 403, description: 'Forbidden: bot was blocked' }));
      } else req.socket.destroy();
    });
    const bot = new Bot('123:TEST', {
      botInfo: BOT_INFO,
      client: { apiRoot: root, fetch: (await clientOn(transport)).fetch as unknown as typeof fetch },
    });
    await expect(bot.api.sendMessage(7, 'x')).rejects.toMatchObject({ error_code: 403 });
    await expect(bot.api.answerCallbackQuery('q')).rejects.toBeInstanceOf(HttpError);
  },
);

test.each(TRANSPORTS)("a call that takes too long is aborted by grammY's timeout (%s)", async (transport) => {
  const root = await serve(() => {
    // Never answers.
  });
  const bot = new Bot('123:TEST', {
    botInfo: BOT_INFO,
    client: {
      apiRoot: root,
      timeoutSeconds: 0.2,
      fetch: (await clientOn(transport)).fetch as unknown as typeof fetch,
    },
  });
  const started = performance.now();
  await expect(bot.api.sendMessage(7, 'x')).rejects.toBeInstanceOf(HttpError);
  expect(performance.now() - started).toBeLessThan(5_000);
});

test.each(TRANSPORTS)('a file upload (streamed form data) goes through too (%s)', async (transport) => {
  const seen: { type?: string; body: string }[] = [];
  const root = await serve((req, body, res) => {
    seen.push({ type: req.headers['content-type'], body });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ ok: true, result: { message_id: 6, date: 0, chat: { id: 7, type: 'private' } } }),
    );
  });
  const bot = new Bot('123:TEST', {
    botInfo: BOT_INFO,
    client: { apiRoot: root, fetch: (await clientOn(transport)).fetch as unknown as typeof fetch },
  });
  const message = await bot.api.sendDocument(7, new InputFile(Buffer.from('hello file'), 'a.txt'));
  expect(message.message_id).toBe(6);
  expect(seen[0]?.type).toMatch(/^multipart\/form-data; boundary=/);
  expect(seen[0]?.body).toContain('hello file');
});
