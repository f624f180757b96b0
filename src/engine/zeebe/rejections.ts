/**
 * What a Zeebe cluster answers, as the engine's rejection kinds: the inverse of the gateway's mapping
 * (src/engine/gateway/status.ts), so a refusal reads the same whichever engine runs. Zeebe's gateway
 * answers its INVALID_STATE rejections with FAILED_PRECONDITION, so that comes back as INVALID_STATE.
 */
import { EngineRejection, type RejectionKind } from '../rejection';

/** gRPC status codes (@grpc/grpc-js `status`), spelled out so this module needs no gRPC import. */
export const Grpc = {
  INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9, UNAVAILABLE: 14,
} as const;

const GRPC_KINDS: Record<number, RejectionKind> = {
  [Grpc.INVALID_ARGUMENT]: 'INVALID_ARGUMENT',
  [Grpc.NOT_FOUND]: 'NOT_FOUND',
  [Grpc.ALREADY_EXISTS]: 'ALREADY_EXISTS',
  [Grpc.RESOURCE_EXHAUSTED]: 'RESOURCE_EXHAUSTED',
  [Grpc.FAILED_PRECONDITION]: 'INVALID_STATE',
  [Grpc.UNAVAILABLE]: 'UNAVAILABLE',
  [Grpc.DEADLINE_EXCEEDED]: 'UNAVAILABLE',
};

export function grpcCode(e: unknown): number | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'number' ? c : undefined;
}

export function grpcDetail(e: unknown): string {
  const err = e as { details?: string; message?: string };
  return err.details ?? err.message ?? String(e);
}

/** The rejection kind of a gRPC error from Zeebe; undefined for anything else (a bug, a lost connection object…). */
export function kindOfGrpc(e: unknown): RejectionKind | undefined {
  const c = grpcCode(e);
  return c === undefined ? undefined : GRPC_KINDS[c];
}

/**
 * A gRPC refusal of Zeebe as a rejection with the stable code the caller gives for each kind it
 * expects (`codes`), else ZEEBE_REJECTED with Zeebe's own text; errors that are no gRPC refusal are
 * answered as they are.
 */
export function fromGrpc(e: unknown, codes: Partial<Record<RejectionKind, string>> = {}, message?: Partial<Record<RejectionKind, string>>): Error {
  const kind = kindOfGrpc(e);
  if (!kind) return e instanceof Error ? e : new Error(String(e));
  const code = codes[kind] ?? (kind === 'UNAVAILABLE' ? 'ZEEBE_UNAVAILABLE' : 'ZEEBE_REJECTED');
  return new EngineRejection(kind, code, message?.[kind] ?? grpcDetail(e));
}

/** The rejection kind of an HTTP status of the Orchestration Cluster REST API (Camunda's problem answers). */
export function kindOfRestStatus(status: number): RejectionKind {
  if (status === 400) return 'INVALID_ARGUMENT';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'INVALID_STATE';
  if (status === 429) return 'RESOURCE_EXHAUSTED';
  return 'UNAVAILABLE';
}
