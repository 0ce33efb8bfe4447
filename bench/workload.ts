/**
 * The benchmarks' workload: whole consultations as the Telegram updates a person's client would send
 * (`/start`, a tap on "agree", then each question answered by a tap or typed text, to the result),
 * for many chats, interleaved. Answers are truthful to a generated profile (`profiles.ts`), so every
 * chat reaches a result; the questions asked are worked out beforehand with the pure machine.
 *
 * A tap is made as Telegram's client makes it: on the last keyboard the bot sent to the chat, the
 * button whose callback data names the choice, with that message's id. The fake Bot APIs
 * (`fake-telegram.ts`) record those keyboards in a {@link Keyboards}, and number each chat's messages
 * 1, 2, 3..., so the same script gets the same message ids whichever process answers it.
 */

import { questionOf } from '../machines/questions.js';
import { type Profile, ProfileSchema } from '../rules/index.js';
import { consult } from './dialogue.js';
import { generateProfiles } from './profiles.js';

/** One message a person sends: typed text (commands too) or a tap on a button. */
export type Step = { readonly text: string } | { readonly tap: string };

/** A chat's script: its id, its Telegram language, and what it sends, in order. */
export interface Script {
  readonly chatId: number;
  readonly languageCode: string;
  readonly steps: readonly Step[];
}

/** The last keyboard the bot sent to each chat: its message and its buttons' callback data. */
export class Keyboards {
  readonly #last = new Map<number, { messageId: number; data: readonly string[] }>();
  readonly #messages = new Map<number, number>();

