/**
 * 1. The engine turn: load a stored conversation, apply one input, run the rules where the machine
 * does, render the view in the person's language (as the Telegram channel does: HTML and keyboard),
 * store it. Over SQLite (`SqliteStore`, default settings, in a temporary directory), whole
 * consultations of many people interleaved. Then the same turns taken apart, phase by phase, to show
 * where the time goes.
 */

import { Engine, type Input } from '../bot/engine.js';
import { createI18n, createRenderer, type I18n, isLang, type Lang } from '../bot/i18n.js';
import { SqliteStore } from '../bot/storage/sqlite.js';
import { keyboardOf, viewHtml } from '../bot/telegram/format.js';
import { langOf } from '../bot/telegram/handler.js';
import {
  restoreConversation,
  type StoredConversation,
  stepConversation,
  storeConversation,
} from '../machines/conversation.js';
import type { ConsultationEvent } from '../machines/events.js';
import { interpret } from '../machines/interpret.js';
import { viewOf } from '../machines/views.js';
import { POLICY_TIME_ZONE, todayIn } from '../rules/index.js';
import { atMost, row, type Section } from './report.js';
import { percentile, repeat, summarise } from './stats.js';
import { removeDir, tempDir } from './tmp.js';
import { consultationScripts, interleaved, type Script, type Step } from './workload.js';

/**
 * The engine input of a step: a tap carries the turn of the view it was on (`seq`, the last turn
 * shown in the chat); `/start` shows the current view (the channel's job).
 */
export function inputOf(step: Step, seq: number): Input | 'start' {
  if ('tap' in step) return { choice: step.tap, seq };
  return step.text === '/start' ? 'start' : { text: step.text };
}

/**
 * The turn, as a channel takes it: the engine's step, then the view rendered for Telegram. Returns
 * the turn number of the view shown.
 */
async function turn(
  engine: Engine,
  i18n: I18n,
  script: Script,
  index: number,
  seq: number,
): Promise<{ seq: number; kind: string }> {
  const key = `telegram:${script.chatId}`;
  const lang = langOf(script.languageCode);
  const input = inputOf(script.steps[index] as Step, seq);
  const t = input === 'start' ? await engine.current(key, lang) : await engine.send(key, input, lang);
  if (t.stale || t.duplicate) throw new Error(`chat ${script.chatId}: step ${index} was not applied`);
  const renderer = createRenderer(isLang(t.view.lang) ? t.view.lang : lang, i18n);
  viewHtml(t.view, renderer);
  if (t.view.choices.length) keyboardOf(t.view, t.seq, renderer);
  return { seq: t.seq, kind: t.view.kind };
}

/**
 * The parts of an update as the grammY channel runs them: `Engine.send` with the update's id (timed
 * whole), the rendering, `Engine.remember` for the keyboard's message id. Then, to explain the first,
 * the pieces `Engine.send` is made of, each timed apart on the same turn (the commit into a scratch
 * store, so the conversation is not written twice). The pieces are the engine's building blocks as
 * they are today; the engine may skip some (e.g. restoring, when it holds the live snapshot).
 */
const PARTS = [
  'Engine.send, whole (with the update id)',
  'render: viewHtml + keyboardOf (compiled sentences)',
  'remember keyboard: Engine.remember (kept for the next commit)',
] as const;
const PIECES = [
  'clock: todayIn(Asia/Shanghai)',
  'store look-up: load (the update ids; the data only when the live snapshot is stale)',
  'restore: restoreConversation (only when the live snapshot is stale)',
  'view of the loaded state: viewOf',
  'interpret typed text',
  'step: stepConversation (rules; XState for the rare events)',
  'view: viewOf (decide + presentDecision on the result)',
  "store write: commit (one conditional UPDATE with the update id, and the turn's COMMIT)",
] as const;
type Phase = (typeof PARTS)[number] | (typeof PIECES)[number];

let phaseUpdate = 1;

