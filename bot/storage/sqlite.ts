/**
 * A {@link ConversationStore} in one SQLite file (better-sqlite3), for a bot that must remember
 * conversations across restarts.
 *
 * Layout: `conversations(key, seq, updated_at, updates, data)` holds one JSON
 * {@link StoredConversation} per key (`data`), its `seq` (so that the engine can tell its live copy
 * is current without reading `data`), the time it was last written (milliseconds since the epoch, so
 * that old conversations can be purged, `retention.ts`) and the ids of its last channel updates
 * (`updates`, see `window.ts`): handling an update is one write of one row, which records the update
 * too, so a redelivery is recognised. `processed_updates(bot, update_id, at)` keeps the updates that
 * change no conversation and those that erased one (`/delete`), tied to no one.
 *
 * The database runs in WAL mode with `synchronous = NORMAL`: readers do not block the writer, and the
 * log is flushed to disk at checkpoints rather than at every commit. An application crash loses
 * nothing; a power cut or OS crash may roll back the last few commits (it never corrupts the file).
 * Checkpoints run off the request path: in a worker thread with its own connection
 * (`checkpointer.ts`), not inside whichever commit fills the log.
 *
 * Group commit: the reads and writes of one turn of the event loop share one transaction, committed
 * when the turn ends (`setImmediate`). The updates that arrive together (a polling batch, the webhook
 * requests read in one turn) are stored by one commit, which costs about what one update's did; each
 * write's promise resolves once that commit is done, so nothing is acknowledged before it is stored.
 * When the bot is quiet (the last turn had at most one write), a turn that holds one conversation's
 * look-up and its write, and nothing else, is committed at that write: an update handled alone is not
 * kept waiting for others that are not coming. Updates handled together (a polling batch) look their
 * conversations up before the first of them writes, so their turn still ends with one commit; and
 * once a turn has had several writes (webhook requests read one after another in one turn, each
 * handled alone), the writes of the next turn wait for its end again.
 *
 * Look-ups from memory: on a quiet bot, the look-up of an update alone in flight, of a conversation
 * this store wrote or read last with the caller's `seq`, opens no transaction and runs no statement;
 * its commit is one conditional `UPDATE` on its own, which writes only if the row still has the
 * recent update ids and the `seq` this store saw, and otherwise writes nothing and resolves
 * `'stale'` (the engine then does the turn again on the stored row). So a lone update costs one
 * statement, with no lock held while the engine works on it.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// Node's own, not the global: a test's fake timers must not hold the commits back.
import { setImmediate } from 'node:timers';
import Database from 'better-sqlite3';
import type { StoredConversation } from '../../machines/conversation.js';
import { Checkpointer } from './checkpointer.js';
import type { Committed, ConversationStore, Loaded, LoadOptions, UpdateRef } from './store.js';
import {
  formatWindow,
  parseWindow,
  pushFormatted,
  pushWindow,
  UPDATE_WINDOW,
  type UpdateWindow,
  windowHas,
} from './window.js';

/** The data directory used when none is given (relative to the working directory). */
export const DEFAULT_DATA_DIR = './data';

/** The name of the database file inside the data directory. */
export const DATABASE_FILE = 'luohu.sqlite';

/** How long a statement waits for a lock held by another connection before failing (ms). */
export const BUSY_TIMEOUT_MS = 5000;

/** Options of {@link SqliteStore}: a database file, or a data directory to keep it in. */
export type SqliteStoreOptions = (
  | {
      /**
       * The database file (`:memory:` for a private in-memory database). Its directory must exist.
       * A new file is created readable by its owner only (mode 0o600).
       */
      readonly file: string;
    }
  | {
      /**
       * The data directory (e.g. `LUOHU_DATA_DIR`); default {@link DEFAULT_DATA_DIR}. Created on first
       * run with mode 0o700 (owner only); the database is {@link DATABASE_FILE} inside it.
       */
      readonly dataDir?: string;
    }
) & {
  /** The clock stamped on every write, in ms since the epoch; default `Date.now`. */
  readonly now?: () => number;
  /**
   * Called with the key of a row whose data could not be read (not JSON, or not a JSON object); the
   * row is then treated as absent. For a log line: the key (e.g. `telegram:12345`), never the data.
   */
  readonly onCorrupt?: (key: string) => void;
  /**
   * The size (bytes) the write-ahead log is kept to under sustained writes; default
   * {@link WAL_LIMIT}. Past it, the checkpoints hold the writer back for a moment to start the log
   * again, and the file is cut back to it when they do.
   */
  readonly walLimit?: number;
};

/** The database file an options object designates. */
export function databaseFile(options: SqliteStoreOptions = {}): string {
  return 'file' in options ? options.file : join(options.dataDir ?? DEFAULT_DATA_DIR, DATABASE_FILE);
}

/**
 * One row per conversation. The small columns come before `data` so that the engine's look-up reads
 * them without decoding the data. No index on `updated_at` (each would be one more b-tree written by
 * every commit; the retention purge scans instead). A rowid table: `WITHOUT ROWID` measured slower
 * (rows of 1–2 KB spill to overflow pages in its b-tree).
 */
const CONVERSATIONS = `
  CREATE TABLE IF NOT EXISTS conversations (
    key TEXT PRIMARY KEY,
    seq INTEGER,
    updated_at INTEGER NOT NULL,
    updates TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL
  )`;

