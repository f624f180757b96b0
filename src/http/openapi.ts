/**
 * The OpenAPI 3.1 description of the HTTP API, generated from what each route file declares next to
 * its routes (an exported `…RouteDocs` array): a summary, who may call the route, the zod schemas the
 * route already validates its params, query and body with, and the statuses and error codes it
 * answers. Nothing here changes how a route validates or behaves: the schemas are the same constants
 * the handlers pass to parseInput, turned into JSON Schema with zod's own `z.toJSONSchema`.
 *
 * Served at GET /api/openapi.json without a login (it holds no data). The integration test
 * test/integration/http/openapi.test.ts walks the routers the app mounts and fails when a route is
 * missing here or a declared route does not exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import Router from '@koa/router';
import { z } from 'zod';
import { PROJECT_ROOT } from '../paths';
import type { AppState } from './context';
import { SESSION_COOKIE } from './middleware/auth';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

type JsonSchema = Record<string, unknown>;

export interface ResponseSpec {
  description: string;
  /** A zod schema of the answer, where one exists; otherwise the answer is described as a JSON object. */
  schema?: z.ZodType;
  /** Media type other than JSON (a PDF, an HTML page, a file download, Prometheus text). */
  type?: string;
}

export interface RouteSpec {
  summary: string;
  description?: string;
  /** Who may call the route, in words ("logged in", "legal, admin", "whoever sees the case"). */
  auth: string;
  /** No session needed (login, health, this document). Routes are behind the login otherwise. */
  public?: boolean;
  /** Guarded by a bearer token instead of the session (GET /metrics with METRICS_TOKEN). */
  bearer?: boolean;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Request headers the route reads, with their meaning. */
  headers?: Record<string, string>;
  /** Bodies accepted besides JSON (e.g. raw BPMN XML), with what they carry. */
  rawBody?: { types: string[]; description: string };
  /** Success answers: status → description (a JSON object) or a fuller description. */
  responses: Record<number, string | ResponseSpec>;
  /** Error answers particular to the route: status → codes. 401, 400 VALIDATION_FAILED, 413, 415, 500 are added where they apply. */
  errors?: Partial<Record<number, string[]>>;
  /** Defaults to the first path segment after /api. */
  tag?: string;
}

export interface RouteDoc extends RouteSpec {
  method: HttpMethod;
  /** The route's path as the router matches it, prefix included (`/api/users/:id`). */
  path: string;
}

/** For routes that take no query or body fields and refuse any (they validate with `z.strictObject({})`). */
export const noFields = z.strictObject({});

/** Declares one route for the OpenAPI description; used in the route files' `…RouteDocs` arrays. */
export function route(method: HttpMethod, path: string, spec: RouteSpec): RouteDoc {
  return { method, path, ...spec };
}

const ERROR_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'A stable code, e.g. VALIDATION_FAILED, NOT_FOUND.' },
        message: { type: 'string' },
        details: { description: 'Per field problems (`path`, `message`) for validation errors; other shapes for other codes.' },
      },
    },
  },
};

const WRITES = new Set<HttpMethod>(['post', 'put', 'patch', 'delete']);

/** `/api/users/:id` → `/api/users/{id}`. */
export function openApiPath(koaPath: string): string {
  return koaPath.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

function pathParamNames(koaPath: string): string[] {
  return [...koaPath.matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]);
}

function jsonSchema(schema: z.ZodType): JsonSchema {
  // The input side: what a client sends (defaults optional, coerced query numbers as numbers).
  // Refinements (a real calendar date, a duration within a limit) are checked but cannot be written
  // as JSON Schema; their messages are in the 400 answer's details.
  const { $schema: _drop, ...out } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return out;
}

