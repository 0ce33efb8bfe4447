/**
 * Web sessions: conversations of the HTTP API, kept in the same {@link ConversationStore} as the
 * bot's under `web:<id>`, and run by the same {@link Engine}. The id (128 random bits, base64url) is
 * the only thing that designates a session: whoever holds it can continue, read or delete it.
 */
import { randomBytes } from 'node:crypto';
import type { StoredConversation } from '../../machines/conversation.js';
import { restoreConversation } from '../../machines/conversation.js';
import { answerParam } from '../../machines/display.js';
import { QUESTION_IDS } from '../../machines/questions.js';
import { profileFrom } from '../../machines/relevance.js';
import type { Param } from '../../machines/view.js';
import { type ConsultationSnapshot, decisionOf, viewOf } from '../../machines/views.js';
import {
  ageOn,
  type Decision,
  POLICY_TIME_ZONE,
  type Profile,
  parseIsoDate,
  todayIn,
} from '../../rules/index.js';
import { Engine, type Input, type Turn } from '../engine.js';
import { createRenderer, type I18n, isLang, type Lang } from '../i18n.js';
import type { ConversationStore } from '../storage/store.js';
import { KeyedQueue } from './rate-limit.js';

/** The store key prefix of web sessions. */
export const SESSION_PREFIX = 'web';

/** What a session id looks like: 16 random bytes in base64url. */
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** Engines kept for sessions with a fixed date before the cache is emptied. */
const MAX_ENGINES = 64;

/** A new session id: 128 random bits. */
export function newSessionId(): string {
  return randomBytes(16).toString('base64url');
}

/** One answer of the summary, rendered. */
export interface SummaryEntry {
  readonly question: string;
  readonly label: string;
  readonly answer: string;
}

/** What the staff simulator sees of a session. */
export interface SessionDebug {
  readonly state: string;
  readonly current: string | null;
  readonly answers: Readonly<Record<string, unknown>>;
  readonly unknown: readonly string[];
  readonly approximateAge: boolean;
  readonly asOf: string;
  readonly policy: string;
  readonly profile: Profile | null;
  readonly decision: Decision | null;
  readonly stored: StoredConversation;
}

/** Options of {@link Sessions}. */
export interface SessionsOptions {
  readonly store: ConversationStore;
  readonly i18n: I18n;
  /** The language of a session created without one. */
  readonly lang: Lang;
  /** Today's date `YYYY-MM-DD` for sessions without a fixed date; default today in Asia/Shanghai. */
  readonly today?: () => string;
  /** Policy edition of new sessions. */
  readonly policy?: string;
}

/** Web sessions over a store. Every method resolves undefined for a session that does not exist. */
export class Sessions {
  readonly #store: ConversationStore;
  readonly #i18n: I18n;
  readonly #lang: Lang;
  readonly #today: () => string;
  readonly #policy: string | undefined;
  readonly #engines = new Map<string, Engine>();
  readonly #queue = new KeyedQueue();
  readonly #engine: Engine;

  constructor(options: SessionsOptions) {
    this.#store = options.store;
    this.#i18n = options.i18n;
    this.#lang = options.lang;
    this.#today = options.today ?? (() => todayIn(POLICY_TIME_ZONE));
    this.#policy = options.policy;
    this.#engine = this.#newEngine(this.#today);
  }

  #newEngine(today: () => string): Engine {
    return new Engine({
      store: this.#store,
      i18n: this.#i18n,
      today,
      ...(this.#policy ? { policy: this.#policy } : {}),
    });
  }

  /** The engine of a session: decided for its fixed date, or for today. */
  #engineFor(asOf: string | undefined): Engine {
    if (asOf === undefined) return this.#engine;
    let engine = this.#engines.get(asOf);
    if (!engine) {
      if (this.#engines.size >= MAX_ENGINES) this.#engines.clear();
      engine = this.#newEngine(() => asOf);
      this.#engines.set(asOf, engine);
    }
    return engine;
  }

