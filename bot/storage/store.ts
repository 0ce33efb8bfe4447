/**
 * Where conversations are kept between messages. Small on purpose: an adapter for SQLite, Redis or
 * PostgreSQL implements these four methods and nothing in the engine changes.
 */
import type { StoredConversation } from '../../machines/conversation.js';

/** A key-value store of conversations, one per person and channel (e.g. `telegram:12345`). */
export interface ConversationStore {
  /** The stored conversation, or undefined when there is none. */
  get(key: string): Promise<StoredConversation | undefined>;
  /** Stores (replaces) a conversation. */
  set(key: string, conversation: StoredConversation): Promise<void>;
  /** Erases everything stored under `key`. */
  delete(key: string): Promise<void>;
}

/**
 * An in-memory store, for tests and the terminal simulator.
 *
 * **WARNING:** everything is lost when the process ends; do not use it for a bot people rely on.
 */
export class MemoryStore implements ConversationStore {
  readonly #data = new Map<string, string>();

  async get(key: string): Promise<StoredConversation | undefined> {
    const json = this.#data.get(key);
    return json === undefined ? undefined : (JSON.parse(json) as StoredConversation);
  }

  async set(key: string, conversation: StoredConversation): Promise<void> {
    // Stored as JSON, as a real store would, so nothing shares objects with a live snapshot.
    this.#data.set(key, JSON.stringify(conversation));
  }

  async delete(key: string): Promise<void> {
    this.#data.delete(key);
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
