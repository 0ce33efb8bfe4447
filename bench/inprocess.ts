/**
 * 2 and 3. The bot end to end, in process, on one core: `bot.handleUpdate` with the real middleware
 * stack (`createGrammyBot`, or Telegraf with `createTelegrafMiddleware`), an `Engine` over
 * `SqliteStore` (default settings) in a temporary directory, and the Bot API answered locally.
 * Whole consultations of many chats, interleaved, fed two ways: one update at a time (each awaited
 * before the next, its latency measured around `handleUpdate`), and as long polling delivers them
 * (batches of different chats handled concurrently, the next batch once all are handled). Baselines
 * on the same updates, in the same run: a bare bot that only replies, and the same with the
 * framework's session on SQLite.
 */
import { Bot, type Context, session as grammySession, type SessionFlavor } from 'grammy';
import type { Update } from 'grammy/types';
import { Telegraf, type Context as TelegrafContext, session as telegrafSession } from 'telegraf';
import { Engine } from '../bot/engine.js';
import { createI18n, type I18n } from '../bot/i18n.js';
import { createLogger } from '../bot/log.js';
import { SqliteStore } from '../bot/storage/sqlite.js';
import { type ConversationStore, MemoryStore } from '../bot/storage/store.js';
import { createGrammyBot } from '../bot/telegram/grammy.js';
import type { RateLimiter } from '../bot/telegram/rate-limit.js';
import { createTelegrafMiddleware } from '../bot/telegram/telegraf.js';
import type { StoredConversation } from '../machines/conversation.js';
import { POLICY_TIME_ZONE, todayIn } from '../rules/index.js';
import { BOT_INFO, type CallCounter, TOKEN, useLocalApi, useLocalTelegraf } from './fake-telegram.js';
import { SqliteKv } from './kv-sqlite.js';
import { atLeast, atMost, fmt, type Row, row, type Section } from './report.js';
import { percentile, settle, summarise } from './stats.js';
import { removeDir, tempDir } from './tmp.js';
import { consultationScripts, interleaved, Keyboards, type Script, updateOf } from './workload.js';

/** A bot under test: handles one update; `verify` checks the run did what it should. */
export interface Subject {
  readonly name: string;
  /** What its fake Bot API has sent to each chat (taps press these buttons). */
  readonly keyboards: Keyboards;
  handle(update: Record<string, unknown>): Promise<unknown>;
  verify?(scripts: readonly Script[]): void;
  close(): void;
}

/** What one run of a subject measured. */
export interface RunResult {
  readonly perSecond: number;
  /** CPU time (user + system) of this process per update, µs. */
  readonly cpuPerUpdate: number;
  readonly p50: number;
  readonly p99: number;
}

/** A run's figures from its latencies (ms), its start (`performance.now()`) and CPU at its start. */
function resultOf(
  latencies: readonly number[],
  start: number,
  cpu: NodeJS.CpuUsage,
): RunResult & { updates: number } {
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    perSecond: latencies.length / seconds,
    cpuPerUpdate: (used.user + used.system) / latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    updates: latencies.length,
  };
}

/**
 * Sends the scripts' messages, `window` chats interleaved, one update at a time (each awaited, as one
 * core would handle them back to back); updates/s over the whole run, latency per update in ms.
 * `record` receives every update sent (the webhook benchmark replays them).
 */
export async function drive(
  subject: Subject,
  scripts: readonly Script[],
  window: number,
  record?: (update: Record<string, unknown>) => void,
): Promise<RunResult & { updates: number }> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (const [script, index] of interleaved(scripts, window)) {
    const update = updateOf(script, index, subject.keyboards);
    record?.(update);
    const t = performance.now();
    await subject.handle(update);
    latencies.push(performance.now() - t);
  }
  return resultOf(latencies, start, cpu);
}

/** The most updates one `getUpdates` returns (Telegram's limit), the batch of {@link driveBatches}. */
export const POLLING_BATCH = 100;

/**
 * Sends the scripts' messages as long polling delivers them under load: batches of up to `batch`
 * updates, each of a different chat (the next message of each of `window` interleaved chats, as one
 * `getUpdates` returns what is waiting), the updates of a batch handed over together and handled
 * concurrently, and the next batch once all of them are done (as Luohu's `runPolling` confirms a
 * batch, and grammY runner's sink runs one). Latency per update from its batch's hand-over to its end.
 */
