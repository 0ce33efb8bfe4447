/**
 * `luohu serve` (the Telegram bot, and the HTTP API with `--http` or when `LUOHU_HTTP_PORT` is set)
 * and `luohu start` (what `npm start` runs: the bot and/or the HTTP API when configured, otherwise
 * the terminal simulator).
 */

import type { Issue } from '../../rules/index.js';
import { type Config, describeConfig, type Env, httpConfigOf, loadConfig } from '../config.js';
import { createI18n, DEFAULT_LANG, isLang, type Lang, renderText } from '../i18n.js';
import type { CommandIO } from '../io.js';
import { createLogger } from '../log.js';
import { FRAMEWORKS, type Framework, startBot } from '../serve.js';
import type { SimulateOptions } from './simulate.js';

// Imported when needed (start-up time): the HTTP API, the simulator, and the issue formatter.

/** An issue as one line, in `lang`. */
async function issueLine(issue: Issue, lang: Lang): Promise<string> {
  const { formatIssue } = await import('../render/check-output.js');
  return formatIssue(issue, lang);
}

/** Options of `luohu serve`. */
export interface ServeOptions {
  readonly framework?: string;
  /** Run the HTTP API (also when no bot token is configured). */
  readonly http?: boolean;
}

async function configOrIssues(env: Env, io: CommandIO, lang: Lang): Promise<Config | number> {
  const loaded = loadConfig(env);
  if (loaded.ok) return loaded.value;
  for (const issue of loaded.error) io.stderr(`${await issueLine(issue, lang)}\n`);
  return 2;
}

/** Something running that stops cleanly. */
interface Stoppable {
  stop(): Promise<void>;
}

/** Stops the bot and the HTTP API cleanly on SIGINT and SIGTERM. */
function stopOnSignals(running: readonly Stoppable[]): void {
  const stop = () => {
    void Promise.allSettled(running.map((r) => r.stop())).finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * Runs the Telegram bot (when a token is configured) and the HTTP API (with `--http`, or when
 * `LUOHU_HTTP_PORT` is set) until a signal stops them; returns an exit code only when they cannot start.
 */
export async function runServe(
  options: ServeOptions,
  io: CommandIO,
  env: Env = process.env,
): Promise<number> {
  const lang = isLang(env.LUOHU_LANG) ? env.LUOHU_LANG : DEFAULT_LANG;
  const framework = options.framework ?? 'grammy';
  if (!(FRAMEWORKS as readonly string[]).includes(framework)) {
    io.stderr(
      `${await issueLine({ path: ['--framework'], code: 'not-in-list', params: { value: framework, allowed: FRAMEWORKS.join(', ') } }, lang)}\n`,
    );
    return 2;
  }
  const config = await configOrIssues(env, io, lang);
  if (typeof config === 'number') return config;
  const http = Boolean(options.http) || httpConfigOf(config).enabled;
  if (config.mode === 'simulator' && !http) {
    io.stderr(
      `${await issueLine({ path: ['TELEGRAM_BOT_TOKEN'], code: 'required', params: {} }, config.lang)}\n`,
    );
    return 2;
  }
  const logger = createLogger(config.logLevel);
  logger.info(describeConfig(config), 'configuration');
  const running: Stoppable[] = [];
  try {
    if (config.mode !== 'simulator')
      running.push(await startBot(config, { framework: framework as Framework, logger }));
    if (http) {
      const { startHttpServer } = await import('../http/server.js');
      running.push(await startHttpServer(config, { logger }));
    }
  } catch (error) {
    await Promise.allSettled(running.map((r) => r.stop()));
    // The token is never part of these messages: grammY and Telegraf redact it.
    io.stderr(`luohu: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    return 1;
  }
  stopOnSignals(running);
  return 0;
}

/**
 * `npm start`: the bot when `TELEGRAM_BOT_TOKEN` is set and the HTTP API when `LUOHU_HTTP_PORT` is
 * set; with neither, the simulator with a hint.
 */
export async function runStart(
  options: SimulateOptions,
  io: CommandIO,
  env: Env = process.env,
): Promise<number> {
  const lang =
    options.lang !== undefined && isLang(options.lang)
      ? options.lang
      : isLang(env.LUOHU_LANG)
        ? env.LUOHU_LANG
        : DEFAULT_LANG;
  const config = await configOrIssues(env, io, lang);
  if (typeof config === 'number') return config;
  if (config.mode !== 'simulator' || httpConfigOf(config).enabled) return runServe({}, io, env);
  io.stderr(`${renderText({ key: 'start.botHint' }, lang, createI18n())}\n`);
  const { runSimulate } = await import('./simulate.js');
  return runSimulate({ ...options, lang }, io);
}
