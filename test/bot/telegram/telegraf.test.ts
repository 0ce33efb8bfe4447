/**
 * Luohu as a Telegraf middleware, in process: a real Telegraf bot whose API client talks to the local
 * Bot API stub (127.0.0.1), updates given with `bot.handleUpdate`, which resolves once handled.
 */
import { Telegraf } from 'telegraf';
import { message } from 'telegraf/filters';
import type { Update as TelegrafUpdate, UserFromGetMe } from 'telegraf/types';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MemoryStore } from '../../../bot/storage/store.js';
import { createTelegrafMiddleware, type TelegrafMiddlewareOptions } from '../../../bot/telegram/telegraf.js';
import { type BotApiStub, STUB_BOT_INFO, type StubMessage, startBotApiStub } from '../../e2e/bot-api-stub.js';
import { labelsOf, Person, type Reply } from '../../e2e/person.js';

const AS_OF = '2026-11-28';
const TOKEN = '123456:TEST-telegraf';

interface Setup {
  readonly stub: BotApiStub;
  readonly bot: Telegraf;
  readonly store: MemoryStore;
  /** Texts and callback data that reached the bot's own handlers after Luohu. */
  readonly passed: string[];
  person(options?: ConstructorParameters<typeof Person>[2]): Person;
}

let stub: BotApiStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

async function setup(options: TelegrafMiddlewareOptions = {}): Promise<Setup> {
  stub = await startBotApiStub({ token: TOKEN });
  const store = new MemoryStore();
  const bot = new Telegraf(TOKEN, { telegram: { apiRoot: stub.url, webhookReply: false } });
  bot.botInfo = STUB_BOT_INFO as UserFromGetMe;
  bot.use(createTelegrafMiddleware({ store, today: () => AS_OF, ...options }));
  const passed: string[] = [];
  bot.on(message('text'), (ctx) => {
    passed.push(ctx.message.text);
  });
  bot.on('callback_query', (ctx) => {
    passed.push(`callback:${'data' in ctx.callbackQuery ? ctx.callbackQuery.data : ''}`);
  });
  const s = stub;
  return {
    stub: s,
    bot,
    store,
    passed,
    person: (personOptions) =>
      new Person(s, (update) => bot.handleUpdate(update as unknown as TelegrafUpdate), personOptions),
  };
}

const sent = (s: BotApiStub) => s.calls.filter((c) => c.method === 'sendMessage');
const keyboardSent = (m: StubMessage | undefined) =>
  labelsOf(
    ((m?.call.payload.reply_markup as { inline_keyboard?: [] } | undefined)?.inline_keyboard ?? []) as [],
  );

describe('createTelegrafMiddleware mounted under a command', () => {
  let ctx: Setup;
  beforeEach(async () => {
    ctx = await setup({ command: 'consult' });
  });

  test('anything else goes on to the next middleware, untouched', async () => {
    const person = ctx.person();
    await person.say('hello');
    await person.say('/start');
    await person.send(person.callbackUpdate('menu:prices', { message_id: 1 }));
    expect(ctx.passed).toEqual(['hello', '/start', 'callback:menu:prices']);
    expect(ctx.stub.calls).toEqual([]);
    expect(ctx.store.size).toBe(0);
  });

  test('/consult opens the consultation; then the chat’s answers go to Luohu, not on', async () => {
    const person = ctx.person();
    const opened = await person.say('/consult');
    expect(keyboardSent(opened.messages.at(-1))).toEqual(['同意', '不同意']);
    expect(Person.text(opened)).toContain('Luohu');

    const agreed = await person.tap('同意');
    expect(Person.text(agreed)).toContain('出生日期');
    expect(ctx.stub.messages.get(agreed.tapped.message_id)?.keyboard).toEqual([]);
    const dated = await person.say('1993年4月9日');
    expect(Person.text(dated)).toContain('最高学历');
    const typed = await person.say('本科');
    expect(Person.text(typed)).toContain('统招');
    expect(ctx.passed).toEqual([]);
    expect(await ctx.store.get('telegraf:7')).toBeDefined();

    // Still the agency's: /start, other chats, and groups.
    await person.say('/start');
    await ctx.person({ chatId: 8 }).say('hi from another chat');
    await ctx.person({ chatId: -100, chatType: 'group' }).say('hi from a group');
    expect(ctx.passed).toEqual(['/start', 'hi from another chat', 'hi from a group']);

    // /consult again shows where the consultation is; it does not start over.
    const again = await person.say('/consult');
    expect(Person.text(again)).toContain('统招');
    expect(keyboardSent(again.messages.at(-1))).toContain('统招（普通高等教育）');
  });

  test('/consult then typed consent: nothing is stored before it, and the typed answer is still Luohu’s', async () => {
    const person = ctx.person();
    await person.say('/consult');
    expect(ctx.store.size).toBe(0);
    const agreed = await person.say('同意');
    expect(Person.text(agreed)).toContain('出生日期');
    expect(ctx.passed).toEqual([]);
    expect(await ctx.store.get('telegraf:7')).toBeDefined();
  });

  test('/delete ends it: the chat’s messages go on to the next middleware again', async () => {
    const person = ctx.person();
    await person.say('/consult');
    await person.tap('同意');
    const deleted = await person.say('/delete');
    expect(Person.text(deleted)).toContain('删除');
    expect(ctx.store.size).toBe(0);
    await person.say('back to business');
    expect(ctx.passed).toEqual(['back to business']);
  });
});

