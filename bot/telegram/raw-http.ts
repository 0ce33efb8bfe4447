/**
 * The lean path of a Bot API call: a JSON `POST` over a pool of kept-alive HTTP/1.1 connections
 * (`node:net`, or `node:tls` for https), each request written in one piece and each answer read with
 * a small parser (a length, or chunks). A bot makes about one such call per update; this costs a
 * fraction of a general client's CPU (undici's `request` builds a request object, handlers, a
 * readable body and an HTTP parser's callbacks for each call).
 *
 * One request per connection at a time (no pipelining); up to `connections` per origin, then
 * calls wait for a free one. An idle connection is closed after {@link IDLE_MS}. A kept-alive
 * connection that the server closed before answering anything is tried once more on a new one.
 */
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { JsonPost } from './fetch.js';

/** How long an unused connection stays open (servers close theirs after about 5 s). */
export const IDLE_MS = 4000;

/** The largest response head accepted. */
const MAX_HEAD_BYTES = 64 * 1024;

interface Call {
  readonly request: string;
  readonly timeoutMs: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  /** Tried once more after a kept-alive connection closed unanswered. */
  retried: boolean;
}

/** One connection and the answer it is reading. */
interface Conn {
  readonly socket: Socket;
  readonly pool: Pool;
  call: Call | undefined;
  /** The connection has answered a call before (so a close before an answer may be a stale one). */
  reused: boolean;
  buffer: Buffer | undefined;
  /** Where the body starts, once the head is read; -1 before. */
  bodyStart: number;
  status: number;
  /** The body's length; -1 when chunked; -2 when up to the end of the connection. */
  length: number;
  keepAlive: boolean;
}

interface Pool {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly idle: Conn[];
  readonly waiting: Call[];
  open: number;
}

interface Target {
  readonly pool: Pool;
  /** The request's head up to the content length. */
  readonly head: string;
}

const fail = (message: string) => new Error(message);

/** The body of a chunked answer once it is complete, else undefined; throws on a malformed one. */
function dechunk(buffer: Buffer, start: number): Buffer | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const eol = buffer.indexOf('\r\n', at, 'latin1');
    if (eol < 0) return undefined;
    const size = Number.parseInt(buffer.toString('latin1', at, eol), 16);
    if (!Number.isFinite(size) || size < 0) throw fail('bad chunk size');
    if (size === 0) {
      // Trailers (none expected) end with an empty line.
      if (buffer.indexOf('\r\n\r\n', eol, 'latin1') < 0) return undefined;
      return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    }
    if (buffer.length < eol + 2 + size + 2) return undefined;
    parts.push(buffer.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/** Reads the head of the answer in `conn.buffer`; false while it is incomplete. */
function readHead(conn: Conn): boolean {
  const buffer = conn.buffer as Buffer;
  const end = buffer.indexOf('\r\n\r\n', 0, 'latin1');
  if (end < 0) {
    if (buffer.length > MAX_HEAD_BYTES) throw fail('response head too large');
    return false;
  }
  const lines = buffer.toString('latin1', 0, end).split('\r\n');
  const statusLine = lines[0] ?? '';
  if (!statusLine.startsWith('HTTP/1.')) throw fail('not an HTTP/1 response');
  const status = Number(statusLine.slice(9, 12));
  if (!(status >= 100 && status < 600)) throw fail('bad status');
  if (status < 200) {
    // An interim answer (100 Continue): skip it.
    conn.buffer = buffer.length > end + 4 ? buffer.subarray(end + 4) : undefined;
    return conn.buffer ? readHead(conn) : false;
  }
  let length = -2;
  let keepAlive = statusLine.startsWith('HTTP/1.1');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (name === 'content-length') {
      length = Number(value);
      if (!Number.isSafeInteger(length) || length < 0) throw fail('bad content-length');
    } else if (name === 'transfer-encoding' && value.includes('chunked')) length = -1;
    else if (name === 'connection')
      keepAlive = value.includes('close') ? false : value.includes('keep-alive') || keepAlive;
  }
  conn.status = status;
  conn.length = length;
  conn.keepAlive = keepAlive && length !== -2;
  conn.bodyStart = end + 4;
  return true;
}