const PROCESSED_UPDATES = `
  CREATE TABLE IF NOT EXISTS processed_updates (
    bot TEXT NOT NULL,
    update_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (bot, update_id)
  ) WITHOUT ROWID`;

/**
 * The default size of the write-ahead log under sustained writes (see `checkpointer.ts`): 64 MiB,
 * about a second of commits one at a time at full speed on a small machine.
 */
export const WAL_LIMIT = 64 * 2 ** 20;

/** How many conversations' recent update ids the store keeps in memory for its fast commit. */
const WINDOW_CACHE_SIZE = 10_000;

/**
 * How often the write-ahead log is copied into the database (ms): by a worker thread
 * ({@link Checkpointer}) once the store has seen {@link CHECKPOINT_WORKER_AFTER} commits, by a timer
 * of the main thread before that (or when no worker can run).
 */
export const CHECKPOINT_INTERVAL_MS = 250;

/** Commits after which the checkpoint worker is started (a short-lived store never starts one). */
const CHECKPOINT_WORKER_AFTER = 100;

/**
 * Commits after which the main thread checkpoints at once when no worker runs (a backstop bounding
 * the log's size when its timer cannot keep up: SQLite's own default is 1000 pages).
 */
const CHECKPOINT_BACKSTOP = 1000;

/**
 * `secure_delete`: erased and overwritten rows are zeroed, so erased answers are in neither file once
 * `/delete` has emptied the write-ahead log (`test/hardening/privacy.test.ts`). Measured on a commit
 * (one rewritten row): `ON`, `FAST` and `OFF` cost the same within noise, since zeroing the old cell
 * happens on the page the commit writes anyway. `OFF` fails the privacy test (old cells stay
 * readable); `FAST` passes it but leaves whole pages freed by a purge or a b-tree rebalance unzeroed
 * on the freelist. Hence `ON`: the extra zeroing only happens when pages are freed, which is rare.
 */
const SECURE_DELETE = 'ON';

/** How long an erasure waits for a concurrent checkpoint before emptying the log (ms), and how often it tries. */
const SCRUB_WAIT_MS = 2000;
const SCRUB_RETRY_MS = 2;

/** Something to sleep on (`Atomics.wait`) in the synchronous retry of an erasure. */
const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/** The transaction of one turn of the event loop (see {@link SqliteStore}, group commit). */
interface Turn {
  /**
   * The writes waiting for the commit: resolved after it, rejected when it fails. After an erasure
   * (`erases`), the log is emptied too before it resolves.
   */
  readonly waiters: { resolve: () => void; reject: (error: unknown) => void; erases: boolean }[];
  /**
   * The key of the conversation the turn was opened to look up, as long as nothing but that
   * conversation's look-up and write joined it (then its write commits at once); else undefined.
   */
  solo: string | undefined;
}

/**
 * What the store remembers of a row it read or wrote last: its recent update ids (raw as stored, and
 * decoded) and its `seq` (undefined when not known).
 */
interface CachedRow {
  readonly raw: string;
  readonly window: UpdateWindow;
  readonly seq: number | null | undefined;
}

/** What the engine's look-up reads of a row: its recent update ids, and its data unless unchanged. */
interface LoadRow {
  readonly seq: number | null;
  readonly updates: string;
  readonly data: string | null;
}

/** The names of a table's columns (none when there is no such table). */
function columnsOf(db: Database.Database, table: string): string[] {
  return db
    .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
    .all()
    .map((c) => c.name);
}

/**
 * Creates the tables, or brings a database of an older layout to the current one in one
 * transaction: conversations gain `seq` and `updates` (before `data`, so they are read without it)
 * and lose the `updated_at` index; the update ids tied to a conversation move into its `updates`
 * (the newest {@link UPDATE_WINDOW} per bot); the rest stay in `processed_updates`.
 */
function migrate(db: Database.Database): void {
  db.transaction(() => {
    const conversations = columnsOf(db, 'conversations');
    if (conversations.length > 0 && !conversations.includes('updates')) {
      db.exec(`DROP INDEX IF EXISTS conversations_updated_at;
        ALTER TABLE conversations RENAME TO conversations_before;`);
      db.exec(CONVERSATIONS);
      db.exec(`INSERT INTO conversations (key, seq, updated_at, updates, data)
        SELECT key, NULL, updated_at, '', data FROM conversations_before;
        DROP TABLE conversations_before;`);
    } else db.exec(CONVERSATIONS);
    const updates = columnsOf(db, 'processed_updates');
    const withoutRowid = /WITHOUT\s+ROWID/i.test(
      db
        .prepare<[], string>(
          "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'processed_updates'",
        )
        .pluck()
        .get() ?? '',
    );
    if (updates.length > 0 && (updates.includes('key') || !withoutRowid)) {
      if (updates.includes('key')) {
        const rows = db
          .prepare<[], { key: string; bot: string; update_id: number; at: number }>(
            `SELECT key, bot, update_id, at FROM processed_updates
             WHERE key <> '' AND key IN (SELECT key FROM conversations) ORDER BY key, bot, update_id`,
          )
          .all();
        const windows = new Map<string, Record<string, number[]>>();
        for (const row of rows) {
          let window = windows.get(row.key);
          if (!window) {
            window = {};
            windows.set(row.key, window);
          }
          let list = window[row.bot];
          if (!list) {
            list = [0];
            window[row.bot] = list;
          }
          list.push(row.update_id);
          list[0] = Math.max(list[0] as number, row.at);
          if (list.length - 1 > UPDATE_WINDOW) list.splice(1, 1);
        }
        const setWindow = db.prepare<[string, string]>('UPDATE conversations SET updates = ? WHERE key = ?');
        for (const [key, window] of windows) setWindow.run(formatWindow(window), key);
      }
      db.exec(`DROP INDEX IF EXISTS processed_updates_at;
        DROP INDEX IF EXISTS processed_updates_key;
        ALTER TABLE processed_updates RENAME TO processed_updates_before;`);
      db.exec(PROCESSED_UPDATES);
      db.exec(`INSERT OR IGNORE INTO processed_updates (bot, update_id, at)
        SELECT bot, update_id, at FROM processed_updates_before
        ${updates.includes('key') ? "WHERE key = '' OR key NOT IN (SELECT key FROM conversations)" : ''};
        DROP TABLE processed_updates_before;`);
    } else db.exec(PROCESSED_UPDATES);
  })();
}

