/**
 * Editing decision tables (DMN: the discretion standard, the routing table), for legal staff and admin,
 * with the same flow as diagrams: the deployed resources and their versions, drafts (each save a new,
 * audited version), the difference between two versions or a version and the draft, deployment of the
 * latest draft (audited; refused with every problem when it is invalid), and "test this table":
 * evaluating the deployed version, or the draft without deploying it, with given inputs.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { diffDecisions } from '../../editing/decision-diff';
import { getDecisionDraft, listDecisionDraftVersions, saveDecisionDraft } from '../../editing/drafts';
import { compileDmn, evaluateDecision } from '../../engine/dmn';
import { drgVersion, listDrgs } from '../../engine/dmn/store';
import { errors } from '../../errors';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

// The decision resource's id (the DMN definitions id) names drafts and audit entries: at most 64 characters.
const drgParam = z.strictObject({ drgId: z.string().regex(/^[A-Za-z_][\w.-]{0,63}$/, 'a decision resource id of at most 64 characters') });
const versionQuery = z.strictObject({ version: z.coerce.number().int().positive().optional() });
const draftBody = z.strictObject({
  xml: z.string().min(1).max(2_000_000),
  basedOnVersion: z.number().int().positive().nullable().optional(),
  expectedVersion: z.number().int().positive().nullable().optional(),
});
const side = z.union([z.literal('draft'), z.coerce.number().int().positive()]);
const diffQuery = z.strictObject({ from: side.optional(), to: side.optional() });
const deployBody = z.strictObject({ draftVersion: z.number().int().positive().optional() });
const evaluationBody = z.strictObject({
  /** Which decision of the resource; its first decision when absent. */
  decisionId: z.string().min(1).max(255).optional(),
  variables: z.record(z.string().max(255), z.unknown()).default({}),
  /** The deployed version (latest, or `version`), or the latest draft, which is evaluated without deploying it. */
  source: z.enum(['deployed', 'draft']).default('deployed'),
  version: z.number().int().positive().optional(),
});

export function decisionRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/decision-tables' });
  router.use(requireLogin);
  const em = () => deps.ds.manager;

  router.get('/', async (ctx) => {
    authorize(principalOf(ctx).principal, 'workflow.edit');
    parseInput(z.strictObject({}), ctx.query, 'query');
    ctx.body = { items: await listDrgs(em()) };
  });

  router.get('/:drgId', async (ctx) => {
    authorize(principalOf(ctx).principal, 'workflow.edit');
    const { drgId } = parseInput(drgParam, ctx.params, 'params');
    const { version } = parseInput(versionQuery, ctx.query, 'query');
    const found = await drgVersion(em(), drgId, version);
    if (!found) throw errors.notFound('decision table', `${drgId}${version ? ` ${version}` : ''}`);
    // The compiled decisions (columns, rules with their legal source) let the page show the table and its test form.
    ctx.body = { ...found, decisions: (await compileDmn(found.xml)).drg?.decisions ?? [] };
  });

  router.get('/:drgId/draft', async (ctx) => {
    authorize(principalOf(ctx).principal, 'workflow.edit');
    const { drgId } = parseInput(drgParam, ctx.params, 'params');
    const { version } = parseInput(versionQuery, ctx.query, 'query');
    const draft = await getDecisionDraft(em(), drgId, version);
    if (!draft) throw errors.notFound('draft of', drgId);
    ctx.body = { ...draft, versions: await listDecisionDraftVersions(em(), drgId) };
  });

  router.put('/:drgId/draft', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'workflow.edit');
    const { drgId } = parseInput(drgParam, ctx.params, 'params');
    const input = parseInput(draftBody, ctx.request.body, 'body');
    const now = deps.clock.now();
    ctx.body = await inTransaction(deps.ds, async (tx) => {
      const d = await saveDecisionDraft(tx, {
        drgId, xml: input.xml, basedOnVersion: input.basedOnVersion ?? null, expectedVersion: input.expectedVersion, savedBy: principal.username, savedAt: now.getTime(),
      });
      await recordAudit(tx, actor, now, {
        action: 'decision.draft.save', entityType: 'decision_draft', entityId: drgId,
        after: { drgId, version: d.version, basedOnVersion: d.basedOnVersion, checksum: d.checksum, deployable: d.deployable },
      });
      return d;
    });
    ctx.status = 201;
  });

  router.get('/:drgId/diff', async (ctx) => {
    authorize(principalOf(ctx).principal, 'workflow.edit');
    const { drgId } = parseInput(drgParam, ctx.params, 'params');
    const q = parseInput(diffQuery, ctx.query, 'query');
    const load = async (which: number | 'draft' | undefined, fallback: 'latest' | 'draft') => {
      const pick = which ?? fallback;
      if (pick === 'draft') {
        const d = await getDecisionDraft(em(), drgId);
        if (!d) throw errors.notFound('draft of', drgId);
        return { label: { draft: d.version }, xml: d.xml };
      }
      const v = await drgVersion(em(), drgId, pick === 'latest' ? undefined : pick);
      if (!v) throw errors.notFound('version of', `${drgId}${pick === 'latest' ? '' : ' ' + pick}`);
      return { label: { version: v.version }, xml: v.xml };
    };
    const from = await load(q.from, 'latest');
    const to = await load(q.to, 'draft');
    ctx.body = { from: from.label, to: to.label, ...(await diffDecisions(from.xml, to.xml)) };
  });

  router.post('/:drgId/deploy', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'workflow.edit');
    const { drgId } = parseInput(drgParam, ctx.params, 'params');
    const { draftVersion } = parseInput(deployBody, ctx.request.body ?? {}, 'body');
    const draft = await getDecisionDraft(em(), drgId, draftVersion);
    if (!draft) throw errors.notFound('draft of', drgId);
    const now = deps.clock.now();
    const result = await inTransaction(deps.ds, async (tx) => {
      const r = await deps.engine.deploy([{ name: `${drgId}.dmn`, content: draft.xml }], principal.username, tx);
      await recordAudit(tx, actor, now, {
        action: 'decision.deploy', entityType: 'deployment', entityId: r.deploymentKey,
        after: { drgId, draftVersion: draft.version, decisionRequirements: r.decisionRequirements ?? [], decisions: r.decisions ?? [] },
      });
      return r;
    });
    ctx.status = (result.decisionRequirements ?? []).every((d) => d.duplicate) ? 200 : 201;
    ctx.body = { deploymentKey: result.deploymentKey, decisionRequirements: result.decisionRequirements ?? [], decisions: result.decisions ?? [] };
  });

  router.post('/:drgId/evaluation', async (ctx) => {
    authorize(principalOf(ctx).principal, 'workflow.edit');
    const { drgId } = parseInput(drgParam, ctx.params, 'params');
    const input = parseInput(evaluationBody, ctx.request.body, 'body');
    let xml: string;
    let label: { version: number } | { draft: number };
    if (input.source === 'draft') {
      const d = await getDecisionDraft(em(), drgId);
      if (!d) throw errors.notFound('draft of', drgId);
      [xml, label] = [d.xml, { draft: d.version }];
    } else {
      const v = await drgVersion(em(), drgId, input.version);
      if (!v) throw errors.notFound('decision table', drgId);
      [xml, label] = [v.xml, { version: v.version }];
    }
    const { drg, problems } = await compileDmn(xml);
    if (!drg || problems.some((p) => p.severity === 'error')) {
      throw errors.badRequest('INVALID_DECISION', 'The draft has problems to fix before it can be evaluated.', problems.map((p) => ({ ...p, path: p.elementId ?? '' })));
    }
    const decisionId = input.decisionId ?? drg.decisions[0]?.id;
    if (!decisionId || !drg.decisions.some((d) => d.id === decisionId)) throw errors.notFound('decision', `${drgId}/${input.decisionId ?? ''}`);
    const result = evaluateDecision(drg, decisionId, input.variables, { now: deps.clock.now() });
    ctx.body = { source: label, decisionId, output: result.output, evaluated: result.evaluated, failureMessage: result.failureMessage ?? null };
  });

  return router;
}

