/**
 * The composition root of the Telegram bot: storage, retention, the engine, and the bot on grammY
 * (default) or Telegraf, by long polling or by webhook. The only file that wires them together.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { PollingConfig, WebhookConfig } from './config.js';
import { Engine } from './engine.js';
import { createI18n, type I18n } from './i18n.js';
import type { Logger } from './log.js';
import { startRetention } from './storage/retention.js';
import { SqliteStore } from './storage/sqlite.js';
import { createLightClient, type LightClient } from './telegram/fetch.js';
import {
  commandMenus,
  createGrammyBot,
  handleWebhookUpdate,
  registerCommands,
  type WebhookReply,
} from './telegram/grammy.js';
import { runPolling } from './telegram/polling.js';

/** The frameworks the bot runs on. */
export const FRAMEWORKS = ['grammy', 'telegraf'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** A running bot. */
export interface RunningBot {
  /** Stops taking updates, then closes the store. */
  stop(): Promise<void>;
  /** The webhook server's address, in webhook mode. */
  readonly address?: { readonly host: string; readonly port: number };
}

/** Options of {@link startBot}. */
export interface StartOptions {
  readonly framework?: Framework;
  readonly logger: Logger;
  /** Today's date `YYYY-MM-DD` (tests); default today in Asia/Shanghai. */
  readonly today?: () => string;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

/** Serves `handler` on `host:port`; resolves once listening. */
function listen(handler: Handler, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(handler);
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** The largest update body accepted (Telegram's updates are far smaller). */
export const MAX_UPDATE_BYTES = 1024 * 1024;

/** True when `given` equals `secret`, compared in constant time (no timing leak of the secret). */
export function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  return sameBytes(given, Buffer.from(secret));
}

/** {@link sameSecret} against the secret's bytes. */
function sameBytes(given: string | string[] | undefined, secret: Buffer): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  return a.length === secret.length && timingSafeEqual(a, secret);
}

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';
const TYPE_HEADER = 'content-type';
const LENGTH_HEADER = 'content-length';

/** The headers the gate checks, as `req.headers` would give them. */
interface GateHeaders {
  /** The secret, or undefined when it is missing or sent more than once (then `req.headers` joins them). */
  readonly secret: string | undefined;
  /** The first content type and length (`req.headers` drops repeats of these). */
  readonly type: string | undefined;
  readonly length: string | undefined;
}

/**
 * The gate's headers from `req.rawHeaders` in one pass: reading `req.headers` builds an object of
 * every header of the request first.
 */
function gateHeaders(raw: readonly string[]): GateHeaders {
  let secret: string | undefined;
  let secrets = 0;
  let type: string | undefined;
  let length: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    // Names compared case-blind, and only those of the right length.
    if (name.length === SECRET_HEADER.length && name.toLowerCase() === SECRET_HEADER) {
      secrets++;
      secret = raw[i + 1];
    } else if (type === undefined && name.length === TYPE_HEADER.length && name.toLowerCase() === TYPE_HEADER)
      type = raw[i + 1];
    else if (
      length === undefined &&
      name.length === LENGTH_HEADER.length &&
      name.toLowerCase() === LENGTH_HEADER
    )
      length = raw[i + 1];
  }
  return { secret: secrets === 1 ? secret : undefined, type, length };
}

/**
 * The webhook's gate, before any framework code: only `POST path` with the exact secret token and a
 * JSON body under {@link MAX_UPDATE_BYTES}; `GET /healthz` answers `ok`. Refusals carry no details.
 */
export function webhookGate(path: string, secret: string, handle: Handler): Handler {
  const expected = Buffer.from(secret);
  return (req, res) => {
    // The usual request is to the path itself: no URL to parse then.
    const pathname = req.url === path ? path : new URL(req.url ?? '/', 'http://localhost').pathname;
    const refuse = (status: number) => {
      req.resume();
      res.writeHead(status, { 'content-type': 'text/plain' }).end();
    };
    if (req.method === 'GET' && pathname === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (pathname !== path) return refuse(404);
    if (req.method !== 'POST') return refuse(405);
    const headers = gateHeaders(req.rawHeaders);
    if (!sameBytes(headers.secret, expected)) return refuse(401);
    if (!(headers.type ?? '').startsWith('application/json')) return refuse(415);
    const length = Number(headers.length);
    if (!Number.isFinite(length)) return refuse(411);
    if (length > MAX_UPDATE_BYTES) return refuse(413);
    void Promise.resolve(handle(req, res)).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end();
    });
  };
}

/**
 * grammY's webhook callback (`webhookCallback(bot, 'http', { onTimeout: 'return' })`) without its
 * framework layer, behind {@link webhookGate} (which has checked the secret): reads the update,
 * handles it with grammY's webhook reply envelope, and answers 200, with the one Bot API call the
 * update hands to the envelope as JSON (in one write, with its length), or empty once it is done.
 * After `timeoutMs` it answers 200 anyway (the update goes on), so Telegram does not redeliver in a
 * storm; the update's final call then goes as an HTTP call (through grammY's envelope it fails, as
 * in grammY). Bad JSON, or an update that throws: 500.
 */
export function grammyWebhook(bot: Bot, timeoutMs = 9000): Handler {
  return (req, res) =>
    new Promise<void>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.once('error', reject);
      req.once('end', () => {
        let update: Update;
        try {
          update = JSON.parse(
            (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8'),
          ) as Update;
        } catch (error) {
          reject(error);
          return;
        }
        const reply: WebhookReply = {
          used: false,
          send(json) {
            res
              .writeHead(200, {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(json),
              })
              .end(json);
          },
        };
        const finish = () => {
          if (!reply.used) {
            reply.used = true;
            res.end();
          }
          resolve();
        };
        const timer = setTimeout(finish, timeoutMs);
        handleWebhookUpdate(bot, update, reply).then(
          () => {
            clearTimeout(timer);
            finish();
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error);
          },
        );
      });
    });
}

