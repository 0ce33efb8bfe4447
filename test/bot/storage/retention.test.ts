/** Retention: old conversations are purged at start and on a timer that never holds the process. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  DEFAULT_RETENTION_DAYS,
  DEFAULT_RETENTION_INTERVAL_MS,
  PURGE_STEP_ROWS,
  type PurgeableStore,
  retentionCutoff,
  startRetention,
} from '../../../bot/storage/retention.js';
import { SqliteStore } from '../../../bot/storage/sqlite.js';
import { startConversation, storeConversation } from '../../../machines/conversation.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 28, 12);

/** A store that records each cutoff it is asked to purge at. */
function recorder(): PurgeableStore & { cutoffs: number[] } {
  const cutoffs: number[] = [];
  return {
    cutoffs,
    purgeOlderThan(cutoff) {
      cutoffs.push(cutoff);
      return 0;
    },
  };
}

/** Runs `use` on a `SqliteStore` in a temporary directory on the clock `now`; closes and removes it. */
async function withStore(now: () => number, use: (store: SqliteStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'luohu-retention-'));
  const store = new SqliteStore({ file: join(dir, 'r.sqlite'), now });
  try {
    await use(store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('retentionCutoff', () => {
  test('is now minus the days', () => {
    expect(retentionCutoff(NOW, 30)).toBe(NOW - 30 * DAY);
    expect(retentionCutoff(NOW, 1)).toBe(NOW - DAY);
    expect(retentionCutoff(10 * DAY, 10)).toBe(0);
  });
});

describe('startRetention', () => {
  test('purges at start and on every interval until stopped', () => {
    vi.useFakeTimers();
    let now = NOW;
    const store = recorder();
    const stop = startRetention(store, { days: 7, intervalMs: 1000, now: () => now });
    expect(store.cutoffs).toEqual([NOW - 7 * DAY]);

    now += 1000;
    vi.advanceTimersByTime(1000);
    expect(store.cutoffs).toEqual([NOW - 7 * DAY, NOW + 1000 - 7 * DAY]);
    vi.advanceTimersByTime(2999);
    expect(store.cutoffs).toHaveLength(4);

    stop();
    stop();
    vi.advanceTimersByTime(10_000);
    expect(store.cutoffs).toHaveLength(4);
  });

  test('defaults: 30 days, every hour', () => {
    vi.useFakeTimers({ now: NOW });
    const store = recorder();
    const stop = startRetention(store);
    expect(DEFAULT_RETENTION_DAYS).toBe(30);
    expect(store.cutoffs).toEqual([NOW - 30 * DAY]);
    vi.advanceTimersByTime(DEFAULT_RETENTION_INTERVAL_MS - 1);
    expect(store.cutoffs).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(store.cutoffs).toHaveLength(2);
    stop();
  });

  test('the timer does not keep the process alive', () => {
    const setInterval = vi.spyOn(globalThis, 'setInterval');
    const stop = startRetention(recorder(), { intervalMs: 60_000 });
    const timer = setInterval.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    stop();
  });

  test('purges a real store: old conversations at start, newly old ones on the timer', async () => {
    vi.useFakeTimers();
    let now = NOW;
    await withStore(
      () => now,
      async (store) => {
        const stored = storeConversation(startConversation({ asOf: '2026-11-28' }));
        now = NOW - 31 * DAY;
        await store.set('stale', stored);
        now = NOW - 29 * DAY - 30 * 60 * 1000; // 29 days and a half hour ago
        await store.set('ageing', stored);
        now = NOW;
        await store.set('fresh', stored);

        const purged: number[] = [];
        const stop = startRetention(store, { days: 30, now: () => now, onPurge: (n) => purged.push(n) });
        expect(purged).toEqual([1]);
        expect(await store.get('stale')).toBeUndefined();
        expect(store.count()).toBe(2);

        now = NOW + DAY; // 'ageing' is now past 30 days
        vi.advanceTimersByTime(DEFAULT_RETENTION_INTERVAL_MS);
        expect(purged).toEqual([1, 1]);
        expect(await store.get('ageing')).toBeUndefined();
        expect(await store.get('fresh')).toBeDefined();
        stop();
      },
    );
  });

  test('a large store is purged a slice at a time, one slice per turn of the event loop', async () => {
    vi.useFakeTimers();
    let now = NOW;
    await withStore(
      () => now,
      async (store) => {
        const stored = storeConversation(startConversation({ asOf: '2026-11-28' }));
        const rows = PURGE_STEP_ROWS * 2 + 500;
        store.transaction(() => {
          for (let i = 0; i < rows; i++) {
            now = i % 2 === 0 ? NOW - 40 * DAY : NOW; // every other one is old
            store.setSync(`k${i}`, stored);
          }
        });
        now = NOW;
        const purged: number[] = [];
        const stop = startRetention(store, { days: 30, now: () => now, onPurge: (n) => purged.push(n) });
        // The first slice is done at once, the rest later: nothing reported until the end.
        expect(store.count()).toBe(rows - PURGE_STEP_ROWS / 2);
        expect(purged).toEqual([]);
        vi.advanceTimersByTime(50);
        expect(purged).toEqual([Math.ceil(rows / 2)]);
        expect(store.count()).toBe(Math.floor(rows / 2));
        expect(await store.get('k1')).toBeDefined();
        expect(await store.get('k0')).toBeUndefined();
        expect(await store.get(`k${rows - 2}`)).toBeUndefined(); // old, in the last slice
        expect(await store.get(`k${rows - 1}`)).toBeDefined();
        stop();
      },
    );
  });

  test('stopping in the middle of a stepwise purge stops it', () => {
    vi.useFakeTimers();
    const steps: number[] = [];
    const store: PurgeableStore = {
      purgeOlderThan: () => 0,
      purgeStep: (_cutoff, after, rows) => {
        steps.push(after);
        return { deleted: 1, next: after + rows < 10 * rows ? after + rows : undefined };
      },
    };
    const purged: number[] = [];
    const stop = startRetention(store, { onPurge: (n) => purged.push(n) });
    expect(steps).toEqual([0]);
    stop();
    vi.advanceTimersByTime(10);
    expect(steps).toEqual([0]);
    expect(purged).toEqual([]);
  });

  test('a failing purge is reported and never throws; the next interval tries again', () => {
    vi.useFakeTimers();
    let fail = true;
    const errors: unknown[] = [];
    const purged: number[] = [];
    const store: PurgeableStore = {
      purgeOlderThan: () => {
        if (fail) throw new Error('database is locked');
        return 3;
      },
    };
    const stop = startRetention(store, {
      intervalMs: 1000,
      onError: (error) => errors.push(error),
      onPurge: (n) => purged.push(n),
    });
    expect(errors).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(errors).toHaveLength(2);
    fail = false;
    vi.advanceTimersByTime(1000);
    expect(purged).toEqual([3]);
    stop();
  });

  test('by default a failing purge becomes a process warning', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const stop = startRetention({
      purgeOlderThan: () => {
        throw new Error('The database connection is not open');
      },
    });
    expect(warn).toHaveBeenCalledWith('retention purge failed: The database connection is not open');
    stop();
  });

  test.each([
    ['days', { days: 0 }],
    ['days', { days: -1 }],
    ['days', { days: Number.NaN }],
    ['intervalMs', { intervalMs: 0 }],
    ['intervalMs', { intervalMs: 2 ** 31 }],
  ])('refuses a bad %s', (name, options) => {
    const store = recorder();
    expect(() => startRetention(store, options)).toThrow(RangeError);
    expect(() => startRetention(store, options)).toThrow(name);
    expect(store.cutoffs).toEqual([]);
  });
});
