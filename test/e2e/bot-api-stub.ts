/**
 * A local stand-in for the Telegram Bot API, for end-to-end tests: a `node:http` server on
 * 127.0.0.1 (port 0) that a real bot process talks to through `TELEGRAM_API_ROOT`.
 *
 * It answers `POST /bot<token>/<method>` (or GET with a query string) with JSON,
 * `application/x-www-form-urlencoded` or `multipart/form-data` parameters (grammY sends JSON;
 * Telegraf 4.16 sends JSON, and multipart only when a file is attached), the way Telegram does:
 * `{ ok: true, result }`, or `{ ok: false, error_code, description }` with the same HTTP status.
 *
 * - `getUpdates` is a long poll: it answers at once when an update is queued, otherwise it holds the
 *   request up to `timeout` seconds (capped by `maxPollSeconds`) or until {@link BotApiStub.push}.
 *   Its `offset` confirms updates: those with `update_id < offset` are dropped for good; the others
 *   are delivered again by the next call (a bot that crashes before confirming gets them again).
 *   A second `getUpdates` ends a held one with 409, and an active webhook makes it 409, as Telegram.
 * - `sendMessage` returns a Message with an increasing `message_id`; the stub keeps every message
 *   with its current text and inline keyboard, which `editMessageText` and `editMessageReplyMarkup`
 *   change (400 for an unknown message or an edit that changes nothing, as Telegram).
 * - `setWebhook` records the url and the secret token; `deleteWebhook` clears them.
 * - Anything else answers `true` and is recorded.
 *
 * Every call is recorded in {@link BotApiStub.calls}. Every wait is bounded; {@link BotApiStub.close}
 * answers held polls, drops every connection and stops the server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded Bot API call. */
export interface ApiCall {
  /** Position in {@link BotApiStub.calls}. */
  readonly index: number;
  readonly method: string;
  /** The token in the URL (tests check which token a bot uses; never printed). */
  readonly token: string;
  /** The parameters, whatever the encoding (form values holding JSON are parsed). */
  readonly payload: Record<string, unknown>;
  /** The request's content type (`application/json`, ...), without parameters. */
  readonly contentType: string;
  /** What the stub answered. */
  response?: { readonly status: number; readonly body: unknown };
}

/** An update as queued: `update_id` and one of Telegram's update fields. */
export type Update = { readonly update_id: number } & Record<string, unknown>;

/** An inline keyboard button. */
export interface Button {
  readonly text: string;
  readonly callback_data?: string;
}

/** A message the bot sent, as it stands now (after edits). */
export interface StubMessage {
  readonly message_id: number;
  readonly chat_id: number;
  text: string;
  /** The inline keyboard; empty when there is none (never sent, or removed). */
  keyboard: Button[][];
  /** The `sendMessage` call that sent it. */
  readonly call: ApiCall;
  /** Times the text or the keyboard was edited. */
  edits: number;
}

/** Options of {@link startBotApiStub}. */
export interface BotApiStubOptions {
  /** The only token accepted; any other gets 401 Unauthorized. Default: any well-formed token. */
  readonly token?: string;
  /** The bot's `getMe`. */
  readonly botInfo?: Record<string, unknown>;
  /** The longest a `getUpdates` is held, in seconds, whatever its `timeout`. Default 50. */
  readonly maxPollSeconds?: number;
  /** The first `message_id` given out. Default 100. */
  readonly firstMessageId?: number;
}

/** A hold on the next call matching a predicate: the stub records it but does not answer yet. */
export interface Hold {
  /** Resolves with the call when it arrives (rejects after `timeoutMs`). */
  readonly reached: Promise<ApiCall>;
  /** Answers the held call (harmless when its connection is already gone). */
  release(): void;
}

/** The running stub. */
export interface BotApiStub {
  /** `http://127.0.0.1:<port>`: the bot's `TELEGRAM_API_ROOT`. */
  readonly url: string;
  readonly port: number;
  /** Every call, in arrival order. */
  readonly calls: readonly ApiCall[];
  /** Every message sent, by id. */
  readonly messages: ReadonlyMap<number, StubMessage>;
  /** The webhook as last set (`setWebhook`), undefined when none. */
  readonly webhook: { readonly url: string; readonly secret_token?: string } | undefined;
  /** Updates queued and not confirmed yet. */
  readonly pending: readonly Update[];
  /** Queues an update (an `update_id` is given when missing) and wakes a held `getUpdates`. */
  push(update: Record<string, unknown>): Update;
  /** The first call at index `since` or later that satisfies `predicate`; rejects after `timeoutMs`. */
  waitFor(predicate: (call: ApiCall) => boolean, timeoutMs?: number, since?: number): Promise<ApiCall>;
  /** Holds the answer to the next call satisfying `predicate` until released. */
  hold(predicate: (call: ApiCall) => boolean, timeoutMs?: number): Hold;
  /** The messages of `chatId`, oldest first. */
  messagesOf(chatId: number): StubMessage[];
  /** Answers held polls, drops every connection and stops listening. */
  close(): Promise<void>;
}