/** Replays the turns of `scripts` part by part over `store`, collecting each part's and piece's time. */
async function phaseTimes(
  store: SqliteStore,
  scratch: SqliteStore,
  scripts: readonly Script[],
  asOf: string,
  i18n: I18n,
) {
  const totals = new Map<Phase, number[]>([...PARTS, ...PIECES].map((p) => [p, []]));
  /** The kind of view each measured turn ended on. */
  const kinds: string[] = [];
  const engine = new Engine({ store, i18n });
  const seqs = new Map<number, number>();
  const add = (phase: Phase, start: number) => totals.get(phase)?.push((performance.now() - start) * 1000);
  for (const [script, index] of interleaved(scripts, 50)) {
    const key = `telegram:${script.chatId}`;
    const lang: Lang = langOf(script.languageCode);
    const step = script.steps[index] as Step;
    const input = inputOf(step, seqs.get(script.chatId) ?? 0);
    if (input === 'start') {
      // A new conversation: not a turn of the kind measured here.
      seqs.set(script.chatId, (await engine.current(key, lang)).seq);
      continue;
    }
    const stored = store.getSync(key) as StoredConversation;
    const update = { bot: 'telegram:42', id: phaseUpdate++ };

    // The pieces, apart, on a copy of the turn.
    let t = performance.now();
    todayIn(POLICY_TIME_ZONE);
    add(PIECES[0], t);
    t = performance.now();
    await store.load(key, { update, seq: stored.seq ?? 0 });
    add(PIECES[1], t);
    t = performance.now();
    const { snapshot } = restoreConversation(stored, asOf, { asOf, lang });
    add(PIECES[2], t);
    t = performance.now();
    const before = viewOf(snapshot);
    add(PIECES[3], t);
    t = performance.now();
    const event: ConsultationEvent =
      'tap' in step ? { type: 'CHOOSE', id: step.tap } : interpret(step.text, before, engine.labelsOf);
    add(PIECES[4], t);
    t = performance.now();
    const next = stepConversation(snapshot, event);
    add(PIECES[5], t);
    t = performance.now();
    viewOf(next);
    add(PIECES[6], t);
    // The scratch store's look-up (untimed): as in the engine, the commit follows its turn's look-up.
    await scratch.load(key, { update });
    t = performance.now();
    await scratch.commit(key, { ...storeConversation(next), seq: (stored.seq ?? 0) + 1 }, update);
    add(PIECES[7], t);

    // The real thing.
    t = performance.now();
    const turn = await engine.send(key, input, lang, { update });
    add(PARTS[0], t);
    seqs.set(script.chatId, turn.seq);
    kinds.push(turn.view.kind);
    t = performance.now();
    const renderer = createRenderer(isLang(turn.view.lang) ? turn.view.lang : lang, i18n);
    viewHtml(turn.view, renderer);
    if (turn.view.choices.length) keyboardOf(turn.view, turn.seq, renderer);
    add(PARTS[1], t);
    t = performance.now();
    await engine.remember(key, { ...turn.meta, keyboard: index });
    add(PARTS[2], t);
  }
  return { totals, kinds };
}

