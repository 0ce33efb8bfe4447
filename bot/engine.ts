/**
 * The engine: the one place that loads a stored conversation, applies one input, stores it and
 * returns the view to show. Every channel (terminal, Telegram, HTTP) goes through it.
 */

import { MACHINE_VERSION } from '../machines/consultation.js';
import {
  restoreConversation,
  type StoredConversation,
  startConversation,
  stepConversation,
  storeConversation,
} from '../machines/conversation.js';
import type { ConsultationEvent } from '../machines/events.js';
import { interpret } from '../machines/interpret.js';
import { type Choice, text, type View } from '../machines/view.js';
import type { ConsultationSnapshot } from '../machines/views.js';
import { viewOf } from '../machines/views.js';
import { POLICY_TIME_ZONE, todayIn } from '../rules/index.js';
import { createI18n, createRenderer, DEFAULT_LANG, type I18n, isLang, LANGUAGES, type Lang } from './i18n.js';
import type { Committed, ConversationStore, Loaded, UpdateRef } from './storage/store.js';

/** What a person sent: typed text, a tapped choice (by id), or a command. */
export type Input =
  | { readonly text: string }
  /** A tapped choice; `seq` is the turn of the view that showed it (omit it to skip the staleness check). */
  | { readonly choice: string; readonly seq?: number }
  /** Show the current view again (e.g. Telegram's `/start`); its buttons get a new turn. */
  | { readonly show: true }
  | { readonly command: Extract<ConsultationEvent, { type: 'COMMAND' }>['command']; readonly lang?: string };

/** Options of {@link Engine}. */
export interface EngineOptions {
  readonly store: ConversationStore;
  /** Today's date `YYYY-MM-DD`; default: today in Asia/Shanghai. */
  readonly today?: () => string;
  /** The clock, for the consent time; default: the system clock. */
  readonly now?: () => Date;
  /** Policy edition for new conversations. */
  readonly policy?: string;
  /** Sentences (with any agency overrides); used to match typed labels. */
  readonly i18n?: I18n;
}

/** What a channel keeps with a conversation. */
export type Meta = Readonly<Record<string, string | number>>;

/** The outcome of one input. */
export interface Turn {
  readonly view: View;
  /** True when the conversation was erased (the `delete` command). */
  readonly erased: boolean;
  /** How the conversation was loaded: new, as stored, or rebuilt from its answers. */
  readonly loaded: 'new' | 'restored' | 'rebuilt';
  /** True when the update was already processed (a redelivery): nothing changed, answer nothing. */
  readonly duplicate: boolean;
  /** The turn number of `view`: buttons of this view carry it. */
  readonly seq: number;
  /** True when a tapped choice belonged to an older view: nothing changed, the current view is shown. */
  readonly stale: boolean;
  /** What the channel stored with the conversation before this input. */
  readonly meta: Meta;
}

/**
 * How many conversations' live snapshots the engine keeps between turns. A turn whose stored `seq`
 * matches skips parsing and checking the snapshot again (with a store that has `load`, the stored
 * data is not even read: one small look-up of `seq` and the recent update ids, or none at all when
 * the store checks at the commit, see {@link Committed}); the store stays the source of truth: a row
 * erased or rewritten behind the engine (retention purge, `/delete` from another channel) reads as
 * absent or as written, and the turn is done on that, whatever the engine holds.
 *
 * The conversations of the last few minutes are what it is for. Each one kept costs memory: its
 * snapshot (views are derived afresh; the stored record only until a commit with a channel update),
 * measured ~3 KB each, at the result too: 2,000 of them, ~6 MB; the least recently used go first.
 *
 * **WARNING:** assumes one process writes a store (as SQLite's WAL mode does anyway); with several
 * writers, a stale cached snapshot would be detected only by its `seq`.
 */
export const LIVE_CACHE_SIZE = 2_000;

/** {@link Live.record} of a conversation stored by a commit with a channel update. */
const COMMITTED = Symbol('committed');

/** The live record of a conversation this process stored last (see {@link LIVE_CACHE_SIZE}). */
interface Live {
  readonly seq: number;
  readonly snapshot: ConsultationSnapshot;
  /**
   * The record as stored, which saves a read when the channel's meta is written at once
   * ({@link Engine.remember}); {@link COMMITTED} when it was stored by a commit with a channel update,
   * whose meta waits for the next commit instead (the record would only be held, and every object of
   * it copied by the garbage collector for as long as the conversation stays live); undefined for a
   * conversation not stored (before consent, see {@link beforeConsent}), kept here alone with its
   * channel meta until it is stored or forgotten.
   */
  readonly record: StoredConversation | typeof COMMITTED | undefined;
  /** The channel's meta: as stored, or as remembered since (see {@link Engine.remember}). */
  meta: Meta;
  /** Stored by a commit with a channel update: {@link Engine.remember} may leave it to the next one. */
  readonly committed: boolean;
}

