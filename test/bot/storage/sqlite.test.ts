/** The SQLite store: round trips, persistence, deletion, purging, WAL, corrupt rows, the data dir. */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { Engine } from '../../../bot/engine.js';
import { DATABASE_FILE, databaseFile, SqliteStore } from '../../../bot/storage/sqlite.js';
import type { Committed } from '../../../bot/storage/store.js';
import {
  restoreConversation,
  type StoredConversation,
  startConversation,
  stepConversation,
  storeConversation,
} from '../../../machines/conversation.js';
import { viewOf } from '../../../machines/views.js';

const AS_OF = '2026-11-28';

/** A conversation a few answers in: consent, a birth date, a degree. */
function conversation(): StoredConversation {
  let snapshot = startConversation({ asOf: AS_OF, lang: 'en' });
  snapshot = stepConversation(snapshot, { type: 'CHOOSE', id: 'agree' });
  snapshot = stepConversation(snapshot, { type: 'TEXT', text: '1993-04-09' });
  snapshot = stepConversation(snapshot, { type: 'CHOOSE', id: 'bachelor' });
  return storeConversation(snapshot);
}

let dir: string;
let file: string;
const open: SqliteStore[] = [];

/** A store on the test's file, closed after the test. */
function store(options: Partial<{ now: () => number; onCorrupt: (key: string) => void }> = {}): SqliteStore {
  const s = new SqliteStore({ file, ...options });
  open.push(s);
  return s;
}

