/**
 * A Telegram user talking to the bot through a {@link BotApiStub}: builds the updates Telegram would
 * send (text messages, button taps on the bot's real messages), hands them to the bot with a
 * {@link Deliver} function (long polling, webhook or in-process), and returns what the bot sent back.
 */
import type { ApiCall, BotApiStub, Button, StubMessage, Update } from './bot-api-stub.js';

/** Hands an update to the bot and resolves once the bot has handled it. */
export type Deliver = (update: Update) => Promise<void>;

/** Options of {@link Person}. */
export interface PersonOptions {
  readonly chatId?: number;
  /** Telegram's `language_code` of the user. Default `zh-hans`. */
  readonly lang?: string;
  /** Default `private`. */
  readonly chatType?: 'private' | 'group';
}

let nextUpdateId = 1;
let nextUserMessageId = 1;

/** A fresh `update_id`, unique in this test process. */
export const newUpdateId = () => nextUpdateId++;

/** A message as the bot showed it in a reply: sent, or an earlier one edited into a new view. */
export interface Shown {
  readonly message: StubMessage;
  /** The `sendMessage` or `editMessageText` call that showed it (its payload: the text as shown then). */
  readonly call: ApiCall;
}

/** What the bot did in answer to one update. */
export interface Reply {
  /** The messages it showed (sent, or edited into a new view), in order. */
  readonly messages: StubMessage[];
  /** The same, with the call that showed each. */
  readonly shown: Shown[];
  /** Every Bot API call it made for this chat (and callback answers). */
  readonly calls: ApiCall[];
  /** The update that was delivered. */
  readonly update: Update;
}

/** The labels of a keyboard, flattened. */
export const labelsOf = (keyboard: readonly (readonly Button[])[]) => keyboard.flat().map((b) => b.text);

export class Person {
  readonly chatId: number;
  readonly lang: string;
  readonly chatType: 'private' | 'group';

  constructor(
    readonly stub: BotApiStub,
    public deliver: Deliver,
    options: PersonOptions = {},
  ) {
    this.chatId = options.chatId ?? 7;
    this.lang = options.lang ?? 'zh-hans';
    this.chatType = options.chatType ?? 'private';
  }

  get #from() {
    return { id: Math.abs(this.chatId), is_bot: false, first_name: 'Test', language_code: this.lang };
  }

  get #chat() {
    return this.chatType === 'private'
      ? { id: this.chatId, type: 'private', first_name: 'Test' }
      : { id: this.chatId, type: 'group', title: 'Group' };
  }

  /** The update of a text message (not delivered). */
  textUpdate(text: string): Update {
    return {
      update_id: newUpdateId(),
      message: {
        message_id: nextUserMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: this.#chat,
        from: this.#from,
        text,
        ...(text.startsWith('/')
          ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]?.length ?? 0 }] }
          : {}),
      },
    };
  }

  /** The update of a tap on a button with `data` under the bot's message `message` (not delivered). */
  callbackUpdate(
    data: string,
    message: Pick<StubMessage, 'message_id'> & Partial<Pick<StubMessage, 'text' | 'keyboard'>>,
  ): Update {
    return {
      update_id: newUpdateId(),
      callback_query: {
        id: `cq-${nextUpdateId}-${Date.now()}`,
        from: this.#from,
        chat_instance: String(this.chatId),
        data,
        message: {
          message_id: message.message_id,
          date: Math.floor(Date.now() / 1000),
          chat: this.#chat,
          from: this.stub.calls.find((c) => c.method === 'getMe')?.response?.body ?? { id: 1, is_bot: true },
          text: message.text ?? '…',
          ...(message.keyboard?.length ? { reply_markup: { inline_keyboard: message.keyboard } } : {}),
        },
      },
    };
  }

  /** Delivers `update` and returns what the bot did for this chat meanwhile. */
  async send(update: Update): Promise<Reply> {
    const since = this.stub.calls.length;
    await this.deliver(update);
    const calls = this.stub.calls
      .slice(since)
      .filter(
        (c) =>
          c.method !== 'getUpdates' &&
          (Number(c.payload.chat_id) === this.chatId || c.method === 'answerCallbackQuery'),
      );
    const shown = calls
      .filter(
        (c) => c.method === 'sendMessage' || (c.method === 'editMessageText' && c.response?.status === 200),
      )
      .map((call) => {
        const id = (call.response?.body as { result?: { message_id?: number } } | undefined)?.result
          ?.message_id;
        const message = id === undefined ? undefined : this.stub.messages.get(id);
        if (!message) throw new Error(`${call.method} #${call.index} was not answered`);
        return { message, call };
      });
    return { messages: shown.map((s) => s.message), shown, calls, update };
  }

  /** Types `text`. */
  say(text: string): Promise<Reply> {
    return this.send(this.textUpdate(text));
  }

  /** The newest of the bot's messages here that shows a button labelled `label`. */
  messageWith(label: string): { message: StubMessage; button: Button } {
    for (const message of this.stub.messagesOf(this.chatId).reverse()) {
      const button = message.keyboard.flat().find((b) => b.text === label);
      if (button) return { message, button };
    }
    const shown = this.stub
      .messagesOf(this.chatId)
      .filter((m) => m.keyboard.length > 0)
      .map((m) => `#${m.message_id}: ${labelsOf(m.keyboard).join(' | ')}`);
    throw new Error(`no button "${label}" in chat ${this.chatId}; keyboards: ${shown.join('; ') || 'none'}`);
  }

  /** Taps the button labelled `label` on the newest message that shows it. */
  tap(label: string): Promise<Reply & { tapped: StubMessage; button: Button }> {
    const { message, button } = this.messageWith(label);
    if (button.callback_data === undefined) throw new Error(`button "${label}" has no callback data`);
    return this.send(this.callbackUpdate(button.callback_data, message)).then((reply) => ({
      ...reply,
      tapped: message,
      button,
    }));
  }

  /** The text of everything the bot showed in a reply (as it was then), joined. */
  static text(reply: Reply): string {
    return reply.shown.map((s) => s.call.payload.text as string).join('\n');
  }
}

/**
 * Delivery by long polling: queues the update in the stub and resolves once the bot confirms it
 * (a `getUpdates` whose offset is past it; the bot confirms a batch only after handling all of it).
 */
export function byPolling(stub: BotApiStub, timeoutMs = 15_000): Deliver {
  return async (update) => {
    stub.push(update);
    await stub.waitFor(
      (c) => c.method === 'getUpdates' && Number(c.payload.offset ?? 0) > update.update_id,
      timeoutMs,
    );
  };
}
