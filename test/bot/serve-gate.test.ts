/**
 * The webhook gate (`webhookGate` in `bot/serve.ts`) reads its three headers from the raw header
 * list (not `req.headers`): the same decisions as `req.headers` gives, on requests written byte by
 * byte over a socket (header names in any case, a header sent twice).
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { webhookGate } from '../../bot/serve.js';

const PATH = '/hook';
const SECRET = 'gate-Secret_0123';
const BODY = '{"update_id":1}';

let server: Server;
let port: number;
const received: string[] = [];

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

/** Posts `BODY` with exactly these header lines; resolves with the status. */
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
      [`POST ${PATH} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headerLines, '', BODY].join(
        '\r\n',
      ),
    );
  });
}

const LENGTH = `content-length: ${BODY.length}`;

test('header names in any case: the request passes', async () => {
  received.length = 0;
  expect(
    await postRaw([`X-Telegram-Bot-Api-Secret-Token: ${SECRET}`, 'Content-Type: application/json', LENGTH]),
  ).toBe(200);
  expect(
    await postRaw([`x-telegram-bot-api-secret-token: ${SECRET}`, 'CONTENT-TYPE: application/json', LENGTH]),
  ).toBe(200);
  expect(received).toEqual([BODY, BODY]);
});

test('the secret sent twice: 401, as when req.headers joins the two values', async () => {
  received.length = 0;
  const secret = `x-telegram-bot-api-secret-token: ${SECRET}`;
  expect(await postRaw([secret, secret, 'content-type: application/json', LENGTH])).toBe(401);
  expect(received).toEqual([]);
});

test('a repeated content type: the first one counts, as in req.headers', async () => {
  received.length = 0;
  const secret = `x-telegram-bot-api-secret-token: ${SECRET}`;
  expect(await postRaw([secret, 'content-type: text/plain', 'content-type: application/json', LENGTH])).toBe(
    415,
  );
  expect(await postRaw([secret, 'content-type: application/json', 'content-type: text/plain', LENGTH])).toBe(
    200,
  );
  expect(received).toEqual([BODY]);
});

test('a wrong or missing secret, a missing type or length: refused before the handler', async () => {
  received.length = 0;
  const type = 'content-type: application/json';
  expect(await postRaw([`x-telegram-bot-api-secret-token: ${SECRET}x`, type, LENGTH])).toBe(401);
  expect(await postRaw([type, LENGTH])).toBe(401);
  expect(await postRaw([`x-telegram-bot-api-secret-token: ${SECRET}`, LENGTH])).toBe(415);
  expect(received).toEqual([]);
});
