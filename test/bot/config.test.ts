/** Configuration: the three modes, one plain issue per bad variable, secrets never shown, `.env`. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  CONFIG_VARIABLES,
  type Config,
  describeConfig,
  type Env,
  type LoadConfigOptions,
  loadConfig,
} from '../../bot/config.js';
import { createI18n, createRenderer, LANGUAGES } from '../../bot/i18n.js';
import { issueLine } from '../../bot/present/issues.js';
import type { Issue } from '../../rules/issues.js';

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const SECRET = 'webhook_Secret-42';
const WEBHOOK = {
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_WEBHOOK_URL: 'https://bot.example.com/telegram/hook',
  TELEGRAM_WEBHOOK_SECRET: SECRET,
};

const i18n = createI18n();
const en = createRenderer('en', i18n);

/** Loads without reading any `.env`, unless one is given. */
function load(env: Env, options: LoadConfigOptions = { envFile: false }) {
  return loadConfig(env, options);
}

function config(env: Env): Config {
  const result = load(env);
  if (!result.ok) throw new Error(result.error.map((i) => issueLine(i, en)).join('\n'));
  return result.value;
}

function issues(env: Env): Issue[] {
  const result = load(env);
  if (result.ok) throw new Error(`expected issues, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('modes', () => {
  test('no token: the simulator, with the defaults', () => {
    expect(config({})).toEqual({
      mode: 'simulator',
      dataDir: './data',
      retentionDays: 30,
      lang: 'zh-CN',
      logLevel: 'info',
    });
  });

  test('a token: polling, with the API root when given', () => {
    expect(config({ TELEGRAM_BOT_TOKEN: TOKEN })).toEqual({
      mode: 'polling',
      token: TOKEN,
      dataDir: './data',
      retentionDays: 30,
      lang: 'zh-CN',
      logLevel: 'info',
    });
    const local = config({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://localhost:8081' });
    expect(local).toMatchObject({ mode: 'polling', apiRoot: 'http://localhost:8081' });
  });

  test('a token and a webhook URL: webhook, listening on the URL path', () => {
    expect(config(WEBHOOK)).toEqual({
      mode: 'webhook',
      token: TOKEN,
      webhookUrl: 'https://bot.example.com/telegram/hook',
      secretToken: SECRET,
      host: '127.0.0.1',
      port: 8080,
      path: '/telegram/hook',
      dataDir: './data',
      retentionDays: 30,
      lang: 'zh-CN',
      logLevel: 'info',
    });
    expect(config({ ...WEBHOOK, TELEGRAM_WEBHOOK_URL: 'https://bot.example.com' })).toMatchObject({
      path: '/',
    });
  });

  test('every setting can be given', () => {
    expect(
      config({
        ...WEBHOOK,
        TELEGRAM_API_ROOT: 'https://api.example.org',
        LUOHU_WEBHOOK_HOST: '0.0.0.0',
        LUOHU_WEBHOOK_PORT: '8443',
        LUOHU_DATA_DIR: '/var/lib/luohu',
        LUOHU_RETENTION_DAYS: '7',
        LUOHU_LANG: 'en',
        LOG_LEVEL: 'debug',
      }),
    ).toMatchObject({
      mode: 'webhook',
      apiRoot: 'https://api.example.org',
      host: '0.0.0.0',
      port: 8443,
      dataDir: '/var/lib/luohu',
      retentionDays: 7,
      lang: 'en',
      logLevel: 'debug',
    });
  });

  test('http webhooks are allowed for this machine only', () => {
    for (const url of ['http://localhost:8080/hook', 'http://127.0.0.1/hook', 'http://[::1]:9000/'])
      expect(config({ ...WEBHOOK, TELEGRAM_WEBHOOK_URL: url }).mode).toBe('webhook');
  });

  test('empty and blank variables count as unset; values are trimmed', () => {
    expect(config({ TELEGRAM_BOT_TOKEN: '', LUOHU_LANG: '  ', LOG_LEVEL: ' warn ' })).toMatchObject({
      mode: 'simulator',
      lang: 'zh-CN',
      logLevel: 'warn',
    });
  });
});

describe('problems', () => {
  const bad: [name: string, value: string, code: Issue['code']][] = [
    ['TELEGRAM_BOT_TOKEN', 'not-a-token', 'wrong-type'],
    ['TELEGRAM_BOT_TOKEN', '123456:has spaces', 'wrong-type'],
    ['TELEGRAM_API_ROOT', 'api.telegram.org', 'wrong-type'],
    ['TELEGRAM_API_ROOT', 'ftp://api.example.org', 'wrong-type'],
    ['TELEGRAM_WEBHOOK_URL', 'not a url', 'wrong-type'],
    ['TELEGRAM_WEBHOOK_URL', 'http://bot.example.com/hook', 'wrong-type'],
    ['TELEGRAM_WEBHOOK_SECRET', 'has spaces in it', 'wrong-type'],
    ['TELEGRAM_WEBHOOK_SECRET', 'x'.repeat(257), 'too-large'],
    ['LUOHU_WEBHOOK_PORT', 'eighty', 'not-an-integer'],
    ['LUOHU_WEBHOOK_PORT', '80.5', 'not-an-integer'],
    ['LUOHU_WEBHOOK_PORT', '0', 'too-small'],
    ['LUOHU_WEBHOOK_PORT', '65536', 'too-large'],
    ['LUOHU_RETENTION_DAYS', 'a month', 'not-an-integer'],
    ['LUOHU_RETENTION_DAYS', '0', 'too-small'],
    ['LUOHU_RETENTION_DAYS', '-5', 'too-small'],
    ['LUOHU_RETENTION_DAYS', '99999999', 'too-large'],
    ['LUOHU_LANG', 'fr', 'unknown-language'],
    ['LOG_LEVEL', 'verbose', 'not-in-list'],
  ];

  test.each(bad)('%s=%j gives exactly one issue naming it', (name, value, code) => {
    const found = issues({ ...WEBHOOK, [name]: value });
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toEqual([name]);
    expect(found[0]?.code).toBe(code);
    for (const lang of LANGUAGES) {
      const line = issueLine(found[0] as Issue, createRenderer(lang, i18n));
      expect(line.startsWith(`${name}: `)).toBe(true);
      expect(line).not.toMatch(/\{\{|\}\}|\n/);
    }
  });

  test('lines read plainly', () => {
    const line = (env: Env) => issues(env).map((i) => issueLine(i, en));
    expect(line({ LUOHU_WEBHOOK_PORT: '65536' })).toEqual([
      'LUOHU_WEBHOOK_PORT: 65536 is too large; the maximum is 65535',
    ]);
    expect(line({ LUOHU_LANG: 'fr' })).toEqual([
      'LUOHU_LANG: fr is not a supported language; available: zh-CN, en',
    ]);
    expect(line({ LOG_LEVEL: 'verbose' })).toEqual([
      'LOG_LEVEL: verbose is not one of: fatal, error, warn, info, debug, trace, silent',
    ]);
    expect(line({ TELEGRAM_BOT_TOKEN: 'nope' })).toEqual([
      'TELEGRAM_BOT_TOKEN: wrong type: expected <digits>:<characters>, got text',
    ]);
  });

  test('a webhook needs its secret', () => {
    const found = issues({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: WEBHOOK.TELEGRAM_WEBHOOK_URL });
    expect(found).toEqual([{ path: ['TELEGRAM_WEBHOOK_SECRET'], code: 'required', params: {} }]);
    expect(issueLine(found[0] as Issue, en)).toBe('TELEGRAM_WEBHOOK_SECRET: missing; this field is required');
  });

  test('a webhook needs a token', () => {
    const { TELEGRAM_BOT_TOKEN: _, ...noToken } = WEBHOOK;
    expect(issues(noToken)).toEqual([{ path: ['TELEGRAM_BOT_TOKEN'], code: 'required', params: {} }]);
  });

  test('every problem is reported at once, one per variable', () => {
    const found = issues({
      TELEGRAM_BOT_TOKEN: 'bad',
      TELEGRAM_WEBHOOK_URL: 'http://example.com/',
      LUOHU_WEBHOOK_PORT: 'x',
      LUOHU_LANG: 'fr',
    });
    expect(found.map((i) => i.path[0])).toEqual([
      'TELEGRAM_BOT_TOKEN',
      'TELEGRAM_WEBHOOK_URL',
      'LUOHU_WEBHOOK_PORT',
      'LUOHU_LANG',
      'TELEGRAM_WEBHOOK_SECRET',
    ]);
  });

  test('only the known variables are read', () => {
    expect(CONFIG_VARIABLES).toContain('TELEGRAM_BOT_TOKEN');
    expect(config({ ...WEBHOOK, PATH: '/usr/bin', LUOHU_UNKNOWN: 'x' }).mode).toBe('webhook');
  });
});

describe('secrets', () => {
  /** Everything a person or a log could see of some issues. */
  const shown = (found: readonly Issue[]) =>
    [
      JSON.stringify(found),
      ...LANGUAGES.flatMap((l) => found.map((i) => issueLine(i, createRenderer(l, i18n)))),
    ].join('\n');

  test('a malformed token is never quoted', () => {
    for (const token of ['123456:AAH with space', 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw', `${TOKEN}\u0000`]) {
      const found = issues({ TELEGRAM_BOT_TOKEN: token });
      expect(found).toHaveLength(1);
      expect(shown(found)).not.toContain(token.trim());
      expect(shown(found)).not.toContain('AAH');
    }
  });

  test('the token is hidden wherever it was pasted', () => {
    const found = issues({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_URL: `http://bot.example.com/${TOKEN}`,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: TOKEN,
      LUOHU_LANG: TOKEN,
      LOG_LEVEL: `${TOKEN}${TOKEN}`,
    });
    expect(found).toHaveLength(4);
    expect(shown(found)).not.toContain(TOKEN);
    expect(shown(found)).not.toContain('AAHdqTcv');
    expect(shown(found)).toContain('***');
  });

  test('a bad webhook secret is never quoted', () => {
    const secret = `${'s'.repeat(250)} spaced`;
    const found = issues({ ...WEBHOOK, TELEGRAM_WEBHOOK_SECRET: secret });
    expect(found).toHaveLength(1);
    expect(shown(found)).not.toContain('sssss');
    const tooLong = issues({ ...WEBHOOK, TELEGRAM_WEBHOOK_SECRET: 'q'.repeat(300) });
    expect(shown(tooLong)).not.toContain('qqqqq');
    expect(issueLine(tooLong[0] as Issue, en)).toBe(
      'TELEGRAM_WEBHOOK_SECRET: 300 is too large; the maximum is 256',
    );
  });

  test('describeConfig leaves out the token and the secret', () => {
    const webhook = config({
      ...WEBHOOK,
      TELEGRAM_WEBHOOK_URL: `https://bot.example.com/${TOKEN}/${SECRET}`,
    });
    const summary = describeConfig(webhook);
    const text = JSON.stringify(summary);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('AAHdqTcv');
    expect(text).not.toContain(SECRET);
    expect(summary).toEqual({
      mode: 'webhook',
      lang: 'zh-CN',
      logLevel: 'info',
      dataDir: './data',
      retentionDays: 30,
      webhookUrl: 'https://bot.example.com/***/***',
      host: '127.0.0.1',
      port: 8080,
      path: '/***/***',
    });

    const polling = describeConfig(
      config({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: 'http://localhost:8081' }),
    );
    expect(JSON.stringify(polling)).not.toContain(TOKEN);
    expect(polling).toMatchObject({ mode: 'polling', apiRoot: 'http://localhost:8081' });
    expect(describeConfig(config({}))).toEqual({
      mode: 'simulator',
      lang: 'zh-CN',
      logLevel: 'info',
      dataDir: './data',
      retentionDays: 30,
    });
  });
});

