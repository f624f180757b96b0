/**
 * The shapes of the WorkflowEngine port (port.ts): what the service sends an engine and what it reads
 * back. They belong to the port, not to an engine: the embedded engine (runtime/) and Zeebe mode
 * (zeebe/) both answer in them, and nothing here imports either. Keys are strings (Zeebe's int64
 * keys, or the embedded engine's database ids), times ISO-8601 strings.
 */
import type { DiagramProblem } from './model/types';
import type { Task } from '../contracts/api';

/** Process variables: a JSON object by name. */
export type Vars = Record<string, unknown>;

// ------------------------------------------------------------------ deployment

export interface DeployResource {
  /** File name; the extension picks the kind: .bpmn (or .bpmn20.xml) for processes, .form for forms. */
  name: string;
  content: string;
}

/** A problem of one resource in a deployment; `path` repeats the element id for the error shape. */
export type ResourceProblem = DiagramProblem & { path?: string; message: string; resource: string };

export interface DeployedProcess {
  bpmnProcessId: string;
  version: number;
  key: string;
  resourceName: string;
  /** True when the XML equals the latest version's: no new version was made. */
  duplicate: boolean;
}

export interface DeployedForm {
  formId: string;
  version: number;
  key: string;
  resourceName: string;
  duplicate: boolean;
}

export interface DeployedDecisionRequirements {
  decisionRequirementsId: string;
  name: string | null;
  version: number;
  key: string;
  resourceName: string;
  duplicate: boolean;
}

export interface DeployedDecision {
  decisionId: string;
  name: string | null;
  version: number;
  key: string;
  decisionRequirementsId: string;
  decisionRequirementsKey: string;
  duplicate: boolean;
}

export interface DeploymentResult {
  deploymentKey: string;
  processes: DeployedProcess[];
  forms: DeployedForm[];
  /** DMN resources: each decision requirements graph and its decisions (absent when none was deployed). */
  decisionRequirements?: DeployedDecisionRequirements[];
  decisions?: DeployedDecision[];
  /** Problems that do not block deployment (lint warnings, forms not deployed yet …). */
  warnings: ResourceProblem[];
}

// ------------------------------------------------------------------ process instances

export interface CreateInstanceRequest {
  bpmnProcessId: string;
  version?: number;
  variables?: Vars;
  businessKey?: string | null;
  /** Element ids to start at instead of the none start event (Zeebe's start instructions; the embedded engine only). */
  startInstructions?: string[];
}

export interface CreatedInstance {
  processInstanceKey: string;
  bpmnProcessId: string;
  version: number;
  definitionKey: string;
  /** False when an instance with this business key already existed and is answered instead. */
  created: boolean;
}

export interface ElementHistoryEntry {
  elementInstanceKey: string;
  elementId: string;
  kind: string;
  state: 'active' | 'completed' | 'terminated';
  scopeKey: string | null;
  startedAt: string;
  endedAt: string | null;
  incident: boolean;
}

export interface InstanceView {
  processInstanceKey: string;
  bpmnProcessId: string;
  version: number;
  definitionKey: string;
  businessKey: string | null;
  parentElementInstanceKey: string | null;
  state: 'active' | 'completed' | 'canceled' | 'terminated';
  startedAt: string;
  endedAt: string | null;
  variables: Vars;
  elements: ElementHistoryEntry[];
  incidents: IncidentView[];
  calledInstanceKeys: string[];
}

export type InstanceState = InstanceView['state'];

/** What instance search matches on; every filter given must hold. Newest first (descending key). */
export interface InstanceQuery {
  bpmnProcessId?: string;
  version?: number;
  businessKey?: string;
  /**
   * The instances of a case, given the process instances it records: these and every instance called
   * beneath them (Zeebe mode knows no call tree, so there the recorded keys themselves). An empty list
   * matches nothing.
   */
  rootProcessInstanceKeys?: string[];
  state?: InstanceState;
  /** Keyset paging: the instances after this key in the listing's order (older ones). */
  after?: string;
  /** 50 by default, at most 500. */
  limit?: number;
}

