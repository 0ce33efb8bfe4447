/**
 * Sentences with parameters are filled in from compiled templates instead of i18next's `t()`; the
 * output must be byte-identical to i18next's for every key of both locales (every plural form,
 * parameters present, missing or extra), for agency overrides using i18next features beyond plain
 * placeholders, and for every view of many generated consultations.
 */
import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import { consultationScripts } from '../../bench/workload.js';
import {
  createI18n,
  createRenderer,
  I18NEXT_OPTIONS,
  type I18n,
  LANGUAGES,
  type Lang,
  LOCALES,
  type LocaleOverrides,
  mergeResources,
  type ResourceTree,
  renderText,
} from '../../bot/i18n.js';
import { keyboardOf, viewHtml } from '../../bot/telegram/format.js';
import { startConversation, stepConversation } from '../../machines/conversation.js';
import type { ConsultationEvent } from '../../machines/events.js';
import { interpret } from '../../machines/interpret.js';
import type { Choice, Text, View } from '../../machines/view.js';
import { viewOf } from '../../machines/views.js';
import { walk } from '../machines/paths.js';
import { AS_OF } from '../machines/support.js';

/** An i18next instance configured as `createI18n` configures its own, but not one of them. */
function referenceI18n(overrides: LocaleOverrides = {}): I18n {
  const instance = i18next.createInstance();
  void instance.init({
    ...I18NEXT_OPTIONS,
    resources: Object.fromEntries(
      LANGUAGES.map((lang) => [lang, { translation: mergeResources(LOCALES[lang], overrides[lang]) }]),
    ),
  });
  return instance;
}

