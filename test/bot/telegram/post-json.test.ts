/**
 * The lean JSON POST of Bot API calls (`LightClient.postJson` in `bot/telegram/fetch.ts`) against
 * local servers, on both transports (`node:http` before the upgrade, undici after): kept-alive
 * connections, answers with a length, in chunks or up to the close, errors, timeouts.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import {
  type AddressInfo,
  createServer as createNetServer,
  type Server as NetServer,
  type Socket,
} from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { createLightClient, type JsonPost } from '../../../bot/telegram/fetch.js';

const servers: (Server | NetServer)[] = [];
const open = new Set<Socket>();
afterEach(async () => {
  for (const socket of open) socket.destroy();
  open.clear();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
});

async function listen<S extends Server | NetServer>(server: S): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** The client's JSON POST on `transport`, with `connections` kept per origin. */
async function postOf(transport: 'node:http' | 'undici', connections = 64): Promise<JsonPost> {
  const client = createLightClient({ connections });
  if (transport === 'undici') await client.upgrade();
  expect(client.transport).toBe(transport);
  return client.postJson;
}

describe.each(['node:http', 'undici'] as const)('over %s', (transport) => {
  test('JSON out and back; connections kept alive; a chunked answer; errors answered in JSON', async () => {
    const sockets = new Set<unknown>();
    const seen: { url?: string; type?: string; length?: string; body: unknown }[] = [];
    const port = await listen(
      createHttpServer((req, res) => {
        sockets.add(req.socket);
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          seen.push({
            url: req.url,
            type: req.headers['content-type'],
            length: req.headers['content-length'],
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
          });
          if (req.url?.endsWith('/chunked')) {
            res.writeHead(200, { 'content-type': 'application/json' });
            res.write('{"ok":true,');
            setTimeout(() => res.end('"result":"分块"}'), 5);
          } else if (req.url?.endsWith('/bad')) {
            res.writeHead(400, { 'content-type': 'application/json' });
            res.end('{"ok":false,"error_code":400}');
          } else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"result":1}');
        });
      }),
    );
    const post = await postOf(transport, 4);
    const root = `http://127.0.0.1:${port}/bot1:T`;
    for (let i = 0; i < 5; i++)
      expect(await post(`${root}/sendMessage`, `{"text":"你好 ${i}"}`, 1000)).toEqual({
        ok: true,
        result: 1,
      });
    expect(await post(`${root}/chunked`, '{}', 1000)).toEqual({ ok: true, result: '分块' });
    expect(await post(`${root}/bad`, '{}', 1000)).toEqual({ ok: false, error_code: 400 });
    expect(seen[0]).toEqual({
      url: '/bot1:T/sendMessage',
      type: 'application/json',
      length: String(Buffer.byteLength('{"text":"你好 0"}')),
      body: { text: '你好 0' },
    });
    // Seven calls one after another, kept alive: a connection or two, not seven.
    expect(sockets.size).toBeLessThanOrEqual(2);
    // Many at once: up to 4 connections, every call answered.
    const all = await Promise.all(Array.from({ length: 20 }, () => post(`${root}/sendMessage`, '{}', 1000)));
    expect(all).toHaveLength(20);
    expect(sockets.size).toBeLessThanOrEqual(4);
  });

  test('an answer up to the close of the connection; not JSON; a refused connection', async () => {
    let mode = 'close';
    const port = await listen(
      createNetServer((socket) => {
        socket.once('data', () => {
          if (mode === 'close') socket.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n{"ok":true}');
          else socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 5\r\n\r\n<html');
        });
      }),
    );
    const post = await postOf(transport);
    expect(await post(`http://127.0.0.1:${port}/x`, '{}', 1000)).toEqual({ ok: true });
    mode = 'html';
    await expect(post(`http://127.0.0.1:${port}/x`, '{}', 1000)).rejects.toBeInstanceOf(SyntaxError);
    const closed = await listen(createNetServer());
    servers.pop()?.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(post(`http://127.0.0.1:${closed}/x`, '{}', 1000)).rejects.toBeInstanceOf(Error);
  });

  test('no answer in time: rejected after the timeout', async () => {
    const port = await listen(createNetServer(() => {}));
    // The error names the timeout: it is the timeout that ended the call (undici's timers are coarse:
    // it may come up to a second late, so no bound on the time here).
    await expect((await postOf(transport))(`http://127.0.0.1:${port}/x`, '{}', 100)).rejects.toThrow(
      'Bot API: no answer in time (100 ms)',
    );
  });

  test('an answer that stalls halfway: rejected after the timeout, with the same error', async () => {
    const port = await listen(
      createNetServer((socket) => {
        socket.once('data', () =>
          socket.write(
            'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n{"ok":',
          ),
        );
      }),
    );
    await expect((await postOf(transport))(`http://127.0.0.1:${port}/x`, '{}', 100)).rejects.toThrow(
      'Bot API: no answer in time (100 ms)',
    );
  });

  test('a slow answer within the timeout is not cut short', async () => {
    const port = await listen(
      createHttpServer((req, res) => {
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"ok":');
          setTimeout(() => res.end('true}'), 30);
        });
      }),
    );
    expect(await (await postOf(transport))(`http://127.0.0.1:${port}/x`, '{}', 1000)).toEqual({ ok: true });
  });
});

test('undici without the exports it needs: the upgrade fails with the reason, calls stay on node:http', async () => {
  const port = await listen(
    createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    }),
  );
  // As undici bundled as CommonJS into an ES module loads: a default export only.
  const client = createLightClient({ loadUndici: async () => ({ default: {} }) as object });
  await expect(client.upgrade()).rejects.toThrow('undici: no Pool or request export');
  expect(client.transport).toBe('node:http');
  expect(await client.postJson(`http://127.0.0.1:${port}/x`, '{}', 1000)).toEqual({ ok: true });
});