/** Section 1. `chats` consultations per run. */
export async function benchEngine(chats: number, runs: number): Promise<Section> {
  const asOf = todayIn(POLICY_TIME_ZONE);
  const dir = tempDir('engine');
  const store = new SqliteStore({ dataDir: dir });
  const i18n = createI18n();
  const engine = new Engine({ store, i18n });
  try {
    const measured = await repeat(async (run) => {
      const scripts = consultationScripts(chats, asOf, 1_000_000 * (run + 3), 11 + run);
      const times: number[] = [];
      const byKind = new Map<string, number[]>();
      const seqs = new Map<number, number>();
      let total = 0;
      for (const [script, index] of interleaved(scripts, 50)) {
        const start = performance.now();
        const done = await turn(engine, i18n, script, index, seqs.get(script.chatId) ?? 0);
        const us = (performance.now() - start) * 1000;
        seqs.set(script.chatId, done.seq);
        total += us;
        times.push(us);
        const kind = byKind.get(done.kind) ?? [];
        kind.push(us);
        byKind.set(done.kind, kind);
      }
      const bytes = scripts.map((s) => {
        const stored = store.getSync(`telegram:${s.chatId}`);
        if (stored?.state?.at !== 'result') throw new Error(`chat ${s.chatId} is not at the result`);
        return Buffer.byteLength(JSON.stringify(stored));
      });
      return {
        p50: percentile(times, 50),
        p99: percentile(times, 99),
        question: percentile(byKind.get('question') ?? [], 50),
        result: percentile(byKind.get('result') ?? [], 50),
        mean: total / times.length,
        bytes,
        turns: times.length,
      };
    }, runs);
    const allBytes = measured.flatMap((m) => m.bytes);
    const scratchDir = tempDir('engine-scratch');
    const scratch = new SqliteStore({ dataDir: scratchDir });
    const { totals: byPhase, kinds } = await phaseTimes(
      store,
      scratch,
      consultationScripts(chats, asOf, 90_000_000, 99),
      asOf,
      i18n,
    ).finally(() => {
      scratch.close();
      removeDir(scratchDir);
    });
    const timesOf = (p: Phase, kind?: string) =>
      (byPhase.get(p) ?? []).filter((_, i) => kind === undefined || kinds[i] === kind);
    const meanOf = (p: Phase, kind?: string) => {
      const xs = timesOf(p, kind);
      return xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
    };
    const total = (kind?: string) => PARTS.reduce((sum, p) => sum + meanOf(p, kind), 0);
    const us = (x: number) => x.toFixed(1);
    return {
      title: '1. Engine turn',
      intro: [
        `Whole consultations of ${chats} generated people per run (${measured[0]?.turns ?? 0} turns, 50 chats interleaved), ` +
          'each turn timed: `Engine.send` (load from `SqliteStore` with default settings, restore, interpret, step, store; ' +
          'each turn here is alone in its turn of the event loop, so the store commits it at its write) ' +
          "and the view rendered as the Telegram channel renders it (`viewHtml` + `keyboardOf`) in the person's language.",
      ],
      rows: [
        row(
          'engine turn, median',
          'µs/turn',
          measured.map((m) => m.p50),
          atMost(50),
        ),
        row(
          'engine turn, mean',
          'µs/turn',
          measured.map((m) => m.mean),
        ),
        row(
          'engine turn, p99',
          'µs/turn',
          measured.map((m) => m.p99),
        ),
        row(
          'engine turn to the next question, median',
          'µs/turn',
          measured.map((m) => m.question),
        ),
        row(
          'engine turn to the result, median',
          'µs/turn',
          measured.map((m) => m.result),
        ),
        row(
          'stored conversation at the result, median of people',
          'bytes',
          [summarise(allBytes).median],
          atMost(2048),
        ),
        row('stored conversation at the result, largest', 'bytes', [summarise(allBytes).max], atMost(2048)),
      ],
      notes: [
        "Where an update's time goes: the same turns replayed as the grammY channel runs them (`Engine.send` with the " +
          "update's id, the rendering, `Engine.remember` for the keyboard's message id), and the pieces `Engine.send` is " +
          'made of, each timed apart on the same turn; mean µs per turn (and the median of all turns: means carry the ' +
          'pauses of garbage collection and of other work on the machine), all turns and by the view the turn ends on:',
        '',
        '| part | all turns µs | share | all turns, median µs | to a question µs | to the result µs |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        ...[...PARTS.slice(0, 1), ...PIECES, ...PARTS.slice(1)].map((p) => {
          const piece = (PIECES as readonly string[]).includes(p);
          const share = `${Math.round((100 * meanOf(p)) / (total() || 1))}%`;
          return (
            `| ${piece ? `↳ ${p}` : p} | ${us(meanOf(p))} | ${piece ? `(${share})` : share} | ` +
            `${us(percentile(timesOf(p), 50))} | ` +
            `${us(meanOf(p, 'question'))} | ${us(meanOf(p, 'result'))} |`
          );
        }),
        `| total (send + render + remember) | ${us(total())} | 100% |  | ${us(total('question'))} | ${us(total('result'))} |`,
      ],
    };
  } finally {
    store.close();
    removeDir(dir);
  }
}
