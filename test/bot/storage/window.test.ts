/** The recent update ids kept in a conversation's record: what they vouch for, and what they do not. */
import { describe, expect, test } from 'vitest';
import {
  formatWindow,
  parseWindow,
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
