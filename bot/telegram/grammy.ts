/**
 * The consultation as a grammY bot: the only file that knows grammY. Each update is reduced to a
 * chat update and handled by `handler.ts`; replies go out through grammY's API client.
 */

import { autoRetry } from '@grammyjs/auto-retry';
import {
  type Api,
  Bot,
  type BotConfig,
  type Context,
  HttpError,
  type MiddlewareFn,
  type NextFunction,
  type Transformer,
} from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { Engine } from '../engine.js';
import { createRenderer, type I18n, type Lang } from '../i18n.js';
import type { Logger } from '../log.js';
import { createLightClient, type JsonPost, type LightClient } from './fetch.js';
import type { Button } from './format.js';
import {
  BOT_COMMANDS,
  type CallOptions,
  type HandlerDeps,
  handleChatUpdate,
  type TelegramPort,
} from './handler.js';
import { logHandled } from './log.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { toChatUpdate } from './update.js';

/** Options of {@link createGrammyBot}. */
export interface GrammyBotOptions {
  readonly engine: Engine;
  readonly i18n: I18n;
  readonly logger: Logger;
  readonly defaultLang?: Lang;
  /** A self-hosted Bot API server (Telegram's local server, or a test stub). */
  readonly apiRoot?: string;
  /** Known bot info, to skip `getMe` at start (tests). */
  readonly botInfo?: UserFromGetMe;
  /** The per-person rate limit; default 30 updates per 10 seconds. */
  readonly rateLimiter?: RateLimiter;
  /** The HTTP client of Bot API calls; default a new {@link createLightClient} (not upgraded). */
  readonly client?: LightClient;
}

/**
 * Retries a Bot API call that failed on the network (no answer from Telegram) a few times with
 * backoff, then gives up, so an unreachable API root fails the start instead of hanging forever.
 */
export function networkRetry(attempts = 4, baseMs = 1000): Transformer {
  return async (prev, method, payload, signal) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        if (!(error instanceof HttpError) || signal?.aborted || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, baseMs * 2 ** (attempt - 1)));
      }
    }
  };
}

/** The calls that may be sent as a webhook reply: those whose result is not needed. */
const WEBHOOK_REPLY_METHODS = new Set(['answerCallbackQuery', 'editMessageReplyMarkup']);

// A transformer with grammY's per-method generics erased (they are only types).
type AnyResponse = { ok: boolean } & Record<string, unknown>;
type AnyCall = (method: string, payload: unknown, signal?: AbortSignal) => Promise<AnyResponse>;
type AnyTransformer = (
  prev: AnyCall,
  method: string,
  payload: unknown,
  signal?: AbortSignal,
) => Promise<AnyResponse>;

/** The methods sent by {@link directCalls}: called on most updates, and their payloads never hold a file. */
const DIRECT_METHODS = new Set(['sendMessage', 'editMessageText']);

/** grammY's own timeout of an API call (`timeoutSeconds`, 500 s), in ms. */
const GRAMMY_TIMEOUT_MS = 500_000;

/** Nesting below which {@link mayHoldNull} stops looking and answers yes. */
const NULL_SCAN_DEPTH = 16;

/**
 * False when `value` holds no `null` at any depth (so JSON without nulls is plain `JSON.stringify`);
 * true when it may: a `null`, an object with its own `toJSON`, or nesting too deep to look into.
 */
function mayHoldNull(value: unknown, depth = 0): boolean {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  if (depth > NULL_SCAN_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === 'function') return true;
  if (Array.isArray(value)) {
    for (const item of value) if (mayHoldNull(item, depth + 1)) return true;
    return false;
  }
  for (const key in value) if (mayHoldNull((value as Record<string, unknown>)[key], depth + 1)) return true;
  return false;
}

/**
 * JSON of a payload without its `null` values, byte for byte as grammY sends it; the replacer that
 * drops them (several times slower) only for a payload that holds one.
 */
function payloadJson(payload: unknown): string {
  const value = payload ?? {};
  return mayHoldNull(value)
    ? JSON.stringify(value, (_, v: unknown) => v ?? undefined)
    : JSON.stringify(value);
}

/**
 * The innermost transformer: sends the frequent calls ({@link DIRECT_METHODS}) straight to `post`,
 * skipping grammY's request building (payload scan, abort controller, timeout race, `fetch`
 * response); a network failure becomes grammY's `HttpError`, as grammY's own client reports it.
 * Every other call, and any call with an abort signal, goes on through grammY's client.
 */