/** Reads a stored row; undefined when it is not a JSON object (a corrupt or foreign row). */
function parseRow(data: string): StoredConversation | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as StoredConversation)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Conversations in a SQLite database (better-sqlite3, synchronous underneath). The async methods of
 * {@link ConversationStore} wrap the synchronous ones (`getSync`, `setSync`, `deleteSync`), which can
 * be used inside {@link SqliteStore.transaction}.
 *
 * A row whose data is not a JSON object (corrupted on disk, or written by hand) never makes `get`
 * throw: it reads as absent (`undefined`), so the engine starts that conversation afresh and the next
 * write replaces the row. Data that is JSON but no longer fits the machine is the engine's business:
 * `restoreConversation` rebuilds it from the answers.
 *
 * **WARNING:** one process per database file. WAL mode needs shared memory between the processes
 * that open the file: never put the file on a network filesystem (NFS, SMB), and do not run two bots
 * on the same file (the second one's writes wait up to {@link BUSY_TIMEOUT_MS} and then fail).
 *
 * **WARNING:** call {@link SqliteStore.close} before the process exits (e.g. on SIGTERM): it
 * checkpoints the write-ahead log into the database file and removes the `-wal`/`-shm` files. Nothing
 * committed is lost without it, but the log files stay beside the database until the next open.
 */
export class SqliteStore implements ConversationStore {
  /** The database file (`:memory:` for an in-memory database). */
  readonly file: string;
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #onCorrupt: (key: string) => void;
  readonly #inMemory: boolean;
  readonly #walLimit: number;
  readonly #select: Database.Statement<[string], { data: string }>;
  readonly #load: Database.Statement<[number | null, string], LoadRow>;
  readonly #selectWindow: Database.Statement<[string], string>;
  readonly #set: Database.Statement<[string, number | null, number, string]>;
  readonly #write: Database.Statement<[string, number | null, number, string, string]>;
  readonly #update: Database.Statement<
    [number | null, number, string, string, string, string, number | null]
  >;
  readonly #remove: Database.Statement<[string]>;
  readonly #purge: Database.Statement<[number]>;
  readonly #purgeUpdates: Database.Statement<[number]>;
  readonly #hasClaim: Database.Statement<[string, number], number>;
  readonly #claim: Database.Statement<[string, number, number]>;
  readonly #scan: Database.Statement<[string], string>;
  readonly #commitTx: (
    key: string,
    data: string | undefined,
    seq: number | undefined,
    update: UpdateRef,
    now: number,
  ) => boolean;
  readonly #count: Database.Statement<[], number>;
  readonly #purgeRange: Database.Statement<[number, number, number]>;
  readonly #maxRowid: Database.Statement<[], number | null>;
  readonly #begin: Database.Statement<[]>;
  readonly #end: Database.Statement<[]>;
  readonly #rollback: Database.Statement<[]>;
  /** The transaction of the current turn of the event loop, if one is open (group commit). */
  #turn: Turn | undefined;
  /** True while a `setImmediate` that ends the turn is pending (one at a time). */
  #ending = false;
  /** The writes since the end of the last turn. */
  #writes = 0;
  /** The last turn ended had several writes: every write waits for the end of its turn. */
  #grouping = false;
  /**
   * The recent update ids of the conversations this store read or wrote last (raw as stored, and
   * decoded), for the one-statement commit; a stale entry only costs the slower path (the commit's
   * `WHERE updates = ?` compares with what is stored).
   */
  readonly #windows = new Map<string, CachedRow>();
  readonly #dataVersion: Database.Statement<[], number>;
  /**
   * The conversation a look-up answered `unchanged` for from memory alone (no transaction, nothing
   * read), until its commit or {@link SqliteStore.loaded}. While it is set, other look-ups open the
   * turn's transaction as usual, so updates handled together keep their one commit.
   */
  #unverified: string | undefined;
  /** `PRAGMA data_version` when this connection last looked: it changes when another one commits. */
  #version = 0;
  #checkpointTimer: ReturnType<typeof setInterval> | undefined;
  /** The checkpoint worker: undefined until started, null when it could not be. */
  #checkpointer: Checkpointer | null | undefined;
  /** Commits since the last checkpoint of the main thread. */
  #dirty = 0;
  /** Commits in all (up to {@link CHECKPOINT_WORKER_AFTER}). */
  #commits = 0;

  /**
   * Opens (creating if needed) the database and its tables, migrating a database of an older layout.
   * Throws when the file cannot be opened (a missing directory for `{ file }`, no permission, not a
   * SQLite file).
   */
  constructor(options: SqliteStoreOptions = {}) {
    this.file = databaseFile(options);
    this.#now = options.now ?? Date.now;
    this.#onCorrupt = options.onCorrupt ?? (() => {});
    if (!('file' in options))
      mkdirSync(options.dataDir ?? DEFAULT_DATA_DIR, { recursive: true, mode: 0o700 });
    const inMemory = this.file === ':memory:' || this.file === '';
    this.#inMemory = inMemory;
    this.#walLimit = options.walLimit ?? WAL_LIMIT;
    if (!(this.#walLimit > 0 && Number.isFinite(this.#walLimit)))
      throw new RangeError(`walLimit must be a positive number of bytes, not ${this.#walLimit}`);
    // Create a new file owner-only; SQLite gives its -wal and -shm files the same permissions.
    if (!inMemory && !existsSync(this.file)) writeFileSync(this.file, '', { flag: 'a', mode: 0o600 });
    this.#db = new Database(this.file, { timeout: BUSY_TIMEOUT_MS });
    try {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
      this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Erased rows (and whole tables dropped by a migration) are zeroed, not left readable.
      this.#db.pragma(`secure_delete = ${SECURE_DELETE}`);
      migrate(this.#db);
      // Checkpoints run on a timer (below), not inside whichever commit fills the log.
      if (!inMemory) this.#db.pragma('wal_autocheckpoint = 0');
      // When the log starts again from its beginning, its file is cut back to this size.
      this.#db.pragma(`journal_size_limit = ${Math.floor(this.#walLimit)}`);
      this.#select = this.#db.prepare<[string], { data: string }>(
        'SELECT data FROM conversations WHERE key = ?',
      );
      // The record's data only when its seq is not the one the caller holds.
      this.#load = this.#db.prepare<[number | null, string], LoadRow>(
        `SELECT seq, updates, CASE WHEN seq = ? THEN NULL ELSE data END AS data
         FROM conversations WHERE key = ?`,
      );
      this.#selectWindow = this.#db
        .prepare<[string], string>('SELECT updates FROM conversations WHERE key = ?')
        .pluck();
      this.#set = this.#db.prepare<[string, number | null, number, string]>(
        `INSERT INTO conversations (key, seq, updated_at, data) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET
           seq = excluded.seq, updated_at = excluded.updated_at, data = excluded.data`,
      );
      this.#write = this.#db.prepare<[string, number | null, number, string, string]>(
        `INSERT INTO conversations (key, seq, updated_at, updates, data) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at,
           updates = excluded.updates, data = excluded.data`,
      );
      // The row rewritten on condition that it is still the one this store last saw (its recent
      // update ids and its seq): one statement for the usual commit (see `commit`).
      this.#update = this.#db.prepare<[number | null, number, string, string, string, string, number | null]>(
        `UPDATE conversations SET seq = ?, updated_at = ?, updates = ?, data = ?
         WHERE key = ? AND updates = ? AND seq IS ?`,
      );
      this.#remove = this.#db.prepare<[string]>('DELETE FROM conversations WHERE key = ?');
      this.#hasClaim = this.#db
        .prepare<[string, number], number>('SELECT 1 FROM processed_updates WHERE bot = ? AND update_id = ?')
        .pluck();
      this.#claim = this.#db.prepare<[string, number, number]>(
        'INSERT OR IGNORE INTO processed_updates (bot, update_id, at) VALUES (?, ?, ?)',
      );
      this.#scan = this.#db
        .prepare<[string], string>('SELECT updates FROM conversations WHERE instr(updates, ?) > 0')
        .pluck();
      this.#commitTx = this.#db.transaction(
        (key: string, data: string | undefined, seq: number | undefined, update: UpdateRef, now: number) => {
          const raw = this.#selectWindow.get(key);
          const window = parseWindow(raw);
          if (
            this.#seen(raw === undefined ? 'unsure' : windowHas(window, update.bot, update.id, now), update)
          )
            return false;
          if (data === undefined) {
            // Erased with everything tied to the person (their update ids are in the row); the update
            // itself is recorded under no one, so a redelivered `/delete` is still recognised.
            this.#remove.run(key);
            this.#windows.delete(key);
            this.#claim.run(update.bot, update.id, now);
            return true;
          }
          const next = pushWindow(window, update.bot, update.id, now);
          const nextRaw = formatWindow(next);
          this.#write.run(key, seq ?? null, now, nextRaw, data);
          this.#remember(key, nextRaw, next, seq ?? null);
          return true;
        },
      );
      this.#purge = this.#db.prepare<[number]>('DELETE FROM conversations WHERE updated_at < ?');
      this.#purgeUpdates = this.#db.prepare<[number]>('DELETE FROM processed_updates WHERE at < ?');
      this.#purgeRange = this.#db.prepare<[number, number, number]>(
        'DELETE FROM conversations WHERE rowid > ? AND rowid <= ? AND updated_at < ?',
      );
      this.#maxRowid = this.#db.prepare<[], number | null>('SELECT max(rowid) FROM conversations').pluck();
      this.#count = this.#db.prepare<[], number>('SELECT count(*) FROM conversations').pluck();
      this.#dataVersion = this.#db.prepare<[], number>('PRAGMA data_version').pluck();
      this.#version = this.#dataVersion.get() ?? 0;
      // IMMEDIATE: the turn's first read takes the write lock, so its writes cannot find it taken.
      this.#begin = this.#db.prepare('BEGIN IMMEDIATE');
      this.#end = this.#db.prepare('COMMIT');
      this.#rollback = this.#db.prepare('ROLLBACK');
    } catch (error) {
      this.#db.close();
      throw error;
    }
    if (!inMemory) {
      this.#checkpointTimer = setInterval(() => this.#checkpoint(), CHECKPOINT_INTERVAL_MS);
      this.#checkpointTimer.unref();
    }
  }

  /** Copies the write-ahead log into the database when something was committed since last time. */
  #checkpoint(): void {
    // Not inside the turn's transaction: its commit counts for the next tick.
    if (this.#dirty === 0 || !this.#db.open || this.#checkpointer?.alive || this.#turn) return;
    this.#dirty = 0;
    try {
      this.#db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closed: the next tick (or close) tries again.
      this.#dirty = 1;
    }
  }

  /**
   * Counts a commit for the checkpoints: the worker's when it runs (started after
   * {@link CHECKPOINT_WORKER_AFTER} commits), else the timer's, with a checkpoint at once past
   * {@link CHECKPOINT_BACKSTOP} commits.
   */
  #wrote(): void {
    if (this.#inMemory) return;
    const worker = this.#checkpointer;
    if (worker?.alive) {
      worker.wrote();
      return;
    }
    this.#dirty++;
    if (worker === undefined && ++this.#commits >= CHECKPOINT_WORKER_AFTER) {
      try {
        this.#checkpointer = new Checkpointer(
          this.file,
          CHECKPOINT_INTERVAL_MS,
          BUSY_TIMEOUT_MS,
          this.#walLimit,
        );
        this.#checkpointer.wrote();
        return;
      } catch {
        this.#checkpointer = null;
      }
    }
    if (this.#dirty >= CHECKPOINT_BACKSTOP) this.#checkpoint();
  }

  /**
   * The current turn's transaction, opened (`BEGIN IMMEDIATE`) if none is, and committed when the
   * turn of the event loop ends. Undefined inside a transaction of the caller's
   * ({@link SqliteStore.transaction}): the statements then belong to it. `key`: the conversation the
   * statement is about (none for an update of no conversation); `lookUp`: a load, which may open a
   * turn for its conversation alone (`Turn.solo`).
   */
  #open(key?: string, lookUp = false): Turn | undefined {
    const open = this.#turn;
    if (open) {
      if (open.solo !== key) open.solo = undefined;
      return open;
    }
    if (this.#db.inTransaction) return undefined;
    this.#begin.run();
    const turn: Turn = { waiters: [], solo: lookUp ? key : undefined };
    this.#turn = turn;
    if (!this.#ending) {
      this.#ending = true;
      setImmediate(this.#endTurn);
    }
    return turn;
  }

  /** Ends the turn of the event loop: commits the open transaction, if any. */
  readonly #endTurn = (): void => {
    this.#ending = false;
    this.#grouping = this.#writes > 1;
    this.#writes = 0;
    this.#flush();
  };

  /**
   * Resolves once `turn` is committed (and, for an erasure, the log emptied); inside the caller's
   * transaction (no turn), at once, after emptying the log for an erasure.
   */
  #stored(turn: Turn | undefined, erases = false, key?: string): Promise<void> | undefined {
    if (!turn) {
      if (erases) this.#scrub();
      return undefined;
    }
    const stored = new Promise<void>((resolve, reject) => turn.waiters.push({ resolve, reject, erases }));
    // On a quiet bot, the write of the conversation the turn was opened for, alone in it: commit now.
    this.#writes++;
    if (!this.#grouping && key !== undefined && turn.solo === key) this.#flush(turn);
    return stored;
  }

  /**
   * Commits `turn`'s transaction (if it is still the open one) and settles its writes. A failed
   * commit is rolled back and fails every write of the turn: none was acknowledged, so each update is
   * delivered again.
   */
  #flush(turn: Turn | undefined = this.#turn): void {
    if (turn === undefined || this.#turn !== turn) return;
    this.#turn = undefined;
    try {
      this.#end.run();
    } catch (error) {
      this.#abandon(turn, error);
      return;
    }
    if (turn.waiters.length > 0) this.#wrote();
    let scrubbed: unknown = true;
    if (turn.waiters.some((w) => w.erases))
      try {
        this.#scrub();
      } catch (error) {
        // The log may still hold the erased answers: the erasures fail (their senders are told to try
        // again), not the other writes of the turn.
        scrubbed = error;
      }
    for (const waiter of turn.waiters)
      if (waiter.erases && scrubbed !== true) waiter.reject(scrubbed);
      else waiter.resolve();
  }

  /** Gives up a turn whose transaction failed: rolled back, its writes failed, the caches dropped. */
  #abandon(turn: Turn, error: unknown): void {
    if (this.#turn === turn) this.#turn = undefined;
    try {
      if (this.#db.inTransaction) this.#rollback.run();
    } catch {
      // Rolled back already (SQLite does for some errors) or closed: nothing more to undo.
    }
    // Any cached window may come from a rolled-back write.
    this.#windows.clear();
    for (const waiter of turn.waiters) waiter.reject(error);
  }

  /**
   * Runs a statement of the turn. When it fails in a way that made SQLite roll back the whole
   * transaction (a full disk, an I/O error), the turn's other writes are failed too.
   */
  #inTurn<T>(turn: Turn | undefined, run: () => T): T {
    try {
      return run();
    } catch (error) {
      if (turn && this.#turn === turn && !this.#db.inTransaction) this.#abandon(turn, error);
      throw error;
    }
  }

  /** Keeps `key`'s recent update ids and `seq` for the next load and commit (most recently used last). */
  #remember(key: string, raw: string, window: UpdateWindow, seq: number | null | undefined): void {
    this.#windows.delete(key);
    this.#windows.set(key, { raw, window, seq });
    if (this.#windows.size > WINDOW_CACHE_SIZE) {
      const oldest = this.#windows.keys().next();
      if (!oldest.done) this.#windows.delete(oldest.value);
    }
  }

  /** Settles a window's answer: `unsure` is looked up among the updates recorded under no one. */
  #seen(answer: 'yes' | 'no' | 'unsure', update: UpdateRef): boolean {
    return (
      answer === 'yes' || (answer === 'unsure' && this.#hasClaim.get(update.bot, update.id) !== undefined)
    );
  }

  /** The decoded window of a stored raw one, from the cache when it is the same. */
  #windowOf(key: string, raw: string, seq: number | null): UpdateWindow {
    const cached = this.#windows.get(key);
    const window = cached !== undefined && cached.raw === raw ? cached.window : parseWindow(raw);
    this.#remember(key, raw, window, seq);
    return window;
  }

  /**
   * True when no other connection has committed since this one last looked, so that what the store
   * remembers of its rows still holds (else it forgets it all). Call it inside a transaction: the
   * version is the one its snapshot started from.
   */
  #alone(): boolean {
    const version = this.#dataVersion.get() ?? 0;
    if (version === this.#version) return true;
    this.#version = version;
    this.#windows.clear();
    return false;
  }

  /** The stored conversation, or undefined when there is none or its row is corrupt. */
  getSync(key: string): StoredConversation | undefined {
    const row = this.#select.get(key);
    if (row === undefined) return undefined;
    const conversation = parseRow(row.data);
    if (conversation === undefined) this.#onCorrupt(key);
    return conversation;
  }

  /**
   * Stores (replaces) a conversation, stamped with the current time. The update ids recorded for it
   * stay recorded.
   */
  setSync(key: string, conversation: StoredConversation): void {
    this.#flush();
    this.#set.run(key, conversation.seq ?? null, this.#now(), JSON.stringify(conversation));
    this.#reseq(key, conversation.seq);
    this.#wrote();
  }

  /** Keeps the cached `seq` of a row rewritten with its update ids unchanged. */
  #reseq(key: string, seq: number | undefined): void {
    const cached = this.#windows.get(key);
    if (cached !== undefined) this.#remember(key, cached.raw, cached.window, seq ?? null);
  }

  /** Erases everything stored under `key`: the conversation and the updates recorded for it. */
  deleteSync(key: string): void {
    this.#flush();
    this.#remove.run(key);
    this.#windows.delete(key);
  }

  /**
   * {@link ConversationStore.load}: one look-up by key; the data is read only when needed. When the
   * caller's `seq` is the one this store last wrote or read for the row and no other connection has
   * committed since (`PRAGMA data_version`), nothing is read at all.
   *
   * A channel update handled alone (no turn open, none in flight, the last turn had at most one
   * write) of a conversation this store wrote or read last with the caller's `seq` is answered from
   * memory: no
   * transaction, no statement. Its commit is then one conditional `UPDATE` on its own (autocommit),
   * written only if the row still has the recent update ids and the `seq` this store saw; otherwise
   * it writes nothing and resolves `'stale'`, and the engine does the turn again on the stored row.
   */
  async load(key: string, options: LoadOptions): Promise<Loaded> {
    const { update } = options;
    // Only a channel update's look-up: its commit is the conditional write (a look-up without one
    // is followed by `set`, which writes whatever the row holds, so it must hold the row first).
    if (
      update !== undefined &&
      this.#turn === undefined &&
      this.#unverified === undefined &&
      !this.#grouping &&
      options.seq !== undefined &&
      !this.#db.inTransaction
    ) {
      const cached = this.#windows.get(key);
      if (cached !== undefined && cached.seq === options.seq) {
        this.#unverified = key;
        const processed = this.#seen(windowHas(cached.window, update.bot, update.id, this.#now()), update);
        return { found: true, processed, unchanged: true };
      }
    }
    // The turn's transaction opens here: the commit that follows a load finds it open.
    const turn = this.#open(key, true);
    const cached = this.#windows.get(key);
    if (cached !== undefined && options.seq !== undefined && cached.seq === options.seq && this.#alone()) {
      const processed =
        update !== undefined &&
        this.#seen(windowHas(cached.window, update.bot, update.id, this.#now()), update);
      return { found: true, processed, unchanged: true };
    }
    const row = this.#inTurn(turn, () => this.#load.get(options.seq ?? null, key));
    if (row === undefined) {
      this.#windows.delete(key);
      return { found: false, processed: update !== undefined && this.#seen('unsure', update) };
    }
    const window = this.#windowOf(key, row.updates, row.seq);
    const processed =
      update !== undefined && this.#seen(windowHas(window, update.bot, update.id, this.#now()), update);
    if (row.data === null) return { found: true, processed, unchanged: true };
    const conversation = parseRow(row.data);
    if (conversation === undefined) {
      this.#onCorrupt(key);
      return { found: false, processed };
    }
    return { found: true, processed, conversation };
  }

  /** {@link ConversationStore.loaded}: a turn opened for `key`'s look-up alone ends now. */
  loaded(key: string): void {
    if (this.#unverified === key) this.#unverified = undefined;
    const turn = this.#turn;
    if (turn !== undefined && turn.solo === key && turn.waiters.length === 0) this.#flush(turn);
  }

  /**
   * {@link ConversationStore.hasUpdate}. With `key`, one look-up; without it, the records of every
   * conversation are searched (for tests and tools).
   */
  async hasUpdate(update: UpdateRef, key?: string): Promise<boolean> {
    if (key !== undefined) {
      const raw = this.#selectWindow.get(key);
      const answer =
        raw === undefined ? 'unsure' : windowHas(parseWindow(raw), update.bot, update.id, this.#now());
      return this.#seen(answer, update);
    }
    if (this.#hasClaim.get(update.bot, update.id) !== undefined) return true;
    return this.#scan
      .all(String(update.id))
      .some((raw) => parseWindow(raw)[update.bot]?.includes(update.id, 1));
  }

  /** {@link ConversationStore.claimUpdate}: resolves once committed (group commit, see the class). */
  async claimUpdate(update: UpdateRef): Promise<boolean> {
    const turn = this.#open();
    const done = this.#inTurn(turn, () => this.#claim.run(update.bot, update.id, this.#now())).changes > 0;
    if (done) await this.#stored(turn);
    return done;
  }

  /**
   * {@link ConversationStore.commit}. As a rule one statement: the row rewritten with the update's id
   * added to its recent ids, on condition that those are still what this store last saw (then the
   * update is newer than every one recorded for the conversation, so it is not a redelivery).
   * Otherwise (a new conversation, an erasure, a possible redelivery) one transaction that looks.
   *
   * The statements run at once, in the turn's transaction; the promise resolves once that is
   * committed (group commit, see the class). A redelivery resolves false at once: nothing was written.
   */
  async commit(
    key: string,
    conversation: StoredConversation | undefined,
    update: UpdateRef,
  ): Promise<Committed> {
    const now = this.#now();
    const data = conversation === undefined ? undefined : JSON.stringify(conversation);
    const seq = conversation?.seq;
    const unverified = this.#unverified === key;
    if (unverified) {
      this.#unverified = undefined;
      if (data !== undefined) return this.#commitUnverified(key, data, seq, update, now);
    }
    // After a look-up from memory, the turn is this conversation's alone, as if the look-up opened it.
    const turn = this.#open(key, unverified);
    if (data !== undefined && this.#rewrite(turn, key, data, seq, update, now)) {
      await this.#stored(turn, false, key);
      return true;
    }
    // Inside the turn's transaction, better-sqlite3 makes this one a savepoint.
    const done = this.#inTurn(turn, () => this.#commitTx(key, data, seq, update, now));
    if (!done) return false;
    await this.#stored(turn, data === undefined, key);
    return true;
  }

  /**
   * The usual commit, one statement: the row rewritten with the update's id added to its recent
   * ids, on condition that it still has the ids and `seq` this store last saw (then the update is
   * newer than every one recorded for the conversation, so it is not a redelivery). False when it
   * wrote nothing (no such row remembered, an update the ids cannot vouch for, a row changed since).
   */
  #rewrite(
    turn: Turn | undefined,
    key: string,
    data: string,
    seq: number | undefined,
    update: UpdateRef,
    now: number,
  ): boolean {
    const cached = this.#windows.get(key);
    if (cached === undefined || windowHas(cached.window, update.bot, update.id, now) !== 'no') return false;
    const { window: next, raw } = pushFormatted(cached.window, cached.raw, update.bot, update.id, now);
    const run = () => this.#update.run(seq ?? null, now, raw, data, key, cached.raw, cached.seq ?? null);
    if (this.#inTurn(turn, run).changes !== 1) return false;
    this.#remember(key, raw, next, seq ?? null);
    return true;
  }

  /**
   * The commit of a conversation that {@link SqliteStore.load} answered from memory alone: one
   * conditional `UPDATE`, in the turn's transaction if another update's look-up has opened one since,
   * else on its own. `'stale'` when the row is no longer the one this store saw (nothing written).
   */
  async #commitUnverified(
    key: string,
    data: string,
    seq: number | undefined,
    update: UpdateRef,
    now: number,
  ): Promise<Committed> {
    // The turn another update's look-up opened since, if any (joining it, the turn is no one's alone).
    const turn = this.#turn === undefined ? undefined : this.#open(key);
    // Anything but the usual case (the row as this store saw it, the update newer than all it
    // records) writes nothing: the engine does the turn again on a look-up that reads the row.
    if (!this.#rewrite(turn, key, data, seq, update, now)) {
      this.#windows.delete(key);
      return 'stale';
    }
    if (turn !== undefined) await this.#stored(turn, false, key);
    else if (!this.#db.inTransaction) this.#wrote();
    return true;
  }

  /**
   * After an erasure: copies the write-ahead log into the database and empties it, so the erased
   * answers survive in neither file (`secure_delete` zeroes them in the database itself).
   */
  #scrub(): void {
    if (this.#inMemory) return;
    // The checkpoint worker may be copying the log right now: SQLite then answers `busy` at once
    // (without waiting), and the log would keep the erased answers. Try again shortly.
    for (let waited = 0; ; waited += SCRUB_RETRY_MS) {
      const [result] = this.#db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy !== 1 || waited >= SCRUB_WAIT_MS) break;
      Atomics.wait(SLEEP, 0, 0, SCRUB_RETRY_MS);
    }
    this.#dirty = 0;
  }

  /** {@link ConversationStore.get}; never rejects on a corrupt row (see the class). */
  async get(key: string): Promise<StoredConversation | undefined> {
    return this.getSync(key);
  }

  /** {@link ConversationStore.set}: resolves once committed (group commit, see the class). */
  async set(key: string, conversation: StoredConversation): Promise<void> {
    const turn = this.#open(key);
    const data = JSON.stringify(conversation);
    this.#inTurn(turn, () => this.#set.run(key, conversation.seq ?? null, this.#now(), data));
    this.#reseq(key, conversation.seq);
    await this.#stored(turn, false, key);
  }

  /**
   * {@link ConversationStore.delete}: the answers are erased from the files too, not just unlinked.
   * Resolves once committed and the log emptied (group commit, see the class).
   */
  async delete(key: string): Promise<void> {
    const turn = this.#open(key);
    this.#inTurn(turn, () => this.#remove.run(key));
    this.#windows.delete(key);
    await this.#stored(turn, true, key);
  }

  /**
   * Runs `fn` in one transaction: committed when it returns, rolled back when it throws (the error is
   * rethrown). Nested calls become savepoints. Meant for one transaction per update: mark the update
   * processed, read, write.
   *
   * **WARNING:** `fn` must be synchronous. better-sqlite3 throws on a function that returns a promise,
   * and nothing done after an `await` would be inside the transaction anyway. Use the `*Sync` methods
   * inside it: the async ones report their errors as rejected promises, which would not roll back.
   */
  transaction<T>(fn: () => T): T {
    this.#flush();
    return this.#db.transaction(fn)();
  }

  /**
   * Deletes the conversations not written since `cutoffMs` (ms since the epoch; `updated_at < cutoff`),
   * and processed-update records older than it. Returns the number of conversations deleted.
   * `updated_at` has no index (it would be a third b-tree written by every commit): the purge reads
   * the whole table: ~100 ms for 100,000 conversations of ~1 KB, blocking. The retention timer uses
   * {@link purgeStep} instead, a slice of the table at a time.
   */
  purgeOlderThan(cutoffMs: number): number {
    const deleted = this.transaction(() => {
      this.#purgeUpdates.run(cutoffMs);
      return this.#purge.run(cutoffMs).changes;
    });
    // Any cached window may belong to a purged row: the cache is only an optimisation.
    if (deleted > 0) this.#windows.clear();
    this.#wrote();
    return deleted;
  }

  /**
   * One step of an incremental purge (what {@link purgeOlderThan} does, a slice at a time, so a large
   * table never blocks the event loop for long): deletes the conversations not written since
   * `cutoffMs` among the next `rows` row ids after `after` (start with 0; the first step also purges
   * old processed-update records). Returns how many it deleted and where the next step starts, or
   * `next: undefined` when the table has been covered.
   */
  purgeStep(cutoffMs: number, after: number, rows: number): { deleted: number; next: number | undefined } {
    const last = this.#maxRowid.get() ?? 0;
    const upTo = Math.min(last, after + rows);
    const deleted = this.transaction(() => {
      if (after === 0) this.#purgeUpdates.run(cutoffMs);
      return upTo > after ? this.#purgeRange.run(after, upTo, cutoffMs).changes : 0;
    });
    if (deleted > 0) this.#windows.clear();
    this.#wrote();
    return { deleted, next: upTo < last ? upTo : undefined };
  }

  /** The number of stored conversations. */
  count(): number {
    return this.#count.get() ?? 0;
  }

  /** True until {@link SqliteStore.close} is called. */
  get open(): boolean {
    return this.#db.open;
  }

  /**
   * Closes the database (checkpointing the write-ahead log). Safe to call twice; any other call after
   * it throws.
   */
  close(): void {
    if (this.#db.open) this.#flush();
    if (this.#checkpointTimer !== undefined) clearInterval(this.#checkpointTimer);
    this.#checkpointTimer = undefined;
    // Its connection closed first, so that this one is the last and its close removes the log files.
    this.#checkpointer?.stop();
    if (this.#db.open) this.#db.close();
  }
}
