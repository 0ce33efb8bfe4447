/**
 * The HTTP API's configuration (one plain issue per bad variable, key hashes never quoted), the
 * `luohu api-key` command, and the server on a real port over SQLite.
 */
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import {
  type Config,
  describeConfig,
  type Env,
  httpConfigOf,
  isLoopbackHost,
  loadConfig,
} from '../../../bot/config.js';
import { runApiKey } from '../../../bot/http/api-key.js';
import { hashKey, KeyRing } from '../../../bot/http/auth.js';
import { type RunningHttp, startHttpServer } from '../../../bot/http/server.js';
import { createLogger } from '../../../bot/log.js';
import { captureIO } from '../simulate/support.js';
import { AS_OF, KEY_A, tempFolder } from './support.js';

const HASH = hashKey(KEY_A);

function load(env: Env) {
  return loadConfig(env, { envFile: false });
}

function config(env: Env): Config {
  const result = load(env);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

function issues(env: Env) {
  const result = load(env);
  if (result.ok) throw new Error('expected issues');
  return result.error;
}

describe('configuration', () => {
  test('nothing set: no http section, and the defaults', () => {
    const c = config({});
    expect(c.http).toBeUndefined();
    expect(httpConfigOf(c)).toEqual({
      host: '127.0.0.1',
      port: 8787,
      enabled: false,
      apiKeys: [],
      corsOrigins: [],
      rateLimit: 120,
      brand: null,
    });
  });

  test('every variable', () => {
    const c = config({
      LUOHU_HTTP_HOST: '0.0.0.0',
      LUOHU_HTTP_PORT: '9000',
      LUOHU_API_KEYS: ` agency-a:${HASH.toUpperCase()} , b.2:${'0'.repeat(64)},`,
      LUOHU_CORS_ORIGINS: 'https://agency.example, http://localhost:5173/',
      LUOHU_RATE_LIMIT: '30',
      LUOHU_AGENCY_NAME: '鹏城人才服务',
      LUOHU_AGENCY_CONTACT: '0755-1234 5678',
    });
    expect(c.http).toEqual({
      host: '0.0.0.0',
      port: 9000,
      enabled: true,
      apiKeys: [
        { name: 'agency-a', sha256: HASH },
        { name: 'b.2', sha256: '0'.repeat(64) },
      ],
      corsOrigins: ['https://agency.example', 'http://localhost:5173'],
      rateLimit: 30,
      brand: { name: '鹏城人才服务', contact: '0755-1234 5678' },
    });
    expect(new KeyRing(c.http?.apiKeys ?? []).identify(KEY_A)).toBe('agency-a');
    // Safe to log: key names, never their hashes.
    const described = describeConfig(c);
    expect(described).toMatchObject({ httpPort: 9000, apiKeys: 'agency-a, b.2', agency: '鹏城人才服务' });
    expect(JSON.stringify(described)).not.toContain(HASH);
  });

  test('bad values: one issue each, naming the variable; key entries never quoted', () => {
    const found = issues({
      LUOHU_HTTP_PORT: '99999',
      LUOHU_API_KEYS: `agency:${KEY_A}`,
      LUOHU_CORS_ORIGINS: 'https://agency.example/widget',
      LUOHU_RATE_LIMIT: '0',
      LUOHU_AGENCY_NAME: 'x'.repeat(201),
      LUOHU_AGENCY_CONTACT: 'c',
    });
    expect(found.map((i) => [i.path[0], i.code])).toEqual([
      ['LUOHU_HTTP_PORT', 'too-large'],
      ['LUOHU_API_KEYS', 'wrong-type'],
      ['LUOHU_CORS_ORIGINS', 'wrong-type'],
      ['LUOHU_RATE_LIMIT', 'too-small'],
      ['LUOHU_AGENCY_NAME', 'too-large'],
    ]);
    expect(JSON.stringify(found)).not.toContain(KEY_A);
  });

  test('two keys with one name are refused', () => {
    const found = issues({ LUOHU_API_KEYS: `a:${HASH},a:${'1'.repeat(64)}` });
    expect(found.map((i) => i.path[0])).toEqual(['LUOHU_API_KEYS']);
  });

  test('the agency’s name and contact come together', () => {
    expect(issues({ LUOHU_AGENCY_NAME: 'A' })).toEqual([
      { path: ['LUOHU_AGENCY_CONTACT'], code: 'required', params: {} },
    ]);
    expect(issues({ LUOHU_AGENCY_CONTACT: 'c' })).toEqual([
      { path: ['LUOHU_AGENCY_NAME'], code: 'required', params: {} },
    ]);
  });

  test('beyond this machine, keys are required', () => {
    expect(issues({ LUOHU_HTTP_HOST: '0.0.0.0' })).toEqual([
      { path: ['LUOHU_API_KEYS'], code: 'required', params: {} },
    ]);
    expect(config({ LUOHU_HTTP_HOST: 'localhost' }).http?.host).toBe('localhost');
    expect(['localhost', '127.0.0.1', '127.0.0.53', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '192.168.0.2', '::', 'example.com'].some(isLoopbackHost)).toBe(false);
  });
});

describe('luohu api-key', () => {
  test('prints a new key and its entry; the entry holds the key’s hash only', () => {
    const c = captureIO();
    expect(runApiKey('pengcheng', c.io, { LUOHU_LANG: 'en' })).toBe(0);
    const [key = '', entry = ''] = c.stdout().trimEnd().split('\n');
    expect(key).toMatch(/^lh_[A-Za-z0-9_-]{43}$/);
    expect(entry).toBe(`pengcheng:${hashKey(key)}`);
    expect(c.stderr()).toContain('pengcheng');
    expect(c.stderr()).not.toContain(key);
    const loaded = config({ LUOHU_API_KEYS: entry });
    expect(new KeyRing(loaded.http?.apiKeys ?? []).identify(key)).toBe('pengcheng');
    const again = captureIO();
    runApiKey(undefined, again.io, {});
    expect(again.stdout()).toMatch(/\nagency:[0-9a-f]{64}\n$/);
    expect(again.stdout().split('\n')[0]).not.toBe(key);
  });

  test('a bad name: one line, exit 2, no key', () => {
    const c = captureIO();
    expect(runApiKey('no spaces', c.io, { LUOHU_LANG: 'en' })).toBe(2);
    expect(c.stdout()).toBe('');
    expect(c.stderr()).toMatch(/^name: /);
  });
});

describe('startHttpServer', () => {
  let running: RunningHttp | undefined;
  const folder = tempFolder('luohu-serve-');
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  afterAll(folder.remove);

  test('serves the API on a real port over SQLite, and stops', async () => {
    const c = config({ LUOHU_DATA_DIR: folder.dir, LUOHU_HTTP_PORT: '1' });
    const http = { ...httpConfigOf(c), port: 0 };
    running = await startHttpServer({ ...c, http }, { logger: createLogger('silent'), today: () => AS_OF });
    expect(running.staff).toBe(true);
    const base = `http://127.0.0.1:${running.address.port}`;
    const created = await fetch(`${base}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lang: 'en' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const turn = await fetch(`${base}/api/sessions/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ choice: 'agree' }),
    });
    expect(((await turn.json()) as { view: { question: string } }).view.question).toBe('birthDate');
    const big = await fetch(`${base}/api/sessions/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(20_000) }),
    });
    expect(big.status).toBe(413);
    await running.stop();
    running = undefined;
    await expect(fetch(`${base}/api/config`)).rejects.toThrow();
  });

  test('refuses to run keyless beyond this machine', async () => {
    const c = config({});
    await expect(
      startHttpServer(
        { ...c, http: { ...httpConfigOf(c), host: '0.0.0.0' } },
        { logger: createLogger('silent') },
      ),
    ).rejects.toThrow(/LUOHU_API_KEYS/);
  });
});
