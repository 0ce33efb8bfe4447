/**
 * The staff panels beside the chat: the decision with every route's conditions and clauses, the
 * answers and profile collected so far, and the stored conversation. Ids are shown as ids: this is a
 * debugging view of the engine, the chat shows what people read.
 */
import { h } from './dom.js';
import { t } from './i18n.js';
import type { DebugReply, Decision, Lang } from './types.js';

type Scalar = string | number | boolean | null | undefined;

/** A value as staff read it: strings as they are, the rest as JSON, nothing as a dash. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

const metMark = (met: boolean | null) =>
  met === null
    ? h('span', { class: 'mark mark-na', title: 'n/a' }, '–')
    : met
      ? h('span', { class: 'mark mark-pass', title: 'met' }, '✓')
      : h('span', { class: 'mark mark-fail', title: 'not met' }, '✗');

const chip = (text: string, tone = '') => h('span', { class: `chip ${tone}`.trim() }, text);

const section = (title: string, ...children: (Node | null | false)[]) =>
  h('section', { class: 'card' }, h('h3', {}, title), ...children);

const table = (head: readonly string[], rows: readonly (readonly (Node | Scalar)[])[], testid?: string) =>
  h(
    'table',
    { class: 'grid', ...(testid ? { 'data-testid': testid } : {}) },
    h('thead', {}, h('tr', {}, ...head.map((cell) => h('th', {}, cell)))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h('tr', {}, ...row.map((cell) => h('td', {}, cell instanceof Node ? cell : showValue(cell)))),
      ),
    ),
  );

/** The decision: verdict, route, settlement, then each route with its conditions and clauses. */
export function decisionPanel(
  lang: Lang,
  decision: Decision | null | undefined,
  settings: { provisional?: boolean; closed?: Set<string> } = {},
): HTMLElement {
  const closed = settings.closed ?? new Set<string>();
  if (!decision) return h('div', { class: 'empty' }, t(lang, 'page.noDecision'));
  const verdictTone =
    decision.verdict === 'instant' ? 'good' : decision.verdict === 'window-review' ? 'warn' : 'bad';
  const summary = h(
    'div',
    { class: 'verdict', 'data-testid': 'verdict' },
    h(
      'div',
      { class: `verdict-main ${verdictTone}` },
      h('span', { class: 'label' }, t(lang, 'page.verdict')),
      h('strong', { 'data-testid': 'verdict-value' }, decision.verdict),
    ),
    h('dl', { class: 'facts' }, ...fact(t(lang, 'page.route'), decision.route ?? '—', 'route')),
    h(
      'dl',
      { class: 'facts' },
      ...fact(t(lang, 'page.settlement'), decision.settlement.recommended, 'settlement'),
    ),
    h('dl', { class: 'facts' }, ...fact(t(lang, 'page.age'), String(decision.age), 'age')),
    settings.provisional ? h('span', { class: 'provisional' }, t(lang, 'page.provisional')) : null,
  );
  const warnings =
    decision.warnings.length > 0
      ? h(
          'div',
          { class: 'chips' },
          h('span', { class: 'label' }, t(lang, 'page.warnings')),
          ...decision.warnings.map((w) => chip(w, 'warn')),
        )
      : null;

  const outcome = new Map(decision.routes.map((r) => [r.id, r]));
  const routes = decision.explain.routes.map((route) => {
    const until = outcome.get(route.id)?.until ?? null;
    const chosen = route.id === decision.route;
    const details = h(
      'details',
      {
        class: `route ${route.met ? 'met' : 'unmet'}${chosen ? ' chosen' : ''}`,
        'data-route': route.id,
        ...(closed.has(route.id) ? {} : { open: true }),
        ontoggle: (event: Event) => {
          const element = event.currentTarget as HTMLDetailsElement;
          if (element.open) closed.delete(route.id);
          else closed.add(route.id);
        },
      },
      h(
        'summary',
        {},
        metMark(route.met),
        h('code', { class: 'route-id' }, route.id),
        chosen ? chip('★', 'good') : null,
        h(
          'span',
          { class: 'route-meta' },
          route.met
            ? until
              ? t(lang, 'page.until', { date: until })
              : t(lang, 'page.noLimit')
            : route.closedOn
              ? t(lang, 'page.closedOn', { date: route.closedOn })
              : '',
          !route.reachable ? ` · ${t(lang, 'page.unreachable')}` : '',
        ),
        h('code', { class: 'clause' }, route.clause),
      ),
      table(
        [
          '',
          t(lang, 'page.condition'),
          t(lang, 'page.value'),
          t(lang, 'page.threshold'),
          t(lang, 'page.clause'),
        ],
        route.conditions.map((c) => [
          metMark(c.met),
          h('code', {}, c.id),
          c.value,
          c.threshold,
          h('code', { class: 'clause' }, c.clause),
        ]),
        `conditions-${route.id}`,
      ),
      route.changes.length > 0
        ? h(
            'div',
            { class: 'changes' },
            h('span', { class: 'label' }, t(lang, 'page.changes')),
            h(
              'ul',
              {},
              ...route.changes.map((change) =>
                h(
                  'li',
                  {},
                  h('code', {}, change.id),
                  Object.keys(change.params).length > 0
                    ? h('span', { class: 'params' }, ` ${JSON.stringify(change.params)}`)
                    : null,
                ),
              ),
            ),
          )
        : null,
    );
    return details;
  });

  const options = table(
    ['', 'id', t(lang, 'page.clause')],
    decision.settlement.options.map((option) => [
      metMark(option.fits),
      h(
        'span',
        {},
        h('code', {}, option.id),
        option.id === decision.settlement.recommended ? chip('★', 'good') : null,
      ),
      h(
        'code',
        { class: 'clause' },
        decision.explain.settlement.find((s) => s.id === option.id)?.clause ?? '—',
      ),
    ]),
  );

  const explain = decision.explain;
  const notes = h(
    'div',
    { class: 'chips-list' },
    chipRow('ageReading', [`${explain.ageReading} (${explain.ageReadingClause})`]),
    chipRow('deadline', explain.deadline ? [explain.deadline] : []),
    chipRow(
      'alternatives',
      explain.alternatives.map((a) => `${a.id}${a.until ? ` → ${a.until}` : ''}`),
    ),
    chipRow('closest', explain.closest),
    chipRow('unconfirmed', explain.unconfirmed, 'warn'),
    chipRow('notes', explain.notes),
    chipRow('interpretations', explain.interpretations),
    chipRow('laterChanges', explain.laterChanges),
    chipRow('steps', decision.steps),
    chipRow('materials', decision.materials),
  );

  return h(
    'div',
    { class: 'decision' },
    summary,
    warnings,
    section(t(lang, 'page.routes'), ...routes),
    section(t(lang, 'page.options'), options),
    section(`${t(lang, 'page.notes')} · ${decision.policy} · ${decision.asOf}`, notes),
  );
}

