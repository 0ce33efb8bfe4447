/**
 * Shared harness of the hardening tests: a grammY bot over the local fake API (no network), a pino
 * logger writing into memory, updates with chosen chat and update ids, and temporary SQLite files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { pino } from 'pino';
import { Engine } from '../../bot/engine.js';
import { createI18n, createRenderer, type I18n, type Lang } from '../../bot/i18n.js';
import type { Logger } from '../../bot/log.js';
import type { ConversationStore } from '../../bot/storage/store.js';
import { MemoryStore } from '../../bot/storage/store.js';
import { escapeHtml } from '../../bot/telegram/format.js';
import { createGrammyBot } from '../../bot/telegram/grammy.js';
import type { RateLimiter } from '../../bot/telegram/rate-limit.js';
import { BOT_INFO, type Call, fakeApi } from '../bot/telegram/fake-api.js';

export { BOT_INFO, type Call };

/** The date every conversation is decided for. */
export const AS_OF = '2026-11-28';
export const i18n = createI18n();
/** The bot id under which grammY records processed updates (`telegram:<bot id>`). */
export const BOT_KEY = `telegram:${BOT_INFO.id}`;

/** A pino logger writing JSON lines into memory (no time, pid or host: only what the bot logs). */
export function memoryLogger(level = 'debug') {
  const lines: string[] = [];
  const logger: Logger = pino(
    { level, timestamp: false, base: undefined },
    { write: (line: string) => void lines.push(line) },
  );
  return {
    logger,
    lines,
    text: () => lines.join(''),
    records: () =>
      lines.map((l) => JSON.parse(l) as Record<string, unknown> & { level: number; msg: string }),
  };
}

/** A sentence of the locales, as the bot sends it (HTML-escaped). */
export function sentence(lang: Lang, key: string): string {
  return escapeHtml(createRenderer(lang, i18n).render({ key }));
}

let nextUpdateId = 1;
/** A fresh update id (unique within a test file). */
export const freshId = () => nextUpdateId++;

type ChatType = 'private' | 'group' | 'supergroup' | 'channel';
const chatOf = (id: number, type: ChatType = 'private') =>
  type === 'private' ? { id, type, first_name: 'Test' } : { id, type, title: 'g' };
const fromOf = (id: number, lang = 'zh-hans') => ({
  id,
  is_bot: false,
  first_name: 'Test',
  language_code: lang,
});

export interface UpdateOptions {
  readonly id?: number;
  readonly lang?: string;
  readonly chatType?: ChatType;
}

/** A text message (or command) in chat `chatId`. */
export function textMsg(chatId: number, text: string, o: UpdateOptions = {}) {
  const update_id = o.id ?? freshId();
  return {
    update_id,
    message: {
      message_id: update_id,
      date: 0,
      chat: chatOf(chatId, o.chatType),
      from: fromOf(chatId, o.lang),
      text,
    },
  };
}

/**
 * A tap on a button with callback data `data`, on message `messageId` of chat `chatId` (showing
 * `keyboard`, as Telegram sends it, when given).
 */
export function tapMsg(
  chatId: number,
  data: string,
  messageId: number,
  o: UpdateOptions = {},
  keyboard?: Keyboard,
) {
  const update_id = o.id ?? freshId();
  return {
    update_id,
    callback_query: {
      id: `cb${update_id}`,
      from: fromOf(chatId, o.lang),
      chat_instance: '1',
      data,
      message: {
        message_id: messageId,
        date: 0,
        chat: chatOf(chatId, o.chatType),
        text: '…',
        ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      },
    },
  };
}

export type Keyboard = { text: string; callback_data: string }[][];
export const sendCalls = (calls: readonly Call[], chatId?: number) =>
  calls.filter((c) => c.method === 'sendMessage' && (chatId === undefined || c.payload.chat_id === chatId));
export const keyboardOf = (call: Call | undefined): Keyboard =>
  (call?.payload.reply_markup as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ?? [];
export const textOf = (call: Call | undefined) => String(call?.payload.text ?? '');
/**
 * The calls that showed a view to the person in `chatId` (or any chat): messages sent, and messages
 * edited into the next view (a tap on the current question edits the tapped message).
 */
export const shownCalls = (calls: readonly Call[], chatId?: number) =>
  calls.filter(
    (c) =>
      (c.method === 'sendMessage' || c.method === 'editMessageText') &&
      (chatId === undefined || c.payload.chat_id === chatId),
  );
/** The message id the fake API gave to a sendMessage call (numbered 1001, 1002...), or that an edit changed. */
export const shownMessageId = (calls: readonly Call[], call: Call): number =>
  call.method === 'sendMessage'
    ? 1001 + sendCalls(calls.slice(0, calls.indexOf(call))).length
    : Number(call.payload.message_id);

/** A grammY bot over `store` with the in-process fake API. */
export function harness(
  options: {
    store?: ConversationStore;
    logger?: Logger;
    rateLimiter?: RateLimiter;
    now?: () => Date;
    token?: string;
    /** Sentences with an agency's overrides (`createI18n(overrides)`). */
    i18n?: I18n;
  } = {},
) {
  const store = options.store ?? new MemoryStore();
  const sentences = options.i18n ?? i18n;
  const engine = new Engine({
    store,
    i18n: sentences,
    today: () => AS_OF,
    ...(options.now ? { now: options.now } : {}),
  });
  const log = memoryLogger();
  const bot: Bot = createGrammyBot(options.token ?? '123:TEST', {
    engine,
    i18n: sentences,
    logger: options.logger ?? log.logger,
    botInfo: BOT_INFO,
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
  });
  const calls = fakeApi(bot);
  const handle = (update: unknown) => bot.handleUpdate(update as Update);
  /** The message id of a recorded sendMessage call (given by the fake API), or of the message an edit changed. */
  const messageIdOf = (call: Call) => shownMessageId(calls, call);
  /** The last view shown to `chatId` (sent, or edited into a tapped message) that carries buttons. */
  const lastKeyboard = (chatId: number) =>
    shownCalls(calls, chatId).findLast((c) => keyboardOf(c).length > 0);
  /** Taps the button labelled `label` (or the `label`-th button) on the last keyboard of `chatId`. */
  const tap = async (chatId: number, label: string | number, o: UpdateOptions = {}) => {
    const call = lastKeyboard(chatId);
    const buttons = keyboardOf(call).flat();
    const button = typeof label === 'number' ? buttons[label] : buttons.find((b) => b.text === label);
    if (!call || !button) throw new Error(`no button ${label} in ${JSON.stringify(buttons)}`);
    const update = tapMsg(chatId, button.callback_data, messageIdOf(call), o, keyboardOf(call));
    await handle(update);
    return update;
  };
  return { bot, engine, store, calls, handle, tap, lastKeyboard, messageIdOf, log };
}

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix = 'luohu-hardening-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: join(dir, 'luohu.sqlite'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Resolves after `ms` real milliseconds. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Rejects when `promise` has not settled after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
