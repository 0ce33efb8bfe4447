/** An in-memory CommandIO for running commands in tests. */
import type { CommandIO } from '../../../bot/io.js';

/** Captured output of a command. */
export interface Captured {
  readonly io: CommandIO;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** A CommandIO whose standard input is `stdin` and whose output is captured. */
export function memoryIO(stdin = ''): Captured {
  let out = '';
  let err = '';
  return {
    io: {
      readStdin: async () => stdin,
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
      stdinIsTTY: false,
    },
    stdout: () => out,
    stderr: () => err,
  };
}
