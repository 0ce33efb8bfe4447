/**
 * The staff simulator: the chat as the Telegram bot shows it, and beside it the machine's state,
 * the answers and profile, the live decision with every condition and clause, and the transcript,
 * which exports as a dialogue script (`luohu simulate --script` replays it) and loads back to watch.
 *
 * URL parameters: `lang`, `asOf` (the first session), `ui` (zh-CN|en, the page's chrome), `delay`
 * (ms between replayed steps), `key` (an API key when the server is not in local staff mode).
 */
import './chat.css';
import './simulator.css';
import { Api, ApiError } from './api.js';
import { ChatView } from './chat.js';
import { decisionPanel, profilePanel, showValue, storedPanel } from './debug.js';
import { clear, h, sleep } from './dom.js';
import { type ChromeKey, t } from './i18n.js';
import {
  buildScript,
  type Check,
  checkExpect,
  type Expect,
  expectationOf,
  formatScript,
  parseScript,
  type Script,
  type Step,
  stepInput,
  stepMessage,
} from './script.js';
import type { ApiView, DebugReply, Lang, Message } from './types.js';
import { isLang } from './types.js';

/** One message of the session and what came back. */
interface Entry {
  readonly input: Pick<Step, 'say' | 'tap'>;
  readonly view: ApiView;
  readonly seq: number;
  /** On a replay: the script's expectation and how it went. */
  readonly expect?: Expect;
  readonly checks?: readonly Check[];
}

interface Session {
  id: string;
  seq: number;
  view: ApiView;
  /** The language and date the session started with (the script's `lang` and `asOf`). */
  readonly lang: Lang;
  asOf: string | undefined;
  /** The server erased it (`/delete`): the next message starts a new one, as in `luohu simulate`. */
  erased: boolean;
}

interface Replay {
  readonly script: Script;
  done: number;
  cancelled: boolean;
  finished: boolean;
  startChecks: readonly Check[];
}

type Tab = 'decision' | 'profile' | 'transcript' | 'stored';
const TABS: readonly Tab[] = ['decision', 'profile', 'transcript', 'stored'];

const params = new URLSearchParams(location.search);
const stored = (name: string) => {
  try {
    return localStorage.getItem(`luohu.${name}`) ?? undefined;
  } catch {
    return undefined;
  }
};
const remember = (name: string, value: string) => {
  try {
    localStorage.setItem(`luohu.${name}`, value);
  } catch {
    // Private mode: settings last for the page only.
  }
};

const initialUi = params.get('ui') ?? stored('ui');
let ui: Lang = isLang(initialUi) ? initialUi : 'zh-CN';
const api = new Api({ key: params.get('key') ?? stored('key') ?? '' });

let session: Session | undefined;
let entries: Entry[] = [];
let start: Expect | undefined;
let debug: DebugReply | null = null;
let debugError: string | undefined;
let replay: Replay | undefined;
let tab: Tab = 'decision';
/** Routes the reader folded in the decision panel (all are open at first). */
const closedRoutes = new Set<string>();
let busy = false;

// ---- Chrome ---------------------------------------------------------------------------------

/** Elements whose text is a chrome string, relabelled when the page's language changes. */
const labels: [HTMLElement, ChromeKey, 'text' | 'title' | 'placeholder'][] = [];
const label = <E extends HTMLElement>(
  element: E,
  key: ChromeKey,
  where: 'text' | 'title' | 'placeholder' = 'text',
) => {
  labels.push([element, key, where]);
  return element;
};
function relabel(): void {
  document.documentElement.lang = ui;
  document.title = `Luohu · ${t(ui, 'page.title')}`;
  for (const [element, key, where] of labels) {
    if (where === 'text') element.textContent = t(ui, key);
    else element.setAttribute(where, t(ui, key));
  }
}