const problemsNote = 'refused with every problem (decision, rule, message) when the table is invalid';

export const decisionRouteDocs: RouteDoc[] = [
  route('get', '/api/decision-tables', { summary: 'Deployed decision tables (DMN resources): the latest version of each, with its decisions', auth: 'legal, admin', query: noFields, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('get', '/api/decision-tables/:drgId', {
    summary: 'One deployed version of a decision table (the latest, or ?version=) with its XML, its decisions (columns and rules) and every version', auth: 'legal, admin', params: drgParam, query: versionQuery,
    responses: { 200: 'The version' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/decision-tables/:drgId/draft', {
    summary: 'The latest draft of a decision table (or ?version=) with its versions', auth: 'legal, admin', params: drgParam, query: versionQuery,
    responses: { 200: 'The draft' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('put', '/api/decision-tables/:drgId/draft', {
    summary: 'Save a new draft version of a decision table, with its problems; audited', auth: 'legal, admin', params: drgParam, body: draftBody,
    responses: { 201: 'The draft version' }, errors: { 400: ['INVALID_DECISION', 'DECISION_ID_MISMATCH'], 403: ['FORBIDDEN'], 409: ['DRAFT_CHANGED'] },
  }),
  route('get', '/api/decision-tables/:drgId/diff', {
    summary: 'Decisions, hit policy, columns and rules added, removed or changed between two versions, or a version and the draft', auth: 'legal, admin', params: drgParam, query: diffQuery,
    responses: { 200: '{from, to, decisionsAdded, decisionsRemoved, changed, problems}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/decision-tables/:drgId/deploy', {
    summary: `Deploy the latest draft (or draftVersion) as a new version; audited; ${problemsNote}`, auth: 'legal, admin', params: drgParam, body: deployBody,
    responses: { 200: 'Unchanged: the same version', 201: '{deploymentKey, decisionRequirements, decisions}' }, errors: { 400: ['INVALID_DIAGRAM'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/decision-tables/:drgId/evaluation', {
    summary: 'Test a decision table: evaluate the deployed version or the draft (without deploying it) with the given inputs', auth: 'legal, admin', params: drgParam, body: evaluationBody,
    responses: { 200: '{source, decisionId, output, evaluated, failureMessage}' }, errors: { 400: ['VALIDATION_FAILED', 'INVALID_DECISION'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
];
