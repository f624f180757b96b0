/**
 * The inbox's candidate rows follow their task: a group's open inbox ranges over them by state and
 * due date (src/engine/read-model/task-search.ts), so every change to a task's state, due date or
 * candidates must reach them. On the embedded engine: creation, completion, cancellation with its
 * instance, reassignment to another group; in Zeebe mode's copy of the cluster's tasks: a due date
 * changed in the cluster, reassignment and completion, through the task sync. And the migration that
 * added the columns fills them from the tasks already stored.
 */
import pino from 'pino';
import { InboxCandidatesCarryStateAndDue1700000030000 as CarryStateAndDue } from '../../../../migrations/1700000030000-InboxCandidatesCarryStateAndDue';
import { TestClock } from '../../../../src/clock/clock';
import type { TaskQuery } from '../../../../src/engine/port';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { ZeebeTasks } from '../../../../src/engine/zeebe';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../../support/db';
import { el, harness, Harness, model } from './support';

const { start, end, user } = el;
const DAY = 86_400_000;
const DUE = Date.parse('2030-03-01T00:00:00Z');

interface CandidateRow { kind: string; name: string; state: string; due_date: number | string | null }

const norm = (rows: CandidateRow[]) => rows.map((r) => ({ kind: r.kind, name: r.name, state: r.state, due: r.due_date === null ? null : Number(r.due_date) }))
  .sort((a, b) => `${a.kind}${a.name}`.localeCompare(`${b.kind}${b.name}`));

describe.each(testDbKinds())('inbox candidate rows follow their task (%s)', (kind) => {
  let h: Harness;
  beforeAll(async () => { h = await harness(kind, 'inbox-cands'); });
  afterAll(async () => { await h.close(); });

  const candidates = async (key: string) => norm(await h.db.ds.query(
    'SELECT kind, name, state, due_date FROM engine_user_task_candidates WHERE task_id = ?', [Number(key)]) as CandidateRow[]);
  /** The group's open inbox in key order and, with a due window around DUE, in due order: both must agree. */
  const inbox = async (group: string, extra: TaskQuery = {}) => {
    const byKey = (await h.engine.listTasks({ candidateGroups: [group], candidateUser: 'ic-nobody', ...extra })).map((t) => t.key);
    const byDue = (await h.engine.listTasks({ candidateGroups: [group], dueAfter: DUE - 10 * DAY, dueBefore: DUE + 10 * DAY, ...extra })).map((t) => t.key);
    expect([...byDue].sort()).toEqual([...byKey].sort());
    return byKey;
  };

  test('completion, cancellation and reassignment move a task in and out of a group\'s open inbox', async () => {
    await h.deploy(model('ic-inbox', [start('s'), user('review', { candidateGroups: '=groups', candidateUsers: '=users', dueDate: '=due' }), end('e')],
      [['s', 'review'], ['review', 'e']]));
    const started = [];
    for (let i = 0; i < 3; i++) {
      const pi = await h.engine.createInstance({ bpmnProcessId: 'ic-inbox',
        variables: { groups: ['ic-grid-a', 'ic-legal'], users: ['ic-alice'], due: new Date(DUE + i * DAY).toISOString() } });
      const [t] = await h.engine.listTasks({ processInstanceKey: pi.processInstanceKey });
      started.push({ pi: pi.processInstanceKey, key: t.key });
    }
    const [a, b, c] = started;
    expect(await candidates(a.key)).toEqual([
      { kind: 'group', name: 'ic-grid-a', state: 'created', due: DUE }, { kind: 'group', name: 'ic-legal', state: 'created', due: DUE },
      { kind: 'user', name: 'ic-alice', state: 'created', due: DUE }]);
    expect(await inbox('ic-grid-a')).toEqual([a.key, b.key, c.key]);

    await h.engine.completeTask(a.key, {}, 'ic-alice');
    expect((await candidates(a.key)).map((r) => r.state)).toEqual(['completed', 'completed', 'completed']);
    expect(await inbox('ic-grid-a')).toEqual([b.key, c.key]);
    expect(await inbox('ic-legal')).toEqual([b.key, c.key]);
    expect((await h.engine.listTasks({ candidateUser: 'ic-alice', dueBefore: DUE + DAY })).map((t) => t.key)).toEqual([]);
    expect((await h.engine.listTasks({ candidateGroups: ['ic-grid-a'], state: 'completed' })).map((t) => t.key)).toEqual([a.key]);

    await h.engine.cancelInstance(b.pi);
    expect((await candidates(b.key)).map((r) => r.state)).toEqual(['canceled', 'canceled', 'canceled']);
    expect(await inbox('ic-grid-a')).toEqual([c.key]);
    expect((await h.engine.listTasks({ candidateGroups: ['ic-grid-a'], state: 'canceled', dueBefore: DUE + 5 * DAY })).map((t) => t.key)).toEqual([b.key]);

    await h.engine.reassignTask(c.key, { assignee: null, candidateGroups: ['ic-grid-b'] });
    expect(await candidates(c.key)).toEqual([
      { kind: 'group', name: 'ic-grid-b', state: 'created', due: DUE + 2 * DAY }, { kind: 'user', name: 'ic-alice', state: 'created', due: DUE + 2 * DAY }]);
    expect(await inbox('ic-grid-a')).toEqual([]);
    expect(await inbox('ic-legal')).toEqual([]);
    expect(await inbox('ic-grid-b')).toEqual([c.key]);
    // A cursor past the task in due order and in key order leaves nothing.
    expect(await h.engine.listTasks({ candidateGroups: ['ic-grid-b'], dueBefore: DUE + 5 * DAY, after: c.key })).toEqual([]);
    expect(await h.engine.listTasks({ candidateGroups: ['ic-grid-b'], after: c.key })).toEqual([]);

    await h.engine.completeTask(c.key, {}, 'ic-alice');
    expect(await inbox('ic-grid-b')).toEqual([]);
    expect((await h.engine.getInstance(c.pi)).state).toBe('completed');
  });
});

