/** Temporary directories for benchmark stores, removed when the benchmark is done. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty directory under the system's temporary directory. */
export const tempDir = (label: string): string => mkdtempSync(join(tmpdir(), `luohu-bench-${label}-`));

/** Removes a directory made by {@link tempDir}. */
export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });
