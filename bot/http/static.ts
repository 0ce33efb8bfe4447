/**
 * The web page and widget (built into `dist/web/` by the web build), served at `/`: files only, by
 * exact path, with their content type; `/` is `index.html`; no directory listings, no hidden files,
 * nothing outside the folder.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Content types by file extension; other files are served as bytes. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
};

/**
 * The folder of the web build: `dist/web/` of this package. This module runs from `dist/bot/http/`
 * (compiled), from a chunk of the bundled CLI under `dist/bot/` or from `bot/http/` (source): the
 * nearest folder above it named `dist`, else the nearest one holding a `package.json` (the package
 * root), decides.
 */
export function defaultWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (basename(dir) === 'dist') return join(dir, 'web');
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    if (dirname(dir) === dir) break;
  }
  const root = resolve(here, '../..');
  return basename(root) === 'dist' ? join(root, 'web') : join(root, 'dist', 'web');
}

/** True when `dir` is an existing folder. */
export function isFolder(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}

/** The file `pathname` names under `root`, or undefined when it names none (or may not be served). */
async function fileOf(root: string, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const parts = relative.split(/[\\/]/);
  if (relative.includes('\0') || parts.some((p) => p === '' || p.startsWith('.'))) return undefined;
  try {
    const base = await realpath(root);
    const file = await realpath(resolve(base, ...parts));
    if (!file.startsWith(base + sep)) return undefined;
    return (await stat(file)).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** The response for a GET of `pathname` from `root`, or undefined when there is no such file. */
export async function serveFile(root: string, pathname: string): Promise<Response | undefined> {
  const file = await fileOf(root, pathname);
  if (file === undefined) return undefined;
  const body = await readFile(file);
  // Vite names the files under assets/ by their content: they never change.
  const immutable = pathname.startsWith('/assets/');
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(body.length),
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  });
}
