/**
 * 7. Start-up and memory.
 *
 * Start-up: `node dist/bot/cli.js serve` (grammY, long polling, default settings) spawned against a
 * Bot API stub in this process; the time from the spawn to the bot's first `getUpdates` reaching the
 * stub (it has read its configuration, opened the store, checked its token with `getMe`, registered
 * its commands and is ready to take updates). Plain `node -e 0` is measured alongside, for scale.
 *
 * Memory: the same process's resident set (VmRSS) once it has started and handled a batch of
 * `/start` updates from chats spread across the store (each loads, renders and stores a conversation),
 * with a store of 100,000 realistic conversations against an empty store, in separate child processes.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Engine } from '../bot/engine.js';
import { SqliteStore } from '../bot/storage/sqlite.js';
import { MemoryStore } from '../bot/storage/store.js';
import type { StoredConversation } from '../machines/conversation.js';
import { POLICY_TIME_ZONE, todayIn } from '../rules/index.js';
import { startStubApi } from './fake-telegram.js';
import { mulberry32 } from './profiles.js';
import { atMost, row, type Section } from './report.js';
import { spawnServe, stopChild, waitFor } from './serve-child.js';
import { summarise } from './stats.js';
import { removeDir, tempDir } from './tmp.js';
import { consultationScripts } from './workload.js';

/** Stored conversations as the bot leaves them: `templates` people, a third of them half-way through. */
export async function storedConversations(templates: number, asOf: string): Promise<string[]> {
  const memory = new MemoryStore();
  const engine = new Engine({ store: memory });
  const out: string[] = [];
  for (const [i, script] of consultationScripts(templates, asOf, 1, 77).entries()) {
    const key = `t:${script.chatId}`;
    const steps = i % 3 === 0 ? script.steps.slice(0, Math.ceil(script.steps.length / 2)) : script.steps;
    for (const step of steps) {
      if ('tap' in step) await engine.send(key, { choice: step.tap });
      else if (step.text === '/start') await engine.current(key);
      else await engine.send(key, { text: step.text });
    }
    const stored = JSON.parse(memory.raw(key) ?? '{}') as StoredConversation;
    // The channel keeps the id of the message with the buttons.
    out.push(JSON.stringify({ ...stored, meta: { ...stored.meta, keyboard: 20 + i } }));
  }
  return out;
}

/** Fills a store in `dir` with `count` conversations (keys `telegram:1`…), from `templates`. */
export function fillStore(dir: string, count: number, templates: readonly string[]): number {
  const store = new SqliteStore({ dataDir: dir });
  try {
    store.transaction(() => {
      for (let i = 1; i <= count; i++)
        store.setSync(
          `telegram:${i}`,
          JSON.parse(templates[i % templates.length] as string) as StoredConversation,
        );
    });
    return store.count();
  } finally {
    store.close();
  }
}

/** VmRSS of a process, in MB (from /proc). */
function rssOf(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** `/start` from `count` chats picked at random among `1..chats`. */
function startUpdates(count: number, chats: number, seed: number): unknown[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => {
    const chatId = 1 + Math.floor(random() * chats);
    const chat = { id: chatId, type: 'private', first_name: 'Bench' };
    return {
      update_id: i + 1,
      message: {
        message_id: 1_000 + i,
        date: 0,
        chat,
        from: { id: chatId, is_bot: false, first_name: 'Bench', language_code: 'zh-hans' },
        text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    };
  });
}

interface ServeRun {
  /** Spawn to the first `getUpdates`, ms. */
  readonly readyMs: number;
  /** RSS once ready, MB. */
  readonly readyRss: number;
  /** RSS after the batch of updates, MB. */
  readonly servedRss?: number;
}

/** Starts `luohu serve` on `dataDir`; optionally feeds it `updates` and measures its RSS after them. */
async function serveOnce(dataDir: string, updates: readonly unknown[] = []): Promise<ServeRun> {
  let firstPoll = 0;
  let confirmedAll = false;
  const lastId = updates.length;
  const stub = await startStubApi({
    onCall: (method) => {
      if (method === 'getUpdates' && firstPoll === 0) firstPoll = performance.now();
    },
    updates: (offset, limit) => {
      if (offset > lastId) confirmedAll = true;
      return updates.slice(Math.max(0, offset - 1), Math.max(0, offset - 1) + limit);
    },
  });
  const start = performance.now();
  const child = spawnServe({ apiRoot: stub.url, dataDir });
  try {
    await waitFor(
      () => {
        if (child.exitCode !== null)
          throw new Error(`luohu serve exited ${child.exitCode}: ${child.output()}`);
        return firstPoll > 0;
      },
      20_000,
      1,
    );
    const readyMs = firstPoll - start;
    const readyRss = rssOf(child.pid);
    if (updates.length === 0) return { readyMs, readyRss };
    await waitFor(() => confirmedAll, 60_000, 10);
    // RSS moves with garbage collection: the least of a few samples is closest to what is live.
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 100));
      samples.push(rssOf(child.pid));
    }
    return { readyMs, readyRss, servedRss: Math.min(...samples) };
  } finally {
    await stopChild(child);
    await stub.close();
  }
}

