/**
 * The chat widget for agencies' sites:
 *
 * ```html
 * <script src="https://host/widget.js" data-api-key="..." data-lang="zh-CN"></script>
 * ```
 *
 * renders a floating button that opens the consultation in a panel. Everything lives in a shadow
 * root (the site's styles do not reach in, ours do not leak out); the agency's name and contact come
 * from `/api/config`. The conversation goes through the session API with the agency's key and
 * continues across pages of the site for the browser tab (the session id is kept in sessionStorage).
 *
 * Optional attributes: `data-position="left"`, `data-open` (open at once), `data-api` (the API's
 * origin, when it is not where widget.js is served from).
 */
import { Api, ApiError } from '../src/api.js';
import chatCss from '../src/chat.css?inline';
import { ChatView } from '../src/chat.js';
import { h } from '../src/dom.js';
import { t } from '../src/i18n.js';
import type { Brand, Lang, Message, MessageReply, SessionReply } from '../src/types.js';
import { isLang } from '../src/types.js';
import widgetCss from './widget.css?inline';

interface WidgetApi {
  open(): void;
  close(): void;
  readonly element: HTMLElement;
}

declare global {
  interface Window {
    LuohuWidget?: WidgetApi;
  }
}

/** A speech bubble, drawn (no emoji or icon font needed). */
function chatIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '28');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'launcher-icon');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute(
    'd',
    'M12 3C6.9 3 3 6.5 3 10.9c0 2.4 1.2 4.6 3.1 6.1L5.4 21l4.2-2.3c.8.2 1.6.3 2.4.3 5.1 0 9-3.5 9-8.1S17.1 3 12 3Zm-4.5 9.2a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6Zm4.5 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6Zm4.5 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6Z',
  );
  path.setAttribute('fill', '#fff');
  svg.append(path);
  return svg;
}

