/**
 * GET /api/people?usernames=a,b: display names of the office's users, so pages name people (李强),
 * not accounts (handler1). A username outside the office, or unknown, is left out.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { authorize } from '../../auth/policy';
import { displayNames } from '../../org/display-names';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { route, type RouteDoc } from '../openapi';

const USERNAME = /^[A-Za-z0-9._-]{1,64}$/;
const peopleQuery = z.strictObject({
  usernames: z.string().max(6600).transform((s) => s.split(',').filter(Boolean))
    .refine((list) => list.length <= 100 && list.every((u) => USERNAME.test(u)), 'a comma list of at most 100 usernames'),
});

export function peopleRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/people' });
  router.use(requireLogin);

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { usernames } = parseInput(peopleQuery, ctx.query, 'query');
    authorize(principal, 'people.readNames');
    const names = await displayNames(deps.ds.manager, principal.officeId, usernames);
    ctx.body = { items: Object.entries(names).map(([username, displayName]) => ({ username, displayName })) };
  });

  return router;
}

export const peopleRouteDocs: RouteDoc[] = [
  route('get', '/api/people', {
    summary: "Display names of the office's users by username", auth: 'logged in', query: peopleQuery,
    responses: { 200: '{items: [{username, displayName}]}' }, errors: { 400: ['VALIDATION_FAILED'] },
  }),
];
