/**
 * The Bot API, answered locally, at each level a benchmark can plug it in: a grammY API transformer
 * (as `test/bot/telegram/fake-api.ts`), a grammY `fetch` (for bots whose API objects are created
 * elsewhere, e.g. inside @grammyjs/conversations), Telegraf's `callApi`, and an HTTP server on
 * 127.0.0.1 (a stand-in for `TELEGRAM_API_ROOT`). All answer the same way: see {@link answerLocally}.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bot, Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { Telegram } from 'telegraf';
import { Keyboards } from './workload.js';

/** The bot's identity. */
export const BOT_INFO: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: 'Luohu',
  username: 'LuohuBenchBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

/** A syntactically valid token (never sent anywhere but the local stubs). */
export const TOKEN = '123456:BENCH-token_local';

/**
 * The result Telegram would give: for `sendMessage`, the message (numbered per chat, and recorded in
 * `keyboards` with its buttons); for an edit, the message keeps its id and any keyboard it now carries
 * is recorded; the bot for `getMe`; no updates for `getUpdates`; `true` otherwise.
 */
export function answerLocally(
  method: string,
  payload: Record<string, unknown> | undefined,
  keyboards: Keyboards,
): unknown {
  switch (method) {
    case 'sendMessage': {
      const chatId = Number(payload?.chat_id);
      const messageId = keyboards.nextMessageId(chatId);
      keyboards.sent(chatId, messageId, payload?.reply_markup);
      return {
        message_id: messageId,
        date: 0,
        chat: { id: chatId, type: 'private', first_name: 'Bench' },
        text: payload?.text,
      };
    }
    case 'editMessageText':
    case 'editMessageReplyMarkup': {
      // An edited message keeps its id; a keyboard it now carries becomes the chat's current one.
      const chatId = Number(payload?.chat_id);
      const messageId = Number(payload?.message_id);
      keyboards.sent(chatId, messageId, payload?.reply_markup);
      return method === 'editMessageText'
        ? { message_id: messageId, date: 0, chat: { id: chatId, type: 'private' }, text: payload?.text }
        : true;
    }
    case 'getMe':
      return BOT_INFO;
    case 'getUpdates':
      return [];
    default:
      return true;
  }
}

/** Counts Bot API calls by method. */
export type CallCounter = Map<string, number>;

const count = (counter: CallCounter | undefined, method: string) =>
  counter?.set(method, (counter.get(method) ?? 0) + 1);

/** Answers every call of `bot.api` locally (an API transformer: nothing is serialised). */
export function useLocalApi<C extends Context>(
  bot: Bot<C>,
  keyboards: Keyboards,
  counter?: CallCounter,
): void {
  bot.api.config.use(async (_prev, method, payload) => {
    count(counter, method);
    const result = answerLocally(method, payload as Record<string, unknown>, keyboards);
    // biome-ignore lint/suspicious/noExplicitAny: a transformer returns grammY's generic response type.
    return { ok: true, result } as any;
  });
}

/**
 * A `fetch` for grammY's API client (`client: { fetch }`) that answers locally: the request is built
 * and its JSON body parsed as for a real call, and the answer is parsed from JSON too.
 */
export function localFetch(keyboards: Keyboards, counter?: CallCounter): typeof fetch {
  return (async (url: string | URL, init?: { body?: unknown }) => {
    const method = String(url).slice(String(url).lastIndexOf('/') + 1);
    count(counter, method);
    const payload = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    const body = JSON.stringify({ ok: true, result: answerLocally(method, payload, keyboards) });
    return { json: async () => JSON.parse(body) };
  }) as unknown as typeof fetch;
}

/**
 * Answers every Telegraf API call locally, in every `Telegram` instance (Telegraf makes one per
 * update); returns the function that puts the real `callApi` back.
 */
export function useLocalTelegraf(keyboards: () => Keyboards, counter?: CallCounter): () => void {
  const proto = Telegram.prototype as unknown as { callApi: (m: string, p: unknown) => Promise<unknown> };
  const real = proto.callApi;
  proto.callApi = async (method: string, payload: unknown) => {
    count(counter, method);
    return answerLocally(method, payload as Record<string, unknown>, keyboards());
  };
  return () => {
    proto.callApi = real;
  };
}

/** A Bot API server on 127.0.0.1 answering locally; `onCall` sees each method as it arrives. */
export interface StubApi {
  readonly server: Server;
  readonly url: string;
  readonly calls: CallCounter;
  /** The keyboards it was asked to send, per chat (a client taps these). */
  readonly keyboards: Keyboards;
  close(): Promise<void>;
}

/** Options of {@link startStubApi}. */
export interface StubOptions {
  /** Called with each method as it arrives. */
  readonly onCall?: (method: string) => void;
  /** How long `getUpdates` waits before answering "no updates" (default 200 ms). */
  readonly pollDelayMs?: number;
  /** Updates to deliver by `getUpdates`: those from `offset` on, at most `limit`. */
  readonly updates?: (offset: number, limit: number) => unknown[];
}

/**
 * Starts a Bot API stub on 127.0.0.1 (port 0: any free one). `getUpdates` delivers what
 * `options.updates` gives, or no updates after `pollDelayMs` (a long poll in miniature), so a polling
 * bot does not spin.
 */
export function startStubApi(options: StubOptions = {}): Promise<StubApi> {
  const calls: CallCounter = new Map();
  const keyboards = new Keyboards();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const method = path.slice(path.lastIndexOf('/') + 1).split('?')[0] ?? '';
      count(calls, method);
      options.onCall?.(method);
      let payload: Record<string, unknown> | undefined;
      try {
        payload = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      } catch {
        payload = undefined;
      }
      const reply = () => {
        if (res.destroyed) return;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ok: true, result: answerLocally(method, payload, keyboards) }));
      };
      if (method === 'getUpdates') {
        const batch = options.updates?.(Number(payload?.offset ?? 0), Number(payload?.limit ?? 100)) ?? [];
        if (batch.length > 0)
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ ok: true, result: batch }));
        else setTimeout(reply, options.pollDelayMs ?? 200);
      } else reply();
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        server,
        url: `http://127.0.0.1:${port}`,
        calls,
        keyboards,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
