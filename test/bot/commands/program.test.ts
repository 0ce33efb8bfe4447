/** The CLI's help comes from `locales/` (`cli.*`), in the language of the environment's locale. */
import { describe, expect, test } from 'vitest';
import { createProgram, helpLanguage } from '../../../bot/program.js';
import en from '../../../locales/en.json' with { type: 'json' };
import zh from '../../../locales/zh-CN.json' with { type: 'json' };

describe('helpLanguage', () => {
  test.each([
    [{ LANG: 'zh_CN.UTF-8' }, 'zh-CN'],
    [{ LANG: 'zh_TW.UTF-8' }, 'zh-CN'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{}, 'en'],
    [{ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }, 'zh-CN'],
  ] as const)('%j → %s', (env, lang) => {
    expect(helpLanguage(env)).toBe(lang);
  });
});

describe('the help', () => {
  const commandOf = (env: NodeJS.ProcessEnv, name: string) =>
    createProgram(() => {}, env).commands.find((c) => c.name() === name);
  const optionOf = (env: NodeJS.ProcessEnv, name: string, flag: string) =>
    commandOf(env, name)?.options.find((o) => o.long === flag)?.description;

  test('in Chinese under a Chinese locale, in English otherwise', () => {
    expect(commandOf({ LANG: 'zh_CN.UTF-8' }, 'check')?.description()).toBe(zh.cli.check.description);
    expect(commandOf({ LANG: 'C' }, 'check')?.description()).toBe(en.cli.check.description);
    expect(optionOf({ LANG: 'zh_CN.UTF-8' }, 'serve', '--framework')).toBe(zh.cli.serve.framework);
    expect(optionOf({}, 'simulate', '--jsonl')).toBe(en.cli.simulate.jsonl);
    // What is printed: commander's own words stay English, the descriptions are ours.
    const help = createProgram(() => {}, { LANG: 'zh_CN.UTF-8' }).helpInformation();
    expect(help).toContain('深圳在职人才引进');
    expect(help).toContain('Usage: luohu');
  });

  test('every option and argument of every command has its sentence, in both languages', () => {
    for (const env of [{ LANG: 'zh_CN.UTF-8' }, { LANG: 'C' }]) {
      const program = createProgram(() => {}, env);
      for (const command of [program, ...program.commands]) {
        expect(command.description()).not.toBe('');
        for (const option of command.options) expect(option.description, option.flags).not.toBe('');
        for (const argument of command.registeredArguments) expect(argument.description).not.toBe('');
      }
    }
  });
});
