import { compileBpmn } from '../../../src/engine/model/compile';
import type { DiagramProblem, ExecutableProcess, FlowElement } from '../../../src/engine/model/types';
import { diagram, fixture } from '../../fixtures/bpmn/diagram';

async function compileOne(xml: string): Promise<ExecutableProcess> {
  const r = await compileBpmn(xml);
  expect(r.problems.filter((p) => p.severity === 'error')).toEqual([]);
  expect(r.processes).toHaveLength(1);
  return r.processes[0];
}

function errorsOf(problems: DiagramProblem[]): DiagramProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

const serviceTask = (id: string, type = 'work') =>
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const flow = (id: string, from: string, to: string, condition?: string) =>
  condition
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${condition}</bpmn:conditionExpression></bpmn:sequenceFlow>`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

describe('compileBpmn: the supported subset', () => {
  let p: ExecutableProcess;
  let el: Record<string, FlowElement>;
  beforeAll(async () => {
    p = await compileOne(fixture('all-supported.bpmn'));
    el = p.elements;
  });

  it('names the process and its process-level start events', () => {
    expect(p.id).toBe('all-supported');
    expect(p.name).toBe('全部支持的元素');
    expect(p.startEventIds).toEqual(['start', 'startByMessage']);
  });

  it('maps start and end events with their definitions', () => {
    expect(el.start).toMatchObject({ kind: 'startEvent', event: { type: 'none' }, scopeId: 'all-supported' });
    expect(el.startByMessage).toMatchObject({ kind: 'startEvent', event: { type: 'message', messageName: 'complaint-received' } });
    expect(el.terminate).toMatchObject({ kind: 'endEvent', event: { type: 'terminate' } });
    expect(el.refused).toMatchObject({ kind: 'endEvent', event: { type: 'error', errorCode: 'POLICE_REFUSED' }, scopeId: 'investigate' });
    expect(el.end).toMatchObject({ kind: 'endEvent', event: { type: 'none' } });
  });

  it('maps service and send tasks with job type, retries, headers and io mappings', () => {
    expect(el.register).toEqual({
      id: 'register', name: '登记', kind: 'serviceTask', scopeId: 'all-supported',
      incoming: ['f_start_register', 'f_message_register'], outgoing: ['f_register_review'],
      jobType: 'register-case', retries: '5', headers: { template: '立案审批表' },
      ioMapping: {
        inputs: [{ source: 'complaint.employer', target: 'employer' }, { source: '"office-1"', target: 'office' }],
        outputs: [{ source: 'result.caseId', target: 'caseId' }],
      },
    });
    expect(el.remind).toMatchObject({ kind: 'sendTask', jobType: 'send-reminder', retries: '3', headers: {} });
    expect(el.collect).toMatchObject({ kind: 'serviceTask', jobType: '="collect-" + evidenceKind' });
  });

  it('maps user tasks with form, assignment, schedule and priority', () => {
    expect(el.review).toMatchObject({
      kind: 'userTask', formId: 'review-form', assignee: '=handler', candidateGroups: 'legal, supervisor',
      candidateUsers: '=["handler1"]', dueDate: '=dueAt', followUpDate: '2026-12-01T09:00:00+08:00', priority: '60',
    });
  });

  it('maps gateways, the default flow and conditions without the leading "="', () => {
    expect(el.decide).toMatchObject({ kind: 'exclusiveGateway', defaultFlowId: 'f_reject', outgoing: ['f_approve', 'f_reject'] });
    expect(p.flows.f_approve).toEqual({ id: 'f_approve', sourceId: 'decide', targetId: 'fork', condition: 'approved = true' });
    expect(p.flows.f_reject.condition).toBeUndefined();
    expect(el.fork).toMatchObject({ kind: 'parallelGateway', outgoing: ['f_fork_investigate', 'f_fork_notify'] });
    expect(el.join).toMatchObject({ kind: 'parallelGateway', incoming: ['f_investigate_join', 'f_notify_join'] });
    expect(el.wait).toMatchObject({ kind: 'eventBasedGateway', outgoing: ['f_wait_hearing', 'f_wait_deadline'] });
  });

  it('maps intermediate catch events', () => {
    expect(el.hearingRequested).toMatchObject({
      kind: 'intermediateCatchEvent',
      event: { type: 'message', messageName: 'hearing-requested', correlationKey: '=caseNumber' },
      ioMapping: { inputs: [], outputs: [{ source: 'hearing', target: 'hearingRequest' }] },
    });
    expect(el.hearingDeadline).toMatchObject({ kind: 'intermediateCatchEvent', event: { type: 'timer', timer: { kind: 'date', expression: '=hearingDeadline' } } });
  });

  it('maps boundary events and indexes them by host', () => {
    expect(el.remindTimer).toMatchObject({ kind: 'boundaryEvent', attachedToId: 'review', cancelActivity: false, event: { type: 'timer', timer: { kind: 'cycle', expression: 'R3/PT24H' } } });
    expect(el.withdrawn).toMatchObject({ kind: 'boundaryEvent', attachedToId: 'review', cancelActivity: true, event: { type: 'message', messageName: 'complaint-withdrawn', correlationKey: '=caseId' } });
    expect(el.investigationRefused).toMatchObject({ kind: 'boundaryEvent', attachedToId: 'investigate', cancelActivity: true, event: { type: 'error', errorCode: 'POLICE_REFUSED' } });
    expect(el.investigationOverdue).toMatchObject({ event: { type: 'timer', timer: { kind: 'duration', expression: 'P30D' } } });
    expect(p.boundaryEventsByHost).toEqual({ review: ['remindTimer', 'withdrawn'], investigate: ['investigationRefused', 'investigationOverdue'] });
  });

  it('maps embedded sub-processes with their children in their own scope', () => {
    expect(el.investigate).toMatchObject({ kind: 'subProcess', startEventId: 'investigateStart', childIds: ['investigateStart', 'collect', 'refused'] });
    expect(el.investigateStart.scopeId).toBe('investigate');
    expect(el.collect.scopeId).toBe('investigate');
    expect(p.startEventIds).not.toContain('investigateStart');
  });

  it('maps call activities with Zeebe\'s propagation defaults', () => {
    expect(el.notify).toMatchObject({ kind: 'callActivity', calledProcessId: 'notify-party', propagateAllChildVariables: false, propagateAllParentVariables: true });
  });

  it('derives incoming and outgoing from the sequence flows, not from the XML lists', async () => {
    // 'a' claims f2 as outgoing and 'b' lists nothing: the flows say otherwise.
    const p2 = await compileOne(diagram(`
      <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing><bpmn:outgoing>f2</bpmn:outgoing></bpmn:startEvent>
      ${flow('f1', 'start', 'a')}
      <bpmn:serviceTask id="a"><bpmn:extensionElements><zeebe:taskDefinition type="x" /></bpmn:extensionElements><bpmn:outgoing>f1</bpmn:outgoing></bpmn:serviceTask>
      ${flow('f2', 'a', 'b')}
      ${serviceTask('b')}
      ${flow('f3', 'b', 'end')}
      <bpmn:endEvent id="end" />`));
    expect(p2.elements.start).toMatchObject({ incoming: [], outgoing: ['f1'] });
    expect(p2.elements.a).toMatchObject({ incoming: ['f1'], outgoing: ['f2'] });
    expect(p2.elements.b).toMatchObject({ incoming: ['f2'], outgoing: ['f3'] });
    expect(p2.elements.end).toMatchObject({ incoming: ['f3'], outgoing: [] });
  });

  it('accepts job-based user tasks and a message start event without correlation key', async () => {
    const p2 = await compileOne(diagram(`
      <bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent>
      ${flow('f1', 'start', 'task')}
      <bpmn:userTask id="task" />
      ${flow('f2', 'task', 'end')}
      <bpmn:endEvent id="end" />`, { rootElements: '<bpmn:message id="m" name="complaint" />' }));
    expect(p2.elements.task).toMatchObject({ kind: 'userTask' });
    expect(p2.elements.start).toEqual(expect.objectContaining({ event: { type: 'message', messageName: 'complaint' } }));
  });

  it('accepts a timer start event with a cycle', async () => {
    const p2 = await compileOne(diagram(`
      <bpmn:startEvent id="start"><bpmn:timerEventDefinition><bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R/P1D</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>
      ${flow('f1', 'start', 'end')}
      <bpmn:endEvent id="end" />`));
    expect(p2.elements.start).toMatchObject({ event: { type: 'timer', timer: { kind: 'cycle', expression: 'R/P1D' } } });
  });
});

describe('compileBpmn: refusals', () => {
  it('refuses every unsupported element of a diagram with its id, all at once', async () => {
    const r = await compileBpmn(fixture('unsupported.bpmn'));
    const ids = errorsOf(r.problems).filter((p) => p.rule === 'subset').map((p) => p.elementId);
    expect(ids).toEqual(expect.arrayContaining(['split', 'script', 'each', 'escalated', 'signalThrow', 'messageEnd', 'tx', 'onSignal']));
    const byId = Object.fromEntries(r.problems.map((p) => [p.elementId, p.message]));
    expect(byId.split).toMatch(/inclusive gateway/);
    expect(byId.each).toMatch(/multi-instance/);
    expect(byId.onSignal).toMatch(/event sub-process/);
    expect(byId.tx).toMatch(/transaction/);
    for (const p of r.problems) expect(p.message.length).toBeGreaterThan(10);
  });

  const cases: [string, string, string, RegExp][] = [
    ['a receive task', `<bpmn:receiveTask id="x" />`, 'x', /receive task/],
    ['a complex gateway', `<bpmn:complexGateway id="x" />`, 'x', /complex gateway/],
    ['an undefined task', `<bpmn:task id="x" />`, 'x', /tasks without a type/],
    ['a manual task', `<bpmn:manualTask id="x" />`, 'x', /manual task/],
    ['a business rule task', `<bpmn:businessRuleTask id="x" />`, 'x', /business rule/],
    ['a signal start event without a named signal', `<bpmn:startEvent id="x"><bpmn:signalEventDefinition /></bpmn:startEvent>`, 'x', /signal with a name/],
    ['a signal end event (signal throws are not supported)', `<bpmn:endEvent id="x"><bpmn:signalEventDefinition /></bpmn:endEvent>`, 'x', /signal events are not supported here/],
    ['a conditional catch event', `<bpmn:intermediateCatchEvent id="x"><bpmn:conditionalEventDefinition><bpmn:condition xsi:type="bpmn:tFormalExpression">=a</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>`, 'x', /conditional/],
    ['a link catch event', `<bpmn:intermediateCatchEvent id="x"><bpmn:linkEventDefinition name="l" /></bpmn:intermediateCatchEvent>`, 'x', /link/],
    ['a message throw event', `<bpmn:intermediateThrowEvent id="x"><bpmn:messageEventDefinition /></bpmn:intermediateThrowEvent>`, 'x', /throw events/],
    ['a compensation boundary event', `${serviceTask('host')}<bpmn:boundaryEvent id="x" attachedToRef="host"><bpmn:compensateEventDefinition /></bpmn:boundaryEvent>`, 'x', /compensation/],
    ['a signal boundary event', `${serviceTask('host')}<bpmn:boundaryEvent id="x" attachedToRef="host"><bpmn:signalEventDefinition /></bpmn:boundaryEvent>`, 'x', /signal/],
    ['an ad-hoc sub-process', `<bpmn:adHocSubProcess id="x" />`, 'x', /ad-hoc/],
    ['a standard loop', `<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="t" /></bpmn:extensionElements><bpmn:standardLoopCharacteristics /></bpmn:serviceTask>`, 'x', /loop/],
    ['a sequential multi-instance sub-process', `<bpmn:subProcess id="x"><bpmn:multiInstanceLoopCharacteristics isSequential="true" /><bpmn:startEvent id="s" /></bpmn:subProcess>`, 'x', /multi-instance/],
    ['a service task without job type', `<bpmn:serviceTask id="x" />`, 'x', /taskDefinition/],
    ['a send task without job type', `<bpmn:sendTask id="x"><bpmn:extensionElements><zeebe:taskDefinition /></bpmn:extensionElements></bpmn:sendTask>`, 'x', /taskDefinition/],
    ['a timer without definition', `<bpmn:intermediateCatchEvent id="x"><bpmn:timerEventDefinition /></bpmn:intermediateCatchEvent>`, 'x', /no definition/],
    ['a cron cycle', `${serviceTask('host')}<bpmn:boundaryEvent id="x" attachedToRef="host" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeCycle>0 0 9 * * MON</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>`, 'x', /cron/],
    ['a malformed duration', `<bpmn:intermediateCatchEvent id="x"><bpmn:timerEventDefinition><bpmn:timeDuration>3 days</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`, 'x', /ISO-8601 duration/],
    ['a cycle on an intermediate timer', `<bpmn:intermediateCatchEvent id="x"><bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>`, 'x', /cycle timer is not allowed/],
    ['an interrupting cycle timer', `${serviceTask('host')}<bpmn:boundaryEvent id="x" attachedToRef="host"><bpmn:timerEventDefinition><bpmn:timeCycle>R3/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:boundaryEvent>`, 'x', /non-interrupting/],
    ['a timer start event with a duration', `<bpmn:startEvent id="x"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>`, 'x', /duration timer is not allowed/],
    ['a message catch without correlation key', `<bpmn:intermediateCatchEvent id="x"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>`, 'x', /correlation key/],
    ['a message catch without message', `<bpmn:intermediateCatchEvent id="x"><bpmn:messageEventDefinition /></bpmn:intermediateCatchEvent>`, 'x', /message with a name/],
    ['a sub-process without start event', `<bpmn:subProcess id="x"><bpmn:endEvent id="e" /></bpmn:subProcess>`, 'x', /exactly one none start event/],
    ['a sub-process with two start events', `<bpmn:subProcess id="x"><bpmn:startEvent id="s1" /><bpmn:startEvent id="s2" /></bpmn:subProcess>`, 'x', /exactly one none start event \(found 2/],
    ['a sub-process started by a message', `<bpmn:subProcess id="sp"><bpmn:startEvent id="x"><bpmn:messageEventDefinition messageRef="m" /></bpmn:startEvent></bpmn:subProcess>`, 'x', /must start with a none start event/],
    ['a call activity without process id', `<bpmn:callActivity id="x" />`, 'x', /calledElement/],
    ['a call activity bound to its deployment', `<bpmn:callActivity id="x"><bpmn:extensionElements><zeebe:calledElement processId="p" bindingType="deployment" /></bpmn:extensionElements></bpmn:callActivity>`, 'x', /binding type/],
    ['a user task with a bare formKey', `<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition formKey="camunda-forms:bpmn:f" /></bpmn:extensionElements></bpmn:userTask>`, 'x', /formKey/],
    ['a user task with an external form', `<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask /><zeebe:formDefinition externalReference="https://forms.example/f" /></bpmn:extensionElements></bpmn:userTask>`, 'x', /external/],
    ['a user task with a malformed due date', `<bpmn:userTask id="x"><bpmn:extensionElements><zeebe:userTask /><zeebe:taskSchedule dueDate="next week" /></bpmn:extensionElements></bpmn:userTask>`, 'x', /dueDate/],
    ['execution listeners', `<bpmn:serviceTask id="x"><bpmn:extensionElements><zeebe:taskDefinition type="t" /><zeebe:executionListeners><zeebe:executionListener eventType="start" type="l" /></zeebe:executionListeners></bpmn:extensionElements></bpmn:serviceTask>`, 'x', /execution listeners/],
    ['a message end event', `<bpmn:endEvent id="x"><bpmn:messageEventDefinition messageRef="m" /></bpmn:endEvent>`, 'x', /message events are not supported here/],
    ['an error end event without code', `<bpmn:endEvent id="x"><bpmn:errorEventDefinition /></bpmn:endEvent>`, 'x', /error code/],
    ['a non-interrupting error boundary event', `${serviceTask('host')}<bpmn:boundaryEvent id="x" attachedToRef="host" cancelActivity="false"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>`, 'x', /always interrupting/],
  ];
  it.each(cases)('refuses %s', async (_what, body, id, message) => {
    const r = await compileBpmn(diagram(`<bpmn:startEvent id="start" />${body}`, {
      rootElements: '<bpmn:message id="m" name="msg" />',
    }));
    const mine = errorsOf(r.problems).filter((p) => p.elementId === id);
    expect(mine.map((p) => p.message).join('\n')).toMatch(message);
    expect(mine[0].rule).toBe('subset');
  });

  it('refuses an event-based gateway leading to anything but message or timer catch events', async () => {
    const r = await compileBpmn(diagram(`
      <bpmn:startEvent id="start" />${flow('f0', 'start', 'gw')}
      <bpmn:eventBasedGateway id="gw" />
      ${flow('f1', 'gw', 'timer')}${flow('f2', 'gw', 'task')}
      <bpmn:intermediateCatchEvent id="timer"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      ${serviceTask('task')}`));
    expect(errorsOf(r.problems)).toEqual([expect.objectContaining({ elementId: 'task', rule: 'subset', message: expect.stringMatching(/event-based gateway 'gw'/i) })]);
  });

  it('refuses exclusive gateway flows without condition that are not the default', async () => {
    const r = await compileBpmn(diagram(`
      <bpmn:startEvent id="start" />${flow('f0', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="f3" />
      ${flow('f1', 'gw', 'a', '=x > 1')}${flow('f2', 'gw', 'a')}${flow('f3', 'gw', 'a')}
      ${serviceTask('a')}`));
    expect(errorsOf(r.problems)).toEqual([expect.objectContaining({ elementId: 'f2', rule: 'subset' })]);
  });

  it('refuses conditions that are not FEEL and conditions on flows from tasks', async () => {
    const r = await compileBpmn(diagram(`
      <bpmn:startEvent id="start" />${flow('f0', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw" />
      ${flow('f1', 'gw', 'a', 'x > 1')}${flow('f2', 'gw', 'a', '=x &lt;= 1')}
      ${serviceTask('a')}${flow('f3', 'a', 'b', '=true')}${serviceTask('b')}`));
    expect(errorsOf(r.problems).map((p) => [p.elementId, p.rule])).toEqual([['f1', 'feel'], ['f3', 'subset']]);
  });

  it('checks the syntax of every FEEL expression and names its element', async () => {
    const r = await compileBpmn(diagram(`
      <bpmn:startEvent id="start" />
      ${flow('f0', 'start', 'gw')}
      <bpmn:exclusiveGateway id="gw" default="f2" />
      ${flow('f1', 'gw', 'task', '=amount >== 5')}
      ${flow('f2', 'gw', 'task')}
      <bpmn:serviceTask id="task"><bpmn:extensionElements>
        <zeebe:taskDefinition type="=&quot;a&quot; +" retries="=(3" />
        <zeebe:ioMapping><zeebe:input source="=a.b[" target="x" /><zeebe:output source="=if y then" target="z" /></zeebe:ioMapping>
      </bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:userTask id="human"><bpmn:extensionElements>
        <zeebe:userTask /><zeebe:formDefinition formId="f" />
        <zeebe:assignmentDefinition assignee="=user(" candidateGroups="=[&quot;a&quot;" />
        <zeebe:taskSchedule dueDate="=now() +" />
      </bpmn:extensionElements></bpmn:userTask>
      <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>=duration(</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="bad" /></bpmn:intermediateCatchEvent>
      <bpmn:callActivity id="call"><bpmn:extensionElements><zeebe:calledElement processId="=&quot;p-&quot; +" /></bpmn:extensionElements></bpmn:callActivity>`,
    { rootElements: '<bpmn:message id="bad" name="=&quot;m" ><bpmn:extensionElements><zeebe:subscription correlationKey="=key +" /></bpmn:extensionElements></bpmn:message>' }));
    const feel = r.problems.filter((p) => p.rule === 'feel');
    const count = (id: string) => feel.filter((p) => p.elementId === id).length;
    expect(count('f1')).toBe(1);
    expect(count('task')).toBe(4); // type, retries, input, output
    expect(count('human')).toBe(3); // assignee, candidate groups, due date
    expect(count('wait')).toBe(1);
    expect(count('msg')).toBe(2); // message name, correlation key
    expect(count('call')).toBe(1);
    for (const p of feel) expect(p.severity).toBe('error');
  });

  it('reports unreadable XML under rule "xml"', async () => {
    const r = await compileBpmn('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p"');
    expect(r.processes).toEqual([]);
    expect(r.problems).toEqual([expect.objectContaining({ rule: 'xml', severity: 'error' })]);
    expect((await compileBpmn('')).problems[0].rule).toBe('xml');
    expect((await compileBpmn('not xml at all')).problems[0]).toMatchObject({ rule: 'xml', severity: 'error' });
  });

  it('reports references to missing elements', async () => {
    const r = await compileBpmn(diagram(`<bpmn:startEvent id="start" />${flow('f1', 'start', 'nowhere')}`));
    expect(errorsOf(r.problems).map((p) => p.rule)).toContain('xml');
    expect(errorsOf(r.problems).some((p) => p.elementId === 'f1')).toBe(true);
  });

  it('needs an executable process', async () => {
    const r = await compileBpmn(diagram('<bpmn:startEvent id="start" />', { executable: false }));
    expect(r.processes).toEqual([]);
    expect(errorsOf(r.problems)[0].message).toMatch(/executable/);
  });
});
