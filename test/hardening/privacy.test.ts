/**
 * Guarantee 10: consent is recorded with its time; `/delete` erases the conversation and every
 * record of its updates from the SQLite file; the retention purge erases old conversations on its
 * schedule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Engine } from '../../bot/engine.js';
import { retentionCutoff, startRetention } from '../../bot/storage/retention.js';
import { SqliteStore } from '../../bot/storage/sqlite.js';
import { MemoryStore } from '../../bot/storage/store.js';
import { AS_OF, BOT_KEY, harness, i18n, sendCalls, tempDir, textMsg } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  vi.useRealTimers();
  for (const fn of cleanups.splice(0).reverse()) fn();
});

const DAY = 24 * 60 * 60 * 1000;

/** A stored conversation still at the consent question (nothing personal in it). */
const CONSENT_RECORD = {
  v: 1,
  policy: 'shenzhen-2019',
  lang: 'en',
  stage: 'consent',
  answers: [],
  snapshot: {},
} as const;

/** A `SqliteStore` in a temporary directory (`dir`), closed and removed after the test. */
function tempStore(now?: () => number): { store: SqliteStore; dir: string } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const store = new SqliteStore(now ? { file: tmp.file, now } : { file: tmp.file });
  cleanups.push(() => store.close());
  return { store, dir: tmp.dir };
}

/** A `SqliteStore` in a temporary file on the clock `now`, closed and removed after the test. */
const storeAt = (now: () => number): SqliteStore => tempStore(now).store;

describe('consent', () => {
  test('recorded with the time it was given (the engine clock), kept as later answers come', async () => {
    let clock = new Date('2026-11-28T02:03:04.005Z');
    const store = new MemoryStore();
    const engine = new Engine({ store, i18n, today: () => AS_OF, now: () => clock });
    await engine.send('k', { show: true });
    expect((await store.get('k'))?.meta?.consentedAt).toBeUndefined();
    const consent = await engine.send('k', { choice: 'agree', seq: 1 });
    expect(consent.view.kind).toBe('question');
    expect((await store.get('k'))?.meta?.consentedAt).toBe('2026-11-28T02:03:04.005Z');
    clock = new Date('2026-11-29T00:00:00.000Z');
    await engine.send('k', { text: '1993-04-09' });
    await engine.send('k', { command: 'back' });
    expect((await store.get('k'))?.meta?.consentedAt).toBe('2026-11-28T02:03:04.005Z');
  });

  test('typed consent counts too; declining records nothing', async () => {
    const store = new MemoryStore();
    const engine = new Engine({
      store,
      i18n,
      today: () => AS_OF,
      now: () => new Date(Date.UTC(2026, 10, 28)),
    });
    await engine.send('typed', { text: '同意' });
    expect((await store.get('typed'))?.meta?.consentedAt).toBe('2026-11-28T00:00:00.000Z');
    await engine.send('declined', { choice: 'decline' });
    expect((await store.get('declined'))?.meta?.consentedAt).toBeUndefined();
  });

  test('through the bot: the time survives the bot remembering its keyboard message', async () => {
    const h = harness({ now: () => new Date('2026-11-28T08:00:00.000Z') });
    await h.handle(textMsg(9901, '/start'));
    await h.tap(9901, '同意');
    await h.handle(textMsg(9901, '1993-04-09'));
    // The keyboard's message id is stored with the next commit (the engine keeps it until then).
    await h.tap(9901, 0);
    const meta = (await h.store.get('telegram:9901'))?.meta;
    expect(meta?.consentedAt).toBe('2026-11-28T08:00:00.000Z');
    expect(typeof meta?.keyboard).toBe('number');
  });
});

