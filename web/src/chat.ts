/**
 * The chat, as the Telegram bot shows it: the bot's messages (notice in italics, bold title and
 * headings, marks and numbered steps) with an inline keyboard under the latest one, the person's
 * messages on the right, a command menu and a text box. Shared by the staff page and the widget.
 */
import { h } from './dom.js';
import { commandDescription, t } from './i18n.js';
import type { ApiBlock, ApiView, Command, Lang, Mark } from './types.js';

/** The command menu, in the Telegram bot's menu order (`/start` shows the current view there). */
const MENU: readonly Command[] = ['restart', 'back', 'summary', 'language', 'delete', 'help'];

/** The symbol before a block with a mark (the same as the terminal and Telegram). */
export const MARKS: Readonly<Record<Mark, string>> = { pass: '✓', fail: '✗', na: '–', todo: '→', warn: '!' };

/** What the chat asks its owner to do. */
export interface ChatHandlers {
  /** The person typed a message. */
  text(text: string): void;
  /** The person tapped a button of the view shown at turn `seq`. */
  choice(id: string, seq: number, label: string): void;
  /** The person picked a command from the menu. */
  command(command: Command): void;
}

/** A button row layout like Telegram's: two a row when every label is short, else one. */
export function keyboardRows<T extends { label: string }>(choices: readonly T[]): T[][] {
  const perRow = choices.every((c) => [...c.label].length <= 12) ? 2 : 1;
  const rows: T[][] = [];
  for (let i = 0; i < choices.length; i += perRow) rows.push(choices.slice(i, i + perRow));
  return rows;
}

function blockElement(block: ApiBlock): HTMLElement {
  const prefix =
    block.number !== undefined
      ? h('span', { class: 'lh-num' }, `${block.number}.`)
      : block.mark
        ? h('span', { class: `lh-mark lh-mark-${block.mark}`, 'aria-hidden': 'true' }, MARKS[block.mark])
        : block.kind === 'item'
          ? h('span', { class: 'lh-bullet', 'aria-hidden': 'true' }, '•')
          : null;
  return h(
    'div',
    {
      class: `lh-b lh-b-${block.kind}${prefix ? ' lh-has-prefix' : ''}`,
      ...(block.mark ? { 'data-mark': block.mark } : {}),
    },
    prefix,
    h('span', { class: 'lh-b-text' }, block.text),
  );
}

/** The body of a bot message: the notice, then the blocks (or the plain text when there are none). */
export function viewBody(view: ApiView): HTMLElement {
  const body = h('div', { class: 'lh-body' });
  if (view.notice) body.append(h('div', { class: 'lh-notice' }, view.notice));
  if (view.blocks.length > 0) for (const block of view.blocks) body.append(blockElement(block));
  else if (!view.notice && view.text) body.append(h('div', { class: 'lh-b lh-b-line' }, view.text));
  return body;
}

/** A chat log with an input row. */
export class ChatView {
  readonly element: HTMLElement;
  readonly #log: HTMLElement;
  readonly #input: HTMLInputElement;
  readonly #send: HTMLButtonElement;
  readonly #menuButton: HTMLButtonElement;
  readonly #menu: HTMLElement;
  readonly #handlers: ChatHandlers;
  #lang: Lang;
  #busy = false;

