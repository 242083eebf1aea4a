/**
 * The admin API's OpenAPI 3.1 document, built from what the routes declare when they register
 * (`routes.add` options: summary, zod schemas of body and query, success status, extra answers)
 * so it cannot drift from them. Pure: routes in, document out. JSON Schemas come from zod's own
 * `z.toJSONSchema` (draft 2020-12, the dialect of OpenAPI 3.1), on the input side of each schema.
 */
import { z } from 'zod';
import type { BodyKind, Method, PublicRouteInfo, RouteDescription, RouteInfo } from './api-routes.js';
import { PERMISSIONS } from './permissions.js';
import { SESSION_COOKIE } from './session-rules.js';

/** As `CSRF_HEADER` (session-rules.ts), spelt as people write it. */
const CSRF_HEADER_NAME = 'X-CSRF-Token';

export const OPENAPI_VERSION = '3.1.1';

type JsonSchema = Record<string, unknown>;
type Operation = Record<string, unknown>;

/** `/api/v1/users/:username` -> `/api/v1/users/{username}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The names of a path template's parameters, in order. */
export function pathParameterNames(expressPath: string): string[] {
  return [...expressPath.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

/** A zod schema as a JSON Schema to embed (no `$schema` of its own: the document names the dialect). */
export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'A stable code: bad_request, unauthorized, forbidden, not_found, conflict, ...' },
        message: { type: 'string', description: 'For a person; starts with the field when there is one; never quotes a submitted value.' },
        field: { type: 'string', description: 'The field, parameter or header at fault, when there is one.' },
      },
      additionalProperties: false,
    },
  },
};

const ERROR_MEANINGS: Record<number, string> = {
  400: 'A field, parameter or the body fails validation (the error names it)',
  401: 'No valid credentials (bearer token or session cookie); `WWW-Authenticate: Bearer`',
  403: 'The role lacks the permission, the CSRF token is missing, or the account must first enrol its TOTP',
  404: 'No such record',
  413: 'The body is over its limit',
  415: 'The body has the wrong Content-Type',
  429: 'Too many failed attempts from this source; `Retry-After` says when to try again',
  500: 'Anything unexpected (logged with the route)',
};

const SUCCESS_MEANINGS: Record<number, string> = { 200: 'Done', 201: 'Created', 204: 'Done; no body' };

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function requestBody(body: BodyKind, doc: RouteDescription): Record<string, unknown> | undefined {
  if (body === 'csv') {
    const text = { schema: { type: 'string' } };
    return { required: true, content: { 'text/csv': text, 'application/csv': text } };
  }
  if (body === 'json') {
    return { required: false, content: { 'application/json': { schema: doc.request ? jsonSchemaOf(doc.request) : { type: 'object' } } } };
  }
  return undefined;
}

function parameters(path: string, doc: RouteDescription): Record<string, unknown>[] {
  const inPath = pathParameterNames(path).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (!doc.query) return inPath;
  const query = jsonSchemaOf(doc.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
  const inQuery = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: query.required?.includes(name) ?? false,
    schema,
  }));
  return [...inPath, ...inQuery];
}

function responses(route: { path: string; body: BodyKind; doc: RouteDescription }, authenticated: boolean): Record<string, unknown> {
  const status = route.doc.status ?? 200;
  const answers: Record<string, unknown> = { [status]: { description: SUCCESS_MEANINGS[status] } };
  const codes = new Set<number>([500]);
  if (route.body !== 'none' || route.doc.query || pathParameterNames(route.path).length > 0) codes.add(400);
  if (authenticated) for (const code of [401, 403, 429]) codes.add(code);
  if (pathParameterNames(route.path).length > 0) codes.add(404);
  if (route.body !== 'none') for (const code of [413, 415]) codes.add(code);
  for (const code of [...codes].sort()) answers[code] = errorResponse(ERROR_MEANINGS[code]!);
  for (const [code, description] of Object.entries(route.doc.responses ?? {})) answers[code] = errorResponse(description!);
  return answers;
}

function operation(route: RouteInfo | PublicRouteInfo): Operation {
  const authenticated = 'permission' in route;
  const write = route.method !== 'get';
  const op: Operation = {
    operationId: `${route.method}${route.path.replace(/[/:-]+(\w)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: route.doc.summary ?? '',
    ...(route.doc.description ? { description: route.doc.description } : {}),
    tags: [route.path.split('/')[3] ?? 'api'],
  };
  const params = parameters(route.path, route.doc);
  if (params.length > 0) op.parameters = params;
  const body = requestBody(route.body, route.doc);
  if (body) op.requestBody = body;
  op.responses = responses(route, authenticated);
  if (authenticated) {
    // A cookie-authenticated change also needs the session's CSRF token; a bearer token never does.
    op.security = [{ bearerToken: [] }, write ? { sessionCookie: [], csrfToken: [] } : { sessionCookie: [] }];
    op['x-tollgate-permission'] = route.permission;
    op['x-tollgate-roles'] = [...PERMISSIONS[route.permission]];
  } else {
    op.security = [];
  }
  return op;
}

export interface DocumentInfo {
  title?: string;
  version: string;
}

/** The document for these routes: one path item per template, one operation per method. */
export function openApiDocument(routes: RouteInfo[], publicRoutes: PublicRouteInfo[], info: DocumentInfo): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of [...publicRoutes, ...routes]) {
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method satisfies Method]: operation(route) };
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: info.title ?? 'Tollgate admin API',
      version: info.version,
      description:
        'Configure Tollgate: the Entra connection, policy, RADIUS clients, users and their tokens, admin accounts and API tokens. ' +
        'Errors all have the `Error` shape. `x-tollgate-permission` names the permission an operation needs and ' +
        '`x-tollgate-roles` the roles that hold it.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_API_TOKEN or a named API token (`tg_...`)' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Console session, from POST /api/v1/session' },
        csrfToken: {
          type: 'apiKey',
          in: 'header',
          name: CSRF_HEADER_NAME,
          description: "The session's CSRF token, required with the cookie on every request but GET, HEAD, OPTIONS",
        },
      },
    },
  };
}