export async function driveBatches(
  subject: Subject,
  scripts: readonly Script[],
  window: number,
  batch: number,
): Promise<RunResult & { updates: number }> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  let pending: Record<string, unknown>[] = [];
  const chats = new Set<number>();
  const handOver = async () => {
    const t = performance.now();
    await Promise.all(
      pending.map(async (update) => {
        await subject.handle(update);
        latencies.push(performance.now() - t);
      }),
    );
    pending = [];
    chats.clear();
  };
  for (const [script, index] of interleaved(scripts, window)) {
    // A chat's next message waits for the next batch: it answers what the last one was sent.
    if (chats.has(script.chatId) || pending.length >= batch) await handOver();
    pending.push(updateOf(script, index, subject.keyboards));
    chats.add(script.chatId);
  }
  if (pending.length > 0) await handOver();
  return resultOf(latencies, start, cpu);
}

/** Fails the benchmark when a chat did not reach its result: the workload must be what it says. */
export function verifyResults(
  read: (key: string) => Pick<StoredConversation, 'state'> | undefined,
  scripts: readonly Script[],
  keyPrefix = 'telegram',
): void {
  for (const s of scripts) {
    const at = read(`${keyPrefix}:${s.chatId}`)?.state?.at;
    if (at !== 'result') throw new Error(`chat ${s.chatId} ended in ${at}, not at the result`);
  }
}

/** The baselines' session: a counter, and in one of them a string that makes it Luohu's size. */
interface SessionData {
  step: number;
  pad?: string;
}
type SessionContext = Context & SessionFlavor<SessionData>;

/**
 * The sentences of every Luohu bot of the benchmark process, made once, as `luohu serve` makes them
 * once for its bot and its HTTP API. A comparison keeps two Luohu bots alive (on SQLite, and the
 * breakdown's in memory), run by turns; with an instance each, the in-memory bot measured ~3 µs more
 * per update (28.8 and 29.8 against 25.4 and 25.8 µs, A/B twice), most likely because each bot's turn
 * finds its own caches of rendered sentences and blocks pushed out of the CPU's by the other's.
 */
let processI18n: I18n | undefined;

/**
 * Luohu's grammY bot as the benchmarks run it: `createGrammyBot` over an `Engine` on `store`, its
 * Bot API answered locally (what it sends recorded in `keyboards`, its calls counted in `calls`).
 */
export function localLuohuBot(
  store: ConversationStore,
  keyboards: Keyboards,
  options: { readonly calls?: CallCounter; readonly rateLimiter?: RateLimiter } = {},
) {
  processI18n ??= createI18n();
  const i18n = processI18n;
  const bot = createGrammyBot(TOKEN, {
    engine: new Engine({ store, i18n }),
    i18n,
    logger: createLogger('info'),
    botInfo: BOT_INFO,
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
  });
  useLocalApi(bot, keyboards, options.calls);
  return bot;
}

/** Luohu on grammY: `createGrammyBot` over an `Engine` on `SqliteStore` (default settings). */
export function luohuGrammy(calls?: CallCounter): Subject & { store: SqliteStore } {
  const dir = tempDir('grammy');
  const keyboards = new Keyboards();
  const store = new SqliteStore({ dataDir: dir });
  const bot = localLuohuBot(store, keyboards, calls ? { calls } : {});
  return {
    name: 'Luohu on grammY',
    keyboards,
    store,
    handle: (u) => bot.handleUpdate(u as unknown as Update),
    verify: (scripts) => verifyResults((k) => store.getSync(k), scripts),
    close: () => {
      store.close();
      removeDir(dir);
    },
  };
}

/**
 * Luohu on grammY as {@link luohuGrammy}, its conversations kept in a `MemoryStore` (as JSON, as
 * SQLite keeps them): the cost of Luohu's logic without the database, for the breakdown of the ratio.
 */
function luohuGrammyInMemory(): Subject {
  const keyboards = new Keyboards();
  const store = new MemoryStore();
  const bot = localLuohuBot(store, keyboards);
  return {
    name: 'Luohu on grammY, conversations in memory',
    keyboards,
    handle: (u) => bot.handleUpdate(u as unknown as Update),
    verify: (scripts) => verifyResults((k) => JSON.parse(store.raw(k) ?? 'null') ?? undefined, scripts),
    close() {},
  };
}

