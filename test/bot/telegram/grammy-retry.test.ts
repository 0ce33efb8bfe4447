/**
 * Retries of Bot API calls in the grammY bot (`@grammyjs/auto-retry`, installed by `createGrammyBot`):
 * a network failure (Telegram unreachable, a wrong TELEGRAM_API_ROOT) must be retried a bounded
 * number of times, like the Telegraf adapter's `withRetry` (5 attempts), not forever.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test, vi } from 'vitest';
import { Engine } from '../../../bot/engine.js';
import { createI18n } from '../../../bot/i18n.js';
import { createLogger } from '../../../bot/log.js';
import { MemoryStore } from '../../../bot/storage/store.js';
import { createGrammyBot } from '../../../bot/telegram/grammy.js';
import { BOT_INFO } from './fake-api.js';

let server: Server | undefined;
afterEach(async () => {
  vi.useRealTimers();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Lets real I/O (sockets) happen while timers are fake. */
const io = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

test('a Bot API call that keeps failing on the network gives up after a few attempts', async () => {
  let attempts = 0;
  // Every request is cut off: a network error, as when the Bot API cannot be reached.
  server = createServer((req) => {
    attempts++;
    req.socket.destroy();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const i18n = createI18n();
  const bot = createGrammyBot('123:TEST', {
    engine: new Engine({ store: new MemoryStore(), i18n }),
    i18n,
    logger: createLogger('silent'),
    apiRoot: `http://127.0.0.1:${port}`,
    botInfo: BOT_INFO,
  });

  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  let outcome: 'sent' | 'failed' | undefined;
  void bot.api.sendMessage(7, 'hello').then(
    () => {
      outcome = 'sent';
    },
    () => {
      outcome = 'failed';
    },
  );
  // Up to two days of (fake) time, an hour at a time.
  for (let hour = 0; hour < 48 && outcome === undefined; hour++) {
    await io();
    await vi.advanceTimersByTimeAsync(60 * 60 * 1000);
    await io();
  }
  expect(outcome).toBe('failed');
  expect(attempts).toBeGreaterThan(1);
  expect(attempts).toBeLessThanOrEqual(6);
});
