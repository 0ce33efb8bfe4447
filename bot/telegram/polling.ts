/**
 * Long polling with @grammyjs/runner that never confirms an update before it is processed.
 *
 * Telegram considers every update below the `offset` of a `getUpdates` call delivered. The runner's
 * default source asks for the next batch while the last one is still being handled, so a crash could
 * drop updates already confirmed. Here the next `getUpdates` (which confirms the previous batch)
 * waits until every update of that batch has been handled and stored. A crash therefore leads to a
 * redelivery, never a loss; a redelivered update is recognised by its id and changes nothing
 * (it is recorded in the same transaction as its effect). Within a batch, chats run concurrently and
 * each chat's updates in order (`perChat` in the bot, `grammy.ts`).
 */
import {
  createConcurrentSink,
  createRunner,
  createSource,
  createUpdateFetcher,
  type RunnerHandle,
} from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Update } from 'grammy/types';

/** Starts polling `bot` (already initialised); stop it with the returned handle. */
export function runPolling(bot: Bot): RunnerHandle {
  const fetchUpdates = createUpdateFetcher(bot);
  const inFlight = new Set<Promise<unknown>>();
  const source = createSource<Update>({
    async supply(batchSize, signal) {
      // Confirm the previous batch (by asking for the next) only once all of it is handled.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      return fetchUpdates(batchSize, signal);
    },
  });
  const sink = createConcurrentSink<Update>(
    {
      consume(update) {
        const handled = bot.handleUpdate(update);
        inFlight.add(handled);
        return handled.finally(() => inFlight.delete(handled));
      },
    },
    async (error) => {
      await bot.errorHandler(error as Parameters<typeof bot.errorHandler>[0]);
    },
  );
  const runner = createRunner(source, sink);
  runner.start();
  return runner;
}
