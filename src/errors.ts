/**
 * Named errors with stable codes, mapped to HTTP once (src/http/middleware/errors.ts).
 * Commands, the engine and workers throw these; anything else reaching the HTTP layer is an
 * internal error whose details are logged, never sent.
 */
export interface ErrorDetail {
  /** Field path such as `body.parties.0.name`, or an element id for diagram problems. */
  path?: string;
  message: string;
  [key: string]: unknown;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const errors = {
  validation: (message: string, details?: ErrorDetail[]) => new AppError(400, 'VALIDATION_FAILED', message, details),
  invalidJson: () => new AppError(400, 'INVALID_JSON', 'The request body is not valid JSON.'),
  badRequest: (code: string, message: string, details?: unknown) => new AppError(400, code, message, details),
  unauthenticated: (message = 'Log in first.') => new AppError(401, 'UNAUTHENTICATED', message),
  badCredentials: () => new AppError(401, 'BAD_CREDENTIALS', 'Wrong username or password.'),
  forbidden: (message = 'Your role does not allow this.') => new AppError(403, 'FORBIDDEN', message),
  notFound: (what = 'resource', id?: string) => new AppError(404, 'NOT_FOUND', id ? `No ${what} ${id}.` : `No such ${what}.`),
  routeNotFound: (method: string, path: string) => new AppError(404, 'ROUTE_NOT_FOUND', `No route ${method} ${path}.`),
  conflict: (code: string, message: string, details?: unknown) => new AppError(409, code, message, details),
  payloadTooLarge: (limitKb: number) => new AppError(413, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limitKb} KiB.`),
  unsupportedMediaType: (expected: string) => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the body as ${expected}.`),
  unprocessable: (code: string, message: string, details?: unknown) => new AppError(422, code, message, details),
  tooManyRequests: (code: string, message: string, retryAfterSeconds?: number) =>
    new AppError(429, code, message, retryAfterSeconds ? { retryAfterSeconds } : undefined),
  unavailable: (code: string, message: string) => new AppError(503, code, message),
};

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