/** A task as Camunda's REST API gives it, with what the sync reads. */
function restTask(key: string, due: number, state = 'CREATED') {
  return {
    userTaskKey: key, processInstanceKey: '2251799813685001', elementInstanceKey: '2251799813685002', elementId: 'review',
    processDefinitionId: 'zm-review', processDefinitionKey: '2251799813685000', processDefinitionVersion: 1, name: '审核材料',
    candidateGroups: ['zc-grid-a'], candidateUsers: [], dueDate: new Date(due).toISOString(), priority: 50, state,
    creationDate: new Date(DUE - 30 * DAY).toISOString(), ...(state === 'COMPLETED' ? { completionDate: new Date(DUE).toISOString() } : {}),
  };
}

describe.each(testDbKinds())('Zeebe mode\'s inbox candidate rows follow the cluster\'s task (%s)', (kind) => {
  let db: TestDatabase;
  let tasks: ZeebeTasks;
  const KEY = '2251799813685010';
  let cluster = restTask(KEY, DUE);
  const client = {
    searchUserTasks: async () => ({ items: cluster.state === 'CREATED' ? [cluster] : [] }),
    getUserTask: async () => cluster,
    updateUserTask: async () => ({}),
    assignUserTask: async () => ({}),
    unassignUserTask: async () => ({}),
  };

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'inbox-cands-zeebe');
    tasks = new ZeebeTasks(client as never, { ds: db.ds, clock: new TestClock(), logger: pino({ level: 'silent' }), pollMs: 1000 });
  });
  afterAll(async () => { await db.close(); });

  const rows = async () => norm(await db.ds.query('SELECT kind, name, state, due_date FROM zeebe_user_task_candidates WHERE user_task_key = ?', [KEY]) as CandidateRow[]);
  const dueWithin = async (group: string, from: number, to: number) =>
    (await tasks.searchTasks({ candidateGroups: [group], dueAfter: from, dueBefore: to })).map((t) => t.key);

  test('a due date changed in the cluster, a reassignment and completion reach the candidate rows', async () => {
    await tasks.sync();
    expect(await rows()).toEqual([{ kind: 'group', name: 'zc-grid-a', state: 'created', due: DUE }]);
    expect(await dueWithin('zc-grid-a', DUE - DAY, DUE + DAY)).toEqual([KEY]);

    cluster = restTask(KEY, DUE + 20 * DAY);
    await tasks.sync();
    expect(await rows()).toEqual([{ kind: 'group', name: 'zc-grid-a', state: 'created', due: DUE + 20 * DAY }]);
    expect(await dueWithin('zc-grid-a', DUE - DAY, DUE + DAY)).toEqual([]);
    expect(await dueWithin('zc-grid-a', DUE + 19 * DAY, DUE + 21 * DAY)).toEqual([KEY]);

    await tasks.reassignTask(KEY, { assignee: null, candidateGroups: ['zc-grid-b'] });
    expect(await rows()).toEqual([{ kind: 'group', name: 'zc-grid-b', state: 'created', due: DUE + 20 * DAY }]);
    expect(await dueWithin('zc-grid-a', DUE, DUE + 30 * DAY)).toEqual([]);
    expect(await dueWithin('zc-grid-b', DUE, DUE + 30 * DAY)).toEqual([KEY]);
    expect((await tasks.searchTasks({ candidateGroups: ['zc-grid-b'] })).map((t) => t.key)).toEqual([KEY]);

    cluster = { ...restTask(KEY, DUE + 20 * DAY, 'COMPLETED'), candidateGroups: ['zc-grid-b'] };
    await tasks.sync();
    expect(await rows()).toEqual([{ kind: 'group', name: 'zc-grid-b', state: 'completed', due: DUE + 20 * DAY }]);
    expect(await dueWithin('zc-grid-b', DUE, DUE + 30 * DAY)).toEqual([]);
    expect(await tasks.searchTasks({ candidateGroups: ['zc-grid-b'] })).toEqual([]);
  });
});

