/**
 * The yearly A/B/C grading (企业劳动保障守法诚信等级评价办法, 2016; workflows/credit-grading.bpmn): opening
 * a year's run, the runs, a run's grades filtered by grade and grid, changing a proposal during review
 * with a reason, recording an objection at the window (late ones answered by the rule), deciding one,
 * and an employer's grades over the years for its file.
 */
import Router from '@koa/router';

import { inTransaction } from '../../db/data-source';
import {
  changeGrade, changeGradeSchema, decideObjection, employerGrades, gradeListQuery, gradeView, listRuns, objectionDecisionSchema, objectionSchema, recordObjection,
  runView, searchGrades, startGradingRun, startRunSchema, visibleRun, OBJECTION_DECISION_LABELS,
} from '../../credit/grading-run';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

const objectionAnswer = (o: { id: string; late: number | string; received_at: number | string; decision: string | null; document_id: string | null }) => ({
  id: o.id, late: Number(o.late) === 1, receivedAt: Number(o.received_at), decision: o.decision,
  decisionLabel: o.decision ? OBJECTION_DECISION_LABELS[o.decision] ?? null : null, documentId: o.document_id,
});

export function creditGradingRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.use(['/api/credit/grading', '/api/employers/:id/credit-grades'], requireLogin);

  router.get('/api/credit/grading/runs', async (ctx) => {
    const { principal } = principalOf(ctx);
    parseInput(noFields, ctx.query, 'query');
    const runs = await listRuns(deps.ds.manager, principal);
    const items = [];
    for (const r of runs) items.push(await runView(deps.ds.manager, deps.engine, r));
    ctx.body = { items };
  });

  router.post('/api/credit/grading/runs', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { year } = parseInput(startRunSchema, ctx.request.body, 'body');
    const run = await inTransaction(deps.ds, (em) => startGradingRun(em, deps.engine, principal, actor, year, deps.clock.now().getTime()));
    ctx.status = 201;
    ctx.body = await runView(deps.ds.manager, deps.engine, run);
  });

  router.get('/api/credit/grading/runs/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await runView(deps.ds.manager, deps.engine, await visibleRun(deps.ds.manager, principal, id));
  });

  router.get('/api/credit/grading/runs/:id/grades', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const q = parseInput(gradeListQuery, ctx.query, 'query');
    ctx.body = await searchGrades(deps.ds.manager, principal, await visibleRun(deps.ds.manager, principal, id), q);
  });

  router.get('/api/credit/grading/grades/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await gradeView(deps.ds.manager, principal, id);
  });

  router.post('/api/credit/grading/grades/:id/change', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(changeGradeSchema, ctx.request.body, 'body');
    await inTransaction(deps.ds, (em) => changeGrade(em, principal, actor, id, input, deps.clock.now().getTime()));
    ctx.body = await gradeView(deps.ds.manager, principal, id);
  });

  router.post('/api/credit/grading/grades/:id/objections', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(objectionSchema, ctx.request.body, 'body');
    const o = await inTransaction(deps.ds, (em) => recordObjection(em, principal, actor, id, input, deps.clock.now().getTime()));
    ctx.status = 201;
    ctx.body = objectionAnswer(o);
  });

  router.post('/api/credit/grading/objections/:id/decision', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(objectionDecisionSchema, ctx.request.body, 'body');
    const o = await inTransaction(deps.ds, (em) => decideObjection(em, principal, actor, id, input, deps.clock.now().getTime()));
    ctx.body = objectionAnswer(o);
  });

  router.get('/api/employers/:id/credit-grades', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    parseInput(noFields, ctx.query, 'query');
    ctx.body = await employerGrades(deps.ds.manager, principal, id);
  });

  return router;
}

const FOR_LEGAL = 'legal, supervisor (whoever sees the employer\'s grid)';

export const creditGradingRouteDocs: RouteDoc[] = [
  route('get', '/api/credit/grading/runs', {
    summary: "The office's yearly grading runs, newest year first, with counts by grade, objections and the open task", auth: 'intake, handler, grid officer, legal, supervisor, admin',
    query: noFields, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('post', '/api/credit/grading/runs', {
    summary: "Open the year's A/B/C grading (企业劳动保障守法诚信等级评价办法) and start workflow credit-grading",
    description: 'The year must have ended; one run per office and year. The workflow proposes every employer\'s grade with its records; legal staff review.',
    auth: 'legal, supervisor', body: startRunSchema, responses: { 201: 'The run' },
    errors: { 403: ['FORBIDDEN'], 409: ['GRADING_RUN_EXISTS'], 422: ['GRADING_YEAR_NOT_ENDED'] },
  }),
  route('get', '/api/credit/grading/runs/:id', {
    summary: 'One grading run: state, counts by grade, objection period, objections, the open task', auth: 'intake, handler, grid officer, legal, supervisor, admin (its office)',
    params: uuidParam, responses: { 200: 'The run' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/credit/grading/runs/:id/grades', {
    summary: "A page of the run's grades the user sees (their grids, or the whole office), C first, with reasons, changes, notice and objections",
    auth: 'intake, handler, grid officer, legal, supervisor, admin (its office)', params: uuidParam, query: gradeListQuery,
    responses: { 200: '{items, total}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/credit/grading/grades/:id', {
    summary: 'One employer-year grade with its reasons, changes, notice and objections', auth: "whoever sees the employer's grid", params: uuidParam,
    responses: { 200: 'The grade' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/credit/grading/grades/:id/change', {
    summary: 'Change a proposed grade during review, with the reason (audited)', auth: FOR_LEGAL, params: uuidParam, body: changeGradeSchema,
    responses: { 200: 'The grade' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['GRADING_NOT_IN_REVIEW'], 422: ['GRADING_SAME_GRADE'] },
  }),
  route('post', '/api/credit/grading/grades/:id/objections', {
    summary: 'Record an objection to a C grade handed in at the window; one after the period is recorded as late and answered at once (不予复核)',
    auth: "the grid's handlers, legal, supervisor, admin", params: uuidParam, body: objectionSchema, responses: { 201: '{id, late, receivedAt, decision, decisionLabel, documentId}' },
    errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['GRADING_NOT_OBJECTABLE', 'GRADING_OBJECTION_PENDING'] },
  }),
  route('post', '/api/credit/grading/objections/:id/decision', {
    summary: 'Decide an objection: upheld changes the grade, rejected gives the reasons; issues the decision document (异议复核决定书)', auth: FOR_LEGAL,
    params: uuidParam, body: objectionDecisionSchema, responses: { 200: '{id, late, receivedAt, decision, decisionLabel, documentId}' },
    errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['GRADING_OBJECTION_DECIDED'], 422: ['GRADING_SAME_GRADE'] },
  }),
  route('get', '/api/employers/:id/credit-grades', {
    summary: "An employer's grades over the years with their history (诚信档案): the grade in force, reasons, changes, objections, documents",
    auth: "whoever sees the employer's grid (not its enterprise coordinator)", params: uuidParam, query: noFields,
    responses: { 200: '{employerId, current, grades}' }, errors: { 404: ['NOT_FOUND'] },
  }),
];