const langSelect = h(
  'select',
  { id: 'lang', 'data-testid': 'start-lang' },
  h('option', { value: 'zh-CN' }, '中文'),
  h('option', { value: 'en' }, 'English'),
);
const initialLang = params.get('lang');
langSelect.value = isLang(initialLang) ? initialLang : 'zh-CN';
const asOfInput = h('input', { id: 'asOf', type: 'date', 'data-testid': 'start-asof' });
asOfInput.value = params.get('asOf') ?? '';
const delaySelect = h(
  'select',
  { id: 'delay', 'data-testid': 'replay-delay' },
  ...[0, 150, 400, 800, 1500].map((ms) => h('option', { value: String(ms) }, `${ms} ms`)),
);
delaySelect.value = ['0', '150', '400', '800', '1500'].includes(params.get('delay') ?? '')
  ? (params.get('delay') as string)
  : '400';

const fileInput = h('input', {
  type: 'file',
  accept: '.yaml,.yml,.json,application/json,text/yaml',
  class: 'visually-hidden',
  'data-testid': 'load-script',
  onchange: () => void loadFile(),
});
const stopButton = label(
  h('button', {
    type: 'button',
    class: 'danger',
    hidden: true,
    'data-testid': 'stop',
    onclick: () => stopReplay(),
  }),
  'page.stop',
);
const keyInput = label(
  h('input', { type: 'password', autocomplete: 'off', 'data-testid': 'api-key', size: 16 }),
  'page.keyHint',
  'placeholder',
);
keyInput.value = api.key ?? '';
keyInput.addEventListener('change', () => {
  api.key = keyInput.value.trim() || undefined;
  remember('key', keyInput.value.trim());
});
const uiButton = label(
  h('button', {
    type: 'button',
    class: 'ghost',
    'data-testid': 'ui-lang',
    onclick: () => {
      ui = ui === 'zh-CN' ? 'en' : 'zh-CN';
      remember('ui', ui);
      relabel();
      renderPanels();
    },
  }),
  'page.ui',
);
const staffBadge = h('span', { class: 'badge', hidden: true });
const exportButton = label(
  h('button', {
    type: 'button',
    'data-testid': 'export',
    disabled: true,
    onclick: () => exportScript('yaml'),
  }),
  'page.export',
);
const exportJsonButton = label(
  h('button', {
    type: 'button',
    class: 'ghost',
    'data-testid': 'export-json',
    disabled: true,
    onclick: () => exportScript('json'),
  }),
  'page.exportJson',
);
const keyField = h(
  'form',
  { class: 'field', onsubmit: (event: Event) => event.preventDefault() },
  h('label', { class: 'field' }, label(h('span'), 'page.key'), keyInput),
);

const topbar = h(
  'header',
  { class: 'topbar' },
  h(
    'div',
    { class: 'brand' },
    h('span', { class: 'logo', 'aria-hidden': 'true' }, '落'),
    h('span', { class: 'name' }, 'Luohu'),
    label(h('span', { class: 'title' }), 'page.title'),
    label(h('span', { class: 'subtitle' }), 'page.subtitle'),
    staffBadge,
  ),
  h(
    'div',
    { class: 'controls' },
    h('label', { class: 'field' }, label(h('span'), 'page.lang'), langSelect),
    h('label', { class: 'field' }, label(h('span'), 'page.asOf'), asOfInput),
    label(
      h('button', {
        type: 'button',
        class: 'primary',
        'data-testid': 'new-session',
        onclick: () => {
          stopReplay();
          void run(() => newSession(langSelect.value as Lang, asOfInput.value || undefined));
        },
      }),
      'page.new',
    ),
    h('span', { class: 'sep' }),
    exportButton,
    exportJsonButton,
    label(
      h('button', { type: 'button', 'data-testid': 'load', onclick: () => fileInput.click() }),
      'page.load',
    ),
    fileInput,
    h('label', { class: 'field' }, label(h('span'), 'page.speed'), delaySelect),
    stopButton,
    h('span', { class: 'sep' }),
    keyField,
    uiButton,
  ),
);

const defaultName = () => `web simulator ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`;
const scriptName = h('input', { type: 'text', class: 'script-name', 'data-testid': 'script-name' });
scriptName.value = defaultName();

// ---- Chat -----------------------------------------------------------------------------------

