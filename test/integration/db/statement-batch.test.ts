/**
 * Batched transactions on MariaDB (src/db/statement-batch.ts) and the engine's key blocks
 * (src/engine/runtime/keys.ts): queued writes go out with the next statement, in order, and commit
 * or roll back with the rest of the transaction; key blocks never overlap.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../../src/db/data-source';
import { systemClock } from '../../../src/clock/clock';
import { EmbeddedEngine } from '../../../src/engine/runtime/engine';
import { KeyBlocks } from '../../../src/engine/runtime/keys';
import { WorkerRuntime } from '../../../src/engine/runtime/worker-runtime';
import { exec, later, select } from '../../../src/engine/runtime/tx';
import { createTestDatabase, TestDatabase, testDbKinds } from '../../support/db';

const mariadb = testDbKinds().includes('mariadb');
const describeMaria = mariadb ? describe : describe.skip;

/** Counts the round trips to the server: each logged query is one. */
function countRoundTrips(ds: DataSource): { sent: string[]; stop(): void } {
  const logger = ds.logger as unknown as { logQuery: (q: string) => void };
  const original = logger.logQuery;
  const sent: string[] = [];
  logger.logQuery = (q: string) => { sent.push(q); };
  return { sent, stop: () => { logger.logQuery = original; } };
}

const batched = <T>(ds: DataSource, work: (em: EntityManager) => Promise<T>) => inTransaction(ds, work, { batched: true });

describeMaria('batched transactions on MariaDB', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('mariadb', 'batch');
    await db.ds.query('CREATE TABLE batch_probe (id INT PRIMARY KEY, v VARCHAR(20) NOT NULL)');
  });
  afterAll(async () => db.close());
  beforeEach(async () => { await db.ds.query('DELETE FROM batch_probe'); });

  const rows = async () => ((await db.ds.query('SELECT id, v FROM batch_probe ORDER BY id')) as Array<{ id: number; v: string }>).map((r) => `${r.id}:${r.v}`);

  it('sends BEGIN with the first read, queued writes with the next statement, and the rest with COMMIT', async () => {
    const trips = countRoundTrips(db.ds);
    let seen: unknown[] = [];
    let inserted = -1;
    try {
      await batched(db.ds, async (em) => {
        await later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [1, 'a']);
        await later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [2, 'b'], (r) => { inserted = r.affected; });
        seen = await select(em, 'SELECT id FROM batch_probe ORDER BY id');
        await later(em, 'UPDATE batch_probe SET v = ? WHERE id = ?', ['c', 1]);
        await later(em, 'DELETE FROM batch_probe WHERE id = ?', [2]);
      });
    } finally {
      trips.stop();
    }
    // The read saw both queued inserts: they went out before it, in the same round trip.
    expect(seen).toEqual([{ id: 1 }, { id: 2 }]);
    expect(inserted).toBe(1);
    expect(trips.sent).toHaveLength(2);
    expect(trips.sent[0]).toMatch(/^START TRANSACTION;\nINSERT .*;\nINSERT .*;\nSELECT/s);
    expect(trips.sent[1]).toMatch(/^UPDATE .*;\nDELETE .*;\nCOMMIT$/s);
    expect(await rows()).toEqual(['1:c']);
  });

  it('rolls back everything, sent or queued, when a queued write fails, and leaves the pool usable', async () => {
    await db.ds.query("INSERT INTO batch_probe (id, v) VALUES (9, 'kept')");
    await expect(batched(db.ds, async (em) => {
      await exec(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [1, 'sent']);
      await later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [2, 'queued']);
      await later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [9, 'duplicate']);
      await later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [3, 'after']);
    })).rejects.toThrow(/Duplicate entry/);
    expect(await rows()).toEqual(['9:kept']);
    // Every pooled connection still works and is outside any transaction.
    await Promise.all(Array.from({ length: 10 }, (_, i) => batched(db.ds, (em) => later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [100 + i, 'ok']))));
    expect((await rows()).length).toBe(11);
  });

  it('rolls back when the work throws after statements went out, and sends nothing when it throws first', async () => {
    await expect(batched(db.ds, async (em) => {
      await later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [1, 'a']);
      await select(em, 'SELECT 1 AS x');
      await later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [2, 'b']);
      throw new Error('handler failed');
    })).rejects.toThrow('handler failed');
    expect(await rows()).toEqual([]);
    const trips = countRoundTrips(db.ds);
    try {
      await expect(batched(db.ds, async (em) => {
        await later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [3, 'c']);
        throw new Error('before anything was sent');
      })).rejects.toThrow('before anything');
    } finally {
      trips.stop();
    }
    expect(trips.sent).toEqual([]);
    expect(await rows()).toEqual([]);
  });

  it("sends the queue before a statement of TypeORM's own (a worker's write in the step), in order", async () => {
    await batched(db.ds, async (em) => {
      await later(em, 'INSERT INTO batch_probe (id, v) VALUES (?, ?)', [1, 'engine']);
      const seen = (await em.query('SELECT v FROM batch_probe WHERE id = ?', [1])) as Array<{ v: string }>;
      expect(seen).toEqual([{ v: 'engine' }]);
      await em.query('UPDATE batch_probe SET v = ? WHERE id = ?', ['worker', 1]);
      await later(em, "UPDATE batch_probe SET v = CONCAT(v, '+engine') WHERE id = ?", [1]);
    });
    expect(await rows()).toEqual(['1:worker+engine']);
  });
});

