/**
 * User task reads of the embedded engine: one task with the variables it sees, and task search (the
 * inbox), built by the shared task search (../../read-model/task-search.ts) over the engine's own
 * task table with the hints its indexes need.
 */
import type { EntityManager } from 'typeorm';
import type { TaskQuery, UserTaskView, Vars } from '../../port-types';
import { TaskRow, taskSearchSql, taskView } from '../../read-model/task-search';
import { EMBEDDED_TASKS } from '../../read-model/task-tables';
import { notFound, num, parseKey } from '../checks';
import type { EngineContext } from '../context';
import { Step } from '../step';
import { select, serialTransaction } from '../tx';
import { instanceTrees } from './instances';

export async function getTask(ctx: EngineContext, key: string): Promise<UserTaskView & { variables: Vars }> {
  return serialTransaction(ctx.ds, async (em) => {
    const id = parseKey(key, 'TASK_NOT_FOUND', 'task');
    const [row] = await select<TaskRow>(em, 'SELECT * FROM engine_user_tasks WHERE id = ?', [id]);
    if (!row) throw notFound('TASK_NOT_FOUND', `No task ${key}.`);
    const step = new Step(ctx.host, em, ctx.clock.now().getTime());
    const ei = row.state === 'created' ? await step.ei(num(row.element_instance_id)) : null;
    const variables = ei ? await step.context(ei) : Object.fromEntries((await select<{ name: string; value: string }>(em,
      'SELECT name, value FROM engine_variables WHERE scope_id = ?', [row.process_instance_id])).map((v) => [v.name, JSON.parse(v.value)]));
    return { ...taskView(row), variables };
  });
}

export async function searchTasks(ctx: EngineContext, q: TaskQuery = {}, em?: EntityManager): Promise<UserTaskView[]> {
  // Keys this engine cannot have answer as before: an unknown instance or cursor is a NOT_FOUND.
  if (q.processInstanceKey) parseKey(q.processInstanceKey, 'PROCESS_INSTANCE_NOT_FOUND', 'process instance');
  if (q.after) parseKey(q.after, 'TASK_NOT_FOUND', 'task');
  if (q.businessKey !== undefined) {
    // The roots started with the key (ix_engine_pi_business_key), then searched as a case's instances:
    // the task table has no index on root_id to join on.
    const keyed = ((await (em ?? ctx.ds).query('SELECT id FROM engine_process_instances WHERE business_key = ? AND parent_element_instance_id IS NULL',
      [q.businessKey])) as Array<{ id: number | string }>).map((r) => String(r.id));
    const roots = q.rootProcessInstanceKeys ? keyed.filter((k) => q.rootProcessInstanceKeys!.includes(k)) : keyed;
    q = { ...q, businessKey: undefined, rootProcessInstanceKeys: roots };
  }
  let instances: number[] | undefined;
  if (q.rootProcessInstanceKeys !== undefined) {
    const roots = q.rootProcessInstanceKeys.filter((k) => /^\d{1,15}$/.test(k)).map(Number);
    // The task table has no index on root_id: a case's tasks are found by their instances
    // (ix_engine_ut_pi), the roots' trees walked down through the call activities.
    instances = roots.length ? await instanceTrees(ctx, roots) : [];
    if (!instances.length) return [];
  }
  const stmt = taskSearchSql(EMBEDDED_TASKS, q, {
    mysql: ctx.ds.options.type === 'mysql', instances, sqliteOrderHints: true,
    hints: { byInstance: ' FORCE INDEX (ix_engine_ut_pi)', officeWide: ' FORCE INDEX (ix_engine_ut_state_key)', byDue: ' FORCE INDEX (ix_engine_ut_state_due_key)' },
  });
  if (!stmt) return [];
  const rows = (await (em ?? ctx.ds).query(stmt.sql, stmt.params)) as TaskRow[];
  return rows.map(taskView);
}
