import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { AppError, errors } from '../../errors';
import type { AppContext } from '../context';

/** Request id (from X-Request-Id when it looks sane) and one structured log line per request. */
export function requestContext(logger: Logger) {
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = /^[A-Za-z0-9._-]{8,64}$/.test(incoming) ? incoming : crypto.randomUUID();
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    ctx.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10, user: ctx.state.principal?.username }, 'request');
    }
  };
}

/**
 * Writes must come as JSON (or XML where a route says so), with or without a body, in UTF-8. Besides
 * giving a clear 415, this stops cross-site form posts: a browser cannot send application/json to
 * another site without CORS, and a form post with no body at all carries no JSON type either.
 */
export function requireJsonForWrites(extraTypes: (path: string) => string[]) {
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    const bodyWrites = ['POST', 'PUT', 'PATCH'].includes(ctx.method);
    const hasBody = Number(ctx.get('Content-Length') || 0) > 0 || Boolean(ctx.get('Transfer-Encoding'));
    if (ctx.path.startsWith('/api') && (bodyWrites || (ctx.method === 'DELETE' && hasBody))) {
      const allowed = ['application/json', ...extraTypes(ctx.path)];
      // The header itself, not ctx.is(): that answers null for an empty body, which must be refused too.
      if (!allowed.includes(mediaTypeOf(ctx.get('Content-Type')))) throw errors.unsupportedMediaType(allowed.join(' or '));
      // The body parser reads every body as UTF-8 whatever the header says; another charset would be misread.
      const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(ctx.get('Content-Type'))?.[1];
      if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw errors.unsupportedMediaType(`${allowed.join(' or ')} in UTF-8`);
    }
    await next();
  };
}

/** `application/json; charset=utf-8` → `application/json`. */
function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses state-changing requests a browser sends on behalf of another site: an `Origin` other than
 * the request's own, or `Sec-Fetch-Site: cross-site | same-site`. The service may sit behind a proxy
 * that changes the scheme, so an Origin whose host equals the Host header is accepted. Requests with
 * neither header (curl, scripts, tests) pass; the session cookie is SameSite=Lax as a second line.
 */
export function refuseCrossSiteWrites() {
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    if (STATE_CHANGING.has(ctx.method)) {
      const site = ctx.get('Sec-Fetch-Site').toLowerCase();
      const origin = ctx.get('Origin');
      if (site === 'cross-site' || site === 'same-site' || (origin !== '' && !sameHost(origin, ctx.get('Host')))) {
        throw new AppError(403, 'CROSS_SITE_REQUEST', 'Changes are accepted only from the pages of this service.');
      }
    }
    await next();
  };
}

/**
 * Whether an Origin header names this service: its host (with port) is the Host header. The scheme is
 * not compared, since a proxy may end TLS in front of the service. (Koa's ctx.origin is not used: in
 * Koa 3 it reflects the request's Origin header.)
 */
function sameHost(origin: string, host: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes "null", sent by sandboxed frames and some redirects
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  return host !== '' && parsed.host.toLowerCase() === host.toLowerCase();
}
