/**
 * The evaluator: a validated profile, a decision date and an edition in; a decision out.
 * Pure: no clock, no I/O, no text. Every number it applies comes from the edition.
 *
 * Built for bulk use (`check` of a client list): each edition is prepared once (its conditions as
 * numbers, its static explanations), and whatever a decision holds that depends only on the edition
 * and a few small facts (a condition's check, an `unmet` list, the settlement options, the steps,
 * materials and notes of a case) is made once, frozen, and shared by every decision it belongs to.
 * A decision is plain data either way: it serialises to the same JSON as one built afresh.
 */
import { applies, type Case } from './applies.js';
import {
  type CompiledCondition,
  type ConditionSink,
  compileCondition,
  compiledMet,
  type DayFacts,
  dateKey,
  evaluateCondition,
} from './conditions.js';
import { daysBetween, type IsoDate, isLeapYear, parseIsoDate } from './dates.js';
import type {
  Change,
  ConditionCheck,
  Decision,
  Explanation,
  RouteExplanation,
  RouteOutcome,
  Verdict,
} from './decision.js';
import type { ConditionId, Edition, ItemRule, RouteRule } from './edition.js';
import {
  BOOLEAN_FIELDS,
  EDUCATION_LEVELS,
  EDUCATION_MODES,
  OVERSEAS_DEGREES,
  type Profile,
  SKILL_LEVELS,
} from './profile.js';

/** Options of {@link decide}. */
export interface DecideOptions {
  /** The decision date, `YYYY-MM-DD` (a Shanghai calendar day; see `todayIn`). */
  readonly asOf: IsoDate;
  readonly edition: Edition;
  /** Profile fields the person did not know and that were answered with the cautious assumption. */
  readonly unconfirmed?: readonly string[];
}

/** A route's outcome without the explanation: met, and the conditions that fail. */
export interface RouteCheck {
  readonly id: string;
  readonly met: boolean;
  readonly unmet: readonly ConditionId[];
}

/**
 * How much effort each kind of change takes, to rank the routes closest to being met.
 * Luohu's advice heuristic, not policy: passing a test is quicker than earning a new qualification.
 */
const CHANGE_EFFORT: Readonly<Record<ConditionId, number>> = {
  'level-test': 1,
  'social-insurance': 1,
  catalog: 2,
  skill: 3,
  education: 4,
  'education-mode': 4,
  overseas: 4,
  certificate: 5,
  age: Number.POSITIVE_INFINITY,
};

/** The one empty list every decision shares (frozen). */
const EMPTY: readonly never[] = Object.freeze([]);

/** Failed-condition masks fit in an integer up to this many conditions per route. */
const MASK_BITS = 30;

/** A route prepared for evaluation. */
interface CompiledRoute {
  readonly id: string;
  readonly clause: string;
  readonly conditions: readonly CompiledCondition[];
  /** The effort of each condition's change (see CHANGE_EFFORT). */
  readonly efforts: readonly number[];
  /** Index of the limit of its first age rule in the edition's limits, or -1 without one. */
  readonly closes: number;
  /** `unmet` lists by the mask of failed conditions (bit i: condition i failed). */
  readonly unmet: Map<number, readonly ConditionId[]>;
  /** `checkRoutes` outcomes by the same mask. */
  readonly checks: Map<number, RouteCheck>;
  /** Whether its checks can be keyed by a small integer (see `SharedParts`). */
  readonly shareable: boolean;
  /** Shared parts by the numbers of the route's checks (one digit per condition). */
  readonly shared: Map<number, SharedParts>;
}

/**
 * What decisions with the same checks of a route share: the list of checks and, for one decision
 * date, the lists of changes when no change depends on the person, by the mask of the conditions
 * whose change cannot be made in time.
 */
interface SharedParts {
  readonly checks: readonly ConditionCheck[];
  day: number;
  readonly changes: Map<number, readonly Change[]>;
}

