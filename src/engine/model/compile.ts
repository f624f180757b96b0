/**
 * BPMN XML → the executable model of src/engine/model/types.ts, with the subset check: everything the
 * embedded engine cannot run is refused here with its element id and a reason, so the runtime never
 * meets it. Every problem is collected; nothing stops at the first.
 */
import { checkFeelSyntax } from '../feel/feel';
import { many, parseBpmn, ref, str, type ModdleElement } from './parse';
import { signalDefinition } from './signals';
import type {
  BoundaryEvent,
  CompileResult,
  DiagramProblem,
  EventDefinition,
  ExecutableProcess,
  Expr,
  FlowElement,
  IoMapping,
  SequenceFlow,
  TimerDefinition,
  VariableMapping,
} from './types';

export async function compileBpmn(xml: string): Promise<CompileResult> {
  const parsed = await parseBpmn(xml);
  if (!parsed.definitions) return { processes: [], problems: parsed.problems };
  const result = compileDefinitions(parsed.definitions);
  return { processes: result.processes, problems: [...parsed.problems, ...result.problems] };
}

/** Compiles an already parsed (and flow-repaired) moddle tree; see parseBpmn. */
export function compileDefinitions(definitions: ModdleElement): CompileResult {
  const problems: DiagramProblem[] = [];
  const processes: ExecutableProcess[] = [];
  const all = many(definitions, 'rootElements').filter((e) => e.$instanceOf('bpmn:Process'));
  const executable = all.filter((p) => p.get('isExecutable') === true);
  if (executable.length === 0) {
    problems.push({ rule: 'subset', severity: 'error', message: all.length ? 'No process in the diagram is marked executable.' : 'The diagram contains no process.' });
  }
  for (const p of executable) processes.push(new ProcessCompiler(p, problems).compile());
  return { processes, problems };
}

const REFUSED: Record<string, string> = {
  'bpmn:InclusiveGateway': 'inclusive gateways are not supported by the embedded engine; use exclusive or parallel gateways',
  'bpmn:ComplexGateway': 'complex gateways are not supported',
  'bpmn:ScriptTask': 'script tasks are not supported; use a service task and a job worker',
  'bpmn:ReceiveTask': 'receive tasks are not supported; use an intermediate message catch event',
  'bpmn:ManualTask': 'manual tasks are not supported; use a user task',
  'bpmn:Task': 'tasks without a type are not supported; use a service or user task',
  'bpmn:IntermediateThrowEvent': 'intermediate throw events (none, message, signal, escalation, compensation, link) are not supported',
  'bpmn:Transaction': 'transaction sub-processes are not supported',
  'bpmn:AdHocSubProcess': 'ad-hoc sub-processes are not supported',
  'bpmn:CallChoreography': 'choreographies are not supported',
  'bpmn:ChoreographyTask': 'choreographies are not supported',
  'bpmn:SubChoreography': 'choreographies are not supported',
};

const EVENT_DEFINITION_NAMES: Record<string, string> = {
  'bpmn:SignalEventDefinition': 'signal',
  'bpmn:EscalationEventDefinition': 'escalation',
  'bpmn:CompensateEventDefinition': 'compensation',
  'bpmn:LinkEventDefinition': 'link',
  'bpmn:ConditionalEventDefinition': 'conditional',
  'bpmn:CancelEventDefinition': 'cancel',
  'bpmn:MessageEventDefinition': 'message',
  'bpmn:TimerEventDefinition': 'timer',
  'bpmn:ErrorEventDefinition': 'error',
  'bpmn:TerminateEventDefinition': 'terminate',
};

/** Data objects and stores carry no behaviour: accepted and left out of the executable model. */
const IGNORED = new Set(['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference']);

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const ISO_CYCLE = /^R\d*\/(?:[^/]+\/)?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)(\[[\w/+-]+\])?$/;

type EventContext = 'processStart' | 'subProcessStart' | 'end' | 'intermediateCatch' | 'boundary';