/** Creates a {@link JsonPost} over kept-alive connections, up to `connections` per origin. */
export function createRawPost(connections = 64): JsonPost {
  const pools = new Map<string, Pool>();
  const targets = new Map<string, Target>();

  const targetOf = (url: string): Target => {
    const known = targets.get(url);
    if (known) return known;
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw fail(`unsupported protocol ${u.protocol}`);
    const secure = u.protocol === 'https:';
    const port = Number(u.port) || (secure ? 443 : 80);
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    const origin = `${u.protocol}//${host}:${port}`;
    let pool = pools.get(origin);
    if (!pool) {
      pool = { host, port, secure, idle: [], waiting: [], open: 0 };
      pools.set(origin, pool);
    }
    const target = {
      pool,
      head:
        `POST ${u.pathname}${u.search} HTTP/1.1\r\nhost: ${u.host}\r\n` +
        'content-type: application/json\r\nconnection: keep-alive\r\ncontent-length: ',
    };
    // The URLs are the API root and a method name: a handful. Bound it anyway.
    if (targets.size > 1000) targets.clear();
    targets.set(url, target);
    return target;
  };

  const release = (conn: Conn) => {
    const { pool } = conn;
    conn.call = undefined;
    conn.buffer = undefined;
    conn.bodyStart = -1;
    conn.reused = true;
    const next = pool.waiting.shift();
    if (next) return start(conn, next);
    conn.socket.setTimeout(IDLE_MS);
    pool.idle.push(conn);
  };

  const finish = (conn: Conn) => {
    const call = conn.call as Call;
    const buffer = conn.buffer as Buffer;
    let body: Buffer | undefined;
    let used = 0;
    if (conn.length >= 0) {
      if (buffer.length < conn.bodyStart + conn.length) return;
      body = buffer.subarray(conn.bodyStart, conn.bodyStart + conn.length);
      used = conn.bodyStart + conn.length;
    } else if (conn.length === -1) {
      body = dechunk(buffer, conn.bodyStart);
      if (!body) return;
      used = buffer.length;
    } else return; // Read to the end of the connection (see 'end').
    const keep = conn.keepAlive && used === buffer.length;
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      conn.call = undefined;
      conn.socket.destroy();
      call.reject(error as Error);
      return;
    }
    if (keep) release(conn);
    else {
      conn.call = undefined;
      conn.socket.destroy();
    }
    call.resolve(value);
  };

  const onData = (conn: Conn, chunk: Buffer) => {
    if (!conn.call) {
      // Bytes nobody asked for: the connection is out of step.
      conn.socket.destroy();
      return;
    }
    conn.buffer = conn.buffer ? Buffer.concat([conn.buffer, chunk]) : chunk;
    try {
      if (conn.bodyStart < 0 && !readHead(conn)) return;
      finish(conn);
    } catch (error) {
      const call = conn.call;
      conn.call = undefined;
      conn.socket.destroy();
      call?.reject(error as Error);
    }
  };

  const onGone = (conn: Conn, error?: Error) => {
    const { pool } = conn;
    const at = pool.idle.indexOf(conn);
    if (at >= 0) pool.idle.splice(at, 1);
    pool.open--;
    const call = conn.call;
    conn.call = undefined;
    if (call) {
      if (conn.length === -2 && conn.bodyStart >= 0 && !error) {
        // A body up to the end of the connection: it has ended.
        try {
          call.resolve(JSON.parse((conn.buffer as Buffer).toString('utf8', conn.bodyStart)));
        } catch (e) {
          call.reject(e as Error);
        }
      } else if (conn.reused && !conn.buffer && !call.retried) {
        // A kept-alive connection the server had closed: once more, on a new connection.
        call.retried = true;
        dispatch(pool, call);
      } else call.reject(error ?? fail('connection closed before an answer'));
    }
    const next = pool.waiting.shift();
    if (next) dispatch(pool, next);
  };

  const open = (pool: Pool): Conn => {
    const socket = pool.secure
      ? tlsConnect({
          host: pool.host,
          port: pool.port,
          // SNI takes a name, not an address (the certificate is still checked against the host).
          ...(isIP(pool.host) ? {} : { servername: pool.host }),
          ALPNProtocols: ['http/1.1'],
        })
      : netConnect({ host: pool.host, port: pool.port });
    socket.setNoDelay(true);
    pool.open++;
    const conn: Conn = {
      socket,
      pool,
      call: undefined,
      reused: false,
      buffer: undefined,
      bodyStart: -1,
      status: 0,
      length: 0,
      keepAlive: false,
    };
    let failure: Error | undefined;
    socket.on('data', (chunk: Buffer) => onData(conn, chunk));
    socket.on('timeout', () => socket.destroy(conn.call ? fail('no answer in time') : undefined));
    socket.on('error', (error) => {
      failure = error;
    });
    socket.on('close', () => onGone(conn, failure));
    return conn;
  };

  const start = (conn: Conn, call: Call) => {
    conn.call = call;
    conn.socket.setTimeout(call.timeoutMs);
    conn.socket.write(call.request);
  };

  const dispatch = (pool: Pool, call: Call) => {
    const idle = pool.idle.pop();
    if (idle) return start(idle, call);
    if (pool.open < connections) return start(open(pool), call);
    pool.waiting.push(call);
  };

  return (url, body, timeoutMs) =>
    new Promise((resolve, reject) => {
      const target = targetOf(url);
      dispatch(target.pool, {
        request: `${target.head}${Buffer.byteLength(body)}\r\n\r\n${body}`,
        timeoutMs,
        resolve,
        reject,
        retried: false,
      });
    });
}
