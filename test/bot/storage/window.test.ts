/** The recent update ids kept in a conversation's record: what they vouch for, and what they do not. */
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../../bench/profiles.js';
import {
  formatWindow,
  parseWindow,
  pushFormatted,
  pushWindow,
  UPDATE_WINDOW,
  type UpdateWindow,
  WINDOW_TRUST_MS,
  windowHas,
} from '../../../bot/storage/window.js';

const NOW = 1_800_000_000_000;
const BOT = 'telegram:42';

/** A window with `ids` recorded for BOT at `at`. */
function windowOf(ids: number[], at = NOW): UpdateWindow {
  let window: UpdateWindow = {};
  for (const id of ids) window = pushWindow(window, BOT, id, at);
  return window;
}

describe('windowHas', () => {
  test('a recorded id is seen; a newer one is not; other bots are unknown', () => {
    const window = windowOf([10, 11, 12]);
    expect(windowHas(window, BOT, 11, NOW)).toBe('yes');
    expect(windowHas(window, BOT, 13, NOW)).toBe('no');
    expect(windowHas(window, 'telegram:43', 11, NOW)).toBe('unsure');
    expect(windowHas({}, BOT, 1, NOW)).toBe('unsure');
  });

  test('an id between recorded ones (a failed update redelivered late) is not vouched for', () => {
    const window = windowOf([10, 12]);
    expect(windowHas(window, BOT, 11, NOW)).toBe('unsure');
    // Once recorded, it takes its place.
    expect(pushWindow(window, BOT, 11, NOW)[BOT]?.slice(1)).toEqual([10, 11, 12]);
  });

  test(`keeps the newest ${UPDATE_WINDOW}; below a full window counts as seen while it is recent`, () => {
    const ids = Array.from({ length: UPDATE_WINDOW + 5 }, (_, i) => 100 + i);
    const window = windowOf(ids);
    expect(window[BOT]?.slice(1)).toEqual(ids.slice(-UPDATE_WINDOW));
    expect(windowHas(window, BOT, 100, NOW)).toBe('yes');
    // After a day Telegram no longer redelivers, and after a week it may restart its ids lower.
    expect(windowHas(window, BOT, 100, NOW + WINDOW_TRUST_MS)).toBe('unsure');
    // Below a window that is not full, nothing is assumed.
    expect(windowHas(windowOf([50, 51]), BOT, 40, NOW)).toBe('unsure');
  });

  test('round-trips through its stored form; anything unreadable reads as empty', () => {
    const window = pushWindow(windowOf([1, 2]), 'telegram:7', 9, NOW);
    expect(parseWindow(formatWindow(window))).toEqual(window);
    for (const raw of [
      '',
      'not json',
      '[1,2]',
      '42',
      '{"b":"x"}',
      '{"b":[1]}',
      '{"b":[1,"2"]}',
      null,
      undefined,
    ])
      expect(parseWindow(raw)).toEqual({});
  });
});

/** `pushWindow` as first written (a list copied, the id spliced in, the oldest spliced out): the reference. */
function referencePush(window: UpdateWindow, bot: string, id: number, nowMs: number): UpdateWindow {
  const list = window[bot];
  let ids: number[];
  if (list === undefined) ids = [id];
  else {
    ids = list.slice(1);
    let i = ids.length;
    while (i > 0 && (ids[i - 1] as number) > id) i--;
    ids.splice(i, 0, id);
    if (ids.length > UPDATE_WINDOW) ids.splice(0, ids.length - UPDATE_WINDOW);
  }
  return { ...window, [bot]: [nowMs, ...ids] };
}

describe('pushWindow and pushFormatted', () => {
  test('give the window first written and the string formatWindow gives, along random histories', () => {
    const random = mulberry32(5);
    let reused = 0;
    for (let history = 0; history < 300; history++) {
      let window: UpdateWindow = {};
      let raw = formatWindow(window);
      let id = 1 + Math.floor(random() * 1e9);
      for (let step = 0; step < 40; step++) {
        // Mostly newer ids of one bot; now and then an id out of order, or another bot.
        const bot = random() < 0.05 ? 'telegram:7' : BOT;
        id = random() < 0.08 ? id - 1 - Math.floor(random() * 3) : id + 1 + Math.floor(random() * 5);
        const now = NOW + step * 1000 + Math.floor(random() * 999);
        const pushed = pushFormatted(window, raw, bot, id, now);
        const expected = referencePush(window, bot, id, now);
        expect(pushWindow(window, bot, id, now)).toEqual(expected);
        expect(pushed.window).toEqual(expected);
        expect(pushed.raw).toBe(formatWindow(expected));
        if (pushed.raw !== JSON.stringify(pushed.window)) throw new Error('not the stored form');
        if (window[bot] !== undefined && Object.keys(window).length === 1) reused++;
        window = pushed.window;
        raw = pushed.raw;
      }
    }
    expect(reused).toBeGreaterThan(3000);
  });

  test('from a stored form written otherwise (spaces, other notation) it still stores the same window', () => {
    const window = parseWindow('{"telegram:42": [1800000000000, 10, 1.1e1, 12]}');
    const pushed = pushFormatted(window, '{"telegram:42": [1800000000000, 10, 1.1e1, 12]}', BOT, 13, NOW);
    expect(parseWindow(pushed.raw)).toEqual(pushWindow(window, BOT, 13, NOW));
    // A stored form with more in it than its window (a list that is not one) is formatted anew.
    const odd = '{"telegram:42":[1800000000000,10,11],"x":[1]}';
    const fromOdd = pushFormatted(parseWindow(odd), odd, BOT, 12, NOW);
    expect(fromOdd.raw).toBe(formatWindow(pushWindow(parseWindow(odd), BOT, 12, NOW)));
  });
});
