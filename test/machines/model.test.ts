/**
 * Model-based tests: every path through the machine over representative and boundary answers.
 * Each path must reach a result equal to the rules on the collected profile, never skip a question
 * that could have changed the verdict, and every view on the way must render in every locale.
 */
import { describe, expect, test } from 'vitest';
import { createI18n, createRenderer, LANGUAGES } from '../../bot/i18n.js';
import { QUESTIONS, type QuestionId } from '../../machines/questions.js';
import type { Text } from '../../machines/view.js';
import { check, type Decision, type ProfileInput } from '../../rules/index.js';
import { type Path, walk } from './paths.js';
import { AS_OF } from './support.js';

/** The contract profile of the answers a path gave (only the fields asked). */
function profileOf(path: Path): ProfileInput {
  return { ...path.final.context.answers } as ProfileInput;
}

/** The decision without what only the dialogue knows (answers marked unconfirmed). */
function comparable(d: Decision) {
  return {
    ...d,
    warnings: d.warnings.filter((w) => w !== 'unconfirmed-answers'),
    explain: { ...d.explain, unconfirmed: [] },
  };
}

/** The most favourable value of a field, to probe whether skipping it was sound. */
const FAVOURABLE: Partial<Record<QuestionId, unknown>> = {
  educationMode: 'regular',
  overseasDegree: 'doctorate',
  overseasScholar: true,
  highLevelTalent: true,
  skill: 'senior-technician',
  skillInCatalog: true,
  skillObtainedInShenzhen: true,
  skillLevelTestPassed: true,
  socialInsuranceMonths: 600,
};

const i18n = createI18n();
const renderers = LANGUAGES.map((lang) => createRenderer(lang, i18n));

describe('every path through the consultation', () => {
  const ends: Path[] = [];
  const asked = new Set<string>();
  /** One text for each distinct use of a sentence (its key and the names of its parameters). */
  const texts = new Map<string, Text>();
  const signature = (t: Text): string =>
    `${t.key}(${Object.entries(t.params ?? {})
      .map(([name, p]) =>
        typeof p === 'object' && p !== null && 't' in p
          ? `${name}=${signature({ key: p.t, ...(p.params ? { params: p.params } : {}) })}`
          : name,
      )
      .sort()
      .join(',')})`;
  const count = walk(
    AS_OF,
    (path) => ends.push(path),
    (view) => {
      if (view.question) asked.add(view.question);
      for (const t of [
        ...(view.notice ? [view.notice] : []),
        ...view.blocks.map((b) => b.text),
        ...view.choices.map((c) => c.label),
      ]) {
        const sig = signature(t);
        if (!texts.has(sig)) texts.set(sig, t);
      }
    },
  );

  test('the walk covers many paths and every question', () => {
    expect(count).toBeGreaterThan(1000);
    expect(QUESTIONS.map((q) => q.id).filter((q) => !asked.has(q))).toEqual([]);
  });

  test('every path ends in a result equal to `check` on the collected profile', () => {
    for (const path of ends) {
      expect(path.view.kind).toBe('result');
      const expected = check(profileOf(path), { asOf: AS_OF });
      if (!expected.ok || Array.isArray(expected.value)) throw new Error(JSON.stringify(expected));
      expect(comparable(path.view.decision as Decision)).toEqual(comparable(expected.value));
    }
  });

  test('no question that could change the verdict was skipped', () => {
    for (const path of ends) {
      const answers = path.final.context.answers;
      const decision = path.view.decision as Decision;
      const skipped = Object.fromEntries(
        Object.entries(FAVOURABLE).filter(([field]) => answers[field as QuestionId] === undefined),
      );
      if (answers.education === 'none') delete skipped.educationMode;
      const best = check({ ...profileOf(path), ...skipped } as ProfileInput, { asOf: AS_OF });
      if (!best.ok || Array.isArray(best.value)) throw new Error('invalid probe');
      // Eligibility can only improve with more favourable answers; if it would, the question mattered.
      expect(best.value.verdict === 'not-eligible').toBe(decision.verdict === 'not-eligible');
    }
  });

  test('every view on the way renders in every locale with no missing sentence', () => {
    expect(texts.size).toBeGreaterThan(100);
    for (const t of texts.values())
      for (const renderer of renderers)
        expect(renderer.render(t), `${renderer.lang}: ${t.key}`).not.toContain('{{');
    for (const renderer of renderers) expect(renderer.missing, renderer.lang).toEqual([]);
  });
});
