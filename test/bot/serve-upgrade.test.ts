/**
 * The move of the bot's HTTP client to undici after start (`upgradeLater` in `bot/serve.ts`) says how
 * it went: the transport in use once upgraded, a warning with the reason if it failed.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, test } from 'vitest';
import { upgradeLater } from '../../bot/serve.js';
import { createLightClient, type LightClient } from '../../bot/telegram/fetch.js';

/** A logger whose lines are kept, parsed. */
function memoryLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

/** Waits until `lines` has one (the upgrade is started on a timer). */
async function firstLine(lines: readonly Record<string, unknown>[]) {
  for (let i = 0; i < 500 && lines.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return lines[0];
}

test('upgraded: one info line naming undici', async () => {
  const client = createLightClient();
  const { logger, lines } = memoryLogger();
  upgradeLater(client, logger, 0);
  const line = await firstLine(lines);
  expect(client.transport).toBe('undici');
  expect(line).toMatchObject({ level: 30, msg: 'HTTP client upgraded', transport: 'undici' });
  expect(lines).toHaveLength(1);
});

test('a failed upgrade: one warning with the reason, the client still on node:http', async () => {
  const failing: Pick<LightClient, 'upgrade' | 'transport'> = {
    upgrade: () =>
      Promise.reject(new SyntaxError("The requested module 'undici' does not provide an export")),
    transport: 'node:http',
  };
  const { logger, lines } = memoryLogger();
  upgradeLater(failing, logger, 0);
  expect(await firstLine(lines)).toMatchObject({
    level: 40,
    msg: 'HTTP client upgrade failed',
    transport: 'node:http',
    err: "The requested module 'undici' does not provide an export",
  });
  expect(lines).toHaveLength(1);
});
