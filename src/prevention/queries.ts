/**
 * Lists of patrols and warnings for the pages, limited to the grids the user sees, keyset paged, with
 * the names people read (employer, grid, who did it) and the open user task to work on, if any.
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { decide } from '../auth/policy';
import type { WorkflowEngine } from '../engine/port';
import { loadTask } from '../tasks/commands';
import { toPatrol } from './patrols';
import { toWarning, warningActions } from './warnings';

type Row = Record<string, unknown>;
const WHOLE_OFFICE = ['intake', 'legal', 'supervisor', 'admin'];

/** The grid condition for the principal: none for office-wide roles, else their visible grids (none: nothing). */
function gridScope(p: Principal, column: string): { sql: string; params: unknown[] } {
  if (p.roles.some((r) => WHOLE_OFFICE.includes(r))) return { sql: '', params: [] };
  if (!p.visibleGridIds.length) return { sql: ' AND 1 = 0', params: [] };
  return { sql: ` AND ${column} IN (${p.visibleGridIds.map(() => '?').join(', ')})`, params: [...p.visibleGridIds] };
}

/**
 * The open task of the process, when the viewer may open it: a row links to it only then (the window
 * staff see warnings office-wide but do not work on them, and their task page would answer "not found").
 */
async function openTaskOf(ds: DataSource, engine: WorkflowEngine, p: Principal, processInstanceKey: unknown): Promise<{ key: string; name: string | null } | null> {
  if (!processInstanceKey) return null;
  const tasks = await engine.listTasks({ processInstanceKey: String(processInstanceKey), limit: 5 });
  const t = tasks[0];
  if (!t) return null;
  const { ref } = await loadTask({ ds, engine }, t.key);
  return decide(p, 'task.read', ref) === 'hidden' ? null : { key: t.key, name: t.name ?? null };
}

export interface PatrolListQuery {
  gridId?: string;
  employerId?: string;
  period?: string;
  state?: 'planned' | 'done';
  limit: number;
  cursor?: string;
}

/** One page of patrol rows with the names people read, keyset by id; a row more than `limit` when more follow. */
export async function patrolRows(ds: DataSource, p: Principal, q: Omit<PatrolListQuery, 'limit'>, limit: number): Promise<Row[]> {
  const scope = gridScope(p, 'p.grid_id');
  const where = ['p.office_id = ?'];
  const params: unknown[] = [p.officeId];
  if (q.gridId) { where.push('(p.grid_id = ? OR g.parent_id = ?)'); params.push(q.gridId, q.gridId); }
  if (q.employerId) { where.push('p.employer_id = ?'); params.push(q.employerId); }
  if (q.period) { where.push('p.period = ?'); params.push(q.period); }
  if (q.state) { where.push('p.state = ?'); params.push(q.state); }
  if (q.cursor) { where.push('p.id > ?'); params.push(q.cursor); }
  return ds.query(
    `SELECT p.*, e.name AS employer_name, e.address AS employer_address, g.name AS grid_name, u.display_name AS done_by_name,
            c.case_number, d.number AS document_number
       FROM patrols p JOIN employers e ON e.id = p.employer_id JOIN grids g ON g.id = p.grid_id
       LEFT JOIN users u ON u.username = p.done_by LEFT JOIN cases c ON c.id = p.case_id LEFT JOIN documents d ON d.id = p.document_id
      WHERE ${where.join(' AND ')}${scope.sql} ORDER BY p.id LIMIT ${limit + 1}`, [...params, ...scope.params]);
}

/** A patrol row as the lists answer it, without the open task. */
export function patrolItem(r: Row) {
  const patrol = toPatrol(r);
  return {
    ...patrol, employerName: String(r.employer_name), employerAddress: r.employer_address === null ? null : String(r.employer_address),
    gridName: String(r.grid_name), doneByName: r.done_by_name === null ? patrol.doneBy : String(r.done_by_name),
    caseNumber: r.case_number === null ? null : String(r.case_number), documentNumber: r.document_number === null ? null : String(r.document_number),
  };
}

