import Router from '@koa/router';
import { requireRole } from '../../auth/policy';
import { complaintSchema } from '../../cases/model';
import { caseDetail, duplicatesQuerySchema, findDuplicates, searchCases, searchCasesSchema } from '../../cases/queries';
import { registerComplaint } from '../../cases/register-complaint';
import { inTransaction } from '../../db/data-source';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';

/** Intake (POST /api/complaints) and the case pages (GET /api/cases…). */
export function caseRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);

  router.post('/complaints', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    requireRole(principal, 'intake', 'admin');
    const input = parseInput(complaintSchema, ctx.request.body, 'body');
    const now = deps.clock.now();
    const r = await inTransaction(deps.ds, (em) => registerComplaint(em, { officeId: principal.officeId, actor, now, rules: deps.rules }, deps.engine, input));
    ctx.status = 201;
    ctx.body = {
      caseId: r.case.id, caseNumber: r.case.caseNumber, route: r.assessment.suggestedRoute, status: r.case.status, assessment: r.assessment,
      linkedCaseIds: r.duplicates.map((d) => d.caseId), duplicates: r.duplicates, processInstanceKey: r.processInstanceKey,
    };
  });

  router.get('/complaints/duplicates', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(duplicatesQuerySchema, ctx.query, 'query');
    ctx.body = { items: await findDuplicates(deps.ds.manager, principal, q) };
  });

  router.get('/cases', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(searchCasesSchema, ctx.query, 'query');
    ctx.body = await searchCases(deps.ds.manager, principal, q);
  });

  router.get('/cases/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await caseDetail(deps.ds.manager, principal, id, deps.clock.now().getTime());
  });

  return router;
}
