/** The standard streams a command uses, injectable so commands run in tests without a process. */
export interface CommandIO {
  /** Reads all of standard input as text. */
  readonly readStdin: () => Promise<string>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when standard input is an interactive terminal. */
  readonly stdinIsTTY: boolean;
}

/** Reads a whole stream as UTF-8 text. */
export async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The process's own streams. */
export const processIO: CommandIO = {
  readStdin: () => readAll(process.stdin),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdinIsTTY: Boolean(process.stdin.isTTY),
};