/** A second, raw connection to the test's file (as another tool would open it). */
function raw<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'luohu-sqlite-'));
  file = join(dir, 'test.sqlite');
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore', () => {
  test('round-trips a stored conversation', async () => {
    const s = store();
    const stored = conversation();
    expect(stored.answers.length).toBe(2);
    await s.set('telegram:1', stored);
    expect(await s.get('telegram:1')).toEqual(stored);
    expect(await s.get('telegram:2')).toBeUndefined();
    expect(s.count()).toBe(1);
    const restored = restoreConversation(await s.get('telegram:1'), AS_OF, { asOf: AS_OF, lang: 'en' });
    expect(restored.how).toBe('restored');
    expect(restored.snapshot.context.answers).toEqual(stepAnswers(stored));
  });

  test('set replaces the conversation under a key', async () => {
    const s = store();
    const first = storeConversation(startConversation({ asOf: AS_OF, lang: 'zh-CN' }));
    await s.set('k', first);
    await s.set('k', conversation());
    expect(s.count()).toBe(1);
    expect((await s.get('k'))?.answers.length).toBe(2);
  });

  test('works in memory', async () => {
    const s = new SqliteStore({ file: ':memory:' });
    open.push(s);
    await s.set('k', conversation());
    expect(await s.get('k')).toEqual(conversation());
  });

  test('survives closing and reopening the same file', async () => {
    const first = store();
    const stored = conversation();
    await first.set('telegram:1', stored);
    first.close();
    expect(first.open).toBe(false);
    first.close(); // twice is fine
    await expect(first.get('telegram:1')).rejects.toThrow();

    const second = store();
    expect(await second.get('telegram:1')).toEqual(stored);
    expect(second.count()).toBe(1);
  });

  test('delete erases the conversation, and only it', async () => {
    const s = store();
    await s.set('a', conversation());
    await s.set('b', conversation());
    await s.delete('a');
    await s.delete('missing');
    expect(await s.get('a')).toBeUndefined();
    expect(await s.get('b')).toBeDefined();
    expect(raw((db) => db.prepare("SELECT count(*) AS n FROM conversations WHERE key = 'a'").get())).toEqual({
      n: 0,
    });
  });

  test('purgeOlderThan deletes only the conversations untouched since the cutoff', async () => {
    let now = 1_000;
    const s = store({ now: () => now });
    await s.set('old', conversation());
    now = 2_000;
    await s.set('edge', conversation());
    now = 3_000;
    await s.set('new', conversation());
    now = 4_000;
    await s.set('refreshed', conversation());
    now = 500;
    await s.set('refreshed', conversation()); // written long ago...
    now = 5_000;
    await s.set('refreshed', conversation()); // ...and touched again since

    expect(s.purgeOlderThan(2_000)).toBe(1);
    expect(await s.get('old')).toBeUndefined();
    expect(await s.get('edge')).toBeDefined();
    expect(s.count()).toBe(3);
    expect(s.purgeOlderThan(2_000)).toBe(0);
    expect(s.purgeOlderThan(4_000)).toBe(2);
    expect(await s.get('refreshed')).toBeDefined();
    expect(s.count()).toBe(1);
  });

  test('stamps updated_at with the clock', async () => {
    const s = store({ now: () => 1_234_567 });
    await s.set('k', conversation());
    expect(raw((db) => db.prepare('SELECT updated_at FROM conversations').pluck().get())).toBe(1_234_567);
  });

  test('purgeOlderThan also forgets old processed updates', () => {
    const s = store();
    raw((db) => {
      db.prepare('INSERT INTO processed_updates (bot, update_id, at) VALUES (?, ?, ?)').run('b', 1, 100);
      db.prepare('INSERT INTO processed_updates (bot, update_id, at) VALUES (?, ?, ?)').run('b', 2, 900);
    });
    s.purgeOlderThan(500);
    expect(raw((db) => db.prepare('SELECT update_id FROM processed_updates').pluck().all())).toEqual([2]);
  });

  test('runs in WAL mode with the tables and index in place', () => {
    store();
    raw((db) => {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const names = db
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")
        .pluck()
        .all();
      // No secondary index: each commit writes one b-tree (purges scan, see purgeOlderThan).
      expect(names.filter((n) => !String(n).startsWith('sqlite_autoindex'))).toEqual([
        'conversations',
        'processed_updates',
      ]);
      const info = (table: string) =>
        db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; pk: number }[];
      expect(info('conversations').map((c) => c.name)).toEqual([
        'key',
        'seq',
        'updated_at',
        'updates',
        'data',
      ]);
      expect(
        info('processed_updates')
          .filter((c) => c.pk > 0)
          .map((c) => c.name),
      ).toEqual(['bot', 'update_id']);
    });
  });

  test('a corrupt row reads as absent, tells onCorrupt its key, and is replaced by the next write', async () => {
    const onCorrupt = vi.fn();
    const s = store({ onCorrupt });
    await s.set('broken', conversation());
    await s.set('scalar', conversation());
    await s.set('array', conversation());
    raw((db) => {
      db.prepare('UPDATE conversations SET data = \'{"v": 1, "answers": [\' WHERE key = \'broken\'').run();
      db.prepare("UPDATE conversations SET data = '42' WHERE key = 'scalar'").run();
      db.prepare("UPDATE conversations SET data = '[]' WHERE key = 'array'").run();
    });
    await expect(s.get('broken')).resolves.toBeUndefined();
    await expect(s.get('scalar')).resolves.toBeUndefined();
    await expect(s.get('array')).resolves.toBeUndefined();
    expect(onCorrupt.mock.calls).toEqual([['broken'], ['scalar'], ['array']]);

    await s.set('broken', conversation());
    expect(await s.get('broken')).toEqual(conversation());
  });

  test('the engine starts afresh over a corrupt row', async () => {
    const s = store();
    const engine = new Engine({ store: s, today: () => AS_OF });
    await engine.send('telegram:7', { choice: 'agree' }, 'en');
    expect((await s.get('telegram:7'))?.stage).toBe('active');
    raw((db) => db.prepare("UPDATE conversations SET data = 'not json' WHERE key = 'telegram:7'").run());
    // A new process (the engine that wrote the row would keep using its live copy: one writer).
    const turn = await new Engine({ store: s, today: () => AS_OF }).current('telegram:7', 'en');
    expect(turn.loaded).toBe('new');
    expect(turn.view).toEqual(viewOf(startConversation({ asOf: AS_OF, lang: 'en' })));
    expect((await s.get('telegram:7'))?.stage).toBe('consent');
  });

  test('transaction commits what fn wrote and returns its value', () => {
    const s = store();
    const result = s.transaction(() => {
      s.setSync('a', conversation());
      s.setSync('b', conversation());
      return s.count();
    });
    expect(result).toBe(2);
    expect(s.getSync('a')).toEqual(conversation());
  });

  test('transaction rolls back everything when fn throws', () => {
    const s = store();
    s.setSync('kept', conversation());
    expect(() =>
      s.transaction(() => {
        s.deleteSync('kept');
        s.setSync('lost', conversation());
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(s.getSync('kept')).toBeDefined();
    expect(s.getSync('lost')).toBeUndefined();
  });

  test('transaction refuses an async function', () => {
    const s = store();
    expect(() => s.transaction(async () => 1)).toThrow(/promise/i);
  });

  test('creates the data directory, owner only, with the database inside', async () => {
    const dataDir = join(dir, 'nested', 'data');
    const s = new SqliteStore({ dataDir });
    open.push(s);
    await s.set('k', conversation());
    expect(s.file).toBe(join(dataDir, DATABASE_FILE));
    expect(statSync(dataDir).isDirectory()).toBe(true);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(s.file).mode & 0o777).toBe(0o600);
    s.close();

    const again = new SqliteStore({ dataDir });
    open.push(again);
    expect(await again.get('k')).toEqual(conversation());
  });

  test('the default data directory is ./data', () => {
    expect(databaseFile()).toBe(join('data', DATABASE_FILE));
    expect(databaseFile({ dataDir: '/srv/luohu' })).toBe(join('/srv/luohu', DATABASE_FILE));
    expect(databaseFile({ file: ':memory:' })).toBe(':memory:');
  });

  test('a file in a missing directory is an error, not a silent new directory', () => {
    const missing = join(dir, 'no', 'such', 'db.sqlite');
    expect(() => new SqliteStore({ file: missing })).toThrow();
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });
});

