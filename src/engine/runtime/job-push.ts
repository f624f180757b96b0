/**
 * Job push: a step hands the jobs it creates straight to in-process workers (like Zeebe's job push),
 * stored already activated with their lease, saving the worker an activation round. A worker takes a
 * slot when the step creates the job and gets the job after the commit; a rolled-back step gives the
 * slot back. A worker answering a job may lend that job's slot to the job its answer creates
 * (worker-runtime.ts), so a chain of service tasks keeps moving at the concurrency limit.
 */
import type { Vars } from '../port-types';
import type { EI, PI } from './storage/step-state';

export interface ActivatedJob {
  key: string;
  type: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  processDefinitionVersion: number;
  processDefinitionKey: string;
  elementId: string;
  elementInstanceKey: string;
  customHeaders: Record<string, string>;
  worker: string;
  retries: number;
  /** Lease end, epoch milliseconds. */
  deadline: number;
  variables: Vars;
}

/**
 * An in-process worker that takes jobs as the step creates them: the job is stored already
 * activated, with its lease, and handed over after the commit, saving an activation.
 */
export interface JobStream {
  worker: string;
  timeoutMs: number;
  fetchVariables?: string[];
  /**
   * Takes one slot; false when the worker is at its concurrency limit. `lender`: the job this step
   * answers; a worker may give the job it pushes that job's slot (worker-runtime.ts).
   */
  reserve(lender?: ActivatedJob): boolean;
  /** Gives a slot back (the step rolled back). */
  release(): void;
  /** Hands over a committed job for a reserved slot. */
  push(job: ActivatedJob): void;
}

/** Finds a stream of a job type with a slot reserved, if any. */
export type ReserveJobStream = (type: string, lender?: ActivatedJob) => JobStream | undefined;

/**
 * What a step knew of an activated job's element instance, its flow scope and its process instance
 * when it handed the job out. None of these fields changes while the job exists: a job is deleted
 * when its element instance ends, and a scope or process instance cannot end while an element in it
 * is active. A step answering the job (EmbeddedEngine.lockedJob) then reads the job and the
 * variables, not these rows. Kept beside the job object, not in it, so the job stays Zeebe's shape.
 */
export interface JobContext {
  ei: EI;
  scope: EI | null;
  pi: PI;
}

export const jobContexts = new WeakMap<ActivatedJob, JobContext>();

/** Keeps the job's context beside an activated job (see JobContext). */
export async function noteJobContext(job: ActivatedJob, ei: EI, pi: PI, mustEi: (id: number) => Promise<EI>): Promise<void> {
  const scope = ei.scopeId === null ? null : await mustEi(ei.scopeId);
  jobContexts.set(job, { ei: { ...ei }, scope: scope && { ...scope }, pi: { ...pi } });
}

/** The jobs one step pushes: reserved while it runs, handed over after its commit. */
export class JobPush {
  /** The activated job this step answers, when its worker handed it in (see JobStream.reserve). */
  lender: ActivatedJob | undefined;
  /** Jobs to hand to in-process streams once the step has committed. */
  readonly pushed: Array<{ stream: JobStream; job: ActivatedJob }> = [];

  /** `allowed`: only a step that commits itself may push jobs (a caller's transaction may still roll back). */
  constructor(private readonly reserveStream: ReserveJobStream | undefined, private readonly allowed: boolean) {}

  /** A stream of this type with a slot reserved for the step's new job, if pushing is allowed and one has room. */
  reserve(type: string): JobStream | undefined {
    return this.allowed ? this.reserveStream?.(type, this.lender) : undefined;
  }

  add(stream: JobStream, job: ActivatedJob): void {
    this.pushed.push({ stream, job });
  }
}
