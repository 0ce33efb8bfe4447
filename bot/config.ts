/**
 * The bot's configuration, from environment variables (and a `.env` file when there is one), checked
 * in full before anything starts. Every problem is an {@link Issue} whose path is the variable's name,
 * so it prints as one plain line with `issueLine` (`bot/present/issues.ts`), e.g.
 * `TELEGRAM_WEBHOOK_SECRET: missing; this field is required`.
 *
 * The mode follows from what is set: no `TELEGRAM_BOT_TOKEN`, the terminal simulator; a token, long
 * polling; a token and `TELEGRAM_WEBHOOK_URL`, a webhook server.
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `TELEGRAM_BOT_TOKEN` | the bot's token from @BotFather (`<digits>:<characters>`) | (simulator) |
 * | `TELEGRAM_API_ROOT` | the Bot API server, an http(s) URL (a local Bot API server) | Telegram's |
 * | `TELEGRAM_WEBHOOK_URL` | the public https URL Telegram posts updates to (http only for localhost) | (polling) |
 * | `TELEGRAM_WEBHOOK_SECRET` | 1–256 of `A-Z a-z 0-9 _ -`, checked on every webhook request | required with a webhook |
 * | `LUOHU_WEBHOOK_HOST` | the address the webhook server listens on | `127.0.0.1` |
 * | `LUOHU_WEBHOOK_PORT` | its port, 1–65535 | `8080` |
 * | `LUOHU_DATA_DIR` | where the database is kept | `./data` |
 * | `LUOHU_RETENTION_DAYS` | days a conversation is kept after its last change | `30` |
 * | `LUOHU_LANG` | the default language: `zh-CN` or `en` | `zh-CN` |
 * | `LOG_LEVEL` | `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent` | `info` |
 * | `LUOHU_HTTP_HOST` | the address the HTTP API listens on | `127.0.0.1` |
 * | `LUOHU_HTTP_PORT` | its port, 1–65535; when set, `npm start` runs the HTTP API too | `8787` |
 * | `LUOHU_API_KEYS` | agencies' API keys, hashed: `name:sha256hex` entries, comma-separated | (staff mode) |
 * | `LUOHU_CORS_ORIGINS` | web origins allowed to call the API from a browser, comma-separated | (none) |
 * | `LUOHU_RATE_LIMIT` | requests per minute per API key (per client address in staff mode) | `120` |
 * | `LUOHU_AGENCY_NAME`, `LUOHU_AGENCY_CONTACT` | the agency's name and contact line on results | (none) |
 *
 * Without `LUOHU_API_KEYS` the HTTP API runs in staff mode: loopback only, keyless from this
 * machine; a non-loopback `LUOHU_HTTP_HOST` then needs keys. The agency's name and contact come
 * together: one without the other is an issue.
 *
 * An empty variable counts as unset. The token and the webhook secret are never quoted in an issue
 * or in {@link describeConfig}: any text that contains them is shown with `***` in their place.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { type Issue, type IssueCode, showValue } from '../rules/issues.js';
import { fail, ok, type Result } from '../rules/result.js';
import { DEFAULT_LANG, LANGUAGES, type Lang } from './i18n.js';
import { DEFAULT_RETENTION_DAYS } from './storage/retention.js';
import { DEFAULT_DATA_DIR } from './storage/sqlite.js';

/** Log levels (pino's), least to most verbose, and `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The webhook server's address when `LUOHU_WEBHOOK_HOST` is unset: this machine only. */
export const DEFAULT_WEBHOOK_HOST = '127.0.0.1';

/** The webhook server's port when `LUOHU_WEBHOOK_PORT` is unset. */
export const DEFAULT_WEBHOOK_PORT = 8080;

/** The longest retention accepted (100 years): longer is surely a typo. */
export const MAX_RETENTION_DAYS = 36_500;

/** The `.env` file read when {@link LoadConfigOptions.envFile} is not given (in the working directory). */
export const DEFAULT_ENV_FILE = '.env';