class ProcessCompiler {
  private readonly elements: Record<string, FlowElement> = {};
  private readonly flows: Record<string, SequenceFlow> = {};
  private readonly boundaryEventsByHost: Record<string, string[]> = {};
  /** moddle elements by id, for the structural checks after the first pass. */
  private readonly moddleById = new Map<string, ModdleElement>();

  constructor(
    private readonly process: ModdleElement,
    private readonly problems: DiagramProblem[],
  ) {}

  compile(): ExecutableProcess {
    const id = this.process.id ?? '';
    this.checkListeners(this.process);
    this.compileScope(this.process, id);
    this.linkFlows();
    this.checkGateways();
    const startEventIds = Object.values(this.elements)
      .filter((e) => e.kind === 'startEvent' && e.scopeId === id)
      .map((e) => e.id);
    if (startEventIds.length === 0) this.problem(id, 'subset', 'The process has no start event.');
    return {
      id,
      ...(this.process.name ? { name: this.process.name } : {}),
      elements: this.elements,
      flows: this.flows,
      startEventIds,
      boundaryEventsByHost: this.boundaryEventsByHost,
    };
  }

  private problem(elementId: string | undefined, rule: string, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({ ...(elementId ? { elementId } : {}), rule, message, severity });
  }

  private refuse(el: ModdleElement, reason: string): void {
    this.problem(el.id, 'subset', `${el.$type.replace('bpmn:', '')} '${el.id}': ${reason}.`);
  }

  /** A Zeebe expression or literal: '=…' must be valid FEEL. */
  private expr(el: ModdleElement, value: string | undefined, what: string): Expr | undefined {
    if (value === undefined) return undefined;
    if (value.startsWith('=')) this.feel(el, value.slice(1), what);
    return value;
  }

  private feel(el: ModdleElement, text: string, what: string): void {
    const error = checkFeelSyntax(text);
    if (error) this.problem(el.id, 'feel', `${what} of '${el.id}' is not valid FEEL (${error}): ${text}`);
  }

  private compileScope(container: ModdleElement, scopeId: string): string[] {
    const childIds: string[] = [];
    for (const el of many(container, 'flowElements')) {
      const id = el.id ?? '';
      if (el.$instanceOf('bpmn:SequenceFlow')) {
        this.compileFlow(el, container);
        continue;
      }
      if (IGNORED.has(el.$type)) continue;
      this.moddleById.set(id, el);
      this.checkListeners(el);
      const compiled = this.compileElement(el, scopeId);
      if (compiled) {
        this.elements[id] = compiled;
        childIds.push(id);
      }
    }
    return childIds;
  }

  private compileFlow(el: ModdleElement, container: ModdleElement): void {
    const id = el.id ?? '';
    const source = ref(el, 'sourceRef');
    const target = ref(el, 'targetRef');
    if (!source?.id || !target?.id) {
      this.problem(id, 'subset', `Sequence flow '${id}' needs both a source and a target.`);
      return;
    }
    if (source.$parent !== container || target.$parent !== container) {
      this.problem(id, 'subset', `Sequence flow '${id}' crosses the boundary of a sub-process.`);
    }
    const flow: SequenceFlow = { id, sourceId: source.id, targetId: target.id };
    const condition = ref(el, 'conditionExpression');
    if (condition) {
      const body = (str(condition, 'body') ?? '').trim();
      if (!source.$instanceOf('bpmn:ExclusiveGateway')) {
        this.problem(id, 'subset', `Sequence flow '${id}' has a condition but does not leave an exclusive gateway; conditional flows from other elements are not supported.`);
      } else if (!body.startsWith('=')) {
        this.problem(id, 'feel', `The condition of sequence flow '${id}' must be a FEEL expression starting with '='.`);
      } else if (ref(source, 'default') !== el) {
        this.feel(el, body.slice(1), 'The condition');
        flow.condition = body.slice(1);
      }
    }
    this.flows[id] = flow;
  }