/** Options of {@link Engine.send}. */
export interface SendOptions {
  /**
   * The channel update this input came in. When given, the update is recorded in the same
   * transaction as its effect, and a redelivery of it changes nothing (`duplicate` in the turn).
   *
   * **WARNING:** with an update, a conversation that is not stored and stays before consent (the
   * welcome, help, declining) is not stored either, nor is its update: nothing is kept about a person
   * before they agree. A redelivery of such an update is answered again, and the conversation is
   * held by this process alone until consent (lost on a restart; `seq` 0 meanwhile).
   */
  readonly update?: UpdateRef;
}

/** A loaded turn taken from the engine's live record of it (nothing read from the store). */
function fromLive(live: Live, processed: boolean) {
  return { snapshot: live.snapshot, loaded: 'restored' as const, seq: live.seq, meta: live.meta, processed };
}

/** A settled promise, for a call that has nothing to wait for. */
const DONE: Promise<void> = Promise.resolve();

/**
 * True when `snapshot`, of a conversation that is not stored, holds nothing worth storing: it has
 * not got past consent (asked, or declined) and its language is the one a new conversation gets.
 * Such a turn stores nothing, so nothing is kept about a person who has not agreed (a language
 * they picked is kept, so that the choice holds).
 */
function beforeConsent(snapshot: ConsultationSnapshot, lang: Lang): boolean {
  return (snapshot.value === 'consent' || snapshot.value === 'declined') && snapshot.context.lang === lang;
}

/** Runs conversations over a {@link ConversationStore}. */
export class Engine {
  readonly #store: ConversationStore;
  readonly #today: () => string;
  readonly #policy: string | undefined;
  readonly #now: () => Date;
  readonly #live = new Map<string, Live>();
  readonly #labels: Map<string, readonly string[]> = new Map();
  readonly i18n: I18n;

  constructor(options: EngineOptions) {
    this.#store = options.store;
    this.#today = options.today ?? (() => todayIn(POLICY_TIME_ZONE));
    this.#policy = options.policy;
    this.#now = options.now ?? (() => new Date());
    this.i18n = options.i18n ?? createI18n();
  }

  /** The labels of a choice in every language (cached: labels do not change while running). */
  labelsOf = (choice: Choice): readonly string[] => {
    const cacheKey = JSON.stringify(choice.label);
    let labels = this.#labels.get(cacheKey);
    if (!labels) {
      labels = LANGUAGES.map((lang) => createRenderer(lang, this.i18n).render(choice.label));
      this.#labels.set(cacheKey, labels);
    }
    return labels;
  };