/** The HTTP API's address when `LUOHU_HTTP_HOST` is unset: this machine only. */
export const DEFAULT_HTTP_HOST = '127.0.0.1';

/** The HTTP API's port when `LUOHU_HTTP_PORT` is unset. */
export const DEFAULT_HTTP_PORT = 8787;

/** Requests per minute per API key when `LUOHU_RATE_LIMIT` is unset. */
export const DEFAULT_RATE_LIMIT = 120;

/** The longest agency name or contact line accepted. */
export const MAX_BRAND_LENGTH = 200;

/** One agency's API key as configured: a name (for logs and limits) and the SHA-256 of the key. */
export interface ApiKeyEntry {
  readonly name: string;
  /** SHA-256 of the key, 64 lower-case hex digits. The key itself is never stored. */
  readonly sha256: string;
}

/** The agency whose name and contact line appear on results. */
export interface Brand {
  readonly name: string;
  readonly contact: string;
}

/** The HTTP API's settings. */
export interface HttpConfig {
  /** `LUOHU_HTTP_HOST`. */
  readonly host: string;
  /** `LUOHU_HTTP_PORT`. */
  readonly port: number;
  /** True when `LUOHU_HTTP_PORT` is set: `npm start` runs the HTTP API beside the bot. */
  readonly enabled: boolean;
  /** `LUOHU_API_KEYS`; empty: staff mode (loopback only, keyless from this machine). */
  readonly apiKeys: readonly ApiKeyEntry[];
  /** `LUOHU_CORS_ORIGINS`: exact origins (`https://agency.example`). */
  readonly corsOrigins: readonly string[];
  /** `LUOHU_RATE_LIMIT`: requests per minute per key. */
  readonly rateLimit: number;
  /** `LUOHU_AGENCY_NAME` and `LUOHU_AGENCY_CONTACT`; null when unset. */
  readonly brand: Brand | null;
}

/** What every mode has. */
export interface SharedConfig {
  /** Where the database is kept (`LUOHU_DATA_DIR`). */
  readonly dataDir: string;
  /** Days a conversation is kept after its last change (`LUOHU_RETENTION_DAYS`). */
  readonly retentionDays: number;
  /** The language of a conversation whose person's language is unknown (`LUOHU_LANG`). */
  readonly lang: Lang;
  /** `LOG_LEVEL`. */
  readonly logLevel: LogLevel;
  /**
   * The HTTP API's settings, present when any of its variables is set; {@link httpConfigOf} gives
   * them with the defaults filled in either way.
   */
  readonly http?: HttpConfig;
}

/** No bot token: the terminal simulator. */
export interface SimulatorConfig extends SharedConfig {
  readonly mode: 'simulator';
}

/** A bot token and no webhook URL: the bot asks Telegram for updates (long polling). */
export interface PollingConfig extends SharedConfig {
  readonly mode: 'polling';
  /**
   * The bot token.
   *
   * **WARNING:** a secret: whoever has it controls the bot. Never log it, show it or put it in an
   * error message; log {@link describeConfig} instead of the configuration.
   */
  readonly token: string;
  /** The Bot API server (`TELEGRAM_API_ROOT`); absent: Telegram's own. */
  readonly apiRoot?: string;
}

/** A bot token and a webhook URL: Telegram posts updates to a server the bot runs. */
export interface WebhookConfig extends SharedConfig {
  readonly mode: 'webhook';
  /**
   * The bot token.
   *
   * **WARNING:** a secret, as in {@link PollingConfig.token}.
   */
  readonly token: string;
  /** The public URL Telegram posts updates to (`TELEGRAM_WEBHOOK_URL`). */
  readonly webhookUrl: string;
  /**
   * `TELEGRAM_WEBHOOK_SECRET`: Telegram sends it in the `X-Telegram-Bot-Api-Secret-Token` header of
   * every update; a request without it is not from Telegram.
   *
   * **WARNING:** a secret: never log it.
   */
  readonly secretToken: string;
  /** The address the server listens on (`LUOHU_WEBHOOK_HOST`). */
  readonly host: string;
  /** The port it listens on (`LUOHU_WEBHOOK_PORT`). */
  readonly port: number;
  /** The path it answers on: the path of {@link WebhookConfig.webhookUrl} (a proxy in front keeps it). */
  readonly path: string;
  /** The Bot API server (`TELEGRAM_API_ROOT`); absent: Telegram's own. */
  readonly apiRoot?: string;
}

