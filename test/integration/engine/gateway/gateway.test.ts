/**
 * The embedded engine's Zeebe gateway driven by the real @camunda8/sdk gRPC client over 127.0.0.1:
 * deploy, instances, workers (complete, fail into an incident, BPMN error), messages, results,
 * cancel, long polling, job streaming and the gRPC status of each refusal.
 */
import path from 'node:path';
import pino from 'pino';
import { TestClock } from '../../../../src/clock/clock';
import { startGateway, type RunningGateway } from '../../../../src/engine/gateway';
import { EmbeddedEngine, type InstanceView } from '../../../../src/engine/runtime/engine';
import { simpleProcess } from '../../../fixtures/bpmn/diagram';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../../support/db';
import { GrpcCode as Code, grpcClient, rejection, until, type ZeebeClient } from '../../../support/zeebe-grpc';

const FIXTURES = path.join(__dirname, '../../../fixtures/bpmn/gateway');
const fixture = (name: string) => path.join(FIXTURES, name);

describe.each(testDbKinds())('Zeebe gateway of the embedded engine on %s', (kind) => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let gateway: RunningGateway;
  let zbc: ZeebeClient;
  const workers: Array<{ close(): Promise<unknown> | unknown }> = [];
  /** Instances started with `bankDown` whose charge job the worker now completes. */
  const healed = new Set<string>();

  const instance = (key: string) => engine.getInstance(key);
  const ended = (key: string) => until<InstanceView>(`instance ${key} to end`, async () => {
    const v = await instance(key);
    return v.state !== 'active' && v;
  });

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'gateway');
    engine = new EmbeddedEngine(db.ds, new TestClock(), {});
    gateway = await startGateway({ engine, port: 0, logger: pino({ level: 'silent' }), recheckMs: 200 });
    zbc = grpcClient(gateway.port, { ZEEBE_GRPC_WORKER_LONGPOLL_SECONDS: 5, ZEEBE_GRPC_WORKER_POLL_INTERVAL_MS: 50 });
    workers.push(zbc.createWorker({
      taskType: 'gw-charge',
      timeout: 30_000,
      taskHandler: (job) => {
        if (job.variables.bankDown && !healed.has(job.processInstanceKey)) return job.fail({ errorMessage: 'bank system down', retries: job.retries - 1, retryBackOff: 0 });
        return job.complete({ charged: Number(job.variables.amount) * 2, office: job.customHeaders.office });
      },
    }));
  }, 60_000);

  afterAll(async () => {
    // The gateway first: it answers the workers' pending long polls, which ends the SDK's timers for them.
    await gateway?.stop();
    for (const w of workers) await w.close();
    await zbc?.close();
    await db?.close();
  }, 60_000);

  test('topology: one broker, partition 1 led by it', async () => {
    const t = await zbc.topology();
    expect(t).toMatchObject({ clusterSize: 1, partitionsCount: 1, replicationFactor: 1, gatewayVersion: '8.8.0' });
    expect(t.brokers).toHaveLength(1);
    expect(t.brokers[0]).toMatchObject({ host: '127.0.0.1', port: gateway.port, partitions: [{ partitionId: 1, role: 'LEADER', health: 'HEALTHY' }] });
  });

  test('deploys diagrams and forms; a second identical deploy answers the same version', async () => {
    const charge = await zbc.deployResource({ processFilename: fixture('gw-charge.bpmn') });
    // The SDK names a resource deployed from a file by the path it was given.
    expect(charge.deployments[0].process).toMatchObject({ bpmnProcessId: 'gw-charge', version: 1, resourceName: fixture('gw-charge.bpmn') });
    expect(charge.deployments[0].process.processDefinitionKey).toMatch(/^\d+$/);
    const again = await zbc.deployResource({ processFilename: fixture('gw-charge.bpmn') });
    expect(again.deployments[0].process).toMatchObject({ version: 1, processDefinitionKey: charge.deployments[0].process.processDefinitionKey });

    const both = await zbc.deployResources([{ processFilename: fixture('gw-review.bpmn') }, { formFilename: fixture('gw-explain.form') }]);
    const deployments = both.deployments as Array<Record<string, { resourceName: string } | undefined>>;
    const kinds = deployments.map((d) => (d.process ? `process ${path.basename(d.process.resourceName)}` : d.form ? `form ${path.basename(d.form.resourceName)}` : '?')).sort();
    expect(kinds).toEqual(['form gw-explain.form', 'process gw-review.bpmn']);
    expect(deployments.find((d) => d.form)).toMatchObject({ form: { formId: 'gw-explain', version: 1 } });

    await zbc.deployResource({ processFilename: fixture('gw-answer.bpmn') });
  });

  test('an invalid diagram is refused with INVALID_ARGUMENT naming every problem', async () => {
    const r = await rejection(zbc.deployResource({ processFilename: fixture('gw-invalid.bpmn') }));
    expect(r.code).toBe(Code.INVALID_ARGUMENT);
    expect(r.details).toContain('INVALID_DIAGRAM');
    for (const id of ['script', 'untyped', 'f4']) expect(r.details).toContain(id);
    expect((await rejection(zbc.deployResource({ name: 'notes.txt', process: Buffer.from('hello') }))).code).toBe(Code.INVALID_ARGUMENT);
  });

  test('createProcessInstance, and a createWorker completes its job with variables and headers', async () => {
    const created = await zbc.createProcessInstance({ bpmnProcessId: 'gw-charge', variables: { amount: 21 } });
    expect(created).toMatchObject({ bpmnProcessId: 'gw-charge', version: 1 });
    const view = await ended(created.processInstanceKey);
    expect(view.state).toBe('completed');
    expect(view.variables).toEqual({ amount: 21, charged: 42, office: '解放路' });
  });

  test('createProcessInstanceWithResult answers the variables at the end; a slow one runs out of time', async () => {
    const r = await zbc.createProcessInstanceWithResult({ bpmnProcessId: 'gw-charge', variables: { amount: 5 }, requestTimeout: 10_000 });
    expect(r.variables).toEqual({ amount: 5, charged: 10, office: '解放路' });
    const only = await zbc.createProcessInstanceWithResult({ bpmnProcessId: 'gw-charge', variables: { amount: 6 }, fetchVariables: ['charged'] });
    expect(only.variables).toEqual({ charged: 12 });

    const slow = await rejection(zbc.createProcessInstanceWithResult({ bpmnProcessId: 'gw-answer', variables: { caseNumber: 'slow' }, requestTimeout: 300 }));
    expect(slow.code).toBe(Code.DEADLINE_EXCEEDED);
  });

  test('job.fail counts retries down into an incident; retries and resolve let it finish', async () => {
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-charge', variables: { amount: 3, bankDown: true } });
    const incident = await until('an incident', async () => (await engine.listIncidents({ processInstanceKey: pi.processInstanceKey }))[0]);
    expect(incident).toMatchObject({ errorType: 'JOB_NO_RETRIES', errorMessage: 'bank system down', elementId: 'charge' });

    healed.add(pi.processInstanceKey);
    await zbc.updateJobRetries({ jobKey: incident.jobKey!, retries: 1 });
    await zbc.resolveIncident({ incidentKey: incident.key });
    expect((await ended(pi.processInstanceKey)).variables).toMatchObject({ charged: 6 });
    expect((await instance(pi.processInstanceKey)).state).toBe('completed');
    expect((await rejection(zbc.resolveIncident({ incidentKey: incident.key }))).code).toBe(Code.FAILED_PRECONDITION);
  });

  test('job.error is caught by the boundary event and the process goes on to the user task', async () => {
    workers.push(zbc.createWorker({
      taskType: 'gw-check',
      taskHandler: (job) => job.error({ errorCode: 'REFUSED', errorMessage: 'employer refused the inspection', variables: { refusedBy: job.variables.employer } }),
    }));
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-review', variables: { employer: '某公司' } });
    const task = await until('the user task', async () => (await engine.listTasks({ processInstanceKey: pi.processInstanceKey }))[0]);
    expect(task).toMatchObject({ elementId: 'explain', formId: 'gw-explain' });
    const view = await instance(pi.processInstanceKey);
    expect(view.elements.find((e) => e.elementId === 'refused')?.state).toBe('completed');
    expect(view.variables).toMatchObject({ refusedBy: '某公司' });
  });

  test('publishMessage correlates; a buffered message reaches a later instance; a repeated messageId is ALREADY_EXISTS', async () => {
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-answer', variables: { caseNumber: 'A-1' } });
    await zbc.publishMessage({ name: 'gw-answer', correlationKey: 'A-1', variables: { answer: '同意' }, timeToLive: 0 });
    expect((await ended(pi.processInstanceKey)).variables).toEqual({ caseNumber: 'A-1', answer: '同意' });

    const first = await zbc.publishMessage({ name: 'gw-answer', correlationKey: 'A-2', messageId: 'm-A-2', variables: { answer: '不同意' }, timeToLive: 60_000 });
    expect(first.key).toMatch(/^[1-9]\d*$/);
    const dup = await rejection(zbc.publishMessage({ name: 'gw-answer', correlationKey: 'A-2', messageId: 'm-A-2', variables: {}, timeToLive: 60_000 }));
    expect(dup.code).toBe(Code.ALREADY_EXISTS);
    expect(dup.details).toContain('m-A-2');
    const later = await zbc.createProcessInstance({ bpmnProcessId: 'gw-answer', variables: { caseNumber: 'A-2' } });
    expect((await ended(later.processInstanceKey)).variables).toEqual({ caseNumber: 'A-2', answer: '不同意' });
  });

  test('cancelProcessInstance ends a waiting instance; cancelling it again is NOT_FOUND', async () => {
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-answer', variables: { caseNumber: 'C-1' } });
    await zbc.cancelProcessInstance(pi.processInstanceKey);
    expect((await instance(pi.processInstanceKey)).state).toBe('canceled');
    expect((await rejection(zbc.cancelProcessInstance(pi.processInstanceKey))).code).toBe(Code.NOT_FOUND);
  });

  test('setVariables writes into a waiting instance: by propagation to the process, or local to an element', async () => {
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-answer', variables: { caseNumber: 'C-2' } });
    const r = await zbc.setVariables({ elementInstanceKey: pi.processInstanceKey, variables: { caseNumber: 'C-3', note: '补正' }, local: false });
    expect(r).toMatchObject({ key: '0' });
    expect((await instance(pi.processInstanceKey)).variables).toEqual({ caseNumber: 'C-3', note: '补正' });
    const waiting = (await instance(pi.processInstanceKey)).elements.find((e) => e.state === 'active')!;
    await zbc.setVariables({ elementInstanceKey: waiting.elementInstanceKey, variables: { only: 'here' }, local: true });
    expect((await instance(pi.processInstanceKey)).variables).toEqual({ caseNumber: 'C-3', note: '补正' });
    expect((await rejection(zbc.setVariables({ elementInstanceKey: pi.processInstanceKey, variables: '[1]' as never, local: false }))).code).toBe(Code.INVALID_ARGUMENT);
    await zbc.cancelProcessInstance(pi.processInstanceKey);
  });

  test('refusals carry the matching gRPC status', async () => {
    expect((await rejection(zbc.createProcessInstance({ bpmnProcessId: 'never-deployed', variables: {} }))).code).toBe(Code.NOT_FOUND);
    expect((await rejection(zbc.completeJob({ jobKey: '987654321', variables: {} }))).code).toBe(Code.NOT_FOUND);
    expect((await rejection(zbc.resolveIncident({ incidentKey: '987654321' }))).code).toBe(Code.NOT_FOUND);
    expect((await rejection(zbc.setVariables({ elementInstanceKey: '987654321', variables: { a: 1 }, local: false }))).code).toBe(Code.NOT_FOUND);
    const signal = await rejection(zbc.broadcastSignal({ signalName: '', variables: {} }));
    expect(signal.code).toBe(Code.INVALID_ARGUMENT);
    const tenant = await rejection(zbc.createProcessInstance({ bpmnProcessId: 'gw-charge', variables: {}, tenantId: 'other-office' }));
    expect(tenant.code).toBe(Code.INVALID_ARGUMENT);
  });

  test('ActivateJobs long-polls: it answers when a job appears, or empty at its requestTimeout', async () => {
    await zbc.deployResource({ name: 'gw-poll.bpmn', process: Buffer.from(simpleProcess('gw-poll', 'gw-poll')) });
    const t0 = Date.now();
    const empty = await zbc.activateJobs({ type: 'gw-poll', worker: 'test', maxJobsToActivate: 5, timeout: 30_000, requestTimeout: 400 });
    expect(empty).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);

    const t1 = Date.now();
    const polling = zbc.activateJobs({ type: 'gw-poll', worker: 'test', maxJobsToActivate: 5, timeout: 30_000, requestTimeout: 8000 });
    await new Promise((r) => setTimeout(r, 300));
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-poll', variables: { n: 1 } });
    const jobs = await polling;
    expect(Date.now() - t1).toBeLessThan(3000);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ type: 'gw-poll', processInstanceKey: pi.processInstanceKey, elementId: 'work', worker: 'test', variables: { n: 1 } });
    expect(Number(jobs[0].deadline)).toBeGreaterThan(Date.now());
    await zbc.completeJob({ jobKey: jobs[0].key, variables: { done: true } });
    expect((await ended(pi.processInstanceKey)).variables).toEqual({ n: 1, done: true });
  });

  test('a job comes back to a long poll when its lease runs out, and after a failure\'s back-off', async () => {
    await zbc.deployResource({ name: 'gw-lease.bpmn', process: Buffer.from(simpleProcess('gw-lease', 'gw-lease')) });
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-lease', variables: {} });
    const [leased] = await zbc.activateJobs({ type: 'gw-lease', worker: 'a', maxJobsToActivate: 1, timeout: 300, requestTimeout: -1 });
    expect(leased.processInstanceKey).toBe(pi.processInstanceKey);
    const t0 = Date.now();
    const [again] = await zbc.activateJobs({ type: 'gw-lease', worker: 'b', maxJobsToActivate: 1, timeout: 30_000, requestTimeout: 5000 });
    expect(again).toMatchObject({ key: leased.key, worker: 'b' });
    expect(Date.now() - t0).toBeLessThan(2500);

    await zbc.failJob({ jobKey: again.key, retries: 2, errorMessage: 'try later', retryBackOff: 400 });
    const t1 = Date.now();
    const [third] = await zbc.activateJobs({ type: 'gw-lease', worker: 'c', maxJobsToActivate: 1, timeout: 30_000, requestTimeout: 5000 });
    expect(third).toMatchObject({ key: leased.key, retries: 2 });
    expect(Date.now() - t1).toBeGreaterThanOrEqual(350);
    await zbc.completeJob({ jobKey: third.key, variables: {} });
    expect((await ended(pi.processInstanceKey)).state).toBe('completed');
  });

  test('updateJobTimeout shortens a lease, so the job comes back; a job not activated has no lease to change', async () => {
    await zbc.deployResource({ name: 'gw-timeout.bpmn', process: Buffer.from(simpleProcess('gw-timeout', 'gw-timeout')) });
    const pi = await zbc.createProcessInstance({ bpmnProcessId: 'gw-timeout', variables: {} });
    const [leased] = await zbc.activateJobs({ type: 'gw-timeout', worker: 'a', maxJobsToActivate: 1, timeout: 600_000, requestTimeout: -1 });
    await zbc.updateJobTimeout({ jobKey: leased.key, timeout: 200 });
    const t0 = Date.now();
    const [again] = await zbc.activateJobs({ type: 'gw-timeout', worker: 'b', maxJobsToActivate: 1, timeout: 30_000, requestTimeout: 5000 });
    expect(again).toMatchObject({ key: leased.key, worker: 'b' });
    expect(Date.now() - t0).toBeLessThan(2500);
    await zbc.failJob({ jobKey: again.key, retries: 1, errorMessage: 'later', retryBackOff: 600_000 });
    expect((await rejection(zbc.updateJobTimeout({ jobKey: again.key, timeout: 1000 }))).code).toBe(Code.FAILED_PRECONDITION);
    expect((await rejection(zbc.updateJobTimeout({ jobKey: '987654321', timeout: 1000 }))).code).toBe(Code.NOT_FOUND);
    await zbc.cancelProcessInstance(pi.processInstanceKey);
  });

  test('streamJobs: jobs are pushed over StreamActivatedJobs as they are created', async () => {
    await zbc.deployResource({ name: 'gw-stream.bpmn', process: Buffer.from(simpleProcess('gw-stream', 'gw-stream')) });
    const streamed: string[] = [];
    const stream = await zbc.streamJobs({
      type: 'gw-stream', worker: 'streamer', timeout: 30_000, tenantIds: [], pollInterval: 0,
      taskHandler: (job) => {
        streamed.push(job.processInstanceKey);
        return job.complete({ streamed: true });
      },
    });
    workers.push(stream);
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) keys.push((await zbc.createProcessInstance({ bpmnProcessId: 'gw-stream', variables: { i } })).processInstanceKey);
    for (const k of keys) expect((await ended(k)).variables).toMatchObject({ streamed: true });
    expect(streamed.sort()).toEqual([...keys].sort());
  });
});
