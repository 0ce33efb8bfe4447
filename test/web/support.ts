/**
 * Shared by the browser tests: the web build, the real HTTP API on a free port, and Debian's
 * Chromium driven by playwright-core with a fresh profile. Screenshots go to `test-artifacts/`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { type BrowserContext, chromium } from 'playwright-core';
import { createHttpApp, type HttpAppOptions } from '../../bot/http/app.js';
import { MemoryStore } from '../../bot/storage/store.js';

/** The project's root folder. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where the web build is (what `npm run build` writes). */
export const WEB_ROOT = join(ROOT, 'dist', 'web');
/** Where screenshots are kept (git-ignored). */
export const ARTIFACTS = join(ROOT, 'test-artifacts');
/** The browser: Debian's package (`.ci/run` installs it). */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Why the browser tests are skipped, when they are. */
export const SKIP_REASON = `skipped: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`;

/** The decision date of every browser test. */
export const AS_OF = '2026-11-28';

/** Builds the web front end when there is no build yet (`npm test` builds first). */
export async function ensureWebBuild(): Promise<void> {
  if (existsSync(join(WEB_ROOT, 'index.html')) && existsSync(join(WEB_ROOT, 'widget.js'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
}

/** A running HTTP API. */
export interface RunningApi {
  readonly url: string;
  readonly store: MemoryStore;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 on a free port. */
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** Stops a server, closing idle keep-alive connections first. */
export function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The real HTTP API (staff mode unless keys are given) serving the web build, over a MemoryStore. */
export async function startApi(options: Partial<HttpAppOptions> = {}): Promise<RunningApi> {
  const store = new MemoryStore();
  const app = createHttpApp({ store, today: () => AS_OF, webRoot: WEB_ROOT, rateLimit: 10_000, ...options });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}`, store, close: () => stop(server) };
}

/** A plain server answering every GET with one HTML page (an agency's site, on another origin). */
export async function startSite(html: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html());
  });
  const port = await listen(server);
  return { url: `http://localhost:${port}`, close: () => stop(server) };
}

/** A headless Chromium with a fresh profile, removed on close. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'luohu-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    acceptDownloads: true,
    locale: 'zh-CN',
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The path of a screenshot in `test-artifacts/` (created when missing). */
export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