  /**
   * Loads `key`'s conversation and, with `update`, whether that update was already processed: one
   * look-up through {@link ConversationStore.load} when the store has it. When this process holds the
   * live snapshot of the stored turn, the stored data is not read or parsed again.
   */
  async #load(key: string, lang: Lang, update?: UpdateRef, asOf = this.#today(), live = this.#live.get(key)) {
    const useLive = live !== undefined && live.snapshot.context.asOf === asOf;
    if (this.#store.load) {
      const found = await this.#store.load(key, useLive ? { update, seq: live.seq } : { update });
      return this.#loaded(found, asOf, lang, useLive ? live : undefined);
    }
    const stored = await this.#store.get(key);
    const processed = update ? await this.#store.hasUpdate(update, key) : false;
    return this.#loadedOf(stored, processed, asOf, lang, useLive ? live : undefined);
  }

  /** {@link Engine.#load}'s turn from what the store's `load` found (`live`: of today, if any). */
  #loaded(found: Loaded, asOf: string, lang: Lang, live: Live | undefined) {
    if (found.found && 'unchanged' in found && live !== undefined) return fromLive(live, found.processed);
    const stored = found.found && 'conversation' in found ? found.conversation : undefined;
    return this.#loadedOf(stored, found.processed, asOf, lang, live);
  }

  /** {@link Engine.#load}'s turn from the stored record (`live`: of today, if any). */
  #loadedOf(
    stored: StoredConversation | undefined,
    processed: boolean,
    asOf: string,
    lang: Lang,
    live: Live | undefined,
  ) {
    const useLive = live !== undefined;
    const input = this.#policy ? { asOf, lang, policy: this.#policy } : { asOf, lang };
    if (stored === undefined)
      return useLive && live.record === undefined
        ? // Not stored (before consent): what this process holds of it, the channel's meta included.
          { snapshot: live.snapshot, loaded: 'new' as const, seq: 0, meta: live.meta, processed }
        : { snapshot: startConversation(input), loaded: 'new' as const, seq: 0, meta: {}, processed };
    if (useLive && live.seq === (stored.seq ?? 0) && stored.v === MACHINE_VERSION)
      // The snapshot this process stored last for this turn: no need to parse and check it again.
      return fromLive(live, processed);
    const restored = restoreConversation(stored, asOf, input);
    return {
      snapshot: restored.snapshot,
      loaded: restored.how,
      seq: stored.seq ?? 0,
      meta: stored.meta ?? {},
      processed,
    };
  }

  /** Remembers the live snapshot of a turn this process stored (see {@link LIVE_CACHE_SIZE}). */
  #keep(
    key: string,
    seq: number,
    snapshot?: ConsultationSnapshot,
    record?: StoredConversation,
    committed = false,
  ): void {
    if (!snapshot || !record) this.#live.delete(key);
    else
      this.#hold(key, {
        seq,
        snapshot,
        record: committed ? COMMITTED : record,
        meta: record.meta ?? {},
        committed,
      });
  }

  /**
   * Sets `key`'s live record as the most recently used, forgetting the least recently used past
   * {@link LIVE_CACHE_SIZE}.
   */
  #hold(key: string, live: Live): void {
    this.#live.delete(key);
    this.#live.set(key, live);
    if (this.#live.size > LIVE_CACHE_SIZE) {
      const oldest = this.#live.keys().next();
      if (!oldest.done) this.#live.delete(oldest.value);
    }
  }

  #record(snapshot: ConsultationSnapshot, seq: number, meta: Meta): StoredConversation {
    // A new object every call (`storeConversation` builds it): completed in place rather than copied.
    const stored = storeConversation(snapshot) as {
      -readonly [K in keyof StoredConversation]: StoredConversation[K];
    };
    stored.seq = seq;
    for (const _ in meta) {
      stored.meta = meta;
      break;
    }
    return stored;
  }

  /**
   * The current view of `key`'s conversation, starting one if there is none. `lang` is the language
   * for a new conversation (e.g. the person's Telegram language).
   */
  async current(key: string, lang: string = DEFAULT_LANG): Promise<Turn> {
    const { snapshot, loaded, seq, meta } = await this.#load(key, isLang(lang) ? lang : DEFAULT_LANG);
    if (loaded !== 'restored') {
      const record = this.#record(snapshot, seq, meta);
      await this.#store.set(key, record);
      this.#keep(key, seq, snapshot, record);
    } else this.#store.loaded?.(key);
    return { view: viewOf(snapshot), erased: false, loaded, seq, stale: false, duplicate: false, meta };
  }

  /**
   * Applies one input to `key`'s conversation, stores it, and returns what to show. With a channel
   * update, a conversation before consent is not stored (see {@link SendOptions.update}).
   */
  send(key: string, input: Input, lang: string = DEFAULT_LANG, options: SendOptions = {}): Promise<Turn> {
    return this.#send(key, input, lang, options, true);
  }

  /**
   * {@link Engine.send}. `again`: when the store finds, at the commit, that the record changed since
   * its look-up answered `unchanged` (`'stale'`), forget the live copy and do the turn once more on
   * the record as stored.
   */
  async #send(key: string, input: Input, lang: string, options: SendOptions, again: boolean): Promise<Turn> {
    try {
      return await this.#apply(key, input, lang, options, again);
    } catch (error) {
      // The turn writes nothing: a store that held anything open for it lets go.
      this.#store.loaded?.(key);
      throw error;
    }
  }

  async #apply(key: string, input: Input, lang: string, options: SendOptions, again: boolean): Promise<Turn> {
    const { update } = options;
    const language = isLang(lang) ? lang : DEFAULT_LANG;
    const asOf = this.#today();
    const live = this.#live.get(key);
    // What #load does, without its own promise, for the usual turn: this process stored the
    // conversation's last turn today, and the store answers `unchanged`.
    const { snapshot, loaded, seq, meta, processed } =
      live !== undefined && live.snapshot.context.asOf === asOf && this.#store.load
        ? this.#loaded(await this.#store.load(key, { update, seq: live.seq }), asOf, language, live)
        : await this.#load(key, language, update, asOf, live);
    if (processed) {
      this.#store.loaded?.(key);
      return { loaded, meta, duplicate: true, stale: false, erased: false, view: viewOf(snapshot), seq };
    }
    if ('choice' in input && input.seq !== undefined && input.seq !== seq) {
      // A button of an older view (or of a conversation since restarted): change nothing, say so.
      this.#store.loaded?.(key);
      const view = { ...viewOf(snapshot), notice: text('notice.moved-on') };
      return { loaded, meta, duplicate: false, stale: true, erased: false, view, seq };
    }
    // The view of the loaded state is needed only to read typed text against its choices.
    const event: ConsultationEvent | undefined =
      'show' in input
        ? undefined
        : 'text' in input
          ? interpret(input.text, viewOf(snapshot), this.labelsOf)
          : 'choice' in input
            ? { type: 'CHOOSE', id: input.choice }
            : { type: 'COMMAND', command: input.command, ...(input.lang ? { lang: input.lang } : {}) };
    const next = event ? stepConversation(snapshot, event) : snapshot;
    const erased = next.value === 'deleted';
    // Consent is recorded with its time, the moment it is given (the conversation went on to `active`).
    const consented = snapshot.value === 'consent' && typeof next.value === 'object';
    const nextMeta: Meta = consented ? { ...meta, consentedAt: this.#now().toISOString() } : meta;
    if (update !== undefined && loaded === 'new' && beforeConsent(next, language)) {
      // Nothing about the person is stored before they agree: the turn writes nothing. The
      // conversation is held in this process alone (with the message that shows its buttons).
      this.#store.loaded?.(key);
      this.#hold(key, { seq: 0, snapshot: next, record: undefined, meta, committed: true });
      return { loaded, meta, duplicate: false, stale: false, erased: false, view: viewOf(next), seq: 0 };
    }
    const stored = erased ? undefined : this.#record(next, seq + 1, nextMeta);
    if (update) {
      const committed = await this.#store.commit(key, stored, update);
      if (committed === 'stale') {
        // Written by someone else since the look-up: the live copy is not the stored record.
        this.#live.delete(key);
        if (!again) throw new Error("the store answered 'stale' twice for one update");
        return this.#apply(key, input, lang, options, false);
      }
      if (!committed)
        return { loaded, meta, duplicate: true, stale: false, erased: false, view: viewOf(snapshot), seq };
    } else if (stored) await this.#store.set(key, stored);
    else await this.#store.delete(key);
    this.#keep(key, seq + 1, erased ? undefined : next, stored, update !== undefined);
    // The view after the commit: a result's (the decision, presented) is made outside the transaction.
    const view = viewOf(next);
    // The same keys in the same order as the other turns (one object shape).
    return {
      loaded,
      meta: nextMeta,
      duplicate: false,
      stale: false,
      erased,
      view,
      seq: erased ? 0 : seq + 1,
    };
  }

  /**
   * Records an update that changes no conversation, so that a redelivery is not answered twice.
   * Resolves false for a redelivery.
   */
  async claim(update: UpdateRef): Promise<boolean> {
    return this.#store.claimUpdate(update);
  }

  /**
   * Stores what a channel keeps with `key`'s conversation (replacing it), e.g. the id of the message
   * that carries the current buttons; the next {@link Engine.send} returns it in `Turn.meta`. Does
   * nothing when there is no conversation.
   *
   * When the conversation's last turn was committed with a channel update (`send` with `update`, as
   * the Telegram handler does), nothing is written now: the meta is kept with the live snapshot and
   * stored with the next commit, which saves a write per update. Otherwise (web sessions, a channel
   * without update ids, no live snapshot) it is written at once.
   *
   * **WARNING:** a deferred meta is lost when the live snapshot is (a restart, an eviction from the
   * {@link LIVE_CACHE_SIZE} cache, the stored record changed by someone else). Use it only for what
   * can be lost: the Telegram keyboard's message id is (buttons of an older view are refused as stale
   * by their `seq` anyway, and at worst an old keyboard is not removed).
   */
  remember(key: string, meta: Meta): Promise<void> {
    const live = this.#live.get(key);
    if (live?.committed) {
      live.meta = meta;
      return DONE;
    }
    return this.#rememberNow(key, meta, live);
  }

  /** {@link Engine.remember} when the meta is written at once. */
  async #rememberNow(key: string, meta: Meta, live: Live | undefined): Promise<void> {
    // The record this process stored last for the conversation saves a read.
    const kept = live?.record;
    const stored = kept !== undefined && kept !== COMMITTED ? kept : await this.#store.get(key);
    if (!stored) return;
    const record = { ...stored, meta };
    await this.#store.set(key, record);
    if (live) this.#keep(key, live.seq, live.snapshot, record);
  }

  /**
   * True when `key` has a conversation: stored, or held by this process before consent (see
   * {@link Engine.send}). A conversation held before consent is lost with the process.
   */
  async has(key: string): Promise<boolean> {
    const live = this.#live.get(key);
    if (live !== undefined && live.record === undefined) return true;
    return (await this.#store.get(key)) !== undefined;
  }

  /** Erases `key`'s conversation. */
  async erase(key: string): Promise<void> {
    this.#keep(key, 0);
    await this.#store.delete(key);
  }
}
