import { loadPrincipal } from '../../auth/principal';
import { errors } from '../../errors';
import type { AppContext, AppDeps } from '../context';

export const SESSION_COOKIE = 'lsi_session';

/** Loads the session's user into ctx.state; routes that need a login use `requireLogin`. */
export function sessionLoader(deps: AppDeps) {
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    const token = ctx.cookies.get(SESSION_COOKIE, { signed: true });
    const userId = await deps.sessions.resolve(token);
    if (userId) {
      const principal = await loadPrincipal(deps.ds.manager, userId);
      if (principal) {
        ctx.state.principal = principal;
        ctx.state.actor = { userId: principal.userId, name: principal.username, requestId: ctx.state.requestId };
      }
    }
    await next();
  };
}

export async function requireLogin(ctx: AppContext, next: () => Promise<unknown>) {
  if (!ctx.state.principal) throw errors.unauthenticated('Log in first, or log in again: the session is missing or has expired.');
  await next();
}

/** The principal of a route behind `requireLogin`. */
export function principalOf(ctx: AppContext) {
  const p = ctx.state.principal;
  if (!p || !ctx.state.actor) throw errors.unauthenticated();
  return { principal: p, actor: ctx.state.actor };
}
