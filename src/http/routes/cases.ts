import Router from '@koa/router';
import { allowed, authorize, decide } from '../../auth/policy';
import { awaitingAnswers } from '../../cases/awaiting-answers';
import { caseRefById } from '../../cases/case-refs';
import { findRegistration, IDEMPOTENCY_KEY, rememberRegistration } from '../../cases/idempotency';
import { mustFindCase } from '../../cases/store';
import { isUniqueViolation } from '../../db/portable';
import { errors } from '../../errors';
import { complaintSchema } from '../../cases/model';
import { z } from 'zod';
import { caseDetail, revealPersonalData, duplicatesQuerySchema, findDuplicates, searchCases, searchCasesSchema } from '../../cases/queries';
import { registerComplaint } from '../../cases/register-complaint';
import { inTransaction } from '../../db/data-source';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

/** Intake (POST /api/complaints) and the case pages (GET /api/cases…). */
export function caseRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);
  // Case answers name people: no browser or proxy keeps a copy.
  router.use(async (ctx, next) => {
    await next();
    if (ctx.path.startsWith('/api/cases') || ctx.path.startsWith('/api/complaints')) ctx.set('Cache-Control', 'no-store');
  });


  router.post('/complaints', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'cases.register');
    const key = ctx.get('Idempotency-Key') || null;
    if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
      throw errors.validation('Invalid Idempotency-Key.', [{ path: 'headers.idempotency-key', message: '8 to 100 letters, digits, - or _' }]);
    }
    const input = parseInput(complaintSchema, ctx.request.body, 'body');
    const replay = async () => {
      const first = key ? await findRegistration(deps.ds.manager, principal.userId, key) : null;
      if (!first) return false;
      const c = await mustFindCase(deps.ds.manager, first.caseId);
      ctx.status = 200;
      ctx.body = { caseId: c.id, caseNumber: c.caseNumber, route: c.suggestedRoute, status: c.status, processInstanceKey: first.processInstanceKey, replayed: true };
      return true;
    };
    if (await replay()) return;
    const now = deps.clock.now();
    let r;
    try {
      r = await inTransaction(deps.ds, async (em) => {
        const registered = await registerComplaint(em, { officeId: principal.officeId, actor, now, rules: deps.rules }, deps.engine, input);
        if (key) await rememberRegistration(em, principal.userId, key, { caseId: registered.case.id, processInstanceKey: registered.processInstanceKey }, now.getTime());
        return registered;
      });
    } catch (e) {
      // The same key sent twice at once: the other request registered the case.
      if (key && isUniqueViolation(e) && await replay()) return;
      throw e;
    }
    ctx.status = 201;
    ctx.body = {
      caseId: r.case.id, caseNumber: r.case.caseNumber, route: r.assessment.suggestedRoute, status: r.case.status, assessment: r.assessment,
      linkedCaseIds: r.duplicates.map((d) => d.caseId), duplicates: r.duplicates.map(({ gridId: _grid, ...d }) => d), processInstanceKey: r.processInstanceKey,
    };
  });

  router.get('/complaints/duplicates', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'cases.searchDuplicates');
    const q = parseInput(duplicatesQuerySchema, ctx.query, 'query');
    ctx.body = { items: await findDuplicates(deps.ds.manager, principal, q) };
  });

  router.get('/cases', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(searchCasesSchema, ctx.query, 'query');
    ctx.body = await searchCases(deps.ds.manager, principal, q);
  });

  router.post('/cases/:id/reveal', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    ctx.body = await inTransaction(deps.ds, (em) => revealPersonalData(em, principal, actor, deps.clock.now(), id));
  });

  /** The outside answers the case waits for now, each with its form's fields; `mayAnswer` when the user may enter them. */
  router.get('/cases/:id/awaiting-answers', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const c = await caseRefById(deps.ds.manager, id);
    if (!c || decide(principal, 'case.read', c) !== 'allow') throw errors.notFound('case', id);
    ctx.body = { items: await awaitingAnswers(deps.ds.manager, deps.engine, id), mayAnswer: allowed(principal, 'case.answer', c) };
  });

  router.get('/cases/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await caseDetail(deps.ds.manager, principal, id, deps.clock.now().getTime());
  });

  return router;
}

export const caseRouteDocs: RouteDoc[] = [
  route('post', '/api/complaints', {
    summary: 'Register a complaint or report and start its intake process in the same transaction', auth: 'intake, admin', body: complaintSchema,
    headers: { 'Idempotency-Key': '8 to 100 letters, digits, - or _: the same user sending the same key again gets the first case back' },
    responses: {
      201: '{caseId, caseNumber, route, status, assessment, linkedCaseIds, duplicates, processInstanceKey}',
      200: 'The same Idempotency-Key again: the first registration, with replayed: true',
    },
    errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/complaints/duplicates', {
    summary: 'Open cases against the same employer', auth: 'intake, handler, supervisor, legal, admin', query: duplicatesQuerySchema, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/cases', { summary: 'Search cases, with keyset paging', auth: 'logged in (handlers: cases of their grids)', query: searchCasesSchema, responses: { 200: '{items, nextCursor}' } }),
  route('post', '/api/cases/:id/reveal', {
    summary: "The case's ID numbers, phones and e-mail addresses whole; audited", auth: 'intake, handler (their grids), legal, admin', params: uuidParam, body: noFields,
    responses: { 200: 'The unmasked values' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/cases/:id/awaiting-answers', {
    summary: 'The outside answers the case waits for now, each with its form\'s fields, and whether the user may enter them', auth: 'whoever sees the case',
    params: uuidParam, responses: { 200: '{items, mayAnswer}' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/cases/:id', {
    summary: 'One case: parties (masked), workers and amounts, claims, status, deadlines, documents, timeline, process instance keys', auth: 'whoever sees the case',
    params: uuidParam, responses: { 200: 'The case' }, errors: { 404: ['NOT_FOUND'] },
  }),
];
