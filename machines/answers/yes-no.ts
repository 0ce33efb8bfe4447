/**
 * The yes/no answer, in Chinese and English, including the Chinese habit of answering by echoing the
 * verb (`有` / `没有`, `会` / `不会`, `考过了` / `没考过`).
 */
import { ok } from '../../rules/result.js';
import { type AnswerResult, emptyOrUnknown, known, type ParseOptions, problem } from './answer.js';
import { normalise, stripTrailingPunctuation } from './normalise.js';

/** Whole answers meaning yes ({@link normalise}d). */
export const YES_WORDS: readonly string[] = [
  '是',
  '是的',
  '对',
  '对的',
  '没错',
  '正确',
  '有',
  '有的',
  '嗯',
  '嗯嗯',
  '恩',
  '恩恩',
  '好',
  '好的',
  '行',
  '可以',
  '同意',
  '要',
  '会',
  '能',
  '当然',
  '当然是',
  '当然有',
  '肯定',
  '肯定是',
  '确定',
  '确认',
  '没问题',
  '对头',
  '✓',
  '✔',
  '👍',
  'yes',
  'y',
  'yeah',
  'yea',
  'yep',
  'yup',
  'ya',
  'ok',
  'okay',
  'sure',
  'true',
  '1',
  'of course',
  'correct',
  'right',
  'affirmative',
  'indeed',
  'absolutely',
  'definitely',
  'certainly',
  'i do',
  'i have',
  'i am',
  "i'm",
  'i can',
  'i will',
  'i did',
  'yes please',
  'no problem',
  'no worries',
];

/** Whole answers meaning no ({@link normalise}d). */
export const NO_WORDS: readonly string[] = [
  '否',
  '不是',
  '不',
  '没有',
  '无',
  '没',
  '不对',
  '错',
  '不正确',
  '不要',
  '不同意',
  '不会',
  '不能',
  '不行',
  '不可以',
  '不需要',
  '不用',
  '没呢',
  '还没',
  '还没有',
  '从来没有',
  '从没有',
  '并没有',
  '未',
  '非',
  '木有',
  '没得',
  '✗',
  '✘',
  '❌',
  '👎',
  'no',
  'n',
  'nope',
  'nah',
  'false',
  '0',
  'not',
  'never',
  'negative',
  'no way',
  'not really',
  'not at all',
  'of course not',
  'absolutely not',
  'definitely not',
  'certainly not',
  "i don't",
  'i dont',
  'i do not',
  "i haven't",
  'i havent',
  'i have not',
  "i'm not",
  'im not',
  'i am not',
  "i can't",
  'i cannot',
  "i won't",
  "i didn't",
  "don't",
  "haven't",
  'no thanks',
  'no thank you',
];

const YES = new Set(YES_WORDS.map(normalise));
const NO = new Set(NO_WORDS.map(normalise));

/** Answers that hedge (`看情况`, `不一定`, `maybe`): neither yes nor no. */
const HEDGE =
  /看情况|不一定|也许|可能|或许|说不定|好像|应该|大概|估计|maybe|perhaps|probably|possibly|depends|sometimes|有时/;
/** A filler before the answer proper, when something follows it: `嗯，不是` is no. */
const LEADING_FILLER = /^(?:嗯+|恩+|额+|呃+|哦+|噢+|啊+|um+|uh+|hmm+|well|oh)[\s\p{P}]+(?=\S)/u;
const TRAILING_PARTICLES = /(?:啊|呀|呢|哦|喔|噢|吧|啦|嘛|哈|哒|滴|咯|的)+$/;
const NEGATOR = /不|没|非|无|未|否/;

const VERBS =
  '是|有|会|要|能|可以|在|用|需要|同意|对|行|考过?|通过|交过?|缴过?|办过?|买过?|拿到|拿过|持有|符合|属于|参加过?|取得|获得|具备';
/** `没有房`, `不是本地的`, `我没考过`: a negated verb. */
const NO_ECHO = new RegExp(`^(?:我们?)?(?:还|也|都|并|从来|从)?(?:没有|没|不|未|无)(?:${VERBS})`);
/** `有房`, `是本地的`, `我已经考过了`: an affirmed verb. */
const YES_ECHO = new RegExp(`^(?:我们?)?(?:已经|都|也|还|当然|肯定|确实)?(?:${VERBS})`);

