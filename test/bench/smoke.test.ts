/**
 * The benchmark code runs (tiny sizes, no timing asserted) so it cannot rot between bench runs:
 * `--quick` goes through every section of `npm run bench` (engine turn, grammY and Telegraf in
 * process with their baselines, the webhook under autocannon, conversation length against
 * @grammyjs/conversations, check in bulk, start-up and memory) and writes nothing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const SECTIONS: Record<string, readonly string[]> = {
  '1. Engine turn': ['engine turn, median', 'stored conversation at the result', '| render: viewHtml'],
  '2. grammY end to end': [
    'Luohu on grammY: throughput',
    'Luohu on grammY: latency p99',
    'Luohu on grammY: CPU per update',
    'bare grammY (reply only): throughput',
    'grammY + session on SQLite ÷ Luohu, throughput',
    'Luohu on grammY, polling batches: throughput',
    'Luohu on grammY, polling batches: latency p99',
    'grammY + session on SQLite, polling batches ÷ Luohu, throughput',
    '| Luohu on grammY, conversations in memory |',
    '-byte session |',
    "| Luohu's SQLite store (Luohu − in memory) |",
    "If Luohu's store cost exactly what grammY's session costs, the ratio would be",
  ],
  '3. Telegraf end to end': [
    'Luohu on Telegraf: throughput',
    'bare Telegraf (reply only): throughput',
    'Telegraf + session on SQLite ÷ Luohu, throughput',
    'Luohu on Telegraf, polling batches: throughput',
  ],
  '4. Webhook over HTTP': [
    'Luohu webhook: throughput',
    'Luohu webhook: latency p99',
    'Luohu webhook: CPU per update',
    'bare grammY webhook: throughput',
  ],
  '5. Cost against conversation length': [
    'Luohu on grammY: message 80 ÷ message 5, time',
    'Luohu on grammY: stored after message 80',
    '@grammyjs/conversations v2: message 80',
    '@grammyjs/conversations v2: stored after message 80',
  ],
  '6. check in bulk': ['check, library', 'check, CLI --json'],
  '7. Start-up and memory': ['start-up to the first getUpdates', 'RSS, 1,000 conversations − empty store'],
  'Questions to a decision': ['questions to a decision'],
};

test('npm run bench --quick produces every section and row of the report', { timeout: 90_000 }, () => {
  const script = fileURLToPath(new URL('../../dist/bench/run.js', import.meta.url));
  const run = spawnSync(process.execPath, [script, '--quick'], { encoding: 'utf8', timeout: 85_000 });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/Machine: \d+ × .+, Node v\d+/);
  expect(run.stdout).toMatch(/Targets met: \d+ of \d+/);
  for (const [section, rows] of Object.entries(SECTIONS)) {
    expect(run.stdout).toContain(`## ${section}`);
    for (const r of rows) expect(run.stdout).toContain(r);
  }
  // Every targeted row says pass or miss; no figure is missing.
  expect(run.stdout).not.toMatch(/\| NaN \|/);
  expect(run.stdout).toMatch(/\| (pass|\*\*miss\*\*) \|/);
});
