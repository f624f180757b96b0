/**
 * One workflow step: moves tokens from a trigger (a started instance, a completed job or user task, a
 * correlated message, a fired timer, a thrown error) until every path waits, writing every change
 * through the step's storage, so the whole step commits or rolls back as one transaction. Nothing of
 * an instance is kept in memory between steps; the storage's caches live for one step.
 *
 * The BPMN logic is in interpreter/ (one module per concern), the SQL and the write buffers in
 * storage/ (SQLite, batched MySQL), job push in job-push.ts; this class ties them together for one
 * step and is what the engine's commands call.
 */
import { EntityManager } from 'typeorm';
import type { ExecutableProcess, FlowElement } from '../model/types';
import type { DefinitionInfo } from './definitions';
import { ActivatedJob, JobContext, JobPush, JobStream, ReserveJobStream, noteJobContext } from './job-push';
import { emIsMysql } from './tx';
import { StepContext, element, proc } from './interpreter/context';
import { run } from './interpreter/activation';
import { raiseIncident, throwError } from './interpreter/errors';
import { consumeSubscription, correlateBuffered, drain, triggerEvent } from './interpreter/events';
import { complete } from './interpreter/flow';
import { claimStartKey } from './interpreter/message-start';
import { StartOptions, startInstance, terminate, terminateProcess } from './interpreter/scopes';
import { chain, context, propagate } from './interpreter/variables';
import { MysqlStepState } from './storage/mysql-state';
import type { StorageHost } from './storage/sql-state';
import { SqliteStepState } from './storage/sqlite-state';
import type { EI, MessageRow, PI, SeedRows, StepState, SubRow } from './storage/step-state';
import type { Vars } from '../port-types';

export { IncidentError } from './interpreter/errors';
export { jobContexts } from './job-push';
export type { ActivatedJob, JobContext, JobStream } from './job-push';
export type { EI, EiRow, MessageRow, PI, PiRow, SubRow, VarRow } from './storage/step-state';
export type { Vars };

export interface StepHost extends StorageHost {
  /** A job stream of this type with a slot reserved, if any. */
  reserveJobStream?: ReserveJobStream;
}

export class Step implements StepContext {
  readonly jobTypes = new Set<string>();
  earliestTimer: number | null = null;
  readonly pending: Array<() => Promise<void>> = [];
  readonly state: StepState;
  readonly jobs: JobPush;

  /** `allowPush`: only a step that commits itself may push jobs (a caller's transaction may still roll back). */
  constructor(readonly host: StepHost, readonly em: EntityManager, readonly now: number, allowPush = false) {
    this.state = emIsMysql(em) ? new MysqlStepState(host, em, now) : new SqliteStepState(host, em, now);
    this.jobs = new JobPush(host.reserveJobStream, allowPush);
  }

  /** The activated job this step answers, when its worker handed it in (see JobStream.reserve). */
  get lender(): ActivatedJob | undefined { return this.jobs.lender; }
  set lender(job: ActivatedJob | undefined) { this.jobs.lender = job; }

  /** Jobs to hand to in-process streams once the step has committed. */
  get pushed(): Array<{ stream: JobStream; job: ActivatedJob }> { return this.jobs.pushed; }

  noteTimer(dueAt: number): void {
    if (this.earliestTimer === null || dueAt < this.earliestTimer) this.earliestTimer = dueAt;
  }

  // ---------------------------------------------------------------- loading and locking

  /** Serialises steps of one process-instance tree: the root instance's row is the lock. */
  lockRoot(rootId: number): Promise<boolean> { return this.state.lockRoot(rootId); }
  ei(id: number): Promise<EI | null> { return this.state.ei(id); }
  mustEi(id: number): Promise<EI> { return this.state.mustEi(id); }
  pi(id: number): Promise<PI | null> { return this.state.pi(id); }
  mustPi(id: number): Promise<PI> { return this.state.mustPi(id); }

  /**
   * Puts rows the caller read along with its lock (see EmbeddedEngine.lockedJob) into the step's
   * caches, so that the step does not read them again.
   */
  seed(rows: SeedRows): void { this.state.seed(rows); }

  /** Puts what a step knew when it handed out a job (see JobContext) into the step's caches. */
  seedContext(ctx: JobContext): void { this.state.seedActive([ctx.ei, ctx.scope], ctx.pi); }