export function directCalls(
  post: JsonPost,
  apiRoot: string,
  token: string,
  timeoutMs = GRAMMY_TIMEOUT_MS,
): Transformer {
  const base = `${apiRoot}/bot${token}/`;
  const direct: AnyTransformer = (prev, method, payload, signal) => {
    if (signal !== undefined || !DIRECT_METHODS.has(method)) return prev(method, payload, signal);
    return (post(base + method, payloadJson(payload), timeoutMs) as Promise<AnyResponse>).catch(
      (error: unknown) => {
        throw new HttpError(`Network request for '${method}' failed!`, error);
      },
    );
  };
  return direct as unknown as Transformer;
}

/**
 * The retries of Bot API calls: `outer` (network failures) around `inner` (429, 5xx), with a fast
 * path: a call that succeeds at once returns without going through either. Otherwise its outcome
 * is handed to them as their first attempt, so the retries are theirs exactly.
 */
function retrying(inner: Transformer, outer: Transformer): Transformer {
  const innerT = inner as unknown as AnyTransformer;
  const outerT = outer as unknown as AnyTransformer;
  const fast: AnyTransformer = async (prev, method, payload, signal) => {
    let first: () => Promise<AnyResponse>;
    try {
      const response = await prev(method, payload, signal);
      if (response.ok) return response;
      first = () => Promise.resolve(response);
    } catch (error) {
      first = () => Promise.reject(error);
    }
    let replayed = false;
    const replay: AnyCall = (m, p, s) => {
      if (replayed) return prev(m, p, s);
      replayed = true;
      return first();
    };
    return outerT((m, p, s) => innerT(replay, m, p, s), method, payload, signal);
  };
  return fast as unknown as Transformer;
}

/**
 * The webhook response of one update, for its final Bot API call (Telegram's webhook reply):
 * `send` writes the call's JSON as the response; `used` once it has (or the response was sent).
 */
export interface WebhookReply {
  used: boolean;
  send(json: string): void | Promise<void>;
}

/**
 * The webhook response of each update being handled in webhook mode (see {@link handleWebhookUpdate}),
 * until its handling ends: a plain map (a `WeakMap` costs more per update, in the garbage collector too).
 */
const webhookReplies = new Map<object, WebhookReply>();

/**
 * Handles an update that came by webhook: its final Bot API call (see {@link grammyPort}) goes to
 * `reply` directly; grammY's webhook reply envelope of the update's own client uses it too (one
 * reply per update, whoever comes first).
 */
export async function handleWebhookUpdate(bot: Bot, update: Update, reply: WebhookReply): Promise<void> {
  // Bad input (not an object) is refused by grammY below.
  const keyed = typeof update === 'object' && update !== null;
  if (keyed) webhookReplies.set(update, reply);
  try {
    await bot.handleUpdate(update, {
      send: async (json) => {
        if (reply.used) throw new Error('the webhook was answered already');
        reply.used = true;
        await reply.send(json);
      },
    });
  } finally {
    if (keyed) webhookReplies.delete(update);
  }
}

/** The link preview setting of every message (never changed on the way: one object for all calls). */
const NO_LINK_PREVIEW = { is_disabled: true } as const;
/** An empty inline keyboard (removes a message's buttons; never changed on the way). */
const NO_BUTTONS: { inline_keyboard: never[] } = { inline_keyboard: [] };
const toTrue = () => true;
const toFalse = () => false;
const ignore = () => {};
const sentAnyway = () => true;
const messageIdOf = (message: { message_id: number }) => message.message_id;

// The keyboard as it is (its rows are not changed on the way): no copy per call.
const markupOf = (keyboard: readonly (readonly Button[])[]) => ({
  inline_keyboard: keyboard as Button[][],
});

/**
 * {@link grammyPort}'s port: its methods on the prototype, so an update costs one small object. The
 * payloads are grammY's own (`api.sendMessage(chat, text, other)` sends `{ chat_id, text, ...other }`),
 * built in one literal each and handed to the same API client (`api.raw`), keys in the same order.
 */
class GrammyPort implements TelegramPort {
  readonly #api: Api;
  readonly #finalApi: Api;
  readonly #reply: WebhookReply | undefined;

  constructor(api: Api, finalApi: Api, reply: WebhookReply | undefined) {
    this.#api = api;
    this.#finalApi = finalApi;
    this.#reply = reply;
  }

