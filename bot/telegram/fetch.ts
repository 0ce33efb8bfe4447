/**
 * A small `fetch` for grammY's API client, and a lean JSON `POST` for the calls made on every update.
 * grammY's default client on Node (node-fetch) costs more CPU per Bot API call than the rest of an
 * update, and a bot makes about one call per update.
 *
 * Calls go over `node:http`/`node:https` with keep-alive agents until {@link LightClient.upgrade}
 * has loaded undici, which costs less CPU per call again (the JSON `POST`s go to its connection
 * pools with a dispatch handler of their own); undici takes tens of milliseconds to load, so the
 * bot loads it once it has started, off the start-up path.
 * Only what grammY uses is implemented: a request with a string body, and a response read as JSON
 * or text. Anything else (a file upload's streamed form data) goes to Node's own `fetch`.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The part of a `fetch` request grammY gives. */
export interface LightRequestInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly signal?: AbortSignal | null;
}

/** The part of a `fetch` response grammY reads. */
export interface LightResponse {
  readonly status: number;
  readonly ok: boolean;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** A `fetch` for grammY's `client.fetch` option. */
export type LightFetch = (url: string | URL, init?: LightRequestInit) => Promise<LightResponse>;

/**
 * A JSON `POST` to `url`: resolves with the parsed answer whatever its HTTP status (the Bot API
 * answers its errors in JSON); rejects on a network failure, on an answer that is not JSON, or with
 * `Bot API: no answer in time (<timeoutMs> ms)` once the server has been silent for `timeoutMs`
 * (no answer yet, or an answer stalled halfway). The time a call waits for a free connection of
 * the pool does not count, and on undici the error may come up to a second late (its timers are coarse).
 */
export type JsonPost = (url: string, body: string, timeoutMs: number) => Promise<unknown>;

/** A {@link LightFetch} that can move to undici. */
export interface LightClient {
  readonly fetch: LightFetch;
  /** The lean path of a Bot API call with a JSON payload, without a `fetch` response in between. */
  readonly postJson: JsonPost;
  /**
   * Loads undici and sends the calls after it through undici. If undici cannot be loaded, the
   * calls stay on `node:http` and the promise rejects with the reason (each call, the same one).
   * **WARNING:** a caller that ignores the rejection hides a slower bot: log it.
   */
  upgrade(): Promise<void>;
  /** Which transport calls go through now. */
  readonly transport: 'node:http' | 'undici';
}

/** What the client uses of undici. */
type UndiciExports = Pick<typeof import('undici'), 'Pool' | 'request'>;

/** Options of {@link createLightClient}. */
export interface LightClientOptions {
  /** Connections kept open per origin (default 64). */
  readonly connections?: number;
  /** Loads undici for {@link LightClient.upgrade} (default `import('undici')`; tests give a broken one). */
  readonly loadUndici?: () => Promise<Partial<UndiciExports>>;
}

type StringBody = string | Uint8Array | undefined;

const isStringBody = (body: unknown): body is StringBody =>
  body === undefined || typeof body === 'string' || body instanceof Uint8Array;

const responseOf = (status: number, text: string): LightResponse => ({
  status,
  ok: status >= 200 && status < 300,
  json: async () => JSON.parse(text),
  text: async () => text,
});

interface Transport {
  readonly send: LightFetch;
  readonly postJson: JsonPost;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The error of a call that got no answer in time. */
const timedOut = (timeoutMs: number) => new Error(`Bot API: no answer in time (${timeoutMs} ms)`);

/** Requests over `node:http`/`node:https`, keep-alive. */
function nodeHttp(connections: number): Transport {
  const agentOptions = { keepAlive: true, maxSockets: connections, scheduling: 'lifo' as const };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  /** `url` with `body`; `timeoutMs`: the longest silence of the socket, then the call fails. */
  const call = (url: string | URL, init: LightRequestInit, timeoutMs?: number) => {
    const body = init.body as StringBody;
    const target = typeof url === 'string' ? new URL(url) : url;
    const secure = target.protocol === 'https:';
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...init.headers };
      if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: init.method ?? 'GET',
          headers,
          agent: secure ? agents.https : agents.http,
          ...(init.signal ? { signal: init.signal } : {}),
          ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.once('error', reject);
          res.once('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
        },
      );
      // Only with `timeoutMs`: the socket was silent that long, before or during the answer.
      if (timeoutMs !== undefined) req.once('timeout', () => req.destroy(timedOut(timeoutMs)));
      req.once('error', reject);
      req.end(body);
    });
  };
  return {
    send: async (url, init = {}) => {
      const { status, text } = await call(url, init);
      return responseOf(status, text);
    },
    postJson: async (url, body, timeoutMs) =>
      JSON.parse((await call(url, { method: 'POST', headers: JSON_HEADERS, body }, timeoutMs)).text),
  };
}

