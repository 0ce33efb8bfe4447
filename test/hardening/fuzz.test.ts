/**
 * Guarantee 6 (property-based, fast-check): random sequences of updates of every kind, through the
 * grammY bot and the local fake API. For every sequence:
 * - `bot.handleUpdate` resolves, and nothing is logged as a failure (the bot's `catch` logs
 *   "update failed" at error level: it never fired);
 * - every stored conversation is valid: `restoreConversation` restores it as it is;
 * - every message sent is valid Telegram HTML (see telegram-html.ts) within the length limit, goes to
 *   the chat of the update, and its buttons carry callback data of at most 64 bytes and a text;
 * - groups and channels never get a stored conversation;
 * - a redelivered update that was already recorded changes nothing and sends nothing.
 *
 * `FUZZ_RUNS` and `FUZZ_SEED` (environment) change the number of runs and replay a seed.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { createI18n, type I18n } from '../../bot/i18n.js';
import { SqliteStore } from '../../bot/storage/sqlite.js';
import type { ConversationStore } from '../../bot/storage/store.js';
import { BOT_COMMANDS } from '../../bot/telegram/handler.js';
import { restoreConversation } from '../../machines/conversation.js';
import { QUESTION_IDS, QUESTIONS } from '../../machines/questions.js';
import { STICKER } from '../bot/telegram/fake-api.js';
import { AS_OF, BOT_KEY, type Call, harness, keyboardOf, shownCalls } from './helpers.js';
import { checkTelegramHtml } from './telegram-html.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const MAX_UPDATES = 30;

/** Private chats (positive ids), groups (negative) and a channel. */
const PRIVATE = [101, 102, 103];
const GROUPS = [-201, -1002000000001];
const CHANNEL = -1003000000001;

const CHOICE_IDS = [
  'agree',
  'decline',
  'start',
  'edit',
  'restart',
  'continue',
  'yes',
  'no',
  'unknown',
  ...QUESTIONS.flatMap((q) => (q.kind.type === 'choice' ? q.kind.options : [])),
  ...QUESTION_IDS.map((q) => `edit:${q}`),
];

const WORDS = [
  '同意',
  'agree',
  '不同意',
  '1993-04-09',
  '1993年4月9日',
  '1960-01-01',
  '2030-02-30',
  '32',
  '0',
  '本科',
  'bachelor',
  '硕士',
  '统招',
  '是',
  '否',
  'yes',
  'no',
  '不知道',
  "don't know",
  '1',
  '2',
  '9',
  '36',
  '返回',
  'back',
  '重新开始',
  '总结',
  'summary',
  '帮助',
  '语言',
  '删除',
  '<b>bold</b>',
  '</i><script>&amp;&lt;',
  '& < > " \'',
];

const lang = fc.option(fc.oneof(fc.constantFrom('zh-hans', 'zh', 'en', 'en-GB', 'ru', ''), fc.string()), {
  nil: undefined,
});

/** Text of any script and length: words the bot knows, short junk, control characters, up to 4096. */
const anyText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 4096 }).map((s) => s.slice(0, 4096)),
      fc.constantFrom('<', '&', '🙂', '9', '\n', 'a').map((c) => c.repeat(4096 / c.length)),
    ),
  },
);

const command = fc
  .tuple(
    fc.constantFrom(
      ...BOT_COMMANDS,
      'START',
      'unknown',
      'start@LuohuTestBot',
      'back@OtherBot',
      'x'.repeat(40),
    ),
    fc.constantFrom('', ' ', '@'),
    fc.string({ unit: 'binary', maxLength: 20 }),
  )
  .map(([c, sep, args]) => `/${c}${sep}${args}`);

const callbackData = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 70 }),
  fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 70 })).map(([a, b]) => `c:${a}:${b}`),
  fc
    .tuple(fc.oneof(fc.nat(40), fc.constantFrom(-1, 999999999, 1e10)), fc.constantFrom(...CHOICE_IDS, ''))
    .map(([s, c]) => `c:${s}:${c}`),
  fc.constantFrom('', 'c::', 'c:0:', 'c:00:agree', 'c:1:agree:extra'),
);

