/**
 * One Telegram update, handled the same way whatever the framework (grammY or Telegraf): the
 * adapters turn their context into a {@link ChatUpdate} and give a {@link TelegramPort} to reply.
 * This file knows Telegram's conventions; it knows neither framework.
 */
import type { Engine, Input, Meta, Turn } from '../engine.js';
import { createRenderer, DEFAULT_LANG, type I18n, isLang, type Lang, type Renderer } from '../i18n.js';
import type { UpdateRef } from '../storage/store.js';
import {
  type Button,
  escapeHtml,
  keyboardOf,
  parseCallbackData,
  SPLIT_AT,
  splitMessage,
  viewHtml,
} from './format.js';
import type { RateLimiter } from './rate-limit.js';

/** What the person did, as far as the consultation is concerned. */
export type ChatInput =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'command'; readonly command: string }
  | {
      readonly kind: 'callback';
      readonly data: string;
      readonly callbackId: string;
      readonly messageId?: number;
      /** The tapped button's label, when Telegram sent the message with its keyboard. */
      readonly label?: string;
    }
  /** A sticker, photo, voice message, location, file...: nothing the consultation can read. */
  | { readonly kind: 'unsupported' }
  /** An edited message: answers are not changed by editing. */
  | { readonly kind: 'edited' };

/** An update, reduced to what the consultation needs. */
export interface ChatUpdate {
  readonly chatId: number;
  /** False in groups and channels: the bot works in private chats only. */
  readonly private: boolean;
  /** The person's Telegram language (`language_code`), for a new conversation. */
  readonly languageCode?: string;
  /** Telegram's `update_id`: a redelivered update is recognised by it and changes nothing. */
  readonly updateId?: number;
  readonly input: ChatInput;
}

/**
 * How a call is made. `final`: the update's last call, made once the update is stored, whose result
 * is not needed; in webhook mode the adapter may send it as the webhook's response (one HTTP call
 * less), which tells Telegram the update is handled: the handler marks a call final only after
 * the engine committed the update.
 */
export interface CallOptions {
  readonly final?: boolean;
}

/** The Telegram calls the handler makes; each adapter implements them with its framework's API. */
export interface TelegramPort {
  /** Sends an HTML message, with an inline keyboard if given; resolves to the message id. */
  sendMessage(chatId: number, html: string, keyboard?: readonly (readonly Button[])[]): Promise<number>;
  /**
   * Replaces a message's HTML text and inline keyboard (none if not given); resolves to false when
   * Telegram refuses (message too old or gone, nothing changed...), never rejects.
   */
  editMessage(
    chatId: number,
    messageId: number,
    html: string,
    keyboard?: readonly (readonly Button[])[],
  ): Promise<boolean>;
  /** Removes the inline keyboard of a message (errors such as "message is not modified" are ignored). */
  removeKeyboard(chatId: number, messageId: number, options?: CallOptions): Promise<void>;
  /** Answers a callback query (stops the button's spinner), with an optional short toast; never rejects. */
  answerCallback(callbackId: string, text?: string, options?: CallOptions): Promise<void>;
}

/** What the handler needs. */
export interface HandlerDeps {
  readonly engine: Engine;
  readonly i18n: I18n;
  readonly port: TelegramPort;
  /** Language for people whose Telegram language is neither Chinese nor English. */
  readonly defaultLang?: Lang;
  /** Key prefix of conversations in the store (one namespace per bot). */
  readonly keyPrefix?: string;
  /** The bot's identity for remembering processed updates (e.g. `telegram:<bot id>`). */
  readonly botId?: string;
  /** Slows down a flood from one account. */
  readonly rateLimiter?: RateLimiter;
}

/** The commands registered with Telegram, in menu order. */
export const BOT_COMMANDS = ['start', 'restart', 'back', 'summary', 'language', 'delete', 'help'] as const;

/** The consultation language for a Telegram `language_code`. */
export function langOf(languageCode: string | undefined, fallback: Lang = DEFAULT_LANG): Lang {
  if (!languageCode) return fallback;
  const code = languageCode.toLowerCase();
  if (code.startsWith('zh')) return 'zh-CN';
  if (code.startsWith('en')) return 'en';
  return fallback;
}

/** Meta: the message that shows the current keyboard. */
const KEYBOARD = 'keyboard';
/** Meta: set when that message is the last part of a view split in several messages. */
const KEYBOARD_SPLIT = 'keyboardSplit';
/** The longest button label echoed back. */
const LABEL_MAX = 100;

/** Sends a view's messages (split under the limit, the keyboard on the last); resolves to its id. */
async function sendChunks(
  chatId: number,
  chunks: readonly string[],
  keyboard: Button[][] | undefined,
  port: TelegramPort,
): Promise<number | undefined> {
  let last: number | undefined;
  const lastIndex = chunks.length - 1;
  for (let i = 0; i <= lastIndex; i++)
    last = await port.sendMessage(chatId, chunks[i] as string, i === lastIndex ? keyboard : undefined);
  return keyboard ? last : undefined;
}

