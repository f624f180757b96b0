import Router from '@koa/router';
import { inTransaction } from '../../db/data-source';
import { createEmployer, createEmployerSchema, findVisibleEmployer, searchEmployers, searchEmployersSchema, updateEmployer, updateEmployerSchema } from '../../employers/commands';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

export function employerRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/employers' });
  router.use(requireLogin);

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(searchEmployersSchema, ctx.query, 'query');
    ctx.body = { items: await searchEmployers(deps.ds.manager, principal, q) };
  });

  router.get('/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = await findVisibleEmployer(deps.ds.manager, principal, id);
  });

  router.post('/', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(createEmployerSchema, ctx.request.body, 'body');
    ctx.status = 201;
    ctx.body = await inTransaction(deps.ds, (em) => createEmployer(em, principal, actor, deps.clock.now(), input));
  });

  router.patch('/:id', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(updateEmployerSchema, ctx.request.body, 'body');
    ctx.body = await inTransaction(deps.ds, (em) => updateEmployer(em, principal, actor, deps.clock.now(), id, input));
  });

  return router;
}

export const employerRouteDocs: RouteDoc[] = [
  route('get', '/api/employers', { summary: 'Search employer files', auth: 'logged in (handlers: files of their grids)', query: searchEmployersSchema, responses: { 200: '{items}' } }),
  route('get', '/api/employers/:id', { summary: 'One employer file', auth: "whoever sees the file's grid", params: uuidParam, responses: { 200: 'The employer' }, errors: { 404: ['NOT_FOUND'] } }),
  route('post', '/api/employers', {
    summary: "Create an employer file; the credit code's check digit is verified", auth: 'intake, handler (in their grids), admin', body: createEmployerSchema,
    responses: { 201: 'The employer' }, errors: { 403: ['FORBIDDEN'], 409: ['EMPLOYER_EXISTS'] },
  }),
  route('patch', '/api/employers/:id', {
    summary: 'Change an employer file', auth: 'intake, handler (their grids), admin', params: uuidParam, body: updateEmployerSchema,
    responses: { 200: 'The employer' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['EMPLOYER_EXISTS'] },
  }),
];
