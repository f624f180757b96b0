/**
 * Errors of the gateways as gRPC statuses and REST problems. The engine refuses with Zeebe's
 * rejection kinds (src/engine/rejection.ts); each kind has the gRPC code a Zeebe gateway answers for
 * it (NOT_FOUND → NOT_FOUND, INVALID_ARGUMENT → INVALID_ARGUMENT, INVALID_STATE →
 * FAILED_PRECONDITION, ALREADY_EXISTS → ALREADY_EXISTS) and the HTTP status of Camunda's REST API.
 * The message keeps our stable code at the front so a log line names the rule.
 */
import { status, type StatusObject } from '@grpc/grpc-js';
import { isRejection, type EngineRejection, type RejectionKind } from '../rejection';

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

/** The gRPC code of each rejection kind, as Zeebe's gateway maps its rejection types. */
export const GRPC_CODE_OF_KIND: Record<RejectionKind, status> = {
  NOT_FOUND: status.NOT_FOUND,
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  INVALID_STATE: status.FAILED_PRECONDITION,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: status.UNAVAILABLE,
};

/** The HTTP status of each rejection kind in Camunda's Orchestration Cluster REST API (problem answers). */
export const REST_STATUS_OF_KIND: Record<RejectionKind, number> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  INVALID_STATE: 409,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 409,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
};

/**
 * Zeebe forgets ended instances, so commands on them answer NOT_FOUND there; the engine keeps them
 * and says why (INVALID_STATE). The answer follows Zeebe, the message keeps the engine's reason.
 */
const NOT_FOUND_CODES = new Set(['PROCESS_INSTANCE_NOT_ACTIVE']);

export function grpcCodeOf(e: EngineRejection): status {
  if (NOT_FOUND_CODES.has(e.code)) return status.NOT_FOUND;
  return GRPC_CODE_OF_KIND[e.kind];
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
  if (isRejection(e)) return { code: grpcCodeOf(e), details: boundedDetails(`${e.code}: ${e.message}`, problemLines(e.details)) };
  onInternal(e);
  return { code: status.INTERNAL, details: 'INTERNAL: the embedded engine failed unexpectedly; the service log has the details.' };
}
