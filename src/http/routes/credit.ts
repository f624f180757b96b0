/**
 * Credit supervision: the wage-arrears joint-discipline list (人社部令第45号) — proposing a listing from a
 * case, the listings, a listing with its submissions and documents, recording a defence or an
 * application for credit repair — and an employer's credit record for its file.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { employerCredit } from '../../credit/employer-credit';
import {
  applyForRepair, caseToProposeFrom, caseVariables, defenceSchema, listingView, proposeListing, proposeListingSchema, recordDefence, repairSchema, searchListings, visibleListing,
} from '../../credit/listings';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

const listQuery = z.strictObject({ state: z.enum(['proposed', 'listed', 'not-listed', 'removed']).optional(), employerId: z.string().uuid().optional() });

export function creditRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.use(['/api/credit', '/api/employers/:id/credit'], requireLogin);

  router.get('/api/credit/listings', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'creditList.list');
    const q = parseInput(listQuery, ctx.query, 'query');
    ctx.body = { items: await searchListings(deps.ds.manager, principal, q) };
  });

  router.post('/api/credit/listings', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(proposeListingSchema, ctx.request.body, 'body');
    const now = deps.clock.now().getTime();
    // Sight and role first: a case the user may not propose from is 404/403 before its variables are read.
    await caseToProposeFrom(deps.ds.manager, principal, input.caseId);
    const vars = await caseVariables(deps.ds.manager, deps.engine, input.caseId);
    const started = await inTransaction(deps.ds, (em) => proposeListing(em, { engine: deps.engine, rules: deps.rules, now, caseVariables: vars }, principal, actor, input));
    ctx.status = 201;
    ctx.body = await listingView(deps.ds.manager, (await visibleListing(deps.ds.manager, principal, started.id)));
  });

  router.get('/api/credit/listings/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await listingView(deps.ds.manager, await visibleListing(deps.ds.manager, principal, id));
  });

  router.post('/api/credit/listings/:id/defence', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(defenceSchema, ctx.request.body, 'body');
    const s = await inTransaction(deps.ds, (em) => recordDefence(em, deps.engine, principal, actor, id, input, deps.clock.now().getTime()));
    ctx.status = 201;
    ctx.body = { id: s.id, late: Number(s.late) === 1, receivedAt: Number(s.received_at) };
  });

  router.post('/api/credit/listings/:id/repair', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(repairSchema, ctx.request.body, 'body');
    const s = await inTransaction(deps.ds, (em) => applyForRepair(em, deps.engine, principal, actor, id, input, deps.clock.now().getTime()));
    ctx.status = 201;
    ctx.body = { id: s.id, late: Number(s.late) === 1, receivedAt: Number(s.received_at) };
  });

  router.get('/api/employers/:id/credit', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await employerCredit(deps.ds.manager, principal, id);
  });

  return router;
}

export const creditRouteDocs: RouteDoc[] = [
  route('get', '/api/credit/listings', {
    summary: 'Listings on the wage-arrears joint-discipline list and proposals, newest first', auth: 'intake, handler (their grids), grid officer (their grids), legal, supervisor, admin',
    query: listQuery, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('post', '/api/credit/listings', {
    summary: "Propose listing a case's employer (人社部令第45号) and start workflow arrears-blacklist",
    description: 'Refused unless the order to pay was served and expired unpaid and the amount meets the criminal threshold (province settings) or a mass or extreme incident is described.',
    auth: "the case's handlers, legal, supervisor, admin", body: proposeListingSchema, responses: { 201: 'The listing' },
    errors: {
      403: ['FORBIDDEN'], 404: ['NOT_FOUND'],
      409: ['BLACKLIST_NOT_ORDERED_TO_PAY', 'BLACKLIST_PAYMENT_PERIOD_RUNNING', 'BLACKLIST_WAGES_PAID', 'BLACKLIST_UNFILED_PARTY', 'BLACKLIST_ALREADY_OPEN'],
      422: ['BLACKLIST_GROUNDS_NOT_MET'],
    },
  }),
  route('get', '/api/credit/listings/:id', {
    summary: 'One listing with its submissions (late ones marked) and documents', auth: "whoever sees the employer's grid", params: uuidParam,
    responses: { 200: 'The listing' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/credit/listings/:id/defence', {
    summary: "Record the party's defence (陈述申辩); one after its period is kept and marked late", auth: "the grid's handlers, legal, supervisor, admin",
    params: uuidParam, body: defenceSchema, responses: { 201: '{id, late, receivedAt}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/credit/listings/:id/repair', {
    summary: 'Record an application for credit repair (信用修复); the workflow checks the conditions and decides', auth: "the grid's handlers, legal, supervisor, admin",
    params: uuidParam, body: repairSchema, responses: { 201: '{id, late, receivedAt}' },
    errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['BLACKLIST_NOT_LISTED', 'BLACKLIST_REPAIR_PENDING'] },
  }),
  route('get', '/api/employers/:id/credit', {
    summary: "An employer's credit record: its listings, current and past", auth: "whoever sees the employer's grid (not its enterprise coordinator)", params: uuidParam,
    responses: { 200: '{employerId, listed, listings}' }, errors: { 404: ['NOT_FOUND'] },
  }),
];
