/** Telegram updates (as the Bot API sends them) reduced to a {@link ChatUpdate}, for any framework. */
import type { ChatInput, ChatUpdate } from './handler.js';

/** The parts of a Telegram message the consultation looks at. */
interface MessageLike {
  readonly chat: { readonly id: number; readonly type: string };
  readonly from?: { readonly language_code?: string };
  readonly text?: string;
}

/** The parts of an update the consultation looks at (grammY's and Telegraf's types both fit). */
export interface UpdateLike {
  readonly update_id?: number;
  readonly message?: MessageLike;
  readonly edited_message?: MessageLike;
  readonly callback_query?: {
    readonly id: string;
    readonly data?: string;
    readonly from?: { readonly language_code?: string };
    readonly message?: {
      readonly message_id: number;
      readonly chat: { readonly id: number; readonly type: string };
      readonly reply_markup?: {
        readonly inline_keyboard?: readonly (readonly {
          readonly text?: string;
          readonly callback_data?: string;
        }[])[];
      };
    };
  };
}

/** `/start`, `/back@LuohuBot` → `start`, `back`; undefined when the text is not a command. */
export function commandOf(text: string): string | undefined {
  const match = /^\/([a-zA-Z0-9_]{1,32})(?:@\w+)?(?:\s|$)/.exec(text.trim());
  return match ? (match[1] as string).toLowerCase() : undefined;
}

/** The label of the button with callback data `data` on the tapped message, if Telegram sent it. */
function labelOf(query: NonNullable<UpdateLike['callback_query']>): string | undefined {
  const rows = query.message?.reply_markup?.inline_keyboard;
  if (!Array.isArray(rows) || query.data === undefined) return undefined;
  for (const row of rows)
    for (const button of Array.isArray(row) ? row : [])
      if (button?.callback_data === query.data && typeof button.text === 'string') return button.text;
  return undefined;
}

/** The chat update of a Telegram update, or undefined for updates the bot ignores (polls, joins...). */
export function toChatUpdate(update: UpdateLike): ChatUpdate | undefined {
  const query = update.callback_query;
  if (query) {
    const chat = query.message?.chat;
    if (!chat) return undefined;
    const label = labelOf(query);
    const data = query.data ?? '';
    const messageId = query.message?.message_id;
    // The optional keys only when set, in this order (literals, not spreads: no objects in between).
    const input: ChatInput =
      query.message === undefined
        ? label
          ? { kind: 'callback', data, callbackId: query.id, label }
          : { kind: 'callback', data, callbackId: query.id }
        : label
          ? { kind: 'callback', data, callbackId: query.id, messageId, label }
          : { kind: 'callback', data, callbackId: query.id, messageId };
    return chatUpdateOf(chat, query.from, update.update_id, input);
  }
  const edited = update.edited_message;
  const message = update.message ?? edited;
  if (!message) return undefined;
  let input: ChatInput;
  if (edited) input = { kind: 'edited' };
  else if (typeof message.text === 'string') {
    const command = commandOf(message.text);
    input = command ? { kind: 'command', command } : { kind: 'text', text: message.text };
  } else input = { kind: 'unsupported' };
  return chatUpdateOf(message.chat, message.from, update.update_id, input);
}

/** The chat update of a chat, a sender and an update id: `languageCode` and `updateId` only when set. */
function chatUpdateOf(
  chat: { readonly id: number; readonly type: string },
  from: { readonly language_code?: string } | undefined,
  updateId: number | undefined,
  input: ChatInput,
): ChatUpdate {
  const chatId = chat.id;
  const isPrivate = chat.type === 'private';
  const languageCode = from?.language_code;
  if (languageCode)
    return updateId !== undefined
      ? { chatId, private: isPrivate, languageCode, updateId, input }
      : { chatId, private: isPrivate, languageCode, input };
  return updateId !== undefined
    ? { chatId, private: isPrivate, updateId, input }
    : { chatId, private: isPrivate, input };
}