describe('createTelegrafMiddleware handling every update', () => {
  test('a whole consultation, taps and a typed date, to the result; old keyboards removed', async () => {
    const ctx = await setup();
    const person = ctx.person();
    const steps: [string, string, string][] = [
      ['say', '/start', '您同意吗'],
      ['tap', '同意', '出生日期'],
      ['say', '1993年4月9日', '最高学历'],
      ['tap', '本科', '统招'],
      ['tap', '统招（普通高等教育）', '违法犯罪记录'],
      ['tap', '否', '住宅房产'],
      ['tap', '否', '亲友'],
      ['tap', '否', '集体户口'],
      ['tap', '是', '户籍'],
      ['tap', '否', '学历类·本科及以上'],
    ];
    let reply: Reply | undefined;
    for (const [kind, input, expected] of steps) {
      reply = kind === 'tap' ? await person.tap(input) : await person.say(input);
      expect(Person.text(reply), `after ${input}`).toContain(expected);
    }
    expect(Person.text(reply as Reply)).toContain('单位集体户口');
    expect(sent(ctx.stub).every((c) => c.payload.parse_mode === 'HTML')).toBe(true);
    const messages = ctx.stub.messagesOf(7);
    expect(messages.filter((m) => m.keyboard.length > 0)).toEqual([messages.at(-1)]);
    expect(ctx.stub.calls.filter((c) => c.response?.status !== 200)).toEqual([]);
    expect(ctx.passed).toEqual([]);
  });

  test('locale overrides change a sentence, and the overridden button label is understood', async () => {
    const ctx = await setup({
      locales: { 'zh-CN': { consent: { intro: '某某代理为您服务', agree: '好的' } } },
    });
    const person = ctx.person();
    const start = await person.say('/start');
    expect(Person.text(start)).toContain('某某代理为您服务');
    expect(Person.text(start)).not.toContain('我是 Luohu');
    expect(keyboardSent(start.messages.at(-1))).toEqual(['好的', '不同意']);
    // Typing the new label works like tapping it.
    expect(Person.text(await person.say('好的'))).toContain('出生日期');

    // English is not overridden.
    const english = await ctx.person({ chatId: 9, lang: 'en' }).say('/start');
    expect(Person.text(english)).not.toContain('某某代理为您服务');
    expect(Person.text(english)).toMatch(/Luohu/);
  });

  test('one chat’s updates are handled in order, even when given concurrently', async () => {
    const ctx = await setup();
    const person = ctx.person();
    await person.say('/start');
    const updates = [person.textUpdate('同意'), person.textUpdate('1993-04-09'), person.textUpdate('本科')];
    // As Telegraf's polling does with a batch: all at once.
    await Promise.all(updates.map((u) => ctx.bot.handleUpdate(u as unknown as TelegrafUpdate)));
    const texts = sent(ctx.stub).map((c) => String(c.payload.text));
    expect(texts.at(-3)).toContain('出生日期');
    expect(texts.at(-2)).toContain('最高学历');
    expect(texts.at(-1)).toContain('统招');
  });

  test('a redelivered update changes nothing and sends nothing', async () => {
    const ctx = await setup();
    const person = ctx.person();
    await person.say('/start');
    await person.tap('同意');
    const date = person.textUpdate('1993-04-09');
    await person.send(date);
    const before = await ctx.store.get('telegraf:7');
    const again = await person.send(date);
    expect(again.messages).toEqual([]);
    expect(await ctx.store.get('telegraf:7')).toEqual(before);
  });
});
