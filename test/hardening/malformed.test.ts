/**
 * Guarantee 6, the cases fast-check found or that are worth naming: updates with missing fields,
 * updates the bot ignores, and redeliveries of updates that change no conversation.
 */
import { describe, expect, test } from 'vitest';
import { STICKER } from '../bot/telegram/fake-api.js';
import { harness, sendCalls, sentence, textMsg } from './helpers.js';

const failures = (h: ReturnType<typeof harness>) => h.log.records().filter((r) => r.level >= 40);

describe('updates with missing fields never make the bot throw', () => {
  test('a message without `from` (anonymous group admin, or malformed): handled in the default language', async () => {
    const h = harness();
    const u = textMsg(9501, '/start') as { message: Record<string, unknown> };
    delete u.message.from;
    await expect(h.handle(u)).resolves.toBeUndefined();
    expect(sendCalls(h.calls, 9501)).toHaveLength(1);
    expect(failures(h)).toEqual([]);
  });

  test('a message with neither text nor media: the "text only" sentence', async () => {
    const h = harness();
    const u = textMsg(9502, 'x') as { message: Record<string, unknown> };
    delete u.message.text;
    await expect(h.handle(u)).resolves.toBeUndefined();
    expect(String(sendCalls(h.calls, 9502)[0]?.payload.text)).toBe(sentence('zh-CN', 'telegram.unsupported'));
  });

  test('a callback query without data, or without a message (inline): no throw', async () => {
    const h = harness();
    await expect(
      h.handle({
        update_id: 1,
        callback_query: {
          id: 'q',
          from: { id: 9503, is_bot: false, first_name: 'U' },
          chat_instance: 'i',
          message: { message_id: 1, date: 0, chat: { id: 9503, type: 'private', first_name: 'U' } },
        },
      }),
    ).resolves.toBeUndefined();
    await expect(
      h.handle({
        update_id: 2,
        callback_query: {
          id: 'q2',
          from: { id: 9503, is_bot: false, first_name: 'U' },
          chat_instance: 'i',
          inline_message_id: 'x',
          data: 'c:0:agree',
        },
      }),
    ).resolves.toBeUndefined();
    expect(failures(h)).toEqual([]);
  });

  test('channel posts, polls and an empty update are ignored without a reply', async () => {
    const h = harness();
    const channel = { id: -100300, type: 'channel', title: 'c' };
    for (const u of [
      { update_id: 10, channel_post: { message_id: 1, date: 0, chat: channel, text: '/start' } },
      {
        update_id: 11,
        edited_channel_post: { message_id: 1, date: 0, edit_date: 1, chat: channel, text: 'x' },
      },
      { update_id: 12, poll: { id: 'p', question: 'q', options: [], total_voter_count: 0, is_closed: true } },
      { update_id: 13 },
    ])
      await expect(h.handle(u)).resolves.toBeUndefined();
    expect(sendCalls(h.calls)).toEqual([]);
    expect(failures(h)).toEqual([]);
  });

  // Found by fuzz.test.ts: `toChatUpdate` read `query.from.language_code` without checking `from`, so
  // such an update threw a TypeError out of the middleware (`bot.handleUpdate` rejected). Telegram
  // always sends `from` on a callback query: only a malformed or forged update could do it.
  test('a callback query without `from`: no throw', async () => {
    const h = harness();
    await expect(
      h.handle({
        update_id: 20,
        callback_query: {
          id: 'q',
          chat_instance: 'i',
          data: 'c:0:agree',
          message: {
            message_id: 1,
            date: 0,
            chat: { id: 9504, type: 'private', first_name: 'U' },
            text: 'x',
          },
        },
      }),
    ).resolves.toBeUndefined();
    expect(failures(h)).toEqual([]);
  });
});

describe('a redelivered update that changes no conversation is answered once', () => {
  // Once only updates that reached the engine were recorded as processed: a sticker, an edited
  // message or anything in a group was answered again on a redelivery (webhook timeout, crash before
  // the polling offset is confirmed).
  const cases: [string, (chat: number) => unknown][] = [
    [
      'a sticker',
      (chat) => ({
        update_id: 30 + chat,
        message: {
          message_id: 1,
          date: 0,
          chat: { id: chat, type: 'private', first_name: 'U' },
          from: { id: chat, is_bot: false, first_name: 'U' },
          sticker: STICKER,
        },
      }),
    ],
    [
      'an edited message',
      (chat) => ({
        update_id: 30 + chat,
        edited_message: {
          message_id: 1,
          date: 0,
          edit_date: 1,
          chat: { id: chat, type: 'private', first_name: 'U' },
          from: { id: chat, is_bot: false, first_name: 'U' },
          text: '1990-01-01',
        },
      }),
    ],
    ['/start in a group', (chat) => textMsg(-chat, '/start', { id: 30 + chat, chatType: 'group' })],
  ];
  test.each(cases)('%s', async (_what, make) => {
    const h = harness();
    const update = make(9601);
    await h.handle(update);
    expect(sendCalls(h.calls)).toHaveLength(1);
    await h.handle(structuredClone(update));
    expect(sendCalls(h.calls)).toHaveLength(1);
  });
});
