/**
 * Where conversations are kept between messages. Small on purpose: an adapter for SQLite, Redis or
 * PostgreSQL implements these methods and nothing in the engine changes.
 */
import type { StoredConversation } from '../../machines/conversation.js';
import { pushWindow, type UpdateWindow, windowHas } from './window.js';

/** One update of a channel: the bot it came to and its id (Telegram's `update_id`). */
export interface UpdateRef {
  readonly bot: string;
  readonly id: number;
}

/** Options of {@link ConversationStore.load}. */
export interface LoadOptions {
  /** The update about to be handled: the result says whether it was already committed. */
  readonly update?: UpdateRef;
  /**
   * The `seq` of the record the caller already holds (its live copy): when the stored record still
   * has it, the store may answer `unchanged` instead of reading and parsing the record again.
   */
  readonly seq?: number;
}

/** What {@link ConversationStore.load} found. */
export type Loaded =
  /** No conversation under the key (or its record is unreadable). */
  | { readonly found: false; readonly processed: boolean }
  /** The stored conversation. */
  | { readonly found: true; readonly processed: boolean; readonly conversation: StoredConversation }
  /** The stored record still has the `seq` given in the options: the caller's copy is current. */
  | { readonly found: true; readonly processed: boolean; readonly unchanged: true };

/**
 * What {@link ConversationStore.commit} did: `true`, committed; `false`, nothing written, the update
 * was already recorded (a redelivery); `'stale'`, nothing written, the record changed since a
 * {@link ConversationStore.load} that answered `unchanged` without looking (load it again and redo
 * the turn on what it finds).
 */
export type Committed = boolean | 'stale';

/** A key-value store of conversations, one per person and channel (e.g. `telegram:12345`). */
export interface ConversationStore {
  /** The stored conversation, or undefined when there is none. */
  get(key: string): Promise<StoredConversation | undefined>;
  /** Stores (replaces) a conversation. The updates recorded for `key` stay recorded. */
  set(key: string, conversation: StoredConversation): Promise<void>;
  /** Erases everything stored under `key`: the conversation and the updates recorded for it. */
  delete(key: string): Promise<void>;
  /**
   * True when `update` was already committed (a redelivery). `key` is the conversation the update
   * belongs to: a store that keeps update ids in the conversation's record needs it to look in one
   * record; without it such a store may search every record (slow: for tests and tools).
   */
  hasUpdate(update: UpdateRef, key?: string): Promise<boolean>;
  /**
   * Commits the effect of one update atomically: the conversation written (or, when `conversation`
   * is undefined, erased with everything tied to `key`) and the update recorded, in one transaction.
   * Resolves false and changes nothing when the update was already recorded; resolves `'stale'` and
   * changes nothing when the record is no longer the one an optimistic `load` answered `unchanged`
   * for (see {@link ConversationStore.load}).
   *
   * Resolve true only once the write is stored as durably as the store stores anything: the channels
   * reply to the update and acknowledge it to Telegram after that. A store may group the commits of
   * several updates into one transaction and resolve them together (`SqliteStore` does, per turn of
   * the event loop).
   *
   * **WARNING:** an adapter must make the check, the write and the record one atomic step (one
   * transaction, or one conditional write of a record that holds the update ids too); otherwise a
   * crash between them either loses the answer or applies it twice, and two deliveries of one
   * update racing each other could both be applied.
   */
  commit(key: string, conversation: StoredConversation | undefined, update: UpdateRef): Promise<Committed>;
  /**
   * Records an update that changes no conversation (a sticker, a group message), so that its reply
   * is sent once. Resolves false when it was already recorded.
   */
  claimUpdate(update: UpdateRef): Promise<boolean>;
  /**
   * Optional fast path for the engine: the conversation under `key` and whether `options.update`
   * was already committed, in one look-up (the engine otherwise calls `get` and `hasUpdate`).
   *
   * **WARNING:** answer `unchanged` only when the stored record's `seq` equals `options.seq` and the
   * record was written by this process (one writer per store): the engine then keeps using its
   * own copy. A record replaced with the same `seq` by someone else would go unnoticed.
   *
   * A store may also answer `unchanged` without looking, from what it wrote last, and check at the
   * commit instead (`SqliteStore` does for an update handled alone): its `commit` must then write only
   * if the record is still the one it wrote, and resolve `'stale'` otherwise.
   */
  load?(key: string, options: LoadOptions): Promise<Loaded>;
  /** Says that `key`'s turn that began with {@link ConversationStore.load} writes nothing. */
  loaded?(key: string): void;
}

