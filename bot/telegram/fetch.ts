/**
 * A small `fetch` for grammY's API client, and a lean JSON `POST` for the calls made on every update.
 * grammY's default client on Node (node-fetch) costs more CPU per Bot API call than the rest of an
 * update, and a bot makes about one call per update.
 *
 * Calls go over `node:http`/`node:https` with keep-alive agents until {@link LightClient.upgrade}
 * has loaded undici, whose `request` costs about a third less CPU per call again; undici takes
 * tens of milliseconds to load, so the bot loads it once it has started, off the start-up path.
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
 * answers its errors in JSON); rejects on a network failure, after `timeoutMs` without an answer,
 * or on an answer that is not JSON.
 */
export type JsonPost = (url: string, body: string, timeoutMs: number) => Promise<unknown>;

/** A {@link LightFetch} that can move to undici. */
export interface LightClient {
  readonly fetch: LightFetch;
  /** The lean path of a Bot API call with a JSON payload, without a `fetch` response in between. */
  readonly postJson: JsonPost;
  /** Loads undici and sends the calls after it through undici (stays on `node:http` if it fails). */
  upgrade(): Promise<void>;
  /** Which transport calls go through now. */
  readonly transport: 'node:http' | 'undici';
}

/** Options of {@link createLightClient}. */
export interface LightClientOptions {
  /** Connections kept open per origin (default 64). */
  readonly connections?: number;
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
  const send: LightFetch = (url, init = {}) => {
    const body = init.body as StringBody;
    const target = typeof url === 'string' ? new URL(url) : url;
    const secure = target.protocol === 'https:';
    return new Promise<LightResponse>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...init.headers };
      if (body !== undefined) headers['content-length'] = Buffer.byteLength(body);
      const req = (secure ? httpsRequest : httpRequest)(
        target,
        {
          method: init.method ?? 'GET',
          headers,
          agent: secure ? agents.https : agents.http,
          ...(init.signal ? { signal: init.signal } : {}),
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.once('error', reject);
          res.once('end', () =>
            resolve(responseOf(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))),
          );
        },
      );
      req.once('error', reject);
      req.end(body);
    });
  };
  const postJson: JsonPost = async (url, body, timeoutMs) => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await send(url, { method: 'POST', headers: JSON_HEADERS, body, signal });
      return await response.json();
    } catch (error) {
      throw signal.aborted ? timedOut(timeoutMs) : error;
    }
  };
  return { send, postJson };
}

/** Requests with undici's `request` (a pool of keep-alive connections per origin). */
async function undiciRequest(connections: number): Promise<Transport> {
  const { Agent, request } = await import('undici');
  const dispatcher = new Agent({ connections });
  const send: LightFetch = async (url, init = {}) => {
    const body = init.body as StringBody;
    const response = await request(url, {
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      ...(init.headers ? { headers: init.headers } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
      dispatcher,
    });
    return responseOf(response.statusCode, await response.body.text());
  };
  const postJson: JsonPost = async (url, body, timeoutMs) => {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await request(url, {
        method: 'POST',
        headers: JSON_HEADERS,
        body,
        signal,
        dispatcher,
      });
      // Read as text first: a body that is not JSON (a proxy's HTML error page) is a SyntaxError.
      return JSON.parse(await response.body.text());
    } catch (error) {
      throw signal.aborted ? timedOut(timeoutMs) : error;
    }
  };
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
      upgrading ??= undiciRequest(connections).then(
        (faster) => {
          current = faster;
          transport = 'undici';
        },
        () => {},
      );
      return upgrading;
    },
    get transport() {
      return transport;
    },
  };
}
