/**
 * The HTTP API (Hono): `POST /api/check` (the check contract, one profile or a batch), a session API
 * for chat widgets over the same engine and store as the Telegram bot, the OpenAPI description, the
 * public configuration, and the web page and widget from `dist/web/`.
 *
 * JSON in and out. Every error is a JSON object `{ error }` (with `issues` naming each field for
 * `invalid-input`), never a stack. API keys (`Authorization: Bearer` or `X-API-Key`) are checked
 * against their hashes; without keys (staff mode) only requests from this machine are served.
 *
 * **WARNING:** bodies and session ids are personal data and capabilities: they are never logged.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { presentDecision } from '../../machines/present/decision.js';
import type { View } from '../../machines/view.js';
import {
  check,
  type Decision,
  formatPath,
  type Issue,
  resolveSettings,
  showValue,
} from '../../rules/index.js';
import { fromZodIssues } from '../../rules/issues.js';
import { type ApiKeyEntry, type Brand, isLoopbackHost } from '../config.js';
import type { Input } from '../engine.js';
import {
  createI18n,
  createRenderer,
  DEFAULT_LANG,
  type I18n,
  isLang,
  LANGUAGES,
  type Lang,
} from '../i18n.js';
import type { Logger } from '../log.js';
import { issueText } from '../present/issues.js';
import { renderPlain } from '../render/plain.js';
import type { ConversationStore } from '../storage/store.js';
import { KeyRing, presentedKey } from './auth.js';
import { openApiDocument } from './openapi.js';
import { RateLimiter } from './rate-limit.js';
import {
  type ApiError,
  type ApiIssue,
  ChoiceMessageSchema,
  CommandMessageSchema,
  CreateSessionBodySchema,
  TextMessageSchema,
} from './schemas.js';
import { Sessions } from './sessions.js';
import { defaultWebRoot, isFolder, serveFile } from './static.js';
import { brandBlock, jsonView } from './view.js';

/** The largest body of `POST /api/check` (a batch of profiles). */
export const MAX_CHECK_BYTES = 256 * 1024;

/** The largest body of the session routes. */
export const MAX_SESSION_BYTES = 16 * 1024;

/** Routes served without a key, whatever the mode. */
const PUBLIC_ROUTES = new Set(['/api/openapi.json', '/api/config']);

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  /** Where sessions are kept (`web:<id>`): the bot's SQLite store, or a MemoryStore in tests. */
  readonly store: ConversationStore;
  /** Configured API keys (hashed); none: staff mode (keyless, from this machine only). */
  readonly apiKeys?: readonly ApiKeyEntry[];
  /** Origins allowed to call the API from a browser (exact match). */
  readonly corsOrigins?: readonly string[];
  /** Requests per minute per key (per client address in staff mode); default 120. */
  readonly rateLimit?: number;
  /** The agency on results and in `/api/config`. */
  readonly brand?: Brand | null;
  /** The language of new sessions and of error messages when the request names none. */
  readonly lang?: Lang;
  /** Sentences (with any agency overrides). */
  readonly i18n?: I18n;
  /** Today's date `YYYY-MM-DD`; default today in Asia/Shanghai. */
  readonly today?: () => string;
  /** The clock of the rate limit, in ms; default `Date.now`. */
  readonly now?: () => number;
  /** Policy edition of new sessions. */
  readonly policy?: string;
  /** The web build to serve at `/`; default `dist/web/` when it exists; null serves none. */
  readonly webRoot?: string | null;
  /** Logs one line per request (method, route, status, time, key name); never bodies or ids. */
  readonly logger?: Logger;
  /**
   * The address of the client; default the socket's remote address (Node's `incoming` binding,
   * which `app.request(url, init, { incoming: { socket: { remoteAddress } } })` can stand in for).
   */
  readonly clientAddress?: (c: Context) => string | undefined;
  /** The API's version in the OpenAPI description. */
  readonly version?: string;
}

type AppEnv = { Variables: { lang: Lang; keyName: string | undefined } };
type Ctx = Context<AppEnv>;

/** The socket's remote address, from the Node adapter's bindings. */
function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

/** True for an address of this machine (`127.x.x.x`, `::1`, `::ffff:127.x.x.x`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.toLowerCase();
  return a === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** The language a request asks for: `?lang=`, else `Accept-Language`, else `fallback`. */
