/**
 * A {@link ConversationStore} in one SQLite file (better-sqlite3), for a bot that must remember
 * conversations across restarts.
 *
 * Layout: `conversations(key, data, updated_at)` holds one JSON {@link StoredConversation} per key,
 * stamped with the time it was last written (milliseconds since the epoch) so that old conversations
 * can be purged (`retention.ts`); `processed_updates(bot, update_id, at)` remembers which channel
 * updates were handled, so a redelivered update can be skipped in the same transaction that handles it.
 *
 * The database runs in WAL mode with `synchronous = NORMAL`: readers do not block the writer, and the
 * log is flushed to disk at checkpoints rather than at every commit. An application crash loses
 * nothing; a power cut or OS crash may roll back the last few commits (it never corrupts the file).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { StoredConversation } from '../../machines/conversation.js';
import type { ConversationStore, UpdateRef } from './store.js';

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
};

/** The database file an options object designates. */
export function databaseFile(options: SqliteStoreOptions = {}): string {
  return 'file' in options ? options.file : join(options.dataDir ?? DEFAULT_DATA_DIR, DATABASE_FILE);
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS conversations (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS conversations_updated_at ON conversations (updated_at);
  CREATE TABLE IF NOT EXISTS processed_updates (
    bot TEXT NOT NULL,
    update_id INTEGER NOT NULL,
    key TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    PRIMARY KEY (bot, update_id)
  );
  CREATE INDEX IF NOT EXISTS processed_updates_at ON processed_updates (at);
`;

/** Indexes created after any column migration. */
const INDEXES = 'CREATE INDEX IF NOT EXISTS processed_updates_key ON processed_updates (key);';

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
  readonly #select: Database.Statement<[string], { data: string }>;
  readonly #upsert: Database.Statement<[string, string, number]>;
  readonly #remove: Database.Statement<[string]>;
  readonly #purge: Database.Statement<[number]>;
  readonly #purgeUpdates: Database.Statement<[number]>;
  readonly #removeUpdates: Database.Statement<[string]>;
  readonly #hasUpdate: Database.Statement<[string, number], number>;
  readonly #recordUpdate: Database.Statement<[string, number, string, number]>;
  /** Compiled once: building a transaction function per call costs as much as the writes. */
  readonly #deleteTx: (key: string) => void;
  readonly #commitTx: (key: string, data: string | undefined, update: UpdateRef) => boolean;
  readonly #count: Database.Statement<[], number>;

  /**
   * Opens (creating if needed) the database and its tables. Throws when the file cannot be opened
   * (a missing directory for `{ file }`, no permission, not a SQLite file).
   */
  constructor(options: SqliteStoreOptions = {}) {
    this.file = databaseFile(options);
    this.#now = options.now ?? Date.now;
    this.#onCorrupt = options.onCorrupt ?? (() => {});
    if (!('file' in options))
      mkdirSync(options.dataDir ?? DEFAULT_DATA_DIR, { recursive: true, mode: 0o700 });
    const inMemory = this.file === ':memory:' || this.file === '';
    // Create a new file owner-only; SQLite gives its -wal and -shm files the same permissions.
    if (!inMemory && !existsSync(this.file)) writeFileSync(this.file, '', { flag: 'a', mode: 0o600 });
    this.#db = new Database(this.file, { timeout: BUSY_TIMEOUT_MS });
    try {
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = NORMAL');
      this.#db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Erased rows are overwritten with zeros, not left readable in free pages.
      this.#db.pragma('secure_delete = ON');
      this.#db.exec(SCHEMA);
      // Databases written before updates were tied to a conversation get the column.
      const columns = this.#db.prepare<[], { name: string }>('PRAGMA table_info(processed_updates)').all();
      if (!columns.some((c) => c.name === 'key'))
        this.#db.exec("ALTER TABLE processed_updates ADD COLUMN key TEXT NOT NULL DEFAULT ''");
      this.#db.exec(INDEXES);
      this.#select = this.#db.prepare<[string], { data: string }>(
        'SELECT data FROM conversations WHERE key = ?',
      );
      this.#upsert = this.#db.prepare<[string, string, number]>(
        `INSERT INTO conversations (key, data, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`,
      );
      this.#remove = this.#db.prepare<[string]>('DELETE FROM conversations WHERE key = ?');
      this.#removeUpdates = this.#db.prepare<[string]>('DELETE FROM processed_updates WHERE key = ?');
      this.#hasUpdate = this.#db
        .prepare<[string, number], number>('SELECT 1 FROM processed_updates WHERE bot = ? AND update_id = ?')
        .pluck();
      this.#recordUpdate = this.#db.prepare<[string, number, string, number]>(
        'INSERT OR IGNORE INTO processed_updates (bot, update_id, key, at) VALUES (?, ?, ?, ?)',
      );
      this.#deleteTx = this.#db.transaction((key: string) => {
        this.#remove.run(key);
        this.#removeUpdates.run(key);
      });
      this.#commitTx = this.#db.transaction((key: string, data: string | undefined, update: UpdateRef) => {
        const now = this.#now();
        if (this.#recordUpdate.run(update.bot, update.id, data === undefined ? '' : key, now).changes === 0)
          return false;
        if (data === undefined) {
          // Erased with everything tied to the person; the update itself stays recorded under no
          // one (key ''), so a redelivered `/delete` is still recognised.
          this.#remove.run(key);
          this.#removeUpdates.run(key);
        } else this.#upsert.run(key, data, now);
        return true;
      });
      this.#purge = this.#db.prepare<[number]>('DELETE FROM conversations WHERE updated_at < ?');
      this.#purgeUpdates = this.#db.prepare<[number]>('DELETE FROM processed_updates WHERE at < ?');
      this.#count = this.#db.prepare<[], number>('SELECT count(*) FROM conversations').pluck();
    } catch (error) {
      this.#db.close();
      throw error;
    }
  }

  /** The stored conversation, or undefined when there is none or its row is corrupt. */
  getSync(key: string): StoredConversation | undefined {
    const row = this.#select.get(key);
    if (row === undefined) return undefined;
    const conversation = parseRow(row.data);
    if (conversation === undefined) this.#onCorrupt(key);
    return conversation;
  }

  /** Stores (replaces) a conversation, stamped with the current time. */
  setSync(key: string, conversation: StoredConversation): void {
    this.#upsert.run(key, JSON.stringify(conversation), this.#now());
  }

  /** Erases everything stored under `key`: the conversation and the updates recorded for it. */
  deleteSync(key: string): void {
    this.#deleteTx(key);
  }

  /** {@link ConversationStore.hasUpdate}. */
  async hasUpdate(update: UpdateRef): Promise<boolean> {
    return this.#hasUpdate.get(update.bot, update.id) !== undefined;
  }

  /** {@link ConversationStore.claimUpdate}. */
  async claimUpdate(update: UpdateRef): Promise<boolean> {
    return this.#recordUpdate.run(update.bot, update.id, '', this.#now()).changes > 0;
  }

  /** {@link ConversationStore.commit}: one SQLite transaction. */
  async commit(
    key: string,
    conversation: StoredConversation | undefined,
    update: UpdateRef,
  ): Promise<boolean> {
    const done = this.#commitTx(
      key,
      conversation === undefined ? undefined : JSON.stringify(conversation),
      update,
    );
    if (done && conversation === undefined) this.#scrub();
    return done;
  }

  /**
   * After an erasure: copies the write-ahead log into the database and empties it, so the erased
   * answers survive in neither file (`secure_delete` zeroes them in the database itself).
   */
  #scrub(): void {
    if (this.file !== ':memory:' && this.file !== '') this.#db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** {@link ConversationStore.get}; never rejects on a corrupt row (see the class). */
  async get(key: string): Promise<StoredConversation | undefined> {
    return this.getSync(key);
  }

  /** {@link ConversationStore.set}. */
  async set(key: string, conversation: StoredConversation): Promise<void> {
    this.setSync(key, conversation);
  }

  /** {@link ConversationStore.delete}: the answers are erased from the files too, not just unlinked. */
  async delete(key: string): Promise<void> {
    this.deleteSync(key);
    this.#scrub();
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
    return this.#db.transaction(fn)();
  }

  /**
   * Deletes the conversations not written since `cutoffMs` (ms since the epoch; `updated_at < cutoff`),
   * and processed-update records older than it. Returns the number of conversations deleted.
   */
  purgeOlderThan(cutoffMs: number): number {
    return this.transaction(() => {
      this.#purgeUpdates.run(cutoffMs);
      return this.#purge.run(cutoffMs).changes;
    });
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
    if (this.#db.open) this.#db.close();
  }
}