  constructor(handlers: ChatHandlers, lang: Lang) {
    this.#handlers = handlers;
    this.#lang = lang;
    this.#log = h('div', { class: 'lh-log', role: 'log', 'aria-live': 'polite' });
    this.#input = h('input', {
      class: 'lh-input',
      type: 'text',
      autocomplete: 'off',
      enterkeyhint: 'send',
      'data-testid': 'chat-input',
    });
    this.#send = h('button', { class: 'lh-send', type: 'submit', 'data-testid': 'chat-send' });
    this.#menuButton = h('button', {
      class: 'lh-menu-button',
      type: 'button',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'data-testid': 'chat-menu',
      onclick: () => this.#toggleMenu(),
    });
    this.#menu = h('div', { class: 'lh-menu', role: 'menu', hidden: true });
    const form = h(
      'form',
      {
        class: 'lh-compose',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const value = this.#input.value.trim();
          if (!value || this.#busy) return;
          this.#input.value = '';
          this.#handlers.text(value);
        },
      },
      this.#menuButton,
      this.#input,
      this.#send,
    );
    this.element = h('div', { class: 'lh-chat' }, this.#log, this.#menu, form);
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.#closeMenu();
    });
    // A click anywhere else closes the menu (composedPath: the widget's chat is in a shadow root).
    document.addEventListener('click', (event) => {
      const path = event.composedPath();
      if (!this.#menu.hidden && !path.includes(this.#menu) && !path.includes(this.#menuButton))
        this.#closeMenu();
    });
    this.setLang(lang);
  }

  get lang(): Lang {
    return this.#lang;
  }

  /** Switches the chat's own chrome (placeholder, menu) to `lang`. */
  setLang(lang: Lang): void {
    this.#lang = lang;
    this.#input.placeholder = t(lang, 'chat.placeholder');
    this.#input.setAttribute('aria-label', t(lang, 'chat.placeholder'));
    this.#send.textContent = t(lang, 'chat.send');
    this.#menuButton.textContent = `☰ ${t(lang, 'chat.menu')}`;
    this.#menu.replaceChildren(
      h('div', { class: 'lh-menu-title' }, t(lang, 'chat.commands')),
      ...MENU.map((command) =>
        h(
          'button',
          {
            class: 'lh-menu-item',
            type: 'button',
            role: 'menuitem',
            'data-command': command,
            onclick: () => {
              this.#closeMenu();
              if (!this.#busy) this.#handlers.command(command);
            },
          },
          h('span', { class: 'lh-menu-command' }, `/${command}`),
          h('span', { class: 'lh-menu-description' }, commandDescription(lang, command)),
        ),
      ),
    );
  }

  #toggleMenu(): void {
    if (this.#menu.hidden) {
      this.#menu.hidden = false;
      this.#menuButton.setAttribute('aria-expanded', 'true');
    } else this.#closeMenu();
  }

  #closeMenu(): void {
    this.#menu.hidden = true;
    this.#menuButton.setAttribute('aria-expanded', 'false');
  }

  /** Blocks input while a message is on its way. */
  setBusy(busy: boolean): void {
    this.#busy = busy;
    this.element.classList.toggle('lh-busy', busy);
    this.#send.disabled = busy;
    for (const button of this.#log.querySelectorAll<HTMLButtonElement>('.lh-key')) button.disabled = busy;
  }

  /** Empties the log. */
  reset(): void {
    this.#log.replaceChildren();
  }

  /** Focuses the text box. */
  focus(): void {
    this.#input.focus();
  }

  /** Adds the person's message. */
  user(text: string): HTMLElement {
    const message = h('div', { class: 'lh-msg lh-user' }, h('div', { class: 'lh-bubble' }, text));
    return this.#add(message);
  }

  /** Adds the bot's message for a view; its buttons replace the previous message's (as on Telegram). */
  bot(view: ApiView, seq: number): HTMLElement {
    for (const old of this.#log.querySelectorAll('.lh-keyboard')) old.remove();
    const message = h(
      'div',
      {
        class: `lh-msg lh-bot lh-kind-${view.kind}`,
        'data-kind': view.kind,
        ...(view.question ? { 'data-question': view.question } : {}),
      },
      h('div', { class: 'lh-bubble' }, viewBody(view)),
    );
    if (view.choices.length > 0) {
      const keyboard = h('div', { class: 'lh-keyboard' });
      for (const row of keyboardRows(view.choices)) {
        keyboard.append(
          h(
            'div',
            { class: 'lh-row' },
            ...row.map((choice) =>
              h(
                'button',
                {
                  class: 'lh-key',
                  type: 'button',
                  'data-choice': choice.id,
                  onclick: () => {
                    if (!this.#busy) this.#handlers.choice(choice.id, seq, choice.label);
                  },
                },
                choice.label,
              ),
            ),
          ),
        );
      }
      message.append(keyboard);
    }
    return this.#add(message);
  }

  /** Adds a line from the page itself (an error, a replay marker), not from the bot. */
  system(text: string, tone: 'info' | 'error' = 'info'): HTMLElement {
    return this.#add(h('div', { class: `lh-system lh-${tone}` }, text));
  }

  #add(element: HTMLElement): HTMLElement {
    this.#log.append(element);
    // Like a messenger: show the newest message; when it is taller than the log, show its start.
    const log = this.#log;
    log.scrollTop =
      element.offsetHeight > log.clientHeight ? element.offsetTop - 8 : log.scrollHeight - log.clientHeight;
    return element;
  }
}