describeMaria('element-instance key blocks on MariaDB', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase('mariadb', 'keys'); });
  afterAll(async () => db.close());

  it('gives two processes disjoint keys, above every key already used', async () => {
    const a = new KeyBlocks(db.databaseUrl!, 'element_instance', 7);
    const b = new KeyBlocks(db.databaseUrl!, 'element_instance', 7);
    try {
      const keys = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).take()));
      expect(new Set(keys).size).toBe(40);
      expect(Math.min(...keys)).toBeGreaterThanOrEqual(1);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('starts an instance in two round trips, its element instances in one statement', async () => {
    const engine = new EmbeddedEngine(db.ds, systemClock);
    try {
      // A process of its own, so that its jobs stay out of the other tests' way.
      await engine.deploy([{ name: 'start.bpmn', content: ONE_TASK.replace(/keys-/g, 'start-') }], 'test');
      await engine.createInstance({ bpmnProcessId: 'start-one', variables: {} }); // reserves a key block
      const trips = countRoundTrips(db.ds);
      let pi;
      try {
        pi = await engine.createInstance({ bpmnProcessId: 'start-one', variables: { a: 1 } });
      } finally {
        trips.stop();
      }
      // The definition lookup goes with START TRANSACTION; the process, start event and first task
      // (the start event already ended) with the other writes and COMMIT.
      expect(trips.sent).toHaveLength(2);
      expect(trips.sent[0]).toMatch(/^START TRANSACTION;\s*SELECT .*engine_process_definitions/s);
      expect(trips.sent[1].match(/engine_element_instances/g)).toHaveLength(1);
      expect(trips.sent[1]).toMatch(/COMMIT$/);
      const view = await engine.getInstance(pi.processInstanceKey);
      expect(view.elements.map((e) => [e.elementId, e.state, e.endedAt !== null])).toEqual([
        ['start', 'completed', true], ['work', 'active', false]]);
    } finally {
      await engine.stop();
    }
  });

  it('answers a job the engine pushed to its own worker with a lock of the job and instance rows only, and the instance goes on as with the full read', async () => {
    const engine = new EmbeddedEngine(db.ds, systemClock);
    const workers = new WorkerRuntime(engine, { concurrency: 2, pollIntervalMs: 600_000 });
    const trips = countRoundTrips(db.ds);
    try {
      await engine.deploy([{ name: 'pushed.bpmn', content: ONE_TASK.replace(/keys-/g, 'pushed-') }], 'test');
      for (const [type, out] of [['pushed-work', { b: 2 }], ['pushed-more', { c: 3 }]] as const) {
        workers.register({ taskType: type, timeoutMs: 30_000, handler: (job) => job.complete({ ...out, seen: job.variables }) });
      }
      workers.start();
      await new Promise((r) => setTimeout(r, 200)); // the first polls, which find nothing, are over
      const pi = await engine.createInstance({ bpmnProcessId: 'pushed-one', variables: { a: 1 } });
      const end = Date.now() + 10_000;
      while ((await engine.getInstance(pi.processInstanceKey)).state !== 'completed' && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      trips.stop();
      const view = await engine.getInstance(pi.processInstanceKey);
      expect(view.state).toBe('completed');
      expect(view.variables).toEqual({ a: 1, b: 2, c: 3, seen: { a: 1, b: 2, seen: { a: 1 } } });
      expect(view.elements.map((e) => [e.elementId, e.state])).toEqual([['start', 'completed'], ['work', 'completed'], ['more', 'completed'], ['end', 'completed']]);
      // Both jobs were pushed, and each answer's lock read the job and its instance's row, then the
      // variables of the job's element and its scope; never the element instances.
      const locks = trips.sent.filter((q) => /FROM engine_jobs j .*FOR UPDATE/s.test(q));
      expect(locks).toHaveLength(2);
      for (const q of locks) {
        expect(q).toMatch(/^START TRANSACTION;\s*SELECT j\.\* FROM engine_jobs j LEFT JOIN engine_process_instances r ON r.id = j.root_id WHERE j.id = \? FOR UPDATE;\s*SELECT scope_id, name, value FROM engine_variables WHERE scope_id IN \(\?, \?\)$/);
      }
    } finally {
      trips.stop();
      await workers.stop();
      await engine.stop();
    }
  });

  it('answers a polled job of a root instance, handed in with its activation, with the same light lock', async () => {
    const engine = new EmbeddedEngine(db.ds, systemClock);
    try {
      await engine.deploy([{ name: 'polled.bpmn', content: ONE_TASK.replace(/keys-/g, 'polled-') }], 'test');
      const pi = await engine.createInstance({ bpmnProcessId: 'polled-one', variables: { a: 1 } });
      const [job] = await engine.activateJobs({ type: 'polled-work', worker: 'w', maxJobs: 1, timeoutMs: 60_000 });
      const trips = countRoundTrips(db.ds);
      try {
        await engine.completeJob(job.key, { b: 2 }, { job });
      } finally {
        trips.stop();
      }
      expect(trips.sent).toHaveLength(2);
      expect(trips.sent[0]).toMatch(/^START TRANSACTION;\s*SELECT j\.\* FROM engine_jobs j LEFT JOIN engine_process_instances r ON r.id = j.root_id WHERE j.id = \? FOR UPDATE;/);
      expect(trips.sent[0]).not.toMatch(/engine_element_instances/);
      const view = await engine.getInstance(pi.processInstanceKey);
      expect(view.variables).toEqual({ a: 1, b: 2 });
      expect(view.elements.map((e) => [e.elementId, e.state])).toEqual([['start', 'completed'], ['work', 'completed'], ['more', 'active']]);
    } finally {
      await engine.stop();
    }
  });

  it('is what the engine uses for element instances, so that a step is two round trips', async () => {
    const engine = new EmbeddedEngine(db.ds, systemClock);
    try {
      await engine.deploy([{ name: 'one.bpmn', content: ONE_TASK }], 'test');
      const pi = await engine.createInstance({ bpmnProcessId: 'keys-one', variables: { a: 1 } });
      const [job] = await engine.activateJobs({ type: 'keys-work', worker: 'w', maxJobs: 1, timeoutMs: 60_000 });
      const [before] = (await db.ds.query("SELECT next_key FROM engine_key_blocks WHERE name = 'element_instance'")) as Array<{ next_key: number | string }>;
      expect(Number(pi.processInstanceKey)).toBeLessThan(Number(before.next_key));
      const trips = countRoundTrips(db.ds);
      try {
        await engine.completeJob(job.key, { b: 2 });
      } finally {
        trips.stop();
      }
      // The lock with the job's context and variables; then every write (the next element and its job
      // among them) with COMMIT.
      expect(trips.sent).toHaveLength(2);
      expect(trips.sent[1]).toMatch(/INSERT INTO engine_element_instances.*INSERT INTO engine_jobs.*COMMIT$/s);
      // The next element's row and the finished one's end are one upsert, not an insert and an update.
      expect(trips.sent[1].match(/engine_element_instances/g)).toHaveLength(1);
      expect(trips.sent[1]).toMatch(/ON DUPLICATE KEY UPDATE state = VALUES\(state\), ended_at = VALUES\(ended_at\)/);
      const [next] = await engine.activateJobs({ type: 'keys-more', worker: 'w', maxJobs: 1, timeoutMs: 60_000 });
      expect(Number(next.elementInstanceKey)).toBeLessThan(Number(before.next_key));
      await engine.completeJob(next.key, { c: 3 });
      const view = await engine.getInstance(pi.processInstanceKey);
      expect(view.state).toBe('completed');
      expect(view.variables).toEqual({ a: 1, b: 2, c: 3 });
      expect(view.elements.map((e) => e.elementId)).toEqual(['start', 'work', 'more', 'end']);
    } finally {
      await engine.stop();
    }
  });
});

const ONE_TASK = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Defs_keys" targetNamespace="http://bpmn.io/schema/bpmn"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="keys-one" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work"><bpmn:extensionElements><zeebe:taskDefinition type="keys-work" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="more" />
    <bpmn:serviceTask id="more"><bpmn:extensionElements><zeebe:taskDefinition type="keys-more" /></bpmn:extensionElements></bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="more" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;
