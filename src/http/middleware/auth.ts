import { loadPrincipal } from '../../auth/principal';
import { errors } from '../../errors';
import { parseTrustedProxies, rememberTrustedProxies, requestIsHttps } from '../client-address';
import type { AppContext, AppDeps } from '../context';

export const SESSION_COOKIE = 'lsi_session';

/**
 * Sets the session cookie. Secure when the request came over HTTPS, directly or through a trusted
 * proxy (TRUSTED_PROXY); Koa itself only knows about TLS on its own socket, so its cookie jar is told.
 */
export function setSessionCookie(ctx: AppContext, token: string, expiresAt: number): void {
  const secure = requestIsHttps(ctx);
  if (secure) ctx.cookies.secure = true;
  ctx.cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', signed: true, secure, expires: new Date(expiresAt) });
}

/** Loads the session's user into ctx.state; routes that need a login use `requireLogin`. */
export function sessionLoader(deps: AppDeps) {
  const trusted = parseTrustedProxies(deps.settings.TRUSTED_PROXY);
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    rememberTrustedProxies(ctx, trusted);
    const token = ctx.cookies.get(SESSION_COOKIE, { signed: true });
    const session = await deps.sessions.resolve(token);
    if (session) {
      const principal = await loadPrincipal(deps.ds.manager, session.userId);
      if (principal) {
        ctx.state.principal = principal;
        ctx.state.actor = { userId: principal.userId, name: principal.username, requestId: ctx.state.requestId };
        // The session's expiry moved: the cookie's moves with it.
        if (session.extended && token) setSessionCookie(ctx, token, session.expiresAt);
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
