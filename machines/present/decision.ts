/**
 * Presents a decision as channel-neutral blocks: the verdict and why, every route with each of its
 * conditions and their clauses, the settlement advice, steps, materials, notes, who submits, the
 * readings applied, later changes and the disclaimer. Pure: keys and parameters only, no sentences.
 */

import {
  type ConditionRule,
  type Decision,
  daysBetween,
  findEdition,
  parseIsoDate,
  type RouteExplanation,
} from '../../rules/index.js';
import { type Param, type Params, type Text, text } from '../view.js';
import { type Block, block, type Mark } from './block.js';
import { changeText, closedByAge, conditionMark, conditionText } from './conditions.js';

/** Options of {@link presentDecision}. */
export interface PresentOptions {
  /** The person gave an approximate age (the birth date was estimated): dates may be off. */
  readonly approximateAge?: boolean;
}

/** How many of the closest routes a not-eligible answer suggests. */
export const CLOSEST_SHOWN = 3;

/** A text as a parameter of another text (translated first, then inserted). */
function nested(t: Text): Param {
  return t.params ? { t: t.key, params: t.params } : { t: t.key };
}

/** A text followed by the clause it rests on. */
function cited(t: Text, clause: string): Text {
  return text('check.cited', { text: nested(t), clause: { t: `clause.${clause}` } });
}

const routeName = (id: string): Param => ({ t: `route.${id}.name` });
const heading = (name: string): Block => block('heading', text(`check.heading.${name}`));
const line = (t: Text, mark?: Mark): Block => block('line', t, mark ? { mark } : undefined);
const item = (t: Text, mark?: Mark): Block => block('item', t, mark ? { mark } : undefined);
const detail = (t: Text, mark?: Mark): Block => block('detail', t, mark ? { mark } : undefined);

/** The route's `until` from the contract part of the decision. */
function untilOf(decision: Decision, id: string): string | null {
  return decision.routes.find((r) => r.id === id)?.until ?? null;
}

/** Years abroad as a visiting scholar that satisfy the route's `overseas` condition, per the edition. */
function scholarYears(decision: Decision, route: RouteExplanation): number | undefined {
  const rule = findEdition(decision.policy)
    ?.routes.find((r) => r.id === route.id)
    ?.conditions.find((c): c is Extract<ConditionRule, { id: 'overseas' }> => c.id === 'overseas');
  if (rule) return rule.scholarYears.value;
  const years = route.changes.find((c) => c.id === 'overseas-study')?.params.years;
  return typeof years === 'number' ? years : undefined;
}

function titleBlocks(d: Decision): Block[] {
  return [
    block(
      'title',
      text('check.title', { edition: { t: `policy.${d.policy}.name` }, asOf: { date: d.asOf }, age: d.age }),
    ),
    line(
      text(`verdict.${d.verdict}.title`),
      d.verdict === 'instant' ? 'pass' : d.verdict === 'window-review' ? 'warn' : 'fail',
    ),
    line(text(`verdict.${d.verdict}.detail`, d.route ? { route: routeName(d.route) } : {})),
  ];
}

/** The line of one of the decision's warnings. */
function warningBlock(d: Decision, warning: string): Block {
  const key = `warning.${warning}`;
  if (warning === 'age-limit-soon' && d.route) {
    const until = untilOf(d, d.route);
    const asOf = parseIsoDate(d.asOf);
    const last = until ? parseIsoDate(until) : undefined;
    // Days left, today included.
    if (until && asOf && last)
      return line(text(key, { date: { date: until }, count: daysBetween(asOf, last) + 1 }), 'warn');
  }
  if (warning === 'unconfirmed-answers') {
    const fields = d.explain.unconfirmed.map((f): Param => ({ t: `field.${f}` }));
    return line(text(key, { list: { list: fields } }), 'warn');
  }
  return line(text(key), 'warn');
}

function warningBlocks(d: Decision, options: PresentOptions): Block[] {
  const approximate = options.approximateAge ? [line(text('warning.approximate-age'), 'warn')] : [];
  return [...approximate, ...d.warnings.map((w) => warningBlock(d, w))];
}

/** The changes that would open a route, one detail each. */
function changeBlocks(route: RouteExplanation): Block[] {
  return route.changes.map((c) => detail(changeText(c, route), 'todo'));
}

function whyBlocks(d: Decision, options: PresentOptions): Block[] {
  const out: Block[] = [heading('why')];
  if (d.route === null) {
    out.push(line(text('check.why.noRoute')), ...warningBlocks(d, options), heading('whatWouldChange'));
    const closest = d.explain.closest.slice(0, CLOSEST_SHOWN);
    if (closest.length === 0) return [...out, line(text('check.closest.none'))];
    out.push(line(text('check.closest.intro')));
    for (const id of closest) {
      const route = d.explain.routes.find((r) => r.id === id);
      if (!route) continue;
      out.push(item(text(`route.${id}.name`)), ...changeBlocks(route));
    }
    return out;
  }

  const until = untilOf(d, d.route);
  out.push(
    line(text('check.why.route', { route: routeName(d.route), summary: { t: `route.${d.route}.summary` } })),
    line(until ? text('check.why.until', { date: { date: until } }) : text('check.why.noLimit')),
  );
  // Only the routes that outlast this one are a fallback once it closes.
  const outlasting = d.explain.alternatives.filter(
    (a) => a.until === null || (until !== null && a.until > until),
  );
  const alternatives = outlasting.map(
    (a): Param =>
      a.until
        ? { t: 'check.why.alternative', params: { route: routeName(a.id), until: { date: a.until } } }
        : { t: 'check.why.alternativeNoLimit', params: { route: routeName(a.id) } },
  );
  if (alternatives.length > 0)
    out.push(line(text('check.why.alternatives', { list: { list: alternatives } })));
  const { deadline } = d.explain;
  if (deadline && deadline !== until)
    out.push(line(text('check.why.deadline', { date: { date: deadline } })));
  out.push(...warningBlocks(d, options));
  if (d.verdict === 'window-review')
    out.push(line(cited(text('check.why.creditReview'), d.explain.clauses.creditReview), 'warn'));
  return out;
}

