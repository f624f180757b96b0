/**
 * Process instances and incidents: supervisors, legal staff and admin start, inspect, cancel, put
 * variables right and retry — each instance, element instance and incident authorized by the case it
 * runs for. A case's own incidents are listed on its page, where whoever works the case corrects the
 * value an incident names and retries the step (src/incidents).
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { allowed, authorize } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import { caseRefById } from '../../cases/case-refs';
import { AppError, errors } from '../../errors';
import { caseIncidents, officeIncidents } from '../../incidents/listing';
import { elementInstanceNotFound, findIncident, processOfElementInstance, processRefOf } from '../../incidents/instance-case';
import { repairIncident } from '../../incidents/repair';
import { recordInstanceScope } from '../../tasks/instance-scopes';
import { refuseReservedVariables } from '../../tasks/reserved-variables';
import { inTransaction } from '../../db/data-source';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { keyParam, parseInput, uuidParam } from '../validate';
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
const caseIncidentParam = z.strictObject({ id: z.string().uuid(), key: z.string().regex(/^\d{1,19}$/, 'an incident key') });
const retryBody = z.strictObject({
  /** The corrected value of the one field the incident's reason names (e.g. servedAt as YYYY-MM-DD); none: retry as it is. */
  variables: z.record(z.string().max(200), z.unknown()).optional(),
});
const incidentQuery = z.strictObject({
  state: z.enum(['active', 'resolved']).default('active'),
  processInstanceKey: z.string().regex(/^\d{1,19}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The engine's answer for a process instance key it does not know. */
const instanceNotFound = (key: string) => new AppError(404, 'PROCESS_INSTANCE_NOT_FOUND', `No process instance ${key}.`);

export function processInstanceRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);
  router.use(async (ctx, next) => {
    await next();
    // Instance variables may name the parties of a case.
    ctx.set('Cache-Control', 'no-store');
  });

  /**
   * An instance is managed with the case it runs for. Staff get, for one outside their office or grid,
   * exactly the answer the engine gives for a key that does not exist (`unknown`), so that another
   * office's keys cannot be told from made-up ones.
   */
  async function authorizeInstance(p: Principal, key: string, unknown: () => Error = () => instanceNotFound(key)) {
    const ref = await processRefOf(deps.ds.manager, deps.engine, key);
    if (allowed(p, 'processes.manage') && !allowed(p, 'process.manage', ref)) throw unknown();
    authorize(p, 'process.manage', ref);
  }

  /** The case a request names, or 404 when it does not exist or the user may not see it. */
  async function visibleCase(p: Principal, id: string) {
    const c = await caseRefById(deps.ds.manager, id);
    // One answer for a case that does not exist and one the user may not see.
    if (!c || !allowed(p, 'case.read', c)) throw errors.notFound('case', id);
    return c;
  }

  router.post('/process-instances', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'processes.manage');
    const input = parseInput(startSchema, ctx.request.body, 'body');
    refuseReservedVariables(input.variables, 'start');
    const now = deps.clock.now();
    const created = await inTransaction(deps.ds, async (em) => {
      const r = await deps.engine.createInstance(input, em);
      if (r.created) {
        // The instance is the starter's office's: its staff manage it and its broadcasts reach it, no other office's.
        await recordInstanceScope(em, r.processInstanceKey, { officeId: principal.officeId, gridId: null, kind: 'started' }, now.getTime());
        await recordAudit(em, actor, now, { action: 'process.start', entityType: 'process_instance', entityId: r.processInstanceKey, after: { ...r, businessKey: input.businessKey ?? null } });
      }
      return r;
    });
    if (!created.created && !allowed(principal, 'process.manage', await processRefOf(deps.ds.manager, deps.engine, created.processInstanceKey))) {
      // Another office's instance holds the business key: say so without naming it.
      throw new AppError(409, 'BUSINESS_KEY_IN_USE', `An instance of ${input.bpmnProcessId} already runs under this business key.`);
    }
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
    refuseReservedVariables(input.variables, 'running');
    // The element instance is changed with the case it runs for: another office's or grid's answers 404.
    await authorizeInstance(principal, await processOfElementInstance(deps.engine, key), () => elementInstanceNotFound(key));
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
    const items = [];
    for (const i of await deps.engine.listIncidents(q)) {
      if (allowed(principal, 'process.manage', await processRefOf(deps.ds.manager, deps.engine, i.processInstanceKey))) items.push(i);
    }
    ctx.body = { items };
  });

  router.post('/incidents/:key/resolve', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'processes.manage');
    const { key } = parseInput(keyParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    const incident = await findIncident(deps.engine, key);
    if (!incident) throw errors.notFound('incident', key);
    await authorizeInstance(principal, incident.processInstanceKey, () => errors.notFound('incident', key));
    await deps.engine.resolveIncident(key);
    await inTransaction(deps.ds, (em) => recordAudit(em, actor, deps.clock.now(), { action: 'incident.resolve', entityType: 'incident', entityId: key }));
    ctx.status = 204;
  });

  // For every list of cases (the handler's included): which of the cases the user sees have a jammed step.
  router.get('/incidents/cases', async (ctx) => {
    const { principal } = principalOf(ctx);
    parseInput(z.strictObject({}), ctx.query, 'query');
    const byCase = new Map<string, { caseId: string; caseNumber: string | null; employerName: string | null; count: number; steps: string[]; since: string }>();
    for (const i of await officeIncidents(deps.ds.manager, deps.engine, principal)) {
      if (!i.caseId) continue;
      const entry = byCase.get(i.caseId) ?? { caseId: i.caseId, caseNumber: i.caseNumber, employerName: i.employerName, count: 0, steps: [], since: i.since };
      entry.count += 1;
      if (!entry.steps.includes(i.stepName)) entry.steps.push(i.stepName);
      byCase.set(i.caseId, entry);
    }
    ctx.body = { items: [...byCase.values()] };
  });

  router.get('/cases/:id/incidents', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const c = await visibleCase(principal, id);
    ctx.body = { items: await caseIncidents(deps.ds.manager, deps.engine, c), mayRepair: allowed(principal, 'process.repair', { case: c }) };
  });

  router.post('/cases/:id/incidents/:key/retry', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id, key } = parseInput(caseIncidentParam, ctx.params, 'params');
    const body = parseInput(retryBody, ctx.request.body, 'body');
    const c = await visibleCase(principal, id);
    authorize(principal, 'process.repair', { case: c });
    ctx.body = await repairIncident(
      { ds: deps.ds, engine: deps.engine, now: deps.clock.now(), serviceDateDaysAhead: deps.settings.SERVICE_DATE_DAYS_AHEAD }, actor, c, { incidentKey: key, variables: body.variables },
    );
  });

  return router;
}