/** A bare grammY bot that only replies. */
function bareGrammy(): Subject {
  const bot = new Bot(TOKEN, { botInfo: BOT_INFO });
  bot.use((ctx) => ctx.reply('ok'));
  const keyboards = new Keyboards();
  useLocalApi(bot, keyboards);
  return {
    name: 'bare grammY (reply only)',
    keyboards,
    handle: (u) => bot.handleUpdate(u as unknown as Update),
    close() {},
  };
}

/**
 * The bytes of Luohu's median stored conversation (section 1), the size of the padded session of the
 * breakdown's second baseline.
 */
const LUOHU_SIZED_SESSION = 383;

/**
 * grammY with its session on SQLite: a counter per chat, and a reply. With `bytes`, the session also
 * carries a string that brings its JSON to about that many bytes (as much as Luohu stores).
 */
function sessionGrammy(bytes?: number): Subject {
  const dir = tempDir('grammy-session');
  const kv = new SqliteKv(dir);
  const bot = new Bot<SessionContext>(TOKEN, { botInfo: BOT_INFO });
  const pad =
    bytes === undefined ? undefined : 'x'.repeat(Math.max(0, bytes - '{"step":100,"pad":""}'.length));
  const initial = (): SessionData => (pad === undefined ? { step: 0 } : { step: 0, pad });
  bot.use(grammySession({ initial, storage: kv.adapter<SessionData>() }));
  bot.use(async (ctx) => {
    ctx.session.step++;
    await ctx.reply(`step ${ctx.session.step}`);
  });
  const keyboards = new Keyboards();
  useLocalApi(bot, keyboards);
  return {
    name:
      bytes === undefined
        ? 'grammY + session on SQLite'
        : `grammY + session on SQLite, ${bytes}-byte session`,
    keyboards,
    handle: (u) => bot.handleUpdate(u as unknown as Update),
    close: () => {
      kv.close();
      removeDir(dir);
    },
  };
}

/** Luohu as Telegraf middleware over `SqliteStore` (default settings). */
function luohuTelegraf(): Subject {
  const dir = tempDir('telegraf');
  const store = new SqliteStore({ dataDir: dir });
  const bot = new Telegraf(TOKEN);
  bot.botInfo = BOT_INFO;
  bot.use(createTelegrafMiddleware({ store, keyPrefix: 'telegram' }));
  return {
    name: 'Luohu on Telegraf',
    keyboards: new Keyboards(),
    handle: (u) => bot.handleUpdate(u as never),
    verify: (scripts) => verifyResults((k) => store.getSync(k), scripts),
    close: () => {
      store.close();
      removeDir(dir);
    },
  };
}

/** A bare Telegraf bot that only replies. */
function bareTelegraf(): Subject {
  const bot = new Telegraf(TOKEN);
  bot.botInfo = BOT_INFO;
  bot.use((ctx) => ctx.reply('ok'));
  return {
    name: 'bare Telegraf (reply only)',
    keyboards: new Keyboards(),
    handle: (u) => bot.handleUpdate(u as never),
    close() {},
  };
}

type TelegrafSessionContext = TelegrafContext & { session?: { step: number } };

/** Telegraf with its session on SQLite: a counter per chat, and a reply. */
function sessionTelegraf(): Subject {
  const dir = tempDir('telegraf-session');
  const kv = new SqliteKv(dir);
  const bot = new Telegraf<TelegrafSessionContext>(TOKEN);
  bot.botInfo = BOT_INFO;
  bot.use(
    telegrafSession({ store: kv.sessionStore<{ step: number }>(), defaultSession: () => ({ step: 0 }) }),
  );
  bot.use(async (ctx) => {
    const s = ctx.session ?? { step: 0 };
    s.step++;
    ctx.session = s;
    await ctx.reply(`step ${s.step}`);
  });
  return {
    name: 'Telegraf + session on SQLite',
    keyboards: new Keyboards(),
    handle: (u) => bot.handleUpdate(u as never),
    close: () => {
      kv.close();
      removeDir(dir);
    },
  };
}

/** The subject being driven (Telegraf's fake API is global: it answers for this one). */
let active: Subject | undefined;
const activeKeyboards = () => active?.keyboards ?? new Keyboards();

/**
 * Runs the subjects round-robin, `runs` times after a warm-up, each run on fresh chats: one update
 * at a time, or (with `batch`) in polling batches ({@link driveBatches}).
 */
