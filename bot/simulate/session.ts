/**
 * One simulated person talking to the engine, in memory: what the terminal simulator, the script
 * runner and the JSONL mode share.
 */
import type { View } from '../../machines/view.js';
import { Engine, type Input } from '../engine.js';
import { createI18n, createRenderer, type I18n, isLang, type Lang, type Renderer } from '../i18n.js';
import { MemoryStore } from '../storage/store.js';

/** The conversation key of the simulated person. */
const KEY = 'simulator';

/** A simulated conversation. */
export class SimulatedChat {
  readonly engine: Engine;
  readonly store = new MemoryStore();
  readonly #i18n: I18n;
  #lang: Lang;
  view: View | undefined;

  constructor(options: { lang: Lang; asOf: string; i18n?: I18n }) {
    this.#i18n = options.i18n ?? createI18n();
    this.#lang = options.lang;
    this.engine = new Engine({ store: this.store, today: () => options.asOf, i18n: this.#i18n });
  }

  /** The first view (consent). */
  async open(): Promise<View> {
    this.view = (await this.engine.current(KEY, this.#lang)).view;
    return this.view;
  }

  /** Sends a typed message or a tapped choice. */
  async send(input: Input): Promise<View> {
    const turn = await this.engine.send(KEY, input, this.#lang);
    this.view = turn.view;
    if (isLang(turn.view.lang)) this.#lang = turn.view.lang;
    return turn.view;
  }

  /** A renderer in the conversation's current language. */
  renderer(): Renderer {
    return createRenderer(this.#lang, this.#i18n);
  }
}