/**
 * What a malformed update lacks. `callbackFrom` is a callback query without `from` (Telegram always
 * sends one; it once crashed the bot, see `malformed.test.ts`).
 */
const MISSING = ['from', 'text', 'both', 'callbackFrom'] as const;

type Action =
  | { t: 'text'; chat: number; text: string; lang: string | undefined }
  | { t: 'command'; chat: number; text: string; lang: string | undefined }
  /** Taps a button of the chat's last keyboard (resolved at run time: the consultation goes deep). */
  | { t: 'tapLast'; chat: number; index: number; stale: boolean }
  /** A callback with the chat's current turn and any choice id, valid or not. */
  | { t: 'forgeCurrent'; chat: number; choice: string }
  | { t: 'callback'; chat: number; data: string | undefined; messageId: number; hasMessage: boolean }
  | { t: 'edited'; chat: number; text: string }
  | { t: 'media'; chat: number; kind: 'sticker' | 'photo' | 'voice' | 'location' | 'document' | 'contact' }
  | { t: 'group'; chat: number; text: string; kind: 'group' | 'supergroup'; tap: boolean }
  | { t: 'channel'; text: string; edited: boolean }
  | { t: 'missing'; chat: number; what: 'from' | 'text' | 'both' | 'callbackFrom' }
  | { t: 'other'; kind: 'my_chat_member' | 'inline_query' | 'poll' | 'empty' }
  | { t: 'redeliver'; index: number }
  /** A plausible answer to the chat's current question (typed or tapped), so conversations go deep. */
  | { t: 'progress'; chat: number; pick: number };

const privateChat = fc.oneof(
  { weight: 4, arbitrary: fc.constant(PRIVATE[0] as number) },
  { weight: 1, arbitrary: fc.constantFrom(...PRIVATE.slice(1)) },
);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({ t: fc.constant('progress' as const), chat: privateChat, pick: fc.nat(100) }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ t: fc.constant('text' as const), chat: privateChat, text: anyText, lang }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('command' as const), chat: privateChat, text: command, lang }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('tapLast' as const),
      chat: privateChat,
      index: fc.nat(20),
      stale: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('forgeCurrent' as const),
      chat: privateChat,
      choice: fc.oneof(fc.constantFrom(...CHOICE_IDS), fc.string({ minLength: 1, maxLength: 50 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('callback' as const),
      chat: privateChat,
      data: fc.option(callbackData, { nil: undefined }),
      messageId: fc.nat(1_000_000),
      hasMessage: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('edited' as const), chat: privateChat, text: anyText }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('media' as const),
      chat: privateChat,
      kind: fc.constantFrom('sticker', 'photo', 'voice', 'location', 'document', 'contact'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('group' as const),
      chat: fc.constantFrom(...GROUPS),
      text: fc.oneof(anyText, command),
      kind: fc.constantFrom('group', 'supergroup'),
      tap: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('channel' as const), text: anyText, edited: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('missing' as const),
      chat: privateChat,
      what: fc.constantFrom(...MISSING),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('other' as const),
      kind: fc.constantFrom('my_chat_member', 'inline_query', 'poll', 'empty'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('redeliver' as const), index: fc.nat(MAX_UPDATES) }) },
);

const media = {
  sticker: {
    sticker: STICKER,
  },
  photo: { photo: [{ file_id: 'p', file_unique_id: 'p', width: 1, height: 1 }], caption: '1993-04-09' },
  voice: { voice: { file_id: 'v', file_unique_id: 'v', duration: 1 } },
  location: { location: { latitude: 22.54, longitude: 114.05 } },
  document: { document: { file_id: 'd', file_unique_id: 'd' }, caption: '同意' },
  contact: { contact: { phone_number: '+86100', first_name: 'A' } },
};

const userOf = (id: number, language?: string) => ({
  id,
  is_bot: false,
  first_name: 'U',
  ...(language !== undefined ? { language_code: language } : {}),
});
const privateChatOf = (id: number) => ({ id, type: 'private', first_name: 'U' });