const chat = new ChatView(
  {
    text: (text) => void run(() => send({ text }, text)),
    choice: (id, seq, shown) => void run(() => send({ choice: id, seq }, shown)),
    command: (command) => void run(() => send({ command }, `/${command}`)),
  },
  'zh-CN',
);
const chatLangButtons = (['zh-CN', 'en'] as const).map((lang) =>
  h(
    'button',
    {
      type: 'button',
      'data-lang': lang,
      'data-testid': `chat-lang-${lang}`,
      onclick: () => {
        if (session && !session.erased && lang !== session.view.lang)
          void run(() => send({ command: 'language', lang }, lang === 'en' ? 'English' : '中文'));
      },
    },
    lang === 'en' ? 'EN' : '中',
  ),
);
const chatStatus = h('span', { class: 'chat-status' });
const chatPane = h(
  'section',
  { class: 'chat-pane', 'aria-label': 'chat' },
  h(
    'div',
    { class: 'chat-head' },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, '落'),
    h('div', { class: 'who' }, h('strong', {}, 'Luohu 落户'), chatStatus),
    h('div', { class: 'segmented', role: 'group', 'aria-label': 'language' }, ...chatLangButtons),
  ),
  chat.element,
);

// ---- Debug ----------------------------------------------------------------------------------

const stateStrip = h('dl', { class: 'state', 'data-testid': 'state' });
const tabButtons = TABS.map((name) =>
  label(
    h('button', {
      type: 'button',
      role: 'tab',
      'data-tab': name,
      'data-testid': `tab-${name}`,
      onclick: () => {
        tab = name;
        renderPanels();
      },
    }),
    `page.tab.${name}` as ChromeKey,
  ),
);
const panel = h('div', { class: 'panel', role: 'tabpanel' });
const debugPane = h(
  'section',
  { class: 'debug-pane', 'aria-label': 'debug' },
  stateStrip,
  h('nav', { class: 'tabs', role: 'tablist' }, ...tabButtons),
  panel,
);

document.body.append(topbar, h('main', { class: 'panes' }, chatPane, debugPane));
relabel();

// ---- Behaviour ------------------------------------------------------------------------------

