/**
 * `luohu serve` (the Telegram bot) and `luohu start` (what `npm start` runs: the bot when a token
 * is configured, otherwise the terminal simulator).
 */
import { type Config, describeConfig, type Env, loadConfig } from '../config.js';
import { createI18n, DEFAULT_LANG, isLang, type Lang, renderText } from '../i18n.js';
import type { CommandIO } from '../io.js';
import { createLogger } from '../log.js';
import { formatIssue } from '../render/check-output.js';
import { FRAMEWORKS, type Framework, type RunningBot, startBot } from '../serve.js';
import { runSimulate, type SimulateOptions } from './simulate.js';

/** Options of `luohu serve`. */
export interface ServeOptions {
  readonly framework?: string;
}

function configOrIssues(env: Env, io: CommandIO, lang: Lang): Config | number {
  const loaded = loadConfig(env);
  if (loaded.ok) return loaded.value;
  for (const issue of loaded.error) io.stderr(`${formatIssue(issue, lang)}\n`);
  return 2;
}

/** Stops the bot cleanly on SIGINT and SIGTERM. */
function stopOnSignals(bot: RunningBot): void {
  const stop = () => {
    void bot.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Runs the Telegram bot until a signal stops it; returns an exit code only when it cannot start. */
export async function runServe(
  options: ServeOptions,
  io: CommandIO,
  env: Env = process.env,
): Promise<number> {
  const lang = isLang(env.LUOHU_LANG) ? env.LUOHU_LANG : DEFAULT_LANG;
  const framework = options.framework ?? 'grammy';
  if (!(FRAMEWORKS as readonly string[]).includes(framework)) {
    io.stderr(
      `${formatIssue({ path: ['--framework'], code: 'not-in-list', params: { value: framework, allowed: FRAMEWORKS.join(', ') } }, lang)}\n`,
    );
    return 2;
  }
  const config = configOrIssues(env, io, lang);
  if (typeof config === 'number') return config;
  if (config.mode === 'simulator') {
    io.stderr(
      `${formatIssue({ path: ['TELEGRAM_BOT_TOKEN'], code: 'required', params: {} }, config.lang)}\n`,
    );
    return 2;
  }
  const logger = createLogger(config.logLevel);
  logger.info(describeConfig(config), 'configuration');
  try {
    stopOnSignals(await startBot(config, { framework: framework as Framework, logger }));
  } catch (error) {
    // The token is never part of these messages: grammY and Telegraf redact it.
    io.stderr(`luohu: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    return 1;
  }
  return 0;
}

/** `npm start`: the bot when `TELEGRAM_BOT_TOKEN` is set, else the simulator with a hint. */
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
  const config = configOrIssues(env, io, lang);
  if (typeof config === 'number') return config;
  if (config.mode !== 'simulator') return runServe({}, io, env);
  io.stderr(`${renderText({ key: 'start.botHint' }, lang, createI18n())}\n`);
  return runSimulate({ ...options, lang }, io);
}
