import type { Update } from 'grammy/types';
import { beforeEach, describe, expect, test } from 'vitest';
import { Engine } from '../../../bot/engine.js';
import { createI18n } from '../../../bot/i18n.js';
import { createLogger } from '../../../bot/log.js';
import { MemoryStore } from '../../../bot/storage/store.js';
import { TELEGRAM_TEXT_LIMIT } from '../../../bot/telegram/format.js';
import { commandMenus, createGrammyBot } from '../../../bot/telegram/grammy.js';
import {
  BOT_INFO,
  type Call,
  callbackUpdate,
  editedUpdate,
  fakeApi,
  type Keyboard,
  messagesOf,
  shownOf,
  stickerUpdate,
  textUpdate,
} from './fake-api.js';

const AS_OF = '2026-11-28';
const i18n = createI18n();

function setup() {
  const store = new MemoryStore();
  const engine = new Engine({ store, today: () => AS_OF, i18n });
  const bot = createGrammyBot('123:TEST', {
    engine,
    i18n,
    logger: createLogger('silent'),
    botInfo: BOT_INFO,
  });
  const calls = fakeApi(bot);
  const handle = (update: unknown) => bot.handleUpdate(update as Update);
  return { bot, calls, handle, store };
}

/** What the person was shown: messages sent, and messages edited into a new view. */
const sent = (calls: Call[]) => shownOf(calls);
const keyboardOf = (call: Call | undefined): Keyboard =>
  ((call?.payload.reply_markup as { inline_keyboard?: Keyboard } | undefined)?.inline_keyboard ??
    []) as Keyboard;
const lastSent = (calls: Call[]) => sent(calls).at(-1);

/** Taps the button labelled `label` on the last message that has a keyboard. */
async function tap(ctx: ReturnType<typeof setup>, label: string) {
  const withKeyboard = messagesOf(ctx.calls)
    .filter((m) => m.keyboard.length > 0)
    .at(-1);
  const button = withKeyboard?.keyboard.flat().find((b) => b.text === label);
  if (!withKeyboard || !button) throw new Error(`no button ${label} in ${JSON.stringify(withKeyboard)}`);
  const { messageId } = withKeyboard;
  await ctx.handle(callbackUpdate(button.callback_data, messageId, 'zh-hans', withKeyboard.keyboard));
  return { button, messageId };
}

