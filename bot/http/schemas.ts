/**
 * The HTTP API's bodies, as zod schemas: requests are validated with them, and the OpenAPI
 * description (`openapi.ts`) is generated from them. The profile and the decision are the contract's
 * own schemas (`rules/`), so the API, `luohu check` and the library cannot drift apart.
 */
import { z } from 'zod';
import { COMMANDS } from '../../machines/events.js';
import { DecisionSchema, ProfileSchema } from '../../rules/index.js';
import { LANGUAGES } from '../i18n.js';

/** The longest typed message accepted. */
export const MAX_TEXT_LENGTH = 4096;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const lang = z.enum(LANGUAGES);

/** `POST /api/sessions`. */
export const CreateSessionBodySchema = z.strictObject({
  lang: lang.optional().describe('language of the conversation; default: the server’s LUOHU_LANG'),
  asOf: isoDate
    .optional()
    .describe('decide for this date (YYYY-MM-DD); default: today in Asia/Shanghai, every day anew'),
});
export type CreateSessionBody = z.infer<typeof CreateSessionBodySchema>;

/** A typed message. */
export const TextMessageSchema = z.strictObject({
  text: z.string().min(1).max(MAX_TEXT_LENGTH).describe('what the person typed'),
});

/** A tapped choice. */
export const ChoiceMessageSchema = z.strictObject({
  choice: z.string().min(1).max(200).describe('the id of a choice of the current view'),
  seq: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('the seq of the view that showed the choice: an older one changes nothing (notice)'),
});

/** A command. */
export const CommandMessageSchema = z.strictObject({
  command: z.enum(COMMANDS),
  lang: lang.optional().describe('with `language`: switch to this language (default: the other one)'),
});

/** `POST /api/sessions/{id}/messages`: exactly one of text, choice or command. */
export const MessageBodySchema = z.union([TextMessageSchema, ChoiceMessageSchema, CommandMessageSchema]);
export type MessageBody = z.infer<typeof MessageBodySchema>;

/** One paragraph of a view, rendered. */
export const JsonBlockSchema = z.object({
  kind: z.enum(['title', 'heading', 'line', 'item', 'detail']),
  mark: z
    .enum(['pass', 'fail', 'na', 'todo', 'warn'])
    .optional()
    .describe('status shown before the text: ✓ ✗ – → !'),
  number: z.number().int().min(1).optional().describe('position in a numbered list'),
  text: z.string(),
});

/** The agency on results. */
export const BrandSchema = z.object({ name: z.string(), contact: z.string() });

/** A view rendered in its language: what to show after each input. */
export const JsonViewSchema = z.object({
  kind: z.enum(['consent', 'declined', 'question', 'result', 'summary', 'deleted']),
  state: z.string().describe('the machine state (for debugging and tests)'),
  question: z.string().optional().describe('the question asked, on question views'),
  lang: z.string(),
  notice: z.string().optional().describe('a one-off message before the body (a correction, a confirmation)'),
  text: z.string().describe('the whole view as plain text, without the choices'),
  blocks: z.array(JsonBlockSchema),
  choices: z.array(z.object({ id: z.string(), label: z.string() })),
  decision: DecisionSchema.optional().describe('on result views: exactly what POST /api/check gives'),
  brand: BrandSchema.optional().describe('on result views, when the server has an agency configured'),
});
export type JsonView = z.infer<typeof JsonViewSchema>;

const sessionId = z.string().describe('the session id: a bearer capability, keep it private');

/** A session and its current view. */
export const SessionSchema = z.object({
  id: sessionId,
  seq: z.number().int().min(0).describe('the turn of this view; send it back with a choice'),
  view: JsonViewSchema,
});

/** The answer to a message. */
export const TurnSchema = SessionSchema.extend({
  erased: z.boolean().describe('true after the delete command: the session no longer exists'),
});

/** `GET /api/sessions/{id}/summary`. */
export const SummarySchema = z.object({
  answers: z.array(
    z.object({
      question: z.string().describe('question id (a profile field)'),
      label: z.string().describe('the question, short, in the session’s language'),
      answer: z.string().describe('the answer, in the session’s language'),
    }),
  ),
});

/** `POST /api/check`: one decision or an array, and their explanations with `explain=1`. */
export const CheckResponseSchema = z.object({
  decisions: z.union([DecisionSchema, z.array(DecisionSchema)]),
  text: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe('with explain=1: the explanation for people, in `lang`'),
});

/** One problem with the input. */
export const ApiIssueSchema = z.object({
  path: z.string().describe('the field: `birthDate`, `[3].birthDate`, `asOf`, `(input)`'),
  code: z.string().describe('the problem, e.g. `required`, `not-a-real-date`, `unknown-field`'),
  message: z.string().describe('the problem in plain words, in `lang`'),
});
export type ApiIssue = z.infer<typeof ApiIssueSchema>;

/** An error. */
export const ErrorSchema = z.object({
  error: z.enum([
    'invalid-json',
    'invalid-input',
    'unauthorized',
    'not-found',
    'too-large',
    'rate-limited',
    'internal-error',
  ]),
  message: z.string().optional(),
  issues: z.array(ApiIssueSchema).optional().describe('with invalid-input: every problem, naming its field'),
  retryAfter: z.number().int().optional().describe('with rate-limited: seconds to wait'),
});
export type ApiError = z.infer<typeof ErrorSchema>;

/** `GET /api/config`. */
export const PublicConfigSchema = z.object({
  brand: BrandSchema.nullable(),
  languages: z.array(z.string()),
  staff: z.boolean().describe('true in staff mode: no API keys, loopback only'),
});

/** `GET /api/sessions/{id}/debug`. */
export const DebugSchema = z.object({
  state: z.string(),
  current: z.string().nullable().describe('the question being asked'),
  answers: z.record(z.string(), z.unknown()),
  unknown: z.array(z.string()).describe('questions answered “I don’t know”'),
  approximateAge: z.boolean(),
  asOf: z.string(),
  policy: z.string(),
  profile: ProfileSchema.nullable().describe('the answers with the dialogue’s cautious defaults, or null'),
  decision: DecisionSchema.nullable(),
  stored: z.unknown().describe('the conversation as stored'),
});
