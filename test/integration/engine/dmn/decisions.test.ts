/**
 * DMN on the embedded engine, through the gateway with the real @camunda8/sdk gRPC client: deploying
 * a .dmn answers decision and decision requirements metadata and versions them (an unchanged resource
 * is the same version); an invalid table is refused with its problems and stores nothing;
 * EvaluateDecision by id and by key answers evaluated decisions, matched rules and inputs (a required
 * decision first); a business rule task evaluates the latest version into its result variable, and a
 * missing decision or a failing table is an incident in Chinese that resolving evaluates again.
 */
import type { RunningRestGateway } from '../../../../src/engine/gateway';
import type { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import fs from 'node:fs';
import path from 'node:path';
import { bundledRoutingTable, routingTable } from '../../../../src/cases/routing';
import { DECISIONS_DIR } from '../../../../src/paths';
import { diagram } from '../../../fixtures/bpmn/diagram';
import { testDbKinds, type TestDatabase } from '../../../support/db';
import { dmn, literalXml, tableXml } from '../../../unit/engine/dmn/dmn-table';
import { startGatewayUnderTest, type GatewayUnderTest, type ZeebeClient } from '../../../support/zeebe-grpc';

/** A 'fine' table (FIRST) by amount, and 'fineText' (a literal expression) requiring it. */
const fines = (high: number) => dmn('fines-drg',
  tableXml({ id: 'fine', name: '罚款', hitPolicy: 'FIRST', inputs: ['amount'], outputs: ['fine'], rules: [[['>= 1000'], [String(high)], '第二档'], [['-'], ['100'], '第一档']] }),
  literalXml('fineText', '"罚款" + string(fine) + "元"', ['fine']));

/** start → business rule task calling `decisionId` into `result` → a job so the instance waits → end. */
const ruleProcess = (id: string, decisionId: string) => diagram(`
  <bpmn:startEvent id="start" />
  <bpmn:businessRuleTask id="decide" name="确定罚款"><bpmn:extensionElements><zeebe:calledDecision decisionId="${decisionId}" resultVariable="result" /></bpmn:extensionElements></bpmn:businessRuleTask>
  <bpmn:serviceTask id="after"><bpmn:extensionElements><zeebe:taskDefinition type="${id}-after" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:endEvent id="end" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
  <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="after" />
  <bpmn:sequenceFlow id="f3" sourceRef="after" targetRef="end" />`, { id });

describe.each(testDbKinds())('DMN decisions on %s', (kind) => {
  let stack: GatewayUnderTest;
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let rest: RunningRestGateway;
  let zbc: ZeebeClient;

  beforeAll(async () => {
    stack = await startGatewayUnderTest(kind, 'dmn');
    ({ db, engine, rest, zbc } = stack);
  }, 60_000);

  afterAll(async () => { await stack?.stop(); }, 60_000);

  const deployDmn = (xml: string, name = 'fines.dmn') => zbc.deployResource({ decision: Buffer.from(xml), name });
  /** The version of each decision and decision requirements entry of a DeployResource answer. */
  const versions = (deployments: unknown[]) => (deployments as Array<Record<string, { version: number }>>).map((d) => (d.decision ?? d.decisionRequirements).version);
  const count = async (table: string) => Number(((await db.ds.query(`SELECT COUNT(*) AS n FROM ${table}`)) as Array<{ n: number | string }>)[0].n);

  test('deploy answers decision metadata and versions by decision id; the same XML is the same version', async () => {
    const first = await deployDmn(fines(500));
    const decisions = first.deployments.filter((d) => 'decision' in d).map((d) => (d as { decision: { dmnDecisionId: string; version: number; dmnDecisionName: string; dmnDecisionRequirementsId: string } }).decision);
    expect(decisions.map((d) => [d.dmnDecisionId, d.version, d.dmnDecisionName, d.dmnDecisionRequirementsId])).toEqual([['fine', 1, '罚款', 'fines-drg'], ['fineText', 1, 'fineText', 'fines-drg']]);
    expect(first.deployments[0]).toHaveProperty('decision');
    const drg = first.deployments.find((d) => 'decisionRequirements' in d) as { decisionRequirements: { dmnDecisionRequirementsId: string; version: number; resourceName: string } };
    expect(drg.decisionRequirements).toMatchObject({ dmnDecisionRequirementsId: 'fines-drg', version: 1, resourceName: 'fines.dmn' });

    const again = await deployDmn(fines(500));
    expect(versions(again.deployments)).toEqual([1, 1, 1]);
    const v2 = await deployDmn(fines(2000));
    expect(versions(v2.deployments)).toEqual([2, 2, 2]);
  });

  test('an invalid table is refused with every problem and stores nothing', async () => {
    const before = [await count('engine_decisions'), await count('engine_decision_requirements')];
    const bad = dmn('bad-drg', tableXml({ id: 'bad', hitPolicy: 'FIRST', aggregation: 'SUM', inputs: ['x'], outputs: ['y'], rules: [[['[1..'], ['1']]] }));
    const err = await zbc.deployResource({ decision: Buffer.from(bad), name: 'bad.dmn' }).then(() => null, (e: { code?: number; details?: string; message: string }) => e);
    expect(err?.code).toBe(3);
    expect(err?.details ?? err?.message).toMatch(/2 problems/);
    expect([await count('engine_decisions'), await count('engine_decision_requirements')]).toEqual(before);
  });

  test('EvaluateDecision by id (latest version) and by key, with the required decision first', async () => {
    const byId = await zbc.evaluateDecision({ decisionId: 'fineText', variables: { amount: 5000 } });
    expect(byId).toMatchObject({ decisionId: 'fineText', decisionVersion: 2, decisionRequirementsId: 'fines-drg', decisionOutput: '"罚款2000元"' });
    expect(byId.evaluatedDecisions.map((e) => [e.decisionId, e.decisionType, e.decisionOutput])).toEqual([['fine', 'DECISION_TABLE', '2000'], ['fineText', 'LITERAL_EXPRESSION', '"罚款2000元"']]);
    const [table] = byId.evaluatedDecisions;
    expect(table.evaluatedInputs).toEqual([expect.objectContaining({ inputName: 'amount', inputValue: '5000' })]);
    expect(table.matchedRules).toEqual([expect.objectContaining({ ruleIndex: 1, evaluatedOutputs: [expect.objectContaining({ outputName: 'fine', outputValue: '2000' })] })]);

    const v1 = (await db.ds.query("SELECT `key` FROM engine_decisions WHERE decision_id = 'fine' AND version = 1")) as Array<{ key: number | string }>;
    const byKey = await zbc.evaluateDecision({ decisionKey: String(v1[0].key), variables: { amount: 5000 } });
    expect(byKey).toMatchObject({ decisionId: 'fine', decisionVersion: 1, decisionOutput: '500' });

    await expect(zbc.evaluateDecision({ decisionId: 'no-such-decision', variables: {} })).rejects.toMatchObject({ code: 5 });

    // The REST API's evaluation answers the same with its own names.
    const post = (body: unknown) => fetch(`http://127.0.0.1:${rest.port}/v2/decision-definitions/evaluation`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const res = await post({ decisionDefinitionId: 'fineText', variables: { amount: 5000 } });
    expect(res.status).toBe(200);
    const json = (await res.json()) as { decisionDefinitionVersion: number; output: string; evaluatedDecisions: Array<{ decisionDefinitionId: string; matchedRules: unknown[] }> };
    expect(json).toMatchObject({ decisionDefinitionVersion: 2, output: '"罚款2000元"' });
    expect(json.evaluatedDecisions.map((e) => e.decisionDefinitionId)).toEqual(['fine', 'fineText']);
    expect((await post({ decisionDefinitionId: 'no-such-decision' })).status).toBe(404);
    expect((await post({ variables: {} })).status).toBe(400);
  });

  test('a business rule task evaluates the latest version into its result variable', async () => {
    await zbc.deployResource({ process: Buffer.from(ruleProcess('dmn-rule', 'fine')), name: 'dmn-rule.bpmn' });
    const started = await zbc.createProcessInstance({ bpmnProcessId: 'dmn-rule', variables: { amount: 1200 } });
    const view = await engine.getInstance(started.processInstanceKey);
    expect(view.variables.result).toBe(2000);
    expect(view.elements.filter((e) => e.state === 'active').map((e) => e.elementId)).toEqual(['after']);
  });

  test('a missing decision or a failing evaluation is an incident in Chinese; resolving after deploying evaluates again', async () => {
    await zbc.deployResource({ process: Buffer.from(ruleProcess('dmn-missing', 'later-table')), name: 'dmn-missing.bpmn' });
    const started = await zbc.createProcessInstance({ bpmnProcessId: 'dmn-missing', variables: { amount: 1 } });
    const [incident] = await engine.listIncidents({ processInstanceKey: started.processInstanceKey });
    expect(incident).toMatchObject({ elementId: 'decide', errorType: 'CALLED_DECISION_ERROR' });
    expect(incident.errorMessage).toMatch(/决策“later-table”尚未部署/);

    // A UNIQUE table where both rules match: the evaluation fails.
    await deployDmn(dmn('later-drg', tableXml({ id: 'later-table', inputs: ['amount'], outputs: ['v'], rules: [[['-'], ['1']], [['>= 0'], ['2']]] })), 'later.dmn');
    await engine.resolveIncident(incident.key);
    const [failed] = (await engine.listIncidents({ processInstanceKey: started.processInstanceKey })).filter((i) => i.state === 'active');
    expect(failed).toMatchObject({ errorType: 'DECISION_EVALUATION_ERROR' });
    expect(failed.errorMessage).toMatch(/UNIQUE/);

    await deployDmn(dmn('later-drg', tableXml({ id: 'later-table', inputs: ['amount'], outputs: ['v'], rules: [[['-'], ['1']]] })), 'later.dmn');
    await engine.resolveIncident(failed.key);
    const view = await engine.getInstance(started.processInstanceKey);
    expect(view.variables.result).toBe(1);
  });

  test('the routing suggestion reads the latest deployed routing table, the shipped one before any deployment', async () => {
    expect(await routingTable(db.ds.manager)).toBe(await bundledRoutingTable());
    const shipped = fs.readFileSync(path.join(DECISIONS_DIR, 'complaint-routing.dmn'), 'utf8');
    // Legal staff route disputes-only complaints to inspection instead (a new version).
    const changed = shipped.replace('<text>"arbitration"</text>', '<text>"inspection"</text>');
    await deployDmn(shipped, 'complaint-routing.dmn');
    await deployDmn(changed, 'complaint-routing.dmn');
    const table = await routingTable(db.ds.manager);
    const rule = (table.decisions[0].logic as { rules: Array<{ outputEntries: string[] }> }).rules[6];
    expect(rule.outputEntries[0]).toBe('"inspection"');
  });
});
