/**
 * What the BPMN interpreter (../interpreter/) reads and writes during one step, and nothing of how:
 * the SQLite and the MySQL storage behind it decide when a write reaches the database. A question
 * whose answer depends on writes not yet sent ("are children of this scope still active") is asked
 * of the storage, which answers it with its own write buffer in mind.
 */
import type { DeployedEvaluation } from '../../dmn/run';
import type { ExecutableProcess } from '../../model/types';
import type { DefinitionInfo } from '../definitions';
import type { Vars } from '../../port-types';

/** An element instance: one activation of a flow element (or the process itself) inside its scope. */
export interface EI {
  id: number;
  piId: number;
  elementId: string;
  scopeId: number | null;
  kind: string;
  state: string;
}

/** A process instance; its id is also the id of its root element instance (kind 'process'). */
export interface PI {
  id: number;
  definitionKey: string;
  bpmnProcessId: string;
  version: number;
  parentEiId: number | null;
  rootId: number;
  state: string;
}

export interface EiRow { id: number | string; process_instance_id: number | string | null; element_id: string; scope_id: number | string | null; kind: string; state: string }
export interface PiRow { id: number | string; definition_key: string; bpmn_process_id: string; version: number | string; parent_element_instance_id: number | string | null; root_id: number | string; state: string }
export interface VarRow { scope_id: number | string; name: string; value: string }
export interface MessageRow { id: number | string; name: string; correlation_key: string; message_id: string | null; variables: string | null; expires_at: number | string }
export interface SubRow {
  id: number | string; message_name: string; correlation_key: string; root_id: number | string | null; process_instance_id: number | string | null;
  element_instance_id: number | string | null; element_id: string; definition_key: string | null; bpmn_process_id: string; interrupting: number | boolean;
}

/** A job row as the interpreter creates it (a service or send task waiting for a worker). */
export interface NewJob {
  type: string;
  pi: PI;
  ei: EI;
  elementId: string;
  retries: number;
  /** JSON of the task headers, or null. */
  headers: string | null;
}

/** A user task row as the interpreter creates it; `groups` and `users` also become candidate rows. */
export interface NewUserTask {
  pi: PI;
  ei: EI;
  elementId: string;
  name: string | null;
  formId: string | null;
  assignee: string | null;
  groups: string[];
  users: string[];
  dueDate: number | null;
  followUpDate: number | null;
  priority: number;
}

/** A timer owned by a waiting element instance (catch event, boundary event, event-based gateway). */
export interface NewTimer {
  dueAt: number;
  pi: PI;
  owner: EI;
  elementId: string;
  interrupting: boolean;
  repetitions: number | null;
  interval: string | null;
}

/** Rows a caller read along with its lock, put into the step's caches (see StepState.seed). */
export interface SeedRows {
  eis?: Array<EiRow | null>;
  pis?: Array<PiRow | null>;
  vars?: { scopes: number[]; rows: VarRow[] };
}

/** The storage of one step: a transaction, the rows it has read, the writes it has not yet sent. */
export interface StepState {
  /** The step's time, epoch milliseconds. */
  readonly now: number;

  /** Serialises steps of one process-instance tree: the root instance's row is the lock. */
  lockRoot(rootId: number): Promise<boolean>;

  executable(definitionKey: string): Promise<ExecutableProcess>;
  definition(definitionKey: string): Promise<DefinitionInfo | null>;
  latestDefinition(bpmnProcessId: string): Promise<DefinitionInfo | null>;

  /** The latest version of a deployed decision evaluated with the variables; undefined when none is deployed. */
  evaluateDecision(decisionId: string, variables: Vars): Promise<DeployedEvaluation | undefined>;
  // element instances
  ei(id: number): Promise<EI | null>;
  mustEi(id: number): Promise<EI>;
  insertEi(piId: number | null, elementId: string, scopeId: number | null, kind: string): Promise<EI>;
  /** Ends an element instance: in memory at once; the storage decides when the row says so. */
  endEi(ei: EI, state: 'completed' | 'terminated'): void;
  /** The active element instances directly in a scope, as they stand in this step. */
  activeChildren(scopeId: number): Promise<EI[]>;
  /** Does the scope still hold an active element instance or a token waiting at a join? */
  scopeBusy(scopeId: number): Promise<boolean>;
  /** Writes what the step still holds back; called before the step commits. */
  flush(): Promise<void>;

