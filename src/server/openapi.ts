import type { FastifyDynamicSwaggerOptions, SwaggerTransform } from '@fastify/swagger';
import type { FastifySchema, RouteOptions } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SESSION_COOKIE } from '../modules/accounts/session';
import { criteriaComponents } from '../modules/criteria/contract';
import type { Access } from './context';
import { errorCatalogue } from './errors';

/**
 * The OpenAPI document of /api/v1, served at /api/openapi.json. Most of each operation is derived
 * here rather than written beside every route, so it cannot drift from what the app enforces:
 *  - `tags`: the module that registered the route (api-routes.ts);
 *  - `operationId`: from the method and the path (`GET /subjects/:id` → `getSubjectsById`);
 *  - `security`: from the route's access rule (public: none; else the session cookie, and the
 *    CSRF header for writes, exactly what the access hook checks);
 *  - error responses: the one error shape (`Error`) for each status the access hook, validation,
 *    the body parser and the services can answer for such a route;
 *  - an upload's request body (`consumes: [MULTIPART]`) and a file's response (`produces: [...]`).
 * What only the route knows stays beside it in `schema`: `summary`, `consumes`/`produces`, and
 * `errorStatuses` for statuses only that route answers (401 and 429 on login, 422 for a dossier
 * document whose content is refused).
 */

/** Sent back by the web app on every write made with the session cookie (checked by the access hook). */
export const CSRF_HEADER = 'x-csrf-token';

/** Content types of what the API sends or receives as files. */
export const MEDIA = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpeg: 'image/jpeg',
  svg: 'image/svg+xml',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv',
  json: 'application/json',
  multipart: 'multipart/form-data',
} as const;

declare module 'fastify' {
  interface FastifySchema {
    /** Error statuses only this route answers, beyond those derived from its access rule and inputs. */
    errorStatuses?: readonly ErrorStatus[];
  }
}

type ErrorStatus = (typeof errorCatalogue)[keyof typeof errorCatalogue]['status'];

/** The modules with routes under /api/v1: each is its routes' tag (api-routes.ts registers them). */
export const API_TAGS = {
  accounts: 'Login and sessions, users, roles and their scope',
  'admin-units': 'Provinces and communes since 2025-07-01, the units before, and address resolution',
  subjects: 'The registry of producers (chủ thể)',
  products: 'Products, their photos and taxonomy, craft villages',
  audit: 'The audit trail of a record',
  criteria: 'Rule-sets and scoring sheets: import, validation, activation, workbooks',
  certificates: 'Certificates, their PDF and QR documents, the re-evaluation queue',
  evaluation: 'Evaluation cycles, dossiers and documents, councils, scoring, results and decisions',
  imports: 'Registry import from Excel or CSV files',
  notifications: 'In-app notices',
  opendata: 'Public export of certified products (no login)',
} as const;
export type ApiTag = keyof typeof API_TAGS;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Named schemas: recursive ones must be components (a `$ref` to themselves), the rest to be shared. */
const schemaRegistry = z.registry<{ id: string; [key: string]: unknown }>();
for (const [id, schema] of Object.entries(criteriaComponents)) schemaRegistry.add(schema, { id });

/** The body of every error answer (src/server/errors.ts `ErrorBody`), one component referenced everywhere. */
const errorComponent = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: { type: 'string', enum: Object.keys(errorCatalogue) },
        message: {
          type: 'string',
          description: 'In Vietnamese, or in English when the request says `Accept-Language: en`.',
        },
        fields: {
          type: 'object',
          description: 'Per input field (its path), what is wrong with it.',
          additionalProperties: { type: 'string' },
        },
      },
    },
  },
} as const;

const ERROR_REF = { $ref: '#/components/schemas/Error' };
const errorResponseName = (status: string) => `Error${status}`;
const BINARY = { type: 'string', format: 'binary' } as const;

/** "UNAUTHENTICATED, INVALID_CREDENTIALS": the error codes a status stands for, from the catalogue. */
function errorDescription(status: number): string {
  const codes = Object.entries(errorCatalogue)
    .filter(([, definition]) => definition.status === status)
    .map(([code]) => code);
  return `Error: ${codes.join(', ')}`;
}

/** `GET /api/v1/evaluation/dossiers/:id/documents` → `getEvaluationDossiersByIdDocuments`. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\/v1\//, '')
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => (segment.startsWith(':') ? ['by', segment.slice(1)] : segment.split(/[-_.]/)));
  return method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** The error statuses a route can answer, from what the app checks before and around its handler. */
export function errorStatusesOf(method: string, access: Access, schema: FastifySchema): ErrorStatus[] {
  const statuses = new Set<ErrorStatus>([500]);
  const upload = schema.consumes?.includes(MEDIA.multipart) ?? false;
  if (schema.body || schema.querystring || schema.params || upload) statuses.add(400);
  if (schema.body || upload) {
    statuses.add(413);
    statuses.add(415);
  }
  if (!('public' in access)) {
    statuses.add(401);
    statuses.add(403);
    if (WRITE_METHODS.has(method)) statuses.add(409);
  }
  if (schema.params) statuses.add(404);
  for (const status of schema.errorStatuses ?? []) statuses.add(status);
  return [...statuses].sort((a, b) => a - b);
}

