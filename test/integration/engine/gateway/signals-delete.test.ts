/**
 * Signals and DeleteResource on the embedded engine, driven through the gateway by the real
 * @camunda8/sdk gRPC client: signal start, intermediate catch, boundary events (interrupting and not)
 * and a catch after an event-based gateway; BroadcastSignal's key and variables; DeleteResource of a
 * process version (refused while an instance runs, with nothing changed), of a form, and what a
 * deletion leaves: the previous version is the latest again, with its start events open.
 */
import type { RunningRestGateway } from '../../../../src/engine/gateway';
import { DeployedDefinitions } from '../../../../src/engine/runtime/definitions';
import type { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { diagram } from '../../../fixtures/bpmn/diagram';
import { testDbKinds, type TestDatabase } from '../../../support/db';
import { GrpcCode as Code, rejection, startGatewayUnderTest, type GatewayUnderTest, type ZeebeClient } from '../../../support/zeebe-grpc';

const definitions = new DeployedDefinitions();

const signal = (id: string, name: string) => `<bpmn:signal id="${id}" name="${name}" />`;
const task = (id: string, type: string) => `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const flow = (from: string, to: string) => `<bpmn:sequenceFlow id="f_${from}_${to}" sourceRef="${from}" targetRef="${to}" />`;

/** A signal start event → a service task. */
const signalStart = (id: string, signalName: string, jobType: string) => diagram(`
  <bpmn:startEvent id="start"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:startEvent>
  ${task('work', jobType)}<bpmn:endEvent id="end" />${flow('start', 'work')}${flow('work', 'end')}`, { id, rootElements: signal('sig', signalName) });

/** start → wait for the signal (FEEL name from a variable) → after (a job) → end. */
const catchSignal = (id: string) => diagram(`
  <bpmn:startEvent id="start" />
  <bpmn:intermediateCatchEvent id="wait"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateCatchEvent>
  ${task('after', `${id}-after`)}<bpmn:endEvent id="end" />
  ${flow('start', 'wait')}${flow('wait', 'after')}${flow('after', 'end')}`, { id, rootElements: signal('sig', '=region + &quot;-holidays&quot;') });

/** start → work (a job) with a signal boundary event → onSignal (a job); interrupting or not. */
const boundary = (id: string, signalName: string, interrupting: boolean) => diagram(`
  <bpmn:startEvent id="start" />${task('work', `${id}-work`)}<bpmn:endEvent id="end" />
  <bpmn:boundaryEvent id="sigBoundary" attachedToRef="work" cancelActivity="${interrupting}"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:boundaryEvent>
  ${task('onSignal', `${id}-on-signal`)}<bpmn:endEvent id="end2" />
  ${flow('start', 'work')}${flow('work', 'end')}${flow('sigBoundary', 'onSignal')}${flow('onSignal', 'end2')}`, { id, rootElements: signal('sig', signalName) });

/** An event-based gateway racing a signal against a message. */
const race = (id: string, signalName: string) => diagram(`
  <bpmn:startEvent id="start" /><bpmn:eventBasedGateway id="gw" />
  <bpmn:intermediateCatchEvent id="bySignal"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateCatchEvent>
  <bpmn:intermediateCatchEvent id="byMessage"><bpmn:messageEventDefinition messageRef="msg" /></bpmn:intermediateCatchEvent>
  <bpmn:endEvent id="endSignal" /><bpmn:endEvent id="endMessage" />
  ${flow('start', 'gw')}${flow('gw', 'bySignal')}${flow('gw', 'byMessage')}${flow('bySignal', 'endSignal')}${flow('byMessage', 'endMessage')}`,
{ id, rootElements: `${signal('sig', signalName)}<bpmn:message id="msg" name="${id}-msg"><bpmn:extensionElements><zeebe:subscription correlationKey="=caseId" /></bpmn:extensionElements></bpmn:message>` });

const form = (version: string) => JSON.stringify({ id: 'sig-form', type: 'default', schemaVersion: 16, components: [{ type: 'textfield', key: 'note', label: version }] });

describe.each(testDbKinds())('signals and DeleteResource through the gateway on %s', (kind) => {
  let stack: GatewayUnderTest;
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let rest: RunningRestGateway;
  let zbc: ZeebeClient;

  beforeAll(async () => {
    stack = await startGatewayUnderTest(kind, 'gwsignals');
    ({ db, engine, rest, zbc } = stack);
  }, 60_000);

  afterAll(async () => { await stack?.stop(); }, 60_000);

  const deploy = (xml: string, name: string) => zbc.deployResource({ process: Buffer.from(xml), name });
  const active = async (key: string) => (await engine.getInstance(key)).elements.filter((e) => e.state === 'active').map((e) => e.elementId).sort();
  const instancesOf = async (bpmnProcessId: string) => (await db.ds.query(
    'SELECT id, version FROM engine_process_instances WHERE bpmn_process_id = ? ORDER BY id', [bpmnProcessId])) as Array<{ id: number | string; version: number | string }>;
  const jobsOf = (type: string) => engine.activateJobs({ type, worker: 'test', maxJobs: 10, timeoutMs: 60_000 });

  test('a broadcast starts every process with a signal start event of its name, with its variables, and answers a key', async () => {
    await deploy(signalStart('sig-start', 'new-holiday-schedule', 'sig-start-work'), 'sig-start.bpmn');
    const res = await zbc.broadcastSignal({ signalName: 'new-holiday-schedule', variables: { year: 2027 } });
    expect(res.key).toMatch(/^\d+$/);
    const [job] = await jobsOf('sig-start-work');
    expect(job.variables).toEqual({ year: 2027 });
    // A signal of another name starts nothing.
    await zbc.broadcastSignal({ signalName: 'something-else' });
    expect(await instancesOf('sig-start')).toHaveLength(1);
  });

  test('an intermediate catch waits for the signal its FEEL name gives; a signal is not buffered for a catch opened later', async () => {
    await deploy(catchSignal('sig-catch'), 'sig-catch.bpmn');
    const early = await engine.broadcastSignal({ signalName: 'gd-holidays', broadcastBy: 'test' });
    const a = await zbc.createProcessInstance({ bpmnProcessId: 'sig-catch', variables: { region: 'gd' } });
    const b = await zbc.createProcessInstance({ bpmnProcessId: 'sig-catch', variables: { region: 'sh' } });
    expect(early.triggeredProcessInstanceKeys).toEqual([]);
    expect(await active(a.processInstanceKey)).toEqual(['wait']);

    const res = await engine.broadcastSignal({ signalName: 'gd-holidays', variables: { holidays: ['2027-10-01'] }, broadcastBy: 'test' });
    expect(res.triggeredProcessInstanceKeys).toEqual([a.processInstanceKey]);
    expect(await active(a.processInstanceKey)).toEqual(['after']);
    expect((await engine.getInstance(a.processInstanceKey)).variables).toMatchObject({ region: 'gd', holidays: ['2027-10-01'] });
    expect(await active(b.processInstanceKey)).toEqual(['wait']);
    // The subscription went with the catch: a second broadcast reaches nothing.
    expect((await engine.broadcastSignal({ signalName: 'gd-holidays', broadcastBy: 'test' })).triggeredProcessInstanceKeys).toEqual([]);
  });

  test('an interrupting boundary signal ends the task and takes its flow; a non-interrupting one leaves it and fires each time', async () => {
    await deploy(boundary('sig-int', 'rule-changed-int', true), 'sig-int.bpmn');
    await deploy(boundary('sig-non', 'rule-changed-non', false), 'sig-non.bpmn');
    const i = await zbc.createProcessInstance({ bpmnProcessId: 'sig-int', variables: {} });
    const n = await zbc.createProcessInstance({ bpmnProcessId: 'sig-non', variables: {} });

    await zbc.broadcastSignal({ signalName: 'rule-changed-int' });
    expect(await active(i.processInstanceKey)).toEqual(['onSignal']);
    expect(await jobsOf('sig-int-work')).toHaveLength(0);

    await zbc.broadcastSignal({ signalName: 'rule-changed-non' });
    await zbc.broadcastSignal({ signalName: 'rule-changed-non' });
    expect(await active(n.processInstanceKey)).toEqual(['onSignal', 'onSignal', 'work']);
    // Completing the task closes its boundary subscription.
    const [work] = await jobsOf('sig-non-work');
    await engine.completeJob(work.key, {});
    expect((await engine.broadcastSignal({ signalName: 'rule-changed-non', broadcastBy: 'test' })).triggeredProcessInstanceKeys).toEqual([]);
  });

  test('after an event-based gateway the signal wins the race and the message subscription is closed', async () => {
    await deploy(race('sig-race', 'race-signal'), 'sig-race.bpmn');
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'sig-race', variables: { caseId: 'C-1' } });
    await zbc.broadcastSignal({ signalName: 'race-signal' });
    const view = await engine.getInstance(pi.processInstanceKey);
    expect(view.state).toBe('completed');
    expect(view.elements.map((e) => e.elementId)).toContain('endSignal');
    const published = await engine.publishMessage({ name: 'sig-race-msg', correlationKey: 'C-1', timeToLive: 0 });
    expect(published.correlatedProcessInstanceKeys).toEqual([]);
  });

  test('the REST gateway broadcasts a signal and deletes a resource as the gRPC one does', async () => {
    await deploy(catchSignal('sig-rest'), 'sig-rest.bpmn');
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'sig-rest', variables: { region: 'bj' } });
    const post = (path: string, body: unknown) => fetch(`http://127.0.0.1:${rest.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const sent = await post('/v2/signals/broadcast', { signalName: 'bj-holidays', variables: { via: 'rest' } });
    expect(sent.status).toBe(200);
    expect(await sent.json()).toMatchObject({ signalKey: expect.stringMatching(/^\d+$/), tenantId: '<default>' });
    expect(await active(pi.processInstanceKey)).toEqual(['after']);
    expect((await post('/v2/signals/broadcast', { signalName: '' })).status).toBe(400);

    const gone = await deploy(diagram(`<bpmn:startEvent id="start" />${task('t', 'rest-del')}${flow('start', 't')}`, { id: 'rest-del' }), 'rest-del.bpmn');
    expect((await post(`/v2/resources/${gone.deployments[0].process.processDefinitionKey}/deletion`, {})).status).toBe(200);
    expect((await post(`/v2/resources/${gone.deployments[0].process.processDefinitionKey}/deletion`, {})).status).toBe(404);
    const running = (await db.ds.query("SELECT definition_key FROM engine_process_instances WHERE bpmn_process_id = 'sig-rest'")) as Array<{ definition_key: string }>;
    expect((await post(`/v2/resources/${running[0].definition_key}/deletion`, {})).status).toBe(409);
  });

  test('BroadcastSignal refuses a missing name or bad variables', async () => {
    expect(await rejection(zbc.broadcastSignal({ signalName: '' }))).toMatchObject({ code: Code.INVALID_ARGUMENT });
    await expect(engine.broadcastSignal({ signalName: 'x'.repeat(256), broadcastBy: 'test' })).rejects.toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'INVALID_SIGNAL_NAME' });
  });

  test('DeleteResource refuses a version with a running instance, then deletes it; the version before is the latest again', async () => {
    const v1 = await deploy(signalStart('sig-del', 'del-signal', 'sig-del-v1'), 'sig-del.bpmn');
    const v2xml = signalStart('sig-del', 'del-signal', 'sig-del-v2');
    const v2 = await deploy(v2xml, 'sig-del.bpmn');
    const v2key = v2.deployments[0].process.processDefinitionKey;
    // A process with only a signal start is not created directly; a signal starts it.
    expect(await rejection(zbc.createProcessInstance({ bpmnProcessId: 'sig-del', variables: {} }))).toMatchObject({ code: Code.INVALID_ARGUMENT });
    await zbc.broadcastSignal({ signalName: 'del-signal' });
    const [started] = await instancesOf('sig-del');
    expect(Number(started.version)).toBe(2);

    const refused = await rejection(zbc.deleteResource({ resourceKey: v2key }));
    expect(refused).toMatchObject({ code: Code.FAILED_PRECONDITION, details: expect.stringContaining('RESOURCE_HAS_RUNNING_INSTANCES') });
    expect(await definitions.latest(db.ds.manager, 'sig-del')).toMatchObject({ version: 2 });

    await zbc.cancelProcessInstance(String(started.id));
    await zbc.deleteResource({ resourceKey: v2key });
    expect(await definitions.latest(db.ds.manager, 'sig-del')).toMatchObject({ version: 1, definitionKey: v1.deployments[0].process.processDefinitionKey });
    expect(await engine.getInstance(String(started.id))).toMatchObject({ state: 'canceled', version: 2 });
    // v1's signal start is open again.
    await zbc.broadcastSignal({ signalName: 'del-signal' });
    expect((await instancesOf('sig-del')).map((r) => Number(r.version))).toEqual([2, 1]);
    // Deploying v2's diagram again is a new version, not the deleted one.
    const again = await deploy(v2xml, 'sig-del.bpmn');
    expect(again.deployments[0].process.version).toBe(3);

    expect(await rejection(zbc.deleteResource({ resourceKey: v2key }))).toMatchObject({ code: Code.NOT_FOUND, details: expect.stringContaining('RESOURCE_NOT_FOUND') });
    expect(await rejection(zbc.deleteResource({ resourceKey: '999999999' }))).toMatchObject({ code: Code.NOT_FOUND });
  });

  test('DeleteResource of the only version leaves the process unstartable; of a form, the version before is the latest', async () => {
    const only = await deploy(diagram(`<bpmn:startEvent id="start" />${task('t', 'del-only')}${flow('start', 't')}`, { id: 'del-only' }), 'del-only.bpmn');
    await zbc.deleteResource({ resourceKey: only.deployments[0].process.processDefinitionKey });
    expect(await rejection(zbc.createProcessInstance({ bpmnProcessId: 'del-only', variables: {} }))).toMatchObject({ code: Code.NOT_FOUND });

    await engine.deploy([{ name: 'sig-form.form', content: form('v1') }], 'test');
    const f2 = await engine.deploy([{ name: 'sig-form.form', content: form('v2') }], 'test');
    await zbc.deleteResource({ resourceKey: f2.forms[0].key });
    const [latest] = (await db.ds.query("SELECT version FROM engine_forms WHERE form_id = 'sig-form' AND deleted_at IS NULL ORDER BY version DESC")) as Array<{ version: number }>;
    expect(Number(latest.version)).toBe(1);
  });
});
