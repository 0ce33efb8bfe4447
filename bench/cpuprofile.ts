/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): the functions with the most self time, and the
 * inclusive time of each function (itself and what it calls), with their files. For finding where a
 * missed target's time goes:
 *
 * ```sh
 * node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bench/run.js --only=2
 * node dist/bench/cpuprofile.js /tmp/prof/*.cpuprofile [--top=40] [--match=engine]
 * # the bot in its own process (webhook, start-up): BENCH_CPU_PROF=DIR profiles `luohu serve` too
 * BENCH_CPU_PROF=/tmp/prof-serve node dist/bench/run.js --only=4
 * ```
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A function's name and where it is (file relative to the project, line 1-based). */
function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, '').replace(/^.*\/(dist|node_modules)\//, '$1/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

/** Self and inclusive milliseconds per function label. */
export function summariseProfile(profile: Profile): {
  total: number;
  self: Map<string, number>;
  inclusive: Map<string, number>;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfById = new Map<number, number>();
  for (const [i, id] of profile.samples.entries())
    selfById.set(id, (selfById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of selfById) {
    const node = byId.get(id);
    if (!node) continue;
    total += ms;
    self.set(label(node), (self.get(label(node)) ?? 0) + ms);
    // Each function on the stack once, however deep the recursion.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (!n) break;
      const l = label(n);
      if (seen.has(l)) continue;
      seen.add(l);
      inclusive.set(l, (inclusive.get(l) ?? 0) + ms);
    }
  }
  return { total, self, inclusive };
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/dist\//, '/dist/'));
if (isMain) {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const top = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 30);
  const match = process.argv.find((a) => a.startsWith('--match='))?.slice(8);
  for (const file of files) {
    const { total, self, inclusive } = summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile);
    const show = (title: string, map: Map<string, number>) => {
      process.stdout.write(`\n${title} (${file}, ${total.toFixed(0)} ms sampled)\n`);
      const entries = [...map.entries()]
        .filter(([l]) => !match || l.includes(match))
        .sort((a, b) => b[1] - a[1])
        .slice(0, top);
      for (const [l, ms] of entries)
        process.stdout.write(
          `${ms.toFixed(1).padStart(9)} ms ${((100 * ms) / total).toFixed(1).padStart(5)}%  ${l}\n`,
        );
    };
    show('self time', self);
    show('inclusive time', inclusive);
  }
}
