/**
 * Presents a decision as channel-neutral blocks: the verdict and why, every route with each of its
 * conditions and their clauses, the settlement advice, steps, materials, notes, who submits, the
 * readings applied, later changes and the disclaimer. Pure: keys and parameters only, no sentences.
 */

import {
  type Change,
  type ConditionCheck,
  type ConditionRule,
  type Decision,
  daysBetween,
  findEdition,
  parseIsoDate,
  type RouteExplanation,
  type RouteOutcome,
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

/**
 * How many shared blocks (and sections) the presenter keeps: most blocks are the same for many people
 * (a heading, a condition's check, a change, the steps of a case), so they are made once, frozen,
 * and shared between decisions; channels may cache what they render of a frozen block by identity.
 * Blocks that name the person's own dates (when a route closes) are made afresh. A bound on memory
 * for unusual inputs: the tables are emptied when full.
 */
export const SHARED_BLOCKS_SIZE = 20_000;

/** Freezes a value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/**
 * A table of shared values by a path of keys, one Map a level: no key string is built (and hashed)
 * to find a value, only the parts of the path, which are mostly the edition's own strings.
 */
interface Node<T> {
  value: T | undefined;
  next: Map<unknown, Node<T>> | undefined;
}

/** Shared values of one kind, by a path of keys (see {@link Node}), at most {@link SHARED_BLOCKS_SIZE}. */
class Table<T> {
  root: Node<T> = { value: undefined, next: undefined };
  size = 0;

  /** The node under `node` for `key` (made when missing). */
  at(node: Node<T>, key: unknown): Node<T> {
    let next = node.next;
    if (next === undefined) {
      next = new Map();
      node.next = next;
    }
    let found = next.get(key);
    if (found === undefined) {
      found = { value: undefined, next: undefined };
      next.set(key, found);
    }
    return found;
  }

  /** The value of `node`, made by `make` (and frozen) the first time. */
  keep(node: Node<T>, make: () => T): T {
    let found = node.value;
    if (found === undefined) {
      found = deepFreeze(make());
      // A bound on memory for unusual inputs: the table starts afresh (this node is dropped with it).
      if (this.size >= SHARED_BLOCKS_SIZE) this.clear();
      node.value = found;
      this.size++;
    }
    return found;
  }

  clear(): void {
    this.root = { value: undefined, next: undefined };
    this.size = 0;
  }
}

/** Every table of shared blocks and sections, by what their blocks depend on. */
const tables = {
  /** `heading(name)`: by name. */
  headings: new Table<Block>(),
  /** `fixedLine(key, mark)`: by key and mark. */
  lines: new Table<Block>(),
  /** Warning lines: by warning (and the dates, or the fields, they name). */
  warnings: new Table<Block>(),
  /** The lines of `why`: by their kind and the ids and dates they name. */
  why: new Table<Block>(),
  /** Route headings of routes not met or without a limit: by route, clause and state. */
  routeHeads: new Table<Block>(),
  /** The title section: by edition, date, age, verdict and route. */
  titles: new Table<readonly Block[]>(),
  /** List sections: by name and ids. */
  lists: new Table<readonly Block[]>(),
  /** Who submits: by verdict and clauses. */
  submitters: new Table<readonly Block[]>(),
};

const NO_BLOCKS: readonly Block[] = Object.freeze([]);

/** How many blocks one shared part of a decision keeps (by the rest of what they depend on). */
const PART_KEYS_SIZE = 64;

/**
 * Blocks made from a frozen part of a decision (a condition's check, a change: the rules share them
 * between decisions), by the part and a key for the rest of what the block depends on.
 */
let partBlocks = new WeakMap<object, Map<string, Block>>();

/** The block of a frozen `part` and `key`, when one was made. */
function partBlock(part: object, key: string): Block | undefined {
  return partBlocks.get(part)?.get(key);
}

/** Keeps `block` (frozen) as the block of a frozen `part` and `key`. */
function keepPartBlock(part: object, key: string, made: Block): Block {
  let byKey = partBlocks.get(part);
  if (byKey === undefined) {
    byKey = new Map();
    partBlocks.set(part, byKey);
  }
  const found = deepFreeze(made);
  // A late change names each person's closing date: a bound on what one part keeps.
  if (byKey.size >= PART_KEYS_SIZE) byKey.clear();
  byKey.set(key, found);
  return found;
}

/** Empties the presenter's tables of shared blocks (for tests: the next decisions are presented afresh). */
export function clearSharedBlocks(): void {
  for (const table of Object.values(tables)) table.clear();
  partBlocks = new WeakMap();
  pairSections = new WeakMap();
  listSections = new WeakMap();
}

/** Appends `blocks` to `out`. */
function pushAll(out: Block[], blocks: readonly Block[]): void {
  for (let i = 0; i < blocks.length; i++) out.push(blocks[i] as Block);
}

/** A text as a parameter of another text (translated first, then inserted). */
function nested(t: Text): Param {
  return t.params ? { t: t.key, params: t.params } : { t: t.key };
}

/**
 * Keys made of a prefix, an id and a suffix, made once: the same string every time, so the renderer's
 * look-ups by key do not hash a new string for each text.
 */
class Keys {
  readonly #made = new Map<string, string>();
  constructor(
    readonly prefix: string,
    readonly suffix = '',
  ) {}

  of(id: string): string {
    let key = this.#made.get(id);
    if (key === undefined) {
      key = `${this.prefix}${id}${this.suffix}`;
      if (this.#made.size >= SHARED_BLOCKS_SIZE) this.#made.clear();
      this.#made.set(id, key);
    }
    return key;
  }
}

const CLAUSE_KEYS = new Keys('clause.');
const ROUTE_NAME_KEYS = new Keys('route.', '.name');

/** A text followed by the clause it rests on. */
function cited(t: Text, clause: string): Text {
  return text('check.cited', { text: nested(t), clause: { t: CLAUSE_KEYS.of(clause) } });
}

const routeName = (id: string): Param => ({ t: ROUTE_NAME_KEYS.of(id) });

function heading(name: string): Block {
  const { headings } = tables;
  const node = headings.at(headings.root, name);
  // The closure is made only when the block is.
  return node.value ?? headings.keep(node, () => block('heading', text(`check.heading.${name}`)));
}
// Literals with the same keys in the same order as `block(kind, t, mark ? { mark } : undefined)`.
const line = (t: Text, mark?: Mark): Block =>
  mark ? { kind: 'line', text: t, mark } : { kind: 'line', text: t };
const item = (t: Text, mark?: Mark): Block =>
  mark ? { kind: 'item', text: t, mark } : { kind: 'item', text: t };
const detail = (t: Text, mark?: Mark): Block =>
  mark ? { kind: 'detail', text: t, mark } : { kind: 'detail', text: t };
/** A shared line of a sentence without parameters. */
function fixedLine(key: string, mark?: Mark): Block {
  const { lines } = tables;
  const node = lines.at(lines.at(lines.root, key), mark ?? '');
  return node.value ?? lines.keep(node, () => line(text(key), mark));
}

/** Sections made from two frozen parts of a decision, by the parts and a key for the rest. */
let pairSections = new WeakMap<object, WeakMap<object, Map<string, readonly Block[]>>>();

/** The section kept for two frozen parts and a key, if any. */
function knownSection(a: object, b: object, key: string): readonly Block[] | undefined {
  if (!Object.isFrozen(a) || !Object.isFrozen(b)) return undefined;
  return pairSections.get(a)?.get(b)?.get(key);
}

/** Keeps `made` (frozen) as the section of two frozen parts and a key; parts not frozen keep nothing. */
function keepSection(a: object, b: object, key: string, made: Block[]): readonly Block[] {
  if (!Object.isFrozen(a) || !Object.isFrozen(b)) return made;
  let byB = pairSections.get(a);
  if (byB === undefined) {
    byB = new WeakMap();
    pairSections.set(a, byB);
  }
  let byKey = byB.get(b);
  if (byKey === undefined) {
    byKey = new Map();
    byB.set(b, byKey);
  }
  const found = deepFreeze(made);
  byKey.set(key, found);
  return found;
}

/** The route's `until` from the contract part of the decision (`index`: where it usually is). */
function untilOf(decision: Decision, id: string, index: number): string | null {
  const routes = decision.routes;
  const at = routes[index];
  if (at !== undefined && at.id === id) return at.until ?? null;
  for (let i = 0; i < routes.length; i++)
    if ((routes[i] as RouteOutcome).id === id) return routes[i]?.until ?? null;
  return null;
}

/** Years abroad as a visiting scholar per edition and route, as the edition says (see {@link scholarYears}). */
const editionScholarYears = new Map<string, Map<string, number | null>>();

/** Years abroad as a visiting scholar that satisfy the route's `overseas` condition, per the edition. */
function scholarYears(decision: Decision, route: RouteExplanation): number | undefined {
  let byRoute = editionScholarYears.get(decision.policy);
  if (byRoute === undefined) {
    byRoute = new Map();
    editionScholarYears.set(decision.policy, byRoute);
  }
  let fromEdition = byRoute.get(route.id);
  if (fromEdition === undefined) {
    const rule = findEdition(decision.policy)
      ?.routes.find((r) => r.id === route.id)
      ?.conditions.find((c): c is Extract<ConditionRule, { id: 'overseas' }> => c.id === 'overseas');
    fromEdition = rule ? rule.scholarYears.value : null;
    byRoute.set(route.id, fromEdition);
  }
  if (fromEdition !== null) return fromEdition;
  for (let i = 0; i < route.changes.length; i++) {
    const c = route.changes[i] as Change;
    if (c.id === 'overseas-study') {
      const years = c.params.years;
      return typeof years === 'number' ? years : undefined;
    }
  }
  return undefined;
}

function titleBlocks(d: Decision): readonly Block[] {
  const t = tables.titles;
  const node = t.at(t.at(t.at(t.at(t.at(t.root, d.policy), d.asOf), d.age), d.verdict), d.route);
  return (
    node.value ??
    t.keep(node, () => [
      block(
        'title',
        text('check.title', {
          edition: { t: `policy.${d.policy}.name` },
          asOf: { date: d.asOf },
          age: d.age,
        }),
      ),
      line(
        text(`verdict.${d.verdict}.title`),
        d.verdict === 'instant' ? 'pass' : d.verdict === 'window-review' ? 'warn' : 'fail',
      ),
      line(text(`verdict.${d.verdict}.detail`, d.route ? { route: routeName(d.route) } : {})),
    ])
  );
}

/** The line of one of the decision's warnings. */
function warningBlock(d: Decision, warning: string): Block {
  const w = tables.warnings;
  const node = w.at(w.root, warning);
  if (warning === 'age-limit-soon' && d.route) {
    const until = untilOf(d, d.route, -1);
    const dated = w.at(w.at(node, d.asOf), until);
    return (
      dated.value ??
      w.keep(dated, () => {
        const key = `warning.${warning}`;
        const asOf = parseIsoDate(d.asOf);
        const last = until ? parseIsoDate(until) : undefined;
        // Days left, today included.
        if (until && asOf && last)
          return line(text(key, { date: { date: until }, count: daysBetween(asOf, last) + 1 }), 'warn');
        return line(text(key), 'warn');
      })
    );
  }
  if (warning === 'unconfirmed-answers') {
    const unconfirmed = d.explain.unconfirmed;
    // The list's length first: a path of fields could be the start of a longer one.
    let fields = w.at(node, unconfirmed.length);
    for (let i = 0; i < unconfirmed.length; i++) fields = w.at(fields, unconfirmed[i]);
    return (
      fields.value ??
      w.keep(fields, () => {
        const list = unconfirmed.map((f): Param => ({ t: `field.${f}` }));
        return line(text(`warning.${warning}`, { list: { list } }), 'warn');
      })
    );
  }
  return node.value ?? w.keep(node, () => fixedLine(`warning.${warning}`, 'warn'));
}

function warningBlocks(out: Block[], d: Decision, options: PresentOptions): void {
  if (options.approximateAge) out.push(fixedLine('warning.approximate-age', 'warn'));
  for (let i = 0; i < d.warnings.length; i++) out.push(warningBlock(d, d.warnings[i] as string));
}

/** The changes that would open a route, one detail each. */
function changeBlocks(out: Block[], route: RouteExplanation): void {
  // Index loops here and below: the lists are frozen, and iterating a frozen list allocates.
  const changes = route.changes;
  for (let i = 0; i < changes.length; i++) {
    const c = changes[i] as Change;
    // Only a late social insurance change names the route's closing date.
    const key = c.id === 'more-social-insurance' && c.params.inTime === false ? (route.closedOn ?? '') : '';
    if (!Object.isFrozen(c)) {
      out.push(detail(changeText(c, route), 'todo'));
      continue;
    }
    out.push(partBlock(c, key) ?? keepPartBlock(c, key, detail(changeText(c, route), 'todo')));
  }
}

/** The explanation of route `id`. */
function explainedRoute(d: Decision, id: string): RouteExplanation | undefined {
  const routes = d.explain.routes;
  for (let i = 0; i < routes.length; i++) if ((routes[i] as RouteExplanation).id === id) return routes[i];
  return undefined;
}

function whyBlocks(out: Block[], d: Decision, options: PresentOptions): void {
  const why = tables.why;
  out.push(heading('why'));
  if (d.route === null) {
    out.push(fixedLine('check.why.noRoute'));
    warningBlocks(out, d, options);
    out.push(heading('whatWouldChange'));
    const closest = d.explain.closest;
    const shown = Math.min(closest.length, CLOSEST_SHOWN);
    if (shown === 0) {
      out.push(fixedLine('check.closest.none'));
      return;
    }
    out.push(fixedLine('check.closest.intro'));
    for (let i = 0; i < shown; i++) {
      const id = closest[i] as string;
      const route = explainedRoute(d, id);
      if (!route) continue;
      const node = why.at(why.at(why.root, 'ri'), id);
      out.push(node.value ?? why.keep(node, () => item(text(`route.${id}.name`))));
      changeBlocks(out, route);
    }
    return;
  }

  const chosen = d.route;
  const until = untilOf(d, chosen, -1);
  const routeLine = why.at(why.at(why.root, 'wr'), chosen);
  out.push(
    routeLine.value ??
      why.keep(routeLine, () =>
        line(
          text('check.why.route', { route: routeName(chosen), summary: { t: `route.${chosen}.summary` } }),
        ),
      ),
    // The dates a route closes are the person's own (from the birth date): not shared.
    until ? line(text('check.why.until', { date: { date: until } })) : fixedLine('check.why.noLimit'),
  );
  // Only the routes that outlast this one are a fallback once it closes.

  let node: Node<Block> | undefined;
  const alternatives = d.explain.alternatives;
  for (let i = 0; i < alternatives.length; i++) {
    const a = alternatives[i] as { id: string; until: string | null };
    if (outlasts(a, until)) node = why.at(why.at(node ?? why.at(why.root, 'wa'), a.id), a.until || '');
  }
  if (node !== undefined)
    out.push(
      node.value ??
        why.keep(node, () => {
          const alternatives = d.explain.alternatives
            .filter((a) => outlasts(a, until))
            .map(
              (a): Param =>
                a.until
                  ? {
                      t: 'check.why.alternative',
                      params: { route: routeName(a.id), until: { date: a.until } },
                    }
                  : { t: 'check.why.alternativeNoLimit', params: { route: routeName(a.id) } },
            );
          return line(text('check.why.alternatives', { list: { list: alternatives } }));
        }),
    );
  const { deadline } = d.explain;
  if (deadline && deadline !== until)
    out.push(line(text('check.why.deadline', { date: { date: deadline } })));
  warningBlocks(out, d, options);
  if (d.verdict === 'window-review') {
    const clause = d.explain.clauses.creditReview;
    const credit = why.at(why.at(why.root, 'wc'), clause);
    out.push(
      credit.value ?? why.keep(credit, () => line(cited(text('check.why.creditReview'), clause), 'warn')),
    );
  }
}

/** What the block of a condition other than age depends on besides the check itself. */
function conditionKey(d: Decision, route: RouteExplanation, check: ConditionCheck): string {
  if (check.id === 'overseas') return `${route.clause}\u0000${scholarYears(d, route) ?? '\u0001'}`;
  return route.clause;
}

/** True when an alternative route outlasts the chosen one (open until `until`, or with no limit). */
function outlasts(a: { until: string | null }, until: string | null): boolean {
  return a.until === null || (until !== null && a.until > until);
}

/** The detail of one of a route's conditions. */
function conditionBlock(d: Decision, route: RouteExplanation, check: ConditionCheck): Block {
  const scope = { route, ageReading: d.explain.ageReading, scholarYears: scholarYears(d, route) };
  const sentence = conditionText(check, scope);
  return detail(
    check.clause === route.clause ? sentence : cited(sentence, check.clause),
    conditionMark(check),
  );
}

function routeBlocks(out: Block[], d: Decision): void {
  const heads = tables.routeHeads;
  out.push(heading('routes'));
  const routes = d.explain.routes;
  for (let r = 0; r < routes.length; r++) {
    const route = routes[r] as RouteExplanation;
    if (closedByAge(route)) {
      // Closed by age: nothing else can open it, so one line says it all.
      // Closed on the person's own date: not shared.
      let closing: Change | undefined;
      for (let i = 0; i < route.changes.length; i++)
        if (route.changes[i]?.id === 'age-closed') {
          closing = route.changes[i];
          break;
        }
      const reason = closing ? nested(changeText(closing, route)) : '';
      out.push(
        item(cited(text('check.route.closed', { route: routeName(route.id), reason }), route.clause), 'fail'),
      );
      continue;
    }
    const until = untilOf(d, route.id, r);
    if (route.met && until)
      // Open until the person's own date: not shared.
      out.push(
        item(
          cited(
            text('check.route.met', { route: routeName(route.id), until: { date: until } }),
            route.clause,
          ),
          'pass',
        ),
      );
    else {
      const state = route.met ? 'm' : route.reachable ? 'u' : 'x';
      const head = heads.at(heads.at(heads.at(heads.root, route.id), route.clause), state);
      out.push(
        head.value ??
          heads.keep(head, () => {
            const name = routeName(route.id);
            const head = route.met
              ? text('check.route.metNoLimit', { route: name })
              : text(route.reachable ? 'check.route.unmet' : 'check.route.unreachable', { route: name });
            return item(cited(head, route.clause), route.met ? 'pass' : 'fail');
          }),
      );
    }
    const checks = route.conditions;
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i] as ConditionCheck;
      // An age condition names the day the route closes: the person's own, not shared.
      if (check.id === 'age' || !Object.isFrozen(check)) {
        out.push(conditionBlock(d, route, check));
        continue;
      }
      const key = conditionKey(d, route, check);
      out.push(partBlock(check, key) ?? keepPartBlock(check, key, conditionBlock(d, route, check)));
    }
    if (!route.met) changeBlocks(out, route);
  }
}

