/**
 * 5. Cost against conversation length: the time to handle, and the bytes stored after, the 5th, 20th
 * and 80th message of one conversation (made long with summary/edit and back), for Luohu on grammY and
 * for the same consultation written with @grammyjs/conversations v2 (`conversations-bot.ts`).
 * Each message is the same tap (answering the degree's mode again), so only the length differs.
 */
import type { Update } from 'grammy/types';
import { createI18n } from '../bot/i18n.js';
import { SqliteStore } from '../bot/storage/sqlite.js';
import { createRateLimiter } from '../bot/telegram/rate-limit.js';
import { POLICY_TIME_ZONE, todayIn } from '../rules/index.js';
import { createConversationsBot } from './conversations-bot.js';
import { localFetch, useLocalApi } from './fake-telegram.js';
import { localLuohuBot } from './inprocess.js';
import { SqliteKv } from './kv-sqlite.js';
import { atMost, type Row, row, type Section } from './report.js';
import { settle, summarise } from './stats.js';
import { removeDir, tempDir } from './tmp.js';
import { Keyboards, longConversation, type Script, updateOf } from './workload.js';

/** The messages compared (1-based). */
export const POSITIONS = [5, 20, 80] as const;

interface LengthSubject {
  readonly name: string;
  readonly keyboards: Keyboards;
  handle(update: Record<string, unknown>): Promise<unknown>;
  /** Bytes stored for the chat now. */
  bytes(chatId: number): number;
  close(): void;
}

/** The simulated clock of the rate limit: people send one message a second. */
let clock = 0;

function luohu(): LengthSubject {
  const dir = tempDir('length-luohu');
  const store = new SqliteStore({ dataDir: dir });
  const keyboards = new Keyboards();
  const bot = localLuohuBot(store, keyboards, { rateLimiter: createRateLimiter({ now: () => clock }) });
  return {
    name: 'Luohu on grammY',
    keyboards,
    handle: (u) => bot.handleUpdate(u as unknown as Update),
    bytes: (chatId) => Buffer.byteLength(JSON.stringify(store.getSync(`telegram:${chatId}`) ?? '')),
    close: () => {
      store.close();
      removeDir(dir);
    },
  };
}

function grammyConversations(): LengthSubject {
  const dir = tempDir('length-conversations');
  const kv = new SqliteKv(dir);
  const keyboards = new Keyboards();
  const bot = createConversationsBot({
    kv,
    i18n: createI18n(),
    fetch: localFetch(keyboards),
    today: () => todayIn(POLICY_TIME_ZONE),
  });
  useLocalApi(bot, keyboards);
  return {
    name: '@grammyjs/conversations v2',
    keyboards,
    handle: (u) => bot.handleUpdate(u as unknown as Update),
    bytes: (chatId) => kv.written.get(String(chatId)) ?? 0,
    close: () => {
      kv.close();
      removeDir(dir);
    },
  };
}

interface LengthRun {
  /** Per position: median µs over the chats, and median bytes stored after it. */
  readonly us: number[];
  readonly bytes: number[];
}

/** `chats` long conversations, interleaved message by message; the times at {@link POSITIONS}. */
async function runLength(subject: LengthSubject, chats: number, firstChatId: number): Promise<LengthRun> {
  const length = POSITIONS[POSITIONS.length - 1] as number;
  const scripts: Script[] = Array.from({ length: chats }, (_, i) =>
    longConversation(firstChatId + i, length),
  );
  const us = POSITIONS.map(() => [] as number[]);
  const bytes = POSITIONS.map(() => [] as number[]);
  const afterFifth = new Map<number, string>();
  for (let index = 0; index < length; index++) {
    clock += 1000;
    const at = POSITIONS.indexOf((index + 1) as (typeof POSITIONS)[number]);
    for (const script of scripts) {
      const update = updateOf(script, index, subject.keyboards);
      const t = performance.now();
      await subject.handle(update);
      const elapsed = (performance.now() - t) * 1000;
      if (at >= 0) {
        us[at]?.push(elapsed);
        bytes[at]?.push(subject.bytes(script.chatId));
        const offered = subject.keyboards.choices(script.chatId).join(',');
        // The same tap each time: the same question must follow it every time.
        if (at === 0) afterFifth.set(script.chatId, offered);
        else if (afterFifth.get(script.chatId) !== offered)
          throw new Error(
            `${subject.name}: message ${index + 1} of chat ${script.chatId} led to [${offered}]`,
          );
      }
    }
  }
  return { us: us.map((xs) => summarise(xs).median), bytes: bytes.map((xs) => summarise(xs).median) };
}

