/**
 * A grammY API transformer that answers every Bot API call locally and records it: no network.
 */
import type { Bot } from 'grammy';

/** One recorded Bot API call. */
export interface Call {
  readonly method: string;
  readonly payload: Record<string, unknown>;
}

/** The bot's identity in tests: the one the benchmarks use. */
export { BOT_INFO } from '../../../bench/fake-telegram.js';

/** Installs the fake API on `bot`; returns the list that records every call. */
export function fakeApi(bot: Bot): Call[] {
  const calls: Call[] = [];
  let messageId = 1000;
  bot.api.config.use(async (_prev, method, payload) => {
    calls.push({ method, payload: payload as Record<string, unknown> });
    const p = payload as { chat_id?: number; text?: string; message_id?: number };
    const result =
      method === 'sendMessage'
        ? { message_id: ++messageId, date: 0, chat: { id: p.chat_id, type: 'private' }, text: p.text }
        : method === 'editMessageText'
          ? { message_id: p.message_id, date: 0, chat: { id: p.chat_id, type: 'private' }, text: p.text }
          : true;
    // biome-ignore lint/suspicious/noExplicitAny: the transformer must return grammY's generic response type.
    return { ok: true, result } as any;
  });
  return calls;
}

/** An inline keyboard as sent. */
export type Keyboard = { text: string; callback_data: string }[][];

/** A message as it stands after the recorded calls (messages are numbered 1001, 1002...). */
export interface FakeMessage {
  readonly messageId: number;
  text: string;
  keyboard: Keyboard;
}

const keyboardIn = (payload: Record<string, unknown>): Keyboard =>
  ((payload.reply_markup as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ?? []) as Keyboard;

/** Replays `calls`: every message sent, with its text and keyboard after any edits. */
export function messagesOf(calls: readonly Call[]): FakeMessage[] {
  const messages: FakeMessage[] = [];
  for (const { method, payload } of calls) {
    if (method === 'sendMessage')
      messages.push({
        messageId: 1001 + messages.length,
        text: String(payload.text),
        keyboard: keyboardIn(payload),
      });
    const m = messages.find((x) => x.messageId === payload.message_id);
    if (m && method === 'editMessageText') {
      m.text = String(payload.text);
      m.keyboard = keyboardIn(payload);
    }
    if (m && method === 'editMessageReplyMarkup') m.keyboard = keyboardIn(payload);
  }
  return messages;
}

/** The calls that showed something to the person: messages sent, and messages edited into a new view. */
export const shownOf = (calls: readonly Call[]) =>
  calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText');

let updateId = 1;
const from = (lang: string) => ({ id: 7, is_bot: false, first_name: 'Test', language_code: lang });

/** A private text message from the test user. */
export function textUpdate(text: string, options: { lang?: string; chatType?: string } = {}) {
  const chat = {
    id: 7,
    type: options.chatType ?? 'private',
    ...(options.chatType && options.chatType !== 'private' ? { title: 'g' } : { first_name: 'Test' }),
  };
  return {
    update_id: updateId++,
    message: { message_id: updateId, date: 0, chat, from: from(options.lang ?? 'zh-hans'), text },
  };
}

/** A tap on a button whose callback data is `data`, on message `messageId` (showing `keyboard`). */
export function callbackUpdate(data: string, messageId: number, lang = 'zh-hans', keyboard?: Keyboard) {
  return {
    update_id: updateId++,
    callback_query: {
      id: `cb${updateId}`,
      from: from(lang),
      chat_instance: '1',
      data,
      message: {
        message_id: messageId,
        date: 0,
        chat: { id: 7, type: 'private', first_name: 'Test' },
        text: '…',
        ...(keyboard ? { reply_markup: { inline_keyboard: keyboard } } : {}),
      },
    },
  };
}

/** A sticker as Telegram sends it (something the consultation cannot read). */
export const STICKER = {
  file_id: 'x',
  file_unique_id: 'x',
  type: 'regular',
  width: 1,
  height: 1,
  is_animated: false,
  is_video: false,
} as const;

/** A sticker (something the consultation cannot read). */
export function stickerUpdate() {
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: 0,
      chat: { id: 7, type: 'private', first_name: 'Test' },
      from: from('zh-hans'),
      sticker: STICKER,
    },
  };
}

/** An edited message. */
export function editedUpdate(text: string) {
  return {
    update_id: updateId++,
    edited_message: {
      message_id: 5,
      date: 0,
      edit_date: 1,
      chat: { id: 7, type: 'private', first_name: 'Test' },
      from: from('zh-hans'),
      text,
    },
  };
}