/** Every leaf key of a tree, with its sentence. */
function leaves(tree: ResourceTree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`),
  );
}

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Keys as texts name them (plural suffixes removed), with the placeholder names of all their forms. */
function keysWithNames(): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const lang of LANGUAGES)
    for (const [key, sentence] of leaves(LOCALES[lang])) {
      const base = key.replace(PLURAL, '');
      const names = keys.get(base) ?? new Set<string>();
      for (const m of sentence.matchAll(/{{(.+?)}}/g)) names.add((m[1] as string).trim());
      keys.set(base, names);
    }
  return keys;
}

/** Parameter sets tried for a key: all present (strings, numbers, counts), one missing, extra. */
function paramSets(names: Set<string>): Record<string, string | number>[] {
  const all = [...names];
  const sets: Record<string, string | number>[] = [];
  const base = Object.fromEntries(all.map((n, i) => [n, i % 2 ? `‹${n} & <b>›` : i * 7 + 3]));
  sets.push(base);
  sets.push(Object.fromEntries(all.map((n) => [n, `{{${n}}} $t(common.yes)`])));
  for (const n of all) {
    const { [n]: _dropped, ...rest } = base;
    sets.push(rest);
  }
  sets.push({ ...base, extra: 'x', lng: 'fr' });
  sets.push({ only: 'x' });
  if (names.has('count') || all.length === 0)
    for (const count of [0, 1, 2, 5, 11, 21, 100, '3']) sets.push({ ...base, count });
  return sets;
}

describe('compiled sentences', () => {
  test('equal i18next for every key of both locales, with every kind of parameters', () => {
    const i18n = createI18n();
    let compared = 0;
    for (const [key, names] of keysWithNames())
      for (const params of paramSets(names))
        for (const lang of LANGUAGES) {
          expect(renderText({ key, params }, lang, i18n), `${lang} ${key} ${JSON.stringify(params)}`).toBe(
            i18n.t(key, { ...params, lng: lang }),
          );
          compared++;
        }
    expect(compared).toBeGreaterThan(1000);
  });

  test('equal i18next for overrides using nesting, formats, unescaped and odd placeholders', () => {
    const overrides = {
      en: {
        odd: {
          nest: 'Say $t(common.yes) to {{name}}',
          unescaped: 'Raw {{- name}} and {{name}}',
          format: 'Formatted {{name, uppercase}}',
          spaced: 'Spaced {{ name }} and {{name}}',
          deep: 'Deep {{a.b}}',
          lng: 'In {{lng}}: {{name}}',
          proto: 'Proto {{constructor}} {{toString}}',
          braces: 'Braces {{{name}}} {{}} {{ }}',
          empty: '',
          repeat: '{{name}}{{name}}{{name}}',
          newline: 'Line {{na\nme}} {{name}}',
          count_one: 'one {{count}} {{name}}',
          count_other: 'many {{count}} {{name}}',
        },
      },
      'zh-CN': { odd: { onlyZh: '只有中文 {{name}}' } },
    } as const;
    const i18n = createI18n(overrides);
    const sets: Record<string, string | number>[] = [
      { name: 'N' },
      { name: 0 },
      { name: '' },
      { name: '{{name}}' },
      {},
      { name: 'N', count: 1 },
      { name: 'N', count: 4 },
      { name: 'N', count: '4' },
      { name: 'N', context: 'male' },
      { name: 'N', defaultValue: 'D' },
      { name: 'N', constructor: 'C' },
    ];
    for (const key of [...Object.keys(overrides.en.odd), 'onlyZh', 'count', 'missing'])
      for (const params of sets)
        for (const lang of LANGUAGES)
          expect(renderText({ key: `odd.${key}`, params }, lang, i18n), `${lang} ${key}`).toBe(
            i18n.t(`odd.${key}`, { ...params, lng: lang }),
          );
  });

  test('a date whose month is missing in the language falls back and is reported', () => {
    const instance = i18next.createInstance();
    const { months: _months, ...common } = LOCALES.en.common as ResourceTree;
    void instance.init({
      ...I18NEXT_OPTIONS,
      resources: {
        'zh-CN': { translation: LOCALES['zh-CN'] },
        en: { translation: { ...LOCALES.en, common } },
      },
    });
    const renderer = createRenderer('en', instance);
    const dated: Text = { key: 'check.why.until', params: { date: { date: '2040-04-25' } } };
    expect(renderer.render(dated)).toBe(instance.t('check.why.until', { date: '25 4月 2040', lng: 'en' }));
    expect(renderer.missing).toEqual(['common.months.4']);
    const own = createRenderer('en', createI18n());
    expect(own.render({ key: 'check.why.until', params: { date: { date: '2040-13-25' } } })).toBe(
      createRenderer('en', referenceI18n()).render({
        key: 'check.why.until',
        params: { date: { date: '2040-13-25' } },
      }),
    );
  });

  test('dates written straight from the compiled sentence equal dates written through i18next', () => {
    const odd = [
      '0000-01-01',
      '0999-12-31',
      '2040-00-10',
      '2040-13-25',
      '2040-99-00',
      '2040-1-01',
      '20400-01-01',
    ];
    const more = [
      '2040-01-1x',
      '２０４０-01-01',
      'abcd-ef-gh',
      '2040/01/01',
      '',
      ' 2040-01-01',
      '2040-01-01\n',
    ];
    const dates = [...odd, ...more];
    for (let day = 0; day < 800; day += 7) {
      const d = new Date(Date.UTC(1990, 0, 1 + day * 13));
      dates.push(d.toISOString().slice(0, 10));
    }
    // A language whose sentence names something else, and one without some months: the long way.
    const overrides = {
      en: { common: { date: '{{monthName}} {{day}}, {{year}} ({{lng}})' } },
      'zh-CN': { common: { date: '{{year}}/{{day}}/{{monthName}} {{other}}' } },
    };
    for (const [fast, reference] of [
      [createI18n(), referenceI18n()],
      [createI18n(overrides), referenceI18n(overrides)],
    ] as const)
      for (const lang of LANGUAGES) {
        const own = createRenderer(lang, fast);
        const ref = createRenderer(lang, reference);
        for (const date of dates) {
          const t: Text = { key: 'check.why.until', params: { date: { date } } };
          expect(own.render(t), `${lang} ${date}`).toBe(ref.render(t));
          expect(own.render(t)).toBe(ref.render(t));
        }
        expect(own.missing).toEqual(ref.missing);
      }
  });

  test('render every view of many consultations exactly as through i18next', () => {
    const fast = createI18n();
    const reference = referenceI18n();
    const views: View[] = [];
    walk(
      AS_OF,
      () => {},
      (view) => views.push(view),
      { limit: 150 },
    );
    const labelsOf = (c: Choice) => LANGUAGES.map((lang) => createRenderer(lang, fast).render(c.label));
    for (const script of consultationScripts(100, AS_OF, 1, 5)) {
      let snapshot = startConversation({ asOf: AS_OF });
      for (const step of script.steps) {
        if ('text' in step && step.text === '/start') continue;
        const event: ConsultationEvent =
          'tap' in step ? { type: 'CHOOSE', id: step.tap } : interpret(step.text, viewOf(snapshot), labelsOf);
        snapshot = stepConversation(snapshot, event);
        views.push(viewOf(snapshot));
      }
    }
    const texts = (v: View): Text[] => [
      ...(v.notice ? [v.notice] : []),
      ...v.blocks.map((b) => b.text),
      ...v.choices.map((c) => c.label),
    ];
    for (const view of views)
      for (const lang of LANGUAGES as readonly Lang[]) {
        const a = createRenderer(lang, fast);
        const b = createRenderer(lang, reference);
        expect(viewHtml(view, a)).toBe(viewHtml(view, b));
        expect(keyboardOf(view, 7, a)).toEqual(keyboardOf(view, 7, b));
        for (const t of texts(view)) expect(a.render(t)).toBe(b.render(t));
        expect(a.missing).toEqual([]);
      }
    expect(views.length).toBeGreaterThan(1000);
  });
});
