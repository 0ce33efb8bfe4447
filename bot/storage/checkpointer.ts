/**
 * Checkpoints of a SQLite write-ahead log in a worker thread, so that copying the log into the
 * database (and its fsyncs: 5 to 70 ms on a busy disk) never stalls the event loop that handles
 * updates. The worker has its own connection; SQLite's WAL mode lets it checkpoint while the main
 * connection keeps committing.
 *
 * A passive checkpoint never waits for the writer, so under sustained writes it never catches up
 * with the log: SQLite starts the log again from its beginning only when everything in it has been
 * copied, and the file would grow by every commit (4 KB each) for as long as the writes go on. So when
 * the log is longer than its limit after a passive checkpoint, the worker follows it with a `RESTART`
 * checkpoint, which holds the writer back while it copies what was committed meanwhile (a few ms: the
 * passive one did the rest) and lets the next commit start the log again.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker: wakes every `intervalMs` (or when told), checkpoints when commits were counted. */
const SOURCE = `
const { workerData } = require('node:worker_threads');
const flags = new Int32Array(workerData.shared);
let db;
try {
  const Database = require(workerData.module);
  db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyMs });
  const restartAfter = Math.max(1, Math.floor(workerData.walLimit / db.pragma('page_size', { simple: true })));
  Atomics.store(flags, 3, 1);
  while (Atomics.load(flags, 0) === 0) {
    Atomics.wait(flags, 0, 0, workerData.intervalMs);
    if (Atomics.load(flags, 0) !== 0) break;
    if (Atomics.exchange(flags, 1, 0) > 0) {
      try {
        const [done] = db.pragma('wal_checkpoint(PASSIVE)');
        if (done.log > restartAfter) db.pragma('wal_checkpoint(RESTART)');
      } catch {
        Atomics.add(flags, 1, 1);
      }
    }
  }
} catch {
  Atomics.store(flags, 3, 2);
} finally {
  try {
    if (db) db.close();
  } catch {}
  Atomics.store(flags, 2, 1);
  Atomics.notify(flags, 2);
}
`;

/** Slots of the shared flags: stop request, commits since the last checkpoint, closed, started. */
const STOP = 0;
const DIRTY = 1;
const CLOSED = 2;
const STARTED = 3;

/** How long {@link Checkpointer.stop} waits for the worker to close its connection (ms). */
const STOP_WAIT_MS = 2000;

/** A worker thread that checkpoints one database file's write-ahead log. */
export class Checkpointer {
  readonly #flags: Int32Array;
  readonly #worker: Worker;
  #stopped = false;

  /**
   * Starts the worker on `file` (which must exist, in WAL mode). Throws when a worker cannot be
   * started; the caller then checkpoints itself. `walLimit`: the log's length (bytes) past which a
   * checkpoint holds the writer back to start the log again (see the file's comment).
   */
  constructor(file: string, intervalMs: number, busyMs: number, walLimit: number) {
    const shared = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    this.#flags = new Int32Array(shared);
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(SOURCE, {
      eval: true,
      workerData: { file, intervalMs, busyMs, walLimit, module, shared },
      stdout: false,
      stderr: false,
    });
    this.#worker.unref();
    // A worker that fails (no native module in workers, …) only leaves checkpoints to the caller.
    this.#worker.on('error', () => {
      Atomics.store(this.#flags, CLOSED, 1);
    });
  }

  /** False once the worker has failed or stopped: the caller must checkpoint itself. */
  get alive(): boolean {
    return (
      !this.#stopped && Atomics.load(this.#flags, CLOSED) === 0 && Atomics.load(this.#flags, STARTED) !== 2
    );
  }

  /** Counts a commit: the next wake-up checkpoints. */
  wrote(): void {
    Atomics.add(this.#flags, DIRTY, 1);
  }

  /**
   * Stops the worker and waits (up to {@link STOP_WAIT_MS}) until it has closed its connection, so
   * that the caller's connection is the last one and its close removes the log files. Safe to call
   * twice.
   */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    Atomics.store(this.#flags, STOP, 1);
    Atomics.notify(this.#flags, STOP);
    // The worker sees the request at once (or as soon as it has loaded) and closes its connection.
    Atomics.wait(this.#flags, CLOSED, 0, STOP_WAIT_MS);
    void this.#worker.terminate();
  }
}