export async function listPatrols(ds: DataSource, engine: WorkflowEngine, p: Principal, q: PatrolListQuery) {
  const rows = await patrolRows(ds, p, q, q.limit);
  const page = rows.slice(0, q.limit);
  const items = [];
  for (const r of page) {
    const item = patrolItem(r);
    items.push({ ...item, task: item.state === 'planned' || item.followUpDueAt ? await openTaskOf(ds, engine, p, r.process_instance_key) : null });
  }
  return { items, nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null };
}

export interface WarningListQuery {
  gridId?: string;
  employerId?: string;
  state?: 'open' | 'closed';
  colour?: 'yellow' | 'orange' | 'red';
  limit: number;
  cursor?: string;
}

/** One page of warning rows with employer and grid names, keyset by id; a row more than `limit` when more follow. */
export async function warningRows(ds: DataSource, p: Principal, q: Omit<WarningListQuery, 'limit'>, limit: number): Promise<Row[]> {
  const scope = gridScope(p, 'w.grid_id');
  const where = ['w.office_id = ?'];
  const params: unknown[] = [p.officeId];
  if (q.gridId) { where.push('(w.grid_id = ? OR g.parent_id = ?)'); params.push(q.gridId, q.gridId); }
  if (q.employerId) { where.push('w.employer_id = ?'); params.push(q.employerId); }
  if (q.state) { where.push('w.state = ?'); params.push(q.state); }
  if (q.colour) { where.push('w.colour = ?'); params.push(q.colour); }
  if (q.cursor) { where.push('w.id > ?'); params.push(q.cursor); }
  return ds.query(
    `SELECT w.*, e.name AS employer_name, g.name AS grid_name FROM warnings w JOIN employers e ON e.id = w.employer_id JOIN grids g ON g.id = w.grid_id
      WHERE ${where.join(' AND ')}${scope.sql} ORDER BY w.id LIMIT ${limit + 1}`, [...params, ...scope.params]);
}

export function warningItem(r: Row) {
  return { ...toWarning(r), employerName: String(r.employer_name), gridName: String(r.grid_name) };
}

export async function listWarnings(ds: DataSource, engine: WorkflowEngine, p: Principal, q: WarningListQuery) {
  const rows = await warningRows(ds, p, q, q.limit);
  const page = rows.slice(0, q.limit);
  const items = [];
  for (const r of page) {
    const w = warningItem(r);
    items.push({ ...w, task: w.state === 'open' ? await openTaskOf(ds, engine, p, w.processInstanceKey) : null });
  }
  return { items, nextCursor: rows.length > q.limit ? String(page[page.length - 1].id) : null };
}

export async function warningDetail(ds: DataSource, engine: WorkflowEngine, p: Principal, id: string) {
  const rows: Row[] = await ds.query(
    'SELECT w.*, e.name AS employer_name, g.name AS grid_name FROM warnings w JOIN employers e ON e.id = w.employer_id JOIN grids g ON g.id = w.grid_id WHERE w.id = ?', [id]);
  if (!rows[0]) return null;
  const w = toWarning(rows[0]);
  return {
    ...w, employerName: String(rows[0].employer_name), gridName: String(rows[0].grid_name), actions: await warningActions(ds.manager, id),
    task: w.state === 'open' ? await openTaskOf(ds, engine, p, w.processInstanceKey) : null,
  };
}

/** A grid by id for the policy: one of another office answers as unknown as one that does not exist. */
export async function gridRef(ds: DataSource, officeId: string, id: string): Promise<{ id: string; officeId: string }> {
  const rows: Row[] = await ds.query('SELECT id, office_id FROM grids WHERE id = ?', [id]);
  return rows[0] ? { id: String(rows[0].id), officeId: String(rows[0].office_id) } : { id, officeId: `none:${officeId}` };
}

/** An employer by id for the report policy: office, grid and id; an unknown one as of no office. */
export async function employerRef(ds: DataSource, officeId: string, id: string): Promise<{ officeId: string; gridId: string | null; employerId: string }> {
  const rows: Row[] = await ds.query('SELECT id, office_id, grid_id FROM employers WHERE id = ?', [id]);
  return rows[0]
    ? { officeId: String(rows[0].office_id), gridId: rows[0].grid_id === null ? null : String(rows[0].grid_id), employerId: String(rows[0].id) }
    : { officeId: `none:${officeId}`, gridId: null, employerId: id };
}