/** The engine input of a command; `start` shows the current view. */
function commandInput(command: string): Input | 'start' | undefined {
  switch (command) {
    case 'start':
      return 'start';
    case 'restart':
    case 'back':
    case 'summary':
    case 'language':
    case 'delete':
    case 'help':
      return { command };
    default:
      return undefined;
  }
}

/** What happened to an update, for the log (never the content). */
export interface Handled {
  readonly kind: ChatInput['kind'];
  /** The machine state shown after it, e.g. `active.interview`. */
  readonly state?: string;
  readonly duplicate?: boolean;
  readonly limited?: boolean;
  /** The store failed: the person was asked to try again, nothing was written. */
  readonly storeFailed?: boolean;
  /** Telegram refused a reply (e.g. 403: the person blocked the bot); the state was still saved. */
  readonly replyFailed?: string;
}

/** Renderers by i18n instance and language: the handler does not read which sentences were missing. */
const renderers = new WeakMap<I18n, Map<Lang, Renderer>>();

/** The handler's renderer for `lang` (one per i18n instance and language, made once). */
function rendererOf(i18n: I18n, lang: Lang): Renderer {
  let byLang = renderers.get(i18n);
  if (byLang === undefined) {
    byLang = new Map();
    renderers.set(i18n, byLang);
  }
  let renderer = byLang.get(lang);
  if (renderer === undefined) {
    renderer = createRenderer(lang, i18n);
    byLang.set(lang, renderer);
  }
  return renderer;
}

/** Sends one short sentence. */
async function sayTo(port: TelegramPort, chatId: number, lang: Lang, i18n: I18n, key: string): Promise<void> {
  await port.sendMessage(chatId, escapeHtml(rendererOf(i18n, lang).render({ key })));
}

/**
 * Handles one update: applies it to the person's conversation and shows what comes next. Nothing
 * that could acknowledge the update (a webhook reply) is sent before the engine has committed it:
 * a tap's spinner is answered last, as the update's final call.
 */
export function handleChatUpdate(update: ChatUpdate, deps: HandlerDeps): Promise<Handled> {
  const { input } = update;
  return input.kind === 'callback' ? handleTap(update, deps, input.callbackId) : handle(update, deps);
}

/** {@link handleChatUpdate} of a tap: its spinner answered last, whatever happened. */
async function handleTap(update: ChatUpdate, deps: HandlerDeps, callbackId: string): Promise<Handled> {
  try {
    return await handle(update, deps);
  } finally {
    await deps.port.answerCallback(callbackId, undefined, FINAL);
  }
}

const FINAL: CallOptions = { final: true };
/** A call that is not the update's final one. */
const NOT_FINAL: CallOptions = {};

/** A reply that changes no conversation is sent once, even if Telegram delivers the update twice. */
async function firstDelivery(engine: Engine, updateRef: UpdateRef | undefined): Promise<boolean> {
  return updateRef ? engine.claim(updateRef).catch(() => true) : true;
}

/**
 * True when the meta {@link handle} would build from `old` (its other entries, then the keyboard's
 * message `sent` and, with `split`, the split mark) is what `old` already holds, in the same order.
 */
function keepsMeta(old: Meta, sent: number | undefined, split: boolean): boolean {
  // 0: the other entries, 1: after the keyboard's entry, 2: after the split mark.
  let stage = 0;
  for (const name in old) {
    if (!Object.hasOwn(old, name)) continue;
    const value = old[name];
    if (name === KEYBOARD) {
      if (stage !== 0 || sent === undefined || value !== sent) return false;
      stage = 1;
    } else if (name === KEYBOARD_SPLIT) {
      if (stage !== 1 || !split || value !== 1) return false;
      stage = 2;
    } else if (stage !== 0 || Number.isNaN(value)) return false;
  }
  return stage === (sent === undefined ? 0 : split ? 2 : 1);
}

/** A redelivery of an update already handled: it does not count against the person's rate limit. */
function redelivered(deps: HandlerDeps, chatId: number, kind: ChatInput['kind'], state?: string): Handled {
  deps.rateLimiter?.refund?.(chatId);
  return state === undefined ? { kind, duplicate: true } : { kind, duplicate: true, state };
}

const NO_OPTIONS = {};

