/** The one place errors become HTTP: `{"error": {"code", "message", "details"?}}` with a fitting status. */
import { isAppError, errors, AppError } from '../../errors';
import type { AppContext } from '../context';

interface HttpishError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

function fromHttpError(e: HttpishError, limitKb: number): AppError | null {
  const status = e.status ?? e.statusCode;
  if (status === 413 || e.type === 'entity.too.large') return errors.payloadTooLarge(limitKb);
  if (e.type === 'entity.parse.failed' || (status === 400 && /JSON|Unexpected token|invalid/i.test(e.message))) return errors.invalidJson();
  if (status === 415 || e.name === 'UnsupportedBodyTypeError') return errors.unsupportedMediaType('application/json');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return errors.unsupportedMediaType('UTF-8 JSON');
  if (e.type === 'request.aborted') return errors.badRequest('REQUEST_ABORTED', 'The request was aborted.');
  return null;
}

export function errorHandler(limitKb: number) {
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api')) throw errors.routeNotFound(ctx.method, ctx.path);
    } catch (raw) {
      const e = raw as HttpishError;
      const known = isAppError(e) ? e : fromHttpError(e, limitKb);
      if (known) {
        ctx.status = known.status;
        ctx.body = { error: { code: known.code, message: known.message, ...(known.details !== undefined ? { details: known.details } : {}) } };
        if (known.status === 429 && (known.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds) {
          ctx.set('Retry-After', String((known.details as { retryAfterSeconds: number }).retryAfterSeconds));
        }
        ctx.state.log?.info({ code: known.code, status: known.status }, 'request refused');
      } else {
        ctx.state.log?.error({ err: e }, 'unexpected error');
        ctx.status = 500;
        ctx.body = { error: { code: 'INTERNAL', message: `Internal error; quote request id ${ctx.state.requestId} to the administrator.` } };
      }
    }
  };
}