  private compileElement(el: ModdleElement, scopeId: string): FlowElement | undefined {
    const base = {
      id: el.id ?? '',
      ...(el.name ? { name: el.name } : {}),
      scopeId,
      incoming: [] as string[],
      outgoing: [] as string[],
      ...this.ioMapping(el),
    };
    if (REFUSED[el.$type]) {
      this.refuse(el, REFUSED[el.$type]);
      return undefined;
    }
    if (el.$instanceOf('bpmn:Activity')) this.checkActivity(el);
    switch (el.$type) {
      case 'bpmn:StartEvent': {
        const inSubProcess = scopeId !== this.process.id;
        const event = this.eventDefinition(el, inSubProcess ? 'subProcessStart' : 'processStart');
        return event && { ...base, kind: 'startEvent', event };
      }
      case 'bpmn:EndEvent': {
        const event = this.eventDefinition(el, 'end');
        return event && { ...base, kind: 'endEvent', event };
      }
      case 'bpmn:IntermediateCatchEvent': {
        const event = this.eventDefinition(el, 'intermediateCatch');
        return event && { ...base, kind: 'intermediateCatchEvent', event };
      }
      case 'bpmn:BoundaryEvent':
        return this.boundaryEvent(el, base);
      case 'bpmn:ServiceTask':
      case 'bpmn:SendTask':
        return this.jobTask(el, base);
      case 'bpmn:BusinessRuleTask':
        return this.businessRuleTask(el, base);
      case 'bpmn:UserTask':
        return this.userTask(el, base);
      case 'bpmn:ExclusiveGateway': {
        const defaultFlowId = ref(el, 'default')?.id;
        return { ...base, kind: 'exclusiveGateway', ...(defaultFlowId ? { defaultFlowId } : {}) };
      }
      case 'bpmn:ParallelGateway':
        return { ...base, kind: 'parallelGateway' };
      case 'bpmn:EventBasedGateway':
        if (el.get('instantiate') === true) this.refuse(el, 'instantiating event-based gateways are not supported');
        return { ...base, kind: 'eventBasedGateway' };
      case 'bpmn:SubProcess':
        return this.subProcess(el, base);
      case 'bpmn:CallActivity':
        return this.callActivity(el, base);
      default:
        this.refuse(el, `${el.$type} is not in the embedded engine's BPMN subset`);
        return undefined;
    }
  }

  private checkActivity(el: ModdleElement): void {
    const loop = ref(el, 'loopCharacteristics');
    if (loop) {
      this.refuse(el, loop.$instanceOf('bpmn:MultiInstanceLoopCharacteristics')
        ? 'multi-instance activities are not supported'
        : 'loop activities are not supported');
    }
    if (el.get('isForCompensation') === true) this.refuse(el, 'compensation activities are not supported');
  }

  private checkListeners(el: ModdleElement): void {
    for (const x of this.extensions(el)) {
      if (x.$instanceOf('zeebe:ExecutionListeners') && many(x, 'listeners').length) this.refuse(el, 'execution listeners are not supported');
      if (x.$instanceOf('zeebe:TaskListeners') && many(x, 'listeners').length) this.refuse(el, 'task listeners are not supported');
      if (x.$instanceOf('zeebe:LoopCharacteristics')) this.refuse(el, 'multi-instance activities are not supported');
      if (x.$instanceOf('zeebe:AdHoc')) this.refuse(el, 'ad-hoc sub-processes are not supported');
    }
  }

  private extensions(el: ModdleElement): ModdleElement[] {
    return many(ref(el, 'extensionElements'), 'values');
  }

  private extension(el: ModdleElement, type: string): ModdleElement | undefined {
    return this.extensions(el).find((x) => x.$instanceOf(type));
  }

