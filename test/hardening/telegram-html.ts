/**
 * A strict checker of the Telegram HTML the bot sends: only `<b>` and `<i>`, properly nested and
 * closed; `&` only as an entity (`&lt;` `&gt;` `&amp;` `&quot;` or numeric); no raw `<` or `>`; valid
 * UTF-16 (no lone surrogates, which cannot be sent as UTF-8); and the text Telegram counts (after
 * parsing) non-blank and within the message limit.
 */
import { TELEGRAM_TEXT_LIMIT } from '../../bot/telegram/format.js';

const TAG = /^<(\/?)(b|i)>/;
const ENTITY = /^&(lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** The problems of `html` as a Telegram message (empty when it is fine), and its parsed text. */
export function checkTelegramHtml(html: string): { problems: string[]; text: string } {
  const problems: string[] = [];
  const open: string[] = [];
  let text = '';
  for (let i = 0; i < html.length; ) {
    const rest = html.slice(i, i + 16);
    const c = html[i] as string;
    if (c === '<') {
      const tag = TAG.exec(rest);
      if (!tag) {
        problems.push(`raw '<' or unsupported tag at ${i}: ${JSON.stringify(rest)}`);
        i++;
        continue;
      }
      const [whole, closing, name] = tag as unknown as [string, string, string];
      if (closing) {
        if (open.at(-1) !== name) problems.push(`</${name}> at ${i} closes ${open.at(-1) ?? 'nothing'}`);
        else open.pop();
      } else {
        if (open.includes(name)) problems.push(`<${name}> nested in itself at ${i}`);
        open.push(name);
      }
      i += whole.length;
    } else if (c === '>') {
      problems.push(`raw '>' at ${i}`);
      i++;
    } else if (c === '&') {
      const entity = ENTITY.exec(rest);
      if (!entity) {
        problems.push(`raw '&' at ${i}: ${JSON.stringify(rest)}`);
        i++;
        continue;
      }
      const name = entity[1] as string;
      text +=
        NAMED[name] ??
        String.fromCodePoint(Number(name.startsWith('#x') ? `0x${name.slice(2)}` : name.slice(1)));
      i += entity[0].length;
    } else {
      text += c;
      i++;
    }
  }
  if (open.length > 0) problems.push(`unclosed ${open.map((t) => `<${t}>`).join('')}`);
  if (LONE_SURROGATE.test(html)) problems.push('a lone surrogate (not valid UTF-8 once sent)');
  if (text.trim() === '') problems.push('the message is blank (Telegram refuses it)');
  if (text.length > TELEGRAM_TEXT_LIMIT) problems.push(`${text.length} characters > ${TELEGRAM_TEXT_LIMIT}`);
  return { problems, text };
}
