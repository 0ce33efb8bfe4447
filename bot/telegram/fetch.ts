/**
 * A small `fetch` for grammY's API client over `node:http`/`node:https` with keep-alive agents.
 * grammY's default client on Node (node-fetch) costs several times more CPU per Bot API call; a bot
 * makes about one call per update, so that cost is a large share of an update's. Only what grammY
 * uses is implemented: a request with a string body, and a response read as JSON. Anything else
 * (a file upload's streamed form data) goes to Node's own `fetch`.
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

/** Options of {@link createLightFetch}. */
export interface LightFetchOptions {
  /** Sockets kept open per host (default 64). */
  readonly maxSockets?: number;
}

/** Creates a keep-alive `fetch` (one agent per protocol, shared by every call it makes). */
export function createLightFetch(options: LightFetchOptions = {}): LightFetch {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'lifo' as const };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  return (url, init = {}) => {
    const { body } = init;
    if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array))
      return fetch(url, init as RequestInit) as Promise<LightResponse>;
    const target = typeof url === 'string' ? new URL(url) : url;
    const secure = target.protocol === 'https:';
    return new Promise<LightResponse>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...init.headers };
      if (body !== undefined) headers['content-length'] = Buffer.byteLength(body as string | Uint8Array);
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
          res.once('end', () => {
            const text =
              chunks.length === 1
                ? (chunks[0] as Buffer).toString('utf8')
                : Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            resolve({
              status,
              ok: status >= 200 && status < 300,
              json: async () => JSON.parse(text),
              text: async () => text,
            });
          });
        },
      );
      req.once('error', reject);
      req.end(body as string | Uint8Array | undefined);
    });
  };
}