describe('a consultation through grammY', () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  test('/start asks for consent with buttons, in Chinese for a Chinese Telegram user', async () => {
    await ctx.handle(textUpdate('/start'));
    const message = lastSent(ctx.calls);
    expect(message?.payload.parse_mode).toBe('HTML');
    expect(String(message?.payload.text)).toContain('Luohu');
    expect(
      keyboardOf(message)
        .flat()
        .map((b) => b.text),
    ).toEqual(['同意', '不同意']);
  });

  test('English for an English Telegram user', async () => {
    await ctx.handle(textUpdate('/start', { lang: 'en-GB' }));
    expect(
      keyboardOf(lastSent(ctx.calls))
        .flat()
        .map((b) => b.text)[0],
    ).toMatch(/agree/i);
  });

  test('the whole consultation with taps only (and the birth date typed), to a result', async () => {
    await ctx.handle(textUpdate('/start'));
    const before = ctx.calls.length;
    const { messageId } = await tap(ctx, '同意');
    // The tapped message becomes the next question, headed by the answer given; then (last) the
    // spinner is answered. One message, no new one.
    const tapCalls = ctx.calls.slice(before);
    expect(tapCalls.map((c) => c.method)).toEqual(['editMessageText', 'answerCallbackQuery']);
    expect(tapCalls[0]?.payload).toMatchObject({ message_id: messageId, parse_mode: 'HTML' });
    const edited = String(tapCalls[0]?.payload.text);
    expect(edited.split('\n')[0]).toBe('<i>您的回答：同意</i>');
    expect(edited).toContain('出生日期');
    await ctx.handle(textUpdate('1993年4月9日'));
    await tap(ctx, '本科');
    await tap(ctx, '统招（普通高等教育）');
    for (const label of ['否', '否', '否', '是']) await tap(ctx, label);
    const beforeResult = ctx.calls.length;
    await tap(ctx, '否');
    // The result is too long for one message: sent anew in parts (the last with the buttons), with
    // no attempt to edit the tapped question into it; that question's buttons are removed.
    const resultCalls = ctx.calls.slice(beforeResult).map((c) => c.method);
    expect(resultCalls.filter((m) => m === 'sendMessage').length).toBeGreaterThan(1);
    expect(resultCalls).not.toContain('editMessageText');
    expect(resultCalls.slice(-2)).toEqual(['editMessageReplyMarkup', 'answerCallbackQuery']);
    const texts = sent(ctx.calls).map((c) => String(c.payload.text));
    const result = texts.slice(-6).join('\n');
    expect(result).toContain('学历类·本科及以上');
    expect(result).toContain('单位集体户口');
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(TELEGRAM_TEXT_LIMIT);
    // The result offers to change an answer or start over.
    expect(
      keyboardOf(lastSent(ctx.calls))
        .flat()
        .map((b) => b.text),
    ).toHaveLength(2);
  });

  test('a typed answer removes the buttons of the question it answered, after the next question', async () => {
    await ctx.handle(textUpdate('/start'));
    await ctx.handle(textUpdate('同意'));
    await ctx.handle(textUpdate('1993-04-09'));
    const educationMessage = messagesOf(ctx.calls).at(-1)?.messageId;
    const before = ctx.calls.length;
    await ctx.handle(textUpdate('本科'));
    const calls = ctx.calls.slice(before);
    expect(calls.map((c) => c.method)).toEqual(['sendMessage', 'editMessageReplyMarkup']);
    expect(calls[1]?.payload).toMatchObject({
      message_id: educationMessage,
      reply_markup: { inline_keyboard: [] },
    });
    expect(messagesOf(ctx.calls).filter((m) => m.keyboard.length > 0)).toHaveLength(1);
  });

  test('a tap that cannot be shown by editing (Telegram refuses the edit) sends the next view', async () => {
    ctx.bot.api.config.use(async (prev, method, payload, signal) => {
      if (method === 'editMessageText')
        // biome-ignore lint/suspicious/noExplicitAny: grammY's generic response type.
        return { ok: false, error_code: 400, description: "Bad Request: message can't be edited" } as any;
      return prev(method, payload, signal);
    });
    await ctx.handle(textUpdate('/start'));
    const before = ctx.calls.length;
    const { messageId } = await tap(ctx, '同意');
    const calls = ctx.calls.slice(before);
    expect(calls.map((c) => c.method)).toEqual([
      'sendMessage',
      'editMessageReplyMarkup',
      'answerCallbackQuery',
    ]);
    expect(String(calls[0]?.payload.text)).toContain('出生日期');
    expect(calls[1]?.payload).toMatchObject({ message_id: messageId, reply_markup: { inline_keyboard: [] } });
  });

  test('a button from an old message changes nothing and shows the current question', async () => {
    await ctx.handle(textUpdate('/start'));
    const consent = keyboardOf(lastSent(ctx.calls)).flat();
    await tap(ctx, '同意');
    await ctx.handle(textUpdate('1993-04-09'));
    const before = await ctx.store.get('telegram:7');
    await ctx.handle(callbackUpdate(consent[1]?.callback_data ?? '', 1001));
    const after = await ctx.store.get('telegram:7');
    expect(after?.answers).toEqual(before?.answers);
    expect(String(lastSent(ctx.calls)?.payload.text)).toContain('最高学历');
  });

  test('after a restart, an old button is refused too', async () => {
    await ctx.handle(textUpdate('/start'));
    await tap(ctx, '同意');
    await ctx.handle(textUpdate('1993-04-09'));
    const education = keyboardOf(lastSent(ctx.calls)).flat();
    await ctx.handle(textUpdate('/restart'));
    await ctx.handle(callbackUpdate(education[2]?.callback_data ?? '', 1003));
    const stored = await ctx.store.get('telegram:7');
    expect(stored?.answers).toEqual([]);
  });

  test('stickers, edits and group chats get a short, polite answer', async () => {
    await ctx.handle(stickerUpdate());
    expect(String(lastSent(ctx.calls)?.payload.text)).toContain('文字');
    await ctx.handle(editedUpdate('1990-01-01'));
    expect(String(lastSent(ctx.calls)?.payload.text)).toContain('修改');
    await ctx.handle(textUpdate('/start', { chatType: 'group' }));
    expect(String(lastSent(ctx.calls)?.payload.text)).toContain('私聊');
    expect(await ctx.store.get('telegram:7')).toBeUndefined();
  });

  test('/delete erases the conversation and says so', async () => {
    await ctx.handle(textUpdate('/start'));
    await tap(ctx, '同意');
    await ctx.handle(textUpdate('1993-04-09'));
    expect(ctx.store.size).toBe(1);
    await ctx.handle(textUpdate('/delete'));
    expect(ctx.store.size).toBe(0);
    expect(String(lastSent(ctx.calls)?.payload.text)).toContain('删除');
  });

  test('/language switches to English mid-conversation', async () => {
    await ctx.handle(textUpdate('/start'));
    await tap(ctx, '同意');
    await ctx.handle(textUpdate('/language'));
    expect(String(lastSent(ctx.calls)?.payload.text)).toMatch(/date of birth|born/i);
  });

  test('the command menu is registered in Chinese and English', () => {
    const menus = commandMenus(i18n);
    expect(menus.map((m) => m.language_code)).toEqual([undefined, 'zh', 'en']);
    for (const menu of menus)
      expect(menu.commands.map((c) => c.command)).toEqual([
        'start',
        'restart',
        'back',
        'summary',
        'language',
        'delete',
        'help',
      ]);
    expect(menus[2]?.commands[0]?.description).not.toEqual(menus[0]?.commands[0]?.description);
  });
});

