/**
 * The inbox search's paging orders over both engines' task tables, with tasks whose due dates do not
 * follow their keys: a search filtered by due date pages in (due date, key) order, its cursor a task
 * key placed by that task's due date; a group's tasks page in key order through each candidate's
 * first page (a task offered to two of the user's groups comes once). Rows are written directly, so
 * the pages can be compared with the order computed here.
 */
import { TestClock } from '../../../../src/clock/clock';
import type { TaskQuery, UserTaskView } from '../../../../src/engine/port';
import { TaskRow, taskSearchSql, taskView } from '../../../../src/engine/read-model/task-search';
import { ZEEBE_TASKS } from '../../../../src/engine/read-model/task-tables';
import { EmbeddedEngine } from '../../../../src/engine/runtime/engine';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../../support/db';

const DAY = 86_400_000;
const BASE = Date.parse('2026-12-01T00:00:00Z');

interface Seed { key: number; state: string; assignee: string | null; groups: string[]; users: string[]; due: number | null }

/** 40 tasks: due dates shuffled against the keys, some shared, some missing; a few completed. */
const SEEDS: Seed[] = Array.from({ length: 40 }, (_, i) => {
  const key = 1000 + i * 7;
  return {
    key, state: i % 9 === 4 ? 'completed' : 'created', assignee: i % 3 === 0 ? 'to-alice' : null,
    groups: i % 4 === 0 ? ['to-a', 'to-b'] : i % 4 === 1 ? ['to-a'] : ['to-c'], users: i % 5 === 2 ? ['to-bob'] : [],
    due: i % 10 === 7 ? null : BASE + ((i * 13) % 17) * DAY,
  };
});