/** The configuration: one of three modes, told apart by `mode`. */
export type Config = SimulatorConfig | PollingConfig | WebhookConfig;

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * A `.env` file to read when it exists (`KEY=value` lines); variables already set win over it.
   * Default {@link DEFAULT_ENV_FILE}; `false` reads none. When `env` is `process.env` the file is
   * loaded into it with `process.loadEnvFile`, otherwise it is merged into a copy of `env`.
   */
  readonly envFile?: string | false;
}

/** The issue a variable's problem becomes: a code and the values its sentence quotes. */
interface Problem {
  readonly luohu: IssueCode;
  readonly [param: string]: string | number;
}

/** A zod refinement's options that make it report `problem` and stop checking that variable. */
const problem = (luohu: IssueCode, params: Record<string, string | number> = {}) => ({
  params: { luohu, ...params } satisfies Problem,
  abort: true,
});

const TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]+$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]+$/;
const SECRET_MAX = 256;
const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const KEY_ENTRY_PATTERN = /^[A-Za-z0-9_.-]{1,64}:[0-9a-fA-F]{64}$/;

/** True when `host` is this machine only (`localhost`, `127.x.x.x`, `::1`). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The items of a comma-separated list, trimmed, empty ones dropped. */
const listOf = (s: string) =>
  s
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** An origin as browsers send it (`https://host[:port]`); a trailing `/` is forgiven. */
function originOf(entry: string): string | undefined {
  if (!URL.canParse(entry)) return undefined;
  const url = new URL(entry);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  const bare = url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '';
  return bare && (entry === url.origin || entry === `${url.origin}/`) ? url.origin : undefined;
}

/** An http(s) URL, as zod reads one. */
const httpUrl = z.url({ protocol: /^https?$/ });

/** A whole number between `min` and `max`, written in decimal. */
const integer = (min: number, max: number) =>
  z
    .string()
    .refine((s) => /^[+-]?\d+$/.test(s), problem('not-an-integer'))
    .transform(Number)
    .refine((n) => n >= min, problem('too-small', { min }))
    .refine((n) => n <= max, problem('too-large', { max }));

/**
 * Each variable: its schema (over the trimmed, non-empty text), the issue of any other failure, and
 * whether its value is a secret (never quoted).
 */