  /** The store key of a session id, or undefined when it cannot be one. */
  #key(id: string): string | undefined {
    return ID_PATTERN.test(id) ? `${SESSION_PREFIX}:${id}` : undefined;
  }

  async #stored(id: string): Promise<{ key: string; stored: StoredConversation; asOf?: string } | undefined> {
    const key = this.#key(id);
    if (key === undefined) return undefined;
    const stored = await this.#store.get(key);
    if (stored === undefined) return undefined;
    const asOf = stored.meta?.asOf;
    return typeof asOf === 'string' ? { key, stored, asOf } : { key, stored };
  }

  /** Starts a session (the consent view). */
  async create(options: { lang?: Lang; asOf?: string } = {}): Promise<{ id: string; turn: Turn }> {
    const id = newSessionId();
    const key = `${SESSION_PREFIX}:${id}`;
    const engine = this.#engineFor(options.asOf);
    const turn = await engine.current(key, options.lang ?? this.#lang);
    if (options.asOf !== undefined) await engine.remember(key, { asOf: options.asOf });
    return { id, turn };
  }

  /** The current view. */
  async current(id: string): Promise<Turn | undefined> {
    const found = await this.#stored(id);
    if (!found) return undefined;
    return this.#queue.run(found.key, () => this.#engineFor(found.asOf).current(found.key, this.#lang));
  }

  /** Applies one input (in order with the session's other inputs). */
  async send(id: string, input: Input): Promise<Turn | undefined> {
    const key = this.#key(id);
    if (key === undefined) return undefined;
    return this.#queue.run(key, async () => {
      const found = await this.#stored(id);
      if (!found) return undefined;
      return this.#engineFor(found.asOf).send(key, input, this.#lang);
    });
  }

  /** Erases a session (nothing happens when there is none). */
  async delete(id: string): Promise<void> {
    const key = this.#key(id);
    if (key !== undefined) await this.#queue.run(key, () => this.#store.delete(key));
  }

  /** The session as the machine sees it, without changing what is stored. */
  async #snapshot(
    id: string,
  ): Promise<{ snapshot: ConsultationSnapshot; stored: StoredConversation } | undefined> {
    const found = await this.#stored(id);
    if (!found) return undefined;
    const asOf = found.asOf ?? this.#today();
    const { snapshot } = restoreConversation(found.stored, asOf, {
      asOf,
      lang: found.stored.lang,
      ...(this.#policy ? { policy: this.#policy } : {}),
    });
    return { snapshot, stored: found.stored };
  }

  /** The answers given so far, in the order of the questions, rendered in the session's language. */
  async summary(id: string): Promise<SummaryEntry[] | undefined> {
    const found = await this.#snapshot(id);
    if (!found) return undefined;
    const { context } = found.snapshot;
    const renderer = createRenderer(isLang(context.lang) ? context.lang : this.#lang, this.#i18n);
    return QUESTION_IDS.filter((q) => context.answers[q] !== undefined).map((q) => {
      const value = context.answers[q];
      const shown: Param =
        q === 'birthDate' && context.approximateAge
          ? approximateAge(String(value), context.asOf)
          : answerParam(q, value, context.unknown.includes(q));
      return {
        question: q,
        label: renderer.render({ key: `question.${q}.short` }),
        answer: renderer.render({ key: 'http.value', params: { value: shown } }),
      };
    });
  }

  /** Everything about a session, for the staff simulator. */
  async debug(id: string): Promise<SessionDebug | undefined> {
    const found = await this.#snapshot(id);
    if (!found) return undefined;
    const { snapshot, stored } = found;
    const { context } = snapshot;
    const known = context.answers.birthDate !== undefined && context.answers.education !== undefined;
    return {
      state: viewOf(snapshot).state,
      current: context.current,
      answers: context.answers,
      unknown: context.unknown,
      approximateAge: context.approximateAge,
      asOf: context.asOf,
      policy: context.policy,
      profile: known ? profileFrom(context.answers) : null,
      decision: known ? decisionOf(context) : null,
      stored,
    };
  }
}

/** A birth date derived from an age, shown as that age (as the summary view shows it). */
function approximateAge(birthDate: string, asOf: string): Param {
  const birth = parseIsoDate(birthDate);
  const on = parseIsoDate(asOf);
  return birth && on
    ? { t: 'summary.approximateAge', params: { age: ageOn(birth, on) } }
    : { date: birthDate };
}