/** The answers a restored snapshot holds for a stored conversation. */
function stepAnswers(stored: StoredConversation): Record<string, unknown> {
  return Object.fromEntries(stored.answers.map(([q, v]) => [q, v]));
}

describe('SqliteStore: processed updates kept in the conversation row', () => {
  const BOT = 'telegram:42';
  const update = (id: number) => ({ bot: BOT, id });

  test('commit records the update in the row: a redelivery changes nothing, other bots are apart', async () => {
    const s = store();
    expect(await s.commit('k', { ...conversation(), seq: 1 }, update(1))).toBe(true);
    expect(await s.commit('k', { ...conversation(), seq: 2 }, update(2))).toBe(true);
    expect(await s.commit('k', { ...conversation(), seq: 9 }, update(1))).toBe(false);
    expect((await s.get('k'))?.seq).toBe(2);
    expect(await s.hasUpdate(update(2), 'k')).toBe(true);
    expect(await s.hasUpdate(update(2))).toBe(true);
    expect(await s.hasUpdate({ bot: 'telegram:43', id: 2 }, 'k')).toBe(false);
    expect(await s.hasUpdate(update(3), 'k')).toBe(false);
    expect(raw((db) => db.prepare('SELECT count(*) FROM processed_updates').pluck().get())).toBe(0);
  });

  test('load: one look-up says whether the update was processed, and skips the data when seq is unchanged', async () => {
    const s = store();
    await s.commit('k', { ...conversation(), seq: 1 }, update(5));
    expect(await s.load('k', { update: update(5), seq: 1 })).toEqual({
      found: true,
      processed: true,
      unchanged: true,
    });
    const full = await s.load('k', { update: update(6), seq: 0 });
    expect(full.processed).toBe(false);
    expect('conversation' in full && full.conversation.seq).toBe(1);
    expect(await s.load('none', { update: update(5) })).toEqual({ found: false, processed: false });
  });

  test('a row changed behind the store (its cached ids stale) is still committed exactly once', async () => {
    const s = store();
    await s.commit('k', { ...conversation(), seq: 1 }, update(1));
    // Another writer records update 2 in the row (what a second process would do).
    raw((db) =>
      db
        .prepare('UPDATE conversations SET updates = ? WHERE key = ?')
        .run(JSON.stringify({ [BOT]: [Date.now(), 1, 2] }), 'k'),
    );
    expect(await s.commit('k', { ...conversation(), seq: 2 }, update(2))).toBe(false);
    expect(await s.commit('k', { ...conversation(), seq: 2 }, update(3))).toBe(true);
    expect(await s.hasUpdate(update(3), 'k')).toBe(true);
  });

  test('an erasure takes the row with its updates; the erasing update is remembered under no one', async () => {
    const s = store();
    await s.commit('k', { ...conversation(), seq: 1 }, update(1));
    expect(await s.commit('k', undefined, update(2))).toBe(true);
    expect(await s.get('k')).toBeUndefined();
    expect(await s.hasUpdate(update(1))).toBe(false);
    expect(await s.hasUpdate(update(2), 'k')).toBe(true);
    expect(await s.commit('k', undefined, update(2))).toBe(false);
    // A claim (an update that changes no conversation) is kept apart as well.
    expect(await s.claimUpdate(update(3))).toBe(true);
    expect(await s.claimUpdate(update(3))).toBe(false);
    expect(
      raw((db) => db.prepare('SELECT update_id FROM processed_updates ORDER BY 1').pluck().all()),
    ).toEqual([2, 3]);
  });

  test('a database of the previous layout is migrated: conversations kept, update records moved into them', async () => {
    const now = Date.now();
    raw((db) => {
      db.exec(`
        CREATE TABLE conversations (key TEXT PRIMARY KEY, data TEXT NOT NULL, updated_at INTEGER NOT NULL);
        CREATE INDEX conversations_updated_at ON conversations (updated_at);
        CREATE TABLE processed_updates (bot TEXT NOT NULL, update_id INTEGER NOT NULL,
          key TEXT NOT NULL DEFAULT '', at INTEGER NOT NULL, PRIMARY KEY (bot, update_id));
        CREATE INDEX processed_updates_at ON processed_updates (at);
        CREATE INDEX processed_updates_key ON processed_updates (key);`);
      db.prepare('INSERT INTO conversations VALUES (?, ?, ?)').run('a', JSON.stringify(conversation()), now);
      const record = db.prepare('INSERT INTO processed_updates VALUES (?, ?, ?, ?)');
      for (let id = 1; id <= 20; id++) record.run(BOT, id, 'a', now);
      record.run(BOT, 21, '', now); // a claim, or a /delete
      record.run(BOT, 22, 'gone', now); // tied to a conversation no longer there
    });
    const s = store();
    expect(await s.get('a')).toEqual(conversation());
    for (const id of [1, 5, 20]) expect(await s.hasUpdate(update(id), 'a')).toBe(true);
    expect(await s.hasUpdate(update(21))).toBe(true);
    expect(await s.hasUpdate(update(22), 'gone')).toBe(true);
    expect(await s.hasUpdate(update(23), 'a')).toBe(false);
    expect(await s.commit('a', { ...conversation(), seq: 1 }, update(20))).toBe(false);
    expect(await s.commit('a', { ...conversation(), seq: 1 }, update(23))).toBe(true);
    raw((db) => {
      expect(
        db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all(),
      ).toEqual([]);
      expect(db.prepare('SELECT update_id FROM processed_updates ORDER BY 1').pluck().all()).toEqual([
        21, 22,
      ]);
    });
    // Opening it again changes nothing.
    s.close();
    const again = store();
    expect(await again.get('a')).toEqual({ ...conversation(), seq: 1 });
    expect(await again.hasUpdate(update(23), 'a')).toBe(true);
  });

  test('an erasure while the checkpoint worker runs: the erased data is in neither file', async () => {
    const s = store();
    const secret = 'SECRET-1977-07-17';
    for (let id = 1; id <= 300; id++) {
      const key = id % 3 === 0 ? 'me' : `other${id % 7}`;
      const record = { ...conversation(), seq: id, ...(key === 'me' ? { meta: { note: secret } } : {}) };
      expect(await s.commit(key, record, update(id))).toBe(true);
      if (id % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const inFiles = () =>
      [file, `${file}-wal`].filter((f) => existsSync(f) && readFileSync(f).includes(secret));
    expect(inFiles().length).toBeGreaterThan(0);
    expect(await s.commit('me', undefined, update(301))).toBe(true);
    expect(inFiles()).toEqual([]);
    s.close();
    expect(inFiles()).toEqual([]);
  });

  test('many commits: checkpoints run in a worker; close leaves no log files and nothing is lost', async () => {
    const s = store();
    for (let id = 1; id <= 400; id++)
      expect(await s.commit(`k${id % 10}`, { ...conversation(), seq: id }, update(id))).toBe(true);
    // Give the worker time to start and checkpoint.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await s.commit('k0', undefined, update(401));
    s.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(existsSync(`${file}-shm`)).toBe(false);
    const again = store();
    expect(again.count()).toBe(9);
    expect((await again.get('k9'))?.seq).toBe(399);
    expect(await again.hasUpdate(update(399), 'k9')).toBe(true);
    expect(await again.hasUpdate(update(401), 'k0')).toBe(true);
  });
});

describe('SqliteStore: the write-ahead log under sustained writes', () => {
  const BOT = 'telegram:42';
  const update = (id: number) => ({ bot: BOT, id });
  const walSize = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

  test('is started again past its limit, though the writes never pause, and nothing is lost', async () => {
    const s = new SqliteStore({ file, walLimit: 256 * 1024 });
    open.push(s);
    let id = 0;
    let restarts = 0;
    let last = 0;
    const started = performance.now();
    // Commits one after another (each a 4 KB page of log), never pausing long enough for a passive
    // checkpoint to catch up, until the log has been started again twice (its file cut back to the
    // limit, so it shrinks) or 10 s have passed: without the restarts it only grows.
    while (restarts < 2 && performance.now() - started < 10_000) {
      for (let i = 0; i < 20; i++) {
        id++;
        const key = `k${id % 10}`;
        await s.load(key, { update: update(id) });
        expect(await s.commit(key, { ...conversation(), seq: id }, update(id))).toBe(true);
      }
      await new Promise((resolve) => setImmediate(resolve));
      const size = walSize();
      if (size < last) restarts++;
      last = size;
    }
    expect(restarts).toBe(2);
    expect(s.count()).toBe(10);
    expect(s.getSync(`k${id % 10}`)?.seq).toBe(id);
    // Once the writes pause, the checkpoints catch up; the next commit starts the log again and its
    // file is cut back to the limit.
    await new Promise((resolve) => setTimeout(resolve, 700));
    id++;
    await s.load('k0', { update: update(id) });
    expect(await s.commit('k0', { ...conversation(), seq: id }, update(id))).toBe(true);
    expect(walSize()).toBeLessThanOrEqual(256 * 1024);
  });

  test('a limit that is not a positive number of bytes is refused', () => {
    expect(() => new SqliteStore({ file, walLimit: 0 })).toThrow(RangeError);
    expect(() => new SqliteStore({ file, walLimit: Number.NaN })).toThrow('walLimit');
  });
});

describe('SqliteStore: group commit (one transaction per turn of the event loop)', () => {
  const BOT = 'telegram:42';
  const update = (id: number) => ({ bot: BOT, id });
  /** How many conversations another connection sees: only what is committed. */
  const committed = () => raw((db) => db.prepare('SELECT count(*) FROM conversations').pluck().get());

  test('the commits of one turn are stored together, and none resolves before they are', async () => {
    const s = store();
    const settled: number[] = [];
    const commits = [1, 2, 3, 4, 5].map((id) =>
      s.commit(`telegram:${id}`, { ...conversation(), seq: 1 }, update(id)).then((done) => {
        // Whichever resolves first, all five are committed by then, in one transaction.
        settled.push(committed() as number);
        return done;
      }),
    );
    // The statements ran (this connection reads its own writes), but nothing is committed yet.
    expect(s.getSync('telegram:3')?.seq).toBe(1);
    expect(committed()).toBe(0);
    expect(await Promise.all(commits)).toEqual([true, true, true, true, true]);
    expect(settled).toEqual([5, 5, 5, 5, 5]);
  });

  test('a quiet store commits a turn of one look-up and its write at the write, not at the end of the turn', async () => {
    const s = store();
    await s.load('telegram:1', { update: update(1) });
    const alone = s.commit('telegram:1', { ...conversation(), seq: 1 }, update(1));
    // Committed before the promise is awaited: nothing else is in the turn to wait for.
    expect(committed()).toBe(1);
    expect(await alone).toBe(true);
    // The same for an erasure (the log is emptied too).
    await s.load('telegram:1', { update: update(2), seq: 1 });
    const erased = s.commit('telegram:1', undefined, update(2));
    expect(committed()).toBe(0);
    expect(await erased).toBe(true);
  });

  test('a turn of one look-up that writes nothing (before consent) ends at `loaded`, not at the end of the turn', async () => {
    const s = store();
    const writeFromElsewhere = () =>
      raw((db) => {
        db.pragma('busy_timeout = 0');
        db.prepare('INSERT INTO processed_updates (bot, update_id, at) VALUES (?, ?, 0)').run('other', 1);
      });
    await s.load('telegram:1', { update: update(1) });
    // The look-up's transaction holds the write lock until the turn ends...
    expect(writeFromElsewhere).toThrow(/busy|locked/i);
    // ...unless the engine says the turn writes nothing.
    s.loaded('telegram:1');
    expect(writeFromElsewhere).not.toThrow();
    // Not a turn other conversations joined: theirs commit as before.
    await s.load('telegram:2', { update: update(2) });
    await s.load('telegram:3', { update: update(3) });
    const write = s.commit('telegram:3', { ...conversation(), seq: 1 }, update(3));
    s.loaded('telegram:2');
    expect(await write).toBe(true);
    expect(await s.get('telegram:3')).toBeDefined();
  });

  test('look-ups of several conversations in one turn (a polling batch) still share one commit', async () => {
    const s = store();
    await Promise.all([1, 2, 3].map((id) => s.load(`telegram:${id}`, { update: update(id) })));
    const commits = [1, 2, 3].map((id) =>
      s.commit(`telegram:${id}`, { ...conversation(), seq: 1 }, update(id)),
    );
    expect(committed()).toBe(0);
    expect(await Promise.all(commits)).toEqual([true, true, true]);
    expect(committed()).toBe(3);
  });

  test('after a turn of several writes, a lone write waits for the end of its turn; after a quiet turn it does not', async () => {
    const s = store();
    const turnEnds = () => new Promise((resolve) => setImmediate(resolve));
    // A busy turn: two writes (webhook requests read one after another).
    await Promise.all(
      [1, 2].map((id) => s.commit(`telegram:${id}`, { ...conversation(), seq: 1 }, update(id))),
    );
    await turnEnds();
    await s.load('telegram:3', { update: update(3) });
    const waits = s.commit('telegram:3', { ...conversation(), seq: 1 }, update(3));
    expect(committed()).toBe(2);
    expect(await waits).toBe(true);
    expect(committed()).toBe(3);
    // That turn had one write: the bot is quiet again.
    await turnEnds();
    await s.load('telegram:4', { update: update(4) });
    const alone = s.commit('telegram:4', { ...conversation(), seq: 1 }, update(4));
    expect(committed()).toBe(4);
    expect(await alone).toBe(true);
  });

  test('a redelivery in the same turn resolves false at once; the first delivery is stored', async () => {
    const s = store();
    const first = s.commit('k', { ...conversation(), seq: 1 }, update(7));
    const again = s.commit('k', { ...conversation(), seq: 2 }, update(7));
    expect(await again).toBe(false);
    expect(await first).toBe(true);
    expect((await s.get('k'))?.seq).toBe(1);
  });

  test('set, delete and claimUpdate resolve once committed', async () => {
    const s = store();
    await s.set('a', conversation());
    const set = s.set('b', conversation());
    const deleted = s.delete('a');
    const claimed = s.claimUpdate(update(9));
    expect(committed()).toBe(1);
    await Promise.all([set, deleted]);
    expect(raw((db) => db.prepare('SELECT key FROM conversations').pluck().all())).toEqual(['b']);
    expect(await claimed).toBe(true);
    expect(raw((db) => db.prepare('SELECT update_id FROM processed_updates').pluck().all())).toEqual([9]);
    expect(await s.claimUpdate(update(9))).toBe(false);
  });

  test('the synchronous methods and close commit an open turn first: nothing is lost', async () => {
    const s = store();
    const pending = s.commit('k1', { ...conversation(), seq: 1 }, update(1));
    s.setSync('k2', conversation());
    expect(committed()).toBe(2);
    expect(await pending).toBe(true);
    const atClose = s.commit('k3', { ...conversation(), seq: 1 }, update(2));
    s.close();
    expect(await atClose).toBe(true);
    const again = store();
    expect(again.count()).toBe(3);
    expect(await again.hasUpdate(update(2), 'k3')).toBe(true);
  });

  test("inside the caller's transaction, writes belong to it and resolve at once", async () => {
    const s = store();
    let inside: Promise<Committed> | undefined;
    s.transaction(() => {
      inside = s.commit('k', { ...conversation(), seq: 1 }, update(1));
      expect(committed()).toBe(0);
    });
    expect(committed()).toBe(1);
    expect(await inside).toBe(true);
  });

  test('a statement that rolls the whole turn back fails every write of the turn; the next turn is clean', async () => {
    const s = store();
    await s.commit('a', { ...conversation(), seq: 1 }, update(1));
    await s.commit('b', { ...conversation(), seq: 1 }, update(2));
    // As a full disk or an I/O error would, the trigger makes SQLite roll back the whole transaction.
    raw((db) =>
      db.exec(`CREATE TRIGGER roll_back AFTER UPDATE ON conversations WHEN new.key = 'b'
        BEGIN SELECT RAISE(ROLLBACK, 'simulated I/O error'); END`),
    );
    const first = s.commit('a', { ...conversation(), seq: 2 }, update(3));
    const second = s.commit('b', { ...conversation(), seq: 2 }, update(4));
    await expect(second).rejects.toThrow('simulated I/O error');
    await expect(first).rejects.toThrow('simulated I/O error');
    expect(s.getSync('a')?.seq).toBe(1);
    raw((db) => db.exec('DROP TRIGGER roll_back'));
    // Nothing of the failed turn is remembered: both updates apply when delivered again.
    expect(await s.commit('a', { ...conversation(), seq: 2 }, update(3))).toBe(true);
    expect(await s.commit('b', { ...conversation(), seq: 2 }, update(4))).toBe(true);
    expect([(await s.get('a'))?.seq, (await s.get('b'))?.seq]).toEqual([2, 2]);
  });

  test("a test's fake timers do not hold the commit back", async () => {
    const s = store();
    vi.useFakeTimers();
    try {
      expect(await s.commit('k', { ...conversation(), seq: 1 }, update(1))).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    expect(committed()).toBe(1);
  });
});

describe('SqliteStore: load without a read when nothing changed', () => {
  const BOT = 'telegram:42';
  const update = (id: number) => ({ bot: BOT, id });
  /** How many conversations another connection sees: only what is committed. */
  const committed = () => raw((db) => db.prepare('SELECT count(*) FROM conversations').pluck().get());
  /** Writes a row of no conversation from another connection, failing at once if it is locked. */
  const writeFromElsewhere = () =>
    raw((db) => {
      db.pragma('busy_timeout = 0');
      db.prepare('INSERT OR IGNORE INTO processed_updates (bot, update_id, at) VALUES (?, ?, 0)').run('x', 1);
    });
  /** Another process rewrites `k` with a new seq (the caller's copy is then stale). */
  const rewrite = (key: string, seq: number) =>
    raw((db) =>
      db
        .prepare('UPDATE conversations SET seq = ?, data = ? WHERE key = ?')
        .run(seq, JSON.stringify({ ...conversation(), seq }), key),
    );

  test('an update handled alone is looked up from memory, with no lock held, and committed by one write at once', async () => {
    const s = store();
    expect(await s.commit('k', { ...conversation(), seq: 1 }, update(1))).toBe(true);
    expect(await s.load('k', { update: update(2), seq: 1 })).toEqual({
      found: true,
      processed: false,
      unchanged: true,
    });
    // No transaction is open between the look-up and the commit: others can write meanwhile.
    expect(writeFromElsewhere).not.toThrow();
    const write = s.commit('k', { ...conversation(), seq: 2 }, update(2));
    expect(raw((db) => db.prepare("SELECT seq FROM conversations WHERE key = 'k'").pluck().get())).toBe(2);
    expect(await write).toBe(true);
    expect(await s.load('k', { update: update(2), seq: 2 })).toEqual({
      found: true,
      processed: true,
      unchanged: true,
    });
  });

  test('a look-up without a channel update (followed by `set`) still holds the row until the end of its turn', async () => {
    const s = store();
    await s.commit('k', { ...conversation(), seq: 1 }, update(1));
    expect(await s.load('k', { seq: 1 })).toEqual({ found: true, processed: false, unchanged: true });
    expect(writeFromElsewhere).toThrow(/busy|locked/i);
    await s.set('k', { ...conversation(), seq: 2 });
    expect(writeFromElsewhere).not.toThrow();
    expect((await s.get('k'))?.seq).toBe(2);
  });

  test("a row another connection rewrote after a look-up from memory is not overwritten: the commit is 'stale'", async () => {
    const s = store();
    await s.commit('k', { ...conversation(), seq: 1 }, update(1));
    expect(await s.load('k', { update: update(2), seq: 1 })).toMatchObject({ unchanged: true });
    rewrite('k', 5);
    expect(await s.commit('k', { ...conversation(), seq: 2 }, update(2))).toBe('stale');
    expect((await s.get('k'))?.seq).toBe(5);
    expect(await s.hasUpdate(update(2), 'k')).toBe(false);
    // The next look-up reads the row: the caller's seq 1 is not taken for it.
    const reread = await s.load('k', { update: update(2), seq: 1 });
    expect('conversation' in reread && reread.conversation.seq).toBe(5);
    expect(await s.commit('k', { ...conversation(), seq: 6 }, update(2))).toBe(true);
    expect((await s.get('k'))?.seq).toBe(6);
  });

  test("a row another connection erased, or that recorded the update, after a look-up from memory: 'stale', nothing written", async () => {
    const s = store();
    await s.commit('k', { ...conversation(), seq: 1 }, update(1));
    await s.load('k', { update: update(2), seq: 1 });
    raw((db) => db.prepare("DELETE FROM conversations WHERE key = 'k'").run());
    expect(await s.commit('k', { ...conversation(), seq: 2 }, update(2))).toBe('stale');
    expect(committed()).toBe(0);
    expect(await s.load('k', { update: update(2), seq: 1 })).toEqual({ found: false, processed: false });
    s.loaded('k');
    // Another process handled update 4 (a redelivery racing this one): it is in the row's ids.
    await s.commit('j', { ...conversation(), seq: 1 }, update(3));
    await s.load('j', { update: update(4), seq: 1 });
    raw((db) =>
      db
        .prepare("UPDATE conversations SET seq = 2, updates = ? WHERE key = 'j'")
        .run(JSON.stringify({ [BOT]: [Date.now(), 3, 4] })),
    );
    expect(await s.commit('j', { ...conversation(), seq: 2 }, update(4))).toBe('stale');
    expect(await s.load('j', { update: update(4), seq: 2 })).toMatchObject({ processed: true });
  });

  test('while a look-up from memory is in flight, other look-ups open the turn, and its commit joins it', async () => {
    const s = store();
    await s.commit('a', { ...conversation(), seq: 1 }, update(1));
    await s.commit('b', { ...conversation(), seq: 1 }, update(2));
    await s.load('a', { update: update(3), seq: 1 });
    // A second update handled meanwhile (a polling batch): its look-up takes the write lock.
    await s.load('b', { update: update(4), seq: 1 });
    expect(writeFromElsewhere).toThrow(/busy|locked/i);
    const first = s.commit('a', { ...conversation(), seq: 2 }, update(3));
    const second = s.commit('b', { ...conversation(), seq: 2 }, update(4));
    // One commit for both, at the end of the turn.
    const seqs = () => raw((db) => db.prepare('SELECT seq FROM conversations ORDER BY key').pluck().all());
    expect(seqs()).toEqual([1, 1]);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(seqs()).toEqual([2, 2]);
  });

  test('a look-up that opens the turn still reads a row another connection wrote since (PRAGMA data_version)', async () => {
    const s = store();
    await s.commit('a', { ...conversation(), seq: 1 }, update(1));
    await s.commit('b', { ...conversation(), seq: 1 }, update(2));
    await s.load('a', { update: update(3), seq: 1 });
    rewrite('b', 5);
    const reread = await s.load('b', { update: update(4), seq: 1 });
    expect('conversation' in reread && reread.conversation.seq).toBe(5);
    // The look-up from memory before it cannot be trusted either: its commit writes nothing.
    expect(await s.commit('a', { ...conversation(), seq: 2 }, update(3))).toBe('stale');
    expect(await s.commit('b', { ...conversation(), seq: 6 }, update(4))).toBe(true);
  });

  test('the engine does a turn again on the record another process wrote since, not on its live copy', async () => {
    const s = store();
    const engine = new Engine({ store: s, today: () => AS_OF });
    const key = 'telegram:7';
    await engine.send(key, { choice: 'agree' }, 'en', { update: update(1) });
    expect((await s.get(key))?.seq).toBe(1);
    // Another process stores the same person further on: birth date and degree answered, seq 7.
    rewrite(key, 7);
    const turn = await engine.send(key, { choice: 'yes' }, 'en', { update: update(2) });
    expect(turn.duplicate).toBe(false);
    const stored = await s.get(key);
    expect(stored?.seq).toBe(8);
    // The answers of the stored record are kept (the live copy had none of them).
    const { snapshot } = restoreConversation(stored as StoredConversation, AS_OF, {
      asOf: AS_OF,
      lang: 'en',
    });
    expect(snapshot.context.answers).toMatchObject({ birthDate: '1993-04-09', education: 'bachelor' });
    expect(await s.hasUpdate(update(2), key)).toBe(true);
  });

  test('a set by this store changes the seq it answers for', async () => {
    const s = store();
    await s.commit('k', { ...conversation(), seq: 1 }, update(1));
    await s.set('k', { ...conversation(), seq: 2 });
    const loaded = await s.load('k', { update: update(2), seq: 1 });
    expect('conversation' in loaded && loaded.conversation.seq).toBe(2);
    expect(await s.load('k', { update: update(1), seq: 2 })).toEqual({
      found: true,
      processed: true,
      unchanged: true,
    });
  });
});