/** An instance as search lists it: without its variables and history (getInstance has those). */
export interface InstanceSummary {
  processInstanceKey: string;
  bpmnProcessId: string;
  version: number;
  definitionKey: string;
  businessKey: string | null;
  /** The instance whose call activity started this one; null for a root (and always in Zeebe mode). */
  parentProcessInstanceKey: string | null;
  rootProcessInstanceKey: string;
  state: InstanceState;
  startedAt: string;
  endedAt: string | null;
}

/** How many instances of one process version there are, and how many of them still run. */
export interface VersionInstanceCount {
  version: number;
  active: number;
  total: number;
}

/** Counts for monitoring, each one cheap query. `dueTimers` is null where the engine's timers are not seen (Zeebe). */
export interface EngineCounts {
  openIncidents: number;
  dueTimers: number | null;
}

// ------------------------------------------------------------------ messages

export interface PublishMessageRequest {
  name: string;
  correlationKey?: string;
  variables?: Vars;
  /** Milliseconds or an ISO-8601 duration; 0 (the default) correlates only to waiting subscriptions. */
  timeToLive?: number | string;
  messageId?: string;
}

export interface PublishedMessage {
  messageKey: string | null;
  /** True when a buffered message with the same id answered instead (accepted once). */
  duplicate: boolean;
  /** Process instances the message reached now (started or continued). */
  correlatedProcessInstanceKeys: string[];
}

// ------------------------------------------------------------------ incidents

export interface IncidentView {
  key: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  bpmnProcessId: string;
  jobKey: string | null;
  errorType: string;
  errorMessage: string;
  state: 'active' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
}

export interface IncidentQuery {
  state?: 'active' | 'resolved';
  processInstanceKey?: string;
  limit?: number;
}

// ------------------------------------------------------------------ user tasks

/** A user task as the inbox sends it (src/contracts: Task), with the keys only the server follows. */
export interface UserTaskView extends Task {
  /** The instance the case was started with (a called instance's root): how a task finds its case. */
  rootProcessInstanceKey: string;
  elementInstanceKey: string;
  processDefinitionKey: string;
}

export interface TaskQuery {
  /** `created` (open) by default; `any` with `keys` to look tasks up whatever their state. */
  state?: 'created' | 'completed' | 'canceled' | 'any';
  /** Only these tasks (at most 500 keys). */
  keys?: string[];
  assignee?: string;
  candidateGroups?: string[];
  candidateUser?: string;
  processInstanceKey?: string;
  /**
   * Only tasks whose `rootProcessInstanceKey` is one of these: the tasks of a case, given the process
   * instances it records. On the embedded engine a task's root is the instance its case started, so
   * tasks of called instances come with it; Zeebe mode does not know a task's root (the key is the
   * task's own instance), so the called instances must be listed too. An empty list matches nothing.
   */
  rootProcessInstanceKeys?: string[];
  /** Tasks whose root instance (Zeebe mode: whose own instance) was started with this business key. */
  businessKey?: string;
  /** Due strictly before / at or after this time (epoch milliseconds); tasks without a due date match neither. */
  dueBefore?: number;
  dueAfter?: number;
  /**
   * Keyset paging: tasks with a key greater than this. With `dueBefore` or `dueAfter` the pages run in
   * (due date, key) order instead, and this is the last task seen: tasks due after it, or due with it
   * and with a greater key (a key naming no task has nothing after it).
   */
  after?: string;
  limit?: number;
}

/** A task's new offer: who it is assigned to (null: nobody) and who may claim it. */
export interface TaskReassignment {
  assignee: string | null;
  candidateGroups: string[];
  /** Kept as they are when left out. */
  candidateUsers?: string[];
}
