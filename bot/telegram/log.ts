/**
 * One log line per update: its id, the chat id hashed, the kind, the state shown and the time taken.
 *
 * **WARNING:** never add the message text, the answers or the token here: answers are personal data.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';
import type { Handled } from './handler.js';

/** A per-process salt, so hashed chat ids cannot be looked up in a table of known ids. */
const SALT = randomBytes(16).toString('hex');

/** A chat id as it appears in logs: a salted hash, stable within one process. */
export function hashChat(chatId: number | string): string {
  return createHash('sha256').update(`${SALT}:${chatId}`).digest('hex').slice(0, 16);
}

const reported = new Set<string>();

/** Logs how an update was handled. Refused replies (e.g. a blocked bot) are logged once per chat. */
export function logHandled(
  logger: Logger,
  updateId: number,
  chatId: number,
  handled: Handled,
  ms: number,
): void {
  const { storeFailed, replyFailed, duplicate, limited } = handled;
  // The usual line is at debug level: skip hashing the chat id when it would be discarded.
  if (!storeFailed && !replyFailed && !duplicate && !limited && !logger.isLevelEnabled('debug')) return;
  const chat = hashChat(chatId);
  const line = {
    update: updateId,
    chat,
    kind: handled.kind,
    state: handled.state,
    ms: Math.round(ms * 100) / 100,
  };
  if (handled.storeFailed) logger.error(line, 'store unavailable; asked to try again');
  else if (handled.replyFailed) {
    const key = `${chat}:${handled.replyFailed.slice(0, 40)}`;
    if (!reported.has(key)) {
      reported.add(key);
      if (reported.size > 10_000) reported.clear();
      logger.warn(
        { ...line, reason: handled.replyFailed.replace(/\d{6,}:[\w-]{20,}/g, '***') },
        'reply refused',
      );
    }
  } else if (handled.duplicate) logger.info(line, 'duplicate update skipped');
  else if (handled.limited) logger.info(line, 'rate limited');
  else logger.debug(line, 'update');
}
