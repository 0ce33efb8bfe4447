/**
 * A per-person rate limit: a flood from one account is slowed down without starving anyone else.
 * Fixed windows per chat, in memory (a restart forgets them, which is harmless).
 */

/** What to do with an update. */
export type RateDecision = 'ok' | 'warn' | 'drop';

/** Options of {@link createRateLimiter}. */
export interface RateLimitOptions {
  /** Updates allowed per chat per window. Default 30 (no person types or taps that fast). */
  readonly limit?: number;
  /** Window length in ms. Default 10 s. */
  readonly windowMs?: number;
  /** Chats remembered at most (the oldest are forgotten first). Default 100,000. */
  readonly maxChats?: number;
  readonly now?: () => number;
}

/** A rate limiter: `check(chat)` for each update. */
export interface RateLimiter {
  /** `ok` to process; `warn` the first time over the limit in a window (say so politely); `drop` after. */
  check(chat: number | string): RateDecision;
  /**
   * Takes back one update that `check` let through (`ok`) in the chat's current window: for a
   * redelivery of an update already applied (Telegram's own retry, or the backlog a restarted
   * process is sent again), which costs the person nothing and must not use up their allowance.
   */
  refund?(chat: number | string): void;
}

/** Creates a {@link RateLimiter}. */
export function createRateLimiter(options: RateLimitOptions = {}): RateLimiter {
  const limit = options.limit ?? 30;
  const windowMs = options.windowMs ?? 10_000;
  const maxChats = options.maxChats ?? 100_000;
  const now = options.now ?? Date.now;
  const windows = new Map<number | string, { start: number; count: number }>();
  return {
    check(chat) {
      const t = now();
      let w = windows.get(chat);
      if (!w || t - w.start >= windowMs) {
        w = { start: t, count: 0 };
        windows.delete(chat);
        windows.set(chat, w);
        if (windows.size > maxChats) {
          const oldest = windows.keys().next();
          if (!oldest.done) windows.delete(oldest.value);
        }
      }
      w.count++;
      if (w.count <= limit) return 'ok';
      return w.count === limit + 1 ? 'warn' : 'drop';
    },
    refund(chat) {
      const w = windows.get(chat);
      if (w && w.count > 0) w.count--;
    },
  };
}