function ownScript(): HTMLScriptElement | undefined {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  // Loaded asynchronously: find our tag by its file name.
  return [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find((s) =>
    /\/widget\.js(\?|#|$)/.test(s.src),
  );
}

function mount(script: HTMLScriptElement | undefined): WidgetApi {
  const data = script?.dataset ?? {};
  const base = data.api ?? (script?.src ? new URL('.', script.src).href.replace(/\/$/, '') : '');
  const api = new Api({ base, key: data.apiKey ?? '' });
  const initial = data.lang;
  let lang: Lang = isLang(initial) ? initial : initial?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
  const storageKey = `luohu.widget.${base}`;

  const host = h('div', { id: 'luohu-widget', 'data-luohu-widget': '' });
  const shadow = host.attachShadow({ mode: 'open' });

  let session: { id: string; seq: number; erased: boolean } | undefined;
  let brand: Brand | null = null;
  let started = false;
  let busy = false;

  const chat = new ChatView(
    {
      text: (text) => void act({ text }, text),
      choice: (id, seq, shown) => void act({ choice: id, seq }, shown),
      command: (command) => void act({ command }, `/${command}`),
    },
    lang,
  );

  const title = h('strong', { class: 'title', part: 'title' });
  const contact = h('span', { class: 'contact', part: 'contact' });
  const closeButton = h('button', { class: 'close', type: 'button', onclick: () => close() }, '×');
  const panel = h(
    'div',
    { class: 'panel', role: 'dialog', 'aria-modal': 'false', hidden: true, part: 'panel' },
    h(
      'div',
      { class: 'head' },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, '落'),
      h('div', { class: 'who' }, title, contact),
      closeButton,
    ),
    chat.element,
    h('div', { class: 'foot' }, h('span', { class: 'powered' })),
  );
  const launcher = h(
    'button',
    {
      class: 'launcher',
      type: 'button',
      part: 'launcher',
      'aria-expanded': 'false',
      onclick: () => (panel.hidden ? open() : close()),
    },
    chatIcon(),
  );
  const style = h('style', {}, `${chatCss}\n${widgetCss}`);
  const root = h('div', { class: `root ${data.position === 'left' ? 'left' : 'right'}` }, panel, launcher);
  shadow.append(style, root);

  function relabel(): void {
    title.textContent = brand?.name ?? t(lang, 'widget.title');
    contact.textContent = brand?.contact ?? '';
    contact.hidden = !brand?.contact;
    launcher.setAttribute('aria-label', t(lang, 'widget.open'));
    launcher.title = brand?.name ?? t(lang, 'widget.open');
    closeButton.setAttribute('aria-label', t(lang, 'widget.close'));
    panel.setAttribute('aria-label', brand?.name ?? t(lang, 'widget.title'));
    const powered = panel.querySelector('.powered');
    if (powered) powered.textContent = t(lang, 'widget.poweredBy');
    chat.setLang(lang);
  }

  function show(reply: SessionReply | MessageReply): void {
    if (isLang(reply.view.lang) && reply.view.lang !== lang) {
      lang = reply.view.lang;
      relabel();
    }
    if (reply.view.brand && !brand) {
      brand = reply.view.brand;
      relabel();
    }
    chat.bot(reply.view, reply.seq);
  }

  const save = () => {
    try {
      if (session && !session.erased) sessionStorage.setItem(storageKey, session.id);
      else sessionStorage.removeItem(storageKey);
    } catch {
      // Storage blocked: the conversation lasts as long as the page.
    }
  };

  async function begin(): Promise<void> {
    let saved: string | null = null;
    try {
      saved = sessionStorage.getItem(storageKey);
    } catch {
      saved = null;
    }
    if (saved) {
      try {
        const reply = await api.session(saved);
        session = { id: reply.id, seq: reply.seq, erased: false };
        show(reply);
        return;
      } catch {
        // Expired or erased: start again.
      }
    }
    const reply = await api.createSession({ lang });
    session = { id: reply.id, seq: reply.seq, erased: false };
    save();
    show(reply);
  }

  async function act(message: Message, shown: string): Promise<void> {
    if (busy) return;
    busy = true;
    chat.setBusy(true);
    chat.user(shown);
    try {
      if (!session) await begin();
      const current = session as NonNullable<typeof session>;
      let reply: MessageReply;
      try {
        reply = await api.send(current.id, message);
      } catch (error) {
        if (!(current.erased && error instanceof ApiError && (error.status === 404 || error.status === 410)))
          throw error;
        const fresh = await api.createSession({ lang });
        Object.assign(current, { id: fresh.id, seq: fresh.seq, erased: false });
        reply = await api.send(current.id, message);
      }
      current.seq = reply.seq;
      current.erased = reply.erased;
      save();
      show(reply);
    } catch (error) {
      chat.system(
        t(lang, 'chat.error', { error: error instanceof Error ? error.message : String(error) }),
        'error',
      );
    } finally {
      busy = false;
      chat.setBusy(false);
    }
  }

  function open(): void {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    root.classList.add('open');
    if (!started) {
      started = true;
      busy = true;
      chat.setBusy(true);
      begin()
        .catch((error) => {
          started = false;
          chat.system(
            t(lang, 'chat.error', { error: error instanceof Error ? error.message : String(error) }),
            'error',
          );
        })
        .finally(() => {
          busy = false;
          chat.setBusy(false);
          chat.focus();
        });
    } else chat.focus();
  }

  function close(): void {
    panel.hidden = true;
    launcher.setAttribute('aria-expanded', 'false');
    root.classList.remove('open');
    launcher.focus();
  }

  shadow.addEventListener('keydown', (event) => {
    if ((event as KeyboardEvent).key === 'Escape' && !panel.hidden) close();
  });

  relabel();
  api
    .config()
    .then((config) => {
      brand = config.brand;
      relabel();
    })
    .catch(() => {
      // Without the configuration the widget still works, unbranded.
    });

  const attach = () => {
    document.body.append(host);
    if ('open' in data) open();
  };
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach, { once: true });

  return { open, close, element: host };
}

if (!window.LuohuWidget) window.LuohuWidget = mount(ownScript());
