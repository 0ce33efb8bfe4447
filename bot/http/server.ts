/**
 * Runs the HTTP API on Node (`@hono/node-server`): `luohu serve --http`, and `npm start` when
 * `LUOHU_HTTP_PORT` is set.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { httpConfigOf, isLoopbackHost, type SharedConfig } from '../config.js';
import type { I18n } from '../i18n.js';
import type { Logger } from '../log.js';
import { startRetention } from '../storage/retention.js';
import { SqliteStore } from '../storage/sqlite.js';
import type { ConversationStore } from '../storage/store.js';
import { createHttpApp } from './app.js';
import { defaultWebRoot, isFolder } from './static.js';

/** Options of {@link startHttpServer}. */
export interface StartHttpOptions {
  readonly logger: Logger;
  /**
   * Where sessions are kept; default a SQLite store in `config.dataDir` (with its retention), which
   * the server closes when it stops. A store given here is left open.
   */
  readonly store?: ConversationStore;
  /** Today's date `YYYY-MM-DD` (tests); default today in Asia/Shanghai. */
  readonly today?: () => string;
  /** The web build to serve; default `dist/web/` when it exists. */
  readonly webRoot?: string | null;
  /** Sentences (with any agency overrides). */
  readonly i18n?: I18n;
}

/** A running HTTP server. */
export interface RunningHttp {
  /** Stops taking requests, then closes the store it opened. */
  stop(): Promise<void>;
  /** Where it listens (the port the system chose when 0 was asked for). */
  readonly address: { readonly host: string; readonly port: number };
  /** True in staff mode (no API keys). */
  readonly staff: boolean;
}

/** Starts the HTTP API on `config.http`'s host and port; resolves once listening. */
export async function startHttpServer(config: SharedConfig, options: StartHttpOptions): Promise<RunningHttp> {
  const { logger } = options;
  const http = httpConfigOf(config);
  const staff = http.apiKeys.length === 0;
  if (staff && !isLoopbackHost(http.host))
    throw new Error('LUOHU_API_KEYS is required when LUOHU_HTTP_HOST is not a loopback address');

  const owned = options.store === undefined ? new SqliteStore({ dataDir: config.dataDir }) : undefined;
  const store: ConversationStore = options.store ?? (owned as SqliteStore);
  const stopRetention = owned
    ? startRetention(owned, {
        days: config.retentionDays,
        onPurge: (deleted) => deleted > 0 && logger.info({ deleted }, 'purged old conversations'),
        onError: (error) =>
          logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'purge failed'),
      })
    : () => {};
  const webRoot = options.webRoot === undefined ? defaultWebRoot() : options.webRoot;
  const app = createHttpApp({
    store,
    apiKeys: http.apiKeys,
    corsOrigins: http.corsOrigins,
    rateLimit: http.rateLimit,
    brand: http.brand,
    lang: config.lang,
    logger,
    webRoot,
    ...(options.today ? { today: options.today } : {}),
    ...(options.i18n ? { i18n: options.i18n } : {}),
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const cleanUp = () => {
    stopRetention();
    owned?.close();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(http.port, http.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    cleanUp();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  if (staff)
    logger.warn(
      { host: http.host, port },
      'HTTP API in staff mode: no LUOHU_API_KEYS, so it listens on this machine only and serves ' +
        'requests from it without a key',
    );
  logger.info(
    {
      host: http.host,
      port,
      staff,
      keys: http.apiKeys.length,
      corsOrigins: http.corsOrigins.length,
      web: webRoot !== null && isFolder(webRoot),
    },
    'HTTP API started',
  );
  return {
    address: { host: http.host, port },
    staff,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      cleanUp();
    },
  };
}
