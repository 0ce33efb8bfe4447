/**
 * Luohu as a Telegraf middleware, for agencies that already run a Telegraf bot. The only file that
 * knows Telegraf; updates are handled by the same `handler.ts` as the grammY bot.
 *
 * ```ts
 * import { Telegraf } from 'telegraf';
 * import { createTelegrafMiddleware, SqliteStore } from 'luohu';
 *
 * const bot = new Telegraf(process.env.BOT_TOKEN!);
 * bot.use(createTelegrafMiddleware({ store: new SqliteStore({ dataDir: './data' }), command: 'consult' }));
 * bot.launch();
 * ```
 */
import type { Context, MiddlewareFn, Telegram } from 'telegraf';
import { Engine } from '../engine.js';
import { createI18n, type I18n, type Lang, type LocaleOverrides } from '../i18n.js';
import type { ConversationStore } from '../storage/store.js';
import { MemoryStore } from '../storage/store.js';
import { type Button, parseCallbackData } from './format.js';
import { handleChatUpdate, type TelegramPort } from './handler.js';
import { createRateLimiter } from './rate-limit.js';
import { withRetry } from './retry.js';
import { toChatUpdate } from './update.js';

/** Options of {@link createTelegrafMiddleware}. */
export interface TelegrafMiddlewareOptions {
  /**
   * Where conversations are kept. Default: in memory.
   *
   * **WARNING:** the default loses every conversation when the process restarts; pass a
   * `SqliteStore` (or your own `ConversationStore`) in production.
   */
  readonly store?: ConversationStore;
  /**
   * Mount under a command (without the slash, e.g. `consult`): `/consult` opens the consultation,
   * and the chat's messages go to Luohu only while a consultation is open there; everything else
   * goes on to your other middleware. Default: Luohu handles every update (`/start` included).
   */
  readonly command?: string;
  /** Replace any sentence, per language (your agency's wording and branding). */
  readonly locales?: LocaleOverrides;
  /** Language for people whose Telegram language is neither Chinese nor English. */
  readonly defaultLang?: Lang;
  /** Policy edition of new conversations. */
  readonly policy?: string;
  /** Today's date `YYYY-MM-DD`; default: today in Asia/Shanghai. */
  readonly today?: () => string;
  /** Key prefix in the store, to share one store between bots. Default `telegraf`. */
  readonly keyPrefix?: string;
}

const markupOf = (keyboard: readonly (readonly Button[])[] | undefined) =>
  keyboard ? { reply_markup: { inline_keyboard: keyboard.map((row) => [...row]) } } : {};

/**
 * A {@link TelegramPort} over Telegraf's API client. With Telegraf's `webhookReply` on (its default),
 * the answer to a callback query goes out as the webhook's response: the handler makes it the
 * update's final call, after the update is stored.
 */
export function telegrafPort(telegram: Telegram): TelegramPort {
  return {
    async sendMessage(chatId, html, keyboard) {
      const message = await withRetry(() =>
        telegram.sendMessage(chatId, html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...markupOf(keyboard),
        }),
      );
      return message.message_id;
    },
    async editMessage(chatId, messageId, html, keyboard) {
      const edit = () =>
        telegram.editMessageText(chatId, messageId, undefined, html, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...markupOf(keyboard),
        });
      return withRetry(edit).then(
        () => true,
        () => false,
      );
    },
    async removeKeyboard(chatId, messageId) {
      const remove = () =>
        telegram.editMessageReplyMarkup(chatId, messageId, undefined, { inline_keyboard: [] });
      await withRetry(remove).catch(() => {});
    },
    async answerCallback(callbackId, text) {
      await withRetry(() => telegram.answerCbQuery(callbackId, text)).catch(() => {});
    },
  };
}

/** Per-chat queues: updates of one chat are handled one at a time, in order. */
function serialiser() {
  const tails = new Map<number, Promise<unknown>>();
  return async <T>(chatId: number, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(chatId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => {});
    tails.set(chatId, tail);
    try {
      return await run;
    } finally {
      if (tails.get(chatId) === tail) tails.delete(chatId);
    }
  };
}

/** Creates the Telegraf middleware. */
export function createTelegrafMiddleware(options: TelegrafMiddlewareOptions = {}): MiddlewareFn<Context> {
  const i18n: I18n = createI18n(options.locales);
  const store = options.store ?? new MemoryStore();
  const engine = new Engine({
    store,
    i18n,
    ...(options.today ? { today: options.today } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const keyPrefix = options.keyPrefix ?? 'telegraf';
  const inOrder = serialiser();
  const rateLimiter = createRateLimiter();

  return async (ctx, next) => {
    const update = toChatUpdate(ctx.update as Parameters<typeof toChatUpdate>[0]);
    if (!update) return next();
    if (options.command) {
      const { input } = update;
      const isOurs =
        input.kind === 'callback'
          ? parseCallbackData(input.data) !== undefined
          : input.kind === 'command' && input.command === options.command
            ? true
            : update.private &&
              (await engine.has(`${keyPrefix}:${update.chatId}`)) &&
              (input.kind !== 'command' || input.command !== 'start');
      if (!isOurs) return next();
    }
    const chatUpdate =
      options.command && update.input.kind === 'command' && update.input.command === options.command
        ? { ...update, input: { kind: 'command' as const, command: 'start' } }
        : update;
    await inOrder(update.chatId, () =>
      handleChatUpdate(chatUpdate, {
        engine,
        i18n,
        port: telegrafPort(ctx.telegram),
        keyPrefix,
        botId: `${keyPrefix}:${ctx.botInfo?.id ?? 'bot'}`,
        rateLimiter,
        ...(options.defaultLang ? { defaultLang: options.defaultLang } : {}),
      }),
    );
  };
}
