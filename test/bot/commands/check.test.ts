import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runCheck } from '../../../bot/commands/check.js';
import { DecisionSchema } from '../../../rules/index.js';
import { contractExamplesText } from '../../fixtures/contract.js';
import { memoryIO } from './io.js';

const AS_OF = '2026-11-28';
const BACHELOR = {
  birthDate: '1993-04-09',
  education: 'bachelor',
  educationMode: 'regular',
  employerCollective: true,
};
const examples = JSON.parse(contractExamplesText()) as {
  profile: unknown;
  asOf: string;
  expect: Record<string, unknown>;
}[];

async function check(stdin: string, options: Parameters<typeof runCheck>[1] = {}, file?: string) {
  const captured = memoryIO(stdin);
  const code = await runCheck(file, { asOf: AS_OF, ...options }, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

describe('luohu check --json', () => {
  test.each(examples.map((e, i) => [i, e] as const))(
    'example %i: the decision of the contract',
    async (_i, example) => {
      const { code, stdout, stderr } = await check(JSON.stringify(example.profile), {
        json: true,
        asOf: example.asOf,
      });
      expect(code).toBe(0);
      expect(stderr).toBe('');
      const decision = JSON.parse(stdout) as Record<string, unknown>;
      expect(DecisionSchema.parse(decision)).toBeTruthy();
      for (const [field, value] of Object.entries(example.expect)) expect(decision[field]).toEqual(value);
    },
  );

  test('an array gives an array of decisions in the same order', async () => {
    const profiles = examples.map((e) => e.profile);
    const { code, stdout } = await check(JSON.stringify(profiles), { json: true });
    expect(code).toBe(0);
    const decisions = JSON.parse(stdout) as { route: string | null }[];
    expect(decisions.map((d) => d.route)).toEqual(examples.map((e) => e.expect.route));
  });

  test('reads a file, and "-" means standard input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'luohu-check-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify(BACHELOR));
    const fromFile = await check('', { json: true }, file);
    const fromStdin = await check(JSON.stringify(BACHELOR), { json: true }, '-');
    expect(fromFile.code).toBe(0);
    expect(fromFile.stdout).toBe(fromStdin.stdout);
    expect(JSON.parse(fromFile.stdout).route).toBe('degree-bachelor');
  });

  test('--policy names the edition applied', async () => {
    const { stdout } = await check(JSON.stringify(BACHELOR), { json: true, policy: 'shenzhen-2019' });
    expect(JSON.parse(stdout).policy).toBe('shenzhen-2019');
  });
});

describe('luohu check, explained for people', () => {
  test.each([
    ['zh-CN', ['学历类·本科及以上', '2038年4月8日', '单位集体户口', '深圳2019年版', '不是官方']],
    ['en', ['Degree', '8 April 2038', 'collective', '2019', 'not an official']],
  ] as const)('%s: verdict, deadline, settlement, edition and disclaimer', async (lang, needles) => {
    const { code, stdout } = await check(JSON.stringify(BACHELOR), { lang });
    expect(code).toBe(0);
    for (const needle of needles) expect(stdout).toContain(needle);
    expect(stdout).not.toContain('{{');
  });

  test('a batch is explained profile by profile', async () => {
    const { stdout } = await check(JSON.stringify([BACHELOR, BACHELOR]), { lang: 'en' });
    expect(stdout).toContain('Profile 1 of 2');
    expect(stdout).toContain('Profile 2 of 2');
  });
});

