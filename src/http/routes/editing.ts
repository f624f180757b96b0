/**
 * Editing workflows, for legal staff and admin: check a diagram without deploying it, save and read
 * drafts (each save a new, audited draft version), compare two versions (deployed or draft), list the
 * deployed forms, and see which version each process instance runs on. Deploying stays
 * POST /api/workflows, templates stay under /api/templates.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { instancesByVersion, listForms } from '../../editing/catalog';
import { diffDiagrams } from '../../editing/diff';
import { getDraft, listDraftVersions, saveDraft } from '../../editing/drafts';
import { checkBpmn } from '../../engine/model/check';
import { definitionByVersion, latestDefinition, listVersions } from '../../engine/deploy/definitions';
import { errors } from '../../errors';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppContext, AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { XML_TYPES } from './workflows';
import { noFields, route, type RouteDoc } from '../openapi';

// 64 characters: the process id is the audit entry's entity id.
const processIdParam = z.strictObject({ processId: z.string().regex(/^[A-Za-z_][\w.-]{0,63}$/, 'a BPMN process id of at most 64 characters') });
const xmlBody = z.strictObject({ xml: z.string().min(1) });
const draftBody = z.strictObject({
  xml: z.string().min(1),
  basedOnVersion: z.number().int().positive().nullable().optional(),
  /** The latest draft version the editor loaded, null when there was none. */
  expectedVersion: z.number().int().positive().nullable().optional(),
});
const versionQuery = z.strictObject({ version: z.coerce.number().int().positive().optional() });
const side = z.union([z.literal('draft'), z.coerce.number().int().positive()]);
const diffQuery = z.strictObject({ from: side.optional(), to: side.optional() });

/** The diagram XML of a request: raw BPMN XML, or JSON {xml}. */
function diagramXml(ctx: AppContext): string {
  if (ctx.is(...XML_TYPES)) {
    const body = ctx.request.body;
    if (typeof body !== 'string' || !body.trim()) throw errors.badRequest('INVALID_DIAGRAM', 'The body holds no BPMN XML.');
    return body;
  }
  return parseInput(xmlBody, ctx.request.body, 'body').xml;
}

export function editingRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);
  const em = () => deps.ds.manager;

  router.post('/workflows/check', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'workflow.edit');
    const check = await checkBpmn(diagramXml(ctx));
    ctx.body = {
      deployable: check.deployable,
      processIds: check.processes.map((p) => p.id),
      problems: check.problems,
    };
  });

  router.get('/workflows/:processId/draft', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'workflow.edit');
    const { processId } = parseInput(processIdParam, ctx.params, 'params');
    const { version } = parseInput(versionQuery, ctx.query, 'query');
    const draft = await getDraft(em(), processId, version);
    if (!draft) throw errors.notFound('draft of', processId);
    ctx.body = { ...draft, versions: await listDraftVersions(em(), processId) };
  });

  router.put('/workflows/:processId/draft', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'workflow.edit');
    const { processId } = parseInput(processIdParam, ctx.params, 'params');
    const input = parseInput(draftBody, ctx.request.body, 'body');
    const now = deps.clock.now();
    const saved = await inTransaction(deps.ds, async (tx) => {
      const d = await saveDraft(tx, {
        bpmnProcessId: processId, xml: input.xml, basedOnVersion: input.basedOnVersion ?? null,
        expectedVersion: input.expectedVersion, savedBy: principal.username, savedAt: now.getTime(),
      });
      await recordAudit(tx, actor, now, {
        action: 'workflow.draft.save', entityType: 'workflow_draft', entityId: processId,
        after: { bpmnProcessId: processId, version: d.version, basedOnVersion: d.basedOnVersion, checksum: d.checksum, deployable: d.deployable },
      });
      return d;
    });
    ctx.status = 201;
    ctx.body = saved;
  });

  router.get('/workflows/:processId/diff', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'workflow.edit');
    const { processId } = parseInput(processIdParam, ctx.params, 'params');
    const q = parseInput(diffQuery, ctx.query, 'query');
    const load = async (which: number | 'draft' | undefined, fallback: 'latest' | 'draft') => {
      const pick = which ?? fallback;
      if (pick === 'draft') {
        const d = await getDraft(em(), processId);
        if (!d) throw errors.notFound('draft of', processId);
        return { label: { draft: d.version }, xml: d.xml };
      }
      const def = pick === 'latest' ? await latestDefinition(em(), processId) : await definitionByVersion(em(), processId, pick);
      if (!def) throw errors.notFound('version of', `${processId}${pick === 'latest' ? '' : ' ' + pick}`);
      return { label: { version: def.version }, xml: def.xml };
    };
    // Without parameters: the latest deployed version against the latest draft.
    const from = await load(q.from, 'latest');
    const to = await load(q.to, 'draft');
    ctx.body = { from: from.label, to: to.label, ...(await diffDiagrams(from.xml, to.xml)) };
  });

  router.get('/workflows/:processId/instances', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'workflow.instances');
    const { processId } = parseInput(processIdParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.query, 'query');
    const [versions, instances] = [await listVersions(em(), processId), await instancesByVersion(deps.engine, processId)];
    const counts = new Map(instances.versions.map((v) => [v.version, v]));
    ctx.body = {
      versions: versions.map((v) => ({ version: v.version, deployedAt: v.deployedAt, active: counts.get(v.version)?.active ?? 0, total: counts.get(v.version)?.total ?? 0 })),
      recent: instances.recent,
    };
  });

  router.get('/forms', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'workflow.edit');
    parseInput(z.strictObject({}), ctx.query, 'query');
    ctx.body = { items: await listForms(em()) };
  });

  return router;
}

export const editingRouteDocs: RouteDoc[] = [
  route('post', '/api/workflows/check', {
    summary: "A diagram's problems against the engine's BPMN subset and Camunda 8.8's lint, without deploying", auth: 'legal, admin',
    body: xmlBody, rawBody: { types: XML_TYPES, description: 'BPMN XML' }, responses: { 200: '{deployable, processIds, problems}' },
    errors: { 400: ['INVALID_DIAGRAM'], 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/workflows/:processId/draft', {
    summary: 'The latest draft (or ?version=) with its versions', auth: 'legal, admin', params: processIdParam, query: versionQuery,
    responses: { 200: 'The draft' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('put', '/api/workflows/:processId/draft', {
    summary: 'Save a new draft version; audited', auth: 'legal, admin', params: processIdParam, body: draftBody, responses: { 201: 'The draft version' },
    errors: { 400: ['PROCESS_ID_MISMATCH'], 403: ['FORBIDDEN'], 409: ['DRAFT_CHANGED'] },
  }),
  route('get', '/api/workflows/:processId/diff', {
    summary: 'Added, removed and changed elements between two versions, or a version and the draft', auth: 'legal, admin', params: processIdParam, query: diffQuery,
    responses: { 200: '{from, to, added, removed, changed}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/workflows/:processId/instances', {
    summary: 'Instances per deployed version, and the most recent ones', auth: 'legal, admin, supervisor', params: processIdParam, query: noFields,
    responses: { 200: '{versions, recent}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/forms', { summary: 'The latest version of each deployed form', auth: 'legal, admin', query: noFields, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
];
