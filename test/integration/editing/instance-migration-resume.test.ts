/**
 * A migration run interrupted by a crash, on both databases: the run a stopped process left marked
 * running is marked interrupted when the service starts (a run another live process is moving, whose
 * heartbeat is fresh, is left running) or when it is read; legal staff resume it, which moves the rest,
 * each instance once, and the report says how many had moved before the interruption.
 */
import pino from 'pino';
import { createCore } from '../../../src/core';
import { HEARTBEAT_MS, LEASE_MS } from '../../../src/editing/instance-migrations';
import { diagram } from '../../fixtures/bpmn/diagram';
import { startTestApp, type TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

jest.setTimeout(180_000);

const task = (id: string, type: string) => `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements></bpmn:serviceTask>`;
const flow = (from: string, to: string) => `<bpmn:sequenceFlow id="f_${from}_${to}" sourceRef="${from}" targetRef="${to}" />`;
/** start → wait (a job no worker takes) → end; the second version names another job type after it. */
const waiting = (second: string) => diagram(`<bpmn:startEvent id="start" />${task('wait', 'e-resume-wait')}${task('after', second)}<bpmn:endEvent id="end" />
  ${flow('start', 'wait')}${flow('wait', 'after')}${flow('after', 'end')}`, { id: 'e-resume' });

const INSTANCES = 120;
const MOVED_BEFORE_CRASH = 50;

describe.each(testDbKinds())('an interrupted instance migration on %s', (kind) => {
  let t: TestApp;
  const q = async <T>(sql: string, params: unknown[] = []) => (await t.db.ds.query(sql, params)) as T[];

  beforeAll(async () => { t = await startTestApp(kind, 'migresume'); });
  afterAll(async () => { await t?.close(); });

  const insertRun = async (id: string, source: string, target: string, heartbeatAt: number | null, migrated: number) => {
    await t.db.ds.query(
      `INSERT INTO instance_migrations (id, bpmn_process_id, source_definition_key, source_version, target_definition_key, target_version, mappings_json, reason,
        state, total, done, migrated, failed, failures_json, started_by, started_at, finished_at, runner_id, heartbeat_at, migrated_before)
       VALUES (?, 'e-resume', ?, 1, ?, 2, ?, '新版本', 'running', ?, ?, ?, 0, NULL, 'legal', ?, NULL, ?, ?, 0)`,
      [id, source, target, JSON.stringify([{ sourceElementId: 'wait', targetElementId: 'wait' }]), INSTANCES, migrated, migrated,
        t.clock.now().getTime(), heartbeatAt === null ? null : 'a-process-that-crashed', heartbeatAt]);
  };

  test('the run a crash left is interrupted at start-up; resuming it moves the rest, none twice', async () => {
    const engine = t.core.engine;
    const v1 = await engine.deploy([{ name: 'e-resume.bpmn', content: waiting('e-resume-after') }], 'system');
    const source = v1.processes[0].key;
    const keys: string[] = [];
    for (let i = 0; i < INSTANCES; i++) keys.push((await engine.createInstance({ bpmnProcessId: 'e-resume' })).processInstanceKey);
    const v2 = await engine.deploy([{ name: 'e-resume.bpmn', content: waiting('e-resume-after-v2') }], 'system');
    const target = v2.processes[0].key;
    expect(v2.processes[0].version).toBe(2);
    // The batch committed before the crash: the first instances (in key order, as a run takes them) moved.
    const sorted = [...keys].sort((a, b) => Number(a) - Number(b));
    for (const k of sorted.slice(0, MOVED_BEFORE_CRASH)) {
      await engine.migrateInstance(k, { targetDefinitionKey: target, mappings: [{ sourceElementId: 'wait', targetElementId: 'wait' }] });
    }
    const crashed = '00000000-0000-4000-8000-0000000000e1';
    const live = '00000000-0000-4000-8000-0000000000e2';
    await insertRun(crashed, source, target, Date.now() - LEASE_MS - 10 * HEARTBEAT_MS, MOVED_BEFORE_CRASH);
    // A run another service process on the same database is moving right now: its heartbeat is fresh.
    await insertRun(live, source, target, Date.now(), 0);

    // The service starts (a second process over the same database).
    const restarted = await createCore(t.db.ds, t.clock, t.settings, pino({ level: 'silent' }));
    restarted.start();
    let state = 'running';
    for (let i = 0; i < 200 && state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 25));
      [{ state }] = await q<{ state: string }>('SELECT state FROM instance_migrations WHERE id = ?', [crashed]);
    }
    await restarted.stop();
    expect(state).toBe('interrupted');
    expect((await q<{ state: string }>('SELECT state FROM instance_migrations WHERE id = ?', [live]))[0].state).toBe('running');

    const legal = await t.login('legal');
    const read = await legal.get(`/api/instance-migrations/${crashed}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ state: 'interrupted', migrated: MOVED_BEFORE_CRASH, done: MOVED_BEFORE_CRASH, total: INSTANCES, finishedAt: null });
    expect(read.body.interruptedAt).toEqual(expect.any(String));
    const list = await legal.get('/api/workflows/e-resume/migrations');
    expect(list.body.items.map((r: { id: string; state: string }) => [r.id, r.state]).sort()).toEqual([[crashed, 'interrupted'], [live, 'running']]);

    // The live run's process stops too; read afterwards, that run answers as interrupted.
    await t.db.ds.query('UPDATE instance_migrations SET heartbeat_at = ? WHERE id = ?', [Date.now() - 2 * LEASE_MS, live]);
    expect((await legal.get(`/api/instance-migrations/${live}`)).body.state).toBe('interrupted');
    // Only one of the two is resumed in this test: the other is closed as the office would after checking it.
    await t.db.ds.query("UPDATE instance_migrations SET state = 'done' WHERE id = ?", [live]);

    expect((await (await t.login('supervisor')).post(`/api/instance-migrations/${crashed}/resume`).send({})).status).toBe(403);
    const resumed = await legal.post(`/api/instance-migrations/${crashed}/resume`).send({});
    expect(resumed.status).toBe(202);
    expect(resumed.body).toMatchObject({ state: 'running', migratedBeforeInterruption: MOVED_BEFORE_CRASH, resumedBy: 'legal' });
    const again = await legal.post(`/api/instance-migrations/${crashed}/resume`).send({});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('MIGRATION_NOT_INTERRUPTED');
    let run = resumed.body;
    for (let i = 0; i < 600 && run.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      run = (await legal.get(`/api/instance-migrations/${crashed}`)).body;
    }
    expect(run).toMatchObject({ state: 'done', total: INSTANCES, done: INSTANCES, migrated: INSTANCES, migratedBeforeInterruption: MOVED_BEFORE_CRASH, failed: 0, failures: [] });

    // Every instance on the new version, each still with its one job (a second move would not add one, but
    // the report would count it: migrated is exactly the total).
    const on = await q<{ definition_key: string | number; n: number | string }>(
      "SELECT definition_key, COUNT(*) AS n FROM engine_process_instances WHERE bpmn_process_id = 'e-resume' GROUP BY definition_key");
    expect(on.map((r) => [String(r.definition_key), Number(r.n)])).toEqual([[target, INSTANCES]]);
    const jobs = await q<{ n: number | string }>("SELECT COUNT(*) AS n FROM engine_jobs WHERE type = 'e-resume-wait'");
    expect(Number(jobs[0].n)).toBe(INSTANCES);
    const audit = await q<{ after_json: string }>("SELECT after_json FROM audit_log WHERE action = 'process.migrate.resume' AND entity_id = ?", [crashed]);
    expect(JSON.parse(audit[0].after_json)).toMatchObject({ migratedBeforeInterruption: MOVED_BEFORE_CRASH, sourceVersion: 1, targetVersion: 2 });
  });
});
