/**
 * The one inbox query: a TaskQuery as SQL over either engine's task table (task-tables.ts), and its
 * rows as the port's UserTaskView. The embedded engine and Zeebe mode differ only in the table they
 * pass and in the process instances they resolve a case's keys to.
 */
import type { TaskQuery, UserTaskView } from '../port-types';
import type { TaskTable } from './task-tables';

export interface TaskRow {
  id: number | string; root_id: number | string; process_instance_id: number | string; element_instance_id: number | string; element_id: string;
  bpmn_process_id: string; definition_key: string; name: string | null; form_id: string | null; assignee: string | null;
  candidate_groups: string | null; candidate_users: string | null; due_date: number | string | null; follow_up_date: number | string | null;
  priority: number | string | null; state: UserTaskView['state']; created_at: number | string; completed_at: number | string | null; completed_by: string | null;
}

/** At most this many tasks a page, and this many keys in a `keys` lookup. */
export const MAX_TASK_PAGE = 500;

const iso = (v: number | string | null | undefined): string | null => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());

export function taskView(r: TaskRow): UserTaskView {
  return {
    key: String(r.id), processInstanceKey: String(r.process_instance_id), rootProcessInstanceKey: String(r.root_id),
    elementInstanceKey: String(r.element_instance_id), elementId: r.element_id,
    bpmnProcessId: r.bpmn_process_id, processDefinitionKey: String(r.definition_key), name: r.name, formId: r.form_id, assignee: r.assignee,
    candidateGroups: r.candidate_groups ? JSON.parse(r.candidate_groups) : [], candidateUsers: r.candidate_users ? JSON.parse(r.candidate_users) : [],
    dueDate: iso(r.due_date), followUpDate: iso(r.follow_up_date), priority: Number(r.priority ?? 50), state: r.state,
    createdAt: iso(r.created_at)!, completedAt: iso(r.completed_at), completedBy: r.completed_by,
  };
}

export interface TaskSearchPlan {
  mysql: boolean;
  /**
   * The process instances a case's keys (`rootProcessInstanceKeys`) stand for, resolved by the engine:
   * the embedded engine walks the call tree down, Zeebe mode takes the keys as they are.
   */
  instances?: Array<string | number>;
  /**
   * Index hints for MySQL, by shape (the embedded engine's table has the indexes they name):
   * a case's instances, the office-wide list in key order, and the office's or a group's tasks in due order.
   */
  hints?: { byInstance?: string; officeWide?: string; byDue?: string };
  /**
   * SQLite: keep the planner off indexes that lead with state and due date when a case's instances or a
   * due-date filter would make it read every open task (see the comments where it is used).
   */
  sqliteOrderHints?: boolean;
}

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * A search with a due-date filter pages in (due date, key) order, the others in key order: the
 * indexes leading with (state, due date) and (assignee, state, due date) then give each page in
 * order and stop after it, wherever the due tasks lie among the keys. The cursor stays a task key;
 * its position in due order is the cursor task's due date (a primary-key read inside the statement).
 */
export const dueOrdered = (q: TaskQuery): boolean => q.dueBefore !== undefined || q.dueAfter !== undefined;

