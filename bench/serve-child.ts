/**
 * `luohu serve` in a child process, as an operator runs it (`node dist/bot/cli.js serve`), against a
 * local Bot API stub, with its data in a temporary directory. For the webhook and start-up benchmarks.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { TOKEN } from './fake-telegram.js';

/** The CLI the package installs as `luohu`. */
export const CLI = fileURLToPath(new URL('../bot/cli.js', import.meta.url));

/** The webhook's secret token in the benchmarks. */
export const WEBHOOK_SECRET = 'bench-secret_0123456789';

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Options of {@link spawnServe}. */
export interface ServeChildOptions {
  readonly apiRoot: string;
  readonly dataDir: string;
  /** Serve a webhook on this port (else long polling). */
  readonly webhookPort?: number;
  readonly framework?: 'grammy' | 'telegraf';
  /** Extra `node` flags (e.g. `--cpu-prof`). */
  readonly nodeFlags?: readonly string[];
  readonly logLevel?: string;
}

/** The webhook path the child serves. */
export const WEBHOOK_PATH = '/telegram/webhook';

/**
 * Starts `luohu serve` with a clean environment (only PATH and HOME of this one, and the bot's
 * variables), in `dataDir` as working directory (so no `.env` of the project is read).
 */
export function spawnServe(options: ServeChildOptions): ChildProcess & { output: () => string } {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: options.apiRoot,
    LUOHU_DATA_DIR: options.dataDir,
    LOG_LEVEL: options.logLevel ?? 'info',
  };
  if (options.webhookPort !== undefined) {
    env.TELEGRAM_WEBHOOK_URL = `http://127.0.0.1:${options.webhookPort}${WEBHOOK_PATH}`;
    env.TELEGRAM_WEBHOOK_SECRET = WEBHOOK_SECRET;
    env.LUOHU_WEBHOOK_HOST = '127.0.0.1';
    env.LUOHU_WEBHOOK_PORT = String(options.webhookPort);
  }
  // BENCH_CPU_PROF=DIR: profile the child too (`node --cpu-prof`), written when it stops.
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
    : [];
  const args = [...profile, ...(options.nodeFlags ?? []), CLI, 'serve'];
  if (options.framework) args.push('--framework', options.framework);
  const child = spawn(process.execPath, args, {
    cwd: options.dataDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    // Keep the start of the log (for errors), never let the pipe fill up.
    if (output.length < 20_000) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return Object.assign(child, { output: () => output });
}

/** Stops a child with SIGTERM (SIGKILL after `graceMs`); resolves when it has exited. */
export function stopChild(child: ChildProcess, graceMs = 5000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

/** Resolves when `check` is true, polling every `everyMs`; rejects after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 5,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