let totalRuns = 0;
let totalUpdates = 0;
let maxDepth = 0;
let results = 0;
const kinds = new Map<string, number>();

/** Runs one sequence; throws (an expect) at the first broken property. */
async function runSequence(
  actions: Action[],
  makeStore?: () => ConversationStore & { close?: () => void },
  sentences?: I18n,
) {
  const store = makeStore?.();
  const h = harness({ ...(store ? { store } : {}), ...(sentences ? { i18n: sentences } : {}) });
  const delivered: { update: unknown; chat?: number }[] = [];
  let nextId = 1;
  totalRuns++;
  try {
    for (const a of actions) {
      const update_id = nextId++;
      let update: Record<string, unknown> | undefined;
      let chat: number | undefined;
      switch (a.t) {
        case 'text':
        case 'command':
          chat = a.chat;
          update = {
            update_id,
            message: {
              message_id: update_id,
              date: 0,
              chat: privateChatOf(a.chat),
              from: userOf(a.chat, a.lang),
              text: a.text,
            },
          };
          break;
        case 'progress': {
          chat = a.chat;
          const stored = await h.store.get(`telegram:${a.chat}`);
          const current = (stored?.snapshot as { context?: { current?: string } } | undefined)?.context
            ?.current;
          // The last view with buttons: sent, or edited into the tapped message.
          const last = shownCalls(h.calls, a.chat)
            .filter((c) => keyboardOf(c).length > 0)
            .at(-1);
          const buttons = keyboardOf(last)
            .flat()
            .filter((b) => !/:(decline|restart)$/.test(b.callback_data));
          const typed =
            stored === undefined
              ? '/start'
              : current === 'birthDate'
                ? (['1993-04-09', '1985-01-01', '32', '2001-12-31', '1960-06-01'][a.pick % 5] as string)
                : current === 'socialInsuranceMonths'
                  ? String(a.pick)
                  : undefined;
          const button = buttons[a.pick % Math.max(1, buttons.length)];
          update =
            typed !== undefined || !last || !button
              ? {
                  update_id,
                  message: {
                    message_id: update_id,
                    date: 0,
                    chat: privateChatOf(a.chat),
                    from: userOf(a.chat, 'zh-hans'),
                    text: typed ?? '/start',
                  },
                }
              : {
                  update_id,
                  callback_query: {
                    id: `q${update_id}`,
                    from: userOf(a.chat, 'zh-hans'),
                    chat_instance: 'i',
                    data: button.callback_data,
                    message: {
                      message_id: h.messageIdOf(last),
                      date: 0,
                      chat: privateChatOf(a.chat),
                      text: '…',
                    },
                  },
                };
          break;
        }
        case 'tapLast':
        case 'forgeCurrent': {
          chat = a.chat;
          const withKeyboard = shownCalls(h.calls, a.chat).filter((c) => keyboardOf(c).length > 0);
          const target =
            a.t === 'tapLast' && a.stale
              ? withKeyboard.at(a.index % Math.max(1, withKeyboard.length))
              : withKeyboard.at(-1);
          const buttons = keyboardOf(target).flat();
          let data: string;
          if (a.t === 'tapLast')
            data = buttons[a.index % Math.max(1, buttons.length)]?.callback_data ?? 'c:0:agree';
          else data = `c:${(await h.store.get(`telegram:${a.chat}`))?.seq ?? 0}:${a.choice}`;
          update = {
            update_id,
            callback_query: {
              id: `q${update_id}`,
              from: userOf(a.chat, 'zh-hans'),
              chat_instance: 'i',
              data,
              message: {
                message_id: target ? h.messageIdOf(target) : 1,
                date: 0,
                chat: privateChatOf(a.chat),
                text: '…',
              },
            },
          };
          break;
        }
        case 'callback':
          chat = a.hasMessage ? a.chat : undefined;
          update = {
            update_id,
            callback_query: {
              id: `q${update_id}`,
              from: userOf(a.chat, 'en'),
              chat_instance: 'i',
              ...(a.data !== undefined ? { data: a.data } : {}),
              ...(a.hasMessage
                ? { message: { message_id: a.messageId, date: 0, chat: privateChatOf(a.chat), text: 'x' } }
                : { inline_message_id: 'im' }),
            },
          };
          break;
        case 'edited':
          chat = a.chat;
          update = {
            update_id,
            edited_message: {
              message_id: 1,
              date: 0,
              edit_date: 1,
              chat: privateChatOf(a.chat),
              from: userOf(a.chat),
              text: a.text,
            },
          };
          break;
        case 'media':
          chat = a.chat;
          update = {
            update_id,
            message: {
              message_id: update_id,
              date: 0,
              chat: privateChatOf(a.chat),
              from: userOf(a.chat, 'en'),
              ...media[a.kind],
            },
          };
          break;
        case 'group': {
          chat = a.chat;
          const groupChat = { id: a.chat, type: a.kind, title: 'g' };
          update = a.tap
            ? {
                update_id,
                callback_query: {
                  id: `q${update_id}`,
                  from: userOf(7),
                  chat_instance: 'i',
                  data: 'c:0:agree',
                  message: { message_id: 3, date: 0, chat: groupChat, text: 'x' },
                },
              }
            : {
                update_id,
                message: { message_id: update_id, date: 0, chat: groupChat, from: userOf(7), text: a.text },
              };
          break;
        }
        case 'channel':
          chat = CHANNEL;
          update = {
            update_id,
            [a.edited ? 'edited_channel_post' : 'channel_post']: {
              message_id: update_id,
              date: 0,
              ...(a.edited ? { edit_date: 1 } : {}),
              chat: { id: CHANNEL, type: 'channel', title: 'c' },
              sender_chat: { id: CHANNEL, type: 'channel', title: 'c' },
              text: a.text,
            },
          };
          break;
        case 'missing': {
          chat = a.chat;
          const base = { message_id: update_id, date: 0, chat: privateChatOf(a.chat) };
          if (a.what === 'callbackFrom')
            update = {
              update_id,
              callback_query: {
                id: `q${update_id}`,
                chat_instance: 'i',
                data: 'c:0:agree',
                message: { ...base, text: 'x' },
              },
            };
          else
            update = {
              update_id,
              message: {
                ...base,
                ...(a.what === 'text' ? { from: userOf(a.chat, 'zh') } : {}),
                ...(a.what === 'from' ? { text: '同意' } : {}),
              },
            };
          break;
        }
        case 'other':
          update =
            a.kind === 'my_chat_member'
              ? {
                  update_id,
                  my_chat_member: {
                    chat: privateChatOf(PRIVATE[0] as number),
                    from: userOf(PRIVATE[0] as number),
                    date: 0,
                    old_chat_member: { status: 'member', user: userOf(42) },
                    new_chat_member: { status: 'kicked', user: userOf(42), until_date: 0 },
                  },
                }
              : a.kind === 'inline_query'
                ? { update_id, inline_query: { id: 'iq', from: userOf(5), query: '1993', offset: '' } }
                : a.kind === 'poll'
                  ? {
                      update_id,
                      poll: { id: 'p', question: 'q', options: [], total_voter_count: 0, is_closed: true },
                    }
                  : { update_id };
          break;
        case 'redeliver': {
          const previous = delivered[a.index % Math.max(1, delivered.length)];
          if (!previous) continue;
          update = structuredClone(previous.update) as Record<string, unknown>;
          chat = previous.chat;
          break;
        }
      }
      if (!update) continue;
      kinds.set(a.t, (kinds.get(a.t) ?? 0) + 1);
      totalUpdates++;
      const id = update.update_id as number;
      const key = chat !== undefined ? `telegram:${chat}` : undefined;
      const recorded = await h.store.hasUpdate({ bot: BOT_KEY, id });
      const before = key ? JSON.stringify(await h.store.get(key)) : undefined;
      const callsBefore = h.calls.length;

      await expect(h.handle(update)).resolves.toBeUndefined();

      const made: Call[] = h.calls.slice(callsBefore);
      for (const call of made) {
        // Views: messages sent, and tapped messages edited into the next view.
        if (call.method !== 'sendMessage' && call.method !== 'editMessageText') continue;
        // Replies go to the chat the update came from, nowhere else.
        expect(call.payload.chat_id).toBe(chat);
        expect(call.payload.parse_mode).toBe('HTML');
        const { problems, text } = checkTelegramHtml(String(call.payload.text));
        if (text.includes('✓') || text.includes('✗')) results++;
        expect(problems, String(call.payload.text).slice(0, 300)).toEqual([]);
        for (const row of keyboardOf(call)) {
          expect(row.length).toBeGreaterThan(0);
          for (const button of row) {
            expect(button.text.trim()).not.toBe('');
            expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
            expect(Buffer.byteLength(button.callback_data)).toBeGreaterThan(0);
          }
        }
      }
      if (recorded) {
        // Already processed: a redelivery changes nothing and sends nothing.
        expect(made.filter((c) => c.method !== 'answerCallbackQuery')).toEqual([]);
        if (key) expect(JSON.stringify(await h.store.get(key))).toBe(before);
      }
      delivered.push({ update, ...(chat !== undefined ? { chat } : {}) });
    }

    // The bot's error handler never fired, and nothing failed quietly.
    expect(h.log.records().filter((r) => r.level >= 40)).toEqual([]);
    // Every stored conversation is valid as it is.
    for (const id of PRIVATE) {
      const stored = await h.store.get(`telegram:${id}`);
      if (stored === undefined) continue;
      maxDepth = Math.max(maxDepth, stored.answers.length);
      expect(restoreConversation(stored, AS_OF, { asOf: AS_OF, lang: 'zh-CN' }).how).toBe('restored');
    }
    for (const id of [...GROUPS, CHANNEL]) expect(await h.store.get(`telegram:${id}`)).toBeUndefined();
  } finally {
    store?.close?.();
  }
}

