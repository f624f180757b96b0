/** Process instances and incidents: supervisors, legal staff and admin start, inspect, cancel, put variables right and retry. */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { authorize } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import { caseRefOfInstance } from '../../cases/case-refs';
import { inTransaction } from '../../db/data-source';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { keyParam, parseInput } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

const variables = z.record(z.string().max(200), z.unknown());
const startSchema = z.strictObject({
  bpmnProcessId: z.string().min(1).max(255),
  version: z.number().int().positive().optional(),
  variables: variables.default({}),
  businessKey: z.string().min(1).max(255).optional(),
});
const setVariablesSchema = z.strictObject({
  variables,
  local: z.boolean().default(false),
});
const incidentQuery = z.strictObject({
  state: z.enum(['active', 'resolved']).default('active'),
  processInstanceKey: z.string().regex(/^\d{1,19}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function processInstanceRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);
  router.use(async (ctx, next) => {
    await next();
    // Instance variables may name the parties of a case.
    ctx.set('Cache-Control', 'no-store');
  });

  /** An instance is managed with the case it runs for: one outside the office answers 404. */
  async function authorizeInstance(p: Principal, key: string) {
    const c = await caseRefOfInstance(deps.ds.manager, key);
    authorize(p, 'process.manage', { case: c });
  }

  router.post('/process-instances', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'processes.manage');
    const input = parseInput(startSchema, ctx.request.body, 'body');
    const now = deps.clock.now();
    const created = await inTransaction(deps.ds, async (em) => {
      const r = await deps.engine.createInstance(input, em);
      if (r.created) {
        await recordAudit(em, actor, now, { action: 'process.start', entityType: 'process_instance', entityId: r.processInstanceKey, after: { ...r, businessKey: input.businessKey ?? null } });
      }
      return r;
    });
    ctx.status = created.created ? 201 : 200;
    ctx.body = created;
  });

  router.get('/process-instances/:key', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { key } = parseInput(keyParam, ctx.params, 'params');
    await authorizeInstance(principal, key);
    ctx.body = await deps.engine.getInstance(key);
  });

  router.post('/process-instances/:key/cancel', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { key } = parseInput(keyParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    await authorizeInstance(principal, key);
    const now = deps.clock.now();
    await inTransaction(deps.ds, async (em) => {
      await deps.engine.cancelInstance(key, em);
      await recordAudit(em, actor, now, { action: 'process.cancel', entityType: 'process_instance', entityId: key });
    });
    ctx.body = await deps.engine.getInstance(key);
  });

  // Zeebe's SetVariables: the key is an element instance's (a process instance's key is its root's).
  router.put('/element-instances/:key/variables', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'processes.manage');
    const { key } = parseInput(keyParam, ctx.params, 'params');
    const input = parseInput(setVariablesSchema, ctx.request.body, 'body');
    const now = deps.clock.now();
    await inTransaction(deps.ds, async (em) => {
      await deps.engine.setVariables(key, input.variables, { local: input.local, em });
      await recordAudit(em, actor, now, { action: 'variables.set', entityType: 'element_instance', entityId: key, after: { local: input.local, names: Object.keys(input.variables) } });
    });
    ctx.status = 204;
  });

  router.get('/incidents', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'processes.manage');
    const q = parseInput(incidentQuery, ctx.query, 'query');
    ctx.body = { items: await deps.engine.listIncidents(q) };
  });

  router.post('/incidents/:key/resolve', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'processes.manage');
    const { key } = parseInput(keyParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    await deps.engine.resolveIncident(key);
    await inTransaction(deps.ds, (em) => recordAudit(em, actor, deps.clock.now(), { action: 'incident.resolve', entityType: 'incident', entityId: key }));
    ctx.status = 204;
  });

  return router;
}

const PROCESS_STAFF = "supervisor, legal, admin (instances of their office's cases)";

export const processInstanceRouteDocs: RouteDoc[] = [
  route('post', '/api/process-instances', {
    summary: 'Start a process instance; a second start with the same business key answers the first', auth: 'supervisor, legal, admin', body: startSchema,
    responses: { 201: 'The new instance', 200: 'The instance already started with this business key' },
    errors: { 403: ['FORBIDDEN'], 404: ['PROCESS_NOT_DEPLOYED'] },
  }),
  route('get', '/api/process-instances/:key', {
    summary: 'State, variables, element history with times and incidents of an instance', auth: PROCESS_STAFF, params: keyParam,
    responses: { 200: 'The instance' }, errors: { 404: ['NOT_FOUND', 'PROCESS_INSTANCE_NOT_FOUND'] },
  }),
  route('post', '/api/process-instances/:key/cancel', {
    summary: 'Cancel an instance; audited', auth: PROCESS_STAFF, params: keyParam, body: noFields,
    responses: { 200: 'The canceled instance' }, errors: { 404: ['NOT_FOUND', 'PROCESS_INSTANCE_NOT_FOUND'], 409: ['PROCESS_INSTANCE_NOT_ACTIVE'] },
  }),
  route('put', '/api/element-instances/:key/variables', {
    summary: "Put variables into a running scope (Zeebe's SetVariables); audited", tag: 'process-instances', auth: 'supervisor, legal, admin', params: keyParam, body: setVariablesSchema,
    responses: { 204: 'Set' }, errors: { 403: ['FORBIDDEN'], 404: ['ELEMENT_INSTANCE_NOT_FOUND'] },
  }),
  route('get', '/api/incidents', {
    summary: 'Incidents: failed jobs out of retries, failed expressions', auth: 'supervisor, legal, admin', query: incidentQuery,
    responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('post', '/api/incidents/:key/resolve', {
    summary: 'Resolve an incident and retry what failed; audited', auth: 'supervisor, legal, admin', params: keyParam, body: noFields,
    responses: { 204: 'Resolved' }, errors: { 403: ['FORBIDDEN'], 404: ['INCIDENT_NOT_FOUND'], 409: ['INCIDENT_ALREADY_RESOLVED'] },
  }),
];
