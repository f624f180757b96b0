/**
 * What the service asks of a workflow engine: the HTTP layer, case registration and the core use this
 * interface, so the same routes run on the embedded engine (src/engine/runtime/) and on a Zeebe
 * cluster (src/engine/zeebe/). Shapes are the embedded engine's; the Zeebe adapter answers in them.
 *
 * Commands take the caller's EntityManager. On the embedded engine the step then commits with the
 * caller's writes; on Zeebe the cluster call happens inside the caller's transaction but is not part
 * of it (see src/engine/zeebe/engine.ts for what that means for each command).
 */
import type { EntityManager } from 'typeorm';
import type { DeployResource, DeploymentResult } from './deploy/definitions';
import type {
  CreateInstanceRequest, CreatedInstance, EmbeddedEngine, IncidentView, InstanceView, PublishMessageRequest, PublishedMessage, TaskQuery, UserTaskView,
} from './runtime/engine';
import type { Vars } from './runtime/step';

export type {
  CreateInstanceRequest, CreatedInstance, ElementHistoryEntry, IncidentView, InstanceView, PublishMessageRequest, PublishedMessage, TaskQuery, UserTaskView,
} from './runtime/engine';
export type { DeployResource, DeploymentResult } from './deploy/definitions';

export interface WorkflowEngine {
  /** Deploys diagrams and forms; unchanged resources keep their version. */
  deploy(resources: DeployResource[], deployedBy: string, em?: EntityManager): Promise<DeploymentResult>;
  /** Starts an instance; a second start with the same business key answers the first (`created: false`). */
  createInstance(req: CreateInstanceRequest, em?: EntityManager): Promise<CreatedInstance>;
  cancelInstance(key: string, em?: EntityManager): Promise<void>;
  getInstance(key: string): Promise<InstanceView>;
  publishMessage(req: PublishMessageRequest, em?: EntityManager): Promise<PublishedMessage>;

  /**
   * Writes variables into a running element instance's scope (`local`), or each to the nearest scope
   * holding it, else the process instance (Zeebe's SetVariables).
   */
  setVariables(key: string, variables: Vars, opts?: { local?: boolean; em?: EntityManager }): Promise<void>;

  listIncidents(opts?: { state?: 'active' | 'resolved'; processInstanceKey?: string; limit?: number }): Promise<IncidentView[]>;
  resolveIncident(key: string): Promise<void>;

  getTask(key: string): Promise<UserTaskView & { variables: Vars }>;
  listTasks(q?: TaskQuery): Promise<UserTaskView[]>;
  claimTask(key: string, username: string, em?: EntityManager): Promise<UserTaskView>;
  unclaimTask(key: string, em?: EntityManager): Promise<UserTaskView>;
  assignTask(key: string, assignee: string | null, em?: EntityManager): Promise<UserTaskView>;
  /** Completes a user task; who may do so is the caller's check (`canComplete`). */
  completeTask(key: string, variables: Vars | undefined, user: string | null, em?: EntityManager): Promise<void>;
}

/** The job workers of one engine: started with the service, stopped before the database closes. */
export interface JobWorkers {
  start(): void;
  /** Stops taking jobs and waits for the handlers that are running. */
  stop(): Promise<void>;
}

/** The embedded engine implements the port as it is; this fails to compile if the two drift apart. */
export const embeddedImplementsPort = (engine: EmbeddedEngine): WorkflowEngine => engine;
