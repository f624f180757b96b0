/**
 * The process instance and topology part of the embedded engine's Camunda 8.8 REST API, driven by the
 * real @camunda8/sdk CamundaRestClient as Camunda's own client test suite drives it for its clean-up:
 * the topology names one broker with one leading partition; instance search filters on
 * processDefinitionId, processDefinitionKey, processInstanceKey and state, and pages; cancellation
 * ends a running instance (then TERMINATED) and answers 404 for an unknown one; bad filters are 400
 * and change nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import pino from 'pino';
import { TestClock } from '../../../src/clock/clock';
import { startRestGateway, type RunningRestGateway } from '../../../src/engine/gateway';
import { EmbeddedEngine } from '../../../src/engine/runtime/engine';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../support/db';

const fixture = (name: string) => ({ name, content: fs.readFileSync(path.join(__dirname, 'fixtures', name), 'utf8') });

async function status(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as { response?: { statusCode?: number } }).response?.statusCode ?? -1;
  }
}

describe.each(testDbKinds())('REST process instances and topology of the embedded engine (%s)', (kind) => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let rest: RunningRestGateway;
  let client: ReturnType<Camunda8['getCamundaRestClient']>;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'zm-rest-pi');
    engine = new EmbeddedEngine(db.ds, new TestClock(), {});
    await engine.deploy([fixture('zm-review.form'), fixture('zm-review.bpmn'), fixture('zm-adapter.bpmn')], 'test');
    rest = await startRestGateway({ engine, port: 0, logger: pino({ level: 'silent' }), grpcPort: 26599 });
    base = `http://127.0.0.1:${rest.port}/v2`;
    client = new Camunda8({ ZEEBE_REST_ADDRESS: `http://127.0.0.1:${rest.port}`, ZEEBE_GRPC_ADDRESS: 'grpc://127.0.0.1:1', CAMUNDA_AUTH_STRATEGY: 'NONE' }).getCamundaRestClient();
  }, 60_000);

  afterAll(async () => {
    await rest?.stop();
    await db?.close();
  });

  test('the topology is one broker with one leading, healthy partition', async () => {
    const t = await client.getTopology();
    expect(t).toMatchObject({
      clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: '8.8.0',
      brokers: [{ nodeId: 0, host: '127.0.0.1', port: 26599, partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }] }],
    });
  });

  test('search by process, definition key, instance key and state; paging; cancellation', async () => {
    const a1 = await engine.createInstance({ bpmnProcessId: 'zm-review', variables: { caseId: 'p-1', dueAt: '2026-12-01T17:00:00+08:00' } });
    const a2 = await engine.createInstance({ bpmnProcessId: 'zm-review', variables: { caseId: 'p-2', dueAt: '2026-12-01T17:00:00+08:00' } });
    const b1 = await engine.createInstance({ bpmnProcessId: 'zm-adapter', variables: { caseId: 'p-3' } });

    const byProcess = await client.searchProcessInstances({ filter: { processDefinitionId: 'zm-review', state: 'ACTIVE' } });
    expect(byProcess.items.map((i) => i.processInstanceKey).sort()).toEqual([a1.processInstanceKey, a2.processInstanceKey].sort());
    expect(byProcess.page.totalItems).toBe(2);
    expect(byProcess.items[0]).toMatchObject({ processDefinitionId: 'zm-review', processDefinitionVersion: 1, state: 'ACTIVE', tenantId: '<default>' });
    expect(byProcess.items[0].processDefinitionKey).toBe(a1.definitionKey);

    const byDefinition = await client.searchProcessInstances({ filter: { processDefinitionKey: b1.definitionKey } });
    expect(byDefinition.items.map((i) => i.processInstanceKey)).toEqual([b1.processInstanceKey]);
    expect(byDefinition.items[0]).toMatchObject({ hasIncident: false });

    // A job failed with no retries left raises an incident, which the search reports.
    const [job] = await engine.activateJobs({ type: 'zm-record', worker: 'test', maxJobs: 1, timeoutMs: 60_000 });
    await engine.failJob(job.key, { retries: 0, errorMessage: '登记失败' });
    const withIncident = await client.searchProcessInstances({ filter: { processInstanceKey: b1.processInstanceKey } });
    expect(withIncident.items[0]).toMatchObject({ processInstanceKey: b1.processInstanceKey, state: 'ACTIVE', hasIncident: true });

    const byKey = await client.searchProcessInstances({ filter: { processInstanceKey: a2.processInstanceKey } });
    expect(byKey.items).toHaveLength(1);
    expect(byKey.items[0]).toMatchObject({ processInstanceKey: a2.processInstanceKey, processDefinitionId: 'zm-review', state: 'ACTIVE' });
    expect((await client.searchProcessInstances({ filter: { processInstanceKey: a2.processInstanceKey, processDefinitionId: 'zm-adapter' } })).items).toEqual([]);
    expect((await client.searchProcessInstances({ filter: { processInstanceKey: '999999999' } })).items).toEqual([]);

    const page = await client.searchProcessInstances({ filter: { processDefinitionId: 'zm-review' }, page: { from: 1, limit: 1 } } as never);
    expect(page.items).toHaveLength(1);
    expect(page.page.totalItems).toBe(2);

    await client.cancelProcessInstance({ processInstanceKey: a1.processInstanceKey });
    expect((await engine.getInstance(a1.processInstanceKey)).state).toBe('canceled');
    const active = await client.searchProcessInstances({ filter: { processDefinitionId: 'zm-review', state: 'ACTIVE' } });
    expect(active.items.map((i) => i.processInstanceKey)).toEqual([a2.processInstanceKey]);
    const ended = await client.searchProcessInstances({ filter: { processDefinitionId: 'zm-review', state: 'TERMINATED' } });
    expect(ended.items.map((i) => i.processInstanceKey)).toEqual([a1.processInstanceKey]);
    expect(ended.items[0].endDate).toEqual(expect.any(String));

    // A second cancellation and an unknown key are refused; nothing else changes.
    expect(await status(client.cancelProcessInstance({ processInstanceKey: a1.processInstanceKey }))).toBeGreaterThanOrEqual(400);
    expect(await status(client.cancelProcessInstance({ processInstanceKey: '999999999' }))).toBe(404);
    expect((await engine.getInstance(a2.processInstanceKey)).state).toBe('active');
  });

  test('bad filters answer 400 with a stable code', async () => {
    const post = async (body: unknown) => {
      const res = await fetch(`${base}/process-instances/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { title: string } };
    };
    expect(await post({ filter: { state: 'RUNNING' } })).toMatchObject({ status: 400, body: { title: 'INVALID_ARGUMENT' } });
    expect(await post({ filter: { processInstanceKey: 'abc' } })).toMatchObject({ status: 400, body: { title: 'INVALID_ARGUMENT' } });
    expect(await post({ filter: { processDefinitionId: 7 } })).toMatchObject({ status: 400, body: { title: 'INVALID_ARGUMENT' } });
    expect(await post([1])).toMatchObject({ status: 400, body: { title: 'INVALID_ARGUMENT' } });
    const wrongMethod = await fetch(`${base}/topology`, { method: 'DELETE' });
    expect(wrongMethod.status).toBe(404);
  });
});
