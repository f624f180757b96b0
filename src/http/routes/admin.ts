/** Users and grids: read by every logged-in user of the office (grids) or admin (users); changed by admin. */
import Router from '@koa/router';
import { z } from 'zod';
import { auditTrail } from '../../audit/audit';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { Grid, User } from '../../db/entities';
import { createGrid, createGridSchema, createUser, createUserSchema, updateUser, updateUserSchema, userView } from '../../org/commands';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

const auditQuery = z.strictObject({
  entityType: z.string().max(32).optional(),
  entityId: z.string().max(64).optional(),
  caseId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function adminRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);

  router.get('/users', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'user.list');
    parseInput(z.strictObject({}), ctx.query, 'query');
    const users = await deps.ds.manager.find(User, { where: { officeId: principal.officeId }, order: { username: 'ASC' } });
    ctx.body = { items: await Promise.all(users.map((u) => userView(deps.ds.manager, u))) };
  });

  router.post('/users', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'user.manage');
    const input = parseInput(createUserSchema, ctx.request.body, 'body');
    ctx.status = 201;
    ctx.body = await inTransaction(deps.ds, (em) => createUser(em, principal, actor, deps.clock.now(), input));
  });

  router.patch('/users/:id', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'user.manage');
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(updateUserSchema, ctx.request.body, 'body');
    ctx.body = await inTransaction(deps.ds, (em) => updateUser(em, principal, actor, deps.clock.now(), id, input));
  });

  router.get('/grids', async (ctx) => {
    const { principal } = principalOf(ctx);
    parseInput(z.strictObject({}), ctx.query, 'query');
    const grids = await deps.ds.manager.find(Grid, { where: { officeId: principal.officeId }, order: { level: 'ASC', code: 'ASC' } });
    ctx.body = { items: grids.map((g) => ({ ...g, mine: principal.visibleGridIds.includes(g.id) })) };
  });

  router.post('/grids', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'user.manage');
    const input = parseInput(createGridSchema, ctx.request.body, 'body');
    ctx.status = 201;
    ctx.body = await inTransaction(deps.ds, (em) => createGrid(em, principal, actor, deps.clock.now(), input));
  });

  router.get('/audit', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'office.readAudit');
    const q = parseInput(auditQuery, ctx.query, 'query');
    const entries = await auditTrail(deps.ds.manager, q);
    // Entries of other offices never show: actors are users of this office or the system.
    const officeUsers = new Set((await deps.ds.manager.find(User, { where: { officeId: principal.officeId }, select: { id: true } })).map((u) => u.id));
    ctx.body = { items: entries.filter((e) => e.actorId === null || officeUsers.has(e.actorId)) };
  });

  return router;
}

export const adminRouteDocs: RouteDoc[] = [
  route('get', '/api/users', { summary: "The office's users with their roles and grids", auth: 'admin, supervisor', query: noFields, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('post', '/api/users', {
    summary: 'Create a user', auth: 'admin', body: createUserSchema, responses: { 201: 'The user' },
    errors: { 400: ['WEAK_PASSWORD'], 403: ['FORBIDDEN'], 409: ['USERNAME_TAKEN'] },
  }),
  route('patch', '/api/users/:id', {
    summary: "Change a user's name, password, roles, grids, e-mail or active flag", auth: 'admin', params: uuidParam, body: updateUserSchema, responses: { 200: 'The user' },
    errors: { 400: ['WEAK_PASSWORD'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['CANNOT_DEACTIVATE_SELF'] },
  }),
  route('get', '/api/grids', { summary: "The office's grids (level 1 streets, level 2 communities), each with whether the user sees it", auth: 'logged in', query: noFields, responses: { 200: '{items}' } }),
  route('post', '/api/grids', {
    summary: 'Create a grid', auth: 'admin', body: createGridSchema, responses: { 201: 'The grid' },
    errors: { 400: ['GRID_CODE_RESERVED'], 403: ['FORBIDDEN'], 409: ['GRID_CODE_TAKEN'] },
  }),
  route('get', '/api/audit', { summary: 'The audit log, newest first', auth: 'admin, supervisor', query: auditQuery, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
];