function securityOf(method: string, access: Access): Array<Record<string, string[]>> {
  if ('public' in access) return [];
  return WRITE_METHODS.has(method) ? [{ session: [], csrf: [] }] : [{ session: [] }];
}

function rolesOf(access: Access): string {
  if ('public' in access) return 'Public: no login.';
  if (access.roles === 'any-authenticated') return 'Any logged-in user.';
  return `Roles: ${access.roles.join(', ')}.`;
}

const zodTransform = createJsonSchemaTransform({ schemaRegistry });

/** Per route: the zod schemas as JSON schema, then what is derived centrally (see the top of this file). */
export const openApiTransform: SwaggerTransform = (input) => {
  const { schema, url } = zodTransform(input);
  if (!schema || schema.hide) return { schema, url };
  const route: RouteOptions = input.route;
  const access = route.config?.access;
  if (!access)
    throw new Error(`Route ${String(route.method)} ${url} is documented but declares no access rule`);
  const method = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
  if (method.length !== 1) throw new Error(`Route ${url}: one method per documented route`);
  const verb = String(method[0]);

  // zod has turned the route's own responses into JSON schema; the rest are added as they are.
  const response: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
  const produces = schema.produces;
  if (produces?.length && !response['200']) {
    response['200'] = {
      description: `The file (${produces.join(', ')})`,
      content: Object.fromEntries(produces.map((type) => [type, { schema: BINARY }])),
    };
  }
  for (const status of errorStatusesOf(verb, access, schema)) {
    response[String(status)] ??= {
      description: errorDescription(status),
      content: { 'application/json': { schema: ERROR_REF } },
    };
  }

  const upload = schema.consumes?.includes(MEDIA.multipart) ?? false;
  const { errorStatuses: _errorStatuses, ...rest } = schema;
  return {
    url,
    schema: {
      ...rest,
      operationId: schema.operationId ?? operationIdOf(verb, url),
      security: securityOf(verb, access),
      description: [schema.description, rolesOf(access)].filter(Boolean).join('\n\n'),
      ...(upload && !schema.body
        ? {
            body: {
              type: 'object',
              required: ['file'],
              properties: { file: { ...BINARY, description: 'The one file of the upload.' } },
            },
          }
        : {}),
      response,
    },
  };
};

const zodTransformObject = createJsonSchemaTransformObject({ schemaRegistry });

type OpenApiObject = ReturnType<typeof zodTransformObject>;
type ResponseObject = { description?: string; content?: Record<string, { schema?: unknown }> };

/**
 * Each error answer is written once, under `components.responses` (`Error401`…), and referenced by
 * the operations: fastify-swagger can only write a response in place, and ~140 copies of the same
 * few answers would make the document and the generated client types several times larger.
 */
function shareErrorResponses(document: OpenApiObject): OpenApiObject {
  const shared: Record<string, ResponseObject> = {};
  const paths = (document as { paths?: Record<string, Record<string, { responses?: object }>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      const responses = (operation.responses ?? {}) as Record<string, ResponseObject | { $ref: string }>;
      for (const [status, response] of Object.entries(responses)) {
        const content = 'content' in response ? response.content : undefined;
        const schema = content?.['application/json']?.schema as { $ref?: string } | undefined;
        if (schema?.$ref !== ERROR_REF.$ref) continue;
        shared[errorResponseName(status)] = response as ResponseObject;
        responses[status] = { $ref: `#/components/responses/${errorResponseName(status)}` };
      }
    }
  }
  const components = ((document as { components?: object }).components ?? {}) as Record<string, unknown>;
  return { ...document, components: { ...components, responses: shared } } as OpenApiObject;
}

export function swaggerOptions(): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      info: {
        title: 'OCOP platform API',
        version: '1.0.0',
        description:
          'Nền tảng số OCOP — API. Log in with POST /api/v1/auth/login: the answer sets the session cookie ' +
          `and carries the CSRF token, sent back in the \`${CSRF_HEADER}\` header on every write.`,
      },
      servers: [{ url: '/' }],
      tags: Object.entries(API_TAGS).map(([name, description]) => ({ name, description })),
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The signed session cookie set by POST /api/v1/auth/login.',
          },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: CSRF_HEADER,
            description: "The session's CSRF token (`csrfToken` of the login answer), required on writes.",
          },
        },
        // Cast: the component is a plain JSON schema object, which OpenAPI's schema type spells differently.
        schemas: { Error: errorComponent as unknown as Record<string, never> },
      },
    },
    transform: openApiTransform,
    transformObject: (input) => shareErrorResponses(zodTransformObject(input)),
  };
}
