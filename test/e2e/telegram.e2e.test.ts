/**
 * End to end: the built CLI (`node dist/bot/cli.js serve`) as a real process, talking to a local
 * Bot API stub on 127.0.0.1 through TELEGRAM_API_ROOT (Telegram itself is never contacted).
 * `npm test` builds first; run alone with `npm run build && npx vitest run test/e2e`
 * (`LUOHU_E2E_CLI=<path to cli.js>` runs them against another build).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../../bench/serve-child.js';
import {
  type ApiCall,
  type BotApiStub,
  type StubMessage,
  startBotApiStub,
  type Update,
} from './bot-api-stub.js';
import { byPolling, type Deliver, labelsOf, Person, type Reply } from './person.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = process.env.LUOHU_E2E_CLI ?? join(ROOT, 'dist/bot/cli.js');
/** Well-formed (digits, a colon, then `A-Za-z0-9_-`) and easy to find in any output. */
const TOKEN = '123456:TEST-e2e_tokenZQXJ8r5w';
const SECRET = 's3cret-E2E_webhook_Kq7';
/** Generous: a process start, a whole consultation and a stop. */
const SLOW = { timeout: 45_000 };

// ---------------------------------------------------------------------------------------------
// Processes, stubs and directories, all cleaned up after each test whatever happened.

interface BotProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

const processes = new Set<BotProcess>();
const stubs = new Set<BotApiStub>();
const dirs = new Set<string>();

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

async function newStub(options: Parameters<typeof startBotApiStub>[0] = {}): Promise<BotApiStub> {
  const stub = await startBotApiStub(options);
  stubs.add(stub);
  return stub;
}

const isRunning = (p: BotProcess) => p.child.exitCode === null && p.child.signalCode === null;

/** Sends `signal` and waits for the exit (bounded; SIGKILL if it does not come). */
async function stopProcess(p: BotProcess, signal: NodeJS.Signals = 'SIGKILL', timeoutMs = 5_000) {
  if (isRunning(p)) p.child.kill(signal);
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  if ((await Promise.race([p.exited, timer])) === 'timeout') {
    p.child.kill('SIGKILL');
    await Promise.race([p.exited, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  }
  return p.exited;
}

/** The exit of a process expected to stop by itself within `timeoutMs` (killed and failed if not). */
async function exitOf(p: BotProcess, timeoutMs = 15_000) {
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs).unref());
  const exit = await Promise.race([p.exited, timer]);
  if (exit !== 'timeout') return exit;
  await stopProcess(p);
  throw new Error(`the process did not exit within ${timeoutMs} ms; stderr:\n${p.stderr()}`);
}

/** Runs `node dist/bot/cli.js <args>` with only `env` (and PATH, HOME) in a scratch directory (no .env). */
function spawnCli(args: readonly string[], env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: tempDir('luohu-e2e-cwd-'),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  // 'exit' may come before the pipes are drained: wait for 'close' too, briefly.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const p: BotProcess = {
    child,
    exited: exited.then(async (result) => {
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      return result;
    }),
    stdout: () => out,
    stderr: () => err,
  };
  processes.add(p);
  return p;
}