/**
 * Moves the bot's HTTP client to undici `delayMs` after start (undici is slow to load), and says how
 * it went: `info` with the transport in use, or `warn` with the reason (the error's message only)
 * when it failed, the Bot API calls staying on `node:http` (working, at more CPU per call).
 */
export function upgradeLater(
  client: Pick<LightClient, 'upgrade' | 'transport'>,
  logger: Logger,
  delayMs = 50,
): void {
  const upgrade = () =>
    client.upgrade().then(
      () => logger.info({ transport: client.transport }, 'HTTP client upgraded'),
      (error: unknown) =>
        logger.warn(
          { transport: client.transport, err: error instanceof Error ? error.message : String(error) },
          'HTTP client upgrade failed',
        ),
    );
  setTimeout(upgrade, delayMs).unref();
}

const closeServer = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * Starts the bot. Conversations are kept in SQLite under `config.dataDir`, keyed `telegram:<chat>`
 * whatever the framework, so switching framework keeps every conversation.
 */
export async function startBot(
  config: PollingConfig | WebhookConfig,
  options: StartOptions,
): Promise<RunningBot> {
  const { logger } = options;
  const store = new SqliteStore({ dataDir: config.dataDir });
  const stopRetention = startRetention(store, {
    days: config.retentionDays,
    onPurge: (deleted) => deleted > 0 && logger.info({ deleted }, 'purged old conversations'),
    onError: (error) =>
      logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'purge failed'),
  });
  const i18n: I18n = createI18n();
  const engine = new Engine({ store, i18n, ...(options.today ? { today: options.today } : {}) });
  const closeAll = async (stopUpdates: () => Promise<void>) => {
    await stopUpdates();
    stopRetention();
    store.close();
  };

  if ((options.framework ?? 'grammy') === 'telegraf') {
    // Telegraf is loaded only when chosen (start-up time of the default, grammY).
    const [{ Telegraf }, { createTelegrafMiddleware }] = await Promise.all([
      import('telegraf'),
      import('./telegram/telegraf.js'),
    ]);
    // Webhook replies on: the handler answers a tap's callback query last, once the update is stored,
    // so Telegraf sends that answer as the webhook's response (which confirms the update).
    const bot = new Telegraf(config.token, {
      telegram: { webhookReply: true, ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}) },
    });
    bot.use(
      createTelegrafMiddleware({
        store,
        keyPrefix: 'telegram',
        defaultLang: config.lang,
        ...(options.today ? { today: options.today } : {}),
      }),
    );
    bot.catch((error) =>
      logger.error({ err: error instanceof Error ? error.message : String(error) }, 'update failed'),
    );
    for (const { language_code, commands } of commandMenus(i18n))
      await bot.telegram.setMyCommands(commands, language_code ? { language_code } : {});
    if (config.mode === 'webhook') {
      await bot.telegram.setWebhook(config.webhookUrl, { secret_token: config.secretToken });
      const callback = bot.webhookCallback(config.path, { secretToken: config.secretToken });
      const server = await listen(
        webhookGate(config.path, config.secretToken, (req, res) => {
          // The gate has matched the path; Telegraf compares the whole URL, so a webhook URL with a
          // query string would be refused (403) on every update.
          req.url = config.path;
          return callback(req, res);
        }),
        config.host,
        config.port,
      );
      logger.info({ framework: 'telegraf', mode: 'webhook', port: config.port }, 'bot started');
      return {
        stop: () => closeAll(() => closeServer(server)),
        address: { host: config.host, port: config.port },
      };
    }
    await bot.telegram.deleteWebhook();
    // Resolves when polling has stopped: the updates being handled are done and confirmed.
    const polling = bot
      .launch()
      .catch((error: unknown) => logger.error({ err: String(error) }, 'polling stopped'));
    logger.info({ framework: 'telegraf', mode: 'polling' }, 'bot started');
    return {
      stop: () =>
        closeAll(async () => {
          try {
            bot.stop('stop');
          } catch {
            return; // Not polling yet: nothing is being handled.
          }
          // Like grammY's runner: let the updates in hand finish before the store closes.
          await polling;
        }),
    };
  }

  const client = createLightClient();
  const bot = createGrammyBot(config.token, {
    engine,
    i18n,
    logger,
    client,
    defaultLang: config.lang,
    ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
  });
  // The faster HTTP client is loaded just after the bot has started (it is slow to load).
  const upgradeClient = () => upgradeLater(client, logger);
  await bot.init();
  await registerCommands(bot.api, i18n);
  if (config.mode === 'webhook') {
    await bot.api.setWebhook(config.webhookUrl, { secret_token: config.secretToken });
    const server = await listen(
      webhookGate(
        config.path,
        config.secretToken,
        // Answer Telegram within its timeout even if an update is slow, so it does not redeliver in a storm.
        grammyWebhook(bot, 9000),
      ),
      config.host,
      config.port,
    );
    logger.info({ framework: 'grammy', mode: 'webhook', port: config.port }, 'bot started');
    upgradeClient();
    return {
      stop: () => closeAll(() => closeServer(server)),
      address: { host: config.host, port: config.port },
    };
  }
  await bot.api.deleteWebhook();
  const runner = runPolling(bot);
  logger.info({ framework: 'grammy', mode: 'polling' }, 'bot started');
  upgradeClient();
  return { stop: () => closeAll(async () => (runner.isRunning() ? runner.stop() : undefined)) };
}
