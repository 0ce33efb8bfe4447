/**
 * The session API: create a conversation, send text, choices and commands, read the views, the
 * summary and the debug view, delete it. A whole consultation through it ends in the decision
 * `check()` gives for the same person; the views are the ones every channel renders.
 */
import { describe, expect, test } from 'vitest';
import { MAX_SESSION_BYTES } from '../../../bot/http/app.js';
import { DebugSchema, SessionSchema, SummarySchema, TurnSchema } from '../../../bot/http/schemas.js';
import { SqliteStore } from '../../../bot/storage/sqlite.js';
import { questionOf } from '../../../machines/questions.js';
import { check } from '../../../rules/index.js';
import { AS_OF, type Harness, harness, tempFolder } from './support.js';

type View = {
  kind: string;
  question?: string;
  notice?: string;
  text: string;
  lang: string;
  blocks: { kind: string; text: string; mark?: string }[];
  choices: { id: string; label: string }[];
  decision?: unknown;
  brand?: { name: string; contact: string };
};
type Session = { id: string; seq: number; view: View; erased?: boolean };

const BRAND = { name: 'Pengcheng Talent Services', contact: 'hello@pengcheng.example, 0755-1234 5678' };

async function create(h: Harness, body?: unknown): Promise<Session> {
  const res = await h.call('POST', '/api/sessions', body === undefined ? {} : { body });
  expect(res.status).toBe(201);
  const session = (await res.json()) as Session;
  expect(SessionSchema.parse(session)).toEqual(session);
  return session;
}

async function send(h: Harness, id: string, body: unknown): Promise<Session> {
  const res = await h.call('POST', `/api/sessions/${id}/messages`, { body });
  expect(res.status).toBe(200);
  const turn = (await res.json()) as Session;
  expect(TurnSchema.parse(turn)).toEqual(turn);
  return turn;
}

/** What a widget would send to answer `view` for `profile`: a tapped choice, or typed text. */
function answer(view: View, profile: Record<string, unknown>, seq: number): unknown {
  if (view.kind === 'consent') return { choice: 'agree', seq };
  const question = view.question ?? '';
  const kind = questionOf(question as Parameters<typeof questionOf>[0]).kind;
  const value = profile[question];
  if (kind.type === 'date') return { text: String(value) };
  if (kind.type === 'months') return { text: String(value ?? 0) };
  if (kind.type === 'yes-no') return { choice: value === true ? 'yes' : 'no', seq };
  return { choice: String(value ?? 'none'), seq };
}

/** Runs a whole consultation for `profile` by choices and typed dates; returns every turn. */
async function consult(h: Harness, profile: Record<string, unknown>, lang = 'zh-CN'): Promise<Session[]> {
  const turns = [await create(h, { lang })];
  for (let i = 0; i < 30; i++) {
    const last = turns.at(-1) as Session;
    if (last.view.kind === 'result') return turns;
    turns.push(await send(h, last.id, answer(last.view, profile, last.seq)));
  }
  throw new Error('no result after 30 turns');
}