  /**
   * The final call as the webhook's response, written straight to it (without grammY's client);
   * false when it must go as an HTTP call (no webhook, or its response was used already).
   */
  async #replied(method: string, payload: Record<string, unknown>): Promise<boolean> {
    const reply = this.#reply;
    if (!reply || reply.used) return false;
    reply.used = true;
    await reply.send(payloadJson({ ...payload, method }));
    return true;
  }

  /** The client of a call: once the webhook's response is used, the update's own client must not try it again. */
  #apiOf(options: CallOptions | undefined): Api {
    return options?.final && !this.#reply?.used ? this.#finalApi : this.#api;
  }

  sendMessage(chatId: number, html: string, keyboard?: readonly (readonly Button[])[]): Promise<number> {
    const raw = this.#api.raw;
    return (
      keyboard
        ? raw.sendMessage({
            chat_id: chatId,
            text: html,
            parse_mode: 'HTML',
            link_preview_options: NO_LINK_PREVIEW,
            reply_markup: markupOf(keyboard),
          })
        : raw.sendMessage({
            chat_id: chatId,
            text: html,
            parse_mode: 'HTML',
            link_preview_options: NO_LINK_PREVIEW,
          })
    ).then(messageIdOf);
  }

  editMessage(
    chatId: number,
    messageId: number,
    html: string,
    keyboard?: readonly (readonly Button[])[],
  ): Promise<boolean> {
    const raw = this.#api.raw;
    return (
      keyboard
        ? raw.editMessageText({
            chat_id: chatId,
            message_id: messageId,
            text: html,
            parse_mode: 'HTML',
            link_preview_options: NO_LINK_PREVIEW,
            reply_markup: markupOf(keyboard),
          })
        : raw.editMessageText({
            chat_id: chatId,
            message_id: messageId,
            text: html,
            parse_mode: 'HTML',
            link_preview_options: NO_LINK_PREVIEW,
          })
    ).then(toTrue, toFalse);
  }

  removeKeyboard(chatId: number, messageId: number, options?: CallOptions): Promise<void> {
    if (options?.final && this.#replying) return this.#removeKeyboardByReply(chatId, messageId);
    return this.#apiOf(options)
      .raw.editMessageReplyMarkup({ chat_id: chatId, message_id: messageId, reply_markup: NO_BUTTONS })
      .then(ignore, ignore);
  }

  answerCallback(callbackId: string, text?: string, options?: CallOptions): Promise<void> {
    if (options?.final && this.#replying) return this.#answerCallbackByReply(callbackId, text);
    return this.#apiOf(options)
      .raw.answerCallbackQuery(
        text ? { callback_query_id: callbackId, text } : { callback_query_id: callbackId },
      )
      .then(ignore, ignore);
  }

  /** True while the final call may be the webhook's response (see `#replied`). */
  get #replying(): boolean {
    return this.#reply !== undefined && !this.#reply.used;
  }

  /** {@link removeKeyboard}'s final call in webhook mode: the webhook's response if still unused. */
  async #removeKeyboardByReply(chatId: number, messageId: number): Promise<void> {
    const sent = await this.#replied('editMessageReplyMarkup', {
      chat_id: chatId,
      message_id: messageId,
      reply_markup: NO_BUTTONS,
    }).catch(sentAnyway);
    if (sent) return;
    await this.#apiOf(FINAL)
      .raw.editMessageReplyMarkup({ chat_id: chatId, message_id: messageId, reply_markup: NO_BUTTONS })
      .catch(ignore);
  }

  /** {@link answerCallback}'s final call in webhook mode: the webhook's response if still unused. */
  async #answerCallbackByReply(callbackId: string, text: string | undefined): Promise<void> {
    const sent = await this.#replied(
      'answerCallbackQuery',
      text ? { callback_query_id: callbackId, text } : { callback_query_id: callbackId },
    ).catch(sentAnyway);
    if (sent) return;
    await this.#apiOf(FINAL)
      .raw.answerCallbackQuery(
        text ? { callback_query_id: callbackId, text } : { callback_query_id: callbackId },
      )
      .catch(ignore);
  }
}

/** The options of a final call. */
const FINAL: CallOptions = { final: true };

/**
 * A {@link TelegramPort} over grammY's API clients: `api` for every call, and `finalApi` (the
 * update's own client, which carries grammY's webhook reply envelope in webhook mode) for the
 * update's final call, which then goes out as the webhook's response instead of an HTTP request.
 * With `reply` (webhook mode), that final call is written to the response directly.
 */
export function grammyPort(api: Api, finalApi: Api = api, reply?: WebhookReply): TelegramPort {
  return new GrammyPort(api, finalApi, reply);
}

/** The updates of one chat being handled: the last one's task, and how many are running or waiting. */
interface Clot {
  chain: Promise<void>;
  len: number;
}

/**
 * grammY runner's `sequentialize((ctx) => ctx.chat?.id.toString())`, for its one key per update:
 * the updates of a chat run one after the other, in the order they came, chats in parallel; an
 * update without a chat waits for nothing. The same steps as the runner's, without its arrays,
 * `Promise.all`, closure and string per update.
 */
