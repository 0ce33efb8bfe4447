/**
 * Who may call the API: API keys (hashed at rest, either header), staff mode (keyless, this machine
 * only), CORS for the configured origins only, and a rate limit per key (per address in staff mode).
 */
import { describe, expect, test } from 'vitest';
import { isLoopbackAddress } from '../../../bot/http/app.js';
import { hashKey, KeyRing, presentedKey } from '../../../bot/http/auth.js';
import { RateLimiter } from '../../../bot/http/rate-limit.js';
import { from, harness, KEY_A, KEY_B, KEYS, LOCAL } from './support.js';

const PROFILE = { birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular' };

describe('API keys', () => {
  const protectedRoutes = (id: string): [string, string, unknown][] => [
    ['POST', '/api/check', PROFILE],
    ['POST', '/api/sessions', {}],
    ['GET', `/api/sessions/${id}`, undefined],
    ['POST', `/api/sessions/${id}/messages`, { text: 'hi' }],
    ['GET', `/api/sessions/${id}/summary`, undefined],
    ['GET', `/api/sessions/${id}/debug`, undefined],
    ['DELETE', `/api/sessions/${id}`, undefined],
  ];

  test('without a key, or with a wrong one: 401 unauthorized, no detail, nothing done', async () => {
    const h = harness({ apiKeys: KEYS });
    const created = await h.call('POST', '/api/sessions', { headers: { 'x-api-key': KEY_A } });
    const { id } = (await created.json()) as { id: string };
    const refusals: Record<string, string>[] = [
      {},
      { authorization: 'Bearer lh_wrong' },
      { authorization: `Basic ${KEY_A}` },
      { authorization: `Bearer ${KEY_A}x` },
      { 'x-api-key': KEY_A.slice(0, -1) },
      { 'x-api-key': hashKey(KEY_A) },
      { authorization: `Bearer ${'x'.repeat(10_000)}` },
    ];
    for (const headers of refusals)
      for (const [method, path, body] of protectedRoutes(id)) {
        // From this machine too: staff mode is off once keys are configured.
        const res = await h.call(method, path, {
          headers,
          ...(body !== undefined ? { body } : {}),
          env: LOCAL,
        });
        expect([method, path, res.status]).toEqual([method, path, 401]);
        expect(await res.json()).toEqual({ error: 'unauthorized' });
      }
    expect(h.store.size).toBe(1);
  });

  test('a configured key works in either header, from anywhere', async () => {
    const h = harness({ apiKeys: KEYS });
    const env = from('203.0.113.9');
    const bearer = await h.call('POST', '/api/sessions', {
      headers: { authorization: `Bearer ${KEY_A}` },
      env,
    });
    expect(bearer.status).toBe(201);
    const { id } = (await bearer.json()) as { id: string };
    for (const [method, path, body] of protectedRoutes(id)) {
      const res = await h.call(method, path, {
        headers: { 'x-api-key': KEY_B },
        ...(body !== undefined ? { body } : {}),
        env,
      });
      expect([method, path, res.status < 400]).toEqual([method, path, true]);
    }
  });

  test('the debug view needs a key when keys are configured', async () => {
    const h = harness({ apiKeys: KEYS });
    const created = await h.call('POST', '/api/sessions', { headers: { 'x-api-key': KEY_A } });
    const { id } = (await created.json()) as { id: string };
    expect((await h.call('GET', `/api/sessions/${id}/debug`, { env: LOCAL })).status).toBe(401);
    const ok = await h.call('GET', `/api/sessions/${id}/debug`, { headers: { 'x-api-key': KEY_A } });
    expect(ok.status).toBe(200);
  });

  test('the description and the public configuration need no key', async () => {
    const h = harness({ apiKeys: KEYS });
    const env = from('198.51.100.7');
    expect((await h.call('GET', '/api/openapi.json', { env })).status).toBe(200);
    const config = await h.call('GET', '/api/config', { env });
    expect(await config.json()).toEqual({ brand: null, languages: ['zh-CN', 'en'], staff: false });
  });

  test('the key ring hashes what is presented and knows only the hashes', () => {
    const ring = new KeyRing(KEYS);
    expect(ring.identify(KEY_A)).toBe('agency-a');
    expect(ring.identify(KEY_B)).toBe('agency-b');
    expect(ring.identify(hashKey(KEY_A))).toBeUndefined();
    expect(ring.identify(undefined)).toBeUndefined();
    expect(ring.identify('')).toBeUndefined();
    expect(new KeyRing([]).empty).toBe(true);
    expect(presentedKey({ authorization: 'bearer  abc ' })).toBe('abc');
    expect(presentedKey({ apiKey: ' abc ' })).toBe('abc');
    expect(presentedKey({ authorization: 'Token abc' })).toBeUndefined();
  });
});

describe('staff mode (no keys configured)', () => {
  test('keyless requests from this machine are served, and /api/config says so', async () => {
    const h = harness();
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const res = await h.call('POST', '/api/sessions', { env: from(address) });
      expect([address, res.status]).toEqual([address, 201]);
    }
    const { id } = (await (await h.call('POST', '/api/sessions')).json()) as { id: string };
    expect((await h.call('GET', `/api/sessions/${id}/debug`)).status).toBe(200);
    expect(await (await h.call('GET', '/api/config')).json()).toMatchObject({ staff: true });
  });

  test('from any other address, or of unknown origin: 401', async () => {
    const h = harness();
    for (const env of [from('192.168.1.20'), from('::ffff:10.0.0.1'), {}]) {
      const res = await h.call('POST', '/api/check', { body: PROFILE, env });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: 'unauthorized' });
    }
  });

  test('the debug view: keyless from this machine only', async () => {
    const h = harness();
    const { id } = (await (await h.call('POST', '/api/sessions')).json()) as { id: string };
    expect((await h.call('GET', `/api/sessions/${id}/debug`, { env: from('127.0.0.1') })).status).toBe(200);
    expect((await h.call('GET', `/api/sessions/${id}/debug`, { env: from('192.168.1.20') })).status).toBe(
      401,
    );
  });

  test('a page on another host name (DNS rebinding) is refused even from this machine', async () => {
    const h = harness();
    const res = await h.app.request('http://attacker.example:8787/api/sessions', { method: 'POST' }, LOCAL);
    expect(res.status).toBe(401);
  });

  test('loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['10.0.0.1', '::ffff:10.0.0.1', '128.0.0.1', '', undefined].some(isLoopbackAddress)).toBe(false);
  });
});