/** The first line of the bot's JSON log with one of `messages`; waits up to 10 s for it. */
async function logLine(p: BotProcess, ...messages: string[]): Promise<Record<string, unknown>> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
    for (const text of p.stderr().split('\n')) {
      if (!text.startsWith('{')) continue;
      const line = JSON.parse(text) as Record<string, unknown>;
      if (messages.includes(line.msg as string)) return line;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no log line ${messages.join(' or ')} within 10 s; stderr:\n${p.stderr()}`);
}

/** Resolves with `ready`, or fails with the bot's stderr if it exits first. */
async function readyOrExit<T>(p: BotProcess, ready: Promise<T>): Promise<T> {
  const exit = p.exited.then(({ code, signal }) => {
    throw new Error(`the bot exited (${code ?? signal}) before it was ready; stderr:\n${p.stderr()}`);
  });
  return Promise.race([ready, exit]);
}

afterEach(async () => {
  await Promise.all([...processes].map((p) => stopProcess(p)));
  processes.clear();
  await Promise.all([...stubs].map((s) => s.close()));
  stubs.clear();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
});

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

const botEnv = (stub: BotApiStub, dataDir: string, extra: Record<string, string> = {}) => ({
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_API_ROOT: stub.url,
  LUOHU_DATA_DIR: dataDir,
  LOG_LEVEL: 'silent',
  ...extra,
});

type Framework = 'grammy' | 'telegraf';
const frameworkArgs = (framework: Framework) => (framework === 'telegraf' ? ['--framework', 'telegraf'] : []);

/** Starts `serve` in long polling mode; resolves once it polls. */
async function startPolling(
  stub: BotApiStub,
  dataDir: string,
  framework: Framework = 'grammy',
  extra: Record<string, string> = {},
) {
  const since = stub.calls.length;
  const p = spawnCli(['serve', ...frameworkArgs(framework)], botEnv(stub, dataDir, extra));
  await readyOrExit(
    p,
    stub.waitFor((c) => c.method === 'getUpdates', 15_000, since),
  );
  return p;
}

// ---------------------------------------------------------------------------------------------
// The consultation.

/** A birth date that makes the person 32 or 33 (the bachelor route, whatever year the tests run). */
function birthDate(): string {
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format());
  return `${year - 33}年4月9日`;
}

/** One move of the person, and a fragment the bot's answer must contain. */
interface Step {
  readonly say?: string;
  readonly tap?: string;
  readonly expect: string;
}

/** The consultation of the grammY test: a regular bachelor with an employer's collective household. */
const STEPS: readonly Step[] = [
  { say: '/start', expect: '您同意吗' },
  { tap: '同意', expect: '出生日期' },
  { say: birthDate(), expect: '最高学历' },
  { tap: '本科', expect: '统招' },
  { tap: '统招（普通高等教育）', expect: '违法犯罪记录' },
  { tap: '否', expect: '住宅房产' },
  { tap: '否', expect: '亲友' },
  { tap: '否', expect: '集体户口' },
  { tap: '是', expect: '户籍' },
  { tap: '否', expect: '学历类·本科及以上' },
];

async function play(person: Person, steps: readonly Step[]): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (const step of steps) {
    const reply = step.tap !== undefined ? await person.tap(step.tap) : await person.say(step.say ?? '');
    const text = Person.text(reply);
    if (!text.includes(step.expect))
      throw new Error(
        `after ${step.tap ?? step.say}: expected "${step.expect}" in the answer, got:\n${text}`,
      );
    replies.push(reply);
  }
  return replies;
}

/** What the person saw: each answer's messages, sent or edited (text, parse mode, buttons with their data). */
const transcript = (replies: readonly Reply[]) =>
  replies.map((r) =>
    r.shown.map(({ call }) => ({
      method: call.method,
      text: call.payload.text,
      parse_mode: call.payload.parse_mode,
      keyboard: (call.payload.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard,
    })),
  );

const methodsOf = (calls: readonly ApiCall[]) => calls.map((c) => c.method);
const withKeyboard = (messages: readonly StubMessage[]) => messages.filter((m) => m.keyboard.length > 0);

/** The grammY transcript, once (the Telegraf parity test compares with it). */
let grammyReference: ReturnType<typeof transcript> | undefined;

async function referenceTranscript(): Promise<ReturnType<typeof transcript>> {
  if (grammyReference) return grammyReference;
  const stub = await newStub({ token: TOKEN });
  await startPolling(stub, tempDir('luohu-e2e-data-'));
  grammyReference = transcript(await play(new Person(stub, byPolling(stub)), STEPS));
  return grammyReference;
}

/**
 * Delivery to the bot's webhook, as Telegram posts it; resolves once the bot answered 200 and, as
 * Telegram does, the call in the response's body (a webhook reply) was made on `telegram`.
 */
function byWebhook(url: string, secret: string, bodies: unknown[] = [], telegram?: BotApiStub): Deliver {
  return async (update: Update) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(15_000),
    });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${body}`);
    const reply = body ? (JSON.parse(body) as { method?: string }) : undefined;
    bodies.push(reply);
    if (telegram && reply?.method) {
      const { method, ...payload } = reply;
      await fetch(`${telegram.url}/bot${TOKEN}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(5_000),
      });
    }
  };
}

// ---------------------------------------------------------------------------------------------

describe('luohu serve, long polling, grammY', () => {
  test('/start, consent buttons, taps and a typed date to the result; keyboards removed', SLOW, async () => {
    const stub = await newStub({ token: TOKEN });
    const bot = await startPolling(stub, tempDir('luohu-e2e-data-'));

    // Start-up: who am I, the command menus, no webhook, then polling; always with the token.
    const startup = stub.calls.slice();
    expect(methodsOf(startup)).toContain('getMe');
    const menus = startup.filter((c) => c.method === 'setMyCommands');
    expect(menus.map((c) => c.payload.language_code)).toEqual([undefined, 'zh', 'en']);
    for (const menu of menus)
      expect((menu.payload.commands as { command: string }[]).map((c) => c.command)).toEqual([
        'start',
        'restart',
        'back',
        'summary',
        'language',
        'delete',
        'help',
      ]);
    const descriptionOf = (lang: string) =>
      (
        (menus.find((c) => c.payload.language_code === lang)?.payload.commands ?? []) as {
          description: string;
        }[]
      )[0]?.description;
    expect(descriptionOf('en')).toMatch(/[a-z]/i);
    expect(descriptionOf('en')).not.toEqual(descriptionOf('zh'));
    const deleteWebhook = startup.findIndex((c) => c.method === 'deleteWebhook');
    expect(deleteWebhook).toBeGreaterThanOrEqual(0);
    expect(deleteWebhook).toBeLessThan(startup.findIndex((c) => c.method === 'getUpdates'));
    expect(startup.every((c) => c.token === TOKEN && c.contentType === 'application/json')).toBe(true);

    const person = new Person(stub, byPolling(stub));
    const replies: Reply[] = [];

    // /start: the consent, in HTML, with two buttons whose data is c:<turn>:<choice>.
    const [start] = await play(person, STEPS.slice(0, 1));
    replies.push(start as Reply);
    const consent = start?.messages.at(-1) as StubMessage;
    expect(consent.call.payload.parse_mode).toBe('HTML');
    expect(consent.text).toContain('Luohu');
    expect(labelsOf(consent.keyboard)).toEqual(['同意', '不同意']);
    for (const button of consent.keyboard.flat()) expect(button.callback_data).toMatch(/^c:\d+:[\w-]+$/);

    // A tap: the tapped message becomes the next question (headed by the answer given, its buttons
    // gone), then the spinner is answered.
    const agreed = await person.tap('同意');
    replies.push(agreed);
    const query = (agreed.update.callback_query as { id: string }).id;
    expect(methodsOf(agreed.calls)).toEqual(['editMessageText', 'answerCallbackQuery']);
    expect(agreed.calls[1]?.payload.callback_query_id).toBe(query);
    expect(agreed.messages.map((m) => m.message_id)).toEqual([consent.message_id]);
    expect(stub.messages.get(consent.message_id)?.keyboard).toEqual([]);
    expect(Person.text(agreed)).toMatch(/^<i>您的回答：同意<\/i>\n\n/);
    expect(Person.text(agreed)).toContain('出生日期');

    replies.push(...(await play(person, STEPS.slice(2))));
    const result = Person.text(replies.at(-1) as Reply);
    expect(result).toContain('学历类·本科及以上');
    expect(result).toContain('单位集体户口');
    for (const m of stub.messagesOf(person.chatId)) expect(m.text.length).toBeLessThanOrEqual(4096);

    // Only the result keeps buttons (change an answer, start over); every earlier keyboard is gone.
    const last = stub.messagesOf(person.chatId).at(-1) as StubMessage;
    expect(withKeyboard(stub.messagesOf(person.chatId))).toEqual([last]);
    expect(labelsOf(last.keyboard)).toHaveLength(2);
    // Nothing Telegram refused (every edit was of a known message, and changed something).
    expect(stub.calls.filter((c) => (c.response?.status ?? 200) !== 200)).toEqual([]);
    grammyReference ??= transcript(replies);

    // SIGTERM: a clean stop.
    expect(await stopProcess(bot, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(bot.stderr()).toBe('');
    expect(bot.stdout()).toBe('');
  });
});

describe.each(['grammy', 'telegraf'] as const)('luohu serve --framework %s, crash', (framework) => {
  test(
    'killed (SIGKILL) mid-dialogue and restarted on the same data: it continues where it was',
    SLOW,
    async () => {
      const stub = await newStub({ token: TOKEN });
      const data = tempDir('luohu-e2e-data-');
      let bot = await startPolling(stub, data, framework);
      const person = new Person(stub, byPolling(stub));
      await play(person, STEPS.slice(0, 3)); // consent, birth date → the education question

      // Kill 1, in the middle of an update: '本科' is stored and its answer is on its way (held here).
      const hold = stub.hold((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
      const { message, button } = person.messageWith('本科');
      const update = person.callbackUpdate(button.callback_data ?? '', message);
      stub.push(update);
      const held = await hold.reached;
      expect(String(held.payload.text)).toContain('统招');
      const confirmed = (id: number) => (c: ApiCall) =>
        c.method === 'getUpdates' && Number(c.payload.offset ?? 0) > id;
      // Not confirmed before it was handled: Telegram will deliver it again.
      expect(stub.calls.some(confirmed(update.update_id))).toBe(false);
      await stopProcess(bot, 'SIGKILL');
      hold.release();
      expect(stub.pending.map((u) => u.update_id)).toContain(update.update_id);

      // Restarted: the redelivered update is recognised and changes nothing, says nothing.
      const restart = stub.calls.length;
      bot = await startPolling(stub, data, framework);
      await stub.waitFor(confirmed(update.update_id), 15_000, restart);
      expect(
        methodsOf(stub.calls.slice(restart)).filter((m) => m.startsWith('send') || m.startsWith('edit')),
      ).toEqual([]);

      // The question after the last answered one ('统招?') is the current one: answering it moves on.
      await play(person, STEPS.slice(4, 7));

      // Kill 2, between two answers (everything confirmed); the rest on the other framework, which
      // keeps the same conversations.
      expect(stub.pending).toEqual([]);
      await stopProcess(bot, 'SIGKILL');
      bot = await startPolling(stub, data, framework === 'grammy' ? 'telegraf' : 'grammy');
      const rest = await play(person, STEPS.slice(7));

      // Nothing lost: the same result as a consultation never interrupted.
      const reference = await referenceTranscript();
      expect(transcript(rest).at(-1)).toEqual(reference.at(-1));
      const last = stub.messagesOf(person.chatId).at(-1) as StubMessage;
      expect(withKeyboard(stub.messagesOf(person.chatId))).toEqual([last]);
      expect(await stopProcess(bot, 'SIGTERM')).toEqual({ code: 0, signal: null });
      expect(bot.stderr()).toBe('');
    },
  );
});

describe.each(['grammy', 'telegraf'] as const)('luohu serve --framework %s, stopping', (framework) => {
  test(
    'SIGTERM while an update is being handled: it is finished and answered before the exit',
    SLOW,
    async () => {
      const stub = await newStub({ token: TOKEN });
      const data = tempDir('luohu-e2e-data-');
      const bot = await startPolling(stub, data, framework);
      const person = new Person(stub, byPolling(stub));
      await play(person, STEPS.slice(0, 1));

      // The tap is in the middle of being handled (the next question held here) when SIGTERM comes.
      const hold = stub.hold((c) => c.method === 'editMessageText');
      const { message, button } = person.messageWith('同意');
      stub.push(person.callbackUpdate(button.callback_data ?? '', message));
      const held = await hold.reached;
      bot.child.kill('SIGTERM');
      // Long enough for a bot that does not wait for the update in hand to have exited already.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      hold.release();
      expect(await exitOf(bot, 10_000)).toEqual({ code: 0, signal: null });

      // The person got the next question from the stopping bot, then the spinner's answer: nothing
      // left half done.
      expect(String(held.payload.text)).toContain('出生日期是哪天');
      const after = stub.calls.slice(held.index).filter((c) => c.method !== 'getUpdates');
      expect(methodsOf(after)).toEqual(['editMessageText', 'answerCallbackQuery']);
      expect(bot.stderr()).toBe('');
    },
  );
});

describe('luohu serve --framework telegraf, long polling', () => {
  test('the same consultation reaches the same answers as grammY (parity)', SLOW, async () => {
    const reference = await referenceTranscript();
    const stub = await newStub({ token: TOKEN });
    const bot = await startPolling(stub, tempDir('luohu-e2e-data-'), 'telegraf');
    expect(
      stub.calls.filter((c) => c.method === 'setMyCommands').map((c) => c.payload.language_code),
    ).toEqual([undefined, 'zh', 'en']);
    expect(stub.calls.every((c) => c.token === TOKEN)).toBe(true);

    const person = new Person(stub, byPolling(stub));
    const replies = await play(person, STEPS);
    expect(transcript(replies)).toEqual(reference);
    const last = stub.messagesOf(person.chatId).at(-1) as StubMessage;
    expect(withKeyboard(stub.messagesOf(person.chatId))).toEqual([last]);
    expect(stub.calls.filter((c) => (c.response?.status ?? 200) !== 200)).toEqual([]);

    expect(await stopProcess(bot, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(bot.stderr()).toBe('');
  });
});

/** Starts `serve` in webhook mode on a free port; resolves once its server answers /healthz. */
async function startWebhook(
  stub: BotApiStub,
  framework: Framework,
  path: string,
  extra: Record<string, string> = {},
) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const hook = `${base}${path}`;
  const bot = spawnCli(
    ['serve', ...frameworkArgs(framework)],
    botEnv(stub, tempDir('luohu-e2e-data-'), {
      TELEGRAM_WEBHOOK_URL: hook,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      LUOHU_WEBHOOK_PORT: String(port),
      ...extra,
    }),
  );
  await readyOrExit(
    bot,
    stub.waitFor((c) => c.method === 'setWebhook', 15_000),
  );
  // The server comes up right after setWebhook.
  const health = await readyOrExit(
    bot,
    (async () => {
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) }).catch(
          () => undefined,
        );
        if (res) return res;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no answer on ${base}/healthz within 10 s`);
    })(),
  );
  return { bot, base, hook, health };
}