function settlementBlocks(d: Decision): readonly Block[] {
  const notEligible = d.verdict === 'not-eligible';
  const key = notEligible ? 'n' : 'e';
  return (
    knownSection(d.settlement, d.explain.settlement, key) ??
    keepSection(d.settlement, d.explain.settlement, key, settlementSection(d, notEligible))
  );
}

function settlementSection(d: Decision, notEligible: boolean): Block[] {
  const { recommended, options } = d.settlement;
  const info = (id: string) => d.explain.settlement.find((o) => o.id === id);
  const name = (id: string): Param => ({ t: `settlement.${id}.name` });
  const out: Block[] = [heading('settlement')];
  if (notEligible) out.push(line(text('check.settlement.ifEligible')));
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

/** List sections of frozen lists of ids (the rules share them between decisions), by list and name. */
let listSections = new WeakMap<readonly string[], Map<string, readonly Block[]>>();

/** A section of one item per id (`<prefix>.<id>`); nothing when there are no ids. */
function listSection(
  name: string,
  prefix: string,
  ids: readonly string[],
  numbered = false,
): readonly Block[] {
  if (ids.length === 0) return NO_BLOCKS;
  // For a frozen list of ids (the rules share them) by the list, else (and the first time) by the ids.
  if (!Object.isFrozen(ids)) return listByIds(name, prefix, ids, numbered);
  let byName = listSections.get(ids);
  if (byName === undefined) {
    byName = new Map();
    listSections.set(ids, byName);
  }
  let found = byName.get(name);
  if (found === undefined) {
    found = listByIds(name, prefix, ids, numbered);
    byName.set(name, found);
  }
  return found;
}

/** The shared list section of these ids: the same for the same ids (each name has one prefix and numbering). */
function listByIds(
  name: string,
  prefix: string,
  ids: readonly string[],
  numbered: boolean,
): readonly Block[] {
  const lists = tables.lists;
  let node = lists.at(lists.at(lists.root, name), ids.length);
  for (let i = 0; i < ids.length; i++) node = lists.at(node, ids[i]);
  return lists.keep(node, () => [
    heading(name),
    ...ids.map((id, index) => block('item', text(`${prefix}.${id}`), numbered ? { number: index + 1 } : {})),
  ]);
}

function submitterBlocks(d: Decision): readonly Block[] {
  if (d.verdict === 'not-eligible') return NO_BLOCKS;
  const { clauses } = d.explain;
  const t = tables.submitters;
  const node = t.at(t.at(t.at(t.root, d.verdict), clauses.submitters), clauses.creditReview);
  return (
    node.value ??
    t.keep(node, () => {
      const out = [heading('submitters'), line(cited(text('check.submitters'), clauses.submitters))];
      // A window review has already said why; everyone else learns that credit is checked first.
      if (d.verdict === 'instant') out.push(line(cited(text('check.creditCheck'), clauses.creditReview)));
      return out;
    })
  );
}

function basisBlocks(d: Decision): readonly Block[] {
  const interpretations = d.explain.interpretations;
  // The clauses are shared by the decisions of one edition (frozen): they and the edition's id say the source.
  return (
    knownSection(interpretations, d.explain.clauses, d.policy) ??
    keepSection(interpretations, d.explain.clauses, d.policy, basisSection(d))
  );
}

function basisSection(d: Decision): Block[] {
  const source = d.explain.clauses.source;
  const interpretations = d.explain.interpretations;
  const params: Params = {
    edition: { t: `policy.${d.policy}.name` },
    source: { t: `clause.${source}` },
  };
  return [
    heading('basis'),
    line(text('check.edition', params)),
    ...interpretations.map((id) => item(text(`interpretation.${id}`))),
  ];
}

/**
 * The blocks of a decision, in reading order: title and verdict; why (the route and its deadline,
 * alternatives, warnings, the credit review; or the closest routes and their changes); every route
 * with its conditions; the settlement advice; steps; materials; notes; who submits; basis and
 * readings; later changes; the disclaimer. With `approximateAge`, a warning that the dates rest on an
 * estimated birth date. The list is the caller's; most blocks in it are shared between decisions and
 * frozen (see {@link SHARED_BLOCKS_SIZE}): copy a block before changing it.
 */
export function presentDecision(decision: Decision, options: PresentOptions = {}): Block[] {
  const out: Block[] = [];
  pushAll(out, titleBlocks(decision));
  whyBlocks(out, decision, options);
  routeBlocks(out, decision);
  pushAll(out, settlementBlocks(decision));
  pushAll(out, listSection('steps', 'step', decision.steps, true));
  pushAll(out, listSection('materials', 'material', decision.materials));
  pushAll(out, listSection('notes', 'note', decision.explain.notes));
  pushAll(out, submitterBlocks(decision));
  pushAll(out, basisBlocks(decision));
  pushAll(out, listSection('laterChanges', 'laterChange', decision.explain.laterChanges));
  out.push(heading('disclaimer'), fixedLine('check.disclaimer'));
  return out;
}
