/**
 * Errors of the gateway as gRPC statuses. The engine throws AppErrors with HTTP statuses and stable
 * codes; the gateway answers with the gRPC code a Zeebe gateway would use for the same rejection
 * (Zeebe maps NOT_FOUND → NOT_FOUND, INVALID_ARGUMENT → INVALID_ARGUMENT, INVALID_STATE →
 * FAILED_PRECONDITION, ALREADY_EXISTS → ALREADY_EXISTS), and keeps our code at the front of the
 * message so a log line names the rule.
 */
import { status, type StatusObject } from '@grpc/grpc-js';
import { AppError, isAppError } from '../../errors';

export type GatewayStatus = Pick<StatusObject, 'code' | 'details'>;

/** Thrown by the gateway itself when it answers with a gRPC code directly. */
export class GatewayError extends Error {
  constructor(readonly code: status, message: string) {
    super(message);
    this.name = 'GatewayError';
  }
}

export const invalidArgument = (message: string) => new GatewayError(status.INVALID_ARGUMENT, message);
export const unimplemented = (message: string) => new GatewayError(status.UNIMPLEMENTED, message);

/**
 * Zeebe forgets ended instances, so commands on them answer NOT_FOUND there; the engine keeps them
 * and says why. The answer follows Zeebe, the message keeps the engine's reason.
 */
const NOT_FOUND_CODES = new Set(['PROCESS_INSTANCE_NOT_ACTIVE']);

function grpcCodeOf(e: AppError): status {
  if (NOT_FOUND_CODES.has(e.code)) return status.NOT_FOUND;
  switch (e.status) {
    case 400: return status.INVALID_ARGUMENT;
    case 401: return status.UNAUTHENTICATED;
    case 403: return status.PERMISSION_DENIED;
    case 404: return status.NOT_FOUND;
    case 409: return /_EXISTS$|^DUPLICATE/.test(e.code) ? status.ALREADY_EXISTS : status.FAILED_PRECONDITION;
    case 413: return status.RESOURCE_EXHAUSTED;
    case 422: return status.FAILED_PRECONDITION;
    case 429: return status.RESOURCE_EXHAUSTED;
    case 503: return status.UNAVAILABLE;
    default: return status.INTERNAL;
  }
}

/**
 * gRPC carries the message in a trailer, percent-encoded, and clients refuse trailers over 8 KiB by
 * default; a long problem list is cut with a count of what was left out, so the client still gets it.
 */
const MAX_ENCODED_DETAILS = 6000;

export function boundedDetails(head: string, lines: string[]): string {
  let out = head;
  for (let i = 0; i < lines.length; i++) {
    const next = `${out}\n${lines[i]}`;
    const rest = lines.length - i - 1;
    const tail = rest > 0 ? `\n… and ${rest} more.` : '';
    if (encodeURIComponent(next + tail).length > MAX_ENCODED_DETAILS) return `${out}\n… and ${lines.length - i} more.`;
    out = next;
  }
  return out;
}

interface ProblemLike { resource?: unknown; elementId?: unknown; path?: unknown; rule?: unknown; message?: unknown; severity?: unknown }

/** One line per problem: resource, element, rule, message; errors before warnings as the engine sorted them. */
function problemLines(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return (details as ProblemLike[]).map((p) => {
    const where = [p.resource, p.elementId ?? p.path].filter((x) => typeof x === 'string' && x !== '').join(' › ');
    const rule = typeof p.rule === 'string' ? ` [${p.rule}]` : '';
    const sev = p.severity === 'warning' ? 'warning: ' : '';
    return `- ${sev}${where ? `${where}: ` : ''}${String(p.message)}${rule}`;
  });
}

/** The status to answer for an error; unexpected errors are logged and answered without their internals. */
export function toStatus(e: unknown, onInternal: (err: unknown) => void): GatewayStatus {
  if (e instanceof GatewayError) return { code: e.code, details: e.message };
  if (isAppError(e)) return { code: grpcCodeOf(e), details: boundedDetails(`${e.code}: ${e.message}`, problemLines(e.details)) };
  onInternal(e);
  return { code: status.INTERNAL, details: 'INTERNAL: the embedded engine failed unexpectedly; the service log has the details.' };
}
