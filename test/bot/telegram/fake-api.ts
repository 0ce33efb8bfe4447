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
    const p = payload as { chat_id?: number; text?: string };
    const result =
      method === 'sendMessage'
        ? { message_id: ++messageId, date: 0, chat: { id: p.chat_id, type: 'private' }, text: p.text }
        : true;
    // biome-ignore lint/suspicious/noExplicitAny: the transformer must return grammY's generic response type.
    return { ok: true, result } as any;
  });
  return calls;
}

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

/** A tap on a button whose callback data is `data`, on message `messageId`. */
export function callbackUpdate(data: string, messageId: number, lang = 'zh-hans') {
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
      },
    },
  };
}

/** A sticker (something the consultation cannot read). */
export function stickerUpdate() {
  return {
    update_id: updateId++,
    message: {
      message_id: updateId,
      date: 0,
      chat: { id: 7, type: 'private', first_name: 'Test' },
      from: from('zh-hans'),
      sticker: {
        file_id: 'x',
        file_unique_id: 'x',
        type: 'regular',
        width: 1,
        height: 1,
        is_animated: false,
        is_video: false,
      },
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