describe.each(['grammy', 'telegraf'] as const)('luohu serve --framework %s, webhook', (framework) => {
  test('setWebhook with the URL and secret; only requests with the secret are processed', SLOW, async () => {
    const stub = await newStub({ token: TOKEN });
    // The most verbose log: it must still hold neither the token, nor the secret, nor any answer.
    const { bot, base, hook, health } = await startWebhook(stub, framework, '/tg/hook', {
      LOG_LEVEL: 'trace',
    });
    expect(stub.webhook).toEqual({ url: hook, secret_token: SECRET });
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');

    const bodies: unknown[] = [];
    const person = new Person(stub, byWebhook(hook, SECRET, bodies, stub));
    const post = (headers: Record<string, string>, path = '/tg/hook', method = 'POST') =>
      fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(method === 'POST' ? { body: JSON.stringify(person.textUpdate('/start')) } : {}),
        signal: AbortSignal.timeout(5_000),
      });
    const refused = async (res: Promise<Response>) => (await res).status;
    expect([401, 403]).toContain(await refused(post({ 'x-telegram-bot-api-secret-token': 'wrong-secret' })));
    expect([401, 403]).toContain(await refused(post({})));
    expect([401, 403]).toContain(await refused(post({ 'x-telegram-bot-api-secret-token': `${SECRET}x` })));
    expect(await refused(post({ 'x-telegram-bot-api-secret-token': SECRET }, '/elsewhere'))).toBe(404);
    expect(await refused(post({ 'x-telegram-bot-api-secret-token': SECRET }, '/tg/hook', 'GET'))).not.toBe(
      200,
    );
    expect(methodsOf(stub.calls).filter((m) => m === 'sendMessage')).toEqual([]);

    // With the secret: processed.
    const [start, agreed, dated] = await play(person, STEPS.slice(0, 3));
    const consent = start?.messages.at(-1)?.call.payload.reply_markup as { inline_keyboard: [] } | undefined;
    expect(labelsOf(consent?.inline_keyboard ?? [])).toEqual(['同意', '不同意']);
    // Telegram got its 200 only once the update was handled (stored, answered). The tap's spinner
    // answer, the last call of its update, came in the webhook's response (one HTTP call less).
    const tapped = (agreed?.update.callback_query as { id: string } | undefined)?.id;
    expect(bodies).toEqual([
      undefined,
      { method: 'answerCallbackQuery', callback_query_id: tapped },
      undefined,
    ]);
    expect(methodsOf(agreed?.calls ?? [])).toEqual(['editMessageText', 'answerCallbackQuery']);
    expect(stub.messages.get(agreed?.messages[0]?.message_id ?? -1)).toBeDefined();
    expect(Person.text(dated as Reply)).toContain('最高学历');
    // Webhook mode never polls.
    expect(methodsOf(stub.calls)).not.toContain('getUpdates');
    // grammY's Bot API client moves to undici after start, in the bundled CLI too (a failed move
    // only costs CPU, so nothing else would show it).
    if (framework === 'grammy')
      expect(await logLine(bot, 'HTTP client upgraded', 'HTTP client upgrade failed')).toMatchObject({
        level: 30,
        msg: 'HTTP client upgraded',
        transport: 'undici',
      });

    expect(await stopProcess(bot, 'SIGTERM')).toEqual({ code: 0, signal: null });
    const log = bot.stderr();
    expect(log).toContain('bot started');
    for (const secret of [TOKEN, TOKEN.split(':')[1] as string, SECRET, birthDate(), '本科'])
      expect(log).not.toContain(secret);
  });

  test('a webhook URL with a query string: Telegram posts to it, updates are processed', SLOW, async () => {
    const stub = await newStub({ token: TOKEN });
    const { bot, hook } = await startWebhook(stub, framework, '/tg/hook?via=telegram');
    expect(stub.webhook?.url).toBe(hook);
    const person = new Person(stub, byWebhook(hook, SECRET));
    const [start] = await play(person, STEPS.slice(0, 1));
    expect(start?.messages).toHaveLength(1);
    expect(await stopProcess(bot, 'SIGTERM')).toEqual({ code: 0, signal: null });
  });
});