async function compare(
  makers: readonly (() => Subject)[],
  chats: number,
  runs: number,
  batch?: number,
): Promise<{ names: string[]; results: RunResult[][]; updates: number }> {
  const asOf = todayIn(POLICY_TIME_ZONE);
  const subjects = makers.map((make) => make());
  const results: RunResult[][] = subjects.map(() => []);
  let updates = 0;
  try {
    for (let run = -1; run < runs; run++) {
      // Fresh chats every run: every consultation starts from nothing, as a new person's would.
      const scripts = consultationScripts(chats, asOf, 2_000_000 + (run + 1) * chats, 31 + run);
      for (const [i, subject] of subjects.entries()) {
        await settle();
        active = subject;
        const result =
          batch === undefined
            ? await drive(subject, scripts, 100)
            : await driveBatches(subject, scripts, 100, batch);
        updates = result.updates;
        subject.verify?.(scripts);
        if (run >= 0) results[i]?.push(result);
      }
    }
  } finally {
    for (const s of subjects) s.close();
  }
  return { names: subjects.map((s) => s.name), results, updates };
}

/**
 * The rows of one framework's comparison: Luohu first, then the baselines, then the ratios; `how`
 * follows each subject's name (e.g. `, polling batches`).
 */
function rowsOf(
  subjects: readonly string[],
  results: readonly RunResult[][],
  targets: { perSecond?: number; p99?: number; ratio?: number },
  how = '',
): Row[] {
  const names = subjects.map((name) => `${name}${how}`);
  const rows: Row[] = [];
  for (const [i, name] of names.entries()) {
    const runs = results[i] ?? [];
    const luohu = i === 0;
    rows.push(
      row(
        `${name}: throughput`,
        'updates/s',
        runs.map((r) => r.perSecond),
        luohu && targets.perSecond ? atLeast(targets.perSecond) : undefined,
      ),
      row(
        `${name}: latency p50`,
        'ms',
        runs.map((r) => r.p50),
      ),
      row(
        `${name}: CPU per update`,
        'µs',
        runs.map((r) => r.cpuPerUpdate),
      ),
      row(
        `${name}: latency p99`,
        'ms',
        runs.map((r) => r.p99),
        luohu && targets.p99 ? atMost(targets.p99) : undefined,
      ),
    );
  }
  const luohu = results[0] ?? [];
  for (const [i, name] of names.entries()) {
    if (i === 0) continue;
    const base = results[i] ?? [];
    rows.push(
      row(
        `${name} ÷ Luohu, throughput`,
        '×',
        base.map((b, r) => b.perSecond / (luohu[r]?.perSecond ?? Number.NaN)),
        i === names.length - 1 && targets.ratio ? atMost(targets.ratio) : undefined,
      ),
    );
  }
  return rows;
}

/** Section 2: grammY in process. */
export async function benchGrammy(chats: number, runs: number): Promise<Section> {
  const calls: CallCounter = new Map();
  // The last two only break the ratio down (notes); the table holds the first three.
  const { names, results, updates } = await compare(
    [
      () => luohuGrammy(calls),
      bareGrammy,
      () => sessionGrammy(),
      luohuGrammyInMemory,
      () => sessionGrammy(LUOHU_SIZED_SESSION),
    ],
    chats,
    runs,
  );
  const polled = await compare(
    [() => luohuGrammy(), bareGrammy, () => sessionGrammy()],
    chats,
    runs,
    POLLING_BATCH,
  );
  const perUpdate = [...calls.entries()]
    .map(([m, n]) => `${m} ${(n / (updates * (runs + 1))).toFixed(2)}`)
    .join(', ');
  return {
    title: '2. grammY end to end, in process (one core)',
    intro: [
      `${chats} whole consultations per run (${updates} updates: /start, taps and typed answers to the result, 100 chats interleaved), ` +
        '`bot.handleUpdate` awaited one update at a time in one process, latency measured around it. Luohu: `createGrammyBot` ' +
        '(per-chat ordering, the handler, the engine) over `SqliteStore` with default settings, its sentences made once for the process; Bot API answered by a ' +
        'local API transformer. Baselines on the same updates: a bare grammY bot that only replies, and the same with ' +
        "grammY's `session` stored in SQLite (WAL, `synchronous = NORMAL`, as Luohu's store). Two more subjects, " +
        'after the table, break the ratio down.',
      `Bot API calls per update (Luohu): ${perUpdate}.`,
      `Then the same updates as long polling delivers them under load (rows "polling batches"): batches of up to ${POLLING_BATCH} ` +
        "updates of different chats (one `getUpdates`), handled concurrently, the next batch once all are handled, as Luohu's " +
        "`runPolling` confirms them; latency from the hand-over of the batch. Luohu's store commits the updates of one turn of " +
        "the event loop together (group commit; one at a time, each update is committed at its write); grammY's session writes each update on its own. The p99 target is for one update at a " +
        'time: in a batch, an update also waits for the others handed over with it.',
    ],
    rows: [
      ...rowsOf(names.slice(0, 3), results.slice(0, 3), { perSecond: 15_000, p99: 2, ratio: 1.6 }),
      ...rowsOf(polled.names, polled.results, { perSecond: 15_000, ratio: 1.6 }, ', polling batches'),
    ],
    notes: breakdownNotes(names, results),
  };
}

