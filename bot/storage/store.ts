/**
 * Where conversations are kept between messages. Small on purpose: an adapter for SQLite, Redis or
 * PostgreSQL implements these four methods and nothing in the engine changes.
 */
import type { StoredConversation } from '../../machines/conversation.js';

/** One update of a channel: the bot it came to and its id (Telegram's `update_id`). */
export interface UpdateRef {
  readonly bot: string;
  readonly id: number;
}

/** A key-value store of conversations, one per person and channel (e.g. `telegram:12345`). */
export interface ConversationStore {
  /** The stored conversation, or undefined when there is none. */
  get(key: string): Promise<StoredConversation | undefined>;
  /** Stores (replaces) a conversation. */
  set(key: string, conversation: StoredConversation): Promise<void>;
  /** Erases everything stored under `key`: the conversation and the updates recorded for it. */
  delete(key: string): Promise<void>;
  /** True when `update` was already committed (a redelivery). */
  hasUpdate(update: UpdateRef): Promise<boolean>;
  /**
   * Commits the effect of one update atomically: the conversation written (or, when `conversation`
   * is undefined, erased with everything tied to `key`) and the update recorded, in one transaction.
   * Resolves false and changes nothing when the update was already recorded.
   *
   * **WARNING:** an adapter must make both writes one transaction; otherwise a crash between them
   * either loses the answer or applies it twice.
   */
  commit(key: string, conversation: StoredConversation | undefined, update: UpdateRef): Promise<boolean>;
  /**
   * Records an update that changes no conversation (a sticker, a group message), so that its reply
   * is sent once. Resolves false when it was already recorded.
   */
  claimUpdate(update: UpdateRef): Promise<boolean>;
}

/**
 * An in-memory store, for tests and the terminal simulator.
 *
 * **WARNING:** everything is lost when the process ends; do not use it for a bot people rely on.
 */
export class MemoryStore implements ConversationStore {
  readonly #data = new Map<string, string>();
  /** Recorded updates (`bot\u0000id`) and the conversation key each belongs to. */
  readonly #updates = new Map<string, string>();

  async get(key: string): Promise<StoredConversation | undefined> {
    const json = this.#data.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as StoredConversation);
  }

  async set(key: string, conversation: StoredConversation): Promise<void> {
    this.#set(key, conversation);
  }

  async delete(key: string): Promise<void> {
    this.#delete(key);
  }

  #set(key: string, conversation: StoredConversation): void {
    // Stored as JSON, as a real store would, so nothing shares objects with a live snapshot.
    this.#data.set(key, JSON.stringify(conversation));
  }

  #delete(key: string): void {
    this.#data.delete(key);
    for (const [update, owner] of this.#updates) if (owner === key) this.#updates.delete(update);
  }

  async hasUpdate(update: UpdateRef): Promise<boolean> {
    return this.#updates.has(`${update.bot}\u0000${update.id}`);
  }

  async claimUpdate(update: UpdateRef): Promise<boolean> {
    const id = `${update.bot}\u0000${update.id}`;
    if (this.#updates.has(id)) return false;
    this.#updates.set(id, '');
    return true;
  }

  async commit(
    key: string,
    conversation: StoredConversation | undefined,
    update: UpdateRef,
  ): Promise<boolean> {
    const id = `${update.bot}\u0000${update.id}`;
    // Synchronous from the check to the last write: nothing else runs in between.
    if (this.#updates.has(id)) return false;
    if (conversation === undefined) this.#delete(key);
    else this.#set(key, conversation);
    // After an erasure the update is remembered under no one, so a redelivered `/delete` is recognised.
    this.#updates.set(id, conversation === undefined ? '' : key);
    return true;
  }

  /** Number of stored conversations. */
  get size(): number {
    return this.#data.size;
  }

  /** The stored JSON of a conversation (for measuring and tests). */
  raw(key: string): string | undefined {
    return this.#data.get(key);
  }
}