function fact(term: string, value: string, testid: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', {}, h('code', { 'data-testid': testid }, value))];
}

function chipRow(name: string, values: readonly string[], tone = ''): HTMLElement | null {
  if (values.length === 0) return null;
  return h(
    'div',
    { class: 'chips' },
    h('span', { class: 'label' }, name),
    ...values.map((v) => chip(v, tone)),
  );
}

/** The answers collected (unknown ones flagged) and the profile the decision is made from. */
export function profilePanel(lang: Lang, debug: DebugReply | null): HTMLElement {
  if (!debug) return h('div', { class: 'empty' }, t(lang, 'page.noAnswers'));
  const answers = Object.entries(debug.answers ?? {});
  const answersCard = section(
    t(lang, 'page.answers'),
    answers.length === 0
      ? h('div', { class: 'empty' }, t(lang, 'page.noAnswers'))
      : table(
          ['question', 'value', ''],
          answers.map(([question, value]) => [
            h('code', {}, question),
            h('code', {}, showValue(value)),
            h(
              'span',
              {},
              debug.unknown.includes(question) ? chip(t(lang, 'page.unknown'), 'warn') : null,
              question === 'birthDate' && debug.approximateAge
                ? chip(t(lang, 'page.approximate'), 'warn')
                : null,
            ),
          ]),
          'answers',
        ),
  );
  const profileCard = section(
    t(lang, 'page.profile'),
    debug.profile
      ? table(
          ['field', 'value'],
          Object.entries(debug.profile).map(([field, value]) => [
            h('code', {}, field),
            h('code', {}, showValue(value)),
          ]),
          'profile',
        )
      : h('div', { class: 'empty' }, t(lang, 'page.noProfile')),
  );
  return h('div', { class: 'profile' }, answersCard, profileCard);
}

/** The conversation as the store keeps it. */
export function storedPanel(debug: DebugReply | null): HTMLElement {
  return h('pre', { class: 'json', 'data-testid': 'stored' }, JSON.stringify(debug?.stored ?? null, null, 2));
}
