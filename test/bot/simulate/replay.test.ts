/**
 * The script runner: a script whose expectations cannot hold is reported step by step, naming the
 * step, what was checked, what was expected and what happened; malformed files are refused by name.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { compare, loadScript, runScript, ScriptFileError } from '../../../bot/simulate/replay.js';
import { type Script, ScriptSchema } from '../../../bot/simulate/script.js';
import type { View } from '../../../machines/view.js';
import { AS_OF, literal, removeTempDirs, tempFile } from './support.js';

afterAll(removeTempDirs);

const script = (steps: unknown[], extra: Record<string, unknown> = {}): Script =>
  ScriptSchema.parse({ name: 'broken on purpose', lang: 'zh-CN', asOf: AS_OF, steps, ...extra });

describe('runScript with expectations that cannot hold', () => {
  test('names the step, the input, what, expected and actual', async () => {
    const outcome = await runScript(
      script([
        { say: '同意', expect: { question: 'birthDate' } },
        { say: '1993-04-09', expect: { question: 'skill', notice: 'notice.back' } },
        { tap: 'bachelor', expect: { kind: 'result', choices: ['edit'] } },
      ]),
    );
    expect(outcome.name).toBe('broken on purpose');
    expect(outcome.steps).toBe(3);
    expect(outcome.mismatches).toEqual([
      { step: 2, input: '1993-04-09', what: 'question', expected: '"skill"', actual: '"education"' },
      { step: 2, input: '1993-04-09', what: 'notice', expected: '"notice.back"', actual: 'null' },
      { step: 3, input: '[bachelor]', what: 'kind', expected: '"result"', actual: '"question"' },
      {
        step: 3,
        input: '[bachelor]',
        what: 'choices',
        expected: '"edit"',
        actual: '["regular","non-regular","unknown"]',
      },
    ]);
  });

  test('checks the first view as step 0, and text that must or must not appear', async () => {
    const outcome = await runScript(
      script([{ say: '同意', expect: { contains: ['本科及以上'], excludes: ['出生日期'] } }], {
        start: { kind: 'question' },
      }),
    );
    expect(outcome.mismatches).toEqual([
      { step: 0, input: '', what: 'kind', expected: '"question"', actual: '"consent"' },
      {
        step: 1,
        input: '同意',
        what: 'text contains',
        expected: '"本科及以上"',
        actual: '(not in the view)',
      },
      {
        step: 1,
        input: '同意',
        what: 'text excludes',
        expected: '"出生日期"',
        actual: '(present in the view)',
      },
    ]);
  });

  test('reports a verdict, route, settlement or warning the result does not have', async () => {
    const outcome = await runScript(
      script([
        { say: '同意' },
        { say: '1970-01-01' },
        { say: '本科' },
        { say: '统招' },
        {
          say: '没有',
          expect: {
            verdict: 'instant',
            route: 'degree-bachelor',
            settlement: 'own-property',
            warnings: ['age-limit-soon'],
          },
        },
      ]),
    );
    expect(outcome.mismatches.map(({ what, expected, actual }) => [what, expected, actual])).toEqual([
      ['verdict', '"instant"', '"not-eligible"'],
      ['route', '"degree-bachelor"', 'null'],
      ['settlement', '"own-property"', '"police-managed"'],
      ['warnings', '"age-limit-soon"', '[]'],
    ]);
    expect(outcome.mismatches.every((m) => m.step === 5 && m.input === '没有')).toBe(true);
  });

  test('keeps the transcript: every view, and each input after "> "', async () => {
    const outcome = await runScript(script([{ say: '同意' }, { tap: 'agree' }]));
    expect(outcome.transcript).toHaveLength(5);
    expect(outcome.transcript[0]).toContain('您同意吗？');
    expect(outcome.transcript[1]).toBe('> 同意');
    expect(outcome.transcript[2]).toContain('您的出生日期是哪天');
    expect(outcome.transcript[3]).toBe('> [agree]');
    expect(outcome.transcript[4]).toContain('这个选项属于之前的步骤');
  });
});

describe('compare', () => {
  const view: View = {
    kind: 'question',
    state: 'active.interview',
    question: 'education',
    blocks: [],
    choices: [{ id: 'bachelor', label: { key: 'x' } }],
    lang: 'zh-CN',
  };

  test('an empty expectation always holds', () => {
    expect(compare({}, view, '')).toEqual([]);
  });

  test('notice null means no notice', () => {
    expect(compare({ notice: null }, view, '')).toEqual([]);
    expect(compare({ notice: null }, { ...view, notice: { key: 'notice.help' } }, '')).toEqual([
      { what: 'notice', expected: 'null', actual: '"notice.help"' },
    ]);
  });

  test('a verdict on a question view is reported as missing', () => {
    expect(compare({ verdict: 'instant' }, view, '')).toEqual([
      { what: 'verdict', expected: '"instant"', actual: '(none)' },
    ]);
  });
});

describe('loadScript', () => {
  test('reads YAML, with numbers typed as text and the language defaulting to zh-CN', async () => {
    const file = await tempFile(
      'ok.yaml',
      'name: ok\nasOf: 2026-11-28\nsteps:\n  - say: 同意\n  - say: 36\n  - tap: bachelor\n',
    );
    const loaded = await loadScript(file);
    expect(loaded.lang).toBe('zh-CN');
    expect(loaded.asOf).toBe('2026-11-28');
    expect(loaded.steps).toEqual([{ say: '同意' }, { say: '36' }, { tap: 'bachelor' }]);
  });

  test('reads JSON', async () => {
    const file = await tempFile(
      'ok.json',
      JSON.stringify({ name: 'json', lang: 'en', asOf: AS_OF, steps: [{ say: 'yes' }] }),
    );
    expect((await loadScript(file)).steps).toEqual([{ say: 'yes' }]);
  });

  test('bad YAML: one line naming the file', async () => {
    const file = await tempFile('bad.yaml', 'name: x\nsteps: [ {say: 1\n');
    const error = await loadScript(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScriptFileError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message.startsWith(`${file}: `)).toBe(true);
  });

  test('an unknown key in an expectation: the file and the field path', async () => {
    const file = await tempFile(
      'typo.yaml',
      'name: x\nasOf: 2026-11-28\nsteps:\n  - say: 同意\n    expect: { verdit: instant }\n',
    );
    await expect(loadScript(file, 'en')).rejects.toThrow(
      new ScriptFileError(`${file}: steps[0].expect.verdit: unknown field (check the spelling)`),
    );
  });

  test('a missing file: one line naming it', async () => {
    const file = `${await tempFile('x.yaml', '')}-missing.yaml`;
    await expect(loadScript(file)).rejects.toThrow(ScriptFileError);
    await expect(loadScript(file)).rejects.toThrow(new RegExp(`^${literal(file)}: ENOENT`));
  });
});
