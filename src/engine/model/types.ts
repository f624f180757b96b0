/**
 * The executable model of a deployed BPMN process: what the embedded engine's runtime walks.
 * Built from the XML by `compileBpmn` (src/engine/model/compile.ts) after the subset check, so the
 * runtime never sees an element outside the supported subset. Expressions are kept as written:
 * a string starting with '=' is FEEL (evaluated with feelin, cached), anything else is a literal,
 * as in Zeebe.
 */

export type ElementKind =
  | 'startEvent'
  | 'endEvent'
  | 'serviceTask'
  | 'sendTask'
  | 'userTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'eventBasedGateway'
  | 'intermediateCatchEvent'
  | 'boundaryEvent'
  | 'subProcess'
  | 'callActivity'
  | 'businessRuleTask';

/** `=expr` is FEEL, anything else a static value (Zeebe's convention). */
export type Expr = string;

export type EventDefinition =
  | { type: 'none' }
  | { type: 'timer'; timer: TimerDefinition }
  | { type: 'message'; messageName: Expr; correlationKey?: Expr }
  /** Broadcast to every waiting catch of the name; no correlation key (src/engine/runtime/interpreter/signals.ts). */
  | { type: 'signal'; signalName: Expr }
  | { type: 'error'; errorCode?: Expr } // no code on a catch event: catches every error
  | { type: 'terminate' };

export interface TimerDefinition {
  kind: 'duration' | 'date' | 'cycle';
  /** ISO-8601 duration, date-time, or repeating interval (R3/PT1H), or a FEEL expression giving one. */
  expression: Expr;
}

export interface VariableMapping {
  /** FEEL expression (without the leading '='), evaluated in the source scope. */
  source: string;
  /** Variable name, possibly a dotted path (a.b.c), in the target scope. */
  target: string;
}

export interface IoMapping {
  inputs: VariableMapping[];
  outputs: VariableMapping[];
}

interface ElementBase {
  id: string;
  name?: string;
  kind: ElementKind;
  /** Id of the process or embedded sub-process whose flow this element belongs to. */
  scopeId: string;
  incoming: string[]; // sequence flow ids, derived from the flows (not trusted from the XML)
  outgoing: string[];
  ioMapping?: IoMapping;
}

export interface StartEvent extends ElementBase { kind: 'startEvent'; event: EventDefinition }
export interface EndEvent extends ElementBase { kind: 'endEvent'; event: EventDefinition }

export interface JobTask extends ElementBase {
  kind: 'serviceTask' | 'sendTask';
  jobType: Expr;
  retries: Expr; // default '3'
  headers: Record<string, string>;
}

export interface UserTask extends ElementBase {
  kind: 'userTask';
  formId?: string;
  assignee?: Expr;
  candidateGroups?: Expr; // comma-separated list or FEEL giving a list
  candidateUsers?: Expr;
  dueDate?: Expr; // ISO date-time or FEEL
  followUpDate?: Expr;
  priority?: Expr; // 0..100, default 50
}

export interface ExclusiveGateway extends ElementBase { kind: 'exclusiveGateway'; defaultFlowId?: string }
export interface ParallelGateway extends ElementBase { kind: 'parallelGateway' }
export interface EventBasedGateway extends ElementBase { kind: 'eventBasedGateway' }
export interface IntermediateCatchEvent extends ElementBase { kind: 'intermediateCatchEvent'; event: EventDefinition }

export interface BoundaryEvent extends ElementBase {
  kind: 'boundaryEvent';
  attachedToId: string;
  cancelActivity: boolean;
  event: EventDefinition; // timer, message or error
}

export interface SubProcess extends ElementBase {
  kind: 'subProcess';
  /** The none start event inside the sub-process. */
  startEventId: string;
  childIds: string[];
}

export interface CallActivity extends ElementBase {
  kind: 'callActivity';
  calledProcessId: Expr;
  propagateAllChildVariables: boolean; // zeebe default: true
  propagateAllParentVariables: boolean; // zeebe default: true
}

/** A business rule task calling a deployed decision (zeebe:calledDecision); the result goes to resultVariable. */
export interface BusinessRuleTask extends ElementBase {
  kind: 'businessRuleTask';
  decisionId: Expr;
  resultVariable: string;
}

export type FlowElement =
  | BusinessRuleTask
  | StartEvent
  | EndEvent
  | JobTask
  | UserTask
  | ExclusiveGateway
  | ParallelGateway
  | EventBasedGateway
  | IntermediateCatchEvent
  | BoundaryEvent
  | SubProcess
  | CallActivity;

export interface SequenceFlow {
  id: string;
  sourceId: string;
  targetId: string;
  /** FEEL condition without the leading '=' (only on flows leaving exclusive gateways). */
  condition?: string;
}

export interface ExecutableProcess {
  /** bpmnProcessId, the process element's id. */
  id: string;
  name?: string;
  elements: Record<string, FlowElement>;
  flows: Record<string, SequenceFlow>;
  /** Start events of the process level (not of sub-processes): none, message or timer. */
  startEventIds: string[];
  /** Boundary event ids per attached activity id. */
  boundaryEventsByHost: Record<string, string[]>;
}

/** One problem found when checking a diagram; every problem is reported, not only the first. */
export interface DiagramProblem {
  /** Element id, when the problem belongs to an element. */
  elementId?: string;
  /** 'xml', 'subset', 'feel', 'lint/<rule name>' … */
  rule: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface CompileResult {
  processes: ExecutableProcess[];
  problems: DiagramProblem[];
}
