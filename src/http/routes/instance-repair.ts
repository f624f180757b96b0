/**
 * Repairing a case's process and moving running cases to a new diagram version.
 *
 * - GET  /api/cases/:id/instance-repair — the case's running process instances with their active
 *   elements (to cancel) and the elements that may be started; the case's grid supervisor's.
 * - POST /api/cases/:id/instance-repair — start elements and/or cancel active ones of one of the
 *   case's instances, with a reason, in one atomic modification; audited on the case.
 * - POST /api/workflows/:processId/migrations/preview — what moving the cases of one version to
 *   another would touch: instances, per active element, the mapping and its problems; legal, admin.
 * - POST /api/workflows/:processId/migrations — start moving them (confirmed, with a reason); audited.
 * - GET  /api/workflows/:processId/migrations — the latest runs of the process's versions.
 * - GET  /api/instance-migrations/:id — the run's progress and report; a run whose process stopped is
 *   answered (and kept) as interrupted.
 * - POST /api/instance-migrations/:id/resume — move the rest of an interrupted run; audited.
 *
 * The embedded engine does the work (src/engine/runtime/commands/modify-instance.ts and
 * migrate-instances.ts); with ENGINE=zeebe these answer 409 ENGINE_CANNOT_REPAIR.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { allowed, authorize } from '../../auth/policy';
import { caseRefById } from '../../cases/case-refs';
import { inTransaction } from '../../db/data-source';
import { listRuns, previewPlan, readRun, resumeRun, startRun } from '../../editing/instance-migrations';
import { instanceRepairOf } from '../../engine/repair-port';
import { errors } from '../../errors';
import { caseInstanceKeys } from '../../incidents/instance-case';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

const elementId = z.string().regex(/^[A-Za-z_][\w.-]{0,254}$/, 'an element id');
const key = z.string().regex(/^\d{1,19}$/, 'a numeric key');
const reason = z.string().trim().min(2, 'give the reason (at least 2 characters)').max(500);
const repairBody = z.strictObject({
  processInstanceKey: key,
  /** Elements to start (activate). */
  start: z.array(elementId).max(10).default([]),
  /** Active element instances to cancel (terminate). */
  cancel: z.array(key).max(50).default([]),
  reason,
}).refine((b) => b.start.length + b.cancel.length > 0, { message: 'start or cancel at least one element', path: ['start'] });

const processIdParam = z.strictObject({ processId: z.string().regex(/^[A-Za-z_][\w.-]{0,254}$/, 'a BPMN process id') });
const version = z.number().int().min(1).max(1_000_000);
const mapping = z.strictObject({ sourceElementId: elementId, targetElementId: elementId });
const previewBody = z.strictObject({ sourceVersion: version, targetVersion: version, mappings: z.array(mapping).max(500).optional() });
const migrateBody = z.strictObject({
  sourceVersion: version, targetVersion: version, mappings: z.array(mapping).max(500).optional(), reason,
  /** The page's confirmation after the preview: the request does nothing without it. */
  confirm: z.literal(true),
});

/** Kinds a supervisor may start: where work or waiting happens, not the events and gateways that only route. */
const STARTABLE = new Set(['serviceTask', 'sendTask', 'userTask', 'subProcess', 'callActivity', 'intermediateCatchEvent', 'businessRuleTask', 'receiveTask']);