function requestLang(c: Context, fallback: Lang): Lang {
  const query = c.req.query('lang');
  if (isLang(query)) return query;
  for (const part of (c.req.header('accept-language') ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return fallback;
}

/** The body of an error response. */
const failure = (error: ApiError['error'], extra: Omit<ApiError, 'error'> = {}): ApiError => ({
  error,
  ...extra,
});

/** A JSON media type: `application/json`, `application/*+json`, with any parameters. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** Creates the HTTP API (a Hono app: `app.fetch` for a server, `app.request` for tests). */
export function createHttpApp(options: HttpAppOptions) {
  const i18n = options.i18n ?? createI18n();
  const defaultLang = options.lang ?? DEFAULT_LANG;
  const keys = new KeyRing(options.apiKeys ?? []);
  const staff = keys.empty;
  const brand = options.brand ?? null;
  const limiter = new RateLimiter(options.rateLimit ?? 120, options.now);
  const sessions = new Sessions({
    store: options.store,
    i18n,
    lang: defaultLang,
    ...(options.today ? { today: options.today } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const clientAddress = options.clientAddress ?? socketAddress;
  const webRoot = options.webRoot === undefined ? defaultWebRoot() : options.webRoot;
  const version = options.version ?? process.env.npm_package_version ?? '0.1.0';
  let openapi: string | undefined;
  const { logger } = options;

  const renderer = (lang: string) => createRenderer(isLang(lang) ? lang : defaultLang, i18n);
  const apiIssues = (issues: readonly Issue[], lang: Lang): ApiIssue[] => {
    const r = renderer(lang);
    return issues.map((issue) => ({
      path: formatPath(issue.path),
      code: issue.code,
      message: r.render(issueText(issue)),
    }));
  };
  const invalid = (c: Ctx, issues: readonly Issue[]) =>
    c.json(failure('invalid-input', { issues: apiIssues(issues, c.get('lang')) }), 400);
  const notFound = (c: Context) => c.json(failure('not-found'), 404);
  const tooLarge = (maxSize: number) =>
    bodyLimit({ maxSize, onError: (c) => c.json(failure('too-large'), 413) });
  const viewOut = (view: View) => jsonView(view, renderer(view.lang), { brand });

  /**
   * The JSON body: `{ value }`, `{ empty: true }` when there is none, or the error response
   * (`invalid-json` for a body that is not JSON or not sent as JSON).
   */
  const readJson = async (c: Ctx): Promise<{ value: unknown } | { empty: true } | { response: Response }> => {
    const text = await c.req.text();
    if (text.trim() === '') return { empty: true };
    const r = renderer(c.get('lang'));
    if (!JSON_TYPE.test(c.req.header('content-type') ?? ''))
      return {
        response: c.json(failure('invalid-json', { message: r.render({ key: 'http.contentType' }) }), 400),
      };
    try {
      return { value: JSON.parse(text) };
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      const position = /position (\d+)/.exec(detail)?.[1] ?? '?';
      const message = r.render(issueText({ path: [], code: 'invalid-json', params: { position } }));
      return { response: c.json(failure('invalid-json', { message }), 400) };
    }
  };

  const app = new Hono<AppEnv>();

  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    logger?.error({ err: error instanceof Error ? error.message : String(error) }, 'http request failed');
    return c.json(failure('internal-error'), 500);
  });
  app.notFound(notFound);

  // Every API answer: JSON, not cached (it may hold personal data), not sniffed; one log line.
  app.use('/api/*', async (c, next) => {
    const started = performance.now();
    c.set('lang', requestLang(c, defaultLang));
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    logger?.debug(
      {
        method: c.req.method,
        route: c.req.path.replace(/^\/api\/sessions\/[^/]+/, '/api/sessions/:id'),
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        key: c.get('keyName') ?? (staff ? 'staff' : null),
      },
      'http request',
    );
  });

  // CORS for the configured origins only; others get no CORS headers (the browser refuses them).
  const origins = new Set(options.corsOrigins ?? []);
  const allowCors = cors({
    origin: (origin) => (origins.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'X-API-Key'],
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
  app.use('/api/*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin !== undefined && origins.has(origin)) return allowCors(c, next);
    if (c.req.method === 'OPTIONS') return c.body(null, 204, { Vary: 'Origin' });
    await next();
    c.header('Vary', 'Origin', { append: true });
  });

  // Keys; in staff mode, this machine only (its address, and its name in the URL against DNS rebinding).
  const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (PUBLIC_ROUTES.has(c.req.path)) return next();
    let client: string;
    if (staff) {
      const address = clientAddress(c);
      if (!isLoopbackAddress(address) || !isLoopbackHost(new URL(c.req.url).hostname))
        return c.json(failure('unauthorized'), 401);
      client = `address:${address}`;
    } else {
      const name = keys.identify(
        presentedKey({ authorization: c.req.header('authorization'), apiKey: c.req.header('x-api-key') }),
      );
      if (name === undefined) return c.json(failure('unauthorized'), 401);
      c.set('keyName', name);
      client = `key:${name}`;
    }
    const admitted = limiter.take(client);
    if (!admitted.ok)
      return c.json(failure('rate-limited', { retryAfter: admitted.retryAfter }), 429, {
        'Retry-After': String(admitted.retryAfter),
      });
    return next();
  };
  app.use('/api/*', authenticate);

  app.get('/api/openapi.json', (c) => {
    openapi ??= JSON.stringify(openApiDocument(version));
    return c.body(openapi, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.get('/api/config', (c) => c.json({ brand, languages: [...LANGUAGES], staff }));

  app.post('/api/check', tooLarge(MAX_CHECK_BYTES), async (c) => {
    const lang = c.get('lang');
    const issues: Issue[] = [];
    const langQuery = c.req.query('lang');
    if (langQuery !== undefined && !isLang(langQuery))
      issues.push({
        path: ['lang'],
        code: 'unknown-language',
        params: { value: showValue(langQuery), allowed: LANGUAGES.join(', ') },
      });
    const explainQuery = c.req.query('explain');
    const explain = explainQuery === '1' || explainQuery === 'true';
    if (explainQuery !== undefined && !['0', '1', 'true', 'false'].includes(explainQuery))
      issues.push({
        path: ['explain'],
        code: 'not-in-list',
        params: { value: showValue(explainQuery), allowed: '0, 1, true, false' },
      });
    const asOf = c.req.query('asOf');
    const policy = c.req.query('policy');
    const settings = resolveSettings({
      ...(asOf !== undefined ? { asOf } : {}),
      ...(policy !== undefined ? { policy } : {}),
    });
    if (!settings.ok) issues.push(...settings.error);
    if (issues.length > 0 || !settings.ok) return invalid(c, issues);

    const body = await readJson(c);
    if ('response' in body) return body.response;
    if ('empty' in body) return invalid(c, [{ path: [], code: 'empty-input', params: {} }]);
    const result = check(body.value, { asOf: settings.value.asOf, policy: settings.value.edition.id });
    if (!result.ok) return invalid(c, result.error);
    const decisions = result.value;
    if (!explain) return c.json({ decisions });
    const r = renderer(lang);
    const explained = (d: Decision) =>
      renderPlain([...presentDecision(d), ...(brand ? [brandBlock(brand)] : [])], r);
    return c.json({
      decisions,
      text: Array.isArray(decisions) ? decisions.map(explained) : explained(decisions),
    });
  });

  app.post('/api/sessions', tooLarge(MAX_SESSION_BYTES), async (c) => {
    const body = await readJson(c);
    if ('response' in body) return body.response;
    const value = 'empty' in body ? {} : body.value;
    const parsed = CreateSessionBodySchema.safeParse(value);
    if (!parsed.success) return invalid(c, fromZodIssues(parsed.error.issues, value));
    const { lang, asOf } = parsed.data;
    if (asOf !== undefined) {
      const settings = resolveSettings({ asOf });
      if (!settings.ok) return invalid(c, settings.error);
    }
    const { id, turn } = await sessions.create({
      ...(lang ? { lang } : {}),
      ...(asOf ? { asOf } : {}),
    });
    return c.json({ id, seq: turn.seq, view: viewOut(turn.view) }, 201);
  });

  app.get('/api/sessions/:id', async (c) => {
    const id = c.req.param('id');
    const turn = await sessions.current(id);
    if (!turn) return notFound(c);
    return c.json({ id, seq: turn.seq, view: viewOut(turn.view) });
  });

  app.post('/api/sessions/:id/messages', tooLarge(MAX_SESSION_BYTES), async (c) => {
    const id = c.req.param('id');
    const body = await readJson(c);
    if ('response' in body) return body.response;
    const input = messageInput('empty' in body ? undefined : body.value);
    if ('issues' in input) return invalid(c, input.issues);
    const turn = await sessions.send(id, input.input);
    if (!turn) return notFound(c);
    return c.json({ id, seq: turn.seq, view: viewOut(turn.view), erased: turn.erased });
  });

  app.get('/api/sessions/:id/summary', async (c) => {
    const answers = await sessions.summary(c.req.param('id'));
    return answers ? c.json({ answers }) : notFound(c);
  });

  app.get('/api/sessions/:id/debug', async (c) => {
    const debug = await sessions.debug(c.req.param('id'));
    return debug ? c.json(debug) : notFound(c);
  });

  app.delete('/api/sessions/:id', async (c) => {
    await sessions.delete(c.req.param('id'));
    return c.body(null, 204);
  });

  // Anything else under /api is not found (as JSON), before the web files are looked at.
  app.all('/api/*', notFound);

  // The web page and widget, when built.
  if (webRoot !== null) {
    // Hono answers HEAD with the GET route, without the body.
    app.get('*', async (c, next) => {
      if (!isFolder(webRoot)) return next();
      const response = await serveFile(webRoot, c.req.path);
      return response ?? next();
    });
  }

  return app;
}

/** The app {@link createHttpApp} returns. */
export type HttpApp = ReturnType<typeof createHttpApp>;

/** A message body as an engine input, or the issues naming what is wrong with it. */
export function messageInput(body: unknown): { input: Input } | { issues: Issue[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return {
      issues: [
        {
          path: [],
          code: 'not-an-object',
          params: { type: body === undefined ? 'undefined' : Array.isArray(body) ? 'array' : typeName(body) },
        },
      ],
    };
  const schema =
    'text' in body
      ? TextMessageSchema
      : 'choice' in body
        ? ChoiceMessageSchema
        : 'command' in body
          ? CommandMessageSchema
          : undefined;
  if (schema === undefined)
    return {
      issues: [
        {
          path: [],
          code: 'not-in-list',
          params: {
            value: showValue(Object.keys(body).join(', ') || '{}'),
            allowed: 'text, choice, command',
          },
        },
      ],
    };
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { issues: fromZodIssues(parsed.error.issues, body) };
  return { input: parsed.data as Input };
}

function typeName(value: unknown): string {
  return value === null ? 'null' : typeof value;
}