function routeBlocks(d: Decision): Block[] {
  const out: Block[] = [heading('routes')];
  for (const route of d.explain.routes) {
    const name = routeName(route.id);
    if (closedByAge(route)) {
      // Closed by age: nothing else can open it, so one line says it all.
      const closing = route.changes.find((c) => c.id === 'age-closed');
      const reason = closing ? nested(changeText(closing, route)) : '';
      out.push(item(cited(text('check.route.closed', { route: name, reason }), route.clause), 'fail'));
      continue;
    }
    const until = untilOf(d, route.id);
    const head = route.met
      ? until
        ? text('check.route.met', { route: name, until: { date: until } })
        : text('check.route.metNoLimit', { route: name })
      : text(route.reachable ? 'check.route.unmet' : 'check.route.unreachable', { route: name });
    out.push(item(cited(head, route.clause), route.met ? 'pass' : 'fail'));
    const scope = { route, ageReading: d.explain.ageReading, scholarYears: scholarYears(d, route) };
    for (const check of route.conditions) {
      const sentence = conditionText(check, scope);
      out.push(
        detail(
          check.clause === route.clause ? sentence : cited(sentence, check.clause),
          conditionMark(check),
        ),
      );
    }
    if (!route.met) out.push(...changeBlocks(route));
  }
  return out;
}

function settlementBlocks(d: Decision): Block[] {
  const { recommended, options } = d.settlement;
  const info = (id: string) => d.explain.settlement.find((o) => o.id === id);
  const name = (id: string): Param => ({ t: `settlement.${id}.name` });
  const out: Block[] = [heading('settlement')];
  if (d.verdict === 'not-eligible') out.push(line(text('check.settlement.ifEligible')));
  const recommendation = text('check.settlement.recommended', { option: name(recommended) });
  const clause = info(recommended)?.clause;
  out.push(
    line(clause ? cited(recommendation, clause) : recommendation, 'pass'),
    line(text(`settlement.${recommended}.why`)),
  );
  for (const option of options.filter((o) => o.fits)) {
    const about = info(option.id);
    out.push(
      item(text(`settlement.${option.id}.name`), 'pass'),
      detail(text(`settlement.${option.id}.detail`)),
      ...(about?.pros ?? []).map((id) => detail(text(`settlement.pro.${id}`), 'pass')),
      ...(about?.cons ?? []).map((id) => detail(text(`settlement.con.${id}`), 'warn')),
    );
  }
  const others = options.filter((o) => !o.fits).map((o) => name(o.id));
  if (others.length > 0) out.push(line(text('check.settlement.others', { list: { list: others } })));
  return out;
}

/** A section of one item per id (`<prefix>.<id>`); nothing when there are no ids. */
function listSection(name: string, prefix: string, ids: readonly string[], numbered = false): Block[] {
  if (ids.length === 0) return [];
  return [
    heading(name),
    ...ids.map((id, index) => block('item', text(`${prefix}.${id}`), numbered ? { number: index + 1 } : {})),
  ];
}

function submitterBlocks(d: Decision): Block[] {
  if (d.verdict === 'not-eligible') return [];
  const { clauses } = d.explain;
  const out = [heading('submitters'), line(cited(text('check.submitters'), clauses.submitters))];
  // A window review has already said why; everyone else learns that credit is checked first.
  if (d.verdict === 'instant') out.push(line(cited(text('check.creditCheck'), clauses.creditReview)));
  return out;
}

function basisBlocks(d: Decision): Block[] {
  const params: Params = {
    edition: { t: `policy.${d.policy}.name` },
    source: { t: `clause.${d.explain.clauses.source}` },
  };
  return [
    heading('basis'),
    line(text('check.edition', params)),
    ...d.explain.interpretations.map((id) => item(text(`interpretation.${id}`))),
  ];
}

/**
 * The blocks of a decision, in reading order: title and verdict; why (the route and its deadline,
 * alternatives, warnings, the credit review; or the closest routes and their changes); every route
 * with its conditions; the settlement advice; steps; materials; notes; who submits; basis and
 * readings; later changes; the disclaimer. With `approximateAge`, a warning that the dates rest on an
 * estimated birth date.
 */
export function presentDecision(decision: Decision, options: PresentOptions = {}): Block[] {
  return [
    ...titleBlocks(decision),
    ...whyBlocks(decision, options),
    ...routeBlocks(decision),
    ...settlementBlocks(decision),
    ...listSection('steps', 'step', decision.steps, true),
    ...listSection('materials', 'material', decision.materials),
    ...listSection('notes', 'note', decision.explain.notes),
    ...submitterBlocks(decision),
    ...basisBlocks(decision),
    ...listSection('laterChanges', 'laterChange', decision.explain.laterChanges),
    heading('disclaimer'),
    line(text('check.disclaimer')),
  ];
}
