/**
 * The same consultation written with @grammyjs/conversations v2, the way grammY's documentation
 * teaches: one async function that sends a question and `await conversation.wait()`s the answer, in a
 * loop, with back, summary/edit, help and restart handled in the loop. Used only by the benchmarks,
 * to compare the cost of a conversation's n-th message with Luohu's.
 *
 * It is faithful to Luohu's behaviour and reuses its domain code, so that only the conversation
 * machinery differs: the same questions chosen by the same relevance rules (`ask`, `recordAnswer`,
 * `forget`), the same answer parsing (`interpret`, `parseAnswer`), the same decision and result
 * (`decisionOf`, `presentDecision`), rendered the same way (`viewHtml`, `keyboardOf`, `splitMessage`),
 * buttons removed and callback queries answered as Luohu does. What differs is what conversations v2
 * is: no state machine and no snapshot; the plugin stores every update and every Bot API result of
 * the conversation, and on each new update replays the function from the start against that log.
 * Its storage is the same SQLite table setup as the baselines (`kv-sqlite.ts`).
 *
 * Not implemented (not exercised by the benchmark): `/delete`'s erasure of the log, declining consent
 * beyond showing the declined view, the per-person rate limit, redelivery deduplication.
 */
import {
  type Conversation,
  type ConversationFlavor,
  conversations,
  createConversation,
} from '@grammyjs/conversations';
import { Bot, type Context } from 'grammy';
import { createRenderer, type I18n, isLang, LANGUAGES, type Lang } from '../bot/i18n.js';
import { keyboardOf, parseCallbackData, splitMessage, viewHtml } from '../bot/telegram/format.js';
import { langOf } from '../bot/telegram/handler.js';
import { parseAnswer, parseConsent } from '../machines/answer.js';
import { EDIT_PREFIX } from '../machines/consultation.js';
import { ask, type ConsultationContext, forget, initialContext, recordAnswer } from '../machines/context.js';
import { answerParam } from '../machines/display.js';
import type { ConsultationEvent } from '../machines/events.js';
import { interpret } from '../machines/interpret.js';
import { presentDecision } from '../machines/present/decision.js';
import { QUESTION_IDS, type QuestionId } from '../machines/questions.js';
import { type Block, type Choice, text, type View } from '../machines/view.js';
import { decisionOf, FAILURES_BEFORE_HELP, questionChoices } from '../machines/views.js';
import { BOT_INFO, TOKEN } from './fake-telegram.js';
import type { SqliteKv } from './kv-sqlite.js';

type Outer = ConversationFlavor<Context>;
type Inner = Context;
type Mode = 'interview' | 'result' | 'summary';

const line = (t: ReturnType<typeof text>): Block => ({ kind: 'line', text: t });
const choice = (id: string, key: string, params?: Parameters<typeof text>[1]): Choice => ({
  id,
  label: text(key, params),
});

/** The consent view (as `viewOf` shows it). */
function consentView(lang: string, notice: View['notice'] | null): View {
  return {
    kind: 'consent',
    state: 'consent',
    lang,
    ...(notice ? { notice } : {}),
    blocks: [line(text('consent.intro')), line(text('consent.data')), line(text('consent.ask'))],
    choices: [choice('agree', 'consent.agree'), choice('decline', 'consent.decline')],
  };
}

/** The view of the consultation in `mode` (as `viewOf` shows it). */
function viewIn(mode: Mode, c: ConsultationContext): View {
  const base = { lang: c.lang, ...(c.notice ? { notice: c.notice } : {}) };
  if (mode === 'summary') {
    const answered = QUESTION_IDS.filter((q) => c.answers[q] !== undefined);
    return {
      ...base,
      kind: 'summary',
      state: 'active.summary',
      blocks: [
        { kind: 'heading', text: text(answered.length ? 'summary.heading' : 'summary.empty') },
        ...answered.map(
          (q): Block => ({
            kind: 'item',
            text: text('summary.item', {
              question: { t: `question.${q}.short` },
              answer: answerParam(q, c.answers[q], c.unknown.includes(q)),
            }),
          }),
        ),
        line(text('summary.hint')),
      ],
      choices: [
        ...answered.map((q) =>
          choice(`${EDIT_PREFIX}${q}`, 'summary.change', { question: { t: `question.${q}.short` } }),
        ),
        choice('continue', 'summary.continue'),
      ],
    };
  }
  if (mode === 'result') {
    const decision = decisionOf(c);
    return {
      ...base,
      kind: 'result',
      state: 'active.result',
      blocks: presentDecision(decision, { approximateAge: c.approximateAge }),
      choices: [choice('edit', 'result.edit'), choice('restart', 'result.restart')],
      decision,
    };
  }
  const question = c.current ?? 'birthDate';
  const correcting = c.failures > 0 && c.notice?.key.startsWith('answer.') === true;
  const blocks: Block[] = correcting
    ? c.failures >= FAILURES_BEFORE_HELP
      ? [line(text(`question.${question}.help`))]
      : []
    : [line(text(`question.${question}.prompt`))];
  return {
    ...base,
    kind: 'question',
    state: 'active.interview',
    question,
    blocks,
    choices: questionChoices(question),
  };
}

