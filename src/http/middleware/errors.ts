/** The one place errors become HTTP: `{"error": {"code", "message", "details"?}}` with a fitting status. */
import { isAppError, errors, AppError } from '../../errors';
import { isRejection, type EngineRejection, type RejectionKind } from '../../engine/rejection';
import { safeError } from '../../logging';
import type { AppContext } from '../context';
import { forbiddenKeyErrorFromRaw } from './input-guard';

interface HttpishError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  /** The raw text the JSON body parser could not accept. */
  body?: unknown;
}

/**
 * The engine refuses with Zeebe's rejection kinds; this is the one place they become HTTP statuses.
 * The stable code (TASK_NOT_FOUND, INVALID_TIME_TO_LIVE…) and the details go out as they are.
 */
export const HTTP_STATUS_OF_REJECTION: Record<RejectionKind, number> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  INVALID_STATE: 409,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  RESOURCE_EXHAUSTED: 429,
  // The engine behind the service (a Zeebe cluster) failed: a bad gateway, not this service's fault.
  UNAVAILABLE: 502,
};

export function fromRejection(e: EngineRejection): AppError {
  return new AppError(HTTP_STATUS_OF_REJECTION[e.kind], e.code, e.message, e.details);
}

function fromHttpError(e: HttpishError, limitKb: number): AppError | null {
  const status = e.status ?? e.statusCode;
  if (status === 413 || e.type === 'entity.too.large') return errors.payloadTooLarge(limitKb);
  // The body parser refuses `__proto__` itself; the answer names where it was.
  if (status === 400 && /forbidden prototype property/i.test(e.message)) return forbiddenKeyErrorFromRaw(e.body);
  if (e.type === 'entity.parse.failed' || (status === 400 && /JSON|Unexpected token|invalid/i.test(e.message))) return errors.invalidJson();
  if (status === 415 || e.name === 'UnsupportedBodyTypeError') return errors.unsupportedMediaType('application/json');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') return errors.unsupportedMediaType('UTF-8 JSON');
  if (e.type === 'request.aborted') return errors.badRequest('REQUEST_ABORTED', 'The request was aborted.');
  if (status === 405) return new AppError(405, 'METHOD_NOT_ALLOWED', 'This route does not take that method; the Allow header lists the ones it takes.');
  if (status === 501) return new AppError(501, 'NOT_IMPLEMENTED', 'The server does not implement that method.');
  // Any other refusal of the body parser: a plain answer, not a 500 that logs the body it carries.
  if (status === 400) return errors.badRequest('BAD_REQUEST', 'The request could not be read.');
  return null;
}

export function errorHandler(limitKb: number) {
  return async (ctx: AppContext, next: () => Promise<unknown>) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api')) throw errors.routeNotFound(ctx.method, ctx.path);
      // The routers' allowedMethods answer 405/501 with an Allow header and no body; give them the one shape.
      if ((ctx.status === 405 || ctx.status === 501) && !ctx.body) throw Object.assign(new Error('method'), { status: ctx.status });
    } catch (raw) {
      const e = raw as HttpishError;
      const known = isAppError(e) ? e : isRejection(e) ? fromRejection(e) : fromHttpError(e, limitKb);
      if (known) {
        ctx.status = known.status;
        ctx.body = { error: { code: known.code, message: known.message, ...(known.details !== undefined ? { details: known.details } : {}) } };
        if (known.status === 429 && (known.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds) {
          ctx.set('Retry-After', String((known.details as { retryAfterSeconds: number }).retryAfterSeconds));
        }
        ctx.state.log?.info({ code: known.code, status: known.status }, 'request refused');
      } else {
        // safeError keeps SQL parameters, attached request bodies and quoted values out of the log.
        ctx.state.log?.error({ err: safeError(e) }, 'unexpected error');
        ctx.status = 500;
        ctx.body = { error: { code: 'INTERNAL', message: `Internal error; quote request id ${ctx.state.requestId} to the administrator.` } };
      }
    }
  };
}