describe('before consent, through the bot on a SQLite file', () => {
  test('nothing about the person is stored: /start, /help, declining, starting again; then consent', async () => {
    const { store, dir } = tempStore();
    const h = harness({ store });
    const ME = 9905;
    const mine = () =>
      readdirSync(dir).filter((name) => readFileSync(join(dir, name)).includes(`telegram:${ME}`));
    await h.handle(textMsg(ME, '/start'));
    await h.handle(textMsg(ME, '/help'));
    await h.tap(ME, 1); // decline
    await h.tap(ME, 0); // start again
    expect(store.count()).toBe(0);
    expect(mine()).toEqual([]);
    expect(await store.hasUpdate({ bot: BOT_KEY, id: 0 })).toBe(false);
    // The person was answered every time: the consent question, again with the help line, the
    // declined note, the consent question again (each tap edited the message it was on).
    expect(sendCalls(h.calls, ME)).toHaveLength(2);
    expect(h.calls.filter((c) => c.method === 'editMessageText')).toHaveLength(2);

    const agree = await h.tap(ME, 0);
    const stored = await store.get(`telegram:${ME}`);
    expect(stored?.seq).toBe(1);
    expect(stored?.answers).toEqual([]);
    expect(typeof stored?.meta?.consentedAt).toBe('string');
    expect(await store.hasUpdate({ bot: BOT_KEY, id: agree.update_id })).toBe(true);
    // The consent message itself became the first question.
    const edit = h.calls.at(-2);
    expect(edit?.method).toBe('editMessageText');
    expect(edit?.payload.message_id).toBe(agree.callback_query.message?.message_id);
  });

  test('a language picked before consent is kept: stored alone, with no answer and no consent', async () => {
    const store = new MemoryStore();
    const h = harness({ store });
    await h.handle(textMsg(9906, '/start'));
    expect(await store.get('telegram:9906')).toBeUndefined();
    await h.handle(textMsg(9906, '/language'));
    const stored = await store.get('telegram:9906');
    expect(stored).toMatchObject({ lang: 'en', stage: 'consent', answers: [] });
    expect(stored?.meta?.consentedAt).toBeUndefined();
    await h.handle(textMsg(9906, 'yes'));
    expect((await store.get('telegram:9906'))?.lang).toBe('en');
  });
});

describe('/delete in SQLite', () => {
  test('erases the conversation and its processed-update records from the file; other people keep theirs', async () => {
    const { store } = tempStore();
    const h = harness({ store });
    const ME = 9902;
    const OTHER = 9903;
    for (const chat of [ME, OTHER]) {
      await h.handle(textMsg(chat, '/start'));
      await h.handle(textMsg(chat, '同意'));
      await h.handle(textMsg(chat, '1993-04-09'));
    }
    const db = new Database(store.file, { readonly: true });
    cleanups.push(() => db.close());
    // A conversation's processed updates are kept in its own row (`updates`: bot → [at, ...ids]).
    const updatesOf = (key: string) => {
      const raw = db.prepare('SELECT updates FROM conversations WHERE key = ?').pluck().get(key);
      return typeof raw === 'string' && raw !== ''
        ? Object.values(JSON.parse(raw) as Record<string, number[]>).reduce((n, l) => n + l.length - 1, 0)
        : 0;
    };
    const rowsOf = (key: string) =>
      db.prepare('SELECT count(*) FROM conversations WHERE key = ?').pluck().get(key) as number;
    // 同意 and the date (the /start before consent stored nothing).
    expect(updatesOf(`telegram:${ME}`)).toBe(2);
    expect(rowsOf(`telegram:${ME}`)).toBe(1);

    const del = textMsg(ME, '/delete');
    await h.handle(del);
    expect(rowsOf(`telegram:${ME}`)).toBe(0);
    expect(updatesOf(`telegram:${ME}`)).toBe(0);
    // Nothing of the person's answers is left anywhere in the database.
    const everything = JSON.stringify(db.prepare('SELECT * FROM conversations').all());
    expect(everything).not.toContain(`telegram:${ME}`);
    // The /delete itself is remembered under no one (no column ties a record to a person), so its
    // redelivery is recognised.
    expect(
      db
        .prepare('SELECT count(*) FROM processed_updates WHERE bot = ? AND update_id = ?')
        .pluck()
        .get(BOT_KEY, del.update_id),
    ).toBe(1);
    expect(
      db
        .prepare('SELECT * FROM processed_updates')
        .columns()
        .map((c) => c.name),
    ).toEqual(['bot', 'update_id', 'at']);
    expect(store.count()).toBe(1);
    expect(rowsOf(`telegram:${OTHER}`)).toBe(1);
    expect(updatesOf(`telegram:${OTHER}`)).toBe(2);
    expect(String(sendCalls(h.calls, ME).at(-1)?.payload.text)).toContain('删除');
  });

  // SQLite leaves deleted rows readable in free pages and in the write-ahead log unless the store
  // zeroes them (`secure_delete`) and empties the log after an erasure: checked on the files
  // themselves, at once (the bot still running) and after close. (This test failed before the store
  // did both.)
  test('after /delete, the answers are nowhere in the database files: at once, and after close', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const store = new SqliteStore({ file: tmp.file });
    const h = harness({ store });
    const files = () =>
      readdirSync(tmp.dir).filter((name) => readFileSync(join(tmp.dir, name)).includes('1977-07-17'));
    await h.handle(textMsg(9904, '/start'));
    await h.handle(textMsg(9904, '同意'));
    await h.handle(textMsg(9904, '1977-07-17'));
    await h.handle(textMsg(9904, '本科'));
    expect(files().length).toBeGreaterThan(0); // the check can see the answer while it is kept
    await h.handle(textMsg(9904, '/delete'));
    expect(files()).toEqual([]);
    store.close();
    expect(files()).toEqual([]);
  });

  test('the retention purge leaves nothing readable either, after close', () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    let now = Date.UTC(2026, 0, 1);
    const store = new SqliteStore({ file: tmp.file, now: () => now });
    const record = {
      v: 1,
      policy: 'shenzhen-2019',
      lang: 'en',
      stage: 'active',
      answers: [['birthDate', '1966-06-16']],
      snapshot: {},
    } as const;
    store.setSync('old', record);
    now += 40 * DAY;
    expect(store.purgeOlderThan(retentionCutoff(now, 30))).toBe(1);
    store.close();
    for (const name of readdirSync(tmp.dir))
      expect(readFileSync(join(tmp.dir, name)).includes('1966-06-16'), name).toBe(false);
  });
});

