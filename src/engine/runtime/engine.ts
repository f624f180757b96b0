/**
 * The embedded engine: Zeebe-compatible process execution on the service's own database. This is its
 * facade: it owns the state the parts share (the executables cache, the job streams, the timer poller)
 * and runs steps; the work is in
 *   commands/  — deploy and instances, messages, jobs, user tasks, incidents: each change one step;
 *   queries/   — instances, user tasks (through the shared task search), incidents and counts;
 *   scheduling/ — the timer poller and the job streams of in-process workers.
 * Each command that moves tokens is one step in one transaction (see step.ts); commands that accept an
 * EntityManager run inside the caller's transaction instead, so a worker's writes and the step commit
 * together. Keys are database integers exposed as strings.
 */
import { EventEmitter } from 'node:events';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../clock/clock';
import { ExecutableProcess } from '../model/types';
import type { WorkflowEngine } from '../port';
import type { InstanceRepair, VersionElements } from '../repair-port';
import type {
  CreateInstanceRequest, CreatedInstance, DeployResource, DeploymentResult, EngineCounts, IncidentQuery, IncidentView, InstanceQuery, InstanceSummary, InstanceView,
  PublishMessageRequest, PublishedMessage, TaskQuery, TaskReassignment, UserTaskView, Vars, VersionInstanceCount,
} from '../port-types';
import * as instanceCommands from './commands/instances';
import * as incidentCommands from './commands/incidents';
import * as jobCommands from './commands/jobs';
import * as messageCommands from './commands/messages';
import * as signalCommands from './commands/signals';
import type { DeclaredSignal, SignalWaiter } from '../signal-port';
import * as deleteCommands from './commands/delete-resource';
import * as migrationCommands from './commands/migrate-instances';
import * as modifyCommands from './commands/modify-instance';
import * as taskCommands from './commands/tasks';
import type { EngineContext, EngineLogger } from './context';
import { DefinitionInfo, DefinitionSource, DeployedDefinitions } from './definitions';
import { KeyBlocks } from './keys';
import * as incidentQueries from './queries/incidents';
import * as signalQueries from './queries/signals';
import * as instanceQueries from './queries/instances';
import * as taskQueries from './queries/tasks';
import { JobStreams } from './scheduling/job-streams';
import { TimerPoller } from './scheduling/timer-poller';
import { ActivatedJob, JobStream, Step, StepHost } from './step';
import { serialTransaction } from './tx';

export interface EngineOptions {
  /** Where deployed processes come from; the deployment tables by default. */
  definitions?: DefinitionSource;
  /** How often the timer poller looks for due timers when nothing woke it earlier. */
  timerPollMs?: number;
  logger?: EngineLogger;
}

export { parseTimeToLive } from './checks';
export { canComplete } from '../task-permission';
export type { ActivatedJob, JobStream } from './step';
// The port's shapes, for code that used to find them here (benchmarks, tests).
export type {
  CreateInstanceRequest, CreatedInstance, ElementHistoryEntry, IncidentView, InstanceView, PublishMessageRequest, PublishedMessage, TaskQuery, UserTaskView,
} from '../port-types';

type JobAnswerOptions = { em?: EntityManager; write?: (em: EntityManager) => Promise<void>; job?: ActivatedJob };

/** Implements the port as it is: this fails to compile if the two drift apart. */
export class EmbeddedEngine implements WorkflowEngine, InstanceRepair {
  /** 'jobs' (type) after a commit created jobs of that type; 'timer' (dueAt) after one scheduled a timer. */
  readonly events = new EventEmitter();
  private readonly executables = new Map<string, ExecutableProcess>();
  private readonly definitions: DefinitionSource;
  private readonly streams = new JobStreams();
  private readonly keys: KeyBlocks | null;
  private readonly poller: TimerPoller;
  private readonly ctx: EngineContext;