/** The properties of an object schema as OpenAPI parameters (`in: path | query | header`). */
function parameters(schema: z.ZodType, where: 'path' | 'query', doc: RouteDoc): JsonSchema[] {
  const js = jsonSchema(schema);
  const props = js.properties as Record<string, JsonSchema> | undefined;
  if (js.type !== 'object' || !props) throw new Error(`${doc.method.toUpperCase()} ${doc.path}: the ${where} schema is not an object`);
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

function errorResponse(codes: string[]): JsonSchema {
  return { description: [...new Set(codes)].join(', '), content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

function operation(doc: RouteDoc): JsonSchema {
  const parametersOut: JsonSchema[] = [];
  const names = pathParamNames(doc.path);
  if (doc.params) {
    const declared = parameters(doc.params, 'path', doc);
    const declaredNames = declared.map((p) => p.name as string).sort();
    if (declaredNames.join() !== [...names].sort().join()) {
      throw new Error(`${doc.method.toUpperCase()} ${doc.path}: params schema names ${declaredNames.join(', ')}, the path ${names.join(', ')}`);
    }
    parametersOut.push(...declared);
  } else {
    for (const name of names) parametersOut.push({ name, in: 'path', required: true, schema: { type: 'string' } });
  }
  if (doc.query) parametersOut.push(...parameters(doc.query, 'query', doc));
  for (const [name, description] of Object.entries(doc.headers ?? {})) parametersOut.push({ name, in: 'header', required: false, description, schema: { type: 'string' } });

  const op: JsonSchema = {
    operationId: `${doc.method}${openApiPath(doc.path).replace(/^\/api/, '').split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('') || 'Root'}`,
    summary: doc.summary,
    description: [`Who: ${doc.auth}.`, doc.description].filter(Boolean).join('\n\n'),
    tags: [doc.tag ?? (doc.path.split('/').filter(Boolean)[doc.path.startsWith('/api/') ? 1 : 0] ?? 'api')],
    'x-auth': doc.auth,
    security: doc.bearer ? [{}, { metricsToken: [] }] : doc.public ? [] : [{ session: [] }],
  };
  if (parametersOut.length) op.parameters = parametersOut;

  if (doc.body || doc.rawBody) {
    const content: Record<string, JsonSchema> = {};
    if (doc.body) content['application/json'] = { schema: jsonSchema(doc.body) };
    for (const type of doc.rawBody?.types ?? []) content[type] = { schema: { type: 'string', description: doc.rawBody!.description } };
    op.requestBody = { required: doc.body ? !doc.body.safeParse({}).success : true, content };
  }

  const responses: Record<string, JsonSchema> = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    const spec: ResponseSpec = typeof r === 'string' ? { description: r } : r;
    if (Number(status) === 204) { responses[status] = { description: spec.description }; continue; }
    const schema = spec.schema ? jsonSchema(spec.schema) : spec.type ? { type: 'string' } : { type: 'object' };
    responses[status] = { description: spec.description, content: { [spec.type ?? 'application/json']: { schema } } };
  }
  // Error answers every route of its kind can give, besides the route's own.
  const errs = new Map<number, string[]>();
  const add = (status: number, ...codes: string[]) => errs.set(status, [...(errs.get(status) ?? []), ...codes]);
  if (doc.params || doc.query || doc.body) add(400, 'VALIDATION_FAILED');
  if (WRITES.has(doc.method) && doc.path.startsWith('/api')) {
    if (doc.method !== 'delete') add(400, 'INVALID_JSON');
    add(403, 'CROSS_SITE_REQUEST');
    add(413, 'PAYLOAD_TOO_LARGE');
    add(415, 'UNSUPPORTED_MEDIA_TYPE');
  }
  if (!doc.public) add(401, 'UNAUTHENTICATED');
  for (const [status, codes] of Object.entries(doc.errors ?? {})) add(Number(status), ...(codes ?? []));
  add(500, 'INTERNAL');
  for (const status of [...errs.keys()].sort((a, b) => a - b)) responses[String(status)] = errorResponse(errs.get(status)!);
  op.responses = responses;
  return op;
}

function packageVersion(): string {
  try {
    return String((JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

/** The OpenAPI 3.1 document of the declared routes. Throws when a declaration does not fit its path. */
export function openApiDocument(docs: RouteDoc[]): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const doc of docs) {
    const p = openApiPath(doc.path);
    paths[p] ??= {};
    if (paths[p][doc.method]) throw new Error(`${doc.method.toUpperCase()} ${doc.path} is declared twice`);
    paths[p][doc.method] = operation(doc);
  }
  const sorted = Object.fromEntries(Object.keys(paths).sort().map((p) => [p, paths[p]]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Labour-security inspection cases',
      version: packageVersion(),
      description: 'JSON under /api. Errors have the shape {"error": {"code", "message", "details"?}}. Generated from the request schemas the routes validate with; answers are described loosely where no schema exists yet.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    paths: sorted,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The signed session cookie set by POST /api/session.' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, when it is set.' },
      },
    },
  };
}

export const openApiRouteDocs: RouteDoc[] = [
  route('get', '/api/openapi.json', { summary: 'This description of the API (OpenAPI 3.1)', auth: 'anyone', public: true, responses: { 200: 'The OpenAPI document' } }),
];

/** GET /api/openapi.json; the document is built on the first request and kept. */
export function openApiRoutes(docs: () => RouteDoc[]): Router<AppState> {
  const router = new Router<AppState>();
  let cached: string | null = null;
  router.get('/api/openapi.json', (ctx) => {
    cached ??= JSON.stringify(openApiDocument(docs()));
    ctx.type = 'application/json';
    ctx.body = cached;
  });
  return router;
}
