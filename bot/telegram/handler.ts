/**
 * One Telegram update, handled the same way whatever the framework (grammY or Telegraf): the
 * adapters turn their context into a {@link ChatUpdate} and give a {@link TelegramPort} to reply.
 * This file knows Telegram's conventions; it knows neither framework.
 */
import type { View } from '../../machines/view.js';
import type { Engine, Input, Meta, Turn } from '../engine.js';
import { createRenderer, DEFAULT_LANG, type I18n, isLang, type Lang, type Renderer } from '../i18n.js';
import { type Button, escapeHtml, keyboardOf, parseCallbackData, splitMessage, viewHtml } from './format.js';
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

/** The Telegram calls the handler makes; each adapter implements them with its framework's API. */
export interface TelegramPort {
  /** Sends an HTML message, with an inline keyboard if given; resolves to the message id. */
  sendMessage(chatId: number, html: string, keyboard?: readonly (readonly Button[])[]): Promise<number>;
  /** Removes the inline keyboard of a message (errors such as "message is not modified" are ignored). */
  removeKeyboard(chatId: number, messageId: number): Promise<void>;
  /** Answers a callback query (stops the button's spinner), with an optional short toast. */
  answerCallback(callbackId: string, text?: string): Promise<void>;
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

const KEYBOARD = 'keyboard';

/** Sends a view: its text split under the limit, the keyboard on the last message. */
async function sendView(
  chatId: number,
  view: View,
  seq: number,
  renderer: Renderer,
  port: TelegramPort,
): Promise<number | undefined> {
  const chunks = splitMessage(viewHtml(view, renderer));
  const keyboard = view.choices.length > 0 ? keyboardOf(view, seq, renderer) : undefined;
  let last: number | undefined;
  for (const [i, chunk] of chunks.entries()) {
    const isLast = i === chunks.length - 1;
    last = await port.sendMessage(chatId, chunk, isLast ? keyboard : undefined);
  }
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

/** Sends one short sentence; errors are reported, not thrown. */
async function sayTo(port: TelegramPort, chatId: number, lang: Lang, i18n: I18n, key: string): Promise<void> {
  await port.sendMessage(chatId, escapeHtml(createRenderer(lang, i18n).render({ key })));
}

/** Handles one update: applies it to the person's conversation and sends what to show. */
export async function handleChatUpdate(update: ChatUpdate, deps: HandlerDeps): Promise<Handled> {
  const { engine, i18n, port } = deps;
  const { chatId, input } = update;
  const lang = langOf(update.languageCode, deps.defaultLang);
  const say = (key: string) => sayTo(port, chatId, lang, i18n, key);
  const updateRef =
    update.updateId !== undefined ? { bot: deps.botId ?? 'telegram', id: update.updateId } : undefined;
  // A reply that changes no conversation is sent once, even if Telegram delivers the update twice.
  const firstDelivery = async () => (updateRef ? engine.claim(updateRef).catch(() => true) : true);

  if (!update.private) {
    if (input.kind === 'callback') await port.answerCallback(input.callbackId);
    if (input.kind !== 'command' && input.kind !== 'callback') return { kind: input.kind };
    if (!(await firstDelivery())) return { kind: input.kind, duplicate: true };
    await say('telegram.private-only');
    return { kind: input.kind };
  }
  const rate = deps.rateLimiter?.check(chatId) ?? 'ok';
  if (rate !== 'ok') {
    if (input.kind === 'callback') await port.answerCallback(input.callbackId);
    if (rate === 'warn') await say('telegram.slow-down');
    return { kind: input.kind, limited: true };
  }
  if (input.kind === 'edited' || input.kind === 'unsupported') {
    if (!(await firstDelivery())) return { kind: input.kind, duplicate: true };
    await say(input.kind === 'edited' ? 'telegram.edited' : 'telegram.unsupported');
    return { kind: input.kind };
  }

  const key = `${deps.keyPrefix ?? 'telegram'}:${chatId}`;
  const options =
    update.updateId !== undefined ? { update: { bot: deps.botId ?? 'telegram', id: update.updateId } } : {};
  let engineInput: Input;
  if (input.kind === 'callback') {
    await port.answerCallback(input.callbackId);
    const data = parseCallbackData(input.data);
    engineInput = data ? { choice: data.choice, seq: data.seq } : { choice: '', seq: -1 };
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
    await say('telegram.try-again');
    return { kind: input.kind, storeFailed: true };
  }
  if (turn.duplicate) return { kind: input.kind, duplicate: true, state: turn.view.state };

  try {
    // The tapped message's buttons have done their job (or are outdated), and so have the buttons of
    // the last question if it was answered by typing: remove them so old buttons don't linger.
    if (input.kind === 'callback' && input.messageId !== undefined)
      await port.removeKeyboard(chatId, input.messageId);
    const previous = turn.meta[KEYBOARD];
    if (typeof previous === 'number' && !(input.kind === 'callback' && input.messageId === previous))
      await port.removeKeyboard(chatId, previous);
    const viewLang = isLang(turn.view.lang) ? turn.view.lang : lang;
    const sent = await sendView(chatId, turn.view, turn.seq, createRenderer(viewLang, i18n), port);
    if (!turn.erased) {
      const { [KEYBOARD]: _old, ...rest } = turn.meta;
      const meta: Meta = sent === undefined ? rest : { ...rest, [KEYBOARD]: sent };
      if (JSON.stringify(meta) !== JSON.stringify(turn.meta)) await engine.remember(key, meta);
    }
  } catch (error) {
    return {
      kind: input.kind,
      state: turn.view.state,
      replyFailed: error instanceof Error ? error.message : String(error),
    };
  }
  return { kind: input.kind, state: turn.view.state };
}
