/**
 * What the service asks of a workflow engine: the HTTP layer, case registration and the core use this
 * interface, so the same routes run on the embedded engine (src/engine/runtime/) and on a Zeebe
 * cluster (src/engine/zeebe/). The shapes are the port's own (port-types.ts): this module and that one
 * import nothing from either engine, and both engines answer in them. Refusals are EngineRejections
 * (rejection.ts) of Zeebe's kinds, never HTTP statuses.
 *
 * Commands take the caller's EntityManager. On the embedded engine the step then commits with the
 * caller's writes; on Zeebe the cluster call happens inside the caller's transaction but is not part
 * of it (see src/engine/zeebe/engine.ts for what that means for each command).
 */
import type { EntityManager } from 'typeorm';
import type {
  CreateInstanceRequest, CreatedInstance, DeployResource, DeploymentResult, EngineCounts, IncidentQuery, IncidentView, InstanceQuery, InstanceSummary, InstanceView,
  PublishMessageRequest, PublishedMessage, TaskQuery, TaskReassignment, UserTaskView, Vars, VersionInstanceCount,
} from './port-types';

export type {
  CreateInstanceRequest, CreatedInstance, DeployResource, DeployedForm, DeployedProcess, DeploymentResult, ElementHistoryEntry, EngineCounts, IncidentQuery, IncidentView,
  InstanceQuery, InstanceState, InstanceSummary, InstanceView, PublishMessageRequest, PublishedMessage, ResourceProblem, TaskQuery, TaskReassignment, UserTaskView, Vars,
  VersionInstanceCount,
} from './port-types';

export interface WorkflowEngine {
  /** Deploys diagrams and forms; unchanged resources keep their version. */
  deploy(resources: DeployResource[], deployedBy: string, em?: EntityManager): Promise<DeploymentResult>;
  /** Starts an instance; a second start with the same business key answers the first (`created: false`). */
  createInstance(req: CreateInstanceRequest, em?: EntityManager): Promise<CreatedInstance>;
  cancelInstance(key: string, em?: EntityManager): Promise<void>;
  getInstance(key: string): Promise<InstanceView>;
  /** Instances by process, version, business key, case (its recorded instances) and state; newest first, keyset paged. */
  searchInstances(q?: InstanceQuery): Promise<InstanceSummary[]>;
  /** How many instances each deployed version of a process has, and how many still run; newest version first. */
  countInstancesByVersion(bpmnProcessId: string): Promise<VersionInstanceCount[]>;
  publishMessage(req: PublishMessageRequest, em?: EntityManager): Promise<PublishedMessage>;

  /**
   * Writes variables into a running element instance's scope (`local`), or each to the nearest scope
   * holding it, else the process instance (Zeebe's SetVariables).
   */
  setVariables(key: string, variables: Vars, opts?: { local?: boolean; em?: EntityManager }): Promise<void>;

  listIncidents(opts?: IncidentQuery): Promise<IncidentView[]>;
  resolveIncident(key: string): Promise<void>;
  /** Open incidents and timers due but not fired, for the metrics scrape. */
  counts(now: number): Promise<EngineCounts>;

  getTask(key: string): Promise<UserTaskView & { variables: Vars }>;
  /**
   * Task search, ordered by key and keyset paged (`after`). With `em`, read in the caller's
   * transaction (a check before a change made in it).
   */
  searchTasks(q?: TaskQuery, em?: EntityManager): Promise<UserTaskView[]>;
  /** The same as searchTasks without a transaction: the inbox's name for it. */
  listTasks(q?: TaskQuery): Promise<UserTaskView[]>;
  claimTask(key: string, username: string, em?: EntityManager): Promise<UserTaskView>;
  unclaimTask(key: string, em?: EntityManager): Promise<UserTaskView>;
  assignTask(key: string, assignee: string | null, em?: EntityManager): Promise<UserTaskView>;
  /** Sets an open task's priority (0 to 100, Zeebe's range), under the engine's lock on the task. */
  setTaskPriority(key: string, priority: number, em?: EntityManager): Promise<UserTaskView>;
  /** Gives an open task a new offer: its assignee and candidate groups (and users) at once. */
  reassignTask(key: string, to: TaskReassignment, em?: EntityManager): Promise<UserTaskView>;
  /** Completes a user task; who may do so is the caller's check (`canComplete`). */
  completeTask(key: string, variables: Vars | undefined, user: string | null, em?: EntityManager): Promise<void>;
}

/** The job workers of one engine: started with the service, stopped before the database closes. */
export interface JobWorkers {
  start(): void;
  /** Stops taking jobs and waits for the handlers that are running. */
  stop(): Promise<void>;
}