  // process instances
  pi(id: number): Promise<PI | null>;
  mustPi(id: number): Promise<PI>;
  insertPi(pi: PI, businessKey: string | null): Promise<void>;
  endPi(pi: PI, state: 'completed' | 'canceled' | 'terminated'): Promise<void>;
  /** Active instances called by a call activity's element instance. */
  activeCalledInstances(callEiId: number): Promise<number[]>;

  // variables
  localVars(scopeId: number): Promise<Map<string, unknown>>;
  setLocal(scope: EI, vars: Vars): Promise<void>;
  dropLocals(ei: EI): Promise<void>;

  // tokens waiting at joining parallel gateways
  addJoinToken(scopeId: number, gatewayId: string, flowId: string): Promise<void>;
  joinTokens(scopeId: number, gatewayId: string): Promise<Array<{ id: number; flowId: string }>>;
  consumeJoinTokens(ids: number[]): Promise<void>;
  dropJoinTokens(scopeId: number): Promise<void>;

  // jobs and user tasks
  insertJob(job: NewJob): Promise<void>;
  /** A job stored already activated for a pushed worker; `onKey` receives its key once it is known (before commit). */
  insertActivatedJob(job: NewJob, deadline: number, worker: string, onKey: (key: number) => void): Promise<void>;
  deleteJobsOf(eiId: number): Promise<void>;
  insertUserTask(task: NewUserTask): Promise<void>;
  cancelUserTasksOf(eiId: number): Promise<void>;

  // message subscriptions, buffered messages, timers
  insertSubscription(name: string, correlationKey: string, pi: PI, owner: EI, elementId: string, interrupting: boolean): Promise<number>;
  subscription(id: number): Promise<SubRow | undefined>;
  /** Deletes one subscription; false when it was already gone (another step won the race). */
  deleteSubscription(id: number | string): Promise<boolean>;
  deleteSubscriptionsOf(eiId: number): Promise<void>;
  /** The message start events' subscriptions of a process, oldest first. */
  startSubscriptions(bpmnProcessId: string): Promise<SubRow[]>;
  /** The oldest message still buffered with one of `names` and this key that has not yet correlated to the process. */
  bufferedMessage(names: string[], correlationKey: string, bpmnProcessId: string): Promise<MessageRow | undefined>;
  isCorrelated(messageId: number | string, bpmnProcessId: string): Promise<boolean>;
  recordCorrelation(messageId: number | string, bpmnProcessId: string): Promise<void>;
  insertTimer(timer: NewTimer): Promise<void>;
  deleteTimersOf(eiId: number): Promise<void>;
  /** A signal catch (intermediate, boundary or after an event-based gateway) waiting at `owner`; deleteSubscriptionsOf removes it too. */
  insertSignalSubscription(name: string, pi: PI, owner: EI, elementId: string, interrupting: boolean): Promise<void>;

  // incidents
  insertIncident(pi: PI, ei: EI, type: string, message: string, phase: 'activate' | 'complete' | 'job', jobId: number | null): Promise<void>;
  resolveIncidentsOfElement(eiId: number): Promise<void>;
  resolveIncidentsOfProcess(piId: number): Promise<void>;

  // correlation keys held by instances a message started
  claimStartKey(bpmnProcessId: string, key: string): Promise<boolean>;
  holdStartKey(piId: number, bpmnProcessId: string, key: string): Promise<void>;
  heldStartKey(piId: number): Promise<string | null>;
  releaseStartKey(bpmnProcessId: string, key: string): Promise<void>;

  // the step's caches
  seed(rows: SeedRows): void;
  /** Puts element and process instances known to be active into the caches (see JobContext). */
  seedActive(eis: Array<EI | null>, pi: PI): void;
  /** Loads element instances, their enclosing scopes and the variables of all of them with a few IN queries. */
  preload(eiIds: number[]): Promise<void>;
}
