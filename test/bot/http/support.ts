/** Shared by the HTTP API tests: an app over a MemoryStore, requests from this machine or elsewhere. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpApp, type HttpApp, type HttpAppOptions } from '../../../bot/http/app.js';
import { hashKey } from '../../../bot/http/auth.js';
import { MemoryStore } from '../../../bot/storage/store.js';

/** The decision date of every test. */
export const AS_OF = '2026-11-28';

/** Two agencies' keys, and the configuration entries of their hashes. */
export const KEY_A = 'lh_agency-a-key-for-tests-only-0000000000000';
export const KEY_B = 'lh_agency-b-key-for-tests-only-1111111111111';
export const KEYS = [
  { name: 'agency-a', sha256: hashKey(KEY_A) },
  { name: 'agency-b', sha256: hashKey(KEY_B) },
];

/** The Node bindings of a request from `address` (what @hono/node-server passes as `env`). */
export const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

/** A request from this machine. */
export const LOCAL = from('127.0.0.1');

/** An app and a way to call it. */
export interface Harness {
  readonly app: HttpApp;
  readonly store: MemoryStore;
  /** Sends a request; `body` (not a string) is sent as JSON. */
  call(
    method: string,
    path: string,
    options?: { body?: unknown; headers?: Record<string, string>; env?: object },
  ): Promise<Response>;
}

/** An app in staff mode (or with `apiKeys`), over a fresh MemoryStore, deciding for {@link AS_OF}. */
export function harness(options: Partial<HttpAppOptions> = {}, defaults: { key?: string } = {}): Harness {
  const store = new MemoryStore();
  const app = createHttpApp({ store, today: () => AS_OF, webRoot: null, ...options });
  return {
    app,
    store,
    call: async (method, path, { body, headers = {}, env = LOCAL } = {}) => {
      const init: RequestInit = { method, headers: { ...headers } };
      if (defaults.key !== undefined && !('authorization' in headers) && !('x-api-key' in headers))
        (init.headers as Record<string, string>).authorization = `Bearer ${defaults.key}`;
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      return app.request(`http://localhost${path}`, init, env);
    },
  };
}

/** A temporary folder, removed by the function returned. */
export function tempFolder(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
