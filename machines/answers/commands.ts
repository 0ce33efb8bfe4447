/**
 * The words that mean a command, typed in either language, with or without a leading slash.
 * Vocabulary for recognising input, not text shown to people.
 */
import type { Command } from '../events.js';
import { compactKey } from './normalise.js';

/** Aliases of each command (compared after {@link compactKey}). */
export const COMMAND_WORDS: Readonly<Record<Command, readonly string[]>> = {
  back: ['back', 'previous', 'undo', '返回', '上一步', '上一题', '后退', '撤销'],
  restart: ['restart', 'start over', 'reset', 'start', '重新开始', '重来', '从头开始', '重新咨询'],
  summary: ['summary', 'answers', 'my answers', '总结', '汇总', '摘要', '我的回答', '查看回答'],
  help: ['help', 'commands', '帮助', '怎么用', '命令'],
  language: ['language', 'lang', '语言', '切换语言'],
  delete: ['delete', 'delete my data', 'forget me', '删除', '删除数据', '删除我的数据'],
};

/** Words that switch straight to one language. */
export const LANGUAGE_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: ['english', 'en', '英文', '英语'],
  'zh-CN': ['中文', 'chinese', 'zh', 'zh-cn', '简体中文', '汉语'],
};

const lookup = new Map<string, Command>(
  Object.entries(COMMAND_WORDS).flatMap(([command, words]) =>
    words.map((w) => [compactKey(w), command as Command]),
  ),
);

/** The language each language word switches to (the first language listing a word wins). */
const languageLookup = new Map<string, string>();
for (const [lang, words] of Object.entries(LANGUAGE_WORDS))
  for (const w of words) if (!languageLookup.has(compactKey(w))) languageLookup.set(compactKey(w), lang);

/** The command a typed message names (`/back`, `返回`, `summary`), or undefined. */
export function parseCommand(typed: string): { command: Command; lang?: string } | undefined {
  const key = compactKey(typed.replace(/^\s*[/／]/, '').replace(/@\w+$/, ''));
  const lang = languageLookup.get(key);
  if (lang !== undefined) return { command: 'language', lang };
  const command = lookup.get(key);
  return command ? { command } : undefined;
}