export function perChat(): MiddlewareFn<Context> {
  // By chat id (a number: the runner's key is its string, one for one).
  const clots = new Map<number, Clot>();
  const run = async (key: number, before: Promise<void>, next: NextFunction): Promise<void> => {
    // A chat's first update (no update of it running) starts at once, without waiting a turn.
    if (before !== DONE)
      try {
        await before;
      } catch {
        // The update before rejected; it is awaited there (and its error reported) already.
      }
    try {
      await next();
    } finally {
      const clot = clots.get(key);
      if (clot !== undefined && --clot.len === 0) clots.delete(key);
    }
  };
  return (ctx, next) => {
    const key = ctx.chat?.id;
    if (key === undefined) return run0(next);
    let clot = clots.get(key);
    if (clot === undefined) {
      clot = { chain: DONE, len: 0 };
      clots.set(key, clot);
    }
    const task = run(key, clot.chain, next);
    clot.len++;
    clot.chain = task;
    return task;
  };
}

const DONE: Promise<void> = Promise.resolve();

/**
 * {@link perChat} for an update without a chat: it waits for no update (the runner's takes one turn
 * fewer to start it than a chat's update; such an update makes no call: the handler ignores it).
 */
async function run0(next: NextFunction): Promise<void> {
  await DONE;
  await next();
}

/** The bot's command menu in each language (`setMyCommands`). */
export function commandMenus(
  i18n: I18n,
): { language_code?: 'zh' | 'en'; commands: { command: string; description: string }[] }[] {
  const menu = (lang: Lang) => {
    const r = createRenderer(lang, i18n);
    return BOT_COMMANDS.map((command) => ({
      command,
      description: r.render({ key: `command.${command}.description` }),
    }));
  };
  return [
    { commands: menu('zh-CN') },
    { language_code: 'zh', commands: menu('zh-CN') },
    { language_code: 'en', commands: menu('en') },
  ];
}

/** Registers the command menu in Chinese (the default) and English. */
export async function registerCommands(api: Api, i18n: I18n): Promise<void> {
  for (const { language_code, commands } of commandMenus(i18n))
    await api.setMyCommands(commands, language_code ? { language_code } : {});
}

/** Creates the grammY bot. Updates of one chat are processed in order, chats in parallel. */
export function createGrammyBot(token: string, options: GrammyBotOptions): Bot {
  const client = options.client ?? createLightClient();
  const config: BotConfig<Context> = {
    client: {
      ...(options.apiRoot ? { apiRoot: options.apiRoot } : {}),
      // grammY's default client (node-fetch) costs more CPU per call than the whole rest of an update.
      fetch: client.fetch as unknown as typeof fetch,
      // In webhook mode, the update's final call (see `grammyPort`) is the webhook's response.
      canUseWebhookReply: (method) => WEBHOOK_REPLY_METHODS.has(method),
    },
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
  };
  const bot = new Bot(token, config);
  bot.api.config.use(
    directCalls(client.postJson, options.apiRoot ?? 'https://api.telegram.org', token),
    retrying(
      // 429 (with retry_after), 5xx and network failures are retried with backoff; the reply still goes out.
      autoRetry({
        maxRetryAttempts: 5,
        maxDelaySeconds: 30,
        rethrowInternalServerErrors: false,
        rethrowHttpErrors: true,
      }),
      // auto-retry retries network failures without bound; here they get a few attempts, then fail.
      networkRetry(),
    ),
  );
  bot.use(perChat());
  const rateLimiter = options.rateLimiter ?? createRateLimiter();
  const { engine, i18n, logger, defaultLang } = options;
  // The bot's identity, made once (grammY knows its id from its start on).
  let botId: string | undefined;
  let botIdOf: number | undefined;
  bot.use(async (ctx) => {
    const update = toChatUpdate(ctx.update);
    if (!update) return;
    const started = performance.now();
    const id = ctx.me.id;
    if (botId === undefined || botIdOf !== id) {
      botId = `telegram:${id}`;
      botIdOf = id;
    }
    // No look-up (nor identity hash of the update) in polling mode, where no update has a webhook reply.
    const port = new GrammyPort(
      bot.api,
      ctx.api,
      webhookReplies.size === 0 ? undefined : webhookReplies.get(ctx.update),
    );
    const deps: HandlerDeps = defaultLang
      ? {
          engine,
          i18n,
          port,
          botId,
          rateLimiter,
          defaultLang,
        }
      : {
          engine,
          i18n,
          port,
          botId,
          rateLimiter,
        };
    const handled = await handleChatUpdate(update, deps);
    logHandled(logger, ctx.update.update_id, update.chatId, handled, performance.now() - started);
  });
  bot.catch((error) => {
    options.logger.error(
      {
        update: error.ctx.update.update_id,
        err: error.error instanceof Error ? error.error.message : String(error.error),
      },
      'update failed',
    );
  });
  return bot;
}
