/**
 * How an engine refuses a command: Zeebe's rejection kinds, not HTTP statuses. The engine (embedded
 * or Zeebe mode) says what kind of refusal it is and names the rule with a stable code
 * (TASK_NOT_FOUND, INVALID_TIME_TO_LIVE…); each protocol maps the kind once: the service's HTTP API
 * in src/http/middleware/errors.ts, the Zeebe gateway's gRPC and REST answers in gateway/status.ts,
 * and Zeebe mode maps what a cluster answers back to these kinds (zeebe/rejections.ts).
 */
export type RejectionKind =
  /** The thing named does not exist (or no longer does: completed jobs, ended element instances). */
  | 'NOT_FOUND'
  /** The command does not fit the state it finds: a completed task, an active incident, an ended instance. */
  | 'INVALID_STATE'
  /** The command itself is wrong, whatever the state: a bad duration, a name too long, a refused diagram. */
  | 'INVALID_ARGUMENT'
  /** What the command would create is there already. */
  | 'ALREADY_EXISTS'
  /** Too much at once: the caller should slow down and retry. */
  | 'RESOURCE_EXHAUSTED'
  /** A precondition outside the command's subject is not met (a process that starts only by message; deleting a version that still has running instances). */
  | 'FAILED_PRECONDITION'
  /** The engine behind the adapter (a Zeebe cluster) did not answer or answered with a fault. */
  | 'UNAVAILABLE';

export const REJECTION_KINDS: readonly RejectionKind[] = [
  'NOT_FOUND', 'INVALID_STATE', 'INVALID_ARGUMENT', 'ALREADY_EXISTS', 'RESOURCE_EXHAUSTED', 'FAILED_PRECONDITION', 'UNAVAILABLE',
];

export class EngineRejection extends Error {
  constructor(
    readonly kind: RejectionKind,
    /** The stable code of the rule that refused, e.g. `JOB_NOT_FOUND`; clients match on it. */
    readonly code: string,
    message: string,
    /** Structured detail, e.g. the problem list of a refused diagram. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'EngineRejection';
  }
}

export function isRejection(e: unknown, kind?: RejectionKind): e is EngineRejection {
  return e instanceof EngineRejection && (kind === undefined || e.kind === kind);
}

/** Shorthands, one per kind, so a throw reads as the rule it states. */
export const reject = {
  notFound: (code: string, message: string, details?: unknown) => new EngineRejection('NOT_FOUND', code, message, details),
  invalidState: (code: string, message: string, details?: unknown) => new EngineRejection('INVALID_STATE', code, message, details),
  invalidArgument: (code: string, message: string, details?: unknown) => new EngineRejection('INVALID_ARGUMENT', code, message, details),
  alreadyExists: (code: string, message: string, details?: unknown) => new EngineRejection('ALREADY_EXISTS', code, message, details),
  resourceExhausted: (code: string, message: string, details?: unknown) => new EngineRejection('RESOURCE_EXHAUSTED', code, message, details),
  failedPrecondition: (code: string, message: string, details?: unknown) => new EngineRejection('FAILED_PRECONDITION', code, message, details),
  unavailable: (code: string, message: string, details?: unknown) => new EngineRejection('UNAVAILABLE', code, message, details),
};