/** Routes with at most this many possible lists of checks share them. */
const SHARED_KEY_SPACE = 2 ** 16;

/** At most this many shared parts are kept per route (a bound on memory for unusual inputs). */
const MAX_SHARED_PER_ROUTE = 20_000;

/** The steps, materials and notes of one case. */
interface Items {
  readonly steps: readonly string[];
  readonly materials: readonly string[];
  readonly notes: readonly string[];
}

/** An edition prepared for evaluation, with the parts of its decisions that never change. */
interface CompiledEdition {
  readonly edition: Edition;
  readonly routes: readonly CompiledRoute[];
  /** Years to each distinct limit birthday of the edition's age rules. */
  readonly limitYears: readonly number[];
  /** Scratch for the person being decided: limit birthdays as keys, written, and the day before. */
  readonly limitKeys: number[];
  readonly limitDates: string[];
  readonly untilDates: string[];
  readonly ageChanges: (Change | undefined)[];
  /** The profile fields any step, material or note depends on, and the values each can take. */
  readonly whenFields: readonly (keyof Profile)[];
  readonly whenScales: readonly (readonly unknown[])[];
  /** Whether items can be keyed by number (every when-field has a small scale). */
  readonly itemsKeyed: boolean;
  /** Items by case key (see `itemsOf`). */
  readonly items: Map<number, Items>;
  /** The lists of ids in items, by their ids joined (see `sameList`). */
  readonly itemLists: Map<string, readonly string[]>;
  /** `closest` lists by the order of their routes (digits of route index + 1). */
  readonly closest: Map<number, readonly string[]>;
  /** Settlement outcomes by the mask of the fitting options. */
  readonly settlements: Map<number, Decision['settlement']>;
  /** `warnings` by (age-limit-soon ? 1 : 0) + (unconfirmed ? 2 : 0). */
  readonly warnings: readonly (readonly string[])[];
  readonly explain: Pick<
    Explanation,
    'ageReading' | 'ageReadingClause' | 'interpretations' | 'laterChanges' | 'clauses' | 'settlement'
  >;
}

/** Freezes a value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}

/** The values a profile field can take (validated), for fields with a small set of values. */
const FIELD_SCALES: Partial<Record<keyof Profile, readonly unknown[]>> = {
  education: EDUCATION_LEVELS,
  educationMode: EDUCATION_MODES,
  overseasDegree: OVERSEAS_DEGREES,
  skill: SKILL_LEVELS,
};
const BOOLEAN_SCALE: readonly unknown[] = [false, true];

/** The radix of a field's digit in a case key: 0 for `undefined`, 1 + the value's index otherwise. */
const SCALE_RADIX = 8;

function scaleOf(field: keyof Profile): readonly unknown[] | undefined {
  return (
    FIELD_SCALES[field] ?? ((BOOLEAN_FIELDS as readonly string[]).includes(field) ? BOOLEAN_SCALE : undefined)
  );
}

const compiledEditions = new WeakMap<Edition, CompiledEdition>();

