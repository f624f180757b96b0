/**
 * The grids' people and training (两网化 staffing), and the address rules that place employers in
 * grids. Admin keeps both; the other office roles read.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { addressRuleSchema, createAddressRule, deleteAddressRule, listAddressRules, updateAddressRule } from '../../org/address-rules';
import { addTraining, createStaff, createStaffSchema, listStaff, listStaffSchema, trainingSchema, updateStaff, updateStaffSchema } from '../../org/staff';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

export function gridStaffRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/grid-staff' });
  router.use(requireLogin);

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(listStaffSchema, ctx.query, 'query');
    ctx.body = { items: await listStaff(deps.ds.manager, principal, q) };
  });

  router.post('/', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(createStaffSchema, ctx.request.body, 'body');
    ctx.status = 201;
    ctx.body = await inTransaction(deps.ds, (em) => createStaff(em, principal, actor, deps.clock.now(), input));
  });

  router.patch('/:id', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(updateStaffSchema, ctx.request.body, 'body');
    ctx.body = await inTransaction(deps.ds, (em) => updateStaff(em, principal, actor, deps.clock.now(), id, input));
  });

  router.post('/:id/trainings', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(trainingSchema, ctx.request.body, 'body');
    ctx.status = 201;
    ctx.body = await inTransaction(deps.ds, (em) => addTraining(em, principal, actor, deps.clock.now(), id, input));
  });

  return router;
}

export function addressRuleRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/address-rules' });
  router.use(requireLogin);

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'addressRules.read');
    parseInput(z.strictObject({}), ctx.query, 'query');
    ctx.body = { items: await listAddressRules(deps.ds.manager, principal.officeId) };
  });

  router.post('/', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(addressRuleSchema, ctx.request.body, 'body');
    ctx.status = 201;
    ctx.body = await inTransaction(deps.ds, (em) => createAddressRule(em, principal, actor, deps.clock.now(), input));
  });

  router.put('/:id', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(addressRuleSchema, ctx.request.body, 'body');
    ctx.body = await inTransaction(deps.ds, (em) => updateAddressRule(em, principal, actor, deps.clock.now(), id, input));
  });

  router.delete('/:id', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    await inTransaction(deps.ds, (em) => deleteAddressRule(em, principal, actor, deps.clock.now(), id));
    ctx.status = 204;
  });

  return router;
}

const adminErrors = { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] };

export const gridStaffRouteDocs: RouteDoc[] = [
  route('get', '/api/grid-staff', {
    summary: "The grids' people by kind (full_time_inspector, part_time_inspector, grid_assistant, enterprise_coordinator) with their training records and hours",
    auth: 'office roles (handlers and grid officers: their grids); phones masked except for admin', query: listStaffSchema, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('post', '/api/grid-staff', { summary: 'Add a staff member to a grid', auth: 'admin', body: createStaffSchema, responses: { 201: 'The staff member' }, errors: { 403: ['FORBIDDEN'] } }),
  route('patch', '/api/grid-staff/:id', { summary: 'Change a staff member (grid, kind, name, phone, account, employer, active)', auth: 'admin', params: uuidParam, body: updateStaffSchema, responses: { 200: 'The staff member' }, errors: adminErrors }),
  route('post', '/api/grid-staff/:id/trainings', { summary: 'Record a training (course, day, hours)', auth: 'admin', params: uuidParam, body: trainingSchema, responses: { 201: 'The staff member with trainings' }, errors: adminErrors }),
  route('get', '/api/address-rules', { summary: 'The address rules that place employers in grids', auth: 'intake, supervisor, admin', responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('post', '/api/address-rules', { summary: 'Add an address rule: a street with an optional number range (all, odd, even), or a community name', auth: 'admin', body: addressRuleSchema, responses: { 201: 'The rule' }, errors: { 403: ['FORBIDDEN'] } }),
  route('put', '/api/address-rules/:id', { summary: 'Replace an address rule', auth: 'admin', params: uuidParam, body: addressRuleSchema, responses: { 200: 'The rule' }, errors: adminErrors }),
  route('delete', '/api/address-rules/:id', { summary: 'Remove an address rule', auth: 'admin', params: uuidParam, responses: { 204: 'Removed' }, errors: adminErrors }),
];
