/**
 * The "how many months" answer (months of Shenzhen social insurance): months, years, both, in
 * digits or Chinese numerals.
 */
import { ok } from '../../rules/result.js';
import { type AnswerResult, emptyOrUnknown, known, type ParseOptions, problem } from './answer.js';
import { normalise, stripTrailingPunctuation } from './normalise.js';
import { chineseNumeralsToArabic } from './numerals.js';

/** The largest number of months accepted (50 years): more is `answer.months.too-many`. */
export const MAX_MONTHS = 600;

/** Answers meaning "none at all": 没有, 无, 从没交过, none, no, never. */
const ZERO =
  /^(?:(?:还|从来|从|并|都)?(?:没有?|无|未)(?:交|缴|缴纳|参保|买)?过?|none|no|nope|zero|never|nil|nothing|not any)$/;
/** Words around the number that do not change it: 一共, 已经交了, about, 左右, 以上. */
const LEADING =
  /^(?:社保|我|已经|已|大概|大约|约|差不多|一共|总共|共|累计|合计|连续|交了|缴了|缴纳了|交过|缴过|交|缴|about|around|approximately|approx\.?|roughly|~)\s*/;
const TRAILING = /\s*(?:左右|以上|多|了|吧|啦|的样子|\+)$/;
const NEGATIVE = /^(?:-|负|minus)\s*\d/;

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const YEAR_PART = new RegExp(String.raw`^(?:${NUMBER}\s*[个個]?|(半))\s*(?:年|years?|yrs?|y)(?![a-z])(半)?`);
const CONNECTOR = /^\s*(?:,|and|又|&)?\s*/;
const MONTH_PART = new RegExp(
  String.raw`^(?:${NUMBER}\s*([个個]半)?|(半))\s*[个個]?\s*(?:月|months?|mos?|m)(?![a-z])`,
);
const BARE = new RegExp(`^${NUMBER}$`);

/**
 * Parses a number of months (≥ 0, whole).
 *
 * Accepted: `36`, `36个月`, `36 months`, `3年`, `3 years`, `3 yrs`, `3y`, `3年6个月`, `3年零6个月`,
 * `3 years 6 months`, `三年`, `三十六个月`, `半年` (6), `三年半` (42), `1.5年` (18), `0`, and
 * "none" answers (`没有`, `无`, `none`, `no`) as 0. A bare number is months. `3年多` / `3年以上`
 * count as 3 years (the lower bound), `大概`, `左右`, `about` are ignored.
 *
 * Errors: `answer.months.negative`, `answer.months.fraction` {lower, upper} (a result that is not a
 * whole number of months, e.g. `2.5个月`), `answer.months.too-many` {max, months},
 * `answer.months.unrecognised`, plus `answer.empty` and `answer.unknown.not-allowed`.
 */
export function parseMonths(answer: string, options?: ParseOptions): AnswerResult<number> {
  const normalised = normalise(answer);
  const early = emptyOrUnknown(normalised, options);
  if (early) return early;
  const s = chineseNumeralsToArabic(stripFillers(normalised));
  if (ZERO.test(s)) return ok(known(0));
  if (NEGATIVE.test(s)) return problem('answer.months.negative');
  const total = readMonths(s);
  if (total === undefined) return problem('answer.months.unrecognised');
  const months = Math.round(total);
  if (Math.abs(total - months) > 1e-9)
    return problem('answer.months.fraction', { lower: Math.floor(total), upper: Math.ceil(total) });
  if (months > MAX_MONTHS) return problem('answer.months.too-many', { max: MAX_MONTHS, months });
  return ok(known(months));
}

function stripFillers(normalised: string): string {
  let s = stripTrailingPunctuation(normalised);
  for (let guard = 0; guard < 6; guard += 1) {
    const next = stripTrailingPunctuation(s.replace(LEADING, '').replace(TRAILING, '')).trim();
    if (next === s) break;
    s = next;
  }
  return s;
}

/** The months written in `s` (possibly fractional), or `undefined` when it is not a duration. */
function readMonths(s: string): number | undefined {
  let rest = s;
  let total = 0;
  let matched = false;
  const years = YEAR_PART.exec(rest);
  if (years) {
    total += (years[2] ? 0.5 : Number(years[1])) * 12 + (years[3] ? 6 : 0);
    rest = rest.slice(years[0].length).replace(CONNECTOR, '');
    matched = true;
  }
  const months = MONTH_PART.exec(rest);
  if (months) {
    total += months[3] ? 0.5 : Number(months[1]) + (months[2] ? 0.5 : 0);
    rest = rest.slice(months[0].length);
    matched = true;
  } else if (!matched) {
    const bare = BARE.exec(rest);
    if (bare) {
      total = Number(bare[1]);
      rest = '';
      matched = true;
    }
  }
  return matched && rest.trim() === '' ? total : undefined;
}