/** The edition prepared for evaluation (once per edition object). */
function compile(edition: Edition): CompiledEdition {
  const found = compiledEditions.get(edition);
  if (found) return found;
  const limitYears: number[] = [];
  const limitIndex = (years: number) => {
    const index = limitYears.indexOf(years);
    return index >= 0 ? index : limitYears.push(years) - 1;
  };
  const routes = edition.routes.map((route: RouteRule): CompiledRoute => {
    const conditions = route.conditions.map((rule) =>
      compileCondition(rule, edition.ageReading.value, limitIndex),
    );
    const firstAge = conditions.find((c) => c.id === 'age');
    return {
      id: route.id,
      clause: route.clause,
      conditions,
      efforts: conditions.map((c) => CHANGE_EFFORT[c.id]),
      closes: firstAge ? firstAge.limit : -1,
      unmet: new Map(),
      checks: new Map(),
      // One digit per condition, each below the condition's capacity. A route with many possible
      // lists (months times ages) is rarely the same twice: a big map of them would cost more than it saves.
      shareable: conditions.reduce((space, c) => space * c.capacity, 1) <= SHARED_KEY_SPACE,
      shared: new Map(),
    };
  });
  const fields = new Set<keyof Profile>();
  for (const item of [...edition.steps, ...edition.materials, ...edition.notes])
    for (const field of Object.keys(item.when?.profile ?? {})) fields.add(field as keyof Profile);
  const whenFields = [...fields];
  const whenScales = whenFields.map((field) => scaleOf(field) ?? []);
  // The case key must stay an exact integer: route, verdict, settlement, then one digit per field.
  let keySpace = (edition.routes.length + 1) * 3 * (edition.settlement.length + 1);
  keySpace *= SCALE_RADIX ** whenScales.length;
  const itemsKeyed =
    keySpace <= Number.MAX_SAFE_INTEGER &&
    whenScales.every((scale) => scale.length > 0 && scale.length < SCALE_RADIX);
  const compiled: CompiledEdition = {
    edition,
    routes,
    limitYears,
    limitKeys: limitYears.map(() => 0),
    limitDates: limitYears.map(() => ''),
    untilDates: limitYears.map(() => ''),
    ageChanges: limitYears.map(() => undefined),
    whenFields,
    whenScales,
    itemsKeyed,
    items: new Map(),
    itemLists: new Map(),
    closest: new Map(),
    settlements: new Map(),
    warnings: deepFreeze([
      [],
      ['age-limit-soon'],
      ['unconfirmed-answers'],
      ['age-limit-soon', 'unconfirmed-answers'],
    ]),
    explain: deepFreeze({
      ageReading: edition.ageReading.value,
      ageReadingClause: edition.ageReading.clause,
      interpretations: edition.interpretations.map((i) => i.id),
      laterChanges: edition.laterChanges.map((c) => c.clause),
      clauses: {
        source: edition.source,
        creditReview: edition.creditReview.clause,
        submitters: edition.submitters.clause,
      },
      settlement: edition.settlement.map((o) => ({
        id: o.id,
        clause: o.clause,
        pros: [...o.pros],
        cons: [...o.cons],
      })),
    }),
  };
  compiledEditions.set(edition, compiled);
  return compiled;
}

let lastAsOfText: string | undefined;
let lastAsOf: ReturnType<typeof parseIsoDate>;

/** `parseIsoDate` for the decision date, which is the same for a whole batch. */
function asOfParts(text: IsoDate): ReturnType<typeof parseIsoDate> {
  if (text !== lastAsOfText) {
    lastAsOf = parseIsoDate(text);
    lastAsOfText = text;
  }
  return lastAsOf;
}