describe('retention', () => {
  test('purges at start and then every interval what was not written for `days`; stops when told', () => {
    vi.useFakeTimers();
    let now = Date.UTC(2026, 0, 1);
    const store = storeAt(() => now);
    const record = CONSENT_RECORD;
    store.setSync('old', record); // day 0
    void store.commit('old', record, { bot: 'b', id: 1 });
    now += 20 * DAY;
    store.setSync('recent', record); // day 20
    now += 11 * DAY; // day 31

    const purged: number[] = [];
    const errors: unknown[] = [];
    const stop = startRetention(store, {
      days: 30,
      intervalMs: 60_000,
      now: () => now,
      onPurge: (n) => purged.push(n),
      onError: (e) => errors.push(e),
    });
    cleanups.push(stop);
    expect(purged).toEqual([1]); // at start: "old" (31 days) goes, "recent" (11 days) stays
    expect(store.getSync('old')).toBeUndefined();
    expect(store.getSync('recent')).toBeDefined();

    now += 19 * DAY + 1; // day 50: "recent" is 30 days old
    vi.advanceTimersByTime(59_999);
    expect(purged).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(purged).toEqual([1, 1]);
    expect(store.count()).toBe(0);

    stop();
    store.setSync('new', record);
    now += 100 * DAY;
    vi.advanceTimersByTime(10 * 60_000);
    expect(purged).toEqual([1, 1]);
    expect(store.getSync('new')).toBeDefined();
    expect(errors).toEqual([]);
  });

  test('processed-update records older than the cutoff are purged too', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = storeAt(() => now);
    const record = CONSENT_RECORD;
    await store.commit('a', record, { bot: 'b', id: 1 });
    now += 40 * DAY;
    await store.commit('b', record, { bot: 'b', id: 2 });
    store.purgeOlderThan(retentionCutoff(now, 30));
    expect(await store.hasUpdate({ bot: 'b', id: 1 })).toBe(false);
    expect(await store.hasUpdate({ bot: 'b', id: 2 })).toBe(true);
  });

  test('a failing purge (closed database) is reported, never thrown out of the timer, and retried', () => {
    vi.useFakeTimers();
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const store = new SqliteStore({ file: tmp.file });
    store.close();
    const errors: unknown[] = [];
    const stop = startRetention(store, { intervalMs: 1000, onError: (e) => errors.push(e) });
    cleanups.push(stop);
    expect(errors).toHaveLength(1);
    vi.advanceTimersByTime(2000);
    expect(errors).toHaveLength(3);
  });

  test('nonsense settings are refused', () => {
    const store = { purgeOlderThan: () => 0 };
    for (const options of [
      { days: 0 },
      { days: -1 },
      { days: Number.NaN },
      { intervalMs: 0 },
      { intervalMs: 2 ** 31 },
    ])
      expect(() => startRetention(store, options)).toThrow(RangeError);
  });
});
