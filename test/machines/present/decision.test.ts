/**
 * The decision presenter: the contract's worked examples and a spread of generated profiles render
 * in every language with no missing sentence and no unresolved placeholder, and say what matters
 * (route, deadline, settlement). Change ids and warnings are collected from real decisions, so a new
 * one in `rules/` without its sentence fails here.
 */
import { describe, expect, test } from 'vitest';
import { createI18n, createRenderer, LANGUAGES, type Lang } from '../../../bot/i18n.js';
import { renderPlain } from '../../../bot/render/plain.js';
import { CLOSEST_SHOWN, presentDecision } from '../../../machines/present/decision.js';
import type { Block } from '../../../machines/view.js';
import {
  addDays,
  check,
  DEFAULT_EDITION,
  type Decision,
  decide,
  EDUCATION_LEVELS,
  EDUCATION_MODES,
  formatIsoDate,
  OVERSEAS_DEGREES,
  type Profile,
  ProfileSchema,
  SKILL_LEVELS,
} from '../../../rules/index.js';
import { contractExamplesText } from '../../fixtures/contract.js';

interface Example {
  readonly name: string;
  readonly asOf: string;
  readonly profile: unknown;
}

const EXAMPLES: Example[] = JSON.parse(contractExamplesText());

const i18n = createI18n();

/** The value, or a failed test when there is none. */
function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a value');
  return value;
}

function decideExample(example: Example): Decision {
  const result = check(example.profile, { asOf: example.asOf });
  if (!result.ok || Array.isArray(result.value)) throw new Error(`example ${example.name} did not decide`);
  return result.value;
}

/** Renders a decision as plain text and returns it with the keys that had no sentence. */
function render(decision: Decision, lang: Lang): { output: string; missing: readonly string[] } {
  const renderer = createRenderer(lang, i18n);
  const output = renderPlain(presentDecision(decision), renderer);
  return { output, missing: renderer.missing };
}

const say = (lang: Lang, key: string) => createRenderer(lang, i18n).render({ key });
const sayDate = (lang: Lang, date: string) =>
  createRenderer(lang, i18n).render({ key: 'check.why.until', params: { date: { date } } });

describe.each(LANGUAGES)('the worked examples in %s', (lang) => {
  test.each(EXAMPLES.map((e) => [e.name, e] as const))('%s', (_name, example) => {
    const decision = decideExample(example);
    const { output, missing } = render(decision, lang);
    expect(missing).toEqual([]);
    expect(output).not.toContain('{{');
    expect(output).not.toContain('}}');
    if (decision.route) expect(output).toContain(say(lang, `route.${decision.route}.name`));
    const deadline = decision.explain.deadline;
    if (deadline) {
      // The date as the language writes it, e.g. 2038年4月8日 / 8 April 2038.
      const written = sayDate(lang, deadline).match(
        /\d{4}年\d{1,2}月\d{1,2}日|\d{1,2} [A-Z][a-z]+ \d{4}/,
      )?.[0];
      expect(written).toBeDefined();
      expect(output).toContain(written);
    }
    expect(output).toContain(say(lang, `settlement.${decision.settlement.recommended}.name`));
  });
});

describe('the presented blocks', () => {
  const decisions = EXAMPLES.map(decideExample);

  test('start with the title, verdict and why, and end with the disclaimer', () => {
    for (const decision of decisions) {
      const blocks = presentDecision(decision);
      expect(blocks[0]?.kind).toBe('title');
      expect(blocks[1]?.text.key).toBe(`verdict.${decision.verdict}.title`);
      expect(blocks.at(-1)?.text.key).toBe('check.disclaimer');
    }
  });

  test('list all seven routes, in order', () => {
    for (const decision of decisions) {
      const routeKeys = presentDecision(decision)
        .filter((b) => b.kind === 'item' && b.text.key === 'check.cited')
        .map((b) => routeOf(b))
        .filter((id): id is string => id !== undefined);
      expect(routeKeys).toEqual(decision.routes.map((r) => r.id));
    }
  });

  test('summarise a route closed by age in one line', () => {
    const decision = decideExample(must(EXAMPLES.find((e) => e.name.startsWith('high-level'))));
    const blocks = presentDecision(decision);
    const closed = blocks.findIndex((b) => routeOf(b) === 'degree-bachelor');
    expect(blocks[closed]?.mark).toBe('fail');
    expect(blocks[closed + 1]?.kind).toBe('item');
  });

  test('number the steps from 1', () => {
    const decision = must(decisions[0]);
    const numbers = presentDecision(decision)
      .filter((b) => b.text.key.startsWith('step.'))
      .map((b) => b.number);
    expect(numbers).toEqual(decision.steps.map((_, i) => i + 1));
  });

  test('suggest at most three closest routes when not eligible', () => {
    const decision = must(decisions.find((d) => d.verdict === 'not-eligible'));
    const blocks = presentDecision(decision);
    const start = blocks.findIndex((b) => b.text.key === 'check.heading.whatWouldChange');
    const end = blocks.findIndex((b) => b.text.key === 'check.heading.routes');
    const suggested = blocks.slice(start, end).filter((b) => b.kind === 'item');
    expect(suggested.length).toBeLessThanOrEqual(CLOSEST_SHOWN);
    expect(suggested.map((b) => b.text.key)).toEqual(
      decision.explain.closest.slice(0, CLOSEST_SHOWN).map((id) => `route.${id}.name`),
    );
  });

  test('mention the credit review for a window review, and who submits for every eligible case', () => {
    for (const decision of decisions) {
      const keys = presentDecision(decision).flatMap(allKeys);
      expect(keys.includes('check.why.creditReview')).toBe(decision.verdict === 'window-review');
      expect(keys.includes('check.submitters')).toBe(decision.verdict !== 'not-eligible');
    }
  });
});

