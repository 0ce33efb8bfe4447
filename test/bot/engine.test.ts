/** The engine over a store: one look-up per update, the live snapshot, and what `remember` defers. */
import { describe, expect, test } from 'vitest';
import { Engine, LIVE_CACHE_SIZE } from '../../bot/engine.js';
import {
  type Committed,
  type Loaded,
  type LoadOptions,
  MemoryStore,
  type UpdateRef,
} from '../../bot/storage/store.js';
import type { StoredConversation } from '../../machines/conversation.js';

const AS_OF = '2026-11-28';
const BOT = 'telegram:42';
let nextId = 1;
const update = (): UpdateRef => ({ bot: BOT, id: nextId++ });

/** A MemoryStore that records what the engine asks of it. */
class CountingStore extends MemoryStore {
  readonly loads: Loaded[] = [];
  hasUpdateCalls = 0;
  override async load(key: string, options: LoadOptions): Promise<Loaded> {
    const loaded = await super.load(key, options);
    this.loads.push(loaded);
    return loaded;
  }
  override async hasUpdate(u: UpdateRef, key?: string): Promise<boolean> {
    this.hasUpdateCalls++;
    return super.hasUpdate(u, key);
  }
}

describe('Engine.send over a store with load', () => {
  test('one look-up per update: no hasUpdate; the live snapshot is used while the stored seq is its own', async () => {
    const store = new CountingStore();
    const engine = new Engine({ store, today: () => AS_OF });
    await engine.send('k', { choice: 'agree' }, 'en', { update: update() });
    const second = await engine.send('k', { text: '1993-04-09' }, 'en', { update: update() });
    expect(second.loaded).toBe('restored');
    expect(store.hasUpdateCalls).toBe(0);
    expect(store.loads.map((l) => ('unchanged' in l ? 'unchanged' : l.found))).toEqual([false, 'unchanged']);
    // Another engine (a restart) reads and checks the stored data.
    const other = new Engine({ store, today: () => AS_OF });
    const third = await other.send('k', { command: 'back' }, 'en', { update: update() });
    expect(third.loaded).toBe('restored');
    expect(store.loads.at(-1)).toMatchObject({ found: true, processed: false });
    expect(third.seq).toBe(3);
  });

  test('a redelivery is recognised by the look-up itself: nothing changes, duplicate', async () => {
    const store = new CountingStore();
    const engine = new Engine({ store, today: () => AS_OF });
    await engine.send('k', { show: true }, 'en', { update: update() });
    const agree = update();
    await engine.send('k', { choice: 'agree', seq: 0 }, 'en', { update: agree });
    const before = store.raw('k');
    const again = await engine.send('k', { choice: 'agree', seq: 0 }, 'en', { update: agree });
    expect(again.duplicate).toBe(true);
    expect(again.stale).toBe(false);
    expect(store.raw('k')).toBe(before);
    expect(store.hasUpdateCalls).toBe(0);
  });
});

describe('Engine: the live snapshots', () => {
  test('are kept for the most recent conversations only: the oldest one is read from the store again', async () => {
    const store = new CountingStore();
    const engine = new Engine({ store, today: () => AS_OF });
    for (let i = 0; i <= LIVE_CACHE_SIZE; i++)
      await engine.send(`k${i}`, { choice: 'agree' }, 'en', { update: update() });
    const unchanged = () => ('unchanged' in (store.loads.at(-1) ?? {}) ? 'unchanged' : 'read');
    // The most recent one is still live; the first one was let go when the cache was full.
    await engine.send(`k${LIVE_CACHE_SIZE}`, { text: '1993-04-09' }, 'en', { update: update() });
    expect(unchanged()).toBe('unchanged');
    const oldest = await engine.send('k0', { text: '1993-04-09' }, 'en', { update: update() });
    expect(unchanged()).toBe('read');
    expect(oldest.view.kind).toBe('question');
    expect(oldest.seq).toBe(2);
  });
});

