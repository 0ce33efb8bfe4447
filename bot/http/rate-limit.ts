/**
 * Per-client request limits: a token bucket per API key (or per client address in staff mode) that
 * holds `perMinute` requests and refills evenly over a minute. In memory: one process's count.
 */

/** The outcome of {@link RateLimiter.take}. */
export type Admission = { readonly ok: true } | { readonly ok: false; readonly retryAfter: number };

/** Buckets kept before full ones are forgotten. */
const PRUNE_AT = 10_000;

/** Token buckets, one per client. */
export class RateLimiter {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(perMinute: number, now: () => number = Date.now) {
    this.#capacity = perMinute;
    this.#perMs = perMinute / 60_000;
    this.#now = now;
  }

  /** Takes one request from `client`'s bucket; when empty, how many seconds until the next one. */
  take(client: string): Admission {
    const now = this.#now();
    if (this.#buckets.size >= PRUNE_AT) this.#prune(now);
    const bucket = this.#buckets.get(client) ?? { tokens: this.#capacity, at: now };
    const tokens = Math.min(this.#capacity, bucket.tokens + Math.max(0, now - bucket.at) * this.#perMs);
    if (tokens >= 1) {
      this.#buckets.set(client, { tokens: tokens - 1, at: now });
      return { ok: true };
    }
    this.#buckets.set(client, { tokens, at: now });
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - tokens) / this.#perMs / 1000)) };
  }

  /** Forgets the buckets that have refilled (they are as good as new). */
  #prune(now: number): void {
    for (const [client, bucket] of this.#buckets)
      if (bucket.tokens + (now - bucket.at) * this.#perMs >= this.#capacity) this.#buckets.delete(client);
  }
}

/** Runs tasks one at a time per key (a session's messages in order); different keys run in parallel. */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