describe('bad input: exit 2, one plain line per problem, nothing on stdout', () => {
  test.each([
    ['not JSON', '{"birthDate": ', ['(input): ']],
    ['empty input', '   ', ['(input): ']],
    [
      'an impossible date',
      JSON.stringify({ ...BACHELOR, birthDate: '1990-02-30' }),
      ['birthDate: 1990-02-30 is not a real date'],
    ],
    ['a date in the future', JSON.stringify({ ...BACHELOR, birthDate: '2030-01-01' }), ['birthDate: ']],
    [
      'a birth date over 100 years back',
      JSON.stringify({ ...BACHELOR, birthDate: '1926-11-27' }),
      ['birthDate: '],
    ],
    ['an unknown key', JSON.stringify({ ...BACHELOR, colour: 'red' }), ['colour: ']],
    ['a wrong enum', JSON.stringify({ ...BACHELOR, education: 'phd' }), ['education: ']],
    [
      'fractional months',
      JSON.stringify({ ...BACHELOR, socialInsuranceMonths: 2.5 }),
      ['socialInsuranceMonths: '],
    ],
    [
      'negative months',
      JSON.stringify({ ...BACHELOR, socialInsuranceMonths: -1 }),
      ['socialInsuranceMonths: '],
    ],
    ['a missing field', JSON.stringify({ education: 'none' }), ['birthDate: ']],
    [
      'an array with one bad item',
      JSON.stringify([BACHELOR, BACHELOR, BACHELOR, { ...BACHELOR, birthDate: '1990-13-01' }]),
      ['[3].birthDate: '],
    ],
    ['not an object', '42', ['(input): ']],
  ])('%s', async (_name, stdin, lines) => {
    const { code, stdout, stderr } = await check(stdin, { json: true, lang: 'en' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const printed = stderr.trimEnd().split('\n');
    expect(printed).toHaveLength(lines.length);
    for (const [i, line] of lines.entries()) expect(printed[i]).toContain(line);
    expect(stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  test('several problems: one line each, in Chinese by default', async () => {
    const { code, stderr } = await check(
      JSON.stringify({ birthDate: '1990-02-30', education: 'phd', colour: 1 }),
    );
    expect(code).toBe(2);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('birthDate: '))).toContain('不是真实存在的日期');
  });

  test.each([
    ['--as-of', { asOf: '2026-02-30' }, '--as-of: '],
    ['--policy', { policy: 'shenzhen-1999' }, '--policy: '],
    ['--lang', { lang: 'fr' }, '--lang: '],
  ])('a bad %s option', async (_name, options, prefix) => {
    const { code, stdout, stderr } = await check(JSON.stringify(BACHELOR), options);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr.startsWith(prefix)).toBe(true);
  });

  test('a file that cannot be read', async () => {
    const { code, stderr } = await check('', { lang: 'en' }, '/nonexistent/profile.json');
    expect(code).toBe(2);
    expect(stderr).toContain('/nonexistent/profile.json: ');
  });
});

describe('the luohu executable', () => {
  const cli = fileURLToPath(new URL('../../../dist/bot/cli.js', import.meta.url));
  const run = (args: string[], input = '') =>
    spawnSync(process.execPath, [cli, ...args], { input, encoding: 'utf8' });

  test('--help lists the commands', () => {
    const { status, stdout } = run(['--help']);
    expect(status).toBe(0);
    for (const command of ['check', 'simulate', 'start']) expect(stdout).toContain(command);
  });

  test('check reads standard input and prints one JSON decision', () => {
    const { status, stdout } = run(['check', '--json', '--as-of', AS_OF], JSON.stringify(BACHELOR));
    expect(status).toBe(0);
    expect(JSON.parse(stdout).verdict).toBe('instant');
  });

  test('check on bad input exits 2 without a stack trace', () => {
    const { status, stdout, stderr } = run(
      ['check', '--json', '--lang', 'en'],
      '{"birthDate":"1990-02-30","education":"none"}',
    );
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe('birthDate: 1990-02-30 is not a real date');
  });

  test('an unknown option exits 2 with one line', () => {
    const { status, stderr } = run(['check', '--frobnicate']);
    expect(status).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  test('without --as-of the decision is for today in Asia/Shanghai', () => {
    const { stdout } = run(['check', '--json'], JSON.stringify(BACHELOR));
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(JSON.parse(stdout).asOf).toBe(today);
  });
});
