/**
 * The gateway's ModifyProcessInstance, MigrateProcessInstance and CreateProcessInstance with start
 * instructions, driven by the real @camunda8/sdk gRPC client: what they do, and the gRPC code of each
 * refusal with nothing changed.
 */
import type { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { diagram } from '../../../fixtures/bpmn/diagram';
import { testDbKinds } from '../../../support/db';
import { GrpcCode as Code, rejection, startGatewayUnderTest, type GatewayUnderTest, type ZeebeClient } from '../../../support/zeebe-grpc';

const task = (id: string, type: string) => `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const flow = (from: string, to: string) => `<bpmn:sequenceFlow id="f_${from}_${to}" sourceRef="${from}" targetRef="${to}" />`;

/** start → first → second → end, or with `check` (a user task) between them in the second version. */
const twoTasks = (id: string, withCheck = false) => diagram(`
  <bpmn:startEvent id="start" />${task('first', `${id}-first`)}${task('second', `${id}-second`)}<bpmn:endEvent id="end" />
  ${withCheck ? '<bpmn:userTask id="check"><bpmn:extensionElements><zeebe:userTask /></bpmn:extensionElements></bpmn:userTask>' : ''}
  ${flow('start', 'first')}${withCheck ? flow('first', 'check') + flow('check', 'second') : flow('first', 'second')}${flow('second', 'end')}`, { id });

describe.each(testDbKinds())('gateway modification and migration on %s', (kind) => {
  let stack: GatewayUnderTest;
  let engine: EmbeddedEngine;
  let zbc: ZeebeClient;

  beforeAll(async () => {
    stack = await startGatewayUnderTest(kind, 'gwmodmig');
    ({ engine, zbc } = stack);
  }, 60_000);

  afterAll(async () => { await stack?.stop(); }, 60_000);

  const active = async (key: string) => (await engine.getInstance(key)).elements.filter((e) => e.state === 'active');

  test('ModifyProcessInstance activates an element with variables and terminates one; refusals change nothing', async () => {
    await zbc.deployResource({ process: Buffer.from(twoTasks('gw-mod')), name: 'gw-mod.bpmn' });
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-mod', variables: {} });
    const [first] = await active(pi.processInstanceKey);
    expect(first.elementId).toBe('first');

    const unknown = await rejection(zbc.modifyProcessInstance({ processInstanceKey: pi.processInstanceKey, activateInstructions: [{ elementId: 'ghost', ancestorElementInstanceKey: '-1', variableInstructions: [] }] }));
    expect(unknown).toMatchObject({ code: Code.INVALID_ARGUMENT, details: expect.stringContaining('ELEMENT_NOT_FOUND') });
    const other = await zbc.createProcessInstance({ bpmnProcessId: 'gw-mod', variables: {} });
    const [foreign] = await active(other.processInstanceKey);
    const wrong = await rejection(zbc.modifyProcessInstance({
      processInstanceKey: pi.processInstanceKey,
      activateInstructions: [{ elementId: 'second', ancestorElementInstanceKey: '-1', variableInstructions: [] }],
      terminateInstructions: [{ elementInstanceKey: foreign.elementInstanceKey }],
    }));
    expect(wrong).toMatchObject({ code: Code.NOT_FOUND, details: expect.stringContaining('ELEMENT_INSTANCE_NOT_FOUND') });
    expect((await active(pi.processInstanceKey)).map((e) => e.elementId)).toEqual(['first']);

    await zbc.modifyProcessInstance({
      processInstanceKey: pi.processInstanceKey,
      activateInstructions: [{ elementId: 'second', ancestorElementInstanceKey: '-1', variableInstructions: [{ scopeId: '', variables: { second: 1 } }] }],
      terminateInstructions: [{ elementInstanceKey: first.elementInstanceKey }],
    });
    expect((await active(pi.processInstanceKey)).map((e) => e.elementId)).toEqual(['second']);
    const [job] = await engine.activateJobs({ type: 'gw-mod-second', worker: 't', maxJobs: 10, timeoutMs: 10_000 });
    expect(job.variables).toEqual({ second: 1 });
  });

  test('CreateProcessInstance with start instructions starts at the element named', async () => {
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-mod', variables: { n: 1 }, startInstructions: [{ elementId: 'second' }] });
    expect((await active(pi.processInstanceKey)).map((e) => e.elementId)).toEqual(['second']);
    const bad = await rejection(zbc.createProcessInstance({ bpmnProcessId: 'gw-mod', variables: {}, startInstructions: [{ elementId: 'start' }] }));
    expect(bad).toMatchObject({ code: Code.INVALID_ARGUMENT, details: expect.stringContaining('ELEMENT_NOT_ACTIVATABLE') });
  });

  test('MigrateProcessInstance moves an instance to the next version, its job kept; a mapping to another kind is refused', async () => {
    await zbc.deployResource({ process: Buffer.from(twoTasks('gw-mig')), name: 'gw-mig.bpmn' });
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-mig', variables: {} });
    const v2 = await zbc.deployResource({ process: Buffer.from(twoTasks('gw-mig', true)), name: 'gw-mig.bpmn' });
    const target = v2.deployments[0].process.processDefinitionKey;
    const refused = await rejection(zbc.migrateProcessInstance({
      processInstanceKey: pi.processInstanceKey,
      migrationPlan: { targetProcessDefinitionKey: target, mappingInstructions: [{ sourceElementId: 'first', targetElementId: 'check' }] },
    }));
    expect(refused).toMatchObject({ code: Code.INVALID_ARGUMENT, details: expect.stringContaining('ELEMENT_KIND_CHANGED') });
    const missing = await rejection(zbc.migrateProcessInstance({
      processInstanceKey: '123456789',
      migrationPlan: { targetProcessDefinitionKey: target, mappingInstructions: [{ sourceElementId: 'first', targetElementId: 'first' }] },
    }));
    expect(missing.code).toBe(Code.NOT_FOUND);
    expect((await engine.getInstance(pi.processInstanceKey)).version).toBe(1);

    await zbc.migrateProcessInstance({
      processInstanceKey: pi.processInstanceKey,
      migrationPlan: { targetProcessDefinitionKey: target, mappingInstructions: [{ sourceElementId: 'first', targetElementId: 'first' }] },
    });
    expect(await engine.getInstance(pi.processInstanceKey)).toMatchObject({ version: 2, definitionKey: target });
    const [job] = await engine.activateJobs({ type: 'gw-mig-first', worker: 't', maxJobs: 10, timeoutMs: 10_000 });
    expect(job).toMatchObject({ processInstanceKey: pi.processInstanceKey, processDefinitionVersion: 2, processDefinitionKey: target });
    await engine.completeJob(job.key, {});
    // The second version's user task comes next.
    expect((await active(pi.processInstanceKey)).map((e) => e.elementId)).toEqual(['check']);
  });
});
