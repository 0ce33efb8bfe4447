/**
 * The OpenAPI 3.1 description of the HTTP API (`GET /api/openapi.json`), generated from the zod
 * schemas the API validates with (`schemas.ts`, and the contract's own profile and decision).
 * JSON Schema 2020-12 is OpenAPI 3.1's own dialect, so zod's output is used as it is.
 */
import { z } from 'zod';
import { DecisionSchema, ProfileSchema } from '../../rules/index.js';
import { LANGUAGES } from '../i18n.js';
import {
  ApiIssueSchema,
  BrandSchema,
  CheckResponseSchema,
  ChoiceMessageSchema,
  CommandMessageSchema,
  CreateSessionBodySchema,
  DebugSchema,
  ErrorSchema,
  JsonViewSchema,
  MessageBodySchema,
  PublicConfigSchema,
  SessionSchema,
  SummarySchema,
  TextMessageSchema,
  TurnSchema,
} from './schemas.js';

type Json = Record<string, unknown>;

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/** Converts the schemas of a registry, in `io` mode, to components referring to one another. */
function components(entries: readonly [string, z.ZodType][], io: 'input' | 'output'): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of entries) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    unrepresentable: 'any',
    uri: (id) => `#/components/schemas/${id}`,
  });
  const out: Record<string, Json> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _schema, $id: _id, ...rest } = schema as Json;
    out[id] = rest;
  }
  return out;
}

const json = (schema: Json, description: string): Json => ({
  description,
  content: { 'application/json': { schema } },
});

const error = (description: string): Json => json(ref('Error'), description);

/** The errors every protected route may answer. */
const COMMON_ERRORS: Json = {
  '401': error('No API key, or not a valid one: `{ "error": "unauthorized" }`'),
  '429': {
    ...error('Over the rate limit: `{ "error": "rate-limited", "retryAfter": seconds }`'),
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds to wait' } },
  },
};

const BODY_ERRORS: Json = {
  '400': error(
    'Not JSON (`invalid-json`), or the wrong shape (`invalid-input`, each issue naming its field)',
  ),
  '413': error('The body is over the size limit: `{ "error": "too-large" }`'),
};

const NOT_FOUND: Json = { '404': error('No such session: `{ "error": "not-found" }`') };

const sessionId: Json = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'the session id returned by POST /api/sessions',
  schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' },
};

const query = (name: string, description: string, schema: Json): Json => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

/** The OpenAPI document. */
export function openApiDocument(version: string): Json {
  const schemas = {
    ...components(
      [
        ['Profile', ProfileSchema],
        ['CreateSessionBody', CreateSessionBodySchema],
        ['TextMessage', TextMessageSchema],
        ['ChoiceMessage', ChoiceMessageSchema],
        ['CommandMessage', CommandMessageSchema],
        ['MessageBody', MessageBodySchema],
      ],
      'input',
    ),
    ...components(
      [
        ['Decision', DecisionSchema],
        ['Brand', BrandSchema],
        ['View', JsonViewSchema],
        ['Session', SessionSchema],
        ['Turn', TurnSchema],
        ['Summary', SummarySchema],
        ['CheckResponse', CheckResponseSchema],
        ['Issue', ApiIssueSchema],
        ['Error', ErrorSchema],
        ['PublicConfig', PublicConfigSchema],
        ['Debug', DebugSchema],
      ],
      'output',
    ),
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Luohu HTTP API',
      version,
      description:
        'Shenzhen talent settlement (秒批) consultation: check profiles against the contract, and run ' +
        'consultations for chat widgets. JSON in and out. Authenticate with an API key ' +
        '(`Authorization: Bearer <key>` or `X-API-Key: <key>`); in staff mode (no keys configured) ' +
        'the server listens on loopback only and needs no key from this machine.',
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      '/api/check': {
        post: {
          operationId: 'check',
          summary: 'Decide one profile or a batch (the check contract)',
          parameters: [
            query('asOf', 'decision date YYYY-MM-DD; default today in Asia/Shanghai', {
              type: 'string',
              format: 'date',
            }),
            query('policy', 'policy edition; default shenzhen-2019', { type: 'string' }),
            query('lang', 'language of `text` and of error messages', {
              type: 'string',
              enum: [...LANGUAGES],
              default: 'zh-CN',
            }),
            query('explain', '1: add `text`, the explanation for people', {
              type: 'string',
              enum: ['0', '1', 'true', 'false'],
            }),
          ],
          requestBody: {
            required: true,
            description: 'A profile, or an array of profiles (at most 256 KiB)',
            content: {
              'application/json': {
                schema: { oneOf: [ref('Profile'), { type: 'array', items: ref('Profile') }] },
              },
            },
          },
          responses: {
            '200': json(
              ref('CheckResponse'),
              'The decision (an array of decisions, in order, for an array of profiles)',
            ),
            ...BODY_ERRORS,
            ...COMMON_ERRORS,
          },
        },
      },
      '/api/sessions': {
        post: {
          operationId: 'createSession',
          summary: 'Start a consultation (its first view asks for consent)',
          requestBody: {
            required: false,
            content: { 'application/json': { schema: ref('CreateSessionBody') } },
          },
          responses: {
            '201': json(ref('Session'), 'The new session and its first view'),
            ...BODY_ERRORS,
            ...COMMON_ERRORS,
          },
        },
      },
      '/api/sessions/{id}': {
        parameters: [sessionId],
        get: {
          operationId: 'getSession',
          summary: 'The current view (to show again, e.g. after a reload)',
          responses: { '200': json(ref('Session'), 'The current view'), ...NOT_FOUND, ...COMMON_ERRORS },
        },
        delete: {
          operationId: 'deleteSession',
          summary: 'Erase the session and its answers at once',
          responses: {
            '204': { description: 'Erased (also when there was no such session)' },
            ...COMMON_ERRORS,
          },
        },
      },
      '/api/sessions/{id}/messages': {
        parameters: [sessionId],
        post: {
          operationId: 'sendMessage',
          summary: 'Send typed text, a tapped choice, or a command; returns the view to show',
          requestBody: {
            required: true,
            description: 'Exactly one of text, choice or command (at most 16 KiB)',
            content: { 'application/json': { schema: ref('MessageBody') } },
          },
          responses: {
            '200': json(ref('Turn'), 'The view to show now'),
            ...BODY_ERRORS,
            ...NOT_FOUND,
            ...COMMON_ERRORS,
          },
        },
      },
      '/api/sessions/{id}/summary': {
        parameters: [sessionId],
        get: {
          operationId: 'getSummary',
          summary: 'The answers given so far, rendered in the session’s language',
          responses: { '200': json(ref('Summary'), 'The answers'), ...NOT_FOUND, ...COMMON_ERRORS },
        },
      },
      '/api/sessions/{id}/debug': {
        parameters: [sessionId],
        get: {
          operationId: 'getDebug',
          summary: 'Everything about a session, for the staff simulator',
          description: 'Needs an API key, or staff mode and a request from this machine.',
          responses: {
            '200': json(ref('Debug'), 'The machine state, answers, profile and decision'),
            ...NOT_FOUND,
            ...COMMON_ERRORS,
          },
        },
      },
      '/api/openapi.json': {
        get: {
          operationId: 'getOpenApi',
          summary: 'This description',
          security: [],
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
        },
      },
      '/api/config': {
        get: {
          operationId: 'getConfig',
          summary: 'What a widget needs to know: the agency, the languages, staff mode (no secrets)',
          security: [],
          responses: { '200': json(ref('PublicConfig'), 'The public configuration') },
        },
      },
    },
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <API key>' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
    },
  };
}
