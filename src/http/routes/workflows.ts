/**
 * Diagrams: list and read for every logged-in user (the case page draws them); deploy for legal staff
 * and admin. A deployment is checked against the engine's BPMN subset and Camunda 8.8's lint and
 * refused with every problem listed; running instances stay on their version.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { definitionByVersion, getForm, latestDefinition, listDefinitions, listVersions } from '../../engine/deploy/definitions';
import { errors } from '../../errors';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

export const XML_TYPES = ['application/xml', 'text/xml', 'application/bpmn+xml'];

const resourceName = z.string().regex(/^[\w.-]{1,120}\.(bpmn|form)$/, 'a file name ending in .bpmn or .form');
const deployJson = z.strictObject({
  resources: z.array(z.strictObject({ name: resourceName, content: z.string().min(1) })).min(1).max(50),
});
const deployQuery = z.strictObject({ name: resourceName.optional() });
const processIdParam = z.strictObject({ processId: z.string().regex(/^[A-Za-z_][\w.-]{0,254}$/, 'a BPMN process id') });
const versionQuery = z.strictObject({ version: z.coerce.number().int().positive().optional() });
const formIdParam = z.strictObject({ formId: z.string().regex(/^[\w.-]{1,120}$/) });

export function workflowRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);

  router.get('/workflows', async (ctx) => {
    parseInput(z.strictObject({}), ctx.query, 'query');
    ctx.body = { items: await listDefinitions(deps.ds.manager) };
  });

  router.get('/workflows/:processId', async (ctx) => {
    const { processId } = parseInput(processIdParam, ctx.params, 'params');
    const { version } = parseInput(versionQuery, ctx.query, 'query');
    const def = version ? await definitionByVersion(deps.ds.manager, processId, version) : await latestDefinition(deps.ds.manager, processId);
    if (!def) throw errors.notFound('workflow', processId);
    ctx.body = { ...def, versions: await listVersions(deps.ds.manager, processId) };
  });

  router.get('/forms/:formId', async (ctx) => {
    const { formId } = parseInput(formIdParam, ctx.params, 'params');
    const { version } = parseInput(versionQuery, ctx.query, 'query');
    const form = await getForm(deps.ds.manager, formId, version);
    if (!form) throw errors.notFound('form', formId);
    ctx.body = form;
  });

  router.post('/workflows', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'workflow.edit');
    let resources: { name: string; content: string }[];
    if (ctx.is(...XML_TYPES)) {
      const { name } = parseInput(deployQuery, ctx.query, 'query');
      const body = ctx.request.body;
      if (typeof body !== 'string' || !body.trim()) throw errors.badRequest('INVALID_DIAGRAM', 'The body holds no BPMN XML.');
      resources = [{ name: name ?? 'diagram.bpmn', content: body }];
    } else {
      resources = parseInput(deployJson, ctx.request.body, 'body').resources;
    }
    const now = deps.clock.now();
    const result = await inTransaction(deps.ds, async (em) => {
      const r = await deps.engine.deploy(resources, principal.username, em);
      await recordAudit(em, actor, now, {
        action: 'workflow.deploy', entityType: 'deployment', entityId: r.deploymentKey,
        after: { processes: r.processes, forms: r.forms },
      });
      return r;
    });
    ctx.status = result.processes.every((p) => p.duplicate) && result.forms.every((f) => f.duplicate) ? 200 : 201;
    ctx.body = result;
  });

  return router;
}

export const workflowRouteDocs: RouteDoc[] = [
  route('get', '/api/workflows', { summary: 'Deployed diagrams, the latest version of each', auth: 'logged in', query: noFields, responses: { 200: '{items}' } }),
  route('get', '/api/workflows/:processId', {
    summary: 'A deployed diagram (the latest, or ?version=) with its XML and every version', auth: 'logged in', params: processIdParam, query: versionQuery,
    responses: { 200: 'The definition' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/forms/:formId', {
    summary: 'A deployed form (the latest, or ?version=)', auth: 'logged in', params: formIdParam, query: versionQuery,
    responses: { 200: 'The form' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/workflows', {
    summary: 'Deploy diagrams and forms; unchanged resources keep their version', auth: 'legal, admin',
    description: 'A JSON body lists .bpmn and .form files; a BPMN XML body is one diagram named by ?name=. A diagram outside the subset is refused with every problem and its element id.',
    query: deployQuery, body: deployJson, rawBody: { types: XML_TYPES, description: 'One BPMN diagram (?name=x.bpmn)' },
    responses: { 201: 'New versions', 200: 'Nothing changed (the same versions)' }, errors: { 400: ['INVALID_DIAGRAM'], 403: ['FORBIDDEN'] },
  }),
];