/** `-MM-DD` for every month and day, at `month * 32 + day`. */
const MONTH_DAYS: readonly string[] = Array.from({ length: 13 * 32 }, (_, i) => {
  const month = Math.floor(i / 32);
  const day = i % 32;
  return `-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
});

/** `formatIsoDate` without a parts object (one string made, not one per part). */
function formatDate(year: number, month: number, day: number): IsoDate {
  const y = year >= 1000 ? String(year) : String(year).padStart(4, '0');
  return y + MONTH_DAYS[month * 32 + day];
}

/** The facts a decision's conditions read, and each limit's `until` (the day before it). */
interface DecisionFacts extends DayFacts {
  readonly untilDates: readonly string[];
}

/** The profile's birthday `years` on (29 February falls on 1 March in common years), as a key. */
function birthdayKey(year: number, month: number, day: number, years: number): number {
  const y = year + years;
  return month === 2 && day === 29 && !isLeapYear(y) ? dateKey(y, 3, 1) : dateKey(y, month, day);
}

/** Day facts of a person born on `birth`, for the decision date `asOf` (valid until the next call). */
function factsOf(
  c: CompiledEdition,
  birth: NonNullable<ReturnType<typeof parseIsoDate>>,
  asOf: NonNullable<ReturnType<typeof parseIsoDate>>,
): DecisionFacts {
  const asOfKey = dateKey(asOf.year, asOf.month, asOf.day);
  const years = asOf.year - birth.year;
  const age = birthdayKey(birth.year, birth.month, birth.day, years) > asOfKey ? years - 1 : years;
  const count = c.limitYears.length;
  // Scratch arrays of the edition, overwritten for each person (decide is synchronous).
  const { limitKeys, limitDates, untilDates, ageChanges } = c;
  for (let i = 0; i < count; i++) {
    let y = birth.year + (c.limitYears[i] ?? 0);
    let m = birth.month;
    let d = birth.day;
    if (m === 2 && d === 29 && !isLeapYear(y)) {
      m = 3;
      d = 1;
    }
    ageChanges[i] = undefined;
    limitKeys[i] = dateKey(y, m, d);
    limitDates[i] = formatDate(y, m, d);
    // The day before the limit birthday.
    if (d > 1) d -= 1;
    else if (m > 1) {
      m -= 1;
      d = m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
    } else {
      y -= 1;
      m = 12;
      d = 31;
    }
    untilDates[i] = formatDate(y, m, d);
  }
  return { asOf, asOfKey, age, limitKeys, limitDates, untilDates, ageChanges };
}

/** The dates of a profile, or the error `decide` and `checkRoutes` throw without them. */
function datesOf(profile: Profile, asOfText: IsoDate) {
  const asOf = asOfParts(asOfText);
  const birth = parseIsoDate(profile.birthDate);
  if (!asOf || !birth) throw new RangeError('decide() needs a validated profile and a real asOf date');
  return { asOf, birth };
}

/** The `unmet` list of a route for a mask of failed conditions (shared). */
function unmetOf(route: CompiledRoute, mask: number): readonly ConditionId[] {
  let found = route.unmet.get(mask);
  if (!found) {
    const ids: ConditionId[] = [];
    route.conditions.forEach((c, i) => {
      if (mask & (1 << i)) ids.push(c.id);
    });
    found = Object.freeze(ids);
    route.unmet.set(mask, found);
  }
  return found;
}

/**
 * Which routes are met and what fails, without building explanations: the cheap check behind the
 * choice of the next question. {@link decide} gives the same `met` and `unmet`, with the reasons.
 * The outcomes are shared between calls (frozen).
 */
export function checkRoutes(
  profile: Profile,
  options: Pick<DecideOptions, 'asOf' | 'edition'>,
): RouteCheck[] {
  const { asOf, birth } = datesOf(profile, options.asOf);
  const c = compile(options.edition);
  const asOfKey = dateKey(asOf.year, asOf.month, asOf.day);
  const limits = c.limitKeys;
  for (let i = 0; i < limits.length; i++)
    limits[i] = birthdayKey(birth.year, birth.month, birth.day, c.limitYears[i] ?? 0);
  const out: RouteCheck[] = new Array(c.routes.length);
  for (let r = 0; r < c.routes.length; r++) {
    const route = c.routes[r] as CompiledRoute;
    const conditions = route.conditions;
    if (conditions.length > MASK_BITS) {
      const unmet: ConditionId[] = [];
      for (const cc of conditions) if (compiledMet(cc, profile, asOfKey, limits) === false) unmet.push(cc.id);
      out[r] = { id: route.id, met: unmet.length === 0, unmet };
      continue;
    }
    let mask = 0;
    for (let i = 0; i < conditions.length; i++)
      if (compiledMet(conditions[i] as CompiledCondition, profile, asOfKey, limits) === false) mask |= 1 << i;
    let found = route.checks.get(mask);
    if (!found) {
      found = Object.freeze({ id: route.id, met: mask === 0, unmet: unmetOf(route, mask) });
      route.checks.set(mask, found);
    }
    out[r] = found;
  }
  return out;
}

/** The settlement outcome, as the edition's options fit the profile (shared when the flags are booleans). */
function settlementOf(c: CompiledEdition, profile: Profile): Decision['settlement'] {
  const options = c.edition.settlement;
  let mask = 0;
  let plain = options.length <= MASK_BITS;
  for (let i = 0; i < options.length && plain; i++) {
    const fitsWhen = options[i]?.fitsWhen;
    if (fitsWhen === undefined || fitsWhen === 'fallback') continue;
    const value: unknown = profile[fitsWhen];
    if (typeof value !== 'boolean') plain = false;
    else if (value) mask |= 1 << i;
  }
  const found = plain ? c.settlements.get(mask) : undefined;
  if (found) return found;
  const fitting = options.filter((o) => o.fitsWhen !== 'fallback' && profile[o.fitsWhen]);
  const fits = options.map((o) => ({
    id: o.id,
    fits: o.fitsWhen === 'fallback' ? fitting.length === 0 : profile[o.fitsWhen],
  }));
  const recommended = fits.find((o) => o.fits)?.id ?? options[options.length - 1]?.id ?? '';
  const made = { recommended, options: fits };
  if (!plain) return made;
  c.settlements.set(mask, deepFreeze(made));
  return made;
}

/** The steps, materials and notes of a case, made afresh. */
function makeItems(edition: Edition, theCase: Case): Items {
  const eligible = theCase.verdict !== 'not-eligible';
  const pick = (items: readonly ItemRule[]) =>
    eligible ? items.filter((i) => applies(i.when, theCase)).map((i) => i.id) : [];
  return {
    steps: pick(edition.steps),
    materials: pick(edition.materials),
    notes: edition.notes.filter((n) => applies(n.when, theCase)).map((n) => n.id),
  };
}

/**
 * The steps, materials and notes of a case, shared (frozen) between the cases with the same route
 * (`routeIndex`, -1 for none), verdict, settlement and values of the profile fields they depend on.
 */
function itemsOf(c: CompiledEdition, theCase: Case, routeIndex: number): Items {
  if (!c.itemsKeyed) return makeItems(c.edition, theCase);
  const options = c.edition.settlement;
  let settlement = 0;
  while (settlement < options.length && options[settlement]?.id !== theCase.settlement) settlement++;
  let key =
    ((routeIndex + 1) * 3 +
      (theCase.verdict === 'instant' ? 0 : theCase.verdict === 'window-review' ? 1 : 2)) *
      (options.length + 1) +
    settlement;
  const fields = c.whenFields;
  for (let i = 0; i < fields.length; i++) {
    const value = theCase.profile[fields[i] as keyof Profile];
    const digit = value === undefined ? 0 : (c.whenScales[i] as readonly unknown[]).indexOf(value) + 1;
    // A value outside the field's scale (not from a validated profile): no sharing.
    if (digit === 0 && value !== undefined) return makeItems(c.edition, theCase);
    key = key * SCALE_RADIX + digit;
  }
  let found = c.items.get(key);
  if (!found) {
    const made = makeItems(c.edition, theCase);
    // Many cases have the same lists: one frozen list for each, so what is made of a list (its
    // presentation, say) can be shared by identity.
    found = Object.freeze({
      steps: sameList(c, made.steps),
      materials: sameList(c, made.materials),
      notes: sameList(c, made.notes),
    });
    c.items.set(key, found);
  }
  return found;
}

/** The edition's one frozen list of these ids (lists of steps, materials and notes). */
function sameList(c: CompiledEdition, ids: readonly string[]): readonly string[] {
  const key = `${ids.length}\u0000${ids.join('\u0000')}`;
  let found = c.itemLists.get(key);
  if (!found) {
    found = Object.freeze(ids);
    c.itemLists.set(key, found);
  }
  return found;
}

/** Scratch lists of `decide`, copied to lists of the exact length (pushing would over-allocate). */
const changeScratch: Change[] = [];
const alternativeScratch: { id: string; until: string | null }[] = [];
const closestRoutes: number[] = [];
const closestCosts: number[] = [];
const costScratch: number[] = [];

/** The first `count` items of a scratch list, as a new list (the shared empty list for none). */
function exactCopy<T>(scratch: readonly T[], count: number): T[] {
  if (count === 0) return EMPTY as never[];
  const out: T[] = new Array(count);
  for (let i = 0; i < count; i++) out[i] = scratch[i] as T;
  return out;
}

/** Receives the change of the condition just evaluated. */
const sink: ConditionSink = { change: undefined, blocks: false, checkId: -1, personal: false };
const checkScratch: ConditionCheck[] = [];

/**
 * Decides a case: which routes are met, the verdict, the settlement option, the steps and
 * materials, and the reasons behind each. The profile must have been validated for `asOf`.
 * Parts of the decision that are the same for many people are shared between decisions and frozen.
 */
export function decide(profile: Profile, options: DecideOptions): Decision {
  const { edition } = options;
  const { asOf, birth } = datesOf(profile, options.asOf);
  const c = compile(edition);
  const facts = factsOf(c, birth, asOf);

  const count = c.routes.length;
  const routes: RouteOutcome[] = new Array(count);
  const explained: RouteExplanation[] = new Array(count);
  const costs = costScratch;
  let first = -1;
  for (let r = 0; r < count; r++) {
    const route = c.routes[r] as CompiledRoute;
    const conditions = route.conditions;
    let key = 0;
    let place = 1;
    let keyed = route.shareable;
    let personal = false;
    let blocked = 0;
    let changeCount = 0;
    let mask = 0;
    let unmetList: ConditionId[] | undefined;
    let cost = 0;
    let reachable = true;
    for (let i = 0; i < conditions.length; i++) {
      const cc = conditions[i] as CompiledCondition;
      const check = evaluateCondition(cc, profile, facts, route.closes, sink);
      checkScratch[i] = check;
      if (sink.checkId < 0 || sink.checkId >= cc.capacity) keyed = false;
      else {
        key += sink.checkId * place;
        place *= cc.capacity;
      }
      if (check.met === false) {
        if (conditions.length <= MASK_BITS) mask |= 1 << i;
        else if (unmetList) unmetList.push(cc.id);
        else unmetList = [cc.id];
      }
      const change = sink.change;
      if (change) {
        changeScratch[changeCount++] = change;
        cost += route.efforts[i] ?? 0;
        if (sink.blocks) {
          reachable = false;
          blocked |= 1 << i;
        }
        if (sink.personal) personal = true;
      }
    }
    // The lists of checks and changes, shared with earlier decisions where possible.
    let parts = keyed ? route.shared.get(key) : undefined;
    if (!parts && keyed && route.shared.size < MAX_SHARED_PER_ROUTE) {
      parts = {
        checks: Object.freeze(exactCopy(checkScratch, conditions.length)),
        day: 0,
        changes: new Map(),
      };
      route.shared.set(key, parts);
    }
    const checks = (parts?.checks ?? exactCopy(checkScratch, conditions.length)) as ConditionCheck[];
    let changes: Change[];
    if (parts && !personal && conditions.length <= MASK_BITS) {
      if (parts.day !== facts.asOfKey) {
        parts.day = facts.asOfKey;
        parts.changes.clear();
      }
      let shared = parts.changes.get(blocked);
      if (!shared) {
        shared = Object.freeze(exactCopy(changeScratch, changeCount));
        parts.changes.set(blocked, shared);
      }
      changes = shared as Change[];
    } else changes = exactCopy(changeScratch, changeCount);
    const unmet = conditions.length > MASK_BITS ? (unmetList ?? []) : unmetOf(route, mask);
    const met = unmet.length === 0;
    if (met && first < 0) first = r;
    costs[r] = cost;
    routes[r] = {
      id: route.id,
      met,
      unmet: unmet as ConditionId[],
      until: route.closes >= 0 ? (facts.untilDates[route.closes] ?? null) : null,
    };
    explained[r] = {
      id: route.id,
      clause: route.clause,
      met,
      conditions: checks,
      changes,
      closedOn: route.closes >= 0 ? (facts.limitDates[route.closes] ?? null) : null,
      reachable,
    };
  }

  const chosen = first >= 0 ? routes[first] : undefined;
  const verdict: Verdict = !chosen ? 'not-eligible' : profile.creditHighRisk ? 'window-review' : 'instant';

  let soon = false;
  if (chosen?.until) {
    const until = parseIsoDate(chosen.until);
    if (until && daysBetween(asOf, until) <= edition.ageLimitWarningDays.value) soon = true;
  }
  const unconfirmed = options.unconfirmed !== undefined && options.unconfirmed.length > 0;
  const warnings = c.warnings[(soon ? 1 : 0) + (unconfirmed ? 2 : 0)] as string[];

  const settlement = settlementOf(c, profile);
  const theCase: Case = { profile, route: chosen?.id ?? null, verdict, settlement: settlement.recommended };
  const items = itemsOf(c, theCase, first);

  // A met route without an age limit means no deadline at all; ISO dates compare as strings.
  let deadline: string | null = null;
  let unlimited = false;
  let alternativeCount = 0;
  const firstUntil = chosen?.until ?? null;
  for (let r = first; r >= 0 && r < count; r++) {
    const route = routes[r] as RouteOutcome;
    if (!route.met) continue;
    if (route.until === null) unlimited = true;
    else if (deadline === null || route.until > deadline) deadline = route.until;
    // Only the met routes that outlast the chosen one are a fallback if it closes.
    if (r > first && firstUntil !== null && (route.until === null || route.until > firstUntil))
      alternativeScratch[alternativeCount++] = { id: route.id, until: route.until };
  }
  if (unlimited) deadline = null;

  // Not met but reachable, fewest and smallest changes first (a stable insertion sort).
  let closestCount = 0;
  let closestKey = 0;
  for (let r = 0; r < count; r++) {
    const route = explained[r] as RouteExplanation;
    if (route.met || !route.reachable) continue;
    const cost = costs[r] ?? 0;
    let at = closestCount++;
    while (at > 0 && (closestCosts[at - 1] ?? 0) > cost) {
      closestRoutes[at] = closestRoutes[at - 1] ?? 0;
      closestCosts[at] = closestCosts[at - 1] ?? 0;
      at--;
    }
    closestRoutes[at] = r;
    closestCosts[at] = cost;
  }
  for (let i = 0; i < closestCount; i++) closestKey = closestKey * (count + 1) + (closestRoutes[i] ?? 0) + 1;
  let closest = closestKey <= Number.MAX_SAFE_INTEGER ? c.closest.get(closestKey) : undefined;
  if (!closest) {
    const ids: string[] = new Array(closestCount);
    for (let i = 0; i < closestCount; i++) ids[i] = c.routes[closestRoutes[i] ?? 0]?.id ?? '';
    closest = Object.freeze(ids);
    if (closestKey <= Number.MAX_SAFE_INTEGER) c.closest.set(closestKey, closest);
  }

  const s = c.explain;
  const explain: Explanation = {
    ageReading: s.ageReading,
    ageReadingClause: s.ageReadingClause,
    routes: explained,
    deadline,
    alternatives: exactCopy(alternativeScratch, alternativeCount),
    closest: closest as string[],
    notes: items.notes as string[],
    interpretations: s.interpretations,
    laterChanges: s.laterChanges,
    unconfirmed: unconfirmed ? [...(options.unconfirmed ?? [])] : (EMPTY as never[]),
    clauses: s.clauses,
    settlement: s.settlement,
  };

  return {
    policy: edition.id,
    asOf: options.asOf,
    age: facts.age,
    verdict,
    route: chosen?.id ?? null,
    routes,
    warnings,
    settlement,
    steps: items.steps as string[],
    materials: items.materials as string[],
    explain,
  };
}
