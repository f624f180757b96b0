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

describe.each(testDbKinds())('worker runtime slots on %s', (kind) => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let workers: WorkerRuntime;
  beforeAll(async () => {
    db = await createTestDatabase(kind, 'slots');
    engine = new EmbeddedEngine(db.ds, new TestClock());
  });
  afterAll(async () => {
    await workers?.stop();
    await engine.stop();
    await db.close();
  });

  test('a job that has answered lends its slot to the job its step pushes, so only first jobs wait for a poll, and no more handlers than the limit run at once', async () => {
    const chain = [1, 2, 3, 4];
    await engine.deploy([{ name: 'chain.bpmn', content: diagram(`
      <bpmn:startEvent id="start" />
      ${chain.map((i) => `
      <bpmn:sequenceFlow id="f${i}" sourceRef="${i === 1 ? 'start' : `t${i - 1}`}" targetRef="t${i}" />
      <bpmn:serviceTask id="t${i}"><bpmn:extensionElements><zeebe:taskDefinition type="slot-${i}" /></bpmn:extensionElements></bpmn:serviceTask>`).join('')}
      <bpmn:sequenceFlow id="f-end" sourceRef="t4" targetRef="end" />
      <bpmn:endEvent id="end" />`, { id: 'slot-chain' }) }], 'test');
    // Polls come only when a step wakes them: a timed poll would come after the test has failed.
    workers = new WorkerRuntime(engine, { concurrency: 2, pollIntervalMs: 600_000 });
    const polledTypes: string[] = [];
    let polls = 0;
    const activate = engine.activateJobs.bind(engine);
    engine.activateJobs = async (req) => {
      const jobs = await activate(req);
      polls++;
      polledTypes.push(...jobs.map((j) => j.type));
      return jobs;
    };
    let running = 0;
    let peak = 0;
    for (const i of chain) {
      workers.register({
        taskType: `slot-${i}`, timeoutMs: 30_000,
        handler: async (job) => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return job.complete({ [`r${i}`]: i });
        },
      });
    }
    workers.start();
    // Each type's first poll, which finds nothing, holds the free slots while it runs.
    await until(async () => polls >= chain.length);
    const keys = await Promise.all(Array.from({ length: 6 }, () => engine.createInstance({ bpmnProcessId: 'slot-chain', variables: {} })));
    await until(async () => (await Promise.all(keys.map((k) => engine.getInstance(k.processInstanceKey)))).every((v) => v.state === 'completed'), 20_000);
    expect(peak).toBeLessThanOrEqual(2);
    // Each step answering a job pushed the instance's next job into the answered job's slot. Without
    // the loan, every later job would have waited in the table for a poll.
    expect(polledTypes.filter((t) => t !== 'slot-1')).toEqual([]);
    expect(polledTypes.length).toBeLessThanOrEqual(4);
  });
});

describe.each(testDbKinds())('pushed jobs answered by in-process workers on %s', (kind) => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;
  let workers: WorkerRuntime;
  beforeAll(async () => {
    db = await createTestDatabase(kind, 'pushed');
    engine = new EmbeddedEngine(db.ds, new TestClock());
    workers = new WorkerRuntime(engine, { concurrency: 4, pollIntervalMs: 50 });
  });
  afterAll(async () => {
    await workers.stop();
    await engine.stop();
    await db.close();
  });

  test('a job inside a sub-process: its variables reach the scopes Zeebe puts them in; one interrupted before it answers is gone, and the boundary path runs', async () => {
    await engine.deploy([{ name: 'pushed.bpmn', content: diagram(`
      <bpmn:startEvent id="start" />
      <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="sub" />
      <bpmn:subProcess id="sub">
        <bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=a + 1" target="x" /></zeebe:ioMapping></bpmn:extensionElements>
        <bpmn:startEvent id="s-start" />
        <bpmn:sequenceFlow id="s1" sourceRef="s-start" targetRef="s-task" />
        <bpmn:serviceTask id="s-task"><bpmn:extensionElements><zeebe:taskDefinition type="pushed-in-sub" /></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:sequenceFlow id="s2" sourceRef="s-task" targetRef="s-end" />
        <bpmn:endEvent id="s-end" />
      </bpmn:subProcess>
      <bpmn:boundaryEvent id="stop" attachedToRef="sub">
        <bpmn:messageEventDefinition messageRef="Stop" />
      </bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f2" sourceRef="sub" targetRef="end" />
      <bpmn:endEvent id="end" />
      <bpmn:sequenceFlow id="f3" sourceRef="stop" targetRef="stopped" />
      <bpmn:endEvent id="stopped" />`, {
      id: 'pushed-sub',
      rootElements: `<bpmn:message id="Stop" name="pushed-stop"><bpmn:extensionElements><zeebe:subscription correlationKey="=ref" /></bpmn:extensionElements></bpmn:message>`,
    }) }], 'test');
    const seen: Array<Record<string, unknown>> = [];
    const answers: Array<string> = [];
    workers.register<{ a: number; x: number; ref: string; hold?: boolean }, Record<string, string>>({
      taskType: 'pushed-in-sub', timeoutMs: 30_000,
      handler: async (job) => {
        seen.push({ ...job.variables });
        // Held: answers once the message has interrupted the sub-process and the instance has ended.
        if (job.variables.hold) await until(async () => (await engine.getInstance(job.processInstanceKey)).state === 'completed', 10_000);
        try {
          return await job.complete({ x: job.variables.x * 10, y: 5 });
        } catch (e) {
          answers.push((e as { code?: string }).code ?? String(e));
          throw e;
        }
      },
    });
    workers.start();
    const done = async (key: string) => {
      await until(async () => (await engine.getInstance(key)).state === 'completed', 10_000);
      return engine.getInstance(key);
    };

    const plain = await done((await engine.createInstance({ bpmnProcessId: 'pushed-sub', variables: { a: 1, ref: 'p1' } })).processInstanceKey);
    // x lives in the sub-process (its input), so the answer's x went there and ended with it; y,
    // new to every scope, went to the process.
    expect(seen[0]).toEqual({ a: 1, ref: 'p1', x: 2 });
    expect(plain.variables).toEqual({ a: 1, ref: 'p1', y: 5 });
    expect(plain.elements.map((e) => e.elementId)).toEqual(['start', 'sub', 's-start', 's-task', 's-end', 'end']);

    const held = await engine.createInstance({ bpmnProcessId: 'pushed-sub', variables: { a: 1, ref: 'p2', hold: true } });
    await until(async () => seen.length === 2);
    await engine.publishMessage({ name: 'pushed-stop', correlationKey: 'p2' });
    const stopped = await done(held.processInstanceKey);
    expect(stopped.elements.map((e) => [e.elementId, e.state])).toEqual([
      ['start', 'completed'], ['sub', 'terminated'], ['s-start', 'completed'], ['s-task', 'terminated'], ['stop', 'completed'], ['stopped', 'completed']]);
    await until(async () => answers.length > 0);
    expect(answers).toEqual(['JOB_NOT_FOUND']);
    expect(stopped.variables).toEqual({ a: 1, ref: 'p2', hold: true });
  });
});
