/**
 * The worker contract: what a job handler sees and must answer, in the shape of `@camunda8/sdk` jobs,
 * so that one handler runs on the embedded engine and on Zeebe. Types only: workers import nothing
 * else from the engine.
 *
 * `write` lets a handler change case data together with the acknowledgement. On the embedded engine
 * the write and the step commit in one transaction; on Zeebe the write commits first and the
 * acknowledgement follows (delivery is at least once in both modes, so writes must be idempotent).
 */
import type { EntityManager } from 'typeorm';

export const JOB_ACTION_ACKNOWLEDGEMENT = 'JOB_ACTION_ACKNOWLEDGEMENT' as const;
/** The only value a handler can return: proof that it completed, failed or errored the job. */
export type JobActionAcknowledgement = typeof JOB_ACTION_ACKNOWLEDGEMENT;

export type JobVariables = Record<string, unknown>;
export type TransactionalWrite = (em: EntityManager) => Promise<void>;

export interface JobFailure {
  errorMessage: string;
  /** Retries left after this failure; the default is the job's retries minus one. 0 raises an incident. */
  retries?: number;
  /** Milliseconds before the job is handed out again. */
  retryBackOff?: number;
}

export interface JobError {
  /** The BPMN error code a boundary error event catches. */
  errorCode: string;
  errorMessage?: string;
  variables?: JobVariables;
  write?: TransactionalWrite;
}

export interface Job<V extends JobVariables = JobVariables, H extends Record<string, string> = Record<string, string>> {
  readonly key: string;
  readonly type: string;
  readonly processInstanceKey: string;
  readonly bpmnProcessId: string;
  readonly processDefinitionVersion: number;
  readonly processDefinitionKey: string;
  readonly elementId: string;
  readonly elementInstanceKey: string;
  readonly customHeaders: H;
  readonly worker: string;
  readonly retries: number;
  /** Lease end, epoch milliseconds. */
  readonly deadline: number;
  readonly variables: V;
  complete(variables?: JobVariables, write?: TransactionalWrite): Promise<JobActionAcknowledgement>;
  fail(failure: JobFailure): Promise<JobActionAcknowledgement>;
  fail(errorMessage: string, retries?: number): Promise<JobActionAcknowledgement>;
  error(error: JobError): Promise<JobActionAcknowledgement>;
  error(errorCode: string, errorMessage?: string): Promise<JobActionAcknowledgement>;
}

export type JobHandler<V extends JobVariables = JobVariables, H extends Record<string, string> = Record<string, string>> =
  (job: Job<V, H>) => Promise<JobActionAcknowledgement>;

export interface WorkerRegistration<V extends JobVariables = JobVariables, H extends Record<string, string> = Record<string, string>> {
  taskType: string;
  handler: JobHandler<V, H>;
  /** Lease length: after it the job may be handed to another worker. */
  timeoutMs: number;
  maxJobsToActivate?: number;
  /** Only these variables are fetched (the keys of the worker's input schema). */
  fetchVariables?: string[];
}
