/** The Bot API stub itself: encodings, long polling and offsets, edits, webhooks, closing. */
import { afterEach, describe, expect, test } from 'vitest';
import { type BotApiStub, startBotApiStub } from './bot-api-stub.js';

const TOKEN = '42:stub-test';
let stub: BotApiStub;

afterEach(async () => {
  await stub?.close();
});

type Body = NonNullable<Parameters<typeof fetch>[1]>['body'];

async function call(method: string, body?: Body, headers: Record<string, string> = {}, token = TOKEN) {
  const res = await fetch(`${stub.url}/bot${token}/${method}`, {
    method: 'POST',
    headers,
    ...(body !== undefined ? { body } : {}),
    signal: AbortSignal.timeout(5_000),
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; result?: unknown } & Record<string, unknown>,
  };
}
const json = (method: string, payload: unknown) =>
  call(method, JSON.stringify(payload), { 'content-type': 'application/json' });

describe('the Bot API stub', () => {
  test('JSON, urlencoded and multipart parameters are read alike', async () => {
    stub = await startBotApiStub();
    const markup = { inline_keyboard: [[{ text: 'A', callback_data: 'c:1:a' }]] };
    await json('sendMessage', { chat_id: 7, text: 'json', reply_markup: markup });
    await call(
      'sendMessage',
      new URLSearchParams({ chat_id: '7', text: '123', reply_markup: JSON.stringify(markup) }),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    const form = new FormData();
    form.set('chat_id', '7');
    form.set('text', 'multipart');
    form.set('reply_markup', JSON.stringify(markup));
    form.set('document', new Blob([new Uint8Array(3)]), 'a.bin');
    await call('sendMessage', form);
    expect(
      stub.calls.map((c) => [c.contentType, c.payload.chat_id, c.payload.text, c.payload.reply_markup]),
    ).toEqual([
      ['application/json', 7, 'json', markup],
      ['application/x-www-form-urlencoded', 7, '123', markup],
      ['multipart/form-data', 7, 'multipart', markup],
    ]);
    expect(stub.calls[2]?.payload.document).toEqual({ filename: 'a.bin', size: 3 });
    expect([...stub.messages.keys()]).toEqual([100, 101, 102]);
  });

  test('getUpdates holds until an update comes, and offset confirms', async () => {
    stub = await startBotApiStub();
    const started = Date.now();
    const held = json('getUpdates', { timeout: 5 });
    await stub.waitFor((c) => c.method === 'getUpdates');
    const update = stub.push({ message: { text: 'hi' } });
    const first = await held;
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(first.body.result).toEqual([update]);
    // Not confirmed: delivered again; then confirmed by the offset, and gone.
    expect((await json('getUpdates', {})).body.result).toEqual([update]);
    expect((await json('getUpdates', { offset: update.update_id + 1 })).body.result).toEqual([]);
    expect(stub.pending).toEqual([]);
  });

  test('a poll ends empty after its timeout; a newer poll ends an older one with 409', async () => {
    stub = await startBotApiStub();
    const started = Date.now();
    expect((await json('getUpdates', { timeout: 1 })).body.result).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const older = json('getUpdates', { timeout: 10 });
    await stub.waitFor((c) => c.method === 'getUpdates', 5_000, 1);
    const newer = json('getUpdates', { timeout: 0 });
    expect((await older).status).toBe(409);
    expect((await newer).body.result).toEqual([]);
  });

  test('edits change the message; unknown or unchanged edits get 400', async () => {
    stub = await startBotApiStub();
    const markup = { inline_keyboard: [[{ text: 'A', callback_data: 'x' }]] };
    await json('sendMessage', { chat_id: 7, text: 't', reply_markup: markup });
    const removed = await json('editMessageReplyMarkup', {
      chat_id: 7,
      message_id: 100,
      reply_markup: { inline_keyboard: [] },
    });
    expect(removed.status).toBe(200);
    expect(stub.messages.get(100)?.keyboard).toEqual([]);
    const again = await json('editMessageReplyMarkup', { chat_id: 7, message_id: 100 });
    expect(again.body).toMatchObject({ ok: false, error_code: 400 });
    expect((await json('editMessageText', { chat_id: 7, message_id: 999, text: 'x' })).status).toBe(400);
    expect((await json('editMessageText', { chat_id: 7, message_id: 100, text: 'new' })).status).toBe(200);
    expect(stub.messages.get(100)?.text).toBe('new');
  });

  test('webhooks, other methods, tokens', async () => {
    stub = await startBotApiStub({ token: TOKEN });
    await json('setWebhook', { url: 'https://example.org/hook', secret_token: 's' });
    expect(stub.webhook).toEqual({ url: 'https://example.org/hook', secret_token: 's' });
    expect((await json('getWebhookInfo', {})).body.result).toMatchObject({ url: 'https://example.org/hook' });
    expect((await json('getUpdates', {})).status).toBe(409);
    await json('deleteWebhook', {});
    expect(stub.webhook).toBeUndefined();
    expect((await json('setChatMenuButton', {})).body).toEqual({ ok: true, result: true });
    expect((await call('getMe', undefined, {}, '42:wrong')).status).toBe(401);
    expect((await call('getMe')).body.result).toMatchObject({ is_bot: true });
  });

  test('close answers held polls and stops listening', async () => {
    stub = await startBotApiStub();
    const held = json('getUpdates', { timeout: 30 }).catch((error: unknown) => error);
    await stub.waitFor((c) => c.method === 'getUpdates');
    const started = Date.now();
    await stub.close();
    await held;
    expect(Date.now() - started).toBeLessThan(3_000);
    await expect(fetch(`${stub.url}/bot${TOKEN}/getMe`, { method: 'POST' })).rejects.toThrow();
  });
});
