/** The benchmark code runs (tiny sizes, no timing asserted) so it cannot rot between bench runs. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

test('npm run bench --quick produces every row of the report', () => {
  const script = fileURLToPath(new URL('../../dist/bench/run.js', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--quick'], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  for (const row of ['check, library', 'check, CLI --json', 'questions to a decision'])
    expect(run.stdout).toContain(row);
  expect(run.stdout).toMatch(/Machine: \d+ ×/);
});