  constructor(readonly ds: DataSource, readonly clock: Clock, readonly opts: EngineOptions = {}) {
    this.events.setMaxListeners(100);
    this.definitions = opts.definitions ?? new DeployedDefinitions();
    this.keys = KeyBlocks.forDataSource(ds);
    const keys = this.keys;
    const host: StepHost = {
      definitions: this.definitions,
      nextElementKey: keys ? () => keys.take() : undefined,
      executable: (em, key) => this.executable(em, key),
      reserveJobStream: (type, lender) => this.streams.reserve(type, lender),
    };
    this.ctx = {
      ds, clock, definitions: this.definitions, host, logger: opts.logger,
      step: (em, work) => this.step(em, work),
      executable: (em, key) => this.executable(em, key),
    };
    this.poller = new TimerPoller(this.ctx, opts.timerPollMs ?? 1000);
  }

  async executable(em: EntityManager, definitionKey: string): Promise<ExecutableProcess> {
    let p = this.executables.get(definitionKey);
    if (!p) {
      p = await this.definitions.executable(em, definitionKey);
      this.executables.set(definitionKey, p);
    }
    return p;
  }

  /** Runs one step: in the caller's transaction when `em` is given, else in its own. */
  private async step<T>(em: EntityManager | undefined, work: (step: Step) => Promise<T>): Promise<T> {
    const attempts: Step[] = [];
    const body = async (tx: EntityManager) => {
      const step = new Step(this.ctx.host, tx, this.clock.now().getTime(), !em);
      attempts.push(step);
      const result = await work(step);
      await step.drain();
      await step.flush();
      return result;
    };
    let result: T;
    try {
      result = em ? await body(em) : await serialTransaction(this.ds, body);
    } catch (e) {
      for (const a of attempts) for (const p of a.pushed) p.stream.release();
      throw e;
    }
    // Earlier attempts were rolled back (deadlock retries): their reserved slots go back.
    for (const a of attempts.slice(0, -1)) for (const p of a.pushed) p.stream.release();
    this.afterCommit(attempts[attempts.length - 1]);
    return result;
  }

  private afterCommit(step: Step): void {
    for (const p of step.pushed) p.stream.push(p.job);
    for (const t of step.jobTypes) this.events.emit('jobs', t);
    if (step.earliestTimer !== null) {
      this.events.emit('timer', step.earliestTimer);
      this.poller.wakeAt(step.earliestTimer);
    }
  }

  /**
   * Lets an in-process worker take jobs of a type as steps create them (see JobStream). Answers the
   * function that closes the stream.
   */
  openJobStream(type: string, stream: JobStream): () => void {
    return this.streams.open(type, stream);
  }

  // ---------------------------------------------------------------- deployment and instances

  /** Deploys diagrams and forms and opens the start events of each new version, in one transaction (the caller's, when given). */
  deploy(resources: DeployResource[], deployedBy: string, em?: EntityManager): Promise<DeploymentResult> {
    return instanceCommands.deploy(this.ctx, resources, deployedBy, em);
  }

  /** Opens the message and timer start events of a newly deployed version and closes those of the one it replaces. */
  registerStartEvents(definitionKey: string, em?: EntityManager): Promise<void> {
    return instanceCommands.registerStartEvents(this.ctx, definitionKey, em);
  }

  createInstance(req: CreateInstanceRequest, em?: EntityManager): Promise<CreatedInstance> {
    return instanceCommands.createInstance(this.ctx, req, em);
  }

  cancelInstance(key: string, em?: EntityManager): Promise<void> {
    return instanceCommands.cancelInstance(this.ctx, key, em);
  }

  /** Writes variables into a running scope, as Zeebe's SetVariables does (see commands/instances.ts). */
  setVariables(key: string, variables: Vars, opts: { local?: boolean; em?: EntityManager } = {}): Promise<void> {
    return instanceCommands.setVariables(this.ctx, key, variables, opts);
  }