  private ioMapping(el: ModdleElement): { ioMapping?: IoMapping } {
    const io = this.extension(el, 'zeebe:IoMapping');
    if (!io) return {};
    const mapping = (p: ModdleElement, direction: string): VariableMapping | undefined => {
      const target = str(p, 'target');
      if (!target) {
        this.problem(el.id, 'subset', `An ${direction} mapping of '${el.id}' has no target variable.`);
        return undefined;
      }
      const source = str(p, 'source');
      let feelSource: string;
      if (source === undefined || source === '') feelSource = 'null';
      else if (source.startsWith('=')) {
        feelSource = source.slice(1);
        this.feel(el, feelSource, `The ${direction} mapping to '${target}'`);
      } else {
        // A source without '=' is a literal string in Zeebe; as FEEL it becomes a string literal.
        feelSource = JSON.stringify(source);
      }
      return { source: feelSource, target };
    };
    const inputs = many(io, 'inputParameters').map((p) => mapping(p, 'input')).filter((m): m is VariableMapping => !!m);
    const outputs = many(io, 'outputParameters').map((p) => mapping(p, 'output')).filter((m): m is VariableMapping => !!m);
    return { ioMapping: { inputs, outputs } };
  }

  private eventDefinition(el: ModdleElement, context: EventContext): EventDefinition | undefined {
    const defs = many(el, 'eventDefinitions');
    if (defs.length > 1) {
      this.refuse(el, 'events with more than one event definition are not supported');
      return undefined;
    }
    const def = defs[0];
    if (!def) {
      if (context === 'intermediateCatch' || context === 'boundary') {
        this.refuse(el, 'needs a message, timer or error definition');
        return undefined;
      }
      return { type: 'none' };
    }
    const kind = EVENT_DEFINITION_NAMES[def.$type] ?? def.$type;
    const allowed: Record<EventContext, string[]> = {
      processStart: ['message', 'timer', 'signal'],
      subProcessStart: [],
      end: ['error', 'terminate'],
      intermediateCatch: ['message', 'timer', 'signal'],
      boundary: ['message', 'timer', 'error', 'signal'],
    };
    if (!allowed[context].includes(kind)) {
      const where: Record<EventContext, string> = {
        processStart: 'start events may be none, message, timer or signal',
        subProcessStart: 'a sub-process must start with a none start event',
        end: 'end events may be none, error or terminate (message end events are message throws, not supported)',
        intermediateCatch: 'intermediate catch events may be message, timer or signal',
        boundary: 'boundary events may be timer, message, error or signal',
      };
      this.refuse(el, `${kind} events are not supported here: ${where[context]}`);
      return undefined;
    }
    switch (kind) {
      case 'message':
        return this.messageDefinition(el, def, context === 'processStart');
      case 'signal':
        return signalDefinition(def, (reason) => this.refuse(el, reason), (v, what) => this.expr(el, v, what));
      case 'timer': {
        const timer = this.timerDefinition(el, def, context);
        return timer && { type: 'timer', timer };
      }
      case 'error': {
        const error = ref(def, 'errorRef');
        const code = str(error, 'errorCode');
        if (context === 'end' && !code) {
          this.refuse(el, 'an error end event needs an error with an error code');
          return undefined;
        }
        if (error && !code && context === 'boundary') {
          this.refuse(el, `the error '${error.id}' has no error code`);
          return undefined;
        }
        const errorCode = this.expr(el, code, 'The error code');
        return { type: 'error', ...(errorCode ? { errorCode } : {}) };
      }
      default:
        return { type: 'terminate' };
    }
  }

  private messageDefinition(el: ModdleElement, def: ModdleElement, isStart: boolean): EventDefinition | undefined {
    const message = ref(def, 'messageRef');
    const name = str(message, 'name');
    if (!message || !name) {
      this.refuse(el, 'a message event needs a message with a name');
      return undefined;
    }
    const correlationKey = str(this.extension(message, 'zeebe:Subscription'), 'correlationKey');
    if (!isStart && !correlationKey) {
      this.refuse(el, `the message '${name}' needs a zeebe:subscription correlation key`);
      return undefined;
    }
    this.expr(el, name, 'The message name');
    this.expr(el, correlationKey, 'The correlation key');
    return { type: 'message', messageName: name, ...(correlationKey && !isStart ? { correlationKey } : {}) };
  }