async function handle(update: ChatUpdate, deps: HandlerDeps): Promise<Handled> {
  const { engine, i18n, port } = deps;
  const { chatId, input } = update;
  const lang = langOf(update.languageCode, deps.defaultLang);
  const updateRef =
    update.updateId !== undefined ? { bot: deps.botId ?? 'telegram', id: update.updateId } : undefined;

  if (!update.private) {
    if (input.kind !== 'command' && input.kind !== 'callback') return { kind: input.kind };
    if (!(await firstDelivery(engine, updateRef))) return { kind: input.kind, duplicate: true };
    await sayTo(port, chatId, lang, i18n, 'telegram.private-only');
    return { kind: input.kind };
  }
  const rate = deps.rateLimiter?.check(chatId) ?? 'ok';
  if (rate !== 'ok') {
    if (rate === 'warn') await sayTo(port, chatId, lang, i18n, 'telegram.slow-down');
    return { kind: input.kind, limited: true };
  }
  if (input.kind === 'edited' || input.kind === 'unsupported') {
    if (!(await firstDelivery(engine, updateRef))) return redelivered(deps, chatId, input.kind);
    await sayTo(
      port,
      chatId,
      lang,
      i18n,
      input.kind === 'edited' ? 'telegram.edited' : 'telegram.unsupported',
    );
    return { kind: input.kind };
  }

  const key = `${deps.keyPrefix ?? 'telegram'}:${chatId}`;
  const options = updateRef !== undefined ? { update: updateRef } : NO_OPTIONS;
  let engineInput: Input;
  if (input.kind === 'callback') {
    // The parsed data is the input as it is (a new object, read only by the engine).
    engineInput = parseCallbackData(input.data) ?? { choice: '', seq: -1 };
  } else {
    const command = input.kind === 'command' ? commandInput(input.command) : undefined;
    engineInput =
      command === 'start'
        ? { show: true }
        : (command ?? { text: input.kind === 'text' ? input.text : `/${input.command}` });
  }

  let turn: Turn;
  try {
    turn = await engine.send(key, engineInput, lang, options);
  } catch {
    // The store is busy, full or read-only: nothing was written (one transaction per update).
    await sayTo(port, chatId, lang, i18n, 'telegram.try-again');
    return { kind: input.kind, storeFailed: true };
  }
  if (turn.duplicate) return redelivered(deps, chatId, input.kind, turn.view.state);

  try {
    const viewLang = isLang(turn.view.lang) ? turn.view.lang : lang;
    const renderer = rendererOf(i18n, viewLang);
    const { view } = turn;
    const keyboard = view.choices.length > 0 ? keyboardOf(view, turn.seq, renderer) : undefined;
    const html = viewHtml(view, renderer);
    const previous = turn.meta[KEYBOARD];
    const tapped = input.kind === 'callback' ? input.messageId : undefined;
    let sent: number | undefined;
    let split = false;
    let edited = false;
    // A tap on the current question's buttons: that message becomes the next view (one call instead
    // of removing its buttons and sending a new message), headed by the answer given, so the chat
    // still shows it. Not for a stale tap, nor a message that ends a longer view, nor a view too long.
    if (
      tapped !== undefined &&
      tapped === previous &&
      turn.meta[KEYBOARD_SPLIT] === undefined &&
      !turn.stale &&
      !turn.erased
    ) {
      const label = input.kind === 'callback' ? input.label?.slice(0, LABEL_MAX) : undefined;
      const echo = label
        ? `<i>${escapeHtml(renderer.render({ key: 'telegram.chosen', params: { choice: label } }))}</i>\n\n`
        : '';
      // One message or none: a longer view (a result, mostly) is not joined and split to find out
      // (`splitMessage` keeps a text under its limit whole, and cuts a longer one, which has no
      // blank lines to drop at its start).
      if (echo.length + html.length <= SPLIT_AT) {
        const [only] = splitMessage(`${echo}${html}`);
        if (await port.editMessage(chatId, tapped, only as string, keyboard)) {
          edited = true;
          sent = keyboard ? tapped : undefined;
        }
      }
    }
    if (!edited) {
      const chunks = splitMessage(html);
      if (chunks.length === 1) {
        // One message (the usual case): what sendChunks does, without its own promise.
        const id = await port.sendMessage(chatId, chunks[0] as string, keyboard);
        sent = keyboard ? id : undefined;
      } else {
        sent = await sendChunks(chatId, chunks, keyboard, port);
        split = sent !== undefined;
      }
    }
    if (!turn.erased && !keepsMeta(turn.meta, sent, split)) {
      // The channel's other entries, then the message that shows the keyboard.
      const old = turn.meta;
      const meta: Record<string, string | number> = {};
      for (const name in old)
        if (name !== KEYBOARD && name !== KEYBOARD_SPLIT && Object.hasOwn(old, name))
          meta[name] = old[name] as string | number;
      if (sent !== undefined) {
        meta[KEYBOARD] = sent;
        if (split) meta[KEYBOARD_SPLIT] = 1;
      }
      await engine.remember(key, meta);
    }
    // Buttons that have done their job (the tapped message's when it was not edited, and the last
    // question's when it was answered by typing) are removed, so old buttons don't linger. The last
    // removal is the update's final call when no spinner is to be answered.
    const first = typeof tapped === 'number' && tapped !== sent && !edited ? tapped : undefined;
    const second =
      typeof previous === 'number' && previous !== sent && previous !== tapped ? previous : undefined;
    const last = input.kind !== 'callback' ? FINAL : NOT_FINAL;
    if (first !== undefined)
      await port.removeKeyboard(chatId, first, second === undefined ? last : NOT_FINAL);
    if (second !== undefined) await port.removeKeyboard(chatId, second, last);
  } catch (error) {
    return {
      kind: input.kind,
      state: turn.view.state,
      replyFailed: error instanceof Error ? error.message : String(error),
    };
  }
  return { kind: input.kind, state: turn.view.state };
}