const PROCESS_STAFF = "supervisor, legal, admin (instances of their office's cases)";

export const processInstanceRouteDocs: RouteDoc[] = [
  route('post', '/api/process-instances', {
    summary: 'Start a process instance; a second start with the same business key answers the first', auth: 'supervisor, legal, admin', body: startSchema,
    responses: { 201: 'The new instance', 200: 'The instance already started with this business key' },
    errors: { 400: ['VALIDATION_FAILED', 'RESERVED_VARIABLE'], 403: ['FORBIDDEN'], 404: ['PROCESS_NOT_DEPLOYED'], 409: ['BUSINESS_KEY_IN_USE'] },
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
    summary: "Put variables into a running scope (Zeebe's SetVariables): a process instance, or an element instance with an open incident; audited", tag: 'process-instances', auth: PROCESS_STAFF, params: keyParam, body: setVariablesSchema,
    responses: { 204: 'Set' }, errors: { 400: ['VALIDATION_FAILED', 'RESERVED_VARIABLE'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND', 'ELEMENT_INSTANCE_NOT_FOUND'] },
  }),
  route('get', '/api/incidents', {
    summary: 'Incidents: failed jobs out of retries, failed expressions (of the cases the user manages)', auth: PROCESS_STAFF, query: incidentQuery,
    responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('post', '/api/incidents/:key/resolve', {
    summary: 'Resolve an incident and retry what failed; audited', auth: PROCESS_STAFF, params: keyParam, body: noFields,
    responses: { 204: 'Resolved' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND', 'INCIDENT_NOT_FOUND'], 409: ['INCIDENT_ALREADY_RESOLVED'] },
  }),
  route('get', '/api/incidents/cases', {
    summary: 'The cases the user sees that have open incidents: number, employer, how many, the stopped steps by name, since', tag: 'incidents',
    auth: 'logged in (the cases they see)', query: noFields, responses: { 200: '{items}' },
  }),
  route('get', '/api/cases/:id/incidents', {
    summary: "The case's open incidents: step by its diagram name, reason in Chinese, since, the field the reason asks to correct; mayRepair", tag: 'incidents',
    auth: 'whoever sees the case', params: uuidParam, responses: { 200: '{items, mayRepair}' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/cases/:id/incidents/:key/retry', {
    summary: 'Correct the one value an incident of the case names (checked as its form checks it) and retry the step; audited', tag: 'incidents',
    auth: "the handlers of the case's grid, supervisor, legal, admin", params: caseIncidentParam, body: retryBody,
    responses: { 200: '{key, corrected}' }, errors: { 400: ['VALIDATION_FAILED'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['INCIDENT_ALREADY_RESOLVED'] },
  }),
];
