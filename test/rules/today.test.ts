/**
 * `todayIn` keeps the day for the rest of the current minute: over many instants, in zones with and
 * without daylight saving time, with offsets of 30 and 45 minutes and local mean time with seconds,
 * walking forward, backward and jumping around, it must say what a fresh Intl formatter says.
 */
import { describe, expect, test } from 'vitest';
import { mulberry32 } from '../../bench/profiles.js';
import { POLICY_TIME_ZONE, todayIn } from '../../rules/index.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `time` in `timeZone`, from a formatter of the test's own (no cached days). */
function reference(timeZone: string, time: number): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(time);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const ZONES = [
  POLICY_TIME_ZONE,
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
  'America/St_Johns',
];

/** Instants around each local midnight and DST change of a year, walked in uneven steps. */
function walk(startUtc: string, days: number, step: number): number[] {
  const out: number[] = [];
  const start = Date.parse(startUtc);
  for (let t = start; t < start + days * 86_400_000; t += step) out.push(t);
  return out;
}

describe.each(ZONES)('%s', (zone) => {
  const check = (times: readonly number[]) => {
    const wrong: string[] = [];
    for (const time of times) {
      const got = todayIn(zone, new Date(time));
      if (got !== reference(zone, time)) wrong.push(`${new Date(time).toISOString()}: ${got}`);
    }
    expect(wrong).toEqual([]);
  };

  test('walking forward in steps of 7 min 13 s over 2026 days with DST changes and midnights', () => {
    // Both DST changes of the northern and southern hemispheres fall in these windows.
    check(walk('2026-03-07T00:00:00Z', 4, 433_000));
    check(walk('2026-04-03T00:00:00Z', 3, 433_000));
    check(walk('2026-10-02T00:00:00Z', 4, 433_000));
    check(walk('2026-10-30T00:00:00Z', 3, 433_000));
  });

  test('every second across each local midnight of a week, forward and backward', () => {
    const times: number[] = [];
    const start = Date.parse('2026-11-25T00:00:00Z');
    for (let hour = 0; hour < 24 * 7; hour++) {
      const boundary = start + hour * 3_600_000;
      // Only the hours where the local day changes matter; check each second of the minutes around.
      if (reference(zone, boundary - 1) === reference(zone, boundary + 60_000)) continue;
      for (let s = -90; s <= 90; s++) times.push(boundary + s * 1000);
    }
    for (let i = 0; i < 2; i++) {
      const sample = times.length > 0 ? times : [start];
      check(sample.slice(0, 2000));
      times.reverse();
    }
  });

  test('random instants from 1850 to 2100, including local mean time with seconds', () => {
    const random = mulberry32(zone.length);
    const from = Date.parse('1850-01-01T00:00:00Z');
    const to = Date.parse('2100-01-01T00:00:00Z');
    const times: number[] = [];
    for (let i = 0; i < 1500; i++) {
      const t = Math.floor(from + random() * (to - from));
      times.push(t, t + 1, t + 59_999, t - 60_000);
    }
    check(times);
  });
});

test('Shanghai before 1901 (LMT +8:05:43): the day changes 17 s into a minute, and each second is right', () => {
  const midnight = Date.UTC(1900, 5, 1) - (8 * 3600 + 5 * 60 + 43) * 1000;
  const times: number[] = [];
  for (let s = -180; s <= 180; s++) times.push(midnight + s * 1000);
  for (let s = 180; s >= -180; s--) times.push(midnight + s * 1000 + 500);
  for (const time of times)
    expect(todayIn(POLICY_TIME_ZONE, new Date(time))).toBe(reference(POLICY_TIME_ZONE, time));
});

test('the clock: the same answer as a fresh formatter for now, and again from the cache', () => {
  const before = Date.now();
  const first = todayIn(POLICY_TIME_ZONE);
  const second = todayIn(POLICY_TIME_ZONE);
  const after = Date.now();
  expect([reference(POLICY_TIME_ZONE, before), reference(POLICY_TIME_ZONE, after)]).toContain(first);
  expect([first, reference(POLICY_TIME_ZONE, after)]).toContain(second);
});

test('an invalid date and an unknown time zone throw a RangeError, as Intl does', () => {
  expect(() => todayIn(POLICY_TIME_ZONE, new Date(Number.NaN))).toThrow(RangeError);
  expect(() => todayIn('Mars/Olympus_Mons')).toThrow(RangeError);
  expect(todayIn(POLICY_TIME_ZONE, new Date(8.64e15))).toBe(reference(POLICY_TIME_ZONE, 8.64e15));
  expect(todayIn(POLICY_TIME_ZONE, new Date(-8.64e15))).toBe(reference(POLICY_TIME_ZONE, -8.64e15));
});
