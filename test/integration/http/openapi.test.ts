/**
 * The OpenAPI description against the routes the app really mounts: every route on the Koa routers
 * (each router's stack, path and methods) is in GET /api/openapi.json, and the document names no route
 * that does not exist. The database does not matter here: SQLite only.
 */
import type Koa from 'koa';
import pino from 'pino';
import request from 'supertest';
import { SessionService } from '../../../src/auth/sessions';
import { TestClock } from '../../../src/clock/clock';
import { loadSettings } from '../../../src/config/settings';
import { createApp } from '../../../src/http/app';
import type { AppState } from '../../../src/http/context';
import { openApiDocument, openApiPath, route } from '../../../src/http/openapi';
import { createTestDatabase, TestDatabase } from '../../support/db';
import { z } from 'zod';

interface Layer { path: string | RegExp; methods: string[] }
type RouterMiddleware = Koa.Middleware & { router?: { stack: Layer[] } };

/** METHOD path pairs of every route on the routers mounted on the app, in OpenAPI's path form. */
function mountedRoutes(app: Koa<AppState>): Set<string> {
  const out = new Set<string>();
  for (const mw of app.middleware as RouterMiddleware[]) {
    for (const layer of mw.router?.stack ?? []) {
      // Layers without methods are router.use() middleware (login checks, headers), not routes.
      for (const method of layer.methods) {
        if (method === 'HEAD') continue; // added by the router to every GET
        out.add(`${method} ${openApiPath(String(layer.path))}`);
      }
    }
  }
  return out;
}

function documentedRoutes(doc: { paths: Record<string, Record<string, unknown>> }): Set<string> {
  const out = new Set<string>();
  for (const [p, ops] of Object.entries(doc.paths)) for (const method of Object.keys(ops)) out.add(`${method.toUpperCase()} ${p}`);
  return out;
}

describe('OpenAPI description', () => {
  let db: TestDatabase;
  const clock = new TestClock();

  beforeAll(async () => {
    db = await createTestDatabase('sqlite', 'openapi');
  });
  afterAll(() => db.close());

  function appWith(env: Record<string, string>): Koa<AppState> {
    const settings = loadSettings({ NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent', ...env });
    const logger = pino({ level: 'silent' });
    const sessions = new SessionService(db.ds, clock, { secret: settings.SESSION_SECRET!, ttlHours: 1, maxFailures: 5, lockMinutes: 15 });
    // Routes only: no engine command runs while the document is read.
    const engine = {} as Parameters<typeof createApp>[0]['engine'];
    return createApp({ settings, ds: db.ds, clock, logger, sessions, engine, rules: {} as Parameters<typeof createApp>[0]['rules'] });
  }

  it.each<[string, Record<string, string>]>([
    ['with the test clock and metrics', { TEST_CLOCK: '1', METRICS: '1' }],
    ['as in production (no test clock, metrics off)', {}],
  ])('lists exactly the mounted routes, %s', async (_label, env) => {
    const app = appWith(env);
    const res = await request(app.callback()).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');

    const mounted = mountedRoutes(app);
    const documented = documentedRoutes(doc);
    expect(mounted.size).toBeGreaterThan(50);
    const missing = [...mounted].filter((r) => !documented.has(r)).sort();
    const extra = [...documented].filter((r) => !mounted.has(r)).sort();
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    const testClock = [...documented].some((r) => r.endsWith('/api/test/clock'));
    expect(testClock).toBe(Boolean(env.TEST_CLOCK));
  });

  it('describes parameters, bodies, security and errors from the route schemas', async () => {
    const res = await request(appWith({ TEST_CLOCK: '1' }).callback()).get('/api/openapi.json');
    const doc = res.body;

    const patchUser = doc.paths['/api/users/{id}'].patch;
    expect(patchUser.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ format: 'uuid' }) })]);
    expect(patchUser.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(patchUser.security).toEqual([{ session: [] }]);
    expect(Object.keys(patchUser.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '500']));
    expect(patchUser.responses['400'].description).toContain('WEAK_PASSWORD');
    expect(patchUser.responses['409'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });

    const inbox = doc.paths['/api/tasks'].get;
    const scope = inbox.parameters.find((p: { name: string }) => p.name === 'scope');
    expect(scope).toMatchObject({ in: 'query', required: false, schema: { enum: ['mine', 'group', 'all'] } });

    const complaint = doc.paths['/api/complaints'].post;
    expect(complaint.requestBody.required).toBe(true);
    expect(complaint.requestBody.content['application/json'].schema.properties).toHaveProperty('complainants');
    expect(complaint.parameters).toEqual([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]);
    expect(Object.keys(complaint.responses)).toEqual(expect.arrayContaining(['200', '201', '415']));

    // A body that must be empty may be left out.
    expect(doc.paths['/api/tasks/{id}/claim'].post.requestBody.required).toBe(false);
    // Diagrams come as JSON or as BPMN XML.
    expect(Object.keys(doc.paths['/api/workflows'].post.requestBody.content)).toEqual(['application/json', 'application/xml', 'text/xml', 'application/bpmn+xml']);

    const login = doc.paths['/api/session'].post;
    expect(login.security).toEqual([]);
    expect(login.responses).not.toHaveProperty('401.description', expect.stringContaining('UNAUTHENTICATED'));
    expect(login.responses['429'].description).toContain('LOGIN_LOCKED');
    expect(doc.paths['/metrics'].get.security).toEqual([{}, { metricsToken: [] }]);
    expect(doc.paths['/api/documents/{id}/pdf'].get.responses['200'].content).toHaveProperty(['application/pdf']);

    const ids = Object.values(doc.paths as Record<string, Record<string, { operationId: string; summary: string; description: string }>>)
      .flatMap((ops) => Object.values(ops));
    expect(new Set(ids.map((o) => o.operationId)).size).toBe(ids.length);
    for (const op of ids) {
      expect(op.summary).toEqual(expect.any(String));
      expect(op.description).toMatch(/^Who: /);
    }
  });

  it('refuses a declaration whose params do not fit its path, or a route declared twice', () => {
    const params = z.strictObject({ key: z.string() });
    expect(() => openApiDocument([route('get', '/api/things/:id', { summary: 's', auth: 'a', params, responses: { 200: 'x' } })])).toThrow(/params schema names key, the path id/);
    const twice = route('get', '/api/things', { summary: 's', auth: 'a', responses: { 200: 'x' } });
    expect(() => openApiDocument([twice, twice])).toThrow(/declared twice/);
  });
});