describe("grammyPort's payloads", () => {
  test("are grammY's own, byte for byte (keys in the same order), on the same clients", async () => {
    const { grammyPort } = await import('../../../bot/telegram/grammy.js');
    const { Bot } = await import('grammy');
    const bot = new Bot('123:TEST', { botInfo: BOT_INFO });
    const calls = fakeApi(bot);
    const port = grammyPort(bot.api);
    const keyboard = [[{ text: '同意', callback_data: 'c:1:yes' }]];
    expect(await port.sendMessage(7, '<b>你好</b>', keyboard)).toBe(1001);
    expect(await port.sendMessage(7, 'x')).toBe(1002);
    expect(await port.editMessage(7, 5, 'y', keyboard)).toBe(true);
    expect(await port.editMessage(7, 5, 'z')).toBe(true);
    await port.removeKeyboard(7, 5);
    await port.removeKeyboard(7, 6, { final: true });
    await port.answerCallback('q1');
    await port.answerCallback('q2', '好', { final: true });
    const options = { parse_mode: 'HTML', link_preview_options: { is_disabled: true } } as const;
    // What grammY's methods send: `{ chat_id, text, ...other }` and so on.
    const expected = [
      [
        'sendMessage',
        { chat_id: 7, text: '<b>你好</b>', ...options, reply_markup: { inline_keyboard: keyboard } },
      ],
      ['sendMessage', { chat_id: 7, text: 'x', ...options }],
      [
        'editMessageText',
        { chat_id: 7, message_id: 5, text: 'y', ...options, reply_markup: { inline_keyboard: keyboard } },
      ],
      ['editMessageText', { chat_id: 7, message_id: 5, text: 'z', ...options }],
      ['editMessageReplyMarkup', { chat_id: 7, message_id: 5, reply_markup: { inline_keyboard: [] } }],
      ['editMessageReplyMarkup', { chat_id: 7, message_id: 6, reply_markup: { inline_keyboard: [] } }],
      ['answerCallbackQuery', { callback_query_id: 'q1' }],
      ['answerCallbackQuery', { callback_query_id: 'q2', text: '好' }],
    ];
    expect(calls.map((c) => [c.method, JSON.stringify(c.payload)])).toEqual(
      expected.map(([method, payload]) => [method, JSON.stringify(payload)]),
    );
  });
});

describe('perChat', () => {
  test("runs a chat's updates one after the other, in order, chats in parallel, past a failure", async () => {
    const { perChat } = await import('../../../bot/telegram/grammy.js');
    const middleware = perChat();
    const log: string[] = [];
    const gates = new Map<string, () => void>();
    const update = (chat: number | undefined, name: string, fail = false) =>
      middleware({ chat: chat === undefined ? undefined : { id: chat } } as never, async () => {
        log.push(`start ${name}`);
        await new Promise<void>((resolve) => gates.set(name, resolve));
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
      });
    const a1 = update(1, 'a1', true);
    const a2 = update(1, 'a2');
    const b1 = update(2, 'b1');
    const none = update(undefined, 'none');
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    await settle();
    expect(log).toEqual(['start a1', 'start b1', 'start none']);
    gates.get('b1')?.();
    gates.get('none')?.();
    await settle();
    expect(log.slice(3)).toEqual(['end b1', 'end none']);
    gates.get('a1')?.();
    await expect(a1).rejects.toThrow('a1');
    await settle();
    expect(log.slice(5)).toEqual(['end a1', 'start a2']);
    gates.get('a2')?.();
    await Promise.all([a2, b1, none]);
    expect(log.slice(7)).toEqual(['end a2']);
  });
});

describe("grammyPort's final call in webhook mode", () => {
  test('is the webhook response once; then it goes to the API as a call (the update client no more)', async () => {
    const { grammyPort } = await import('../../../bot/telegram/grammy.js');
    const { Bot } = await import('grammy');
    const bot = new Bot('123:TEST', { botInfo: BOT_INFO });
    const own = new Bot('123:TEST', { botInfo: BOT_INFO });
    const calls = fakeApi(bot);
    const ownCalls = fakeApi(own);
    const written: string[] = [];
    const reply = { used: false, send: (json: string) => void written.push(json) };
    const port = grammyPort(bot.api, own.api, reply);
    await port.removeKeyboard(7, 5, { final: true });
    await port.answerCallback('q1', undefined, { final: true });
    await port.removeKeyboard(7, 6, { final: true });
    expect(written).toEqual([
      '{"chat_id":7,"message_id":5,"reply_markup":{"inline_keyboard":[]},"method":"editMessageReplyMarkup"}',
    ]);
    expect(calls.map((c) => [c.method, JSON.stringify(c.payload)])).toEqual([
      ['answerCallbackQuery', '{"callback_query_id":"q1"}'],
      ['editMessageReplyMarkup', '{"chat_id":7,"message_id":6,"reply_markup":{"inline_keyboard":[]}}'],
    ]);
    expect(ownCalls).toEqual([]);
    // Without a webhook reply, a final call goes through the update's own client.
    await grammyPort(bot.api, own.api).answerCallback('q2', '好', { final: true });
    expect(ownCalls.map((c) => JSON.stringify(c.payload))).toEqual([
      '{"callback_query_id":"q2","text":"好"}',
    ]);
  });
});