/** The route a route line is about (its `route` parameter), if it is one. */
function routeOf(b: Block): string | undefined {
  const inner = b.text.params?.text;
  if (typeof inner !== 'object' || inner === null || !('t' in inner)) return undefined;
  if (!inner.t.startsWith('check.route.')) return undefined;
  const route = inner.params?.route;
  return typeof route === 'object' && route !== null && 't' in route
    ? route.t.replace(/^route\.(.*)\.name$/, '$1')
    : undefined;
}

/** Every key a block's text uses, its parameters' included. */
function allKeys(b: Block): string[] {
  const keys: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      if ('t' in value && typeof value.t === 'string') keys.push(value.t);
      if ('key' in value && typeof value.key === 'string') keys.push(value.key);
      Object.values(value).forEach(visit);
    }
  };
  visit(b.text);
  return keys;
}

/** A small deterministic random generator (mulberry32), so the spread is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Profiles spread over every value of every field, ages 18 to 60 on 2026-11-28. */
function spread(count: number, seed: number): Profile[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const flag = () => next() < 0.5;
  return Array.from({ length: count }, () => {
    const education = pick(EDUCATION_LEVELS);
    // One in four is close to an age limit: 35, 40 or 45 within the next 100 days.
    const nearLimit = next() < 0.25;
    const year = nearLimit ? 2026 - pick([35, 40, 45]) : 1966 + Math.floor(next() * 43);
    const birthDate = nearLimit
      ? formatIsoDate(addDays({ year, month: 11, day: 28 }, 1 + Math.floor(next() * 100)))
      : formatIsoDate({ year, month: 1 + Math.floor(next() * 12), day: 1 + Math.floor(next() * 28) });
    return ProfileSchema.parse({
      birthDate,
      education,
      ...(education === 'none' ? {} : { educationMode: pick(EDUCATION_MODES) }),
      overseasDegree: pick(OVERSEAS_DEGREES),
      overseasScholar: flag(),
      highLevelTalent: next() < 0.15,
      skill: pick(SKILL_LEVELS),
      skillInCatalog: flag(),
      skillObtainedInShenzhen: flag(),
      skillLevelTestPassed: flag(),
      socialInsuranceMonths: pick([0, 1, 12, 30, 35, 36, 60]),
      creditHighRisk: next() < 0.2,
      ownsProperty: next() < 0.3,
      relativeHost: next() < 0.3,
      employerCollective: next() < 0.3,
      talentCentre: next() < 0.3,
      guangdongHukou: flag(),
    });
  });
}

describe('a spread of profiles', () => {
  const AS_OF = '2026-11-28';
  const decisions = spread(400, 2019).map((profile, index) =>
    decide(profile, {
      asOf: AS_OF,
      edition: DEFAULT_EDITION,
      ...(index % 7 === 0 ? { unconfirmed: ['skillInCatalog', 'socialInsuranceMonths'] } : {}),
    }),
  );

  test('exercises every condition, every verdict and every warning', () => {
    const failed = new Set(
      decisions.flatMap((d) => d.explain.routes.flatMap((r) => r.changes.map((c) => c.condition))),
    );
    const used = new Set(DEFAULT_EDITION.routes.flatMap((r) => r.conditions.map((c) => c.id)));
    expect([...used].filter((id) => !failed.has(id))).toEqual([]);
    expect(new Set(decisions.map((d) => d.verdict)).size).toBe(3);
    expect(new Set(decisions.flatMap((d) => d.warnings))).toEqual(
      new Set(['age-limit-soon', 'unconfirmed-answers']),
    );
    const late = decisions.some((d) =>
      d.explain.routes.some((r) =>
        r.changes.some((c) => c.id === 'more-social-insurance' && c.params.inTime === false),
      ),
    );
    expect(late).toBe(true);
  });

  test.each(LANGUAGES)('renders in %s with no missing sentence and no placeholder left', (lang) => {
    const renderer = createRenderer(lang, i18n);
    for (const decision of decisions) {
      const output = renderPlain(presentDecision(decision), renderer);
      expect(output).not.toContain('{{');
    }
    expect(renderer.missing).toEqual([]);
  });
});

test('an approximate age adds a warning that the dates rest on an estimate', () => {
  const decision = decide(ProfileSchema.parse({ birthDate: '1990-06-01', education: 'none' }), {
    asOf: '2026-11-28',
    edition: DEFAULT_EDITION,
  });
  const keys = (blocks: readonly Block[]) => blocks.map((b) => b.text.key);
  expect(keys(presentDecision(decision))).not.toContain('warning.approximate-age');
  expect(keys(presentDecision(decision, { approximateAge: true }))).toContain('warning.approximate-age');
});