export function instanceRepairRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);
  router.use(async (ctx, next) => {
    await next();
    ctx.set('Cache-Control', 'no-store');
  });

  const repairEngine = () => {
    const e = instanceRepairOf(deps.engine);
    if (!e) throw errors.conflict('ENGINE_CANNOT_REPAIR', 'The engine cases run on (Zeebe) is repaired and migrated in its own tools, not here.');
    return e;
  };

  /** The case, when the user is its grid's supervisor; 404 when they do not see it, 403 when they see it only. */
  async function repairableCase(ctx: Parameters<typeof principalOf>[0], id: string) {
    const { principal } = principalOf(ctx);
    const c = await caseRefById(deps.ds.manager, id);
    // One answer for a case that does not exist and one the user may not see.
    if (!c || !allowed(principal, 'case.read', c)) throw errors.notFound('case', id);
    authorize(principal, 'instanceRepair.modify', c);
    return c;
  }

  router.get('/cases/:id/instance-repair', async (ctx) => {
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const c = await repairableCase(ctx, id);
    const engine = repairEngine();
    const instances = [];
    for (const k of await caseInstanceKeys(deps.ds.manager, deps.engine, c.id)) {
      const v = await deps.engine.getInstance(k);
      if (v.state !== 'active') continue;
      const p = await engine.versionElements({ definitionKey: v.definitionKey });
      if (!p) continue;
      const byId = new Map(p.elements.map((e) => [e.elementId, e]));
      instances.push({
        processInstanceKey: v.processInstanceKey, bpmnProcessId: v.bpmnProcessId, version: v.version,
        // The process's own element instance is not an element one cancels (that is cancelling the case's process).
        active: v.elements.filter((e) => e.state === 'active' && e.elementId !== v.bpmnProcessId && e.elementInstanceKey !== v.processInstanceKey)
          .map((e) => ({ elementInstanceKey: e.elementInstanceKey, elementId: e.elementId, name: byId.get(e.elementId)?.name ?? null })),
        startable: p.elements.filter((e) => e.activatable && STARTABLE.has(e.kind)).map((e) => ({ elementId: e.elementId, name: e.name, kind: e.kind })),
      });
    }
    ctx.body = { items: instances };
  });

  router.post('/cases/:id/instance-repair', async (ctx) => {
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const body = parseInput(repairBody, ctx.request.body, 'body');
    const c = await repairableCase(ctx, id);
    const { actor } = principalOf(ctx);
    const engine = repairEngine();
    // Only an instance of this case: another case's (or a made-up key) answers as unknown.
    if (!(await caseInstanceKeys(deps.ds.manager, deps.engine, c.id)).includes(body.processInstanceKey)) {
      throw errors.notFound('process instance of this case', body.processInstanceKey);
    }
    const now = deps.clock.now();
    // The audit names the steps as the diagram does, so the case's timeline can say what was done.
    const diagram = await engine.versionElements({ definitionKey: (await deps.engine.getInstance(body.processInstanceKey)).definitionKey });
    const named = (list: Array<{ elementId: string; elementInstanceKey: string }>) =>
      list.map((x) => ({ ...x, name: diagram?.elements.find((e) => e.elementId === x.elementId)?.name ?? null }));
    const result = await inTransaction(deps.ds, async (em) => {
      const r = await engine.modifyInstance(body.processInstanceKey, { activate: body.start.map((e) => ({ elementId: e })), terminate: body.cancel }, em);
      await recordAudit(em, actor, now, {
        action: 'process.repair', entityType: 'process_instance', entityId: body.processInstanceKey, caseId: c.id,
        after: { started: named(r.activated), canceled: named(r.terminated), reason: body.reason },
      });
      return r;
    });
    ctx.body = { ...result, instance: await deps.engine.getInstance(body.processInstanceKey) };
  });

  router.post('/workflows/:processId/migrations/preview', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'instanceMigration.manage');
    const { processId } = parseInput(processIdParam, ctx.params, 'params');
    const body = parseInput(previewBody, ctx.request.body, 'body');
    ctx.body = await previewPlan(repairEngine(), { bpmnProcessId: processId, ...body });
  });

  router.post('/workflows/:processId/migrations', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'instanceMigration.manage');
    const { processId } = parseInput(processIdParam, ctx.params, 'params');
    const body = parseInput(migrateBody, ctx.request.body, 'body');
    const { run } = await startRun({ ds: deps.ds, engine: repairEngine(), clock: deps.clock, logger: deps.logger }, actor, {
      bpmnProcessId: processId, sourceVersion: body.sourceVersion, targetVersion: body.targetVersion, mappings: body.mappings, reason: body.reason,
    });
    ctx.status = 202;
    ctx.body = run;
  });

  router.get('/workflows/:processId/migrations', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'instanceMigration.manage');
    const { processId } = parseInput(processIdParam, ctx.params, 'params');
    ctx.body = { items: await listRuns(deps, processId) };
  });

  router.get('/instance-migrations/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'instanceMigration.manage');
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const run = await readRun(deps, id);
    if (!run) throw errors.notFound('migration', id);
    ctx.body = run;
  });

  router.post('/instance-migrations/:id/resume', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'instanceMigration.manage');
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const { run } = await resumeRun({ ds: deps.ds, engine: repairEngine(), clock: deps.clock, logger: deps.logger }, actor, id);
    ctx.status = 202;
    ctx.body = run;
  });

  return router;
}

