/**
 * The locale files: the same keys in every language, no empty sentence, and a sentence for every id
 * the shipped editions and the code's vocabularies can produce. Ids are taken from the edition data
 * and the code's lists, so a new route, step or clause without its sentence fails here.
 */
import { describe, expect, test } from 'vitest';
import { createI18n, hasSentence, LANGUAGES, LOCALES, type ResourceTree } from '../../bot/i18n.js';
import {
  CONDITION_IDS,
  EDITIONS,
  EDUCATION_LEVELS,
  EDUCATION_MODES,
  type Edition,
  type IssueCode,
  OVERSEAS_DEGREES,
  ProfileSchema,
  SKILL_LEVELS,
  VERDICTS,
} from '../../rules/index.js';

/** Every leaf of a resource tree as [dotted key, sentence]. */
function leaves(tree: ResourceTree, prefix = ''): [string, unknown][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? leaves(value, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

/** A key without its plural suffix: plural forms differ by language (CLDR), the sentence does not. */
const unpluralised = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

/** Every clause id an edition cites: each `clause` property anywhere in its data, and its source. */
function clauseIds(edition: Edition): Set<string> {
  const found = new Set<string>([edition.source]);
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null)
      for (const [key, inner] of Object.entries(value)) {
        if (key === 'clause' && typeof inner === 'string') found.add(inner);
        else visit(inner);
      }
  };
  visit(edition);
  return found;
}

/** Every issue code (tsc checks that this lists the union exactly). */
const ISSUE_CODES: Record<IssueCode, true> = {
  'invalid-json': true,
  'not-an-object': true,
  required: true,
  'wrong-type': true,
  'not-in-list': true,
  'unknown-field': true,
  'date-format': true,
  'not-a-real-date': true,
  'date-in-future': true,
  'date-too-old': true,
  'not-an-integer': true,
  'too-small': true,
  'too-large': true,
  'education-mode-required': true,
  'unknown-policy': true,
  'unknown-language': true,
  'empty-input': true,
  'file-unreadable': true,
};

const i18n = createI18n();
const editions = [...EDITIONS.values()];

/** The keys every shipped edition needs a sentence for. */
function editionKeys(edition: Edition): string[] {
  return [
    `policy.${edition.id}.name`,
    ...edition.routes.flatMap((r) => [`route.${r.id}.name`, `route.${r.id}.summary`]),
    ...edition.settlement.flatMap((o) => [
      `settlement.${o.id}.name`,
      `settlement.${o.id}.detail`,
      `settlement.${o.id}.why`,
      ...o.pros.map((id) => `settlement.pro.${id}`),
      ...o.cons.map((id) => `settlement.con.${id}`),
    ]),
    ...edition.steps.map((s) => `step.${s.id}`),
    ...edition.materials.map((m) => `material.${m.id}`),
    ...edition.notes.map((n) => `note.${n.id}`),
    ...edition.interpretations.map((i) => `interpretation.${i.id}`),
    ...edition.laterChanges.map((c) => `laterChange.${c.clause}`),
    ...[...clauseIds(edition)].map((id) => `clause.${id}`),
  ];
}

/** The keys the code's vocabularies need, whatever the edition. */
const CODE_KEYS = [
  'common.yes',
  'common.no',
  'common.listSeparator',
  'common.date',
  ...Array.from({ length: 12 }, (_, m) => `common.months.${m + 1}`),
  ...VERDICTS.flatMap((v) => [`verdict.${v}.title`, `verdict.${v}.detail`]),
  ...EDUCATION_LEVELS.map((l) => `level.education.${l}`),
  ...EDUCATION_MODES.map((l) => `level.educationMode.${l}`),
  ...[...OVERSEAS_DEGREES, 'scholar'].map((l) => `level.overseas.${l}`),
  ...SKILL_LEVELS.map((l) => `level.skill.${l}`),
  ...Object.keys(ProfileSchema.shape).map((f) => `field.${f}`),
  ...Object.keys(ISSUE_CODES).map((code) => `issue.${code}`),
];

describe('locale files', () => {
  const keySets = LANGUAGES.map((lang) => new Set(leaves(LOCALES[lang]).map(([k]) => unpluralised(k))));

  test.each(LANGUAGES.slice(1))('%s has exactly the keys of zh-CN', (lang) => {
    const [zh] = keySets;
    const other = keySets[LANGUAGES.indexOf(lang)];
    expect([...(other ?? [])].filter((k) => !zh?.has(k))).toEqual([]);
    expect([...(zh ?? [])].filter((k) => !other?.has(k))).toEqual([]);
  });

  test.each(LANGUAGES)('%s has no empty or non-text sentence', (lang) => {
    const bad = leaves(LOCALES[lang]).filter(([, v]) => typeof v !== 'string' || v.trim() === '');
    expect(bad).toEqual([]);
  });

  test.each(LANGUAGES)('%s: every {{placeholder}} is balanced', (lang) => {
    const bad = leaves(LOCALES[lang]).filter(([, v]) => {
      const s = String(v);
      return (s.match(/\{\{/g) ?? []).length !== (s.match(/\}\}/g) ?? []).length;
    });
    expect(bad).toEqual([]);
  });

  test('placeholders are the same in every language', () => {
    const names = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const byKey = (lang: (typeof LANGUAGES)[number]) => {
      const map = new Map<string, Set<string>>();
      for (const [k, v] of leaves(LOCALES[lang])) {
        const key = unpluralised(k);
        const set = map.get(key) ?? new Set<string>();
        for (const n of names(String(v))) if (n) set.add(n);
        map.set(key, set);
      }
      return map;
    };
    const zh = byKey('zh-CN');
    for (const lang of LANGUAGES.slice(1)) {
      for (const [key, set] of byKey(lang))
        expect([key, [...set].sort()]).toEqual([key, [...(zh.get(key) ?? [])].sort()]);
    }
  });
});

describe.each(LANGUAGES)('%s has a sentence for every id', (lang) => {
  test.each(editions.map((e) => [e.id, e] as const))('of edition %s', (_id, edition) => {
    expect(editionKeys(edition).filter((key) => !hasSentence(i18n, lang, key))).toEqual([]);
  });

  test('of the code (verdicts, levels, fields, issue codes, dates)', () => {
    expect(CODE_KEYS.filter((key) => !hasSentence(i18n, lang, key))).toEqual([]);
  });

  test('of every condition id', () => {
    expect(CONDITION_IDS.filter((id) => !hasSentence(i18n, lang, `condition.${id}.line`))).toEqual([]);
  });
});
