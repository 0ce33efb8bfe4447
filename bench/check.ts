/**
 * `check` in bulk: profiles per second for a batch of profiles, through the library and the CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../rules/index.js';
import { generateProfiles } from './profiles.js';
import { summarise, time } from './stats.js';

const AS_OF = '2026-11-28';
const CLI = fileURLToPath(new URL('../bot/cli.js', import.meta.url));

/** One benchmark row. */
export interface Row {
  readonly name: string;
  readonly unit: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Measures `check` throughput; `size` profiles per batch, `runs` repetitions. */
export async function benchCheck(size: number, runs: number): Promise<Row[]> {
  const profiles = generateProfiles(size, AS_OF);
  const perSecond = (ms: number[]) => ms.map((m) => (size / m) * 1000);

  const library = await time(() => {
    const result = check(profiles, { asOf: AS_OF });
    if (!result.ok) throw new Error('generated profiles must be valid');
  }, runs);

  const dir = mkdtempSync(join(tmpdir(), 'luohu-bench-'));
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
  );

  return [
    { name: `check, library, batch of ${size}`, unit: 'profiles/s', ...summarise(perSecond(library)) },
    { name: `check, CLI --json, batch of ${size}`, unit: 'profiles/s', ...summarise(perSecond(cli)) },
  ];
}