const VARIABLES = {
  TELEGRAM_BOT_TOKEN: {
    schema: z.string().refine((s) => TOKEN_PATTERN.test(s), problem('wrong-type')),
    otherwise: { luohu: 'wrong-type', expected: '<digits>:<characters>', type: 'string' },
    secret: true,
  },
  TELEGRAM_API_ROOT: {
    schema: httpUrl,
    otherwise: { luohu: 'wrong-type', expected: 'http(s)://…', type: 'string' },
  },
  TELEGRAM_WEBHOOK_URL: {
    // Runs even when the URL check failed (zod carries on after a format check): parse with care.
    schema: httpUrl.refine((s) => {
      if (!URL.canParse(s)) return false;
      const url = new URL(s);
      return url.protocol === 'https:' || LOCAL_HOSTS.includes(url.hostname);
    }, problem('wrong-type')),
    otherwise: { luohu: 'wrong-type', expected: 'https://… (http:// only for localhost)', type: 'string' },
  },
  TELEGRAM_WEBHOOK_SECRET: {
    schema: z
      .string()
      .refine((s) => s.length <= SECRET_MAX, problem('too-large', { max: SECRET_MAX }))
      .refine((s) => SECRET_PATTERN.test(s), problem('wrong-type')),
    otherwise: { luohu: 'wrong-type', expected: 'A-Z a-z 0-9 _ -', type: 'string' },
    secret: true,
  },
  LUOHU_WEBHOOK_HOST: { schema: z.string(), otherwise: { luohu: 'wrong-type' } },
  LUOHU_WEBHOOK_PORT: { schema: integer(1, 65_535), otherwise: { luohu: 'not-an-integer' } },
  LUOHU_DATA_DIR: { schema: z.string(), otherwise: { luohu: 'wrong-type' } },
  LUOHU_RETENTION_DAYS: { schema: integer(1, MAX_RETENTION_DAYS), otherwise: { luohu: 'not-an-integer' } },
  LUOHU_LANG: {
    schema: z.enum(LANGUAGES),
    otherwise: { luohu: 'unknown-language', allowed: LANGUAGES.join(', ') },
  },
  LOG_LEVEL: {
    schema: z.enum(LOG_LEVELS),
    otherwise: { luohu: 'not-in-list', allowed: LOG_LEVELS.join(', ') },
  },
  LUOHU_HTTP_HOST: { schema: z.string(), otherwise: { luohu: 'wrong-type' } },
  LUOHU_HTTP_PORT: { schema: integer(1, 65_535), otherwise: { luohu: 'not-an-integer' } },
  LUOHU_API_KEYS: {
    // Hashes, not keys; still never quoted, in case a key was pasted here by mistake.
    schema: z
      .string()
      .transform(listOf)
      .refine((entries) => entries.every((e) => KEY_ENTRY_PATTERN.test(e)), problem('wrong-type'))
      .transform((entries) =>
        entries.map((e): ApiKeyEntry => {
          const [name = '', sha256 = ''] = e.split(':');
          return { name, sha256: sha256.toLowerCase() };
        }),
      )
      .refine((keys) => new Set(keys.map((k) => k.name)).size === keys.length, problem('wrong-type')),
    otherwise: { luohu: 'wrong-type', expected: 'name:sha256hex, …', type: 'string' },
    secret: true,
  },
  LUOHU_CORS_ORIGINS: {
    schema: z
      .string()
      .transform(listOf)
      .refine((entries) => entries.every((e) => originOf(e) !== undefined), problem('wrong-type'))
      .transform((entries) => [...new Set(entries.map((e) => originOf(e) ?? e))]),
    otherwise: { luohu: 'wrong-type', expected: 'https://host[:port], …', type: 'string' },
  },
  LUOHU_RATE_LIMIT: { schema: integer(1, 1_000_000), otherwise: { luohu: 'not-an-integer' } },
  LUOHU_AGENCY_NAME: {
    schema: z.string().max(MAX_BRAND_LENGTH),
    otherwise: { luohu: 'too-large', max: MAX_BRAND_LENGTH },
  },
  LUOHU_AGENCY_CONTACT: {
    schema: z.string().max(MAX_BRAND_LENGTH),
    otherwise: { luohu: 'too-large', max: MAX_BRAND_LENGTH },
  },
} satisfies Record<string, { schema: z.ZodType<unknown, string>; otherwise: Problem; secret?: boolean }>;

type Name = keyof typeof VARIABLES;
type Value<N extends Name> = z.output<(typeof VARIABLES)[N]['schema']>;

/** The names of the variables Luohu reads. */
export const CONFIG_VARIABLES = Object.keys(VARIABLES) as readonly Name[];

/** The variables of the HTTP API. */
const HTTP_VARIABLES = [
  'LUOHU_HTTP_HOST',
  'LUOHU_HTTP_PORT',
  'LUOHU_API_KEYS',
  'LUOHU_CORS_ORIGINS',
  'LUOHU_RATE_LIMIT',
  'LUOHU_AGENCY_NAME',
  'LUOHU_AGENCY_CONTACT',
] as const satisfies readonly Name[];