/** A header list as undici's dispatcher takes it (name, value, …): no object to walk per call. */
const JSON_HEADER_LIST = ['content-type', 'application/json'];

/** True for undici's errors of a silence longer than the call's timeout. */
const isUndiciTimeout = (error: unknown) => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
};

/**
 * One JSON `POST` as an undici dispatch handler: the answer's bytes are kept and parsed at the end,
 * without undici's `request` layer (its body stream, async resource, abort listener and header
 * parsing), none of which a call of {@link JsonPost} needs.
 */
class JsonAnswer {
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (error: unknown) => void;
  readonly #timeoutMs: number;
  #chunks: Buffer[] | undefined;
  #first: Buffer | undefined;

  constructor(resolve: (value: unknown) => void, reject: (error: unknown) => void, timeoutMs: number) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#timeoutMs = timeoutMs;
  }

  onConnect(): void {}

  onHeaders(): boolean {
    return true;
  }

  onData(chunk: Buffer): boolean {
    // Usually one chunk: no array then.
    if (this.#first === undefined) this.#first = chunk;
    else if (this.#chunks === undefined) this.#chunks = [this.#first, chunk];
    else this.#chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const bytes = this.#chunks ? Buffer.concat(this.#chunks) : this.#first;
    try {
      // Parsed from text: a body that is not JSON (a proxy's HTML error page) is a SyntaxError.
      this.#resolve(JSON.parse(bytes ? bytes.toString('utf8') : ''));
    } catch (error) {
      this.#reject(error);
    }
  }

  onError(error: unknown): void {
    this.#reject(isUndiciTimeout(error) ? timedOut(this.#timeoutMs) : error);
  }
}

/** What a call's URL resolves to: its origin's pool and the path on it. */
interface Target {
  readonly pool: import('undici').Pool;
  readonly path: string;
}

/** Distinct call URLs remembered (a bot calls a handful of methods at one API root). */
const MAX_TARGETS = 256;

/**
 * Requests with undici (a pool of keep-alive connections per origin). The JSON `POST`s go to the
 * origin's pool with a dispatch handler of their own; their timeout is undici's own headers and
 * body timeouts of each request (timers undici runs for every request anyway).
 */
async function undiciRequest(
  connections: number,
  load: () => Promise<Partial<UndiciExports>>,
): Promise<Transport> {
  const { Pool, request } = await load();
  // The pools are made on the first call: a module without them (undici bundled as CommonJS into an
  // ES module has only a default export) must fail the upgrade here, not every call after it.
  if (typeof Pool !== 'function' || typeof request !== 'function')
    throw new Error('undici: no Pool or request export');
  const pools = new Map<string, import('undici').Pool>();
  const poolOf = (origin: string) => {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections });
      pools.set(origin, pool);
    }
    return pool;
  };
  const targets = new Map<string, Target>();
  const targetOf = (url: string): Target => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { pool: poolOf(parsed.origin), path: `${parsed.pathname}${parsed.search}` };
      if (targets.size >= MAX_TARGETS) targets.clear();
      targets.set(url, target);
    }
    return target;
  };
  const send: LightFetch = async (url, init = {}) => {
    const body = init.body as StringBody;
    const response = await request(url, {
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      ...(init.headers ? { headers: init.headers } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
      dispatcher: poolOf(new URL(url).origin),
    });
    return responseOf(response.statusCode, await response.body.text());
  };
  const postJson: JsonPost = (url, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const { pool, path } = targetOf(url);
      pool.dispatch(
        {
          path,
          method: 'POST',
          headers: JSON_HEADER_LIST,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        new JsonAnswer(resolve, reject, timeoutMs),
      );
    });
  return { send, postJson };
}

/** Creates a client on `node:http`; call {@link LightClient.upgrade} once the bot has started. */
export function createLightClient(options: LightClientOptions = {}): LightClient {
  const connections = options.connections ?? 64;
  let current = nodeHttp(connections);
  let transport: LightClient['transport'] = 'node:http';
  let upgrading: Promise<void> | undefined;
  return {
    fetch: async (url, init = {}) => {
      // A streamed body (a file upload's form data): Node's fetch, which needs `duplex` for it.
      if (!isStringBody(init.body))
        return (await fetch(url, { ...init, duplex: 'half' } as RequestInit)) as LightResponse;
      return current.send(url, init);
    },
    postJson: (url, body, timeoutMs) => current.postJson(url, body, timeoutMs),
    upgrade() {
      upgrading ??= undiciRequest(connections, options.loadUndici ?? (() => import('undici'))).then(
        (faster) => {
          current = faster;
          transport = 'undici';
        },
      );
      return upgrading;
    },
    get transport() {
      return transport;
    },
  };
}
