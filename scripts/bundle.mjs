/**
 * Bundles the `luohu` executable (`bot/cli.ts`) with esbuild into `dist/bot/cli.js`, over the file tsc
 * emits there, so that `luohu serve` loads a handful of files instead of ~150 modules and their
 * dependencies (start-up time). Each command's module stays a separate chunk (`dist/bot/chunks/`),
 * loaded when that command runs. The library entry (`dist/index.js`) is left as tsc emits it.
 *
 * Usage: `node scripts/bundle.mjs` (part of `npm run build`, after tsc).
 */
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The package root (paths below are relative to it, whatever the working directory). */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = `${ROOT}dist/bot`;

await rm(`${OUT}/chunks`, { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: { cli: 'bot/cli.ts' },
  outdir: OUT,
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Native (better-sqlite3), only loaded with `--framework telegraf`, or loaded after start-up by a dynamic
  // `import` that needs its named exports (undici: bundled, it would only have a default export):
  // resolved from node_modules.
  external: ['better-sqlite3', 'telegraf', 'undici'],
  // The CommonJS dependencies bundled into ES modules call `require` for Node's built-ins.
  banner: {
    js: "import { createRequire as __luohuRequire } from 'node:module'; const require = __luohuRequire(import.meta.url);",
  },
  // Not minified: it measured no faster to start (V8 parses lazily), and stack traces keep readable
  // names. They point into the bundle; `node --enable-source-maps dist/bot/cli.js` maps them back to
  // the sources through the linked maps (which cost nothing at start-up otherwise). The maps name the
  // source files without copying them (a third of the size; the positions are all a trace needs).
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
});
