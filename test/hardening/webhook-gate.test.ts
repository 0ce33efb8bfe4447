/**
 * Guarantee 5: the webhook gate, on a real HTTP server on 127.0.0.1. Only `POST <path>` with the
 * exact secret and a JSON body under the size limit reaches the handler; refusals have empty bodies.
 */
import { createServer, request, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { webhookCallback } from 'grammy';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { MAX_UPDATE_BYTES, sameSecret, webhookGate } from '../../bot/serve.js';
import { harness, sendCalls, textMsg } from './helpers.js';

const PATH = '/telegram/hook';
const SECRET = 'a-Secret_token-0123456789';

let server: Server;
let port: number;
let received: string[] = [];

beforeAll(async () => {
  server = createServer(
    webhookGate(PATH, SECRET, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('handled');
      });
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
});

interface Sent {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body chunked, without a content-length. */
  chunked?: boolean;
}

function send(o: Sent = {}, to = port): Promise<{ status: number; body: string }> {
  const body = o.body ?? '{"update_id":1}';
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: to,
        method: o.method ?? 'POST',
        path: o.path ?? PATH,
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': SECRET,
          ...(o.chunked || o.method === 'GET' ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          ...o.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    // The server may answer (and close) before a large body is written: that is the point.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e),
    );
    if (o.method !== 'GET') req.write(body);
    req.end();
  });
}

