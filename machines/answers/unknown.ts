/**
 * "I don't know" answers, in Chinese and English. They are recognised only as a whole answer
 * (`不知道`, `我也不太清楚啊`, `sorry, I don't know`), never inside a longer sentence.
 */
import { normalise, stripTrailingPunctuation } from './normalise.js';

/** The answers that mean "I don't know", {@link normalise}d (`？` is normalised to `?`). */
export const UNKNOWN_WORDS: readonly string[] = [
  '不知道',
  '不清楚',
  '不确定',
  '不晓得',
  '不了解',
  '说不准',
  '说不好',
  '说不清',
  '说不清楚',
  '说不上来',
  '不好说',
  '不太清楚',
  '不太确定',
  '不太了解',
  '不太知道',
  '不是很清楚',
  '不是很确定',
  '不大清楚',
  '搞不清',
  '搞不清楚',
  '不记得',
  '记不清',
  '记不得',
  '忘了',
  '忘记了',
  '不知',
  '不详',
  '未知',
  'idk',
  'i dont know',
  "i don't know",
  'i do not know',
  'dont know',
  "don't know",
  'do not know',
  'dunno',
  'not sure',
  'not really sure',
  "i'm not sure",
  'im not sure',
  'i am not sure',
  'unsure',
  'no idea',
  'no clue',
  'unknown',
  "don't remember",
  "i don't remember",
  "can't remember",
  "i can't remember",
  'i forgot',
  'forgot',
  '?',
  '？',
];

const WORDS = new Set(UNKNOWN_WORDS.map(normalise));
/** Words before the answer proper: 我也不知道, 真的不清楚, sorry I don't know, hmm… not sure. */
const LEADING_FILLER =
  /^(?:我也|我|也|真的|真|实在|确实|还|完全|嗯+|呃+|额+|唉|hmm+|um+|uh+|well|honestly|sorry|really|i really|i just|i honestly)(?:[\s\p{P}]+|(?=\S))/u;
/** Particles after it: 不知道啊, 不清楚呢, 不记得了. */
const TRAILING_PARTICLES = /(?:啊|呀|呢|哦|喔|诶|欸|吧|耶|哈|捏|嘛|了)+$/;

/** True when the whole answer means "I don't know" (see {@link UNKNOWN_WORDS}). */
export function isUnknown(answer: string): boolean {
  let rest = normalise(answer);
  if (/^[?\s]+$/.test(rest)) return true;
  for (let guard = 0; guard < 8; guard += 1) {
    const core = stripTrailingPunctuation(rest);
    if (WORDS.has(core) || WORDS.has(core.replace(TRAILING_PARTICLES, ''))) return true;
    const next = core.replace(LEADING_FILLER, '').trim();
    if (next === core || next === '') return false;
    rest = next;
  }
  return false;
}
