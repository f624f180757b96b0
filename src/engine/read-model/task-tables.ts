/**
 * Where each engine keeps its user tasks: the embedded engine's own task tables, or in Zeebe mode the
 * service's copy of the cluster's tasks kept by the task sync (zeebe/tasks.ts). The inbox search
 * (task-search.ts) and the supervision reports (src/supervision, which join tasks to cases over a
 * million rows and cannot page through the port) read them through this description, under the
 * embedded engine's column names, so both are written once and only src/engine names the tables.
 * The reports read; every change to a task goes through the port's commands.
 */
export interface TaskTable {
  kind: 'embedded' | 'zeebe';
  table: string;
  candidates: string;
  /** The task key's column in `table` and in `candidates`. */
  keyColumn: string;
  candidateKeyColumn: string;
  /** The task's own process instance, and the instance a case records for it (its root; in Zeebe mode its own). */
  instanceColumn: string;
  rootColumn: string;
  /** The instances table and its key column, for a search by business key. */
  instances: { table: string; keyColumn: string };
  /** The select list giving id, root_id, element_id, form_id, bpmn_process_id, name, assignee, candidate_groups, due_date, created_at, priority. */
  columns: string;
  /** Every column of a task under the embedded engine's names (the port's UserTaskView is read from these). */
  viewColumns: string;
  /** A task key as the table stores it: embedded keys are integers, Zeebe's 64-bit keys decimal strings. */
  param(key: string): string | number;
  /** Keyset order and the condition for "after this key": Zeebe's decimal strings sort by length first. */
  order: string;
  after(key: string): { sql: string; params: unknown[] };
  /**
   * The order of a search filtered by due date, (due date, key), and its "after this task": after the
   * cursor task's due date, or at it with a greater key. The cursor's due date is read by its primary
   * key inside the statement (both planners evaluate it once, before ranging over the due index); a
   * key that names no task, or one without a due date, has nothing after it.
   */
  dueOrder: string;
  /** `on` names the due date and key columns to compare (a candidate row's, for a group's page); the task's by default. */
  afterByDue(key: string, on?: { due: string; key: string }): { sql: string; params: unknown[] };
  /**
   * The candidates' indexes over a group's tasks by state (their rows carry the task's state and due
   * date): in key order, where the key's stored order is its order, and in (due date, key) order.
   */
  candidateIndexes: { byKey?: string; byDue: string };
}

export const EMBEDDED_TASKS: TaskTable = {
  kind: 'embedded', table: 'engine_user_tasks', candidates: 'engine_user_task_candidates', keyColumn: 'id', candidateKeyColumn: 'task_id',
  instanceColumn: 'process_instance_id', rootColumn: 'root_id',
  instances: { table: 'engine_process_instances', keyColumn: 'id' },
  columns: 'id, root_id, element_id, form_id, bpmn_process_id, name, assignee, candidate_groups, due_date, created_at, priority',
  viewColumns: 't.*',
  param: (key) => Number(key),
  order: 't.id',
  after: (key) => ({ sql: 't.id > ?', params: [Number(key)] }),
  dueOrder: 't.due_date, t.id',
  afterByDue: (key, on = { due: 't.due_date', key: 't.id' }) => {
    const due = '(SELECT k.due_date FROM engine_user_tasks k WHERE k.id = ?)';
    return { sql: `${on.due} >= ${due} AND (${on.due} > ${due} OR ${on.key} > ?)`, params: [Number(key), Number(key), Number(key)] };
  },
  candidateIndexes: { byKey: 'ix_engine_utc_open_key', byDue: 'ix_engine_utc_open_due' },
};

export const ZEEBE_TASKS: TaskTable = {
  kind: 'zeebe', table: 'zeebe_user_tasks', candidates: 'zeebe_user_task_candidates', keyColumn: 'user_task_key', candidateKeyColumn: 'user_task_key',
  // Cases are linked to Zeebe's process instances through case_processes.process_instance_key.
  instanceColumn: 'process_instance_key', rootColumn: 'process_instance_key',
  instances: { table: 'zeebe_instances', keyColumn: 'process_instance_key' },
  columns: 'user_task_key AS id, process_instance_key AS root_id, element_id, form_id, bpmn_process_id, name, assignee, candidate_groups, due_date, created_at, priority',
  viewColumns: `t.user_task_key AS id, t.process_instance_key AS root_id, t.process_instance_key AS process_instance_id, t.element_instance_key AS element_instance_id,
    t.element_id, t.bpmn_process_id, t.process_definition_key AS definition_key, t.name, t.form_id, t.assignee, t.candidate_groups, t.candidate_users,
    t.due_date, t.follow_up_date, t.priority, t.state, t.created_at, t.completed_at, t.completed_by`,
  param: (key) => String(key),
  order: 'LENGTH(t.user_task_key), t.user_task_key',
  after: (key) => ({ sql: '(LENGTH(t.user_task_key) > ? OR (LENGTH(t.user_task_key) = ? AND t.user_task_key > ?))', params: [key.length, key.length, key] }),
  // Tasks due at the same moment follow each other by their key's text, so that the index
  // ix_zeebe_user_tasks_state_due_key gives the order: the same as the keys' order while the keys have
  // as many digits (a cluster of up to four partitions), and a fixed order for the cursor in any case.
  dueOrder: 't.due_date, t.user_task_key',
  afterByDue: (key, on = { due: 't.due_date', key: 't.user_task_key' }) => {
    const due = '(SELECT k.due_date FROM zeebe_user_tasks k WHERE k.user_task_key = ?)';
    return { sql: `${on.due} >= ${due} AND (${on.due} > ${due} OR ${on.key} > ?)`, params: [key, key, key] };
  },
  // No key-order index: the keys are text, ordered by length first, which no index of the text gives.
  candidateIndexes: { byDue: 'ix_zeebe_utc_open_due' },
};
