// Frozen copy of machines/present/decision.ts before the second round of performance work (issue 5): the
// reference the presenter's equivalence test compares with. Do not change.
/**
 * Presents a decision as channel-neutral blocks: the verdict and why, every route with each of its
 * conditions and their clauses, the settlement advice, steps, materials, notes, who submits, the
 * readings applied, later changes and the disclaimer. Pure: keys and parameters only, no sentences.
 */

import { type Param, type Params, type Text, text } from '../../../../machines/view.js';
import {
  type ConditionCheck,
  type ConditionRule,
  type Decision,
  daysBetween,
  findEdition,
  parseIsoDate,
  type RouteExplanation,
} from '../../../../rules/index.js';
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

/** Shared blocks by a key that says everything their text depends on. */
const sharedBlocks = new Map<string, Block>();
/** Shared sections (lists of blocks) by such a key. */
const sharedSections = new Map<string, readonly Block[]>();

const NO_BLOCKS: readonly Block[] = Object.freeze([]);

/** The shared block of `key`, made by `make` the first time. */
function shared(key: string, make: () => Block): Block {
  let found = sharedBlocks.get(key);
  if (found === undefined) {
    found = deepFreeze(make());
    if (sharedBlocks.size >= SHARED_BLOCKS_SIZE) sharedBlocks.clear();
    sharedBlocks.set(key, found);
  }
  return found;
}

/** The shared section of `key`, made by `make` the first time. */
function sharedSection(key: string, make: () => Block[]): readonly Block[] {
  let found = sharedSections.get(key);
  if (found === undefined) {
    found = deepFreeze(make());
    if (sharedSections.size >= SHARED_BLOCKS_SIZE) sharedSections.clear();
    sharedSections.set(key, found);
  }
  return found;
}

/** How many blocks one shared part of a decision keeps (by the rest of what they depend on). */
const PART_KEYS_SIZE = 64;

/**
 * Blocks made from a frozen part of a decision (a condition's check, a change: the rules share them
 * between decisions), by the part and a key for the rest of what the block depends on.
 */
let partBlocks = new WeakMap<object, Map<string, Block>>();

function sharedOf(part: object, key: string, make: () => Block): Block {
  if (!Object.isFrozen(part)) return make();
  let byKey = partBlocks.get(part);
  if (byKey === undefined) {
    byKey = new Map();
    partBlocks.set(part, byKey);
  }
  let found = byKey.get(key);
  if (found === undefined) {
    found = deepFreeze(make());
    // A late change names each person's closing date: a bound on what one part keeps.
    if (byKey.size >= PART_KEYS_SIZE) byKey.clear();
    byKey.set(key, found);
  }
  return found;
}

/** Empties the presenter's tables of shared blocks (for tests: the next decisions are presented afresh). */
export function clearSharedBlocks(): void {
  sharedBlocks.clear();
  sharedSections.clear();
  partBlocks = new WeakMap();
  pairSections = new WeakMap();
}

/** A text as a parameter of another text (translated first, then inserted). */
function nested(t: Text): Param {
  return t.params ? { t: t.key, params: t.params } : { t: t.key };
}

/** A text followed by the clause it rests on. */
function cited(t: Text, clause: string): Text {
  return text('check.cited', { text: nested(t), clause: { t: `clause.${clause}` } });
}

const routeName = (id: string): Param => ({ t: `route.${id}.name` });
const heading = (name: string): Block =>
  shared(`h\u0000${name}`, () => block('heading', text(`check.heading.${name}`)));
const line = (t: Text, mark?: Mark): Block => block('line', t, mark ? { mark } : undefined);
const item = (t: Text, mark?: Mark): Block => block('item', t, mark ? { mark } : undefined);
const detail = (t: Text, mark?: Mark): Block => block('detail', t, mark ? { mark } : undefined);
/** A shared line of a sentence without parameters. */
const fixedLine = (key: string, mark?: Mark): Block =>
  shared(`l\u0000${key}\u0000${mark ?? ''}`, () => line(text(key), mark));

/** Sections made from two frozen parts of a decision, by the parts and a key for the rest. */
let pairSections = new WeakMap<object, WeakMap<object, Map<string, readonly Block[]>>>();

function sectionOf(a: object, b: object, key: string, make: () => Block[]): readonly Block[] {
  if (!Object.isFrozen(a) || !Object.isFrozen(b)) return make();
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
  let found = byKey.get(key);
  if (found === undefined) {
    found = deepFreeze(make());
    byKey.set(key, found);
  }
  return found;
}

/** The route's `until` from the contract part of the decision. */
function untilOf(decision: Decision, id: string): string | null {
  return decision.routes.find((r) => r.id === id)?.until ?? null;
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
  const years = route.changes.find((c) => c.id === 'overseas-study')?.params.years;
  return typeof years === 'number' ? years : undefined;
}