describe.each(testDbKinds())('the migration fills the candidate rows of stored tasks (%s)', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(kind, 'inbox-cands-backfill'); });
  afterAll(async () => { await db.close(); });

  test('state and due date come from each row\'s task, in both engines\' tables', async () => {
    const migration = new CarryStateAndDue();
    const qr = db.ds.createQueryRunner();
    try {
      await migration.down(qr);
      for (const [id, state, due] of [[1, 'created', DUE], [2, 'completed', DUE + DAY], [3, 'canceled', null]] as const) {
        await qr.query(`INSERT INTO engine_user_tasks (id, root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key,
            name, form_id, assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, state, created_at)
          VALUES (?, ?, ?, ?, 'review', 'ic-proc', '1', '审核', NULL, NULL, '["ic-g"]', '["ic-u"]', ?, NULL, 50, ?, ?)`, [id, id, id, id, due, state, DUE]);
        await qr.query("INSERT INTO engine_user_task_candidates (task_id, kind, name) VALUES (?, 'group', 'ic-g'), (?, 'user', 'ic-u')", [id, id]);
      }
      await qr.query(`INSERT INTO zeebe_user_tasks (user_task_key, process_instance_key, element_instance_key, element_id, bpmn_process_id, process_definition_key,
          name, form_id, assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, state, created_at, synced_at)
        VALUES ('2251799813685099', '1', '2', 'review', 'ic-proc', '3', '审核', NULL, NULL, '["ic-g"]', '[]', ?, NULL, 50, 'completed', ?, ?)`, [DUE, DUE, DUE]);
      await qr.query("INSERT INTO zeebe_user_task_candidates (user_task_key, kind, name) VALUES ('2251799813685099', 'group', 'ic-g')");
      await migration.up(qr);
    } finally {
      await qr.release();
    }
    const rows = (await db.ds.query('SELECT task_id, kind, state, due_date FROM engine_user_task_candidates ORDER BY task_id, kind')) as
      Array<{ task_id: number | string; kind: string; state: string; due_date: number | string | null }>;
    expect(rows.map((r) => [Number(r.task_id), r.kind, r.state, r.due_date === null ? null : Number(r.due_date)])).toEqual([
      [1, 'group', 'created', DUE], [1, 'user', 'created', DUE], [2, 'group', 'completed', DUE + DAY], [2, 'user', 'completed', DUE + DAY],
      [3, 'group', 'canceled', null], [3, 'user', 'canceled', null]]);
    const [z] = (await db.ds.query('SELECT state, due_date FROM zeebe_user_task_candidates')) as Array<{ state: string; due_date: number | string }>;
    expect([z.state, Number(z.due_date)]).toEqual(['completed', DUE]);
    // The group's open inbox reads the filled rows: only the open task.
    const engine = new EmbeddedEngine(db.ds, new TestClock(), {});
    expect((await engine.listTasks({ candidateGroups: ['ic-g'] })).map((t) => t.key)).toEqual(['1']);
    expect((await engine.listTasks({ candidateGroups: ['ic-g'], dueBefore: DUE + 2 * DAY })).map((t) => t.key)).toEqual(['1']);
  });
});
