/**
 * Retention: conversations nobody has touched for a number of days are deleted, at start and then
 * periodically, so personal answers are not kept longer than the consultation needs them.
 */

/** Days a conversation is kept after its last change, unless configured (`LUOHU_RETENTION_DAYS`). */
export const DEFAULT_RETENTION_DAYS = 30;

/** How often the purge runs, unless configured: every hour. */
export const DEFAULT_RETENTION_INTERVAL_MS = 60 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** A store that can delete what was not written since a time (e.g. `SqliteStore` in `sqlite.ts`). */
export interface PurgeableStore {
  /** Deletes what was last written before `cutoffMs` (ms since the epoch); returns how many. */
  purgeOlderThan(cutoffMs: number): number;
  /**
   * Optional: the same purge one slice at a time (`after`: where the slice starts, 0 for the first;
   * `rows`: its size). When present, retention uses it, so a large store never blocks for long.
   */
  purgeStep?(cutoffMs: number, after: number, rows: number): { deleted: number; next: number | undefined };
}

/** Rows a purge step covers (a few ms for conversations of ~1 KB). */
export const PURGE_STEP_ROWS = 2000;

/** Options of {@link startRetention}. */
export interface RetentionOptions {
  /** Keep conversations this many days after their last change; default {@link DEFAULT_RETENTION_DAYS}. */
  readonly days?: number;
  /** Time between purges (ms); default {@link DEFAULT_RETENTION_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /** The clock (ms since the epoch); default `Date.now`. */
  readonly now?: () => number;
  /** Called after each purge with the number of conversations deleted (e.g. for a log line). */
  readonly onPurge?: (deleted: number) => void;
  /**
   * Called when a purge throws (e.g. the database is busy or closed); the next interval tries again.
   * Default: a process warning (`process.emitWarning`), so a failing purge is not silent.
   */
  readonly onError?: (error: unknown) => void;
}

/** The cutoff of a purge at `nowMs`: what was last written before it is older than `days` days. */
export function retentionCutoff(nowMs: number, days: number): number {
  return nowMs - days * DAY_MS;
}

/** The longest delay a Node.js timer accepts (about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function positive(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isFinite(value) || value <= 0 || value > max)
    throw new RangeError(`${name} must be a positive number no larger than ${max}`);
  return value;
}

/**
 * Purges conversations untouched for `days` now, then every `intervalMs` (a store with `purgeStep`
 * is purged a slice at a time, one slice per turn of the event loop), and returns a function
 * that stops it (safe to call twice). The timer is unref'd: it never keeps the process alive.
 * A failing purge is reported to `onError` and never throws out of the timer. Throws a RangeError
 * when `days` or `intervalMs` is not a positive number (or
 * `intervalMs` exceeds a Node.js timer's 2^31-1 ms).
 *
 * **WARNING:** call the returned stop function before closing the store; a purge that runs on a
 * closed store fails (and is reported to `onError`).
 */
export function startRetention(store: PurgeableStore, options: RetentionOptions = {}): () => void {
  const days = positive('days', options.days ?? DEFAULT_RETENTION_DAYS);
  const intervalMs = positive(
    'intervalMs',
    options.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS,
    MAX_TIMER_MS,
  );
  const now = options.now ?? Date.now;
  const onPurge = options.onPurge ?? (() => {});
  const onError =
    options.onError ??
    ((error: unknown) =>
      process.emitWarning(
        `retention purge failed: ${error instanceof Error ? error.message : String(error)}`,
      ));
  let stopped = false;
  let running = false;
  /** A stepwise purge: the first slice now, the next ones on later turns of the event loop. */
  const stepwise = (step: NonNullable<PurgeableStore['purgeStep']>): void => {
    const cutoff = retentionCutoff(now(), days);
    let total = 0;
    const next = (after: number): void => {
      if (stopped) return;
      try {
        const done = step.call(store, cutoff, after, PURGE_STEP_ROWS);
        total += done.deleted;
        if (done.next === undefined) {
          running = false;
          onPurge(total);
        } else setTimeout(next, 0, done.next).unref();
      } catch (error) {
        running = false;
        onError(error);
      }
    };
    running = true;
    next(0);
  };
  const purge = (): void => {
    if (running) return;
    if (store.purgeStep) {
      stepwise(store.purgeStep);
      return;
    }
    try {
      onPurge(store.purgeOlderThan(retentionCutoff(now(), days)));
    } catch (error) {
      onError(error);
    }
  };
  purge();
  const timer = setInterval(purge, intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