/** Time for `node -e 0`, ms. */
function bareNodeMs(): number {
  const start = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  return performance.now() - start;
}

/** Section 7. `conversations`: stored conversations for the memory figure; `updates` sent to each. */
export async function benchStartup(
  runs: number,
  conversations: number,
  updates: number,
  memoryRuns = 3,
): Promise<Section> {
  const asOf = todayIn(POLICY_TIME_ZONE);
  const node: number[] = [];
  const ready: number[] = [];
  bareNodeMs();
  const warmDir = tempDir('startup');
  try {
    await serveOnce(warmDir);
  } finally {
    removeDir(warmDir);
  }
  for (let i = 0; i < runs; i++) {
    node.push(bareNodeMs());
    const dir = tempDir('startup');
    try {
      ready.push((await serveOnce(dir)).readyMs);
    } finally {
      removeDir(dir);
    }
  }

  const fullDir = tempDir('rss-full');
  const fillStart = performance.now();
  const templates = await storedConversations(Math.min(300, Math.ceil(conversations / 20)), asOf);
  const stored = fillStore(fullDir, conversations, templates);
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const templateBytes = summarise(templates.map((t) => Buffer.byteLength(t))).median;
  const full: ServeRun[] = [];
  const empty: ServeRun[] = [];
  try {
    const batch = startUpdates(updates, conversations, 5);
    for (let i = 0; i < memoryRuns; i++) {
      const emptyDir = tempDir('rss-empty');
      try {
        empty.push(await serveOnce(emptyDir, batch));
      } finally {
        removeDir(emptyDir);
      }
      full.push(await serveOnce(fullDir, batch));
    }
  } finally {
    removeDir(fullDir);
  }
  const served = (runs_: ServeRun[]) => runs_.map((r) => r.servedRss ?? Number.NaN);
  const diff = full.map((f, i) => (f.servedRss ?? 0) - (empty[i]?.servedRss ?? 0));
  return {
    title: '7. Start-up and memory',
    intro: [
      'Start-up: `node dist/bot/cli.js serve` (grammY, long polling, default settings, empty data directory) spawned against ' +
        'a Bot API stub on 127.0.0.1; measured from the spawn to its first `getUpdates` call reaching the stub (configuration ' +
        'read, store opened, `getMe`, commands registered, webhook deleted, polling started). `node -e 0` for scale.',
      `Memory: the same process's RSS (VmRSS) after it has handled ${updates} \`/start\` updates from chats picked at random ` +
        `across the store, with ${stored.toLocaleString('en-US')} stored conversations (copies of ${templates.length} real ` +
        `consultations, a third half-way; median ${templateBytes} bytes each; filled in ${fillSeconds.toFixed(1)} s) and with an ` +
        'empty store, each in its own child process (the least of five samples 100 ms apart, as garbage collection moves it).',
    ],
    rows: [
      row('node -e 0', 'ms', node),
      row('start-up to the first getUpdates', 'ms', ready, atMost(300)),
      row(`RSS, empty store, after ${updates} updates`, 'MB', served(empty)),
      row(
        `RSS, ${stored.toLocaleString('en-US')} conversations, after ${updates} updates`,
        'MB',
        served(full),
      ),
      row(`RSS, ${stored.toLocaleString('en-US')} conversations − empty store`, 'MB', diff, atMost(20)),
      row(
        `RSS at ready, ${stored.toLocaleString('en-US')} conversations`,
        'MB',
        full.map((r) => r.readyRss),
      ),
      row(
        `start-up to the first getUpdates, ${stored.toLocaleString('en-US')} conversations`,
        'ms',
        full.map((r) => r.readyMs),
      ),
    ],
  };
}
