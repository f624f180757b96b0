/**
 * The Zeebe adapter (src/engine/zeebe/) over gRPC with the real @camunda8/sdk, against the embedded
 * engine's gateway on another database: deploy (a no-op when unchanged), instances with a business
 * key, createWorker with a transactional write, retries into an incident and its resolution, a BPMN
 * error caught by its boundary event, messages (a repeated id accepted once), cancel; the local
 * mirror of what the workers saw. No user tasks here (zeebe-service.test.ts has them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { recordAudit, systemActor } from '../../../src/audit/audit';
import { TestClock } from '../../../src/clock/clock';
import { EmbeddedEngine } from '../../../src/engine/runtime/engine';
import { createZeebeMode, type ZeebeMode } from '../../../src/engine/zeebe';
import type { WorkerRegistration } from '../../../src/workers/contract';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../support/db';
import { quietLogger, startEngineGateways, until, type EngineGateways } from '../../support/zeebe-grpc';

const DIAGRAM = { name: 'zm-adapter.bpmn', content: fs.readFileSync(path.join(__dirname, 'fixtures/zm-adapter.bpmn'), 'utf8') };

describe.each(testDbKinds())('Zeebe adapter over the embedded gateway (%s)', (kind) => {
  let cluster: TestDatabase;
  let local: TestDatabase;
  let engine: EmbeddedEngine;
  let gateways: EngineGateways;
  let zeebe: ZeebeMode;
  const clock = new TestClock();
  /** Instances whose `record` job fails until healed. */
  const healed = new Set<string>();

  const registrations: WorkerRegistration[] = [
    {
      taskType: 'zm-record', timeoutMs: 30_000, fetchVariables: ['caseNumber', 'refuse', 'broken'],
      handler: async (job) => {
        if (job.variables.refuse) return job.error({ errorCode: 'REFUSED', errorMessage: '不予受理' });
        if (job.variables.broken && !healed.has(job.processInstanceKey)) return job.fail({ errorMessage: '系统故障', retryBackOff: 0 });
        return job.complete({ recorded: true, office: job.customHeaders.office }, (em) =>
          recordAudit(em, systemActor('worker:zm-record'), clock.now(), { action: 'zm.record', entityType: 'process_instance', entityId: job.processInstanceKey }));
      },
    },
    {
      taskType: 'zm-finish', timeoutMs: 30_000,
      handler: async (job) => {
        // A handler that throws fails the job with one retry fewer.
        if (job.variables.crashOnce && job.retries === 3) throw new Error('crashed');
        return job.complete({ finished: true });
      },
    },
  ];

  beforeAll(async () => {
    cluster = await createTestDatabase(kind, 'zm-cluster');
    local = await createTestDatabase(kind, 'zm-local');
    engine = new EmbeddedEngine(cluster.ds, new TestClock(), {});
    engine.start();
    gateways = await startEngineGateways(engine);
    zeebe = createZeebeMode({ settings: gateways.zeebeSettings(), ds: local.ds, clock, logger: quietLogger, registrations, fastPolling: true });
    zeebe.workers.start();
  }, 60_000);

  afterAll(async () => {
    // The gateway first: it answers the workers' pending long polls.
    await gateways?.stop();
    await zeebe?.workers.stop();
    await zeebe?.close();
    await engine?.stop();
    await local?.close();
    await cluster?.close();
  }, 60_000);

  const clusterInstance = (key: string) => engine.getInstance(key);
  const ended = (key: string) => until(`instance ${key} to end`, async () => {
    const v = await clusterInstance(key);
    return v.state !== 'active' && v;
  });

  test('deploys to Zeebe and records locally; an unchanged deploy is a no-op with the same version', async () => {
    const first = await zeebe.engine.deploy([DIAGRAM], 'test');
    expect(first.processes).toEqual([expect.objectContaining({ bpmnProcessId: 'zm-adapter', version: 1, duplicate: false })]);
    const again = await zeebe.engine.deploy([DIAGRAM], 'test');
    expect(again.processes).toEqual([expect.objectContaining({ bpmnProcessId: 'zm-adapter', version: 1, key: first.processes[0].key, duplicate: true })]);
    // The diagram views of the service read the local record.
    const rows = (await local.ds.query("SELECT COUNT(*) AS n FROM engine_process_definitions WHERE bpmn_process_id = 'zm-adapter'")) as Array<{ n: unknown }>;
    expect(Number(rows[0].n)).toBe(1);
  });

  test('an instance runs its job (write committed), waits for a message and ends; a business key starts once', async () => {
    const created = await zeebe.engine.createInstance({ bpmnProcessId: 'zm-adapter', businessKey: 'case-1', variables: { caseNumber: 'ZM-1' } });
    expect(created).toMatchObject({ bpmnProcessId: 'zm-adapter', version: 1, created: true });
    const twice = await zeebe.engine.createInstance({ bpmnProcessId: 'zm-adapter', businessKey: 'case-1', variables: { caseNumber: 'ZM-1' } });
    expect(twice).toMatchObject({ processInstanceKey: created.processInstanceKey, created: false });

    await until('the record job', async () => (await clusterInstance(created.processInstanceKey)).elements.some((e) => e.elementId === 'wait' && e.state === 'active'));
    const audit = (await local.ds.query("SELECT entity_id FROM audit_log WHERE action = 'zm.record'")) as Array<{ entity_id: string }>;
    expect(audit.map((a) => a.entity_id)).toContain(created.processInstanceKey);

    const published = await zeebe.engine.publishMessage({ name: 'zm-answer', correlationKey: 'ZM-1', variables: { answer: '同意' }, timeToLive: 'PT1H', messageId: 'answer-1' });
    expect(published).toMatchObject({ duplicate: false });
    expect(await zeebe.engine.publishMessage({ name: 'zm-answer', correlationKey: 'ZM-1', timeToLive: 'PT1H', messageId: 'answer-1' })).toMatchObject({ duplicate: true });

    const done = await ended(created.processInstanceKey);
    expect(done.state).toBe('completed');
    expect(done.variables).toMatchObject({ recorded: true, office: '解放路', answer: '同意', finished: true });

    const mirrored = await zeebe.engine.getInstance(created.processInstanceKey);
    expect(mirrored).toMatchObject({ bpmnProcessId: 'zm-adapter', businessKey: 'case-1' });
    expect(mirrored.elements.map((e) => `${e.elementId}:${e.state}`)).toEqual(['record:completed', 'finish:completed']);
  });

  test('failures count retries down into an incident; resolving it retries the job', async () => {
    const created = await zeebe.engine.createInstance({ bpmnProcessId: 'zm-adapter', variables: { caseNumber: 'ZM-2', broken: true } });
    const [incident] = await until('the incident', async () => {
      const list = await zeebe.engine.listIncidents({ processInstanceKey: created.processInstanceKey });
      return list.length > 0 && list;
    });
    expect(incident).toMatchObject({ elementId: 'record', errorMessage: '系统故障', state: 'active', bpmnProcessId: 'zm-adapter' });
    expect((await clusterInstance(created.processInstanceKey)).incidents).toEqual([expect.objectContaining({ state: 'active', elementId: 'record' })]);
    const failures = (await zeebe.engine.getInstance(created.processInstanceKey)).elements.find((e) => e.elementId === 'record');
    expect(failures).toMatchObject({ state: 'active', incident: true });

    healed.add(created.processInstanceKey);
    await zeebe.engine.resolveIncident(incident.key);
    await until('the job to complete', async () => (await clusterInstance(created.processInstanceKey)).elements.some((e) => e.elementId === 'wait'));
    expect(await zeebe.engine.listIncidents({ processInstanceKey: created.processInstanceKey })).toEqual([]);
    expect((await zeebe.engine.listIncidents({ state: 'resolved', processInstanceKey: created.processInstanceKey }))[0]).toMatchObject({ key: incident.key });
    await zeebe.engine.cancelInstance(created.processInstanceKey);
  });

  test('a BPMN error is caught by the boundary event', async () => {
    const created = await zeebe.engine.createInstance({ bpmnProcessId: 'zm-adapter', variables: { caseNumber: 'ZM-3', refuse: true } });
    const done = await ended(created.processInstanceKey);
    expect(done.elements.map((e) => e.elementId)).toEqual(expect.arrayContaining(['refused', 'endRefused']));
    expect(done.elements.map((e) => e.elementId)).not.toContain('wait');
  });

  test('a handler that throws fails the job with one retry fewer, and the retry completes it', async () => {
    const created = await zeebe.engine.createInstance({ bpmnProcessId: 'zm-adapter', variables: { caseNumber: 'ZM-4', crashOnce: true } });
    await until('the wait', async () => (await clusterInstance(created.processInstanceKey)).elements.some((e) => e.elementId === 'wait' && e.state === 'active'));
    await zeebe.engine.publishMessage({ name: 'zm-answer', correlationKey: 'ZM-4' });
    expect((await ended(created.processInstanceKey)).state).toBe('completed');
    const events = (await local.ds.query("SELECT event FROM zeebe_element_events WHERE process_instance_key = ? AND element_id = 'finish' ORDER BY id", [created.processInstanceKey])) as Array<{ event: string }>;
    expect(events.map((e) => e.event)).toEqual(['activated', 'failed', 'completed']);
  });

  test('cancel ends the instance in Zeebe and in the mirror; a second cancel is refused', async () => {
    const created = await zeebe.engine.createInstance({ bpmnProcessId: 'zm-adapter', variables: { caseNumber: 'ZM-5' } });
    await until('the wait', async () => (await clusterInstance(created.processInstanceKey)).elements.some((e) => e.elementId === 'wait' && e.state === 'active'));
    // Variables reach the cluster's instance through SetVariables; an unknown key is a 404.
    await zeebe.engine.setVariables(created.processInstanceKey, { caseNumber: 'ZM-5b', note: '补正' });
    expect((await clusterInstance(created.processInstanceKey)).variables).toMatchObject({ caseNumber: 'ZM-5b', note: '补正' });
    await expect(zeebe.engine.setVariables('987654321', { a: 1 })).rejects.toMatchObject({ kind: 'NOT_FOUND', code: 'ELEMENT_INSTANCE_NOT_FOUND' });
    await zeebe.engine.cancelInstance(created.processInstanceKey);
    expect((await clusterInstance(created.processInstanceKey)).state).toBe('canceled');
    expect((await zeebe.engine.getInstance(created.processInstanceKey)).state).toBe('canceled');
    await expect(zeebe.engine.cancelInstance(created.processInstanceKey)).rejects.toMatchObject({ kind: 'INVALID_STATE' });
  });

  test('an unknown process answers PROCESS_NOT_DEPLOYED', async () => {
    await expect(zeebe.engine.createInstance({ bpmnProcessId: 'zm-nothing' })).rejects.toMatchObject({ kind: 'NOT_FOUND', code: 'PROCESS_NOT_DEPLOYED' });
  });
});