const PEOPLE: [string, Record<string, unknown>][] = [
  [
    'a regular bachelor with an employer collective household',
    { birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular', employerCollective: true },
  ],
  [
    'a senior worker short of social insurance',
    {
      birthDate: '1996-10-01',
      education: 'none',
      skill: 'senior-worker',
      skillInCatalog: true,
      skillObtainedInShenzhen: true,
      socialInsuranceMonths: 20,
    },
  ],
  [
    'a master with a credit record and own property',
    {
      birthDate: '1991-12-03',
      education: 'master',
      educationMode: 'regular',
      creditHighRisk: true,
      ownsProperty: true,
      guangdongHukou: true,
    },
  ],
];

describe('a whole consultation through the session API', () => {
  test.each(PEOPLE)('%s: the result is exactly check() for the same person', async (_name, profile) => {
    const h = harness();
    const turns = await consult(h, profile, 'en');
    const result = turns.at(-1) as Session;
    expect(result.view.kind).toBe('result');
    expect(result.view.choices.map((c) => c.id)).toEqual(['edit', 'restart']);
    const expected = check(profile, { asOf: AS_OF });
    if (!expected.ok) throw new Error(JSON.stringify(expected.error));
    expect(result.view.decision).toEqual(JSON.parse(JSON.stringify(expected.value)));
    // seq counts the turns, and every view is rendered text.
    expect(turns.map((t) => t.seq)).toEqual(turns.map((_t, i) => i));
    for (const t of turns) {
      expect(t.view.text).not.toBe('');
      expect(t.view.blocks.every((b) => b.text !== '')).toBe(true);
      expect(t.view.choices.every((c) => c.label !== '')).toBe(true);
      expect(t.view.lang).toBe('en');
    }
    // Only the result carries a decision; no agency configured, no brand.
    expect(turns.slice(0, -1).every((t) => t.view.decision === undefined)).toBe(true);
    expect(result.view.brand).toBeUndefined();
    // The view can be fetched again.
    const again = await h.call('GET', `/api/sessions/${result.id}`);
    expect(await again.json()).toEqual({ id: result.id, seq: result.seq, view: result.view });
  });

  test('typed answers work as in every channel', async () => {
    const h = harness();
    const { id } = await create(h);
    let turn: Session | undefined;
    for (const text of ['同意', '1993年4月9日', '本科', '统招', '没有', '没有', '没有', '有', '不是'])
      turn = await send(h, id, { text });
    expect(turn?.view.kind).toBe('result');
    expect(turn?.view.decision).toMatchObject({ verdict: 'instant', route: 'degree-bachelor' });
    expect(turn?.view.text).toContain('秒批');
  });

  test('a result view carries the agency, and its text and blocks end with its line', async () => {
    const h = harness({ brand: BRAND });
    const created = await create(h, { lang: 'en' });
    expect(created.view.brand).toBeUndefined();
    const result = (await consult(h, PEOPLE[0]?.[1] ?? {}, 'en')).at(-1) as Session;
    expect(result.view.brand).toEqual(BRAND);
    const line = `Provided by ${BRAND.name}. Contact: ${BRAND.contact}`;
    expect(result.view.blocks.at(-1)).toEqual({ kind: 'line', text: line });
    expect(result.view.text.trimEnd().endsWith(line)).toBe(true);
    const zh = (await consult(h, PEOPLE[0]?.[1] ?? {}, 'zh-CN')).at(-1) as Session;
    expect(zh.view.blocks.at(-1)?.text).toBe(`本结果由${BRAND.name}提供；咨询请联系：${BRAND.contact}`);
  });
});

describe('sessions', () => {
  test('created with a language and a date; stored under web:<id>', async () => {
    const h = harness();
    const session = await create(h, { lang: 'en', asOf: '2030-01-01' });
    expect(session.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(session.seq).toBe(0);
    expect(session.view).toMatchObject({ kind: 'consent', lang: 'en' });
    expect(session.view.choices.map((c) => c.id)).toEqual(['agree', 'decline']);
    expect(await h.store.get(`web:${session.id}`)).toMatchObject({
      lang: 'en',
      meta: { asOf: '2030-01-01' },
    });
    await send(h, session.id, { choice: 'agree' });
    await send(h, session.id, { text: '1993-04-09' });
    await send(h, session.id, { choice: 'bachelor' });
    const debug = (await (await h.call('GET', `/api/sessions/${session.id}/debug`)).json()) as {
      asOf: string;
    };
    expect(debug.asOf).toBe('2030-01-01');
  });

  test('without a body: the server’s language, today', async () => {
    const h = harness({ lang: 'en' });
    const res = await h.call('POST', '/api/sessions');
    expect(res.status).toBe(201);
    expect(((await res.json()) as Session).view.lang).toBe('en');
  });

  test('ids are unguessable: 128 random bits each', async () => {
    const h = harness();
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) ids.add((await create(h)).id);
    expect(ids.size).toBe(50);
  });

  test('an unknown or malformed id is 404 not-found on every route', async () => {
    const h = harness();
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'nope', '..%2F..%2Fetc']) {
      for (const [method, path, body] of [
        ['GET', `/api/sessions/${id}`, undefined],
        ['GET', `/api/sessions/${id}/summary`, undefined],
        ['GET', `/api/sessions/${id}/debug`, undefined],
        ['POST', `/api/sessions/${id}/messages`, { text: 'hi' }],
      ] as const) {
        const res = await h.call(method, path, body ? { body } : {});
        expect([method, path, res.status]).toEqual([method, path, 404]);
        expect(await res.json()).toEqual({ error: 'not-found' });
      }
    }
    expect(h.store.size).toBe(0);
  });

  test('a choice from an older view changes nothing and says so', async () => {
    const h = harness({ lang: 'en' });
    const { id } = await create(h);
    const asked = await send(h, id, { choice: 'agree', seq: 0 });
    expect(asked.view.question).toBe('birthDate');
    const stale = await send(h, id, { choice: 'decline', seq: 0 });
    expect(stale.seq).toBe(asked.seq);
    expect(stale.view.question).toBe('birthDate');
    expect(stale.view.notice).toBeTruthy();
  });

  test('commands: back, summary, language, restart, help', async () => {
    const h = harness();
    const { id } = await create(h);
    await send(h, id, { choice: 'agree' });
    await send(h, id, { text: '1993-04-09' });
    const back = await send(h, id, { command: 'back' });
    expect(back.view.question).toBe('birthDate');
    expect(back.view.notice).toBeTruthy();
    await send(h, id, { text: '1993-04-09' });
    const summary = await send(h, id, { command: 'summary' });
    expect(summary.view.kind).toBe('summary');
    const english = await send(h, id, { command: 'language', lang: 'en' });
    expect(english.view.lang).toBe('en');
    const help = await send(h, id, { command: 'help' });
    expect(help.view.notice ?? help.view.text).toBeTruthy();
    const restarted = await send(h, id, { command: 'restart' });
    expect(restarted.view.question).toBe('birthDate');
  });

  test('the delete command erases the session', async () => {
    const h = harness();
    const { id } = await create(h);
    const turn = await send(h, id, { command: 'delete' });
    expect(turn).toMatchObject({ erased: true, seq: 0, view: { kind: 'deleted' } });
    expect((await h.call('GET', `/api/sessions/${id}`)).status).toBe(404);
  });

  test('DELETE: 204, then 404 everywhere (and 204 again)', async () => {
    const h = harness();
    const { id } = await create(h);
    await send(h, id, { choice: 'agree' });
    const res = await h.call('DELETE', `/api/sessions/${id}`);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(h.store.size).toBe(0);
    expect((await h.call('GET', `/api/sessions/${id}`)).status).toBe(404);
    expect((await h.call('GET', `/api/sessions/${id}/summary`)).status).toBe(404);
    expect((await h.call('POST', `/api/sessions/${id}/messages`, { body: { text: 'x' } })).status).toBe(404);
    expect((await h.call('DELETE', `/api/sessions/${id}`)).status).toBe(204);
  });

  test('messages to one session are applied one at a time, in order', async () => {
    const h = harness();
    const { id } = await create(h);
    await send(h, id, { choice: 'agree' });
    const replies = await Promise.all(
      ['1993-04-09', 'bachelor', 'regular'].map((text) =>
        h.call('POST', `/api/sessions/${id}/messages`, { body: { text } }),
      ),
    );
    const seqs = await Promise.all(replies.map(async (r) => ((await r.json()) as Session).seq));
    expect(seqs).toEqual([2, 3, 4]);
    const summary = (await (await h.call('GET', `/api/sessions/${id}/summary`)).json()) as {
      answers: { question: string }[];
    };
    expect(summary.answers.map((a) => a.question)).toEqual(['birthDate', 'education', 'educationMode']);
  });

  test('kept in SQLite: a new app over the same file continues the session', async () => {
    const folder = tempFolder('luohu-http-');
    try {
      const first = new SqliteStore({ dataDir: folder.dir });
      const a = harness({ store: first });
      const { id } = await create(a);
      await send(a, id, { choice: 'agree' });
      await send(a, id, { text: '1993-04-09' });
      first.close();
      const second = new SqliteStore({ dataDir: folder.dir });
      const b = harness({ store: second });
      const res = await b.call('GET', `/api/sessions/${id}`);
      expect(((await res.json()) as Session).view.question).toBe('education');
      second.close();
    } finally {
      folder.remove();
    }
  });
});