function titleBlocks(d: Decision): readonly Block[] {
  return sharedSection(
    `title\u0000${d.policy}\u0000${d.asOf}\u0000${d.age}\u0000${d.verdict}\u0000${d.route ?? '\u0001'}`,
    () => [
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
    ],
  );
}

/** The line of one of the decision's warnings. */
function warningBlock(d: Decision, warning: string): Block {
  const key = `warning.${warning}`;
  if (warning === 'age-limit-soon' && d.route) {
    const until = untilOf(d, d.route);
    return shared(`w\u0000${warning}\u0000${d.asOf}\u0000${until ?? '\u0001'}`, () => {
      const asOf = parseIsoDate(d.asOf);
      const last = until ? parseIsoDate(until) : undefined;
      // Days left, today included.
      if (until && asOf && last)
        return line(text(key, { date: { date: until }, count: daysBetween(asOf, last) + 1 }), 'warn');
      return line(text(key), 'warn');
    });
  }
  if (warning === 'unconfirmed-answers') {
    const unconfirmed = d.explain.unconfirmed;
    return shared(`w\u0000${warning}\u0000${unconfirmed.join('\u0000')}`, () => {
      const fields = unconfirmed.map((f): Param => ({ t: `field.${f}` }));
      return line(text(key, { list: { list: fields } }), 'warn');
    });
  }
  return fixedLine(key, 'warn');
}

function warningBlocks(d: Decision, options: PresentOptions): Block[] {
  const out: Block[] = options.approximateAge ? [fixedLine('warning.approximate-age', 'warn')] : [];
  for (const w of d.warnings) out.push(warningBlock(d, w));
  return out;
}

/** The changes that would open a route, one detail each. */
function changeBlocks(route: RouteExplanation): Block[] {
  return route.changes.map((c) =>
    // Only a late social insurance change names the route's closing date.
    sharedOf(
      c,
      c.id === 'more-social-insurance' && c.params.inTime === false ? (route.closedOn ?? '') : '',
      () => detail(changeText(c, route), 'todo'),
    ),
  );
}

function whyBlocks(d: Decision, options: PresentOptions): Block[] {
  const out: Block[] = [heading('why')];
  if (d.route === null) {
    out.push(fixedLine('check.why.noRoute'), ...warningBlocks(d, options), heading('whatWouldChange'));
    const closest = d.explain.closest.slice(0, CLOSEST_SHOWN);
    if (closest.length === 0) return [...out, fixedLine('check.closest.none')];
    out.push(fixedLine('check.closest.intro'));
    for (const id of closest) {
      const route = d.explain.routes.find((r) => r.id === id);
      if (!route) continue;
      out.push(
        shared(`ri\u0000${id}`, () => item(text(`route.${id}.name`))),
        ...changeBlocks(route),
      );
    }
    return out;
  }

  const chosen = d.route;
  const until = untilOf(d, chosen);
  out.push(
    shared(`wr\u0000${chosen}`, () =>
      line(text('check.why.route', { route: routeName(chosen), summary: { t: `route.${chosen}.summary` } })),
    ),
    // The dates a route closes are the person's own (from the birth date): not shared.
    until ? line(text('check.why.until', { date: { date: until } })) : fixedLine('check.why.noLimit'),
  );
  // Only the routes that outlast this one are a fallback once it closes.
  const outlasting = d.explain.alternatives.filter(
    (a) => a.until === null || (until !== null && a.until > until),
  );
  if (outlasting.length > 0) {
    let key = 'wa';
    for (const a of outlasting) key += `\u0000${a.id}\u0000${a.until || '\u0001'}`;
    out.push(
      shared(key, () => {
        const alternatives = outlasting.map(
          (a): Param =>
            a.until
              ? { t: 'check.why.alternative', params: { route: routeName(a.id), until: { date: a.until } } }
              : { t: 'check.why.alternativeNoLimit', params: { route: routeName(a.id) } },
        );
        return line(text('check.why.alternatives', { list: { list: alternatives } }));
      }),
    );
  }
  const { deadline } = d.explain;
  if (deadline && deadline !== until)
    out.push(line(text('check.why.deadline', { date: { date: deadline } })));
  out.push(...warningBlocks(d, options));
  if (d.verdict === 'window-review') {
    const clause = d.explain.clauses.creditReview;
    out.push(shared(`wc\u0000${clause}`, () => line(cited(text('check.why.creditReview'), clause), 'warn')));
  }
  return out;
}

