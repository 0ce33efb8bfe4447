/**
 * `check` in bulk: profiles per second for a batch of profiles, through the library and the CLI.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../rules/index.js';
import { generateProfiles } from './profiles.js';
import { atLeast, type Row, row, type Section } from './report.js';
import { time } from './stats.js';
import { removeDir, tempDir } from './tmp.js';

const AS_OF = '2026-11-28';
const CLI = fileURLToPath(new URL('../bot/cli.js', import.meta.url));

export type { Row };

/** Measures `check` throughput; `size` profiles per batch, `runs` repetitions. */
export async function benchCheck(size: number, runs: number): Promise<Row[]> {
  const profiles = generateProfiles(size, AS_OF);
  const perSecond = (ms: number[]) => ms.map((m) => (size / m) * 1000);

  const library = await time(() => {
    const result = check(profiles, { asOf: AS_OF });
    if (!result.ok) throw new Error('generated profiles must be valid');
  }, runs);

  const dir = tempDir('check');
  const file = join(dir, 'profiles.json');
  writeFileSync(file, JSON.stringify(profiles));
  const cli = await time(
    () => {
      const run = spawnSync(process.execPath, [CLI, 'check', file, '--json', '--as-of', AS_OF], {
        maxBuffer: 1 << 30,
      });
      if (run.status !== 0) throw new Error(`luohu check exited ${run.status}: ${run.stderr}`);
    },
    Math.max(1, Math.ceil(runs / 2)),
    1,
  ).finally(() => removeDir(dir));

  return [
    row(`check, library, batch of ${size}`, 'profiles/s', perSecond(library), atLeast(100_000)),
    row(`check, CLI --json, batch of ${size}`, 'profiles/s', perSecond(cli)),
  ];
}

/** Section 6: `check` in bulk. */
export async function benchCheckSection(size: number, runs: number): Promise<Section> {
  return {
    title: '6. check in bulk',
    intro: [
      `A batch of ${size} generated profiles (\`profiles.ts\`), decided for one date: through the library (\`check(profiles)\`, ` +
        'validation included) and through the CLI (`luohu check FILE --json`, a new process each time: start-up, reading, ' +
        'validating, deciding and printing JSON).',
    ],
    rows: await benchCheck(size, runs),
  };
}