const STRONG_YES = new Set([
  'yes',
  'yeah',
  'yea',
  'yep',
  'yup',
  'ya',
  'sure',
  'ok',
  'okay',
  'absolutely',
  'definitely',
  'certainly',
  'correct',
  'right',
]);
const STRONG_NO = new Set(['no', 'nope', 'nah', 'never']);
const ENGLISH_NEGATION = /\bnot\b|n't\b|\bno\b|\bnever\b/;
const ENGLISH_YES = /\b(?:yes|yeah|yep|yup|sure)\b/;

/**
 * Parses a yes/no answer: `true` for yes (是, 是的, 对, 有, 嗯, 好, 可以, 同意, 要, 会, yes, y,
 * yeah, yep, ok, sure, true, 1, …), `false` for no (否, 不是, 不, 没有, 无, 没, 不对, 不要, 不同意,
 * no, n, nope, false, 0, …). Also understood: a leading yes/no clause (`是的，我有`, `no, I don't`),
 * a Chinese verb echo (`有房` yes, `没考过` no; a double negative like `不是没有` is not guessed), and
 * trailing particles (`有的啊`). Hedges (`看情况`, `maybe`) are not guessed either.
 *
 * Errors: `answer.yesno.unrecognised`, plus `answer.empty` and `answer.unknown.not-allowed`.
 */
export function parseYesNo(answer: string, options?: ParseOptions): AnswerResult<boolean> {
  const normalised = normalise(answer);
  const early = emptyOrUnknown(normalised, options);
  if (early) return early;
  const verdict = classify(normalised);
  return verdict === undefined ? problem('answer.yesno.unrecognised') : ok(known(verdict));
}

function classify(normalised: string): boolean | undefined {
  const exact = lookUp(normalised);
  if (exact !== undefined) return exact;
  if (HEDGE.test(normalised)) return undefined;
  const s = stripTrailingPunctuation(normalised.replace(LEADING_FILLER, ''));
  const whole = lookUp(s);
  if (whole !== undefined) return whole;
  const [clause = '', ...others] = s.split(/[^\P{P}']+/u).map((c) => c.trim());
  if (clause !== s) {
    const first = lookUp(clause) ?? echo(clause);
    // A later clause that is itself the opposite answer (`yeah, not really`) makes it a contradiction.
    if (first !== undefined) return others.some((c) => lookUp(c) === !first) ? undefined : first;
  }
  return echo(s) ?? firstWord(s);
}

function lookUp(phrase: string): boolean | undefined {
  for (const candidate of [phrase, stripTrailingPunctuation(phrase)]) {
    if (YES.has(candidate)) return true;
    if (NO.has(candidate)) return false;
    const bare = candidate.replace(TRAILING_PARTICLES, '');
    if (bare !== candidate && YES.has(bare)) return true;
    if (bare !== candidate && NO.has(bare)) return false;
  }
  return undefined;
}

/** A Chinese answer echoing the verb, negated or not; `undefined` when the rest negates again. */
function echo(phrase: string): boolean | undefined {
  const no = NO_ECHO.exec(phrase);
  if (no) return NEGATOR.test(phrase.slice(no[0].length)) ? undefined : false;
  const yes = YES_ECHO.exec(phrase);
  if (yes) return NEGATOR.test(phrase.slice(yes[0].length)) ? undefined : true;
  return undefined;
}

/** An English answer starting with a strong yes or no word (`yes I have one`, `nope, never`). */
function firstWord(phrase: string): boolean | undefined {
  const first = /^[a-z]+/.exec(phrase)?.[0] ?? '';
  const rest = phrase.slice(first.length);
  if (STRONG_YES.has(first)) return ENGLISH_NEGATION.test(rest) ? undefined : true;
  if (STRONG_NO.has(first)) return ENGLISH_YES.test(rest) ? undefined : false;
  return undefined;
}