/** What the block of a condition other than age depends on besides the check itself. */
function conditionKey(d: Decision, route: RouteExplanation, check: ConditionCheck): string {
  if (check.id === 'overseas') return `${route.clause}\u0000${scholarYears(d, route) ?? '\u0001'}`;
  return route.clause;
}

function routeBlocks(d: Decision): Block[] {
  const out: Block[] = [heading('routes')];
  for (const route of d.explain.routes) {
    const name = routeName(route.id);
    if (closedByAge(route)) {
      // Closed by age: nothing else can open it, so one line says it all.
      // Closed on the person's own date: not shared.
      const closing = route.changes.find((c) => c.id === 'age-closed');
      const reason = closing ? nested(changeText(closing, route)) : '';
      out.push(item(cited(text('check.route.closed', { route: name, reason }), route.clause), 'fail'));
      continue;
    }
    const until = untilOf(d, route.id);
    if (route.met && until)
      // Open until the person's own date: not shared.
      out.push(
        item(cited(text('check.route.met', { route: name, until: { date: until } }), route.clause), 'pass'),
      );
    else
      out.push(
        shared(
          `rh\u0000${route.id}\u0000${route.clause}\u0000${route.met ? 'm' : route.reachable ? 'u' : 'x'}`,
          () => {
            const head = route.met
              ? text('check.route.metNoLimit', { route: name })
              : text(route.reachable ? 'check.route.unmet' : 'check.route.unreachable', { route: name });
            return item(cited(head, route.clause), route.met ? 'pass' : 'fail');
          },
        ),
      );
    for (const check of route.conditions) {
      const make = () => {
        const scope = { route, ageReading: d.explain.ageReading, scholarYears: scholarYears(d, route) };
        const sentence = conditionText(check, scope);
        return detail(
          check.clause === route.clause ? sentence : cited(sentence, check.clause),
          conditionMark(check),
        );
      };
      // An age condition names the day the route closes: the person's own, not shared.
      out.push(check.id === 'age' ? make() : sharedOf(check, conditionKey(d, route, check), make));
    }
    if (!route.met) out.push(...changeBlocks(route));
  }
  return out;
}

function settlementBlocks(d: Decision): readonly Block[] {
  const notEligible = d.verdict === 'not-eligible';
  return sectionOf(d.settlement, d.explain.settlement, notEligible ? 'n' : 'e', () => {
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
  });
}

/** A section of one item per id (`<prefix>.<id>`); nothing when there are no ids. */
function listSection(
  name: string,
  prefix: string,
  ids: readonly string[],
  numbered = false,
): readonly Block[] {
  if (ids.length === 0) return NO_BLOCKS;
  return sharedSection(`list\u0000${name}\u0000${prefix}\u0000${numbered}\u0000${ids.join('\u0000')}`, () => [
    heading(name),
    ...ids.map((id, index) => block('item', text(`${prefix}.${id}`), numbered ? { number: index + 1 } : {})),
  ]);
}

function submitterBlocks(d: Decision): readonly Block[] {
  if (d.verdict === 'not-eligible') return NO_BLOCKS;
  const { clauses } = d.explain;
  return sharedSection(
    `sub\u0000${d.verdict}\u0000${clauses.submitters}\u0000${clauses.creditReview}`,
    () => {
      const out = [heading('submitters'), line(cited(text('check.submitters'), clauses.submitters))];
      // A window review has already said why; everyone else learns that credit is checked first.
      if (d.verdict === 'instant') out.push(line(cited(text('check.creditCheck'), clauses.creditReview)));
      return out;
    },
  );
}

function basisBlocks(d: Decision): readonly Block[] {
  const source = d.explain.clauses.source;
  const interpretations = d.explain.interpretations;
  return sectionOf(interpretations, BASIS, `${d.policy}\u0000${source}`, () => {
    const params: Params = {
      edition: { t: `policy.${d.policy}.name` },
      source: { t: `clause.${source}` },
    };
    return [
      heading('basis'),
      line(text('check.edition', params)),
      ...interpretations.map((id) => item(text(`interpretation.${id}`))),
    ];
  });
}
/** The second key of the basis sections (they depend on one frozen part). */
const BASIS = Object.freeze({});

/**
 * The blocks of a decision, in reading order: title and verdict; why (the route and its deadline,
 * alternatives, warnings, the credit review; or the closest routes and their changes); every route
 * with its conditions; the settlement advice; steps; materials; notes; who submits; basis and
 * readings; later changes; the disclaimer. With `approximateAge`, a warning that the dates rest on an
 * estimated birth date. The list is the caller's; most blocks in it are shared between decisions and
 * frozen (see {@link SHARED_BLOCKS_SIZE}): copy a block before changing it.
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
    fixedLine('check.disclaimer'),
  ];
}