/** Section 5. */
export async function benchLength(chats: number, runs: number): Promise<Section> {
  const subjects = [luohu(), grammyConversations()];
  const results: LengthRun[][] = subjects.map(() => []);
  try {
    for (let run = -1; run < runs; run++) {
      for (const [i, subject] of subjects.entries()) {
        await settle();
        const result = await runLength(subject, chats, 7_000_000 + (run + 1) * 10_000);
        if (run >= 0) results[i]?.push(result);
      }
    }
  } finally {
    for (const s of subjects) s.close();
  }
  const rows: Row[] = [];
  for (const [i, subject] of subjects.entries()) {
    const runsOf = results[i] ?? [];
    const isLuohu = i === 0;
    for (const [p, position] of POSITIONS.entries())
      rows.push(
        row(
          `${subject.name}: message ${position}`,
          'µs',
          runsOf.map((r) => r.us[p] ?? 0),
        ),
      );
    for (const [p, position] of POSITIONS.entries())
      rows.push(
        row(
          `${subject.name}: stored after message ${position}`,
          'bytes',
          runsOf.map((r) => r.bytes[p] ?? 0),
        ),
      );
    const last = POSITIONS.length - 1;
    rows.push(
      row(
        `${subject.name}: message 80 ÷ message 5, time`,
        '×',
        runsOf.map((r) => (r.us[last] ?? 0) / (r.us[0] || 1)),
        isLuohu ? atMost(1.2) : undefined,
      ),
      row(
        `${subject.name}: message 80 ÷ message 5, stored bytes`,
        '×',
        runsOf.map((r) => (r.bytes[last] ?? 0) / (r.bytes[0] || 1)),
        isLuohu ? atMost(1.1) : undefined,
      ),
    );
  }
  const luohuRuns = results[0] ?? [];
  const convRuns = results[1] ?? [];
  rows.push(
    row(
      'conversations v2 ÷ Luohu, message 80 time',
      '×',
      convRuns.map((r, k) => (r.us[2] ?? 0) / (luohuRuns[k]?.us[2] || 1)),
    ),
  );
  return {
    title: '5. Cost against conversation length',
    intro: [
      `${chats} chats per run, each one conversation of 80 messages: /start, agree, birth date, degree, its mode, then cycles ` +
        'of three (`/summary` → tap "change: mode" → tap "regular", and `/back` → `/help` → tap "regular"), interleaved ' +
        'message by message across the chats (one message a second each, as the rate limit sees it). Messages 5, 20 and 80 are ' +
        'the same tap; each is checked to lead to the same question. Median over the chats of the time around `handleUpdate` ' +
        'and of the bytes stored for the chat after it. Luohu: `createGrammyBot` over `SqliteStore` (default settings), API ' +
        'answered by a transformer. Conversations v2: `conversations-bot.ts`, the same questionnaire on the same domain code, ' +
        'its log in the same SQLite setup; its API is answered by a local `fetch` (the plugin builds its own API objects, ' +
        'so a transformer cannot answer without skipping the log it keeps), which costs a little more per call.',
      "Targets: Luohu's 80th message within 1.2× of its 5th; stored bytes flat (taken as within 1.1×).",
    ],
    rows,
  };
}