  /** Keeps the job's context beside an activated job (see JobContext). */
  noteJobContext(job: ActivatedJob, ei: EI, pi: PI): Promise<void> {
    return noteJobContext(job, ei, pi, (id) => this.state.mustEi(id));
  }

  /**
   * Loads element instances, their enclosing scopes and the variables of all of them with a few IN
   * queries, so that a step or a batch of activated jobs does not read them one by one.
   */
  preload(eiIds: number[]): Promise<void> { return this.state.preload(eiIds); }

  proc(pi: PI): Promise<ExecutableProcess> { return proc(this, pi); }
  element(pi: PI, elementId: string): Promise<FlowElement> { return element(this, pi, elementId); }

  // ---------------------------------------------------------------- variables

  localVars(scopeId: number): Promise<Map<string, unknown>> { return this.state.localVars(scopeId); }
  /** The element instance and its enclosing scopes up to the process instance, innermost first. */
  chain(ei: EI): Promise<EI[]> { return chain(this, ei); }
  /** Every variable visible from the element instance; inner scopes shadow outer ones. */
  context(ei: EI): Promise<Vars> { return context(this, ei); }
  setLocal(scope: EI, vars: Vars): Promise<void> { return this.state.setLocal(scope, vars); }
  /** Zeebe's variable propagation (interpreter/variables.ts). */
  propagate(from: EI, vars: Vars): Promise<void> { return propagate(this, from, vars); }

  // ---------------------------------------------------------------- the interpreter's entry points

  insertEi(piId: number | null, elementId: string, scopeId: number | null, kind: string): Promise<EI> {
    return this.state.insertEi(piId, elementId, scopeId, kind);
  }

  /** Writes what the storage still holds back; the step calls it before it commits. */
  flush(): Promise<void> { return this.state.flush(); }

  /**
   * Creates a process instance and runs it from `startId` until it waits. `startKey`: the correlation
   * key of the message that started it, claimed beforehand with claimStartKey and held from here on.
   */
  startInstance(def: DefinitionInfo, startId: string, variables: Vars, opts: StartOptions = {}): Promise<PI> {
    return startInstance(this, def, startId, variables, opts);
  }

  /** Claims a message start's correlation key for the instance about to start (interpreter/message-start.ts). */
  claimStartKey(bpmnProcessId: string, key: string): Promise<boolean> { return claimStartKey(this, bpmnProcessId, key); }

  /** Executes an element instance that was just created (or again, when its incident is resolved). */
  run(pi: PI, ei: EI, el: FlowElement): Promise<void> { return run(this, pi, ei, el); }

  /** Completes an element instance with the variables its trigger brought (interpreter/flow.ts). */
  complete(pi: PI, ei: EI, el: FlowElement, vars: Vars | undefined): Promise<void> { return complete(this, pi, ei, el, vars); }

  triggerEvent(owner: EI, eventId: string, vars: Vars | undefined, interrupting: boolean): Promise<void> {
    return triggerEvent(this, owner, eventId, vars, interrupting);
  }

  correlateBuffered(subId: number, msg: MessageRow): Promise<void> { return correlateBuffered(this, subId, msg); }

  /** Correlates a message to an instance's subscription; false when the subscription is gone. */
  consumeSubscription(sub: SubRow, vars: Vars): Promise<boolean> { return consumeSubscription(this, sub, vars); }

  /** Runs work deferred until the current element finished activating (buffered messages). */
  drain(): Promise<void> { return drain(this); }

  /** Throws a BPMN error from an element instance; false when nothing catches it (interpreter/errors.ts). */
  throwError(from: EI, code: string, vars: Vars): Promise<boolean> { return throwError(this, from, code, vars); }

  /** Ends an active element instance and everything under it. */
  terminate(ei: EI): Promise<void> { return terminate(this, ei); }

  /** Ends a process instance and everything in it (cancel, or its call activity was interrupted). */
  terminateProcess(pi: PI, state: 'canceled' | 'terminated'): Promise<void> { return terminateProcess(this, pi, state); }

  raiseIncident(pi: PI, ei: EI, type: string, message: string, phase: 'activate' | 'complete' | 'job', jobId: number | null): Promise<void> {
    return raiseIncident(this, pi, ei, type, message, phase, jobId);
  }
}