/** The bot's identity unless told otherwise. */
export const STUB_BOT_INFO = {
  id: 4242,
  is_bot: true,
  first_name: 'Luohu',
  username: 'LuohuStubBot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
};

const TOKEN_PATTERN = /^\d+:[A-Za-z0-9_-]+$/;
const MAX_BODY_BYTES = 10 * 1024 * 1024;

class ApiError extends Error {
  constructor(
    readonly status: number,
    description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

/** A form value: JSON objects, arrays, numbers and booleans are parsed, like Telegram does. */
function formValue(value: string): unknown {
  const t = value.trim();
  if (/^[[{]/.test(t) || /^-?\d+(\.\d+)?$/.test(t) || t === 'true' || t === 'false') {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

/** Fields whose text is never converted to a number or a boolean. */
const TEXT_FIELDS = new Set(['text', 'caption', 'callback_query_id', 'secret_token', 'url', 'description']);

function formField(name: string, value: string): unknown {
  return TEXT_FIELDS.has(name) ? value : formValue(value);
}

/** Parses a `multipart/form-data` body: text fields as values, files as `{ filename, size }`. */
function parseMultipart(body: Buffer, boundary: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length, next);
    start = next;
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) continue;
    const headers = part.subarray(0, headerEnd).toString('utf8');
    // The part's content ends before the CRLF that precedes the next delimiter.
    const content = part.subarray(headerEnd + 4, part.length - 2);
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) continue;
    const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
    out[name] =
      filename !== undefined ? { filename, size: content.length } : formField(name, content.toString('utf8'));
  }
  return out;
}

/** The parameters of a request: its query string merged with its body, whatever the encoding. */
function parseParams(req: IncomingMessage, url: URL, body: Buffer): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of url.searchParams) params[name] = formField(name, value);
  const type = String(req.headers['content-type'] ?? '');
  if (body.length === 0) return params;
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new ApiError(400, 'Bad Request: invalid JSON body');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new ApiError(400, 'Bad Request: the body must be a JSON object');
    return { ...params, ...(parsed as Record<string, unknown>) };
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    for (const [name, value] of new URLSearchParams(body.toString('utf8')))
      params[name] = formField(name, value);
    return params;
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) throw new ApiError(400, 'Bad Request: multipart without a boundary');
    return { ...params, ...parseMultipart(body, b.trim()) };
  }
  throw new ApiError(400, `Bad Request: unsupported content type ${type}`);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError(413, 'Request Entity Too Large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function keyboardOf(markup: unknown): Button[][] {
  const rows = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  return Array.isArray(rows) ? (rows as Button[][]).map((row) => [...row]) : [];
}

const asNumber = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** A held `getUpdates`. */
interface Poll {
  readonly offset: number | undefined;
  readonly limit: number;
  readonly timer: NodeJS.Timeout;
  readonly answer: (result: Update[] | ApiError) => void;
}

