/**
 * `POST /api/check`: the check contract over HTTP. One profile or a batch, decisions exactly as
 * `check()` gives them, the explanation with `explain=1`, and every problem named by its field in
 * the language asked for.
 */
import { describe, expect, test } from 'vitest';
import { MAX_CHECK_BYTES } from '../../../bot/http/app.js';
import { CheckResponseSchema, ErrorSchema } from '../../../bot/http/schemas.js';
import { formatDecisions } from '../../../bot/render/check-output.js';
import { check } from '../../../rules/index.js';
import { AS_OF, harness } from './support.js';

const BACHELOR = { birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular' };
const WORKER = {
  birthDate: '1996-10-01',
  education: 'none',
  skill: 'senior-worker',
  skillInCatalog: true,
  skillObtainedInShenzhen: true,
  socialInsuranceMonths: 20,
};
const BRAND = { name: '鹏城人才服务', contact: '0755-1234 5678' };

/** What `check()` gives, as JSON (what the API must return). */
function expected(input: unknown, asOf = AS_OF): unknown {
  const result = check(input, { asOf });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return JSON.parse(JSON.stringify(result.value));
}

describe('one profile', () => {
  test('200 with the decision exactly as check() gives it, and no text', async () => {
    const h = harness();
    const res = await h.call('POST', `/api/check?asOf=${AS_OF}`, { body: BACHELOR });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json();
    expect(CheckResponseSchema.parse(body)).toEqual(body);
    expect(body).toEqual({ decisions: expected(BACHELOR) });
  });

  test('asOf defaults to today, and the policy can be named', async () => {
    const h = harness();
    const res = await h.call('POST', '/api/check?policy=shenzhen-2019', { body: BACHELOR });
    const body = (await res.json()) as { decisions: { asOf: string; policy: string } };
    expect(body.decisions.policy).toBe('shenzhen-2019');
    expect(body.decisions.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('explain=1 adds the explanation for people, in lang', async () => {
    const h = harness();
    for (const lang of ['en', 'zh-CN'] as const) {
      const res = await h.call('POST', `/api/check?asOf=${AS_OF}&explain=1&lang=${lang}`, { body: BACHELOR });
      const body = (await res.json()) as { decisions: unknown; text: string };
      expect(body.decisions).toEqual(expected(BACHELOR));
      const decision = check(BACHELOR, { asOf: AS_OF });
      if (!decision.ok || Array.isArray(decision.value)) throw new Error('no decision');
      expect(body.text.trimEnd()).toBe(formatDecisions([decision.value], lang).trimEnd());
    }
  });

  test('an agency configured: its name and contact end the explanation', async () => {
    const h = harness({ brand: BRAND });
    const res = await h.call('POST', `/api/check?asOf=${AS_OF}&explain=1&lang=en`, { body: BACHELOR });
    const { text } = (await res.json()) as { text: string };
    expect(text.trimEnd().split('\n').at(-1)).toBe(`Provided by ${BRAND.name}. Contact: ${BRAND.contact}`);
  });
});

describe('a batch', () => {
  test('an array of decisions in the same order (and their texts with explain)', async () => {
    const h = harness();
    const batch = [BACHELOR, WORKER, { ...BACHELOR, creditHighRisk: true }];
    const res = await h.call('POST', `/api/check?asOf=${AS_OF}&explain=true&lang=en`, { body: batch });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { decisions: { verdict: string }[]; text: string[] };
    expect(body.decisions).toEqual(expected(batch));
    expect(body.decisions.map((d) => d.verdict)).toEqual(['instant', 'not-eligible', 'window-review']);
    expect(body.text).toHaveLength(3);
    expect(body.text[1]).toContain('senior');
  });

  test('a problem at [3] fails the whole batch, named by its index', async () => {
    const h = harness();
    const batch = [BACHELOR, WORKER, BACHELOR, { ...BACHELOR, birthDate: '1990-02-30' }, BACHELOR];
    const res = await h.call('POST', `/api/check?asOf=${AS_OF}&lang=en`, { body: batch });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(ErrorSchema.parse(body)).toEqual(body);
    expect(body).toEqual({
      error: 'invalid-input',
      issues: [{ path: '[3].birthDate', code: 'not-a-real-date', message: '1990-02-30 is not a real date' }],
    });
  });

  test('an empty array is an empty batch', async () => {
    const h = harness();
    const res = await h.call('POST', `/api/check?asOf=${AS_OF}`, { body: [] });
    expect(await res.json()).toEqual({ decisions: [] });
  });
});

describe('bad input: 400, every problem named, in lang, never a stack', () => {
  const issues = async (res: Response) => {
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: { path: string; code: string }[] };
    expect(body.error).toBe('invalid-input');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
    return body.issues;
  };

  test('unknown keys, wrong types, missing fields', async () => {
    const h = harness();
    const res = await h.call('POST', `/api/check?asOf=${AS_OF}&lang=en`, {
      body: { birthDate: 19930409, educaton: 'bachelor', socialInsuranceMonths: 'six' },
    });
    const found = await issues(res);
    expect(found.map((i) => [i.path, i.code])).toEqual(
      expect.arrayContaining([
        ['birthDate', 'wrong-type'],
        ['education', 'required'],
        ['educaton', 'unknown-field'],
        ['socialInsuranceMonths', 'wrong-type'],
      ]),
    );
  });

  test('messages are in the language asked for (query, then Accept-Language)', async () => {
    const h = harness();
    const body = { ...BACHELOR, birthDate: '1990-02-30' };
    const zh = await issues(await h.call('POST', `/api/check?asOf=${AS_OF}&lang=zh-CN`, { body }));
    expect(zh[0]).toMatchObject({ path: 'birthDate', message: '1990-02-30 不是真实存在的日期' });
    const en = await issues(
      await h.call('POST', `/api/check?asOf=${AS_OF}`, {
        body,
        headers: { 'accept-language': 'en-GB,en;q=0.8' },
      }),
    );
    expect(en[0]).toMatchObject({ message: '1990-02-30 is not a real date' });
  });

  test('bad query parameters are named as such', async () => {
    const h = harness();
    const res = await h.call('POST', '/api/check?asOf=2026-13-01&policy=nope&lang=fr&explain=yes', {
      body: BACHELOR,
    });
    const found = await issues(res);
    expect(found.map((i) => [i.path, i.code])).toEqual([
      ['lang', 'unknown-language'],
      ['explain', 'not-in-list'],
      ['asOf', 'not-a-real-date'],
      ['policy', 'unknown-policy'],
    ]);
  });

  test('not an object, or nothing at all', async () => {
    const h = harness();
    expect((await issues(await h.call('POST', '/api/check', { body: '"hello"' })))[0]).toMatchObject({
      path: '(input)',
      code: 'not-an-object',
    });
    expect((await issues(await h.call('POST', '/api/check', {})))[0]).toMatchObject({ code: 'empty-input' });
  });

  test('not JSON: 400 invalid-json with where it broke', async () => {
    const h = harness();
    const res = await h.call('POST', '/api/check?lang=en', { body: '{"birthDate": 1993-04-09}' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid-json');
    expect(body.message).toMatch(/^not valid JSON/);
  });

  test('a body not sent as JSON is refused as invalid-json', async () => {
    const h = harness();
    const res = await h.call('POST', '/api/check?lang=en', {
      body: JSON.stringify(BACHELOR),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: 'invalid-json',
      message: 'send the body as JSON, with the header Content-Type: application/json',
    });
  });

  test('over 256 KiB: 413 too-large (a large batch under it is fine)', async () => {
    const h = harness();
    const big = Array.from({ length: 4000 }, () => BACHELOR);
    expect(JSON.stringify(big).length).toBeGreaterThan(MAX_CHECK_BYTES);
    const res = await h.call('POST', `/api/check?asOf=${AS_OF}`, { body: big });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'too-large' });
    const fine = big.slice(0, 1000);
    expect(JSON.stringify(fine).length).toBeLessThan(MAX_CHECK_BYTES);
    const ok = await h.call('POST', `/api/check?asOf=${AS_OF}`, { body: fine });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { decisions: unknown[] }).decisions).toHaveLength(1000);
  });

  test('the declared length is enough to refuse a body', async () => {
    const h = harness();
    const res = await h.app.request(
      'http://localhost/api/check',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(MAX_CHECK_BYTES + 1) },
        body: '{}',
      },
      { incoming: { socket: { remoteAddress: '127.0.0.1' } } },
    );
    expect(res.status).toBe(413);
  });
});
