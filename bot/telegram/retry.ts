/**
 * Retries a Bot API call that failed for a passing reason: 429 (waiting `retry_after`), a 5xx, or a
 * network error, with exponential backoff. Used by the Telegraf adapter (grammY uses
 * @grammyjs/auto-retry for the same). 4xx other than 429 are not retried: they will not succeed.
 */

/** Options of {@link withRetry}. */
export interface RetryOptions {
  readonly attempts?: number;
  /** First backoff in ms (doubled each time). */
  readonly baseDelayMs?: number;
  /** The longest wait, in ms, whatever `retry_after` says. */
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface ApiErrorLike {
  readonly code?: number;
  readonly error_code?: number;
  readonly parameters?: { readonly retry_after?: number };
  readonly response?: {
    readonly error_code?: number;
    readonly parameters?: { readonly retry_after?: number };
  };
}

/** The wait before retrying `error`, or undefined when it should not be retried. */
export function retryDelay(error: unknown, attempt: number, options: RetryOptions = {}): number | undefined {
  const base = options.baseDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const e = (error ?? {}) as ApiErrorLike;
  const code = e.response?.error_code ?? e.error_code ?? (typeof e.code === 'number' ? e.code : undefined);
  const retryAfter = e.response?.parameters?.retry_after ?? e.parameters?.retry_after;
  if (code === 429) return Math.min(max, (retryAfter ?? 1) * 1000);
  if (code === undefined || code >= 500) return Math.min(max, base * 2 ** attempt);
  return undefined;
}

/** Calls `fn`, retrying passing failures; rethrows the last error, or a permanent one at once. */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      const delay = retryDelay(error, attempt, options);
      if (delay === undefined || attempt + 1 >= attempts) throw error;
      await sleep(delay);
    }
  }
}
