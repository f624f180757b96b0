/**
 * The Camunda 8.8 REST user task subset of the embedded engine (GATEWAY_REST_PORT), driven by the real
 * @camunda8/sdk CamundaRestClient, and the inbox sync of Zeebe mode on top of it: search, get,
 * assignment (allowOverride false refuses someone else's task), unassign, variables, completion;
 * a task read twice is one inbox row; due date, candidate group and form come across.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Camunda8 } from '@camunda8/sdk';
import pino from 'pino';
import { TestClock } from '../../../src/clock/clock';
import { startRestGateway, type RunningRestGateway } from '../../../src/engine/gateway';
import { EmbeddedEngine } from '../../../src/engine/runtime/engine';
import { ZeebeTasks } from '../../../src/engine/zeebe';
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

describe.each(testDbKinds())('REST user task subset of the embedded engine (%s)', (kind) => {
  let cluster: TestDatabase;
  let local: TestDatabase;
  let engine: EmbeddedEngine;
  let rest: RunningRestGateway;
  let client: ReturnType<Camunda8['getCamundaRestClient']>;
  let tasks: ZeebeTasks;
  let formKey: string;

  beforeAll(async () => {
    cluster = await createTestDatabase(kind, 'zm-rest-cluster');
    local = await createTestDatabase(kind, 'zm-rest-local');
    engine = new EmbeddedEngine(cluster.ds, new TestClock(), {});
    const deployed = await engine.deploy([fixture('zm-review.form'), fixture('zm-review.bpmn')], 'test');
    formKey = deployed.forms[0].key;
    rest = await startRestGateway({ engine, port: 0, logger: pino({ level: 'silent' }) });
    client = new Camunda8({ ZEEBE_REST_ADDRESS: `http://127.0.0.1:${rest.port}`, ZEEBE_GRPC_ADDRESS: 'grpc://127.0.0.1:1', CAMUNDA_AUTH_STRATEGY: 'NONE' }).getCamundaRestClient();
    // The inbox knows the form by the key Zeebe gave it at deployment.
    await local.ds.query('INSERT INTO zeebe_forms (form_key, form_id, version) VALUES (?, ?, ?)', [formKey, 'zm-review', 1]);
    tasks = new ZeebeTasks(client, { ds: local.ds, clock: new TestClock(), logger: pino({ level: 'silent' }), pollMs: 1000 });
  }, 60_000);

  afterAll(async () => {
    await rest?.stop();
    await local?.close();
    await cluster?.close();
  });

  test('search, assignment, variables and completion through the SDK', async () => {
    const pi = await engine.createInstance({ bpmnProcessId: 'zm-review', variables: { caseId: 'c-1', dueAt: '2026-12-01T17:00:00+08:00' } });
    const found = await client.searchUserTasks({ filter: { state: 'CREATED', processInstanceKey: pi.processInstanceKey } });
    expect(found.items).toHaveLength(1);
    const t = found.items[0];
    expect(t).toMatchObject({
      elementId: 'review', name: '审核材料', state: 'CREATED', candidateGroups: ['JF'], processDefinitionId: 'zm-review', processDefinitionVersion: 1,
      processInstanceKey: pi.processInstanceKey, formKey, dueDate: '2026-12-01T09:00:00.000Z',
    });
    const key = t.userTaskKey;
    expect(await client.getUserTask(key)).toMatchObject({ userTaskKey: key, state: 'CREATED' });

    await client.assignUserTask({ userTaskKey: key, assignee: 'handler1', allowOverride: false });
    expect((await engine.getTask(key)).assignee).toBe('handler1');
    expect(await status(client.assignUserTask({ userTaskKey: key, assignee: 'handler2', allowOverride: false }))).toBe(409);
    await client.assignUserTask({ userTaskKey: key, assignee: 'handler2' });
    expect((await engine.getTask(key)).assignee).toBe('handler2');
    await client.unassignUserTask({ userTaskKey: key });
    expect((await engine.getTask(key)).assignee).toBeNull();

    const vars = await client.searchUserTaskVariables({ userTaskKey: key } as never);
    expect(Object.fromEntries((vars.items as Array<{ name: string; value: string }>).map((v) => [v.name, JSON.parse(v.value)]))).toMatchObject({ caseId: 'c-1' });

    await client.completeUserTask({ userTaskKey: key, variables: { opinion: '同意' } });
    expect((await engine.getInstance(pi.processInstanceKey))).toMatchObject({ state: 'completed', variables: expect.objectContaining({ opinion: '同意' }) });
    expect(await status(client.completeUserTask({ userTaskKey: key }))).toBe(409);
    expect((await client.searchUserTasks({ filter: { state: 'COMPLETED', processInstanceKey: pi.processInstanceKey } })).items).toHaveLength(1);
    expect(await status(client.getUserTask('999999'))).toBe(404);
  });

  test('the inbox sync: one row per task however often it is read; a task ended in Zeebe leaves', async () => {
    const pi = await engine.createInstance({ bpmnProcessId: 'zm-review', variables: { caseId: 'c-2', dueAt: '2026-12-02T17:00:00+08:00' } });
    expect(await tasks.sync()).toBeGreaterThanOrEqual(1);
    expect(await tasks.sync()).toBe(0);
    const inbox = await tasks.listTasks({ candidateGroups: ['JF'], processInstanceKey: pi.processInstanceKey });
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ elementId: 'review', formId: 'zm-review', candidateGroups: ['JF'], dueDate: '2026-12-02T09:00:00.000Z', state: 'created' });
    const rows = (await local.ds.query('SELECT COUNT(*) AS n FROM zeebe_user_tasks WHERE process_instance_key = ?', [pi.processInstanceKey])) as Array<{ n: unknown }>;
    expect(Number(rows[0].n)).toBe(1);
    // The tasks of a case: those of the instances it records (a task's root is its own instance here).
    expect((await tasks.listTasks({ rootProcessInstanceKeys: [pi.processInstanceKey, '1'] })).map((x) => x.key)).toEqual([inbox[0].key]);
    expect((await tasks.listTasks({ rootProcessInstanceKeys: ['1'] }))).toEqual([]);
    expect((await tasks.listTasks({ rootProcessInstanceKeys: [] }))).toEqual([]);

    const claimed = await tasks.claimTask(inbox[0].key, 'handler1');
    expect(claimed.assignee).toBe('handler1');
    await expect(tasks.claimTask(inbox[0].key, 'handler2')).rejects.toMatchObject({ kind: 'INVALID_STATE' });
    const full = await tasks.getTask(inbox[0].key);
    expect(full.variables).toMatchObject({ caseId: 'c-2' });

    await engine.cancelInstance(pi.processInstanceKey);
    await tasks.sync();
    expect(await tasks.listTasks({ processInstanceKey: pi.processInstanceKey })).toEqual([]);
    expect((await tasks.getTask(inbox[0].key)).state).toBe('canceled');
    await expect(tasks.completeTask(inbox[0].key, {}, 'handler1')).rejects.toMatchObject({ kind: 'INVALID_STATE', code: 'TASK_CANCELED' });
  });
});