  private timerDefinition(el: ModdleElement, def: ModdleElement, context: EventContext): TimerDefinition | undefined {
    const candidates: [TimerDefinition['kind'], string][] = [['duration', 'timeDuration'], ['date', 'timeDate'], ['cycle', 'timeCycle']];
    const present = candidates
      .map(([kind, prop]) => [kind, (str(ref(def, prop), 'body') ?? '').trim()] as const)
      .filter(([, body]) => body !== '');
    if (present.length !== 1) {
      this.refuse(el, present.length ? 'a timer needs exactly one of duration, date or cycle' : 'the timer has no definition (duration, date or cycle)');
      return undefined;
    }
    const [kind, expression] = present[0];
    const allowedKinds: Partial<Record<EventContext, TimerDefinition['kind'][]>> = {
      processStart: ['date', 'cycle'],
      intermediateCatch: ['duration', 'date'],
      boundary: ['duration', 'date', 'cycle'],
    };
    if (!allowedKinds[context]?.includes(kind)) {
      this.refuse(el, `a ${kind} timer is not allowed on this event`);
      return undefined;
    }
    if (expression.startsWith('=')) {
      this.feel(el, expression.slice(1), 'The timer');
    } else {
      const ok = kind === 'duration' ? ISO_DURATION.test(expression) : kind === 'date' ? ISO_DATE_TIME.test(expression) : ISO_CYCLE.test(expression);
      if (!ok) {
        const expected = kind === 'duration' ? 'an ISO-8601 duration such as P3D or PT2H'
          : kind === 'date' ? 'an ISO-8601 date-time with offset such as 2026-10-13T09:00:00+08:00'
          : 'a repeating interval such as R3/PT24H (cron cycles are not supported)';
        this.refuse(el, `the timer '${expression}' is not ${expected}`);
        return undefined;
      }
    }
    return { kind, expression };
  }

  private boundaryEvent(el: ModdleElement, base: BaseFields): BoundaryEvent | undefined {
    const host = ref(el, 'attachedToRef');
    const cancelActivity = el.get('cancelActivity') !== false;
    if (!host?.id) {
      this.refuse(el, 'a boundary event must be attached to an activity');
      return undefined;
    }
    const event = this.eventDefinition(el, 'boundary');
    if (!event) return undefined;
    if (event.type === 'error' && !cancelActivity) this.refuse(el, 'error boundary events are always interrupting');
    // As in Zeebe: a repeating timer only makes sense when the activity goes on.
    if (event.type === 'timer' && event.timer.kind === 'cycle' && cancelActivity) this.refuse(el, 'a cycle timer boundary event must be non-interrupting');
    (this.boundaryEventsByHost[host.id] ??= []).push(base.id);
    return { ...base, kind: 'boundaryEvent', attachedToId: host.id, cancelActivity, event };
  }

  private jobTask(el: ModdleElement, base: BaseFields): FlowElement | undefined {
    const def = this.extension(el, 'zeebe:TaskDefinition');
    const type = str(def, 'type');
    if (!type) {
      this.refuse(el, 'needs a zeebe:taskDefinition with a job type');
      return undefined;
    }
    const jobType = this.expr(el, type, 'The job type') ?? type;
    const retries = this.expr(el, str(def, 'retries'), 'The retries') ?? '3';
    if (!retries.startsWith('=') && !/^\d+$/.test(retries)) this.refuse(el, `retries '${retries}' is not a whole number`);
    const headers: Record<string, string> = {};
    for (const h of many(this.extension(el, 'zeebe:TaskHeaders'), 'values')) {
      const key = str(h, 'key');
      if (key) headers[key] = str(h, 'value') ?? '';
    }
    const kind = el.$type === 'bpmn:SendTask' ? 'sendTask' : 'serviceTask';
    return { ...base, kind, jobType, retries, headers };
  }

