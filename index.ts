/**
 * Luohu as a library. Integrations import from `luohu`:
 * - the rules engine and its contract (`check`, `decide`, the zod schemas, the editions);
 * - the consultation engine over a store (`Engine`, `MemoryStore`, `SqliteStore`);
 * - the Telegram channels (`createTelegrafMiddleware` for an agency's Telegraf bot, `createGrammyBot`);
 * - the HTTP API (`createHttpApp`, a Hono app to mount or serve; `startHttpServer`).
 *
 * @example
 * ```ts
 * import { check } from 'luohu';
 * const result = check({ birthDate: '1993-04-09', education: 'bachelor', educationMode: 'regular' });
 * if (result.ok && !Array.isArray(result.value)) console.log(result.value.verdict);
 * ```
 */

export type { ApiKeyEntry, Brand, HttpConfig } from './bot/config.js';
export { Engine, type EngineOptions, type Input, type Meta, type Turn } from './bot/engine.js';
export { createHttpApp, type HttpApp, type HttpAppOptions } from './bot/http/app.js';
export { generateApiKey, hashKey } from './bot/http/auth.js';
export { openApiDocument } from './bot/http/openapi.js';
export {
  CheckResponseSchema,
  type JsonView,
  JsonViewSchema,
  MessageBodySchema,
  SessionSchema,
} from './bot/http/schemas.js';
export { type RunningHttp, type StartHttpOptions, startHttpServer } from './bot/http/server.js';
export { jsonView } from './bot/http/view.js';
export {
  createI18n,
  createRenderer,
  LANGUAGES,
  type Lang,
  type LocaleOverrides,
  type Renderer,
} from './bot/i18n.js';
export { startRetention } from './bot/storage/retention.js';
export { SqliteStore, type SqliteStoreOptions } from './bot/storage/sqlite.js';
export { type Committed, type ConversationStore, MemoryStore } from './bot/storage/store.js';
export { createGrammyBot, type GrammyBotOptions, registerCommands } from './bot/telegram/grammy.js';
export { createTelegrafMiddleware, type TelegrafMiddlewareOptions } from './bot/telegram/telegraf.js';
export type { StoredConversation } from './machines/conversation.js';
export type { Block, Choice, Text, View } from './machines/view.js';
export * from './rules/index.js';