describe('summary', () => {
  test('the answers in question order, labels and answers in the session’s language', async () => {
    const h = harness();
    const { id } = await create(h, { lang: 'en' });
    const empty = await h.call('GET', `/api/sessions/${id}/summary`);
    expect(await empty.json()).toEqual({ answers: [] });
    await send(h, id, { choice: 'agree' });
    await send(h, id, { text: '1993-04-09' });
    await send(h, id, { choice: 'bachelor' });
    await send(h, id, { choice: 'unknown' });
    const res = await h.call('GET', `/api/sessions/${id}/summary`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { answers: { question: string; label: string; answer: string }[] };
    expect(SummarySchema.parse(body)).toEqual(body);
    expect(body.answers.map((a) => a.question)).toEqual(['birthDate', 'education', 'educationMode']);
    expect(body.answers[0]).toMatchObject({ answer: '9 April 1993' });
    expect(body.answers[1]?.answer).toMatch(/bachelor/i);
    expect(body.answers[2]?.answer).toMatch(/not sure|don.t know/i);
    for (const a of body.answers) expect(a.label).toMatch(/[a-z]/i);

    await send(h, id, { command: 'language', lang: 'zh-CN' });
    const zh = (await (await h.call('GET', `/api/sessions/${id}/summary`)).json()) as typeof body;
    expect(zh.answers[0]?.answer).toBe('1993年4月9日');
    expect(zh.answers[1]?.answer).toContain('本科');
    expect(zh.answers.every((a) => /[\u4e00-\u9fff]/.test(a.label))).toBe(true);
  });

  test('an age instead of a birth date is shown as that age', async () => {
    const h = harness({ lang: 'en' });
    const { id } = await create(h);
    await send(h, id, { choice: 'agree' });
    await send(h, id, { text: '32' });
    const body = (await (await h.call('GET', `/api/sessions/${id}/summary`)).json()) as {
      answers: { answer: string }[];
    };
    expect(body.answers[0]?.answer).toContain('32');
  });
});

describe('debug', () => {
  test('state, answers, the profile with cautious defaults, the live decision, the stored form', async () => {
    const h = harness();
    const { id } = await create(h);
    const before = await (await h.call('GET', `/api/sessions/${id}/debug`)).json();
    expect(before).toMatchObject({ state: 'consent', current: null, profile: null, decision: null });
    await send(h, id, { choice: 'agree' });
    await send(h, id, { text: '1993-04-09' });
    await send(h, id, { choice: 'bachelor' });
    const res = await h.call('GET', `/api/sessions/${id}/debug`);
    expect(res.status).toBe(200);
    const debug = (await res.json()) as Record<string, unknown>;
    expect(DebugSchema.parse(debug)).toBeTruthy();
    expect(debug).toMatchObject({
      state: 'active.interview',
      current: 'educationMode',
      answers: { birthDate: '1993-04-09', education: 'bachelor' },
      unknown: [],
      approximateAge: false,
      asOf: AS_OF,
      policy: 'shenzhen-2019',
      profile: {
        birthDate: '1993-04-09',
        education: 'bachelor',
        educationMode: 'non-regular',
        skill: 'none',
      },
      stored: { stage: 'active', seq: 3 },
    });
    // The live decision is the one of the cautious profile.
    const expected = check(debug.profile, { asOf: AS_OF });
    if (!expected.ok || Array.isArray(expected.value)) throw new Error('no decision');
    expect(debug.decision).toMatchObject({ verdict: expected.value.verdict, route: expected.value.route });
    // Reading it changed nothing.
    expect((await h.store.get(`web:${id}`))?.seq).toBe(3);
  });
});

describe('bad bodies: 400 naming the field', () => {
  const issuesOf = async (res: Response) => {
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: string;
      issues: { path: string; code: string; message: string }[];
    };
    expect(body.error).toBe('invalid-input');
    return body.issues.map((i) => [i.path, i.code]);
  };

  test('messages: unknown keys, wrong types, too long, nothing to do, two things at once', async () => {
    const h = harness();
    const { id } = await create(h);
    const post = (body: unknown) => h.call('POST', `/api/sessions/${id}/messages?lang=en`, { body });
    expect(await issuesOf(await post({ text: 'hi', extra: 1 }))).toEqual([['extra', 'unknown-field']]);
    expect(await issuesOf(await post({ text: 42 }))).toEqual([['text', 'wrong-type']]);
    expect(await issuesOf(await post({ text: '' }))).toEqual([['text', 'too-small']]);
    expect(await issuesOf(await post({ text: 'x'.repeat(4097) }))).toEqual([['text', 'too-large']]);
    expect(await issuesOf(await post({ choice: 'agree', seq: 'one' }))).toEqual([['seq', 'wrong-type']]);
    expect(await issuesOf(await post({ choice: 'agree', seq: 1.5 }))).toEqual([['seq', 'not-an-integer']]);
    expect(await issuesOf(await post({ command: 'fly' }))).toEqual([['command', 'not-in-list']]);
    expect(await issuesOf(await post({ command: 'language', lang: 'fr' }))).toEqual([
      ['lang', 'not-in-list'],
    ]);
    expect(await issuesOf(await post({ text: 'hi', choice: 'agree' }))).toEqual([
      ['choice', 'unknown-field'],
    ]);
    expect(await issuesOf(await post({}))).toEqual([['(input)', 'not-in-list']]);
    expect(await issuesOf(await post([1]))).toEqual([['(input)', 'not-an-object']]);
    expect(await issuesOf(await h.call('POST', `/api/sessions/${id}/messages`))).toEqual([
      ['(input)', 'not-an-object'],
    ]);
    // Nothing was applied.
    expect((await h.store.get(`web:${id}`))?.seq).toBe(0);
  });

  test('the message says what is wrong, in the language asked for', async () => {
    const h = harness();
    const { id } = await create(h);
    const res = await h.call('POST', `/api/sessions/${id}/messages?lang=en`, { body: { txt: 'hi' } });
    const body = (await res.json()) as { issues: { message: string }[] };
    expect(body.issues[0]?.message).toBe('txt is not one of: text, choice, command');
  });

  test('create: unknown keys, wrong language, not a date, not a real date', async () => {
    const h = harness();
    const post = (body: unknown) => h.call('POST', '/api/sessions', { body });
    expect(await issuesOf(await post({ name: 'x' }))).toEqual([['name', 'unknown-field']]);
    expect(await issuesOf(await post({ lang: 'fr' }))).toEqual([['lang', 'not-in-list']]);
    expect(await issuesOf(await post({ asOf: 'tomorrow' }))).toEqual([['asOf', 'date-format']]);
    expect(await issuesOf(await post({ asOf: '2026-02-30' }))).toEqual([['asOf', 'not-a-real-date']]);
    expect(h.store.size).toBe(0);
  });

  test('not JSON: 400 invalid-json', async () => {
    const h = harness();
    const { id } = await create(h);
    for (const path of ['/api/sessions', `/api/sessions/${id}/messages`]) {
      const res = await h.call('POST', path, { body: '{"text": ' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid-json');
    }
  });

  test('over 16 KiB: 413 too-large', async () => {
    const h = harness();
    const { id } = await create(h);
    const body = JSON.stringify({ text: 'x'.repeat(MAX_SESSION_BYTES) });
    for (const path of ['/api/sessions', `/api/sessions/${id}/messages`]) {
      const res = await h.call('POST', path, { body });
      expect(res.status).toBe(413);
      expect(await res.json()).toEqual({ error: 'too-large' });
    }
  });
});
