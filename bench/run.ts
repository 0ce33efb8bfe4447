/**
 * `npm run bench`: runs every benchmark and writes `bench/RESULTS.md`.
 *
 * - `--quick`: tiny sizes, writes nothing (the test suite runs it so the bench code cannot rot).
 * - `--only=1,4`: only those sections (numbers as in the report; `q` for the questions), printed and
 *   not written, for working on one of them.
 *
 * Everything runs on 127.0.0.1 and in temporary directories, bounded in count and time.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { benchCheckSection } from './check.js';
import { benchEngine } from './engine-turn.js';
import { benchGrammy, benchTelegraf } from './inprocess.js';
import { benchLength } from './length.js';
import { questionCounts } from './questions.js';
import { loadLine, reportMarkdown, row, type Section, sectionMarkdown } from './report.js';
import { benchStartup } from './startup.js';
import { benchWebhook } from './webhook.js';

const quick = process.argv.includes('--quick');
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

/** The distribution of questions asked to reach a decision (no target: it describes the dialogue). */
function questionsSection(size: number): Section {
  const counts = questionCounts(size, '2026-11-28');
  const histogram = new Map<number, number>();
  for (const n of counts) histogram.set(n, (histogram.get(n) ?? 0) + 1);
  return {
    title: 'Questions to a decision',
    rows: [row(`questions to a decision, ${counts.length} generated people`, 'questions', counts)],
    notes: [
      'Questions asked per person (how many people asked N questions):',
      '',
      '| questions | people |',
      '| ---: | ---: |',
      ...[...histogram.entries()].sort((a, b) => a[0] - b[0]).map(([n, people]) => `| ${n} | ${people} |`),
    ],
  };
}

const plan: [string, () => Promise<Section> | Section][] = [
  ['1', () => benchEngine(quick ? 30 : 500, quick ? 1 : 5)],
  ['2', () => benchGrammy(quick ? 20 : 600, quick ? 1 : 9)],
  ['3', () => benchTelegraf(quick ? 20 : 600, quick ? 1 : 5)],
  ['4', () => benchWebhook(quick ? 1 : 5, quick ? 1 : 5)],
  ['5', () => benchLength(quick ? 2 : 20, quick ? 1 : 3)],
  ['6', () => benchCheckSection(quick ? 50 : 10_000, quick ? 1 : 7)],
  ['7', () => benchStartup(quick ? 1 : 7, quick ? 1_000 : 100_000, quick ? 50 : 2_000, quick ? 1 : 7)],
  ['q', () => questionsSection(quick ? 50 : 10_000)],
];

const started = performance.now();
const loadBefore = loadLine();
const sections: Section[] = [];
for (const [id, run] of plan) {
  if (only && !only.includes(id)) continue;
  const t = performance.now();
  const section = await run();
  sections.push(section);
  process.stderr.write(`bench: ${section.title} (${((performance.now() - t) / 1000).toFixed(1)} s)\n`);
}
const seconds = (performance.now() - started) / 1000;
const report = reportMarkdown(sections, seconds, quick, loadBefore);
process.stdout.write(only ? sections.flatMap(sectionMarkdown).join('\n') : report);
if (!quick && !only) writeFileSync(fileURLToPath(new URL('../../bench/RESULTS.md', import.meta.url)), report);
