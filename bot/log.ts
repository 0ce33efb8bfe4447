/**
 * The logger (pino). **WARNING:** never log profile values, message texts or tokens: log update ids,
 * kinds and timings only. Answers are personal data.
 */
import { pino } from 'pino';

/** The logger type used across the bot. */
export type Logger = pino.Logger;

/** A JSON logger on standard error at `level` (`silent` in tests). */
export function createLogger(level = 'info'): Logger {
  return pino(
    { level, redact: { paths: ['token', '*.token', 'text', '*.text'], remove: true } },
    pino.destination(2),
  );
}