describe('.env', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'luohu-env-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (text: string) => {
    const file = join(dir, '.env');
    writeFileSync(file, text);
    return file;
  };

  test('is read when present; variables already set win', () => {
    const envFile = write(
      `# Luohu\nTELEGRAM_BOT_TOKEN=${TOKEN}\nLUOHU_RETENTION_DAYS=7\nLUOHU_LANG="en"\nLOG_LEVEL=debug\n`,
    );
    const result = loadConfig({ LOG_LEVEL: 'warn' }, { envFile });
    expect(result).toEqual({
      ok: true,
      value: {
        mode: 'polling',
        token: TOKEN,
        retentionDays: 7,
        lang: 'en',
        logLevel: 'warn',
        dataDir: './data',
      },
    });
  });

  test('a missing file is no problem', () => {
    expect(loadConfig({}, { envFile: join(dir, 'absent.env') })).toMatchObject({
      ok: true,
      value: { mode: 'simulator' },
    });
  });

  test('its problems are reported like any other', () => {
    const envFile = write('LUOHU_WEBHOOK_PORT=http\n');
    const result = loadConfig({}, { envFile });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.map((i) => i.path)).toEqual([['LUOHU_WEBHOOK_PORT']]);
  });

  test('an unreadable file is one issue naming it', () => {
    const envFile = join(dir, 'folder.env');
    mkdirSync(envFile);
    const result = loadConfig({}, { envFile });
    expect(result).toEqual({
      ok: false,
      error: [{ path: [envFile], code: 'file-unreadable', params: { reason: 'EISDIR' } }],
    });
  });

  test('is loaded into process.env with process.loadEnvFile', () => {
    const saved = Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, process.env[name]]));
    for (const name of CONFIG_VARIABLES) delete process.env[name];
    try {
      process.env.LUOHU_LANG = 'zh-CN';
      const envFile = write('LUOHU_RETENTION_DAYS=12\nLUOHU_LANG=en\n');
      const result = loadConfig(process.env, { envFile });
      expect(result).toMatchObject({ ok: true, value: { retentionDays: 12, lang: 'zh-CN' } });
      expect(process.env.LUOHU_RETENTION_DAYS).toBe('12');
      expect(process.env.LUOHU_LANG).toBe('zh-CN');
    } finally {
      for (const name of CONFIG_VARIABLES) {
        const value = saved[name];
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
