/**
 * A fake Telegram Bot API server on 127.0.0.1 (a free port), for the fault tests: the bot is pointed
 * at it with `apiRoot`, so its requests go through grammY's real client and every API transformer
 * installed by the product (auto-retry included). Faults are scripted per method, in order.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A Bot API response body. */
export interface ApiResponse {
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error_code?: number;
  readonly description?: string;
  readonly parameters?: { readonly retry_after?: number };
}

/** One request the server received. */
export interface ApiRequest {
  readonly method: string;
  readonly payload: Record<string, unknown>;
  /** What the server answered. */
  readonly response: ApiResponse;
}

export interface FakeBotApi {
  /** The `apiRoot` to give the bot. */
  readonly apiRoot: string;
  readonly requests: ApiRequest[];
  /** The next calls of `method` get these answers, in order; later ones succeed. */
  fail(method: string, ...responses: ApiResponse[]): void;
  close(): Promise<void>;
}

export const tooManyRequests = (retryAfter: number): ApiResponse => ({
  ok: false,
  error_code: 429,
  description: `Too Many Requests: retry after ${retryAfter}`,
  parameters: { retry_after: retryAfter },
});
export const internalError: ApiResponse = {
  ok: false,
  error_code: 500,
  description: 'Internal Server Error',
};
export const blocked: ApiResponse = {
  ok: false,
  error_code: 403,
  description: 'Forbidden: bot was blocked by the user',
};
export const notModified: ApiResponse = {
  ok: false,
  error_code: 400,
  description:
    'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
};

/** Starts the server. */
export async function startFakeBotApi(): Promise<FakeBotApi> {
  const requests: ApiRequest[] = [];
  const scripted = new Map<string, ApiResponse[]>();
  let messageId = 5000;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').at(-1) ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      const payload = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
      const response: ApiResponse = scripted.get(method)?.shift() ?? {
        ok: true,
        result:
          method === 'sendMessage'
            ? {
                message_id: ++messageId,
                date: 0,
                chat: { id: payload.chat_id, type: 'private' },
                text: payload.text,
              }
            : true,
      };
      requests.push({ method, payload, response });
      res
        .writeHead(response.ok ? 200 : (response.error_code ?? 500), { 'content-type': 'application/json' })
        .end(JSON.stringify(response));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    requests,
    fail(method, ...responses) {
      scripted.set(method, [...(scripted.get(method) ?? []), ...responses]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