/** The statement for a query, or null when it can match nothing. */
export function taskSearchSql(t: TaskTable, q: TaskQuery, plan: TaskSearchPlan): { sql: string; params: unknown[] } | null {
  const where: string[] = [];
  const params: unknown[] = [];
  const state = q.state ?? 'created';
  if (state !== 'any') { where.push('t.state = ?'); params.push(state); }
  if (q.keys) {
    const keys = [...new Set(q.keys)].filter((k) => /^\d{1,19}$/.test(k)).slice(0, MAX_TASK_PAGE);
    if (!keys.length) return null;
    where.push(`t.${t.keyColumn} IN (${marks(keys.length)})`);
    params.push(...keys.map((k) => t.param(k)));
  }
  if (q.assignee) { where.push('t.assignee = ?'); params.push(q.assignee); }
  if (q.processInstanceKey) {
    if (!/^\d{1,19}$/.test(q.processInstanceKey)) return null;
    where.push(`t.${t.instanceColumn} = ?`); params.push(t.param(q.processInstanceKey));
  }
  const byRoot = q.rootProcessInstanceKeys !== undefined;
  if (byRoot) {
    const roots = q.rootProcessInstanceKeys!.filter((k) => /^\d{1,19}$/.test(k));
    const instances = plan.instances ?? roots.map((k) => t.param(k));
    if (!roots.length || !instances.length) return null;
    // Found by their instances (an index in both tables); the root then keeps the answer exact.
    where.push(`t.${t.instanceColumn} IN (${marks(instances.length)})`);
    params.push(...instances);
    if (t.rootColumn !== t.instanceColumn) { where.push(`t.${t.rootColumn} IN (${marks(roots.length)})`); params.push(...roots.map((k) => t.param(k))); }
    // A case has a handful of tasks: reading them by instance and sorting is the cheap plan, so the
    // planner is kept off the (state, key) index, which avoids the sort by scanning every open task.
    if (plan.sqliteOrderHints && !plan.mysql && state !== 'any') where[0] = '+t.state = ?';
  }
  if (q.businessKey !== undefined) {
    where.push(`t.${t.rootColumn} IN (SELECT i.${t.instances.keyColumn} FROM ${t.instances.table} i WHERE i.business_key = ?)`);
    params.push(q.businessKey);
  }
  const byDue = dueOrdered(q);
  // A case's few tasks are read by instance and sorted (above): on SQLite the unary plus keeps the
  // planner from ranging over (state, due_date) instead, which would read every open task due in range.
  const due = byRoot && plan.sqliteOrderHints && !plan.mysql ? '+t.due_date' : 't.due_date';
  if (q.dueBefore !== undefined) { where.push(`${due} < ?`); params.push(q.dueBefore); }
  if (q.dueAfter !== undefined) { where.push(`${due} >= ?`); params.push(q.dueAfter); }
  if (q.after) {
    if (!/^\d{1,19}$/.test(q.after)) return null;
    const a = byDue ? t.afterByDue(q.after) : t.after(q.after);
    where.push(a.sql); params.push(...a.params);
  }
  const limit = Math.min(Math.max(1, Math.floor(q.limit ?? 50)), MAX_TASK_PAGE);
  const byCandidate = groupPage(t, q, state, limit, plan.mysql);
  if (byCandidate) return byCandidate;
  const cands: string[] = [];
  if (q.candidateGroups?.length) {
    cands.push(`(c.kind = 'group' AND c.name IN (${marks(q.candidateGroups.length)}))`);
    params.push(...q.candidateGroups);
  }
  if (q.candidateUser) { cands.push("(c.kind = 'user' AND c.name = ?)"); params.push(q.candidateUser); }
  if (cands.length) {
    const offered = `FROM ${t.candidates} c WHERE c.${t.candidateKeyColumn} = t.${t.keyColumn} AND (${cands.join(' OR ')})`;
    // In due order on MySQL the tasks are read from the due index and each one's candidates checked by
    // their primary key. MariaDB turns an EXISTS into a semi-join that first collects every task of the
    // groups (materialization); a count is a subquery it keeps per row.
    where.push(plan.mysql && dueOrdered(q) ? `(SELECT COUNT(*) ${offered}) > 0` : `EXISTS (SELECT 1 ${offered})`);
  }
  // The office-wide list on MySQL: MariaDB prefers a ref scan of (state) from the first open task over
  // the range (state, key > cursor), which reads every open task before the cursor (bench/inbox.ts).
  const officeWide = !q.assignee && !q.processInstanceKey && !cands.length && !q.keys && q.businessKey === undefined && state !== 'any';
  // The office's or a group's tasks in due order on MySQL: MariaDB would rather read every task of the
  // groups through the candidates' index and sort them, or ref-scan (state) from the first open task,
  // than range over (state, due_date) and stop after one page.
  const officeOrGroup = !q.assignee && !q.processInstanceKey && !q.keys && q.businessKey === undefined && state !== 'any';
  const hint = !plan.mysql ? '' : byRoot ? plan.hints?.byInstance ?? ''
    : byDue ? (officeOrGroup ? plan.hints?.byDue ?? '' : '') : officeWide ? plan.hints?.officeWide ?? '' : '';
  const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  return { sql: `SELECT ${t.viewColumns} FROM ${t.table} t${hint}${whereSql} ORDER BY ${byDue ? t.dueOrder : t.order} LIMIT ${limit}`, params };
}

/**
 * A group's open tasks (scope=group, first or later pages, with or without a due filter): the
 * candidate rows carry their task's state and due date, so for each of the user's groups and the user
 * as a candidate the first page of its tasks is a range of the candidates' index alone — (kind, name,
 * state, key) in key order, (kind, name, state, due date, key) in due order — and the page is the
 * first of their union, whose few rows are then read by primary key. Checking each open task's
 * candidates instead reads about 1 / (the groups' share of the tasks) rows a page. Other filters take
 * the general statement, and so does Zeebe mode's table in key order (its text keys sort by length
 * first, which its index cannot give).
 */
function groupPage(t: TaskTable, q: TaskQuery, state: string, limit: number, mysql: boolean): { sql: string; params: unknown[] } | null {
  const names: Array<[string, string]> = [...new Set(q.candidateGroups ?? [])].map((g) => ['group', g]);
  if (q.candidateUser) names.push(['user', q.candidateUser]);
  const byDue = dueOrdered(q);
  const index = byDue ? t.candidateIndexes.byDue : t.candidateIndexes.byKey;
  const plain = index !== undefined && state !== 'any' && !q.keys && !q.assignee && !q.processInstanceKey && q.rootProcessInstanceKeys === undefined
    && q.businessKey === undefined;
  if (!plain || !names.length || (q.after && !/^\d{1,19}$/.test(q.after))) return null;
  const key = `c.${t.candidateKeyColumn}`;
  // MariaDB would otherwise pick the key-order index for a due range too and sort the group's tasks.
  const hint = mysql ? ` FORCE INDEX (${index})` : '';
  const params: unknown[] = [];
  const branches = names.map(([kind, name], i) => {
    const where = ['c.kind = ?', 'c.name = ?', 'c.state = ?'];
    params.push(kind, name, state);
    if (q.dueBefore !== undefined) { where.push('c.due_date < ?'); params.push(q.dueBefore); }
    if (q.dueAfter !== undefined) { where.push('c.due_date >= ?'); params.push(q.dueAfter); }
    if (q.after) {
      const a = byDue ? t.afterByDue(q.after, { due: 'c.due_date', key }) : { sql: `${key} > ?`, params: [t.param(q.after)] };
      where.push(a.sql); params.push(...a.params);
    }
    return `SELECT k FROM (SELECT ${key} AS k${byDue ? ', c.due_date AS d' : ''} FROM ${t.candidates} c${hint} WHERE ${where.join(' AND ')}`
      + ` ORDER BY ${byDue ? `c.due_date, ${key}` : key} LIMIT ${limit}) b${i}`;
  });
  return {
    sql: `SELECT ${t.viewColumns} FROM ${t.table} t JOIN (${branches.join(' UNION ')}) g ON t.${t.keyColumn} = g.k`
      + ` ORDER BY ${byDue ? t.dueOrder : t.order} LIMIT ${limit}`,
    params,
  };
}