/** Starts the stub on 127.0.0.1 (a free port). */
export async function startBotApiStub(options: BotApiStubOptions = {}): Promise<BotApiStub> {
  const botInfo = options.botInfo ?? STUB_BOT_INFO;
  const maxPollSeconds = options.maxPollSeconds ?? 50;
  const calls: ApiCall[] = [];
  const messages = new Map<number, StubMessage>();
  let queue: Update[] = [];
  let nextUpdateId = 10_000;
  let nextMessageId = options.firstMessageId ?? 100;
  let webhook: { url: string; secret_token?: string } | undefined;
  let polls: Poll[] = [];
  let closed = false;
  const listeners = new Set<(call: ApiCall) => void>();
  const holds: {
    predicate: (call: ApiCall) => boolean;
    reached: (call: ApiCall) => void;
    gate: Promise<void>;
  }[] = [];
  const releases = new Set<() => void>();

  const confirm = (offset: number | undefined) => {
    if (offset !== undefined && offset > 0) queue = queue.filter((u) => u.update_id >= offset);
  };
  const deliverable = (poll: { offset: number | undefined; limit: number }) =>
    queue
      .filter((u) => poll.offset === undefined || poll.offset <= 0 || u.update_id >= poll.offset)
      .slice(0, poll.limit);

  const endPoll = (poll: Poll, result: Update[] | ApiError) => {
    clearTimeout(poll.timer);
    polls = polls.filter((p) => p !== poll);
    poll.answer(result);
  };
  const wakePolls = () => {
    for (const poll of [...polls]) {
      const updates = deliverable(poll);
      if (updates.length > 0) endPoll(poll, updates);
    }
  };

  const message = (call: ApiCall, chatId: number, text: string, markup: unknown) => {
    const m: StubMessage = {
      message_id: nextMessageId++,
      chat_id: chatId,
      text,
      keyboard: keyboardOf(markup),
      call,
      edits: 0,
    };
    messages.set(m.message_id, m);
    return m;
  };
  const asTelegram = (m: StubMessage) => ({
    message_id: m.message_id,
    date: Math.floor(Date.now() / 1000),
    from: botInfo,
    chat:
      m.chat_id > 0
        ? { id: m.chat_id, type: 'private', first_name: 'Test' }
        : { id: m.chat_id, type: 'group', title: 'Group' },
    text: m.text,
    ...(m.keyboard.length > 0 ? { reply_markup: { inline_keyboard: m.keyboard } } : {}),
  });
  const editable = (payload: Record<string, unknown>): StubMessage => {
    const m = messages.get(asNumber(payload.message_id) ?? -1);
    if (!m || m.chat_id !== asNumber(payload.chat_id))
      throw new ApiError(400, 'Bad Request: message to edit not found');
    return m;
  };

  /** The result of a call, or an ApiError; `getUpdates` may answer later through `later`. */
  const answer = (call: ApiCall, later: (result: Update[] | ApiError) => void): unknown => {
    const p = call.payload;
    switch (call.method) {
      case 'getMe':
        return botInfo;
      case 'getUpdates': {
        if (webhook)
          throw new ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
          );
        // Telegram ends an older long poll when a newer one comes.
        for (const poll of [...polls])
          endPoll(
            poll,
            new ApiError(
              409,
              'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
            ),
          );
        const offset = asNumber(p.offset);
        confirm(offset);
        const limit = Math.max(1, Math.min(100, asNumber(p.limit) ?? 100));
        const ready = deliverable({ offset, limit });
        const timeout = Math.max(0, Math.min(maxPollSeconds, asNumber(p.timeout) ?? 0));
        if (ready.length > 0 || timeout === 0 || closed) return ready;
        const poll: Poll = {
          offset,
          limit,
          timer: setTimeout(() => endPoll(poll, []), timeout * 1000),
          answer: later,
        };
        poll.timer.unref();
        polls.push(poll);
        return undefined;
      }
      case 'sendMessage': {
        const chatId = asNumber(p.chat_id);
        if (chatId === undefined) throw new ApiError(400, 'Bad Request: chat_id is empty');
        if (typeof p.text !== 'string' || p.text.trim() === '')
          throw new ApiError(400, 'Bad Request: message text is empty');
        if (p.text.length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
        return asTelegram(message(call, chatId, p.text, p.reply_markup));
      }
      case 'editMessageText': {
        const m = editable(p);
        const text = String(p.text ?? '');
        const keyboard = keyboardOf(p.reply_markup);
        if (text === m.text && JSON.stringify(keyboard) === JSON.stringify(m.keyboard))
          throw new ApiError(400, 'Bad Request: message is not modified');
        m.text = text;
        m.keyboard = keyboard;
        m.edits++;
        return asTelegram(m);
      }
      case 'editMessageReplyMarkup': {
        const m = editable(p);
        const keyboard = keyboardOf(p.reply_markup);
        if (JSON.stringify(keyboard) === JSON.stringify(m.keyboard))
          throw new ApiError(400, 'Bad Request: message is not modified');
        m.keyboard = keyboard;
        m.edits++;
        return asTelegram(m);
      }
      case 'setWebhook':
        webhook = {
          url: String(p.url ?? ''),
          ...(p.secret_token !== undefined ? { secret_token: String(p.secret_token) } : {}),
        };
        return true;
      case 'deleteWebhook':
        webhook = undefined;
        if (p.drop_pending_updates === true) queue = [];
        return true;
      case 'getWebhookInfo':
        return {
          url: webhook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: queue.length,
        };
      default:
        // answerCallbackQuery, setMyCommands, ...: accepted and recorded.
        return true;
    }
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const failure = (error: ApiError) => ({
    ok: false,
    error_code: error.status,
    description: error.message,
    ...(error.parameters ? { parameters: error.parameters } : {}),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
    let call: ApiCall | undefined;
    const reply = (result: unknown) => {
      const [status, body] =
        result instanceof ApiError ? [result.status, failure(result)] : [200, { ok: true, result }];
      if (call) call.response = { status, body };
      send(res, status, body);
    };
    try {
      const body = await readBody(req);
      if (!route) throw new ApiError(404, 'Not Found');
      const [, token = '', method = ''] = route;
      call = {
        index: calls.length,
        method,
        token,
        payload: parseParams(req, url, body),
        contentType: String(req.headers['content-type'] ?? '').split(';')[0] ?? '',
      };
      calls.push(call);
      const current = call;
      for (const listener of [...listeners]) listener(current);
      const held = holds.find((h) => h.predicate(current));
      if (held) {
        holds.splice(holds.indexOf(held), 1);
        held.reached(current);
        await held.gate;
      }
      if (!TOKEN_PATTERN.test(token) || (options.token !== undefined && token !== options.token))
        throw new ApiError(401, 'Unauthorized');
      const later = (result: Update[] | ApiError) => reply(result);
      const result = answer(current, later);
      if (result !== undefined) reply(result);
      else {
        // A held poll: a bot that goes away (killed, stopped) leaves no poll behind.
        res.once('close', () => {
          const poll = polls.find((p) => p.answer === later);
          if (poll) endPoll(poll, []);
        });
      }
    } catch (error) {
      reply(error instanceof ApiError ? error : new ApiError(500, 'Internal Server Error'));
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  const stub: BotApiStub = {
    url: `http://127.0.0.1:${port}`,
    port,
    calls,
    messages,
    get webhook() {
      return webhook;
    },
    get pending() {
      return [...queue];
    },
    push(update) {
      const full = { ...update, update_id: asNumber(update.update_id) ?? nextUpdateId++ } as Update;
      nextUpdateId = Math.max(nextUpdateId, full.update_id + 1);
      queue.push(full);
      wakePolls();
      return full;
    },
    waitFor(predicate, timeoutMs = 10_000, since = 0) {
      const found = calls.slice(since).find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const listener = (call: ApiCall) => {
          if (call.index < since || !predicate(call)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(call);
        };
        const timer = setTimeout(() => {
          listeners.delete(listener);
          const recent = calls
            .slice(-12)
            .map((c) => `${c.index}:${c.method}`)
            .join(', ');
          reject(new Error(`no matching Bot API call within ${timeoutMs} ms (recent: ${recent || 'none'})`));
        }, timeoutMs);
        listeners.add(listener);
      });
    },
    hold(predicate, timeoutMs = 10_000) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      releases.add(release);
      // A hold never outlives its test by much.
      const safety = setTimeout(release, timeoutMs + 5_000);
      safety.unref();
      let reachedResolve!: (call: ApiCall) => void;
      const reachedPromise = new Promise<ApiCall>((resolve) => {
        reachedResolve = resolve;
      });
      const entry = { predicate, reached: reachedResolve, gate };
      holds.push(entry);
      const reached = Promise.race([
        reachedPromise,
        new Promise<never>((_, reject) => {
          const t = setTimeout(() => {
            const i = holds.indexOf(entry);
            if (i !== -1) holds.splice(i, 1);
            reject(new Error(`the held call did not come within ${timeoutMs} ms`));
          }, timeoutMs);
          t.unref();
          void reachedPromise.then(() => clearTimeout(t));
        }),
      ]);
      return {
        reached,
        release: () => {
          clearTimeout(safety);
          releases.delete(release);
          release();
        },
      };
    },
    messagesOf(chatId) {
      return [...messages.values()]
        .filter((m) => m.chat_id === chatId)
        .sort((a, b) => a.message_id - b.message_id);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const poll of [...polls]) endPoll(poll, []);
      holds.splice(0);
      for (const release of releases) release();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
    },
  };
  return stub;
}
