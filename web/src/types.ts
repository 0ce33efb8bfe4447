/**
 * The session API's JSON, as the page and the widget read it (see README, "Web simulator and
 * widget"). Only the shapes: the server renders every sentence, the browser never translates
 * consultation text.
 */
import type { Decision } from '../../rules/decision.js';

export type { Decision };

export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
export const isLang = (value: unknown): value is Lang => value === 'zh-CN' || value === 'en';

export type ViewKind = 'consent' | 'declined' | 'question' | 'result' | 'summary' | 'deleted';
export type Mark = 'pass' | 'fail' | 'na' | 'todo' | 'warn';

/** A rendered paragraph of a view. */
export interface ApiBlock {
  readonly kind: 'title' | 'heading' | 'line' | 'item' | 'detail';
  readonly mark?: Mark;
  readonly number?: number;
  readonly text: string;
}

/** A button: what it sends (`id`) and what it says. */
export interface ApiChoice {
  readonly id: string;
  readonly label: string;
}

/** One view, rendered in the conversation's language. */
export interface ApiView {
  readonly kind: ViewKind;
  readonly state: string;
  readonly question?: string;
  readonly lang: string;
  /** A one-off notice (a correction, a confirmation), already rendered. */
  readonly notice?: string;
  /** The notice and the body as plain text. */
  readonly text: string;
  readonly blocks: readonly ApiBlock[];
  readonly choices: readonly ApiChoice[];
  readonly decision?: Decision;
  readonly brand?: Brand;
}

export interface Brand {
  readonly name: string;
  readonly contact?: string;
}

/** `POST /api/sessions`, `GET /api/sessions/:id`. */
export interface SessionReply {
  readonly id: string;
  readonly seq: number;
  readonly view: ApiView;
}

/** `POST /api/sessions/:id/messages`. */
export interface MessageReply extends SessionReply {
  readonly erased: boolean;
}

export type Command = 'back' | 'restart' | 'summary' | 'help' | 'language' | 'delete';

/** What a person sends. */
export type Message =
  | { readonly text: string }
  | { readonly choice: string; readonly seq?: number }
  | { readonly command: Command; readonly lang?: Lang };

/** `GET /api/sessions/:id/debug` (staff). */
export interface DebugReply {
  readonly state: string;
  readonly current: string | null;
  readonly answers: Readonly<Record<string, unknown>>;
  readonly unknown: readonly string[];
  readonly approximateAge: boolean;
  readonly asOf: string;
  readonly policy: string;
  readonly profile: Readonly<Record<string, unknown>> | null;
  readonly decision: Decision | null;
  readonly stored: unknown;
}

/** `GET /api/sessions/:id/summary`. */
export interface SummaryReply {
  readonly answers: readonly { question: string; label: string; answer: string }[];
}

/** `GET /api/config`. */
export interface ConfigReply {
  readonly brand: Brand | null;
  readonly languages: readonly string[];
  readonly staff: boolean;
}
