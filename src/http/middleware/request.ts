import crypto from 'node:crypto';
import type { Logger } from 'pino';
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
 * Writes must come as JSON (or XML where a route says so). Besides giving a clear 415, this stops
 * cross-site form posts: a browser cannot send application/json to another site without CORS.
 */
export function requireJsonForWrites(extraTypes: (path: string) => string[]) {
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    const writes = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(ctx.method);
    const hasBody = Number(ctx.get('Content-Length') || 0) > 0 || Boolean(ctx.get('Transfer-Encoding'));
    if (writes && hasBody && ctx.path.startsWith('/api')) {
      const allowed = ['application/json', ...extraTypes(ctx.path)];
      if (!ctx.is(...allowed)) {
        ctx.status = 415;
        ctx.body = { error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: `Send the body as ${allowed.join(' or ')}.` } };
        return;
      }
    }
    await next();
  };
}
