/**
 * A JSON key-value table in SQLite, set up as Luohu's `SqliteStore` is (better-sqlite3, WAL,
 * `synchronous = NORMAL`, one upsert per write, stamped with the time), for the baselines: grammY's
 * session, Telegraf's session and @grammyjs/conversations store their data here, so the comparison
 * with Luohu is between frameworks, not between databases. grammY has no SQLite adapter of its own
 * among its official storages, and Telegraf's SQLite store is in a beta package; this is what either
 * amounts to.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** A JSON value per key, in one SQLite file. */
export class SqliteKv {
  readonly #db: Database.Database;
  readonly #select: Database.Statement<[string], { value: string }>;
  readonly #upsert: Database.Statement<[string, string, number]>;
  readonly #remove: Database.Statement<[string]>;
  /** The length of the last JSON written per key (bytes stored). */
  readonly written = new Map<string, number>();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const file = join(dataDir, 'kv.sqlite');
    if (!existsSync(file)) writeFileSync(file, '', { flag: 'a', mode: 0o600 });
    this.#db = new Database(file, { timeout: 5000 });
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL)',
    );
    this.#select = this.#db.prepare('SELECT value FROM kv WHERE key = ?');
    this.#upsert = this.#db.prepare(
      `INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    );
    this.#remove = this.#db.prepare('DELETE FROM kv WHERE key = ?');
  }

  get<T>(key: string): T | undefined {
    const row = this.#select.get(key);
    return row === undefined ? undefined : (JSON.parse(row.value) as T);
  }

  set(key: string, value: unknown): void {
    const json = JSON.stringify(value);
    this.written.set(key, Buffer.byteLength(json));
    this.#upsert.run(key, json, Date.now());
  }

  delete(key: string): void {
    this.#remove.run(key);
  }

  close(): void {
    this.#db.close();
  }

  /** grammY's `StorageAdapter` (and @grammyjs/conversations' `VersionedStateStorage`). */
  adapter<T>() {
    return {
      read: async (key: string) => this.get<T>(key),
      write: async (key: string, value: T) => this.set(key, value),
      delete: async (key: string) => this.delete(key),
    };
  }

  /** Telegraf's `AsyncSessionStore`. */
  sessionStore<T>() {
    return {
      get: async (key: string) => this.get<T>(key),
      set: async (key: string, value: T) => this.set(key, value),
      delete: async (key: string) => this.delete(key),
    };
  }
}
