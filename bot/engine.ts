/**
 * The engine: the one place that loads a stored conversation, applies one input, stores it and
 * returns the view to show. Every channel (terminal, Telegram, HTTP) goes through it.
 */
import {
  restoreConversation,
  startConversation,
  stepConversation,
  storeConversation,
} from '../machines/conversation.js';
import type { ConsultationEvent } from '../machines/events.js';
import { interpret } from '../machines/interpret.js';
import type { Choice, View } from '../machines/view.js';
import type { ConsultationSnapshot } from '../machines/views.js';
import { viewOf } from '../machines/views.js';
import { POLICY_TIME_ZONE, todayIn } from '../rules/index.js';
import { createI18n, createRenderer, DEFAULT_LANG, type I18n, isLang, LANGUAGES, type Lang } from './i18n.js';
import type { ConversationStore } from './storage/store.js';

/** What a person sent: typed text, a tapped choice (by id), or a command. */
export type Input =
  | { readonly text: string }
  | { readonly choice: string }
  | { readonly command: Extract<ConsultationEvent, { type: 'COMMAND' }>['command']; readonly lang?: string };

/** Options of {@link Engine}. */
export interface EngineOptions {
  readonly store: ConversationStore;
  /** Today's date `YYYY-MM-DD`; default: today in Asia/Shanghai. */
  readonly today?: () => string;
  /** Policy edition for new conversations. */
  readonly policy?: string;
  /** Sentences (with any agency overrides); used to match typed labels. */
  readonly i18n?: I18n;
}

/** The outcome of one input. */
export interface Turn {
  readonly view: View;
  /** True when the conversation was erased (the `delete` command). */
  readonly erased: boolean;
  /** How the conversation was loaded: new, as stored, or rebuilt from its answers. */
  readonly loaded: 'new' | 'restored' | 'rebuilt';
}

/** Runs conversations over a {@link ConversationStore}. */
export class Engine {
  readonly #store: ConversationStore;
  readonly #today: () => string;
  readonly #policy: string | undefined;
  readonly #labels: Map<string, readonly string[]> = new Map();
  readonly i18n: I18n;

  constructor(options: EngineOptions) {
    this.#store = options.store;
    this.#today = options.today ?? (() => todayIn(POLICY_TIME_ZONE));
    this.#policy = options.policy;
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

  async #load(key: string, lang: Lang): Promise<{ snapshot: ConsultationSnapshot; loaded: Turn['loaded'] }> {
    const asOf = this.#today();
    const stored = await this.#store.get(key);
    const input = { asOf, lang, ...(this.#policy ? { policy: this.#policy } : {}) };
    if (stored === undefined) return { snapshot: startConversation(input), loaded: 'new' };
    const restored = restoreConversation(stored, asOf, input);
    return { snapshot: restored.snapshot, loaded: restored.how };
  }

  /**
   * The current view of `key`'s conversation, starting one if there is none. `lang` is the language
   * for a new conversation (e.g. the person's Telegram language).
   */
  async current(key: string, lang: string = DEFAULT_LANG): Promise<Turn> {
    const { snapshot, loaded } = await this.#load(key, isLang(lang) ? lang : DEFAULT_LANG);
    if (loaded !== 'restored') await this.#store.set(key, storeConversation(snapshot));
    return { view: viewOf(snapshot), erased: false, loaded };
  }

  /** Applies one input to `key`'s conversation, stores it, and returns what to show. */
  async send(key: string, input: Input, lang: string = DEFAULT_LANG): Promise<Turn> {
    const { snapshot, loaded } = await this.#load(key, isLang(lang) ? lang : DEFAULT_LANG);
    const event: ConsultationEvent =
      'text' in input
        ? interpret(input.text, viewOf(snapshot), this.labelsOf)
        : 'choice' in input
          ? { type: 'CHOOSE', id: input.choice }
          : { type: 'COMMAND', command: input.command, ...(input.lang ? { lang: input.lang } : {}) };
    const next = stepConversation(snapshot, event);
    const view = viewOf(next);
    if (view.kind === 'deleted') {
      await this.#store.delete(key);
      return { view, erased: true, loaded };
    }
    await this.#store.set(key, storeConversation(next));
    return { view, erased: false, loaded };
  }

  /** Erases `key`'s conversation. */
  async erase(key: string): Promise<void> {
    await this.#store.delete(key);
  }
}