/** One conversation of a {@link MemoryStore}: its JSON, `seq`, recent update ids and write time. */
interface MemoryRow {
  readonly json: string;
  readonly seq: number | undefined;
  readonly window: UpdateWindow;
}

/**
 * An in-memory store, for tests and the terminal simulator. Same semantics as `SqliteStore`: the
 * ids of the last updates of a conversation are kept with it (see `window.ts`), updates that change
 * no conversation and erasures apart.
 *
 * **WARNING:** everything is lost when the process ends; do not use it for a bot people rely on.
 */
export class MemoryStore implements ConversationStore {
  readonly #data = new Map<string, MemoryRow>();
  /** Updates recorded under no conversation (claims, erasures): `bot\u0000id`. */
  readonly #updates = new Set<string>();
  readonly #now: () => number;

  /** `now`: the clock of the update records (ms since the epoch); default `Date.now`. */
  constructor(options: { readonly now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async get(key: string): Promise<StoredConversation | undefined> {
    const row = this.#data.get(key);
    return row === undefined ? undefined : (JSON.parse(row.json) as StoredConversation);
  }

  async set(key: string, conversation: StoredConversation): Promise<void> {
    this.#set(key, conversation, this.#data.get(key)?.window ?? {});
  }

  async delete(key: string): Promise<void> {
    this.#data.delete(key);
  }

  #set(key: string, conversation: StoredConversation, window: UpdateWindow): void {
    // Stored as JSON, as a real store would, so nothing shares objects with a live snapshot.
    this.#data.set(key, { json: JSON.stringify(conversation), seq: conversation.seq, window });
  }

  /** Whether `update` is recorded, looking in `key`'s row first. */
  #has(update: UpdateRef, key: string): boolean {
    const row = this.#data.get(key);
    const seen = row ? windowHas(row.window, update.bot, update.id, this.#now()) : 'unsure';
    return seen === 'yes' || (seen === 'unsure' && this.#updates.has(`${update.bot}\u0000${update.id}`));
  }

  async hasUpdate(update: UpdateRef, key?: string): Promise<boolean> {
    if (key !== undefined) return this.#has(update, key);
    if (this.#updates.has(`${update.bot}\u0000${update.id}`)) return true;
    for (const row of this.#data.values()) if (row.window[update.bot]?.includes(update.id, 1)) return true;
    return false;
  }

  async load(key: string, options: LoadOptions): Promise<Loaded> {
    const processed = options.update !== undefined && this.#has(options.update, key);
    const row = this.#data.get(key);
    if (row === undefined) return { found: false, processed };
    if (options.seq !== undefined && row.seq === options.seq)
      return { found: true, processed, unchanged: true };
    return { found: true, processed, conversation: JSON.parse(row.json) as StoredConversation };
  }

  async claimUpdate(update: UpdateRef): Promise<boolean> {
    const id = `${update.bot}\u0000${update.id}`;
    if (this.#updates.has(id)) return false;
    this.#updates.add(id);
    return true;
  }

  async commit(
    key: string,
    conversation: StoredConversation | undefined,
    update: UpdateRef,
  ): Promise<Committed> {
    // Synchronous from the check to the last write: nothing else runs in between.
    if (this.#has(update, key)) return false;
    if (conversation === undefined) {
      this.#data.delete(key);
      // Remembered under no one, so a redelivered `/delete` is recognised.
      this.#updates.add(`${update.bot}\u0000${update.id}`);
    } else {
      const window = this.#data.get(key)?.window ?? {};
      this.#set(key, conversation, pushWindow(window, update.bot, update.id, this.#now()));
    }
    return true;
  }

  /** Number of stored conversations. */
  get size(): number {
    return this.#data.size;
  }

  /** The stored JSON of a conversation (for measuring and tests). */
  raw(key: string): string | undefined {
    return this.#data.get(key)?.json;
  }
}
