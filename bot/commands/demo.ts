/**
 * What `npm start` shows until the dialogue exists: one sample profile decided and explained, and how
 * to check your own. Replaced by the simulator when the dialogue lands.
 */
import { POLICY_TIME_ZONE, todayIn } from '../../rules/index.js';
import { isLang } from '../i18n.js';
import type { CommandIO } from '../io.js';
import { runCheck } from './check.js';

/** The sample profile of the demonstration (a made-up person). */
export const DEMO_PROFILE = {
  birthDate: '1993-04-09',
  education: 'bachelor',
  educationMode: 'regular',
  employerCollective: true,
} as const;

/** Runs the demonstration. */
export async function runDemo(options: { lang?: string }, io: CommandIO): Promise<number> {
  const lang = options.lang !== undefined && isLang(options.lang) ? options.lang : 'zh-CN';
  io.stdout(`$ echo '${JSON.stringify(DEMO_PROFILE)}' | npx luohu check --lang ${lang}\n\n`);
  return runCheck(
    undefined,
    { lang, asOf: todayIn(POLICY_TIME_ZONE) },
    { ...io, readStdin: async () => JSON.stringify(DEMO_PROFILE) },
  );
}
