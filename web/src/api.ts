/** A small client of the session API, shared by the staff page and the widget. */
import type {
  ConfigReply,
  DebugReply,
  Lang,
  Message,
  MessageReply,
  SessionReply,
  SummaryReply,
} from './types.js';

/** A request the server refused or could not answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiOptions {
  /** Where the API lives, e.g. `https://host` (no trailing slash); empty: this page's origin. */
  readonly base?: string;
  /** An agency's API key (sent as `X-API-Key`); staff on the same machine need none. */
  readonly key?: string;
}

/** Calls the session API. */
export class Api {
  readonly base: string;
  key: string | undefined;

  constructor(options: ApiOptions = {}) {
    this.base = (options.base ?? '').replace(/\/+$/, '');
    this.key = options.key || undefined;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.key) headers['x-api-key'] = this.key;
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (error) {
      throw new ApiError(0, error instanceof Error ? error.message : String(error));
    }
    if (response.status === 204) return undefined as T;
    const raw = await response.text();
    let json: unknown;
    try {
      json = raw ? JSON.parse(raw) : undefined;
    } catch {
      json = undefined;
    }
    if (!response.ok) {
      const detail = json && typeof json === 'object' ? describe(json) : raw.slice(0, 200);
      throw new ApiError(response.status, `${response.status} ${detail || response.statusText}`.trim());
    }
    return json as T;
  }

  config(): Promise<ConfigReply> {
    return this.#call('GET', '/api/config');
  }

  createSession(options: { lang?: Lang; asOf?: string } = {}): Promise<SessionReply> {
    return this.#call('POST', '/api/sessions', options);
  }

  session(id: string): Promise<SessionReply> {
    return this.#call('GET', `/api/sessions/${encodeURIComponent(id)}`);
  }

  send(id: string, message: Message): Promise<MessageReply> {
    return this.#call('POST', `/api/sessions/${encodeURIComponent(id)}/messages`, message);
  }

  summary(id: string): Promise<SummaryReply> {
    return this.#call('GET', `/api/sessions/${encodeURIComponent(id)}/summary`);
  }

  debug(id: string): Promise<DebugReply> {
    return this.#call('GET', `/api/sessions/${encodeURIComponent(id)}/debug`);
  }

  remove(id: string): Promise<void> {
    return this.#call('DELETE', `/api/sessions/${encodeURIComponent(id)}`);
  }
}

/** An error body (`{ error, message?, issues? }`) as one line. */
function describe(body: object): string {
  const { error, message, issues } = body as { error?: unknown; message?: unknown; issues?: unknown };
  const parts = [typeof error === 'string' ? error : ''];
  if (typeof message === 'string') parts.push(message);
  if (Array.isArray(issues))
    for (const issue of issues as { path?: unknown; message?: unknown; code?: unknown }[])
      parts.push(
        `${typeof issue.path === 'string' && issue.path ? `${issue.path}: ` : ''}${String(issue.message ?? issue.code)}`,
      );
  return parts.filter(Boolean).join(' · ');
}
