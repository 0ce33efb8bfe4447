/**
 * 4. The webhook over HTTP on loopback: `luohu serve` in webhook mode (a child process: the real
 * server of `bot/serve.ts`, its gate and webhook adapter (`grammyWebhook`), SQLite in a temporary directory)
 * with its Bot API at a local stub; autocannon posts updates at 40 connections, each with the secret
 * header. The updates are whole consultations of many chats, made as Telegram's client would make
 * them: a chat's next message is sent once the bot has answered the last one, and a tap presses a
 * button of the last keyboard the bot sent (the stub runs in this process and records them).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SqliteStore } from '../bot/storage/sqlite.js';
import { POLICY_TIME_ZONE, todayIn } from '../rules/index.js';
import { answerLocally, startStubApi } from './fake-telegram.js';
import { atLeast, atMost, type Row, row, type Section } from './report.js';
import { freePort, spawnServe, stopChild, WEBHOOK_PATH, WEBHOOK_SECRET, waitFor } from './serve-child.js';
import { removeDir, tempDir } from './tmp.js';
import { consultationScripts, type Keyboards, type Script, updateOf } from './workload.js';

/** Chats in consultation, handing out their next message when the last one was answered. */
class LiveChats {
  readonly #templates: readonly Script[];
  readonly #keyboards: Keyboards;
  readonly #ready: { script: Script; next: number }[] = [];
  #nextChat: number;
  #made = 0;
  /** Chat ids whose consultation was sent to the end, every update answered 200. */
  readonly completed: number[] = [];
  failed = 0;
  /** Updates answered 200. */
  answeredCount = 0;

  constructor(templates: readonly Script[], keyboards: Keyboards, firstChatId: number, window: number) {
    this.#templates = templates;
    this.#keyboards = keyboards;
    this.#nextChat = firstChatId;
    for (let i = 0; i < window; i++) this.#open();
  }

  #open(): void {
    const template = this.#templates[this.#made++ % this.#templates.length] as Script;
    this.#ready.push({ script: { ...template, chatId: this.#nextChat++ }, next: 0 });
  }

  /** The next update to post, from the chat that has waited longest. */
  take(): { chat: { script: Script; next: number }; body: string } {
    const chat = this.#ready.shift();
    if (!chat) throw new Error('no chat ready: raise the window above the connections');
    return { chat, body: JSON.stringify(updateOf(chat.script, chat.next, this.#keyboards)) };
  }

  /** The bot answered the chat's last update. */
  answered(chat: { script: Script; next: number }, ok: boolean): void {
    if (!ok) {
      this.failed++;
      this.#open();
      return;
    }
    this.answeredCount++;
    chat.next++;
    if (chat.next < chat.script.steps.length) this.#ready.push(chat);
    else {
      this.completed.push(chat.script.chatId);
      this.#open();
    }
  }
}

/** CPU seconds a process has used (user + system), from /proc; undefined where there is none. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

interface WebhookRun {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  readonly botCpu?: number;
  readonly loadCpu: number;
}

/** Posts updates for `seconds` at `connections` connections. */
async function load(
  port: number,
  live: LiveChats,
  connections: number,
  seconds: number,
  onReply: (body: string) => void,
  botPid?: number,
) {
  const botBefore = cpuSecondsOf(botPid);
  const loadBefore = process.cpuUsage();
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (req, context) => {
          const { chat, body } = live.take();
          (context as { chat?: unknown }).chat = chat;
          return {
            ...req,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-telegram-bot-api-secret-token': WEBHOOK_SECRET,
            },
            body,
          };
        },
        onResponse: (status, body, context) => {
          const chat = (context as { chat?: { script: Script; next: number } }).chat;
          if (status === 200 && body) onReply(body);
          if (chat) live.answered(chat, status === 200);
        },
      },
    ],
  });
  const botAfter = cpuSecondsOf(botPid);
  const loadCpu = process.cpuUsage(loadBefore);
  const run: WebhookRun = {
    perSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    ...(botBefore !== undefined && botAfter !== undefined
      ? { botCpu: (botAfter - botBefore) / result.duration }
      : {}),
    loadCpu: (loadCpu.user + loadCpu.system) / 1e6 / result.duration,
  };
  return run;
}

/** A webhook server under test, started as a child process. */
interface WebhookTarget {
  readonly name: string;
  start(apiRoot: string, port: number, dataDir: string): ChildProcess & { output: () => string };
  /** Check the data directory afterwards (Luohu: every completed chat is at its result). */
  verify?(dataDir: string, completed: readonly number[]): void;
}

const LUOHU: WebhookTarget = {
  name: 'Luohu (luohu serve, grammY webhook)',
  start: (apiRoot, port, dataDir) => spawnServe({ apiRoot, dataDir, webhookPort: port }),
  verify(dataDir, completed) {
    const store = new SqliteStore({ dataDir });
    try {
      for (const chatId of completed) {
        const at = store.getSync(`telegram:${chatId}`)?.state?.at;
        if (at !== 'result') throw new Error(`webhook: chat ${chatId} ended in ${at}, not at the result`);
      }
    } finally {
      store.close();
    }
  },
};