  /** The next message id in `chatId` (1, 2, 3...). */
  nextMessageId(chatId: number): number {
    const id = (this.#messages.get(chatId) ?? 0) + 1;
    this.#messages.set(chatId, id);
    return id;
  }

  /** Records a message the bot sent; one with an inline keyboard becomes the chat's current one. */
  sent(chatId: number, messageId: number, markup: unknown): void {
    const rows = (markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)
      ?.inline_keyboard;
    if (rows === undefined) return;
    // A plain loop: this runs for every message of every subject, and is not what is measured.
    const data: string[] = [];
    for (const row of rows) for (const b of row) if (b.callback_data) data.push(b.callback_data);
    if (data.length > 0) this.#last.set(chatId, { messageId, data });
  }

  /** The button for `choice` on the chat's last keyboard (data `c:<turn>:<choice>`), if there is one. */
  button(chatId: number, choice: string): { data: string; messageId: number } | undefined {
    const last = this.#last.get(chatId);
    if (last === undefined) return undefined;
    // Without a string per button: this runs for every tap on Luohu's keyboards (the baselines send
    // none), and is not what is measured.
    for (const data of last.data) {
      const at = data.length - choice.length;
      if (data.endsWith(choice) && data.indexOf(':', 2) === at - 1)
        return { data, messageId: last.messageId };
    }
    return undefined;
  }

  /** The choice ids on the chat's last keyboard (what the person can tap now). */
  choices(chatId: number): string[] {
    return (this.#last.get(chatId)?.data ?? []).map((d) => d.slice(d.indexOf(':', 2) + 1));
  }

  /** Forgets everything (a new run). */
  clear(): void {
    this.#last.clear();
    this.#messages.clear();
  }
}

/** The steps that answer `profile` truthfully; every `typedEvery`-th yes/no answer is typed (是/否). */
export function consultationSteps(profile: Profile, asOf: string, typeYesNo: boolean): Step[] {
  const steps: Step[] = [{ text: '/start' }, { tap: 'agree' }];
  for (const question of consult(profile, asOf).questions) {
    const value = profile[question];
    switch (questionOf(question).kind.type) {
      case 'date':
        steps.push({ text: String(value) });
        break;
      case 'months':
        steps.push({ text: `${value}个月` });
        break;
      case 'yes-no':
        steps.push(typeYesNo ? { text: value ? '是' : '否' } : { tap: value ? 'yes' : 'no' });
        break;
      case 'choice':
        steps.push({ tap: String(value) });
        break;
    }
  }
  return steps;
}

/**
 * `chats` consultation scripts from generated people (chat ids from `firstChatId`). A quarter of the
 * people type their yes/no answers; a quarter use Telegram in English.
 */
export function consultationScripts(chats: number, asOf: string, firstChatId = 100_000, seed = 7): Script[] {
  return generateProfiles(chats, asOf, seed).map((input, i) => ({
    chatId: firstChatId + i,
    languageCode: i % 4 === 1 ? 'en' : 'zh-hans',
    steps: consultationSteps(ProfileSchema.parse(input), asOf, i % 4 === 2),
  }));
}

/**
 * One long conversation for the cost-against-length benchmark: consent, birth date, degree, its mode,
 * then cycles of three messages that end by answering the degree's mode again, alternately
 * `/summary` → tap "change: mode" → tap "regular" and `/back` → `/help` → tap "regular". So the 5th,
 * 20th, 80th... message (every message whose number is 2 mod 3, from the 5th) is the same tap.
 */
export function longConversation(chatId: number, length: number): Script {
  const steps: Step[] = [
    { text: '/start' },
    { tap: 'agree' },
    { text: '1993-04-09' },
    { tap: 'bachelor' },
    { tap: 'regular' },
  ];
  for (let cycle = 0; steps.length < length; cycle++)
    steps.push(
      ...(cycle % 2 === 0
        ? [{ text: '/summary' }, { tap: 'edit:educationMode' }, { tap: 'regular' }]
        : [{ text: '/back' }, { text: '/help' }, { tap: 'regular' }]),
    );
  return { chatId, languageCode: 'zh-hans', steps: steps.slice(0, length) };
}

let updateId = 1;

/**
 * The Telegram update for step `index` of `script`. A tap presses the choice's button on the chat's
 * last keyboard in `keyboards`; a bot that sent none (a baseline that only replies) gets a tap on a
 * made-up button.
 */
export function updateOf(script: Script, index: number, keyboards: Keyboards): Record<string, unknown> {
  const step = script.steps[index];
  if (!step) throw new RangeError(`no step ${index} in chat ${script.chatId}`);
  const chat = { id: script.chatId, type: 'private', first_name: 'Bench' };
  const from = { id: script.chatId, is_bot: false, first_name: 'Bench', language_code: script.languageCode };
  const id = updateId++;
  if ('tap' in step) {
    const button = keyboards.button(script.chatId, step.tap) ?? { data: `c:0:${step.tap}`, messageId: 1 };
    return {
      update_id: id,
      callback_query: {
        id: `cb${id}`,
        from,
        chat_instance: String(script.chatId),
        data: button.data,
        message: { message_id: button.messageId, date: 0, chat, text: '…' },
      },
    };
  }
  const entities = step.text.startsWith('/')
    ? [{ type: 'bot_command', offset: 0, length: step.text.split(/\s/)[0]?.length ?? 1 }]
    : undefined;
  return {
    update_id: id,
    message: {
      message_id: keyboards.nextMessageId(script.chatId),
      date: 0,
      chat,
      from,
      text: step.text,
      ...(entities ? { entities } : {}),
    },
  };
}

/**
 * The order in which `scripts` send their messages: `window` chats are in a consultation at once,
 * each sending its next message in turn; a chat that finishes makes room for the next one. One chat's
 * messages stay in order. Yields the script and the index of its step.
 */
export function* interleaved(scripts: readonly Script[], window: number): Generator<[Script, number]> {
  const active: { script: Script; next: number }[] = [];
  let waiting = 0;
  while (active.length > 0 || waiting < scripts.length) {
    while (active.length < window && waiting < scripts.length)
      active.push({ script: scripts[waiting++] as Script, next: 0 });
    for (let i = 0; i < active.length; ) {
      const chat = active[i] as { script: Script; next: number };
      yield [chat.script, chat.next++];
      if (chat.next >= chat.script.steps.length) active.splice(i, 1);
      else i++;
    }
  }
}