/**
 * The breakdown of the one-at-a-time ratio, from the same runs: each subject's wall time per update
 * (1 ÷ throughput), and the differences that say what Luohu's logic and its store each add. The
 * subjects in {@link benchGrammy}'s order: Luohu, bare grammY, the session baseline, Luohu in memory,
 * the session of Luohu's size.
 */
function breakdownNotes(names: readonly string[], results: readonly RunResult[][]): string[] {
  const us = results.map((runs) => runs.map((r) => 1e6 / r.perSecond));
  const at = (i: number, run: number) => us[i]?.[run] ?? Number.NaN;
  const minus = (a: number, b: number) => (us[a] ?? []).map((v, run) => v - at(b, run));
  const line = (what: string, values: readonly number[]) => {
    const s = summarise(values);
    return `| ${what} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} |`;
  };
  const [luohu, bare, session, inMemory, sized] = [0, 1, 2, 3, 4] as const;
  // The ratio if Luohu's store cost what grammY's session costs: (in memory + session − bare) ÷ session.
  const floor = summarise(
    (us[inMemory] ?? []).map((v, run) => (v + at(session, run) - at(bare, run)) / at(session, run)),
  );
  return [
    'What the one-at-a-time ratio is made of, from the same runs: wall time per update (1 ÷ throughput, µs). Two more ' +
      "subjects ran with the others: Luohu with its conversations in a `MemoryStore` (JSON in a map) instead of SQLite, and grammY's " +
      `session padded to ${LUOHU_SIZED_SESSION} bytes, Luohu's median stored conversation.`,
    '',
    '| per update | median µs | min | max |',
    '| --- | ---: | ---: | ---: |',
    ...names.map((name, i) => line(name, us[i] ?? [])),
    line("grammY's session on SQLite (session − bare)", minus(session, bare)),
    line(`the same, ${LUOHU_SIZED_SESSION}-byte session (padded − bare)`, minus(sized, bare)),
    line(
      "Luohu's logic: rules, machine, views, rendering, its API calls, the JSON it stores (in memory − bare)",
      minus(inMemory, bare),
    ),
    line("Luohu's SQLite store (Luohu − in memory)", minus(luohu, inMemory)),
    '',
    `If Luohu's store cost exactly what grammY's session costs, the ratio would be ${fmt(floor.median)}× ` +
      `(in memory + session − bare, ÷ session; runs ${fmt(floor.min)} to ${fmt(floor.max)}×).`,
  ];
}

/** Section 3: Telegraf in process. */
export async function benchTelegraf(chats: number, runs: number): Promise<Section> {
  const restore = useLocalTelegraf(activeKeyboards);
  try {
    const { names, results, updates } = await compare(
      [luohuTelegraf, bareTelegraf, sessionTelegraf],
      chats,
      runs,
    );
    const polled = await compare([luohuTelegraf, bareTelegraf, sessionTelegraf], chats, runs, POLLING_BATCH);
    return {
      title: '3. Telegraf end to end, in process (one core)',
      intro: [
        `The same workload (${updates} updates a run) through \`Telegraf.handleUpdate\` with \`createTelegrafMiddleware\` ` +
          'over `SqliteStore` (default settings); Bot API answered locally by `Telegram.callApi` (Telegraf makes a client per ' +
          "update). Baselines: a bare Telegraf bot that only replies, and Telegraf's `session` on the same SQLite table. " +
          'The issue sets no target for Telegraf. Then, as in section 2, the same updates in polling batches of ' +
          `up to ${POLLING_BATCH}.`,
      ],
      rows: [...rowsOf(names, results, {}), ...rowsOf(polled.names, polled.results, {}, ', polling batches')],
    };
  } finally {
    restore();
  }
}