  /** Activates and terminates elements of a running instance, atomically (commands/modify-instance.ts). */
  modifyInstance(key: string, req: modifyCommands.ModifyInstanceRequest, em?: EntityManager): Promise<modifyCommands.ModificationResult> {
    return modifyCommands.modifyInstance(this.ctx, key, req, em);
  }

  /** Moves one running instance to another version (commands/migrate-instances.ts). */
  migrateInstance(key: string, plan: migrationCommands.MigrationPlan, em?: EntityManager): Promise<void> {
    return migrationCommands.migrateInstance(this.ctx, key, plan, em);
  }

  /** What moving a version's running instances with a plan would touch; changes nothing. */
  previewMigration(plan: migrationCommands.BatchMigrationPlan): Promise<migrationCommands.MigrationPreview> {
    return migrationCommands.previewMigration(this.ctx, plan);
  }

  /** Moves every running instance of a version in batches and reports each one it could not move. */
  migrateAll(plan: migrationCommands.BatchMigrationPlan, opts?: Parameters<typeof migrationCommands.migrateAll>[2]): Promise<migrationCommands.MigrationReport> {
    return migrationCommands.migrateAll(this.ctx, plan, opts);
  }

  /** A deployed version's elements and which of them a modification may activate. */
  async versionElements(which: { definitionKey: string } | { bpmnProcessId: string; version: number }): Promise<VersionElements | null> {
    const em = this.ds.manager;
    const def = 'definitionKey' in which
      ? (/^\d{1,15}$/.test(which.definitionKey) ? await this.definitions.get(em, which.definitionKey) : null)
      : await this.definitions.byVersion(em, which.bpmnProcessId, which.version);
    return def ? modifyCommands.elementsOf(def, await this.executable(em, def.definitionKey)) : null;
  }

  getInstance(key: string): Promise<InstanceView> {
    return instanceQueries.getInstance(this.ctx, key);
  }

  searchInstances(q: InstanceQuery = {}): Promise<InstanceSummary[]> {
    return instanceQueries.searchInstances(this.ctx, q);
  }

  countInstancesByVersion(bpmnProcessId: string): Promise<VersionInstanceCount[]> {
    return instanceQueries.countInstancesByVersion(this.ctx, bpmnProcessId);
  }

  // ---------------------------------------------------------------- jobs

  activateJobs(req: { type: string; worker: string; maxJobs: number; timeoutMs: number; fetchVariables?: string[] }): Promise<ActivatedJob[]> {
    return jobCommands.activateJobs(this.ctx, req);
  }

  /**
   * Completes a job and runs the process on until it waits. `write` runs first in the same transaction
   * (a worker's own changes); with `em`, everything runs in the caller's transaction.
   */
  completeJob(key: string, variables?: Vars, opts: JobAnswerOptions = {}): Promise<void> {
    return jobCommands.completeJob(this.ctx, key, variables, opts);
  }

  failJob(key: string, req: { errorMessage?: string; retries: number; retryBackOff?: number }, em?: EntityManager): Promise<void> {
    return jobCommands.failJob(this.ctx, key, req, em);
  }

  /** A BPMN error from a job: caught by the nearest matching boundary error event, else an incident. */
  throwError(key: string, req: { errorCode: string; errorMessage?: string; variables?: Vars }, opts: JobAnswerOptions = {}): Promise<void> {
    return jobCommands.throwError(this.ctx, key, req, opts);
  }

  updateJobRetries(key: string, retries: number): Promise<void> {
    return jobCommands.updateJobRetries(this.ctx, key, retries);
  }

  /** Sets an activated job's lease to end `timeoutMs` from now (Zeebe's UpdateJobTimeout). */
  updateJobTimeout(key: string, timeoutMs: number): Promise<void> {
    return jobCommands.updateJobTimeout(this.ctx, key, timeoutMs);
  }

  // ---------------------------------------------------------------- incidents