const BARE: WebhookTarget = {
  name: 'bare grammY webhook (reply only)',
  start(apiRoot, port, dataDir) {
    const script = fileURLToPath(new URL('./bare-webhook.js', import.meta.url));
    const child = spawn(process.execPath, [script, apiRoot, String(port), WEBHOOK_PATH, WEBHOOK_SECRET], {
      cwd: dataDir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      if (output.length < 20_000) output += chunk.toString('utf8');
    });
    return Object.assign(child, { output: () => output });
  },
};

/** Runs one target: start it, warm up, `runs` measured runs of `seconds`, stop, verify. */
async function measureTarget(target: WebhookTarget, runs: number, seconds: number, connections: number) {
  const asOf = todayIn(POLICY_TIME_ZONE);
  const stub = await startStubApi();
  const dir = tempDir('webhook');
  const port = await freePort();
  const child = target.start(stub.url, port, dir);
  const templates = consultationScripts(400, asOf, 0, 4242);
  const live = new LiveChats(templates, stub.keyboards, 5_000_000, Math.max(400, connections * 10));
  const measured: WebhookRun[] = [];
  try {
    try {
      await waitFor(async () => {
        if (child.exitCode !== null)
          throw new Error(`${target.name} exited ${child.exitCode}: ${child.output()}`);
        return fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
      }, 20_000);
      // A Bot API call made in the webhook's response (Telegram's "webhook reply") is answered here as
      // the stub answers the others, and counted apart.
      const onReply = (body: string) => {
        let call: { method?: unknown } | undefined;
        try {
          call = JSON.parse(body) as { method?: unknown };
        } catch {
          return;
        }
        if (typeof call?.method !== 'string') return;
        const method = `${call.method} (webhook reply)`;
        stub.calls.set(method, (stub.calls.get(method) ?? 0) + 1);
        answerLocally(call.method, call as Record<string, unknown>, stub.keyboards);
      };
      await load(port, live, connections, Math.min(2, seconds), onReply, child.pid);
      for (let i = 0; i < runs; i++)
        measured.push(await load(port, live, connections, seconds, onReply, child.pid));
    } finally {
      await stopChild(child);
      await stub.close();
    }
    target.verify?.(dir, live.completed);
  } finally {
    removeDir(dir);
  }
  const perUpdate = [...stub.calls.entries()]
    .filter(([m]) => !['getMe', 'setMyCommands', 'setWebhook'].includes(m))
    .map(([m, n]) => `${m} ${(n / Math.max(1, live.answeredCount)).toFixed(2)}`)
    .join(', ');
  return { measured, completed: live.completed.length, failed: live.failed, perUpdate };
}

/** Section 4. `runs` measured runs of `seconds` each, after a warm-up run, for Luohu and the baseline. */
export async function benchWebhook(runs: number, seconds: number, connections = 40): Promise<Section> {
  const luohu = await measureTarget(LUOHU, runs, seconds, connections);
  const bare = await measureTarget(BARE, runs, seconds, connections);
  const cpu = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined);
  const rowsOf = (name: string, m: WebhookRun[], targets: boolean): Row[] => [
    row(
      `${name}: throughput`,
      'updates/s',
      m.map((r) => r.perSecond),
      targets ? atLeast(3000) : undefined,
    ),
    row(
      `${name}: latency p50`,
      'ms',
      m.map((r) => r.p50),
    ),
    row(
      `${name}: latency p99`,
      'ms',
      m.map((r) => r.p99),
      targets ? atMost(30) : undefined,
    ),
    row(
      `${name}: non-2xx, errors, timeouts`,
      'requests',
      m.map((r) => r.failures),
      targets ? atMost(0) : undefined,
    ),
    row(`${name}: bot process CPU`, 'cores', cpu(m.map((r) => r.botCpu))),
    row(
      `${name}: CPU per update`,
      'µs',
      cpu(m.map((r) => (r.botCpu === undefined ? undefined : (r.botCpu / r.perSecond) * 1e6))),
    ),
    row(
      `${name}: load generator + stub CPU`,
      'cores',
      m.map((r) => r.loadCpu),
    ),
  ];
  return {
    title: '4. Webhook over HTTP on loopback',
    intro: [
      `\`luohu serve\` (grammY, webhook mode, default settings) in a child process; autocannon posts updates at ${connections} ` +
        `connections for ${seconds} s per run (after a warm-up run), each with the secret header, across many chats: whole ` +
        "consultations, a chat's next message sent once the last was answered, taps on the buttons the bot sent. The Bot API " +
        "is a stub on 127.0.0.1 in the load generator's process: the bot's replies are real HTTP calls to it, " +
        "except one call an update may make in its webhook response (Telegram's webhook reply, counted apart) " +
        `(per update: ${luohu.perUpdate}). Consultations completed: ${luohu.completed}, all checked at their result in ` +
        `the database afterwards; failed requests: ${luohu.failed}.`,
      `Baseline in the same run, same harness and updates: a bare grammY bot that only replies (\`bare-webhook.ts\`: ` +
        `\`webhookCallback\` on node:http, one API call per update: ${bare.perUpdate}).`,
    ],
    rows: [
      ...rowsOf('Luohu webhook', luohu.measured, true),
      ...rowsOf('bare grammY webhook', bare.measured, false),
      row(
        'bare grammY webhook ÷ Luohu webhook, throughput',
        '×',
        bare.measured.map((b, i) => b.perSecond / (luohu.measured[i]?.perSecond ?? Number.NaN)),
      ),
    ],
  };
}