  /** A called decision (evaluated by the engine), or a job for a worker as any service task (Zeebe's two forms). */
  private businessRuleTask(el: ModdleElement, base: BaseFields): FlowElement | undefined {
    const called = this.extension(el, 'zeebe:CalledDecision');
    if (!called) {
      if (this.extension(el, 'zeebe:TaskDefinition')) return this.jobTask(el, base);
      this.refuse(el, 'a business rule task needs a zeebe:calledDecision (decisionId, resultVariable) or a zeebe:taskDefinition');
      return undefined;
    }
    const decisionId = str(called, 'decisionId');
    const resultVariable = str(called, 'resultVariable');
    if (!decisionId || !resultVariable) {
      this.refuse(el, 'needs a zeebe:calledDecision with a decisionId and a resultVariable');
      return undefined;
    }
    const bindingType = str(called, 'bindingType');
    if (bindingType && bindingType !== 'latest') this.refuse(el, `the decision binding '${bindingType}' is not supported; the latest version is called`);
    return { ...base, kind: 'businessRuleTask', decisionId: this.expr(el, decisionId, 'The decision id') ?? decisionId, resultVariable };
  }

  private userTask(el: ModdleElement, base: BaseFields): FlowElement {
    const form = this.extension(el, 'zeebe:FormDefinition');
    const formId = str(form, 'formId');
    if (form && !formId) {
      if (str(form, 'formKey')) this.refuse(el, 'forms are linked by zeebe:formDefinition formId; a bare formKey is not supported');
      else if (str(form, 'externalReference')) this.refuse(el, 'forms are linked by zeebe:formDefinition formId; external form references are not supported');
    }
    if (form) this.checkBinding(el, form);
    if (this.extension(el, 'zeebe:UserTaskForm')) this.refuse(el, 'embedded user task forms are not supported; deploy the form and link it by formId');
    const assignment = this.extension(el, 'zeebe:AssignmentDefinition');
    const schedule = this.extension(el, 'zeebe:TaskSchedule');
    const priorityDef = this.extension(el, 'zeebe:PriorityDefinition');
    const fields: Record<string, Expr | undefined> = {
      assignee: this.expr(el, str(assignment, 'assignee'), 'The assignee'),
      candidateGroups: this.expr(el, str(assignment, 'candidateGroups'), 'The candidate groups'),
      candidateUsers: this.expr(el, str(assignment, 'candidateUsers'), 'The candidate users'),
      dueDate: this.expr(el, str(schedule, 'dueDate'), 'The due date'),
      followUpDate: this.expr(el, str(schedule, 'followUpDate'), 'The follow-up date'),
      priority: this.expr(el, str(priorityDef, 'priority'), 'The priority'),
    };
    for (const key of ['dueDate', 'followUpDate'] as const) {
      const v = fields[key];
      if (v && !v.startsWith('=') && !ISO_DATE_TIME.test(v)) this.refuse(el, `${key} '${v}' is not an ISO-8601 date-time with offset`);
    }
    const p = fields.priority;
    if (p && !p.startsWith('=') && !(/^\d+$/.test(p) && Number(p) <= 100)) this.refuse(el, `priority '${p}' is not a whole number from 0 to 100`);
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')) as Record<string, Expr>;
    return { ...base, kind: 'userTask', ...(formId ? { formId } : {}), ...defined };
  }

  private checkBinding(el: ModdleElement, ext: ModdleElement): void {
    const binding = str(ext, 'bindingType');
    if (binding && binding !== 'latest') this.refuse(el, `binding type '${binding}' is not supported; the latest version is always used`);
  }

  private subProcess(el: ModdleElement, base: BaseFields): FlowElement | undefined {
    if (el.get('triggeredByEvent') === true) {
      this.refuse(el, 'event sub-processes are not supported; use boundary events');
      return undefined;
    }
    const childIds = this.compileScope(el, base.id);
    const starts = many(el, 'flowElements').filter((c) => c.$instanceOf('bpmn:StartEvent'));
    const noneStarts = starts.filter((s) => many(s, 'eventDefinitions').length === 0);
    if (starts.length !== 1 || noneStarts.length !== 1) {
      this.refuse(el, `a sub-process needs exactly one none start event (found ${starts.length} start event${starts.length === 1 ? '' : 's'})`);
      return undefined;
    }
    return { ...base, kind: 'subProcess', startEventId: noneStarts[0].id ?? '', childIds };
  }