  listIncidents(opts: IncidentQuery = {}): Promise<IncidentView[]> {
    return incidentQueries.listIncidents(this.ctx, opts);
  }

  /** Resolves an incident and retries what failed (see commands/incidents.ts). */
  resolveIncident(key: string): Promise<void> {
    return incidentCommands.resolveIncident(this.ctx, key);
  }

  counts(now: number): Promise<EngineCounts> {
    return incidentQueries.engineCounts(this.ctx, now);
  }

  // ---------------------------------------------------------------- user tasks

  getTask(key: string): Promise<UserTaskView & { variables: Vars }> {
    return taskQueries.getTask(this.ctx, key);
  }

  searchTasks(q: TaskQuery = {}, em?: EntityManager): Promise<UserTaskView[]> {
    return taskQueries.searchTasks(this.ctx, q, em);
  }

  listTasks(q: TaskQuery = {}): Promise<UserTaskView[]> {
    return taskQueries.searchTasks(this.ctx, q);
  }

  claimTask(key: string, username: string, em?: EntityManager): Promise<UserTaskView> {
    return taskCommands.claimTask(this.ctx, key, username, em);
  }

  unclaimTask(key: string, em?: EntityManager): Promise<UserTaskView> {
    return taskCommands.assignTask(this.ctx, key, null, em);
  }

  assignTask(key: string, assignee: string | null, em?: EntityManager): Promise<UserTaskView> {
    return taskCommands.assignTask(this.ctx, key, assignee, em);
  }

  setTaskPriority(key: string, priority: number, em?: EntityManager): Promise<UserTaskView> {
    return taskCommands.setTaskPriority(this.ctx, key, priority, em);
  }

  reassignTask(key: string, to: TaskReassignment, em?: EntityManager): Promise<UserTaskView> {
    return taskCommands.reassignTask(this.ctx, key, to, em);
  }

  /** Completes a user task; who may do so is the caller's check (see `canComplete`). */
  completeTask(key: string, variables: Vars | undefined, user: string | null, em?: EntityManager): Promise<void> {
    return taskCommands.completeTask(this.ctx, key, variables, user, em);
  }

  // ---------------------------------------------------------------- messages and timers

  /** Publishes a message (see commands/messages.ts). */
  publishMessage(req: PublishMessageRequest, em?: EntityManager): Promise<PublishedMessage> {
    return messageCommands.publishMessage(this.ctx, req, em);
  }

  /** Broadcasts a signal to every waiting signal catch and signal start event of its name (commands/signals.ts). */
  broadcastSignal(req: signalCommands.BroadcastSignalRequest, em?: EntityManager): Promise<signalCommands.BroadcastSignalResult> {
    return signalCommands.broadcastSignal(this.ctx, req, em);
  }

  /** The signals the deployed diagrams catch, and the catches waiting for one now (queries/signals.ts). */
  declaredSignals(em?: EntityManager): Promise<DeclaredSignal[]> { return signalQueries.declaredSignals(this.ctx, em); }
  signalWaiters(signalName: string, em?: EntityManager): Promise<SignalWaiter[]> { return signalQueries.signalWaiters(this.ctx, signalName, em); }

  /** Deletes a process version with no running instance, or a form version (commands/delete-resource.ts). */
  deleteResource(resourceKey: string, em?: EntityManager): Promise<deleteCommands.DeletedResource> {
    return deleteCommands.deleteResource(this.ctx, resourceKey, em);
  }

  /** Fires every due timer, each in its own transaction, and drops expired messages. Answers how many fired. */
  tick(): Promise<number> {
    return this.poller.tick();
  }

  /** Starts the timer poller: due timers fire within `timerPollMs`, sooner when a step scheduled one. */
  start(): void {
    this.poller.start();
  }

  async stop(): Promise<void> {
    await this.poller.stop();
    await this.keys?.close();
  }
}

export type { DefinitionInfo, DefinitionSource };