describe('webhookGate', () => {
  test('POST to the path with the exact secret and JSON: the handler gets the body', async () => {
    const body = JSON.stringify({ update_id: 5, message: { text: '你好 🙂' } });
    expect(await send({ body })).toEqual({ status: 200, body: 'handled' });
    expect(received).toEqual([body]);
    // A charset in the content type is fine.
    expect((await send({ headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
  });

  test.each([
    ['missing', undefined],
    ['wrong, same length', `${SECRET.slice(0, -1)}X`],
    ['a prefix of it', SECRET.slice(0, -1)],
    ['longer', `${SECRET}X`],
    ['empty', ''],
    ['different case', SECRET.toUpperCase()],
  ])('secret %s: 401 with an empty body, the handler is not called', async (_what, secret) => {
    const headers: Record<string, string> = {};
    const r = await (secret === undefined
      ? sendWithout('x-telegram-bot-api-secret-token')
      : send({ headers: { ...headers, 'x-telegram-bot-api-secret-token': secret } }));
    expect(r).toEqual({ status: 401, body: '' });
    expect(received).toEqual([]);
  });

  test('GET on the webhook path: 405', async () => {
    expect(await send({ method: 'GET' })).toEqual({ status: 405, body: '' });
    expect(await send({ method: 'PUT' })).toEqual({ status: 405, body: '' });
    expect(received).toEqual([]);
  });

  test.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/json',
  ])('content type %s: 415', async (type) => {
    expect(await send({ headers: { 'content-type': type } })).toEqual({ status: 415, body: '' });
    expect(received).toEqual([]);
  });

  test('a missing content type: 415', async () => {
    expect(await sendWithout('content-type')).toEqual({ status: 415, body: '' });
  });

  test('a body over MAX_UPDATE_BYTES: 413, the handler is not called', async () => {
    const body = Buffer.alloc(MAX_UPDATE_BYTES + 1, 'a');
    expect(await send({ body })).toEqual({ status: 413, body: '' });
    expect(received).toEqual([]);
    // Exactly at the limit is accepted.
    const atLimit = `{"x":"${'a'.repeat(MAX_UPDATE_BYTES - 8)}"}`;
    expect(Buffer.byteLength(atLimit)).toBe(MAX_UPDATE_BYTES);
    expect((await send({ body: atLimit })).status).toBe(200);
  });

  test('a body without a content-length (chunked): refused, the handler is not called', async () => {
    const r = await send({ chunked: true });
    expect(r.status).toBe(411);
    expect(r.body).toBe('');
    expect(received).toEqual([]);
  });

  test('unknown paths: 404, with or without the secret', async () => {
    for (const path of ['/', '/telegram', `${PATH}/x`, `${PATH}x`, '/healthz/x', '/TELEGRAM/HOOK'])
      expect(await send({ path })).toEqual({ status: 404, body: '' });
    expect(received).toEqual([]);
  });

  test('a query string does not change the path check', async () => {
    expect((await send({ path: `${PATH}?a=1` })).status).toBe(200);
  });

  test('GET /healthz: 200 ok, without the secret', async () => {
    expect(
      await send({ method: 'GET', path: '/healthz', headers: { 'x-telegram-bot-api-secret-token': '' } }),
    ).toEqual({ status: 200, body: 'ok' });
    expect(received).toEqual([]);
  });

  test('a handler that throws: 500 with an empty body (no internals)', async () => {
    const failing = createServer(
      webhookGate(PATH, SECRET, async () => {
        throw new Error('SECRET INTERNALS at /srv/luohu/bot.ts:12');
      }),
    );
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const r = await send({}, (failing.address() as AddressInfo).port);
      expect(r).toEqual({ status: 500, body: '' });
    } finally {
      failing.closeAllConnections();
      await new Promise<void>((resolve) => failing.close(() => resolve()));
    }
  });

  test("the gate in front of grammY's webhook callback: an update passes through intact and is handled", async () => {
    const h = harness();
    const hooked = createServer(
      webhookGate(PATH, SECRET, webhookCallback(h.bot, 'http', { secretToken: SECRET })),
    );
    await new Promise<void>((resolve) => hooked.listen(0, '127.0.0.1', resolve));
    try {
      const to = (hooked.address() as AddressInfo).port;
      expect((await send({ body: JSON.stringify(textMsg(9301, '/start')) }, to)).status).toBe(200);
      expect(sendCalls(h.calls, 9301)).toHaveLength(1);
      const refused = await send(
        {
          body: JSON.stringify(textMsg(9301, '同意')),
          headers: { 'x-telegram-bot-api-secret-token': 'nope' },
        },
        to,
      );
      expect(refused.status).toBe(401);
      expect(sendCalls(h.calls, 9301)).toHaveLength(1);
    } finally {
      hooked.closeAllConnections();
      await new Promise<void>((resolve) => hooked.close(() => resolve()));
    }
  });
});

/** Sends a default request without one of its headers. */
function sendWithout(header: string): Promise<{ status: number; body: string }> {
  const body = '{"update_id":1}';
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-telegram-bot-api-secret-token': SECRET,
      'content-length': String(body.length),
    };
    delete headers[header];
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: PATH, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A request body for the raw-socket tests below. */
const RAW_BODY = '{"update_id":1}';

/** Posts `RAW_BODY` with exactly these header lines, written byte by byte; resolves with the status. */
function postRaw(headerLines: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.once('error', reject);
    socket.once('end', () => resolve(Number(answer.split(' ')[1])));
    socket.end(
      [`POST ${PATH} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headerLines, '', RAW_BODY].join(
        '\r\n',
      ),
    );
  });
}

const LENGTH = `content-length: ${RAW_BODY.length}`;

describe('webhookGate: headers as written on the wire', () => {
  // The gate reads its three headers from `req.rawHeaders` in one pass: the same decisions as
  // `req.headers` gives, whatever the case of the names, with a header sent twice.
  test('header names in any case: the request passes', async () => {
    expect(
      await postRaw([`X-Telegram-Bot-Api-Secret-Token: ${SECRET}`, 'Content-Type: application/json', LENGTH]),
    ).toBe(200);
    expect(
      await postRaw([`x-telegram-bot-api-secret-token: ${SECRET}`, 'CONTENT-TYPE: application/json', LENGTH]),
    ).toBe(200);
    expect(received).toEqual([RAW_BODY, RAW_BODY]);
  });

  test('the secret sent twice: 401, as when req.headers joins the two values', async () => {
    const secret = `x-telegram-bot-api-secret-token: ${SECRET}`;
    expect(await postRaw([secret, secret, 'content-type: application/json', LENGTH])).toBe(401);
    expect(received).toEqual([]);
  });

  test('a repeated content type: the first one counts, as in req.headers', async () => {
    const secret = `x-telegram-bot-api-secret-token: ${SECRET}`;
    expect(
      await postRaw([secret, 'content-type: text/plain', 'content-type: application/json', LENGTH]),
    ).toBe(415);
    expect(
      await postRaw([secret, 'content-type: application/json', 'content-type: text/plain', LENGTH]),
    ).toBe(200);
    expect(received).toEqual([RAW_BODY]);
  });

  test('a wrong or missing secret, a missing type or length: refused before the handler', async () => {
    const type = 'content-type: application/json';
    expect(await postRaw([`x-telegram-bot-api-secret-token: ${SECRET}x`, type, LENGTH])).toBe(401);
    expect(await postRaw([type, LENGTH])).toBe(401);
    expect(await postRaw([`x-telegram-bot-api-secret-token: ${SECRET}`, LENGTH])).toBe(415);
    expect(received).toEqual([]);
  });
});

describe('sameSecret', () => {
  test('equal strings only', () => {
    expect(sameSecret(SECRET, SECRET)).toBe(true);
    expect(sameSecret('密钥🙂', '密钥🙂')).toBe(true);
    expect(sameSecret(`${SECRET.slice(0, -1)}X`, SECRET)).toBe(false);
    expect(sameSecret(SECRET.slice(0, -1), SECRET)).toBe(false);
    expect(sameSecret(`${SECRET}X`, SECRET)).toBe(false);
    expect(sameSecret('', SECRET)).toBe(false);
    expect(sameSecret(undefined, SECRET)).toBe(false);
    expect(sameSecret([SECRET], SECRET)).toBe(false);
    expect(sameSecret([SECRET, SECRET], SECRET)).toBe(false);
    // Same number of characters, different bytes (no length confusion between UTF-16 and UTF-8).
    expect(sameSecret('é', 'e\u0301'.slice(0, 1))).toBe(false);
    expect(sameSecret('aé', 'aaa')).toBe(false);
  });
});
