/**
 * `luohu api-key [name]`: a new random API key for an agency. Standard output gets two lines: the
 * key (shown this once; give it to the agency) and its configuration entry `name:sha256hex` (add
 * it to `LUOHU_API_KEYS`). Standard error says so in the configured language.
 */
import type { Env } from '../config.js';
import { createI18n, DEFAULT_LANG, isLang, renderText } from '../i18n.js';
import type { CommandIO } from '../io.js';
import { formatIssue } from '../render/check-output.js';
import { generateApiKey, KEY_NAME_PATTERN } from './auth.js';

/** The key name when none is given. */
export const DEFAULT_KEY_NAME = 'agency';

/** Runs `luohu api-key`; returns the exit code. */
export function runApiKey(name: string | undefined, io: CommandIO, env: Env = process.env): number {
  const lang = isLang(env.LUOHU_LANG) ? env.LUOHU_LANG : DEFAULT_LANG;
  const keyName = name ?? DEFAULT_KEY_NAME;
  if (!KEY_NAME_PATTERN.test(keyName)) {
    io.stderr(
      `${formatIssue({ path: ['name'], code: 'wrong-type', params: { expected: 'A-Z a-z 0-9 _ . - (1–64)', type: 'string' } }, lang)}\n`,
    );
    return 2;
  }
  const { key, entry } = generateApiKey(keyName);
  io.stdout(`${key}\n${entry}\n`);
  io.stderr(`${renderText({ key: 'http.apiKey.note', params: { name: keyName } }, lang, createI18n())}\n`);
  return 0;
}