/** An answer to the current question (the machine's `answer` action). */
function answered(c: ConsultationContext, event: ConsultationEvent): ConsultationContext {
  const question = c.current;
  if (question === null || (event.type !== 'TEXT' && event.type !== 'CHOOSE')) return c;
  const parsed = parseAnswer(question, event, c);
  if (!parsed.ok) {
    if (parsed.error.key === 'notice.moved-on') return { ...c, notice: parsed.error };
    const notice = event.type === 'TEXT' && event.problem ? event.problem : parsed.error;
    return { ...c, notice, failures: c.failures + 1 };
  }
  const next = recordAnswer(c, question, parsed.value.value, parsed.value);
  if (parsed.value.unknown)
    return {
      ...next,
      notice: text('notice.assumed', {
        answer: answerParam(question, parsed.value.value),
        how: { t: `question.${question}.how` },
      }),
    };
  if (parsed.value.approximate) return { ...next, notice: text('notice.approximate-age') };
  return next;
}

/** Creates the conversations-v2 bot. `fetch` answers the Bot API (the plugin makes its own API objects). */
export function createConversationsBot(options: {
  readonly kv: SqliteKv;
  readonly i18n: I18n;
  readonly fetch: typeof fetch;
  readonly today: () => string;
}): Bot<Outer> {
  const { i18n } = options;
  const labels = new Map<string, readonly string[]>();
  const labelsOf = (c: Choice): readonly string[] => {
    const key = JSON.stringify(c.label);
    let found = labels.get(key);
    if (!found) {
      found = LANGUAGES.map((lang) => createRenderer(lang, i18n).render(c.label));
      labels.set(key, found);
    }
    return found;
  };

  async function consultation(conversation: Conversation<Outer, Inner>, first: Inner): Promise<void> {
    const chatId = first.chatId as number;
    const lang: Lang = langOf(first.from?.language_code);
    const asOf = await conversation.external(() => options.today());
    let ctx = first;
    let turn = 0;
    let keyboardMessage: number | undefined;

    /** Sends a view (split under the limit, the keyboard on the last message). */
    const show = async (view: View) => {
      turn++;
      const renderer = createRenderer(isLang(view.lang) ? view.lang : lang, i18n);
      const chunks = splitMessage(viewHtml(view, renderer));
      const keyboard = view.choices.length ? keyboardOf(view, turn, renderer) : undefined;
      for (const [i, chunk] of chunks.entries()) {
        const last = i === chunks.length - 1;
        const sent = await ctx.api.sendMessage(chatId, chunk, {
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
          ...(last && keyboard ? { reply_markup: { inline_keyboard: keyboard.map((r) => [...r]) } } : {}),
        });
        if (last) keyboardMessage = keyboard ? sent.message_id : undefined;
      }
    };

    /** Waits for the next message or tap; answers the tap and removes the buttons that are done. */
    const next = async (view: View): Promise<ConsultationEvent | 'show'> => {
      for (;;) {
        ctx = await conversation.wait();
        const query = ctx.callbackQuery;
        if (query) {
          await ctx.answerCallbackQuery().catch(() => {});
          const tapped = query.message?.message_id;
          if (tapped !== undefined)
            await ctx.api
              .editMessageReplyMarkup(chatId, tapped, { reply_markup: { inline_keyboard: [] } })
              .catch(() => {});
          if (keyboardMessage !== undefined && keyboardMessage !== tapped)
            await ctx.api
              .editMessageReplyMarkup(chatId, keyboardMessage, { reply_markup: { inline_keyboard: [] } })
              .catch(() => {});
          keyboardMessage = undefined;
          const data = parseCallbackData(query.data ?? '');
          return { type: 'CHOOSE', id: data?.choice ?? '' };
        }
        const typed = ctx.message?.text;
        if (typed === undefined) continue;
        if (keyboardMessage !== undefined)
          await ctx.api
            .editMessageReplyMarkup(chatId, keyboardMessage, { reply_markup: { inline_keyboard: [] } })
            .catch(() => {});
        keyboardMessage = undefined;
        if (/^\/start(@\w+)?$/.test(typed.trim())) return 'show';
        return interpret(typed, view, labelsOf);
      }
    };

    // Consent.
    let notice: View['notice'] | null = null;
    for (;;) {
      const view = consentView(lang, notice);
      await show(view);
      const event = await next(view);
      if (event === 'show') continue;
      const agrees =
        (event.type === 'CHOOSE' && event.id === 'agree') ||
        (event.type === 'TEXT' && parseConsent(event.text) === true);
      if (agrees) break;
      notice = text(event.type === 'CHOOSE' ? 'notice.moved-on' : 'notice.need-consent');
    }

    // The consultation.
    let c: ConsultationContext = ask(initialContext({ asOf, lang }));
    let mode: Mode = c.current === null ? 'result' : 'interview';
    for (;;) {
      const view = viewIn(mode, c);
      await show(view);
      const event = await next(view);
      c = { ...c, notice: null };
      if (event === 'show') continue;
      if (event.type === 'COMMAND') {
        switch (event.command) {
          case 'back': {
            const last = c.order.at(-1);
            if (last === undefined) c = { ...c, notice: text('notice.nothing-to-undo') };
            else {
              c = {
                ...forget(c, last),
                current: last,
                failures: 0,
                notice: text('notice.back', {
                  question: { t: `question.${last}.short` },
                  answer: answerParam(last, c.answers[last], c.unknown.includes(last)),
                }),
              };
              mode = 'interview';
            }
            break;
          }
          case 'restart':
            c = ask({ ...initialContext({ asOf, lang: c.lang }), notice: text('notice.restarted') });
            mode = 'interview';
            break;
          case 'summary':
            mode = 'summary';
            break;
          case 'help':
            c = { ...c, notice: text('notice.help') };
            break;
          case 'language':
            c = {
              ...c,
              lang: event.lang ?? (c.lang === 'en' ? 'zh-CN' : 'en'),
              notice: text('notice.language'),
            };
            break;
          case 'delete':
            await show({
              kind: 'deleted',
              state: 'deleted',
              lang: c.lang,
              blocks: [line(text('deleted.body'))],
              choices: [],
            });
            return;
        }
      } else if (mode === 'interview') {
        c = answered(c, event);
      } else if (mode === 'result') {
        if (event.type === 'CHOOSE' && event.id === 'edit') mode = 'summary';
        else if (event.type === 'CHOOSE' && event.id === 'restart')
          c = ask({ ...initialContext({ asOf, lang: c.lang }), notice: text('notice.restarted') });
        else c = { ...c, notice: text(event.type === 'CHOOSE' ? 'notice.moved-on' : 'notice.use-choices') };
      } else if (event.type === 'CHOOSE' && event.id.startsWith(EDIT_PREFIX)) {
        const question = event.id.slice(EDIT_PREFIX.length) as QuestionId;
        if (c.answers[question] === undefined) c = { ...c, notice: text('notice.moved-on') };
        else {
          c = {
            ...c,
            current: question,
            failures: 0,
            notice: text('notice.editing', {
              question: { t: `question.${question}.short` },
              answer: answerParam(question, c.answers[question], c.unknown.includes(question)),
            }),
          };
          mode = 'interview';
        }
      } else if (event.type === 'CHOOSE' && event.id === 'continue') {
        c = ask(c);
        mode = 'interview';
      } else c = { ...c, notice: text(event.type === 'CHOOSE' ? 'notice.moved-on' : 'notice.use-choices') };
      if (mode === 'interview' && c.current === null) mode = 'result';
    }
  }

  const bot = new Bot<Outer>(TOKEN, { botInfo: BOT_INFO, client: { fetch: options.fetch } });
  bot.use(conversations<Outer, Inner>({ storage: options.kv.adapter() }));
  bot.use(createConversation<Outer, Inner>(consultation, 'consultation'));
  bot.command('start', (ctx) => ctx.conversation.enter('consultation'));
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());
  return bot;
}