  private callActivity(el: ModdleElement, base: BaseFields): FlowElement | undefined {
    const called = this.extension(el, 'zeebe:CalledElement');
    const processId = str(called, 'processId');
    if (!called || !processId) {
      this.refuse(el, 'needs a zeebe:calledElement with a processId');
      return undefined;
    }
    this.checkBinding(el, called);
    return {
      ...base,
      kind: 'callActivity',
      calledProcessId: this.expr(el, processId, 'The called process id') ?? processId,
      propagateAllChildVariables: called.get('propagateAllChildVariables') !== false,
      propagateAllParentVariables: called.get('propagateAllParentVariables') !== false,
    };
  }

  /** incoming/outgoing from the flows themselves; the XML's own lists are not trusted. */
  private linkFlows(): void {
    for (const flow of Object.values(this.flows)) {
      const source = this.elements[flow.sourceId];
      const target = this.elements[flow.targetId];
      // Flows touching a refused or ignored element were already reported through that element.
      source?.outgoing.push(flow.id);
      target?.incoming.push(flow.id);
    }
  }

  private checkGateways(): void {
    for (const el of Object.values(this.elements)) {
      if (el.kind === 'exclusiveGateway') {
        if (el.defaultFlowId && !el.outgoing.includes(el.defaultFlowId)) {
          this.problem(el.id, 'subset', `The default flow of exclusive gateway '${el.id}' does not leave it.`);
        }
        if (el.outgoing.length > 1) {
          for (const flowId of el.outgoing) {
            if (flowId !== el.defaultFlowId && this.flows[flowId].condition === undefined && !this.hasReportedCondition(flowId)) {
              this.problem(flowId, 'subset', `Sequence flow '${flowId}' leaves exclusive gateway '${el.id}' without a condition and is not its default flow.`);
            }
          }
        }
      }
      if (el.kind === 'eventBasedGateway') {
        if (el.outgoing.length < 2) this.problem(el.id, 'subset', `Event-based gateway '${el.id}' needs at least two outgoing flows.`);
        for (const flowId of el.outgoing) {
          const target = this.elements[this.flows[flowId].targetId];
          const targetModdle = this.moddleById.get(this.flows[flowId].targetId);
          const ok = target?.kind === 'intermediateCatchEvent' && (target.event.type === 'message' || target.event.type === 'timer' || target.event.type === 'signal');
          if (!ok && targetModdle) {
            this.problem(targetModdle.id, 'subset', `Event-based gateway '${el.id}' may only lead to intermediate message, timer or signal catch events, not to ${targetModdle.$type.replace('bpmn:', '')} '${targetModdle.id}'.`);
          }
        }
      }
      if (el.kind === 'boundaryEvent') {
        const host = this.elements[el.attachedToId];
        const hostModdle = this.moddleById.get(el.attachedToId);
        if (hostModdle && !hostModdle.$instanceOf('bpmn:Activity')) this.problem(el.id, 'subset', `Boundary event '${el.id}' is attached to '${el.attachedToId}', which is not an activity.`);
        else if (!host && !hostModdle) this.problem(el.id, 'subset', `Boundary event '${el.id}' is attached to '${el.attachedToId}', which is not in this process.`);
        if (el.incoming.length) this.problem(el.id, 'subset', `Boundary event '${el.id}' cannot have incoming sequence flows.`);
      }
    }
  }

  /** A flow whose condition was refused already has a problem; don't report it twice. */
  private hasReportedCondition(flowId: string): boolean {
    return this.problems.some((p) => p.elementId === flowId && (p.rule === 'feel' || p.rule === 'subset'));
  }
}

type BaseFields = {
  id: string;
  name?: string;
  scopeId: string;
  incoming: string[];
  outgoing: string[];
  ioMapping?: IoMapping;
};