const sequences = fc.array(action, { minLength: 1, maxLength: MAX_UPDATES, size: 'max' });

afterAll(() => {
  console.info(
    `fuzz: ${totalRuns} sequences, ${totalUpdates} updates (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}); deepest conversation: ${maxDepth} answers; ${results} result messages`,
  );
});

describe('random update sequences through the grammY bot', () => {
  test(`MemoryStore: ${RUNS} runs × up to ${MAX_UPDATES} updates`, async () => {
    await fc.assert(
      fc.asyncProperty(sequences, (actions) => runSequence(actions)),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
  }, 120_000);

  test(`an agency's sentences with markup characters and emoji: ${Math.ceil(RUNS / 6)} runs`, async () => {
    // Overrides as an agency could write them (`locales` of the Telegraf middleware): every sentence
    // must still reach Telegram escaped.
    const odd = (s: string) => `<Luohu & Co> "${s}" 🙂 a<b>c</i> &amp; &`;
    const sentences = createI18n({
      'zh-CN': {
        consent: { intro: odd('您好'), agree: '同意 & <继续>' },
        notice: { 'moved-on': odd('已失效'), help: odd('帮助') },
        telegram: { unsupported: odd('只读文字'), edited: odd('修改') },
        question: { birthDate: { prompt: odd('出生日期') } },
      },
      en: { consent: { intro: odd('Hello'), agree: 'I agree & <go on>' } },
    });
    await fc.assert(
      fc.asyncProperty(sequences, (actions) => runSequence(actions, undefined, sentences)),
      { numRuns: Math.ceil(RUNS / 6), ...(SEED !== undefined ? { seed: SEED + 2 } : {}) },
    );
  }, 120_000);

  test(`SqliteStore (:memory:): ${Math.ceil(RUNS / 6)} runs`, async () => {
    await fc.assert(
      fc.asyncProperty(sequences, (actions) =>
        runSequence(actions, () => new SqliteStore({ file: ':memory:' })),
      ),
      { numRuns: Math.ceil(RUNS / 6), ...(SEED !== undefined ? { seed: SEED + 1 } : {}) },
    );
  }, 120_000);
});
