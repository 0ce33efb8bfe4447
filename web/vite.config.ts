/**
 * Builds the web front end into `dist/web/`, which the HTTP server serves as static files:
 * - `index.html` + `assets/`: the staff simulator page (ES modules, hashed file names);
 * - `widget.js`: the embeddable chat widget, one self-contained classic script (IIFE) with its
 *   styles inlined, so an agency's page needs a single `<script>` tag and nothing else.
 * Everything is bundled: no CDN, no web fonts, works offline.
 *
 * `vite build --config web/vite.config.ts` (part of `npm run build`); `vite --config
 * web/vite.config.ts` serves the page with hot reload and proxies `/api` to a running
 * `luohu http` server (LUOHU_API, default http://127.0.0.1:8787).
 */
import { fileURLToPath } from 'node:url';
import type { LoggingFunction, RollupLog } from 'rollup';
import { build, defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web', import.meta.url));

/** zod's sources carry `@__PURE__` notes Rollup cannot place; harmless, and not ours to fix. */
const quiet = (warning: RollupLog, warn: LoggingFunction) => {
  if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
};

/** After the page is built, builds the widget as one classic script next to it. */
function widget(): Plugin {
  return {
    name: 'luohu-widget',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2020',
          sourcemap: false,
          rollupOptions: { onwarn: quiet },
          lib: {
            entry: fileURLToPath(new URL('./widget/widget.ts', import.meta.url)),
            formats: ['iife'],
            name: 'LuohuWidgetBundle',
            fileName: () => 'widget.js',
          },
        },
      });
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  plugins: [widget()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 800,
    rollupOptions: { onwarn: quiet },
  },
  server: {
    proxy: { '/api': process.env.LUOHU_API ?? 'http://127.0.0.1:8787' },
  },
});