describe('CORS', () => {
  const ORIGIN = 'https://agency.example';
  const app = () => harness({ corsOrigins: [ORIGIN, 'http://localhost:5173'] });

  test('an allowed origin gets Access-Control-Allow-Origin on answers and errors', async () => {
    const h = app();
    const ok = await h.call('POST', '/api/sessions', { headers: { origin: ORIGIN } });
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(ok.headers.get('vary')).toContain('Origin');
    const missing = await h.call('GET', '/api/sessions/AAAAAAAAAAAAAAAAAAAAAA', {
      headers: { origin: ORIGIN },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  test('another origin gets no CORS headers (exact match only)', async () => {
    const h = app();
    for (const origin of [
      'https://evil.example',
      'https://agency.example.evil.example',
      'http://agency.example',
    ]) {
      const res = await h.call('POST', '/api/sessions', { headers: { origin } });
      expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    }
  });

  test('a preflight from an allowed origin is answered; from another, without CORS headers', async () => {
    const h = app();
    const preflight = (origin: string) =>
      h.app.request(
        'http://localhost/api/sessions',
        {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type, x-api-key',
          },
        },
        from('203.0.113.1'),
      );
    const allowed = await preflight(ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(allowed.headers.get('access-control-max-age')).toBe('600');
    const denied = await preflight('https://evil.example');
    expect([...denied.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
  });

  test('no origins configured: no CORS headers at all', async () => {
    const h = harness();
    const res = await h.call('GET', '/api/config', { headers: { origin: 'https://agency.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('rate limit', () => {
  test('over the limit: 429 rate-limited with Retry-After; other keys are unaffected', async () => {
    let now = 1_000_000;
    const h = harness({ apiKeys: KEYS, rateLimit: 5, now: () => now });
    const call = (key: string) => h.call('POST', '/api/sessions', { headers: { 'x-api-key': key } });
    for (let i = 0; i < 5; i++) expect((await call(KEY_A)).status).toBe(201);
    const limited = await call(KEY_A);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('12');
    expect(await limited.json()).toEqual({ error: 'rate-limited', retryAfter: 12 });
    expect((await call(KEY_B)).status).toBe(201);
    // The public routes are not counted.
    expect((await h.call('GET', '/api/config')).status).toBe(200);
    // The bucket refills evenly: one request per 12 s at 5 a minute.
    now += 12_000;
    expect((await call(KEY_A)).status).toBe(201);
    expect((await call(KEY_A)).status).toBe(429);
    now += 60_000;
    for (let i = 0; i < 5; i++) expect((await call(KEY_A)).status).toBe(201);
    expect(h.store.size).toBe(12);
  });

  test('refused requests do nothing', async () => {
    const h = harness({ apiKeys: KEYS, rateLimit: 1, now: () => 0 });
    expect((await h.call('POST', '/api/sessions', { headers: { 'x-api-key': KEY_A } })).status).toBe(201);
    expect((await h.call('POST', '/api/sessions', { headers: { 'x-api-key': KEY_A } })).status).toBe(429);
    expect(h.store.size).toBe(1);
  });

  test('in staff mode, per client address', async () => {
    const h = harness({ rateLimit: 2, now: () => 0 });
    for (let i = 0; i < 2; i++)
      expect((await h.call('GET', '/api/sessions/none', { env: from('127.0.0.1') })).status).toBe(404);
    expect((await h.call('GET', '/api/sessions/none', { env: from('127.0.0.1') })).status).toBe(429);
    expect((await h.call('GET', '/api/sessions/none', { env: from('127.0.0.2') })).status).toBe(404);
  });

  test('the limiter: a bucket per client, refilled over a minute', () => {
    let now = 0;
    const limiter = new RateLimiter(120, () => now);
    for (let i = 0; i < 120; i++) expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfter: 1 });
    expect(limiter.take('b').ok).toBe(true);
    now += 500;
    expect(limiter.take('a').ok).toBe(true);
  });
});

describe('every API answer', () => {
  test('is not cached and not sniffed', async () => {
    const h = harness();
    const res = await h.call('POST', '/api/sessions');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  test('an unknown route or method under /api is 404 JSON', async () => {
    const h = harness();
    for (const [method, path] of [
      ['GET', '/api/nope'],
      ['GET', '/api'],
      ['PUT', '/api/sessions'],
      ['GET', '/api/check'],
    ] as const) {
      const res = await h.call(method, path);
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(await res.json()).toEqual({ error: 'not-found' });
    }
  });
});