describe('Engine.remember', () => {
  test('after a committed turn: kept in memory, returned by the next send, stored with its commit', async () => {
    const store = new MemoryStore();
    const engine = new Engine({ store, today: () => AS_OF });
    const first = await engine.send('k', { show: true }, 'en', { update: update() });
    await engine.remember('k', { ...first.meta, keyboard: 7 });
    expect((await store.get('k'))?.meta).toBeUndefined(); // no write of its own
    const next = await engine.send('k', { choice: 'agree', seq: first.seq }, 'en', { update: update() });
    expect(next.meta.keyboard).toBe(7);
    expect((await store.get('k'))?.meta?.keyboard).toBe(7);
    expect(typeof (await store.get('k'))?.meta?.consentedAt).toBe('string');
  });

  test('lost with the live snapshot (a restart): the next send does not see it', async () => {
    const store = new MemoryStore();
    const engine = new Engine({ store, today: () => AS_OF });
    const first = await engine.send('k', { show: true }, 'en', { update: update() });
    await engine.remember('k', { keyboard: 7 });
    const restarted = new Engine({ store, today: () => AS_OF });
    const next = await restarted.send('k', { choice: 'agree', seq: first.seq }, 'en', { update: update() });
    expect(next.meta.keyboard).toBeUndefined();
    expect(next.stale).toBe(false);
  });

  test('without channel updates (web sessions, current): written at once', async () => {
    const store = new MemoryStore();
    const engine = new Engine({ store, today: () => AS_OF });
    await engine.current('web:1', 'en');
    await engine.remember('web:1', { asOf: AS_OF });
    expect((await store.get('web:1'))?.meta).toEqual({ asOf: AS_OF });
    await engine.send('web:2', { show: true }, 'en');
    await engine.remember('web:2', { asOf: AS_OF });
    expect((await store.get('web:2'))?.meta).toEqual({ asOf: AS_OF });
    // No conversation: nothing happens.
    await engine.remember('web:3', { asOf: AS_OF });
    expect(await store.get('web:3')).toBeUndefined();
  });
});

describe("Engine.send when the store finds its look-up stale at the commit ('stale')", () => {
  /** A MemoryStore whose next `staleCommits` commits write nothing and answer 'stale'. */
  class StaleStore extends CountingStore {
    staleCommits = 0;
    readonly ended: string[] = [];
    override async commit(key: string, c: StoredConversation | undefined, u: UpdateRef): Promise<Committed> {
      if (this.staleCommits > 0) {
        this.staleCommits--;
        return 'stale';
      }
      return super.commit(key, c, u);
    }
    loaded(key: string): void {
      this.ended.push(key);
    }
  }

  test('the turn is done again on the stored record, read afresh, and committed once', async () => {
    const store = new StaleStore();
    const engine = new Engine({ store, today: () => AS_OF });
    await engine.send('k', { choice: 'agree' }, 'en', { update: update() });
    // Someone else stored the person further on (a birth date answered) with the same seq.
    const record = JSON.parse(store.raw('k') ?? '{}') as StoredConversation;
    const theirs = { ...record, answers: [['birthDate', '1993-04-09']] } as unknown as StoredConversation;
    await store.set('k', { ...theirs, seq: 1 });
    store.staleCommits = 1;
    const loadsBefore = store.loads.length;
    const turn = await engine.send('k', { choice: 'bachelor' }, 'en', { update: update() });
    // Two look-ups: the first answered from the live copy, the second read the record.
    expect(store.loads.slice(loadsBefore).map((l) => ('unchanged' in l ? 'unchanged' : 'read'))).toEqual([
      'unchanged',
      'read',
    ]);
    expect(turn.duplicate).toBe(false);
    expect(turn.seq).toBe(2);
    const stored = JSON.parse(store.raw('k') ?? '{}') as { seq: number; answers: [string, unknown][] };
    expect(stored.seq).toBe(2);
    expect(Object.fromEntries(stored.answers)).toMatchObject({ birthDate: '1993-04-09' });
  });

  test("a store that answers 'stale' again: the update fails, nothing is written, and the store is told", async () => {
    const store = new StaleStore();
    const engine = new Engine({ store, today: () => AS_OF });
    await engine.send('k', { choice: 'agree' }, 'en', { update: update() });
    const before = store.raw('k');
    store.staleCommits = 2;
    await expect(engine.send('k', { text: '1993-04-09' }, 'en', { update: update() })).rejects.toThrow(
      /stale/,
    );
    expect(store.raw('k')).toBe(before);
    expect(store.ended).toEqual(['k']);
    // The next update goes on from the stored record.
    const next = await engine.send('k', { text: '1993-04-09' }, 'en', { update: update() });
    expect(next.seq).toBe(2);
  });

  test('a redelivery and a stale button write nothing and tell the store so', async () => {
    const store = new StaleStore();
    const engine = new Engine({ store, today: () => AS_OF });
    const first = update();
    await engine.send('k', { choice: 'agree' }, 'en', { update: first });
    store.ended.length = 0;
    expect((await engine.send('k', { choice: 'agree' }, 'en', { update: first })).duplicate).toBe(true);
    expect((await engine.send('k', { choice: 'bachelor', seq: 0 }, 'en', { update: update() })).stale).toBe(
      true,
    );
    expect(store.ended).toEqual(['k', 'k']);
  });

  test('showing the current view of a stored conversation writes nothing and tells the store so', async () => {
    const store = new StaleStore();
    const engine = new Engine({ store, today: () => AS_OF });
    await engine.send('k', { choice: 'agree' }, 'en', { update: update() });
    store.ended.length = 0;
    const before = store.raw('k');
    const turn = await engine.current('k', 'en');
    expect(turn.loaded).toBe('restored');
    expect(store.raw('k')).toBe(before);
    expect(store.ended).toEqual(['k']);
  });
});

