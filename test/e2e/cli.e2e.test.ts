/**
 * The built executable (`dist/bot/cli.js`, bundled by `scripts/bundle.mjs`): what resolves files
 * relative to its own location still finds them once bundled (the web page under `dist/web/`, the
 * native SQLite module for the checkpoint worker), and the lazily loaded commands run.
 * `npm test` builds first; run alone with `npm run build && npx vitest run test/e2e`
 * (`LUOHU_E2E_CLI=<path to cli.js>` runs them against another build).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../../bench/serve-child.js';
import { defaultWebRoot } from '../../bot/http/static.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = process.env.LUOHU_E2E_CLI ?? join(ROOT, 'dist/bot/cli.js');
const WEB_INDEX = join(ROOT, 'dist', 'web', 'index.html');

const children = new Set<ChildProcess>();
const dirs = new Set<string>();

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

afterEach(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
});

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

/** Only PATH and HOME from this process, plus `env`, in a scratch directory (no .env). */
const cleanEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? tmpdir(),
  ...env,
});

/** GETs `url` until it answers (the server is starting), for up to `timeoutMs`. */
async function getWhenUp(url: string, child: ChildProcess, stderr: () => string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the CLI exited (${child.exitCode}): ${stderr()}`);
    try {
      return await fetch(url, { signal: AbortSignal.timeout(2_000) });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('the built CLI', () => {
  test('the web root is dist/web of this package when run from source', () => {
    expect(defaultWebRoot()).toBe(join(ROOT, 'dist', 'web'));
  });

  test('--help, serve --help and a check run from the bundle', () => {
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8', env: cleanEnv({}) });
    expect(help.status).toBe(0);
    for (const command of ['check', 'simulate', 'start', 'serve', 'api-key'])
      expect(help.stdout).toContain(command);
    const serveHelp = spawnSync(process.execPath, [CLI, 'serve', '--help'], {
      encoding: 'utf8',
      env: cleanEnv({}),
    });
    expect(serveHelp.status).toBe(0);
    expect(serveHelp.stdout).toContain('--framework');
    const check = spawnSync(process.execPath, [CLI, 'check', '--lang', 'en'], {
      input: '{}',
      encoding: 'utf8',
      env: cleanEnv({}),
      cwd: tempDir('luohu-cli-cwd-'),
    });
    expect(check.status).toBe(2);
    expect(check.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  test.skipIf(!existsSync(WEB_INDEX))(
    'serve --http serves the web page from dist/web and stops cleanly',
    { timeout: 30_000 },
    async () => {
      const port = await freePort();
      const dataDir = tempDir('luohu-cli-data-');
      const child = spawn(process.execPath, [CLI, 'serve', '--http'], {
        cwd: tempDir('luohu-cli-cwd-'),
        env: cleanEnv({ LUOHU_HTTP_PORT: String(port), LUOHU_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.add(child);
      let err = '';
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        err += chunk;
      });
      const page = await getWhenUp(`http://127.0.0.1:${port}/`, child, () => err);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toBe(readFileSync(WEB_INDEX, 'utf8'));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(err).toBe('');
    },
  );
});