/** The HTTP API's settings of `config`, with the defaults when none of its variables is set. */
export function httpConfigOf(config: Pick<SharedConfig, 'http'>): HttpConfig {
  return (
    config.http ?? {
      host: DEFAULT_HTTP_HOST,
      port: DEFAULT_HTTP_PORT,
      enabled: false,
      apiKeys: [],
      corsOrigins: [],
      rateLimit: DEFAULT_RATE_LIMIT,
      brand: null,
    }
  );
}

/** Replaces every occurrence of a secret in `text` with `***`. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/** Reads `file` into the environment (see {@link LoadConfigOptions.envFile}); an issue when it cannot. */
function readEnvFile(file: string, env: Env): Result<Env, Issue> {
  const unreadable = (reason: string): Result<Env, Issue> =>
    fail({ path: [file], code: 'file-unreadable', params: { reason } });
  try {
    if (env === process.env) {
      // process.loadEnvFile and util.parseEnv came with Node.js 20.12.
      if (typeof process.loadEnvFile !== 'function') return unreadable('Node.js 20.12 or newer reads .env');
      process.loadEnvFile(file);
      return ok(env);
    }
    if (typeof parseEnv !== 'function') return unreadable('Node.js 20.12 or newer reads .env');
    return ok({ ...parseEnv(readFileSync(file, 'utf8')), ...env });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return unreadable(code ?? (error instanceof Error ? error.message : String(error)));
  }
}

/**
 * Reads and checks the configuration from `env` (default `process.env`) and, when it exists, a
 * `.env` file (see {@link LoadConfigOptions.envFile}). Every problem is reported, one issue per
 * variable, with the variable's name as the path; a `.env` that cannot be read is an issue with its
 * file name as the path. The token and the webhook secret never appear in an issue.
 */
