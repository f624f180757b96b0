import { TestClock } from '../../../../src/clock/clock';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { WorkerRuntime } from '../../../../src/engine/runtime/worker-runtime';
import { JOB_ACTION_ACKNOWLEDGEMENT, JobActionAcknowledgement } from '../../../../src/workers/contract';
import { diagram, simpleProcess } from '../../../fixtures/bpmn/diagram';
import { TestDatabase, createTestDatabase, testDbKinds } from '../../../support/db';

async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(testDbKinds())('worker runtime with deployed diagrams on %s', (kind) => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let workers: WorkerRuntime;
  const warnings: unknown[] = [];
  beforeAll(async () => {
    db = await createTestDatabase(kind, 'workers');
    engine = new EmbeddedEngine(db.ds, new TestClock());
    workers = new WorkerRuntime(engine, { concurrency: 3, pollIntervalMs: 50, logger: { warn: (o) => warnings.push(o), error: (o) => warnings.push(o) } });
    await db.ds.query('CREATE TABLE rt_effects (job_key VARCHAR(40) PRIMARY KEY, note VARCHAR(40))');
  });
  afterAll(async () => {
    await workers.stop();
    await engine.stop();
    await db.close();
  });

  test('handlers complete jobs with their writes in the step transaction, errors reach boundary events, a handler without acknowledgement fails the job', async () => {
    await engine.deploy([{ name: 'simple.bpmn', content: simpleProcess('wr-simple', 'wr-do') }], 'test');
    await engine.deploy([{ name: 'err.bpmn', content: diagram(`
      <bpmn:startEvent id="start" />
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
      <bpmn:serviceTask id="check"><bpmn:extensionElements><zeebe:taskDefinition type="wr-check" retries="1" /></bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:boundaryEvent id="refused" attachedToRef="check"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="ok" />
      <bpmn:endEvent id="ok" />
      <bpmn:sequenceFlow id="f3" sourceRef="refused" targetRef="no" />
      <bpmn:endEvent id="no" />`, { id: 'wr-err', rootElements: '<bpmn:error id="Err" name="Refused" errorCode="REFUSED" />' }) }], 'test');

    let running = 0;
    let peak = 0;
    workers.register<{ n: number }, Record<string, string>>({
      taskType: 'wr-do', timeoutMs: 10_000,
      handler: async (job): Promise<JobActionAcknowledgement> => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return job.complete({ done: job.variables.n }, async (em) => {
          await em.query('INSERT INTO rt_effects (job_key, note) VALUES (?, ?)', [job.key, 'done']);
        });
      },
    });
    workers.register({
      taskType: 'wr-check', timeoutMs: 10_000,
      handler: async (job) => (job.variables.refuse ? job.error({ errorCode: 'REFUSED', errorMessage: 'no' }) : (undefined as unknown as typeof JOB_ACTION_ACKNOWLEDGEMENT)),
    });
    workers.start();
    const keys: string[] = [];
    for (let i = 0; i < 8; i++) keys.push((await engine.createInstance({ bpmnProcessId: 'wr-simple', variables: { n: i } })).processInstanceKey);
    await until(async () => (await Promise.all(keys.map((k) => engine.getInstance(k)))).every((v) => v.state === 'completed'));
    expect(peak).toBeLessThanOrEqual(3);
    expect(await db.ds.query('SELECT job_key FROM rt_effects')).toHaveLength(8);
    expect((await engine.getInstance(keys[3])).variables).toEqual({ n: 3, done: 3 });

    const refused = await engine.createInstance({ bpmnProcessId: 'wr-err', variables: { refuse: true } });
    const silent = await engine.createInstance({ bpmnProcessId: 'wr-err', variables: { refuse: false } });
    await until(async () => (await engine.getInstance(refused.processInstanceKey)).state === 'completed');
    expect((await engine.getInstance(refused.processInstanceKey)).elements.map((e) => e.elementId)).toContain('no');
    await until(async () => (await engine.getInstance(silent.processInstanceKey)).incidents.length === 1);
    expect((await engine.getInstance(silent.processInstanceKey)).incidents[0].errorType).toBe('JOB_NO_RETRIES');
    expect(warnings.length).toBeGreaterThan(0);
  });
});