describe.each(testDbKinds())('task search paging orders (%s)', (kind) => {
  let db: TestDatabase;
  let engine: EmbeddedEngine;

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'task-order');
    engine = new EmbeddedEngine(db.ds, new TestClock(), {});
    const rows = (n: number, count: number) => Array.from({ length: count }, () => `(${Array.from({ length: n }, () => '?').join(', ')})`).join(', ');
    await db.ds.query(`INSERT INTO engine_user_tasks (id, root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key,
        name, form_id, assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, state, created_at) VALUES ${rows(17, SEEDS.length)}`,
    SEEDS.flatMap((s) => [s.key, s.key, s.key, s.key, 'review', 'to-proc', '1', '审核', null, s.assignee, JSON.stringify(s.groups), JSON.stringify(s.users),
      s.due, null, 50, s.state, BASE]));
    await db.ds.query(`INSERT INTO zeebe_user_tasks (user_task_key, process_instance_key, element_instance_key, element_id, bpmn_process_id,
        process_definition_key, name, form_id, assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, state, created_at, synced_at)
      VALUES ${rows(17, SEEDS.length)}`,
    SEEDS.flatMap((s) => [String(s.key), String(s.key), String(s.key), 'review', 'to-proc', '1', '审核', null, s.assignee, JSON.stringify(s.groups),
      JSON.stringify(s.users), s.due, null, 50, s.state, BASE, BASE]));
    // Candidate rows carry their task's state and due date, as the engines write them.
    const candidates = SEEDS.flatMap((s) => [...s.groups.map((g) => [s.key, 'group', g, s.state, s.due]), ...s.users.map((u) => [s.key, 'user', u, s.state, s.due])]);
    await db.ds.query(`INSERT INTO engine_user_task_candidates (task_id, kind, name, state, due_date) VALUES ${rows(5, candidates.length)}`, candidates.flat());
    await db.ds.query(`INSERT INTO zeebe_user_task_candidates (user_task_key, kind, name, state, due_date) VALUES ${rows(5, candidates.length)}`,
      candidates.flatMap(([k, ...rest]) => [String(k), ...rest]));
  });

  afterAll(async () => {
    await db.close();
  });

  const searches: Record<string, (q: TaskQuery) => Promise<UserTaskView[]>> = {
    embedded: (q) => engine.searchTasks(q),
    zeebe: async (q) => {
      const stmt = taskSearchSql(ZEEBE_TASKS, q, { mysql: kind === 'mariadb' });
      return stmt ? ((await db.ds.query(stmt.sql, stmt.params)) as TaskRow[]).map(taskView) : [];
    },
  };

  /** Every page of a search, three at a time, following the cursor. */
  async function pages(search: (q: TaskQuery) => Promise<UserTaskView[]>, q: TaskQuery): Promise<string[]> {
    const out: string[] = [];
    for (let after: string | undefined; ;) {
      const page = await search({ ...q, after, limit: 3 });
      out.push(...page.map((t) => t.key));
      if (page.length < 3) return out;
      after = page[page.length - 1].key;
    }
  }
  const open = SEEDS.filter((s) => s.state === 'created');
  const byKey = (list: Seed[]) => [...list].sort((a, b) => a.key - b.key).map((s) => String(s.key));
  const byDue = (list: Seed[]) => [...list].sort((a, b) => a.due! - b.due! || a.key - b.key).map((s) => String(s.key));
  const inGroups = (s: Seed, groups: string[], user?: string) => s.groups.some((g) => groups.includes(g)) || (!!user && s.users.includes(user));

  test.each(['embedded', 'zeebe'])('a due-date filter pages in (due date, key) order (%s table)', async (table) => {
    const search = searches[table];
    const before = BASE + 9 * DAY;
    const after = BASE + 4 * DAY;
    const hasDue = open.filter((s) => s.due !== null);
    const expected = byDue(hasDue.filter((s) => s.due! < before));
    // The order is not the keys' order, so this checks the order and not only the set.
    expect(expected).not.toEqual([...expected].sort((a, b) => Number(a) - Number(b)));
    expect(await pages(search, { dueBefore: before })).toEqual(expected);
    expect(await pages(search, { dueAfter: after, dueBefore: before })).toEqual(byDue(hasDue.filter((s) => s.due! >= after && s.due! < before)));
    expect(await pages(search, { assignee: 'to-alice', dueAfter: after })).toEqual(byDue(hasDue.filter((s) => s.assignee === 'to-alice' && s.due! >= after)));
    expect(await pages(search, { candidateGroups: ['to-a'], candidateUser: 'to-bob', dueBefore: before }))
      .toEqual(byDue(hasDue.filter((s) => s.due! < before && inGroups(s, ['to-a'], 'to-bob'))));
    // A cursor that names no task has no place in due order: nothing follows it.
    expect(await search({ dueBefore: before, after: '999999' })).toEqual([]);
    // Without a due filter the order stays the keys'.
    expect(await pages(search, { assignee: 'to-alice' })).toEqual(byKey(open.filter((s) => s.assignee === 'to-alice')));
  });

  test.each(['embedded', 'zeebe'])('a group\'s tasks page in key order, each once (%s table)', async (table) => {
    const search = searches[table];
    expect(await pages(search, { candidateGroups: ['to-a', 'to-b'] })).toEqual(byKey(open.filter((s) => inGroups(s, ['to-a', 'to-b']))));
    expect(await pages(search, { candidateGroups: ['to-b', 'to-c'], candidateUser: 'to-bob' }))
      .toEqual(byKey(open.filter((s) => inGroups(s, ['to-b', 'to-c'], 'to-bob'))));
    expect(await pages(search, { candidateGroups: ['to-a'], state: 'completed' })).toEqual(byKey(SEEDS.filter((s) => s.state === 'completed' && inGroups(s, ['to-a']))));
    expect(await pages(search, { candidateGroups: ['nobody-s-group'] })).toEqual([]);
    const [first] = await search({ candidateGroups: ['to-a', 'to-b'], limit: 1 });
    expect(first).toMatchObject({ key: byKey(open.filter((s) => inGroups(s, ['to-a'])))[0], candidateGroups: expect.arrayContaining(['to-a']) });
  });
});
