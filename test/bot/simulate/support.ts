/** Helpers for the simulator tests: the dialogue scripts, an in-memory CommandIO, lines, temp files. */

import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LineSource } from '../../../bot/commands/simulate.js';
import type { CommandIO } from '../../../bot/io.js';

/** The decision date every dialogue script uses. */
export const AS_OF = '2026-11-28';

/** `test/dialogues`. */
export const DIALOGUES = fileURLToPath(new URL('../../dialogues/', import.meta.url));

/** Every dialogue script file (YAML), sorted by name. */
export function scriptFiles(): string[] {
  return readdirSync(DIALOGUES)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(DIALOGUES, f));
}

/** A CommandIO that keeps every write, so tests can count and read them. */
export interface CapturedIO {
  readonly io: CommandIO;
  /** Each `stdout(...)` call, in order. */
  readonly out: string[];
  /** Each `stderr(...)` call, in order. */
  readonly err: string[];
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function captureIO(): CapturedIO {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      readStdin: async () => '',
      stdout: (t) => {
        out.push(t);
      },
      stderr: (t) => {
        err.push(t);
      },
      stdinIsTTY: false,
    },
    out,
    err,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

/** A non-interactive LineSource reading `lines` (what a pipe would give). */
export function linesOf(lines: readonly string[], interactive = false, prompt?: (text: string) => void) {
  async function* gen() {
    yield* lines;
  }
  return { lines: gen(), interactive, ...(prompt ? { prompt } : {}) } satisfies LineSource;
}

/** A LineSource whose next line is computed from what was written so far (a program reacting). */
export function reactiveLines(next: () => string | undefined): LineSource {
  async function* gen() {
    for (let line = next(); line !== undefined; line = next()) yield line;
  }
  return { lines: gen(), interactive: false };
}

const made: string[] = [];

/** A fresh directory under the system's temporary directory (removed by {@link removeTempDirs}). */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'luohu-simulate-'));
  made.push(dir);
  return dir;
}

/** Removes the directories {@link tempDir} made (call it in `afterAll`). */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Writes `content` to `name` in a fresh temporary directory; returns the path. */
export async function tempFile(name: string, content: string): Promise<string> {
  const file = join(await tempDir(), name);
  await writeFile(file, content);
  return file;
}

/** `text` as a regular expression that matches it literally. */
export const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