describe('luohu serve with a bad configuration', () => {
  const run = async (env: Record<string, string>, args: string[] = []) => {
    const p = spawnCli(['serve', ...args], { LOG_LEVEL: 'silent', ...env });
    const { code } = await exitOf(p);
    return { code, stdout: p.stdout(), stderr: p.stderr() };
  };
  const noStack = (stderr: string) => {
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toMatch(/Error:|node:internal|\.js:\d+/);
  };

  test('a webhook URL without a secret, and other mistakes: exit 2, one plain line each', SLOW, async () => {
    const started = Date.now();
    const p = spawnCli(['serve'], {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_URL: 'http://127.0.0.1:9/tg/hook',
      LUOHU_WEBHOOK_PORT: '70000',
      LOG_LEVEL: 'loud',
    });
    const { code } = await exitOf(p);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).toBe(2);
    expect(p.stdout()).toBe('');
    const lines = p.stderr().trimEnd().split('\n');
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual([
      'LOG_LEVEL',
      'LUOHU_WEBHOOK_PORT',
      'TELEGRAM_WEBHOOK_SECRET',
    ]);
    noStack(p.stderr());
    expect(p.stderr()).not.toContain(TOKEN);
    expect(p.stderr()).not.toContain(TOKEN.split(':')[1]);
  });

  test('a malformed token or secret is reported without being quoted', SLOW, async () => {
    const badToken = '123456:not a token!';
    const badSecret = 'not allowed: spaces';
    const { code, stderr } = await run({
      TELEGRAM_BOT_TOKEN: badToken,
      TELEGRAM_WEBHOOK_URL: 'https://example.org/hook',
      TELEGRAM_WEBHOOK_SECRET: badSecret,
    });
    expect(code).toBe(2);
    expect(
      stderr
        .trimEnd()
        .split('\n')
        .map((l) => l.split(':')[0]),
    ).toEqual(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET']);
    noStack(stderr);
    for (const secret of [badToken, 'not a token', badSecret, 'spaces']) expect(stderr).not.toContain(secret);
  });

  test('no token, or an unknown framework: exit 2 with one line', SLOW, async () => {
    const noToken = await run({});
    expect(noToken.code).toBe(2);
    expect(noToken.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(noToken.stderr).toMatch(/^TELEGRAM_BOT_TOKEN: /);
    const unknown = await run({ TELEGRAM_BOT_TOKEN: TOKEN }, ['--framework', 'botkit']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('botkit');
    expect(unknown.stderr).not.toContain(TOKEN);
  });

  test.each(['grammy', 'telegraf'] as const)(
    'a token the Bot API refuses (%s): exit 1, one line, the token not shown',
    async (framework) => {
      const stub = await newStub({ token: '999:another-token' });
      const { code, stdout, stderr } = await run(
        botEnv(stub, tempDir('luohu-e2e-data-')),
        frameworkArgs(framework),
      );
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/^luohu: .*401|Unauthorized/);
      noStack(stderr);
      expect(stderr).not.toContain(TOKEN);
      expect(stderr).not.toContain(TOKEN.split(':')[1]);
      // It gave up at once: 401 is not retried.
      expect(stub.calls.length).toBeLessThanOrEqual(2);
    },
    SLOW.timeout,
  );
});

describe('luohu serve, killed at random points of a stream of updates', () => {
  test('after every crash and restart, each update is applied exactly once: none lost, none twice', {
    timeout: 120_000,
  }, async () => {
    const stub = await newStub({ token: TOKEN });
    const data = tempDir('luohu-e2e-crash-');
    // 24 updates per chat (12 runs × 12 updates over 6 chats): under the per-chat rate limit (30 per
    // 10 s) even when one process is sent every one of a chat's updates, so none is dropped by it.
    const chats = [701, 702, 703, 704, 705, 706];
    const sent = new Map<number, number>(chats.map((c) => [c, 0]));
    /** The update ids sent to each chat, in order. */
    const sentIds = new Map<number, number[]>();
    let nextUpdate = 900_000;
    let messageId = 1;
    /**
     * A chat's first update consents (nothing is stored before consent); then `/help`, which changes
     * no answer but is applied as one turn: the stored `seq` counts applied updates.
     */
    const next = (chat: number): Update => ({
      update_id: nextUpdate++,
      message: {
        message_id: messageId++,
        date: 0,
        chat: { id: chat, type: 'private', first_name: 'T' },
        from: { id: chat, is_bot: false, first_name: 'T', language_code: 'zh-hans' },
        text: sent.get(chat) === 0 ? '同意' : '/help',
      },
    });
    // A deterministic sequence of kill delays (ms), so a failure can be replayed.
    const delays = [0, 35, 120, 5, 260, 60, 15, 180, 90, 0, 220, 45];
    for (const delay of delays) {
      const bot = await startPolling(stub, data, 'grammy');
      for (let i = 0; i < 12; i++) {
        const chat = chats[i % chats.length] as number;
        const update = next(chat);
        stub.push(update);
        sent.set(chat, (sent.get(chat) ?? 0) + 1);
        sentIds.set(chat, [...(sentIds.get(chat) ?? []), update.update_id]);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      await stopProcess(bot, 'SIGKILL');
    }
    // A last run drains every update Telegram still holds (the unconfirmed ones come again).
    const bot = await startPolling(stub, data, 'grammy');
    const last = nextUpdate - 1;
    await stub.waitFor((c) => c.method === 'getUpdates' && Number(c.payload.offset ?? 0) > last, 30_000);
    expect(stub.pending).toEqual([]);
    expect(await stopProcess(bot, 'SIGTERM')).toEqual({ code: 0, signal: null });
    // The rate limit played no part: nobody was asked to slow down.
    const locale = JSON.parse(readFileSync(join(ROOT, 'locales/zh-CN.json'), 'utf8'));
    const slowDown: unknown = locale.telegram?.['slow-down'];
    expect(typeof slowDown).toBe('string');
    const plain = (html: unknown) =>
      String(html).replace(
        /&(lt|gt|quot|amp);/g,
        (_, e: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[e] ?? '',
      );
    expect(
      stub.calls.filter((c) => c.method === 'sendMessage' && plain(c.payload.text) === slowDown),
    ).toEqual([]);

    const { default: Database } = await import('better-sqlite3');
    const db = new Database(join(data, 'luohu.sqlite'), { readonly: true });
    try {
      for (const chat of chats) {
        const row = db
          .prepare<[string], { data: string }>('SELECT data FROM conversations WHERE key = ?')
          .get(`telegram:${chat}`);
        const seq = row ? (JSON.parse(row.data) as { seq?: number }).seq : undefined;
        expect(seq, `chat ${chat}`).toBe(sent.get(chat));
      }
      // Each update was recorded once, in its chat's own row (`updates`: bot → [at, ...the newest
      // ids]): every chat's row lists its newest update ids, none missing, none twice.
      for (const chat of chats) {
        const raw = db
          .prepare<[string], string>('SELECT updates FROM conversations WHERE key = ?')
          .pluck()
          .get(`telegram:${chat}`);
        const ids = Object.values(JSON.parse(raw ?? '{}') as Record<string, number[]>).flatMap((l) =>
          l.slice(1),
        );
        expect(ids, `chat ${chat}`).toEqual(sentIds.get(chat)?.slice(-16));
      }
      // Nothing was recorded apart from the conversations (no update here changes none).
      const apart = db.prepare<[], number>('SELECT count(*) FROM processed_updates').pluck().get();
      expect(apart).toBe(0);
    } finally {
      db.close();
    }
  });
});