/** Runs one action at a time; errors are shown in the chat, never thrown away silently. */
async function run(action: () => Promise<unknown>): Promise<void> {
  if (busy) return;
  busy = true;
  chat.setBusy(true);
  try {
    await action();
  } catch (error) {
    chat.system(t(chat.lang, 'chat.error', { error: errorText(error) }), 'error');
  } finally {
    busy = false;
    chat.setBusy(false);
    renderPanels();
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function newSession(lang: Lang, asOf: string | undefined): Promise<void> {
  const reply = await api.createSession({ lang, ...(asOf ? { asOf } : {}) });
  session = { id: reply.id, seq: reply.seq, view: reply.view, lang, asOf, erased: false };
  entries = [];
  start = expectationOf(reply.view);
  chat.reset();
  chat.setLang(isLang(reply.view.lang) ? reply.view.lang : lang);
  chat.bot(reply.view, reply.seq);
  await refreshDebug();
  if (session && !session.asOf && debug) session.asOf = debug.asOf;
  chat.focus();
}

/** Sends one message, shows it and the answer, and records it for the script. */
async function send(message: Message, shown: string, expect?: Expect): Promise<Entry> {
  if (!session) await newSession(langSelect.value as Lang, asOfInput.value || undefined);
  const current = session as Session;
  const bubble = chat.user(shown);
  let reply: Awaited<ReturnType<Api['send']>>;
  try {
    reply = await api.send(current.id, message);
  } catch (error) {
    // After `/delete` the server forgets the session: like `luohu simulate`, carry on in a new one.
    if (!(current.erased && error instanceof ApiError && (error.status === 404 || error.status === 410)))
      throw error;
    const lang = isLang(current.view.lang) ? current.view.lang : current.lang;
    const fresh = await api.createSession({ lang, ...(current.asOf ? { asOf: current.asOf } : {}) });
    Object.assign(current, { id: fresh.id, seq: fresh.seq, view: fresh.view, erased: false });
    reply = await api.send(current.id, message);
  }
  current.seq = reply.seq;
  current.view = reply.view;
  current.erased = reply.erased;
  const checks = expect ? checkExpect(expect, reply.view) : undefined;
  const entry: Entry = {
    input: stepInput(message),
    view: reply.view,
    seq: reply.seq,
    ...(expect ? { expect } : {}),
    ...(checks ? { checks } : {}),
  };
  entries.push(entry);
  if (checks) markBubble(bubble, checks);
  if (isLang(reply.view.lang)) chat.setLang(reply.view.lang);
  chat.bot(reply.view, reply.seq);
  if (reply.erased) {
    // The bot's own message says so; the debug pane has nothing left to show.
    debug = null;
    debugError = undefined;
  } else await refreshDebug();
  return entry;
}

function markBubble(bubble: HTMLElement, checks: readonly Check[]): void {
  if (checks.length === 0) return;
  const failed = checks.filter((c) => !c.ok).length;
  bubble.append(
    h(
      'span',
      {
        class: `lh-badge ${failed ? 'lh-badge-fail' : 'lh-badge-pass'}`,
        'data-testid': failed ? 'step-fail' : 'step-pass',
        title: checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.what} ${c.expected}`).join('\n'),
      },
      failed ? `✗ ${failed}/${checks.length}` : `✓ ${checks.length}`,
    ),
  );
}

async function refreshDebug(): Promise<void> {
  if (!session || session.erased) return;
  try {
    debug = await api.debug(session.id);
    debugError = undefined;
  } catch (error) {
    debug = null;
    debugError = errorText(error);
  }
}

/** The session so far as a dialogue script. */
function currentScript(): Script | undefined {
  if (!session || entries.length === 0) return undefined;
  const asOf = session.asOf ?? debug?.asOf ?? entries.find((e) => e.view.decision)?.view.decision?.asOf;
  if (!asOf) return undefined;
  return buildScript({
    name: scriptName.value.trim() || defaultName(),
    lang: session.lang,
    asOf,
    ...(start ? { start } : {}),
    steps: entries.map((e) => ({ ...e.input, expect: expectationOf(e.view) })),
  });
}

function exportScript(format: 'yaml' | 'json'): void {
  const script = currentScript();
  if (!script) return;
  const body = formatScript(script, format);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const file = `luohu-dialogue-${stamp}.${format === 'json' ? 'json' : 'yaml'}`;
  const url = URL.createObjectURL(
    new Blob([body], { type: format === 'json' ? 'application/json' : 'application/yaml' }),
  );
  const link = h('a', { href: url, download: file, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  chat.system(t(ui, 'page.exported', { file }));
}

async function loadFile(): Promise<void> {
  const file = fileInput.files?.[0];
  fileInput.value = '';
  if (!file) return;
  const parsed = parseScript(await file.text());
  if (!parsed.ok) {
    chat.system(`${t(ui, 'page.scriptError')} ${file.name}\n${parsed.problems.join('\n')}`, 'error');
    return;
  }
  await playScript(parsed.script);
}

/** Plays a script: a new session with its language and date, then its steps with a short delay. */
async function playScript(script: Script): Promise<void> {
  stopReplay();
  while (busy) await sleep(20);
  const current: Replay = { script, done: 0, cancelled: false, finished: false, startChecks: [] };
  replay = current;
  tab = 'transcript';
  stopButton.hidden = false;
  langSelect.value = script.lang;
  asOfInput.value = script.asOf;
  scriptName.value = script.name;
  await run(async () => {
    await newSession(script.lang, script.asOf);
    chat.system(t(ui, 'page.replaying', { name: script.name }));
    if (script.start && session) current.startChecks = checkExpect(script.start, session.view);
  });
  for (const step of script.steps) {
    renderPanels();
    await sleep(Number(delaySelect.value));
    while (busy) await sleep(20);
    if (current.cancelled || !session) break;
    const shown =
      step.say ?? session.view.choices.find((c) => c.id === step.tap)?.label ?? `[${step.tap ?? ''}]`;
    let failed = false;
    await run(async () => {
      try {
        await send(stepMessage(step), shown, step.expect);
        current.done++;
      } catch (error) {
        failed = true;
        throw error;
      }
    });
    if (failed) break;
  }
  current.finished = true;
  if (replay === current) stopButton.hidden = true;
  const { passed, total } = tally(current);
  if (current.cancelled) chat.system(t(ui, 'page.replayStopped'));
  else
    chat.system(
      passed === total
        ? t(ui, 'page.replayPass', { passed, total })
        : t(ui, 'page.replayFail', { failed: total - passed, total }),
      passed === total ? 'info' : 'error',
    );
  renderPanels();
}

function stopReplay(): void {
  if (replay && !replay.finished) replay.cancelled = true;
  stopButton.hidden = true;
}

function tally(r: Replay): { passed: number; total: number } {
  const all = [...r.startChecks, ...entries.flatMap((e) => e.checks ?? [])];
  const missing = r.finished && r.done < r.script.steps.length ? 1 : 0;
  return { passed: all.filter((c) => c.ok).length, total: all.length + missing };
}

// ---- Rendering ------------------------------------------------------------------------------

function renderState(): void {
  const view = session?.view;
  const rows: [string, string, string][] = [
    [t(ui, 'page.state'), debug?.state ?? view?.state ?? '—', 'state-value'],
    [t(ui, 'page.question'), debug?.current ?? view?.question ?? '—', 'question-value'],
    [t(ui, 'page.seq'), session ? String(session.seq) : '—', 'seq-value'],
    [t(ui, 'page.langShort'), view?.lang ?? '—', 'lang-value'],
    [t(ui, 'page.asOf'), debug?.asOf ?? session?.asOf ?? '—', 'asof-value'],
    [t(ui, 'page.policy'), debug?.policy ?? '—', 'policy-value'],
    [t(ui, 'page.session'), session ? session.id.slice(0, 12) : '—', 'session-value'],
  ];
  stateStrip.replaceChildren(
    ...rows.map(([term, value, testid]) =>
      h('div', {}, h('dt', {}, term), h('dd', {}, h('code', { 'data-testid': testid }, value))),
    ),
  );
  if (debugError)
    stateStrip.append(h('div', { class: 'error wide' }, t(ui, 'page.debugError', { error: debugError })));
  exportButton.disabled = exportJsonButton.disabled = entries.length === 0;
  chatStatus.textContent = view ? `${view.kind}${view.question ? ` · ${view.question}` : ''}` : '';
  for (const button of chatLangButtons) button.classList.toggle('active', button.dataset.lang === view?.lang);
}

function renderPanels(): void {
  renderState();
  for (const button of tabButtons) {
    const active = button.dataset.tab === tab;
    button.classList.toggle('active', active);
    button.setAttribute('aria-selected', String(active));
  }
  // Keep the reader's place when the same panel is drawn again after a message.
  const scroll = panel.dataset.tab === tab ? panel.scrollTop : 0;
  panel.dataset.tab = tab;
  clear(panel);
  const decision = debug?.decision ?? session?.view.decision ?? null;
  switch (tab) {
    case 'decision':
      panel.append(
        decisionPanel(ui, decision, { provisional: session?.view.kind !== 'result', closed: closedRoutes }),
      );
      break;
    case 'profile':
      panel.append(profilePanel(ui, debug));
      break;
    case 'stored':
      panel.append(storedPanel(debug));
      break;
    case 'transcript':
      panel.append(transcriptPanel());
      break;
  }
  panel.scrollTop = scroll;
}

function checkChip(check: Check): HTMLElement {
  const text = check.ok
    ? `${check.what} ${check.expected}`
    : `${check.what}: ${t(ui, 'page.expected')} ${check.expected}${check.actual ? `, ${t(ui, 'page.actual')} ${check.actual}` : ''}`;
  return h(
    'span',
    {
      class: `chip ${check.ok ? 'good' : 'bad'}`,
      ...(check.partial ? { title: t(ui, 'page.notChecked') } : {}),
    },
    `${check.ok ? '✓' : '✗'} ${text}${check.partial ? ' *' : ''}`,
  );
}

const expectText = (expect: Expect) =>
  Object.entries(expect)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : showValue(v)}`)
    .join(' · ');

function transcriptPanel(): HTMLElement {
  const rows: HTMLElement[] = [];
  if (replay) {
    const { passed, total } = tally(replay);
    rows.push(
      h(
        'div',
        {
          class: `replay-banner ${replay.finished ? (passed === total ? 'good' : 'bad') : ''}`,
          'data-testid': 'replay-status',
        },
        replay.finished
          ? replay.cancelled
            ? t(ui, 'page.replayStopped')
            : passed === total
              ? t(ui, 'page.replayPass', { passed, total })
              : t(ui, 'page.replayFail', { failed: total - passed, total })
          : `${t(ui, 'page.replaying', { name: replay.script.name })} · ${replay.done}/${replay.script.steps.length}`,
      ),
    );
  }
  if (start || replay?.script.start) {
    const checks = replay?.startChecks ?? [];
    rows.push(
      h(
        'li',
        { class: 'step' },
        h('span', { class: 'n' }, '0'),
        h('span', { class: 'input muted' }, t(ui, 'page.start')),
        h(
          'div',
          { class: 'expect' },
          ...(checks.length > 0
            ? checks.map(checkChip)
            : [h('span', { class: 'muted' }, start ? expectText(start) : '')]),
        ),
      ),
    );
  }
  entries.forEach((entry, index) => {
    const input =
      entry.input.say !== undefined
        ? h('span', { class: 'input' }, h('span', { class: 'verb' }, 'say'), entry.input.say)
        : h(
            'span',
            { class: 'input' },
            h('span', { class: 'verb tap' }, 'tap'),
            h('code', {}, entry.input.tap ?? ''),
          );
    rows.push(
      h(
        'li',
        {
          class: `step${entry.checks?.some((c) => !c.ok) ? ' failed' : ''}`,
          'data-testid': 'transcript-step',
        },
        h('span', { class: 'n' }, String(index + 1)),
        input,
        h(
          'div',
          { class: 'expect' },
          ...(entry.checks
            ? entry.checks.length > 0
              ? entry.checks.map(checkChip)
              : [h('span', { class: 'muted' }, '—')]
            : [h('span', { class: 'muted' }, `→ ${expectText(expectationOf(entry.view))}`)]),
        ),
      ),
    );
  });
  if (replay && !replay.finished)
    for (const [i, step] of replay.script.steps.slice(replay.done).entries())
      rows.push(
        h(
          'li',
          { class: 'step pending' },
          h('span', { class: 'n' }, String(replay.done + i + 1)),
          h('span', { class: 'input muted' }, step.say ?? `[${step.tap ?? ''}]`),
          h('div', { class: 'expect muted' }, step.expect ? expectText(step.expect) : ''),
        ),
      );
  const script = currentScript();
  return h(
    'div',
    { class: 'transcript' },
    h(
      'div',
      { class: 'script-bar' },
      scriptName,
      h('span', { class: 'muted' }, t(ui, 'page.steps', { count: entries.length })),
    ),
    entries.length === 0 && !replay ? h('div', { class: 'empty' }, t(ui, 'page.noSteps')) : null,
    h('ol', { class: 'steps' }, ...rows),
    script
      ? h(
          'details',
          { class: 'preview' },
          h('summary', {}, 'YAML'),
          h('pre', { class: 'json' }, formatScript(script, 'yaml')),
        )
      : null,
  );
}

// ---- Start ----------------------------------------------------------------------------------

async function boot(): Promise<void> {
  try {
    const config = await api.config();
    if (config.staff) {
      staffBadge.hidden = false;
      staffBadge.textContent = 'staff';
      // Local staff mode needs no key: keep the field out of the way unless one was set.
      keyField.hidden = !api.key;
    }
  } catch (error) {
    chat.system(t(ui, 'page.apiError', { error: errorText(error) }), 'error');
  }
  await run(() => newSession(langSelect.value as Lang, asOfInput.value || undefined));
}

// For tests and the console: play a script given as text.
declare global {
  interface Window {
    luohu?: { play(source: string): Promise<void>; script(): Script | undefined };
  }
}
window.luohu = {
  play: async (source) => {
    const parsed = parseScript(source);
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    await playScript(parsed.script);
  },
  script: currentScript,
};

void boot();