export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Result<Config, Issue[]> {
  const issues: Issue[] = [];
  const envFile = options.envFile ?? DEFAULT_ENV_FILE;
  let vars = env;
  if (envFile !== false && existsSync(envFile)) {
    const read = readEnvFile(envFile, env);
    if (read.ok) vars = read.value;
    else issues.push(read.error);
  }

  const raw = (name: Name): string | undefined => {
    const value = vars[name]?.trim();
    return value ? value : undefined;
  };
  const secrets = CONFIG_VARIABLES.filter((name) => 'secret' in VARIABLES[name])
    .map(raw)
    .filter((s): s is string => s !== undefined);

  const values: { [N in Name]?: Value<N> } = {};
  for (const name of CONFIG_VARIABLES) {
    const text = raw(name);
    if (text === undefined) continue;
    const variable = VARIABLES[name];
    const parsed = variable.schema.safeParse(text);
    if (parsed.success) {
      (values as Record<Name, unknown>)[name] = parsed.data;
      continue;
    }
    const first = parsed.error.issues[0];
    const custom = first?.code === 'custom' ? (first.params as Problem | undefined) : undefined;
    const { luohu, ...params } =
      custom === undefined || custom.luohu === variable.otherwise.luohu
        ? { ...variable.otherwise, ...custom }
        : custom;
    // The sentences quote the value given; a secret is never quoted, only its length is told.
    const value = 'secret' in variable ? text.length : showValue(scrub(text, secrets));
    issues.push({ path: [name], code: luohu, params: { value, ...params } });
  }

  const webhookUrl = values.TELEGRAM_WEBHOOK_URL;
  if (raw('TELEGRAM_WEBHOOK_URL') !== undefined) {
    for (const name of ['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'] as const)
      if (raw(name) === undefined) issues.push({ path: [name], code: 'required', params: {} });
  }
  const agency = ['LUOHU_AGENCY_NAME', 'LUOHU_AGENCY_CONTACT'] as const;
  if (agency.some((name) => raw(name) !== undefined))
    for (const name of agency)
      if (raw(name) === undefined) issues.push({ path: [name], code: 'required', params: {} });
  const httpHost = values.LUOHU_HTTP_HOST ?? DEFAULT_HTTP_HOST;
  // Without keys the API is keyless from this machine: it must not listen beyond it.
  const keyless =
    (values.LUOHU_API_KEYS?.length ?? 0) === 0 && !issues.some((i) => i.path[0] === 'LUOHU_API_KEYS');
  if (keyless && !isLoopbackHost(httpHost))
    issues.push({ path: ['LUOHU_API_KEYS'], code: 'required', params: {} });
  if (issues.length > 0) return fail(issues);

  const name = values.LUOHU_AGENCY_NAME;
  const contact = values.LUOHU_AGENCY_CONTACT;
  const http: HttpConfig | undefined = HTTP_VARIABLES.some((v) => raw(v) !== undefined)
    ? {
        host: httpHost,
        port: values.LUOHU_HTTP_PORT ?? DEFAULT_HTTP_PORT,
        enabled: values.LUOHU_HTTP_PORT !== undefined,
        apiKeys: values.LUOHU_API_KEYS ?? [],
        corsOrigins: values.LUOHU_CORS_ORIGINS ?? [],
        rateLimit: values.LUOHU_RATE_LIMIT ?? DEFAULT_RATE_LIMIT,
        brand: name !== undefined && contact !== undefined ? { name, contact } : null,
      }
    : undefined;
  const shared: SharedConfig = {
    dataDir: values.LUOHU_DATA_DIR ?? DEFAULT_DATA_DIR,
    retentionDays: values.LUOHU_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS,
    lang: values.LUOHU_LANG ?? DEFAULT_LANG,
    logLevel: values.LOG_LEVEL ?? 'info',
    ...(http ? { http } : {}),
  };
  const token = values.TELEGRAM_BOT_TOKEN;
  if (token === undefined) return ok({ mode: 'simulator', ...shared });
  const apiRoot = values.TELEGRAM_API_ROOT;
  const api = apiRoot === undefined ? {} : { apiRoot };
  if (webhookUrl === undefined) return ok({ mode: 'polling', ...shared, token, ...api });
  return ok({
    mode: 'webhook',
    ...shared,
    token,
    webhookUrl,
    secretToken: values.TELEGRAM_WEBHOOK_SECRET ?? '',
    host: values.LUOHU_WEBHOOK_HOST ?? DEFAULT_WEBHOOK_HOST,
    port: values.LUOHU_WEBHOOK_PORT ?? DEFAULT_WEBHOOK_PORT,
    path: new URL(webhookUrl).pathname,
    ...api,
  });
}

/**
 * A summary of the configuration that is safe to log (e.g. on start-up): the mode and every setting
 * but the token and the webhook secret, which are left out, and replaced by `***` wherever they
 * appear inside another value (a webhook URL whose path holds the token).
 */
export function describeConfig(config: Config): Readonly<Record<string, string | number>> {
  const http = config.http;
  const shared = {
    mode: config.mode,
    lang: config.lang,
    logLevel: config.logLevel,
    dataDir: config.dataDir,
    retentionDays: config.retentionDays,
    // The key names only: the hashes stay out of logs.
    ...(http
      ? {
          httpHost: http.host,
          httpPort: http.port,
          apiKeys: http.apiKeys.length > 0 ? http.apiKeys.map((k) => k.name).join(', ') : '(staff mode)',
          corsOrigins: http.corsOrigins.join(', '),
          rateLimit: http.rateLimit,
          ...(http.brand ? { agency: http.brand.name } : {}),
        }
      : {}),
  };
  if (config.mode === 'simulator') return shared;
  const secrets = config.mode === 'webhook' ? [config.token, config.secretToken] : [config.token];
  const safe = (text: string) => scrub(text, secrets);
  const api: Record<string, string> = config.apiRoot === undefined ? {} : { apiRoot: safe(config.apiRoot) };
  if (config.mode === 'polling') return { ...shared, ...api };
  return {
    ...shared,
    ...api,
    webhookUrl: safe(config.webhookUrl),
    host: config.host,
    port: config.port,
    path: safe(config.path),
  };
}