const REPAIR_ERRORS = { 400: ['VALIDATION_FAILED', 'ELEMENT_NOT_FOUND', 'ELEMENT_NOT_ACTIVATABLE', 'ANCESTOR_AMBIGUOUS'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND', 'ELEMENT_INSTANCE_NOT_FOUND'], 409: ['PROCESS_INSTANCE_NOT_ACTIVE', 'ENGINE_CANNOT_REPAIR'] };
const MIGRATION_ERRORS = { 400: ['VALIDATION_FAILED', 'SAME_VERSION', 'SOURCE_ELEMENT_NOT_FOUND', 'TARGET_ELEMENT_NOT_FOUND', 'MAPPING_DUPLICATE'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['ENGINE_CANNOT_REPAIR'] };

export const instanceRepairRouteDocs: RouteDoc[] = [
  route('get', '/api/cases/:id/instance-repair', {
    summary: "The case's running process instances: active elements (to cancel) and elements that may be started", tag: 'instance-repair',
    auth: "the supervisor of the case's grid", params: uuidParam, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['ENGINE_CANNOT_REPAIR'] },
  }),
  route('post', '/api/cases/:id/instance-repair', {
    summary: "Start elements and/or cancel active ones of one of the case's process instances, with a reason, atomically; audited on the case", tag: 'instance-repair',
    auth: "the supervisor of the case's grid", params: uuidParam, body: repairBody, responses: { 200: '{activated, terminated, instance}' }, errors: REPAIR_ERRORS,
  }),
  route('post', '/api/workflows/:processId/migrations/preview', {
    summary: 'What moving the running cases of one version to another would touch: instances, per active element with its mapping and problem; changes nothing', tag: 'instance-repair',
    auth: 'legal, admin', params: processIdParam, body: previewBody, responses: { 200: 'The preview' }, errors: MIGRATION_ERRORS,
  }),
  route('post', '/api/workflows/:processId/migrations', {
    summary: 'Move the running cases of one version to another in batches (confirmed, with a reason); audited', tag: 'instance-repair',
    auth: 'legal, admin', params: processIdParam, body: migrateBody, responses: { 202: 'The run as it starts' },
    errors: { ...MIGRATION_ERRORS, 409: ['ENGINE_CANNOT_REPAIR', 'NOTHING_TO_MIGRATE'] },
  }),
  route('get', '/api/workflows/:processId/migrations', {
    summary: "The latest migration runs of a process's versions, newest first (an interrupted one can be resumed)", tag: 'instance-repair',
    auth: 'legal, admin', params: processIdParam, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/instance-migrations/:id', {
    summary: "A migration run's progress and report: migrated (and how many before an interruption), failed with the reason; a run whose process stopped answers as interrupted", tag: 'instance-repair',
    auth: 'legal, admin', params: uuidParam, responses: { 200: 'The run' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/instance-migrations/:id/resume', {
    summary: 'Resume an interrupted (or failed) migration run: moves the instances still on the source version; audited', tag: 'instance-repair',
    auth: 'legal, admin', params: uuidParam, responses: { 202: 'The run as it resumes' },
    errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['ENGINE_CANNOT_REPAIR', 'MIGRATION_NOT_INTERRUPTED'] },
  }),
];