describe('Engine.send before consent (with channel updates)', () => {
  test('stores nothing until the person agrees; the conversation is held in this process meanwhile', async () => {
    const ended: string[] = [];
    const store = new (class extends CountingStore {
      loaded(key: string): void {
        ended.push(key);
      }
    })();
    const engine = new Engine({ store, today: () => AS_OF });
    const turns = [
      await engine.send('k', { show: true }, 'en', { update: update() }),
      await engine.send('k', { command: 'help' }, 'en', { update: update() }),
      await engine.send('k', { choice: 'decline', seq: 0 }, 'en', { update: update() }),
    ];
    await engine.remember('k', { keyboard: 7 });
    turns.push(await engine.send('k', { choice: 'start', seq: 0 }, 'en', { update: update() }));
    expect(turns.map((t) => [t.view.kind, t.seq, t.loaded])).toEqual([
      ['consent', 0, 'new'],
      ['consent', 0, 'new'],
      ['declined', 0, 'new'],
      ['consent', 0, 'new'],
    ]);
    expect(turns[1]?.view.notice?.key).toBe('notice.help');
    // The channel's meta was kept in memory, not written.
    expect(turns[3]?.meta).toEqual({ keyboard: 7 });
    expect(store.raw('k')).toBeUndefined();
    // Each of those turns told the store it writes nothing (SQLite ends its transaction at once).
    expect(ended).toEqual(['k', 'k', 'k', 'k']);

    const agreed = await engine.send('k', { choice: 'agree', seq: 0 }, 'en', { update: update() });
    expect(agreed.view.kind).toBe('question');
    expect(agreed.seq).toBe(1);
    expect(JSON.parse(store.raw('k') ?? '{}')).toMatchObject({ seq: 1, answers: [] });
  });

  test('a conversation held before consent is lost with the process: the next one starts afresh', async () => {
    const store = new MemoryStore();
    const engine = new Engine({ store, today: () => AS_OF });
    await engine.send('k', { choice: 'decline', seq: 0 }, 'en', { update: update() });
    const restarted = new Engine({ store, today: () => AS_OF });
    const next = await restarted.send('k', { text: 'hello' }, 'en', { update: update() });
    expect(next.view.kind).toBe('consent');
    expect(next.view.notice?.key).toBe('notice.need-consent');
    expect(store.raw('k')).toBeUndefined();
  });

  test('without channel updates (web sessions) the conversation is stored from its first turn', async () => {
    const store = new MemoryStore();
    const engine = new Engine({ store, today: () => AS_OF });
    const first = await engine.send('web', { show: true }, 'en');
    expect(first.seq).toBe(1);
    expect(store.raw('web')).toBeDefined();
  });
});
