/**
 * The dialogue scripts in `test/dialogues/` as regression tests: each replays with no mismatch, and
 * together they reach every route, settlement option and verdict, in both languages.
 */
import { basename } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadScript, runScript } from '../../../bot/simulate/replay.js';
import type { Expect, Script } from '../../../bot/simulate/script.js';
import { AS_OF, scriptFiles } from './support.js';

const files = scriptFiles();

/** The ids of the `check` contract (`shared/contract/check.md`): public API, listed here on purpose. */
const ROUTES = [
  'high-level-talent',
  'degree-bachelor',
  'overseas-returnee',
  'degree-college',
  'skill-senior-technician',
  'skill-technician',
  'skill-senior-worker',
];
const SETTLEMENTS = ['own-property', 'relative', 'employer-collective', 'talent-centre', 'police-managed'];
const VERDICTS = ['instant', 'window-review', 'not-eligible'];

/** Every expectation of a script: the start's and each step's. */
function expectations(script: Script): Expect[] {
  return [
    ...(script.start ? [script.start] : []),
    ...script.steps.flatMap((s) => (s.expect ? [s.expect] : [])),
  ];
}

test('there are dialogue scripts to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(20);
});

describe.each(files.map((f) => [basename(f), f]))('%s', (_name, file) => {
  test('replays with no mismatch', async () => {
    const script = await loadScript(file);
    const outcome = await runScript(script);
    // On failure, show the mismatches and the transcript rather than a bare count.
    expect(outcome.mismatches, outcome.transcript.join('\n')).toEqual([]);
    expect(outcome.steps).toBe(script.steps.length);
    expect(outcome.transcript).toHaveLength(1 + 2 * script.steps.length);
  });

  test('is dated and checks what it claims', async () => {
    const script = await loadScript(file);
    expect(script.asOf).toBe(AS_OF);
    expect(script.name.trim()).not.toBe('');
    // Every script checks something after at least two of its steps, and ends on a checked step.
    expect(script.steps.filter((s) => s.expect).length).toBeGreaterThanOrEqual(2);
    expect(script.steps.at(-1)?.expect).toBeDefined();
  });
});

describe('the scripts together', () => {
  const all = async () => Promise.all(files.map((f) => loadScript(f)));

  test('reach every route of the contract', async () => {
    const routes = new Set((await all()).flatMap(expectations).map((e) => e.route));
    for (const id of ROUTES) expect(routes, id).toContain(id);
    // And the not-eligible case, with no route.
    expect(routes).toContain(null);
  });

  test('recommend every settlement option', async () => {
    const options = new Set((await all()).flatMap(expectations).map((e) => e.settlement));
    for (const id of SETTLEMENTS) expect(options, id).toContain(id);
  });

  test('reach all three verdicts', async () => {
    const verdicts = new Set((await all()).flatMap(expectations).map((e) => e.verdict));
    for (const id of VERDICTS) expect(verdicts, id).toContain(id);
  });

  test('speak both languages', async () => {
    const langs = new Set((await all()).map((s) => s.lang));
    expect([...langs].sort()).toEqual(['en', 'zh-CN']);
  });

  test('cover the corrections, commands and notices of the dialogue', async () => {
    const notices = new Set((await all()).flatMap(expectations).map((e) => e.notice));
    for (const key of [
      'answer.date.no-such-day',
      'notice.assumed',
      'notice.approximate-age',
      'notice.moved-on',
      'notice.back',
      'notice.nothing-to-undo',
      'notice.restarted',
      'notice.editing',
      'notice.language',
      'notice.help',
      'notice.need-consent',
    ])
      expect(notices, key).toContain(key);
    const kinds = new Set((await all()).flatMap(expectations).map((e) => e.kind));
    for (const kind of ['consent', 'declined', 'question', 'result', 'summary', 'deleted'])
      expect(kinds, kind).toContain(kind);
  });

  test('use both typed answers and tapped buttons', async () => {
    const steps = (await all()).flatMap((s) => s.steps);
    const taps = steps.filter((s) => 'tap' in s).length;
    const says = steps.filter((s) => 'say' in s).length;
    expect(taps).toBeGreaterThan(10);
    // Mostly typed, as people write.
    expect(says).toBeGreaterThan(taps * 4);
  });
});
