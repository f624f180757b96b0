import Router from '@koa/router';
import { z } from 'zod';
import { Office } from '../../db/entities';
import { clientAddress } from '../client-address';
import { SESSION_COOKIE, requireLogin, setSessionCookie } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { route, type RouteDoc } from '../openapi';

const loginSchema = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(200),
});

export function sessionRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/session' });

  router.post('/', async (ctx) => {
    const input = parseInput(loginSchema, ctx.request.body, 'body');
    const session = await deps.sessions.login(input.username, input.password, clientAddress(ctx));
    setSessionCookie(ctx, session.token, session.expiresAt);
    ctx.state.log.info({ username: input.username }, 'login');
    ctx.status = 201;
    ctx.body = { userId: session.userId, expiresAt: new Date(session.expiresAt).toISOString() };
  });

  router.get('/', requireLogin, async (ctx) => {
    const p = ctx.state.principal!;
    const office = await deps.ds.manager.findOne(Office, { where: { id: p.officeId } });
    ctx.body = {
      userId: p.userId,
      username: p.username,
      displayName: p.displayName,
      roles: p.roles,
      office: office ? { id: office.id, name: office.name } : null,
      gridIds: p.gridIds,
      visibleGridIds: p.visibleGridIds,
      groups: p.groups,
    };
  });

  router.delete('/', async (ctx) => {
    await deps.sessions.logout(ctx.cookies.get(SESSION_COOKIE, { signed: true }));
    ctx.cookies.set(SESSION_COOKIE, null, { signed: true });
    ctx.status = 204;
  });

  return router;
}

export const sessionRouteDocs: RouteDoc[] = [
  route('post', '/api/session', {
    summary: 'Log in: sets the HttpOnly, SameSite=Lax signed session cookie', auth: 'anyone', public: true, body: loginSchema,
    responses: { 201: '{userId, expiresAt}' }, errors: { 401: ['BAD_CREDENTIALS'], 429: ['LOGIN_LOCKED', 'LOGIN_RATE_LIMITED'] },
  }),
  route('get', '/api/session', { summary: 'Who is logged in: roles, office, grids and groups', auth: 'logged in', responses: { 200: 'The session\'s user' } }),
  route('delete', '/api/session', { summary: 'Log out', auth: 'anyone', public: true, responses: { 204: 'Logged out' } }),
];
