/**
 * 2 and 3. The bot end to end, in process, on one core: `bot.handleUpdate` with the real middleware
 * stack (`createGrammyBot`, or Telegraf with `createTelegrafMiddleware`), an `Engine` over
 * `SqliteStore` (default settings) in a temporary directory, and the Bot API answered locally.
 * Whole consultations of many chats, interleaved; each update awaited before the next, its latency
 * measured around `handleUpdate`. Baselines on the same updates, in the same run: a bare bot that
 * only replies, and the same with the framework's session on SQLite.
 */
import { Bot, type Context, session as grammySession, type SessionFlavor } from 'grammy';
import type { Update } from 'grammy/types';
import { Telegraf, type Context as TelegrafContext, session as telegrafSession } from 'telegraf';
import { Engine } from '../bot/engine.js';
import { createI18n } from '../bot/i18n.js';
import { createLogger } from '../bot/log.js';
import { SqliteStore } from '../bot/storage/sqlite.js';
import { createGrammyBot } from '../bot/telegram/grammy.js';
import { createTelegrafMiddleware } from '../bot/telegram/telegraf.js';
import { POLICY_TIME_ZONE, todayIn } from '../rules/index.js';
import { BOT_INFO, type CallCounter, TOKEN, useLocalApi, useLocalTelegraf } from './fake-telegram.js';
import { SqliteKv } from './kv-sqlite.js';
import { atLeast, atMost, type Row, row, type Section } from './report.js';
import { percentile, settle } from './stats.js';
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

/** Fails the benchmark when a chat did not reach its result: the workload must be what it says. */
export function verifyResults(
  read: (key: string) => { snapshot?: unknown } | undefined,
  scripts: readonly Script[],
  keyPrefix = 'telegram',
): void {
  for (const s of scripts) {
    const value = (read(`${keyPrefix}:${s.chatId}`)?.snapshot as { value?: unknown } | undefined)?.value;
    if (JSON.stringify(value) !== '{"active":"result"}')
      throw new Error(`chat ${s.chatId} ended in ${JSON.stringify(value)}, not at the result`);
  }
}

type SessionContext = Context & SessionFlavor<{ step: number }>;

/** Luohu on grammY: `createGrammyBot` over an `Engine` on `SqliteStore` (default settings). */
export function luohuGrammy(calls?: CallCounter): Subject & { store: SqliteStore } {
  const dir = tempDir('grammy');
  const keyboards = new Keyboards();
  const store = new SqliteStore({ dataDir: dir });
  const i18n = createI18n();
  const bot = createGrammyBot(TOKEN, {
    engine: new Engine({ store, i18n }),
    i18n,
    logger: createLogger('info'),
    botInfo: BOT_INFO,
  });
  useLocalApi(bot, keyboards, calls);
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

/** grammY with its session on SQLite: a counter per chat, and a reply. */
function sessionGrammy(): Subject {
  const dir = tempDir('grammy-session');
  const kv = new SqliteKv(dir);
  const bot = new Bot<SessionContext>(TOKEN, { botInfo: BOT_INFO });
  bot.use(grammySession({ initial: () => ({ step: 0 }), storage: kv.adapter<{ step: number }>() }));
  bot.use(async (ctx) => {
    ctx.session.step++;
    await ctx.reply(`step ${ctx.session.step}`);
  });
  const keyboards = new Keyboards();
  useLocalApi(bot, keyboards);
  return {
    name: 'grammY + session on SQLite',
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

/** Runs the subjects round-robin, `runs` times after a warm-up, each run on fresh chats. */
async function compare(
  makers: readonly (() => Subject)[],
  chats: number,
  runs: number,
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
        const result = await drive(subject, scripts, 100);
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

/** The rows of one framework's comparison: Luohu first, then the baselines, then the ratios. */
function rowsOf(
  names: readonly string[],
  results: readonly RunResult[][],
  targets: { perSecond?: number; p99?: number; ratio?: number },
): Row[] {
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
  const { names, results, updates } = await compare(
    [() => luohuGrammy(calls), bareGrammy, sessionGrammy],
    chats,
    runs,
  );
  const perUpdate = [...calls.entries()]
    .map(([m, n]) => `${m} ${(n / (updates * (runs + 1))).toFixed(2)}`)
    .join(', ');
  return {
    title: '2. grammY end to end, in process (one core)',
    intro: [
      `${chats} whole consultations per run (${updates} updates: /start, taps and typed answers to the result, 100 chats interleaved), ` +
        '`bot.handleUpdate` awaited one update at a time in one process, latency measured around it. Luohu: `createGrammyBot` ' +
        "(runner's `sequentialize`, the handler, the engine) over `SqliteStore` with default settings; Bot API answered by a " +
        'local API transformer. Baselines on the same updates: a bare grammY bot that only replies, and the same with ' +
        "grammY's `session` stored in SQLite (WAL, `synchronous = NORMAL`, as Luohu's store).",
      `Bot API calls per update (Luohu): ${perUpdate}.`,
    ],
    rows: rowsOf(names, results, { perSecond: 15_000, p99: 2, ratio: 1.6 }),
  };
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
    return {
      title: '3. Telegraf end to end, in process (one core)',
      intro: [
        `The same workload (${updates} updates a run) through \`Telegraf.handleUpdate\` with \`createTelegrafMiddleware\` ` +
          'over `SqliteStore` (default settings); Bot API answered locally by `Telegram.callApi` (Telegraf makes a client per ' +
          "update). Baselines: a bare Telegraf bot that only replies, and Telegraf's `session` on the same SQLite table. " +
          'The issue sets no target for Telegraf; the grammY targets are shown for comparison.',
      ],
      rows: rowsOf(names, results, {}),
    };
  } finally {
    restore();
  }
}
