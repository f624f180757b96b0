/**
 * Patrols (日常巡查): a plan per grid and month names the employers due for a visit — the last visit
 * plus the interval of the employer's credit grade (legal-rules `patrol.interval.*`: C more often than
 * A; the default for an employer not graded yet) falls within the month, or never visited — and starts a
 * `grid-patrol` lifecycle for each: the grid's officers get the patrol task, due at the month's end.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import type { LegalRules, PeriodRuleId } from '../config/legal-rules';
import { errors } from '../errors';
import type { ProcessStarter } from '../cases/register-complaint';
import { isoChina } from '../cases/case-deadlines';
import { addDays, addMonths, chinaDate, endOfChinaDay, startOfChinaDay } from '../deadlines/china-time';
import { findEmployerPlace } from './grids';
import { currentGrade } from '../credit/grading';
import { PATROL_PROCESS_ID } from './model';
import type { WarningEngine } from './warnings';
import { recordInstanceScope } from '../tasks/instance-scopes';

type Row = Record<string, unknown>;

/** The interval rule of a credit grade; an employer not yet graded takes the default. */
export function intervalRule(grade: string | null): PeriodRuleId {
  if (grade === 'A') return 'patrol.interval.A';
  if (grade === 'B') return 'patrol.interval.B';
  if (grade === 'C') return 'patrol.interval.C';
  return 'patrol.interval.default';
}

export function periodBounds(period: string): { start: number; end: number } {
  const first = `${period}-01`;
  return { start: startOfChinaDay(first).getTime(), end: endOfChinaDay(addDays(addMonths(first, 1), -1)).getTime() };
}

export function periodOf(ms: number): string {
  return chinaDate(ms).slice(0, 7);
}

/** The grids a plan covers: the grid itself and, for a street, its communities. */
export async function gridAndChildren(em: EntityManager, gridId: string): Promise<string[]> {
  const rows: Row[] = await em.query('SELECT id FROM grids WHERE id = ? OR parent_id = ?', [gridId, gridId]);
  return rows.map((r) => String(r.id));
}

export interface PlanResult {
  planId: string;
  gridId: string;
  period: string;
  planned: number;
}

/**
 * Plans a grid's patrols for a month in the caller's transaction; a second plan for the same grid and
 * month is refused (409 PLAN_EXISTS).
 */
export async function createPatrolPlan(em: EntityManager, engine: ProcessStarter, rules: LegalRules, input: { officeId: string; gridId: string; period: string }, actor: Actor, now: Date): Promise<PlanResult> {
  const existing: Row[] = await em.query('SELECT id FROM patrol_plans WHERE grid_id = ? AND period = ?', [input.gridId, input.period]);
  if (existing.length) throw errors.conflict('PLAN_EXISTS', 'This grid already has a patrol plan for the month.', { planId: String(existing[0].id) });
  const { end } = periodBounds(input.period);
  const grids = await gridAndChildren(em, input.gridId);
  const employers: Row[] = await em.query(
    `SELECT e.id, (SELECT MAX(p.done_at) FROM patrols p WHERE p.employer_id = e.id AND p.state = 'done') AS last_done
       FROM employers e WHERE e.office_id = ? AND e.grid_id IN (${grids.map(() => '?').join(', ')}) ORDER BY e.name, e.id`,
    [input.officeId, ...grids]);
  const planId = crypto.randomUUID();
  const due: Row[] = [];
  for (const e of employers) {
    if (e.last_done === null || e.last_done === undefined) { due.push(e); continue; }
    // The interval of the employer's latest credit grade (C more often than A); ungraded: the default.
    const graded = await currentGrade(em, String(e.id));
    const days = rules[intervalRule(graded?.grade ?? null)].value;
    if (Number(e.last_done) + days * 86_400_000 <= end) due.push(e);
  }
  const t = now.getTime();
  await em.query('INSERT INTO patrol_plans (id, office_id, grid_id, period, planned_count, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [planId, input.officeId, input.gridId, input.period, due.length, actor.name, t]);
  for (const e of due) {
    const place = (await findEmployerPlace(em, String(e.id)))!;
    const id = crypto.randomUUID();
    await em.query(
      `INSERT INTO patrols (id, office_id, grid_id, employer_id, plan_id, period, state, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'planned', ?, ?)`,
      [id, input.officeId, place.gridId, place.employerId, planId, input.period, end, t]);
    const started = await engine.createInstance({
      bpmnProcessId: PATROL_PROCESS_ID, businessKey: `patrol:${id}`,
      variables: {
        patrolId: id, employerId: place.employerId, employer: { name: place.name, address: place.address, creditCode: place.creditCode },
        gridCode: place.gridCode, period: input.period, deadlines: { patrol: { rule: 'patrol', dueAt: isoChina(end) } },
      },
    }, em);
    await em.query('UPDATE patrols SET process_instance_key = ? WHERE id = ?', [started.processInstanceKey, id]);
    await recordInstanceScope(em, started.processInstanceKey, { officeId: input.officeId, gridId: place.gridId, kind: 'patrol' }, t);
  }
  await recordAudit(em, actor, now, { action: 'patrol.plan', entityType: 'patrol-plan', entityId: planId, after: { gridId: input.gridId, period: input.period, planned: due.length } });
  return { planId, gridId: input.gridId, period: input.period, planned: due.length };
}

export interface PatrolRow {
  id: string;
  officeId: string;
  gridId: string;
  employerId: string;
  period: string;
  state: string;
  dueAt: number;
  doneAt: number | null;
  doneBy: string | null;
  outcome: string | null;
  findings: Record<string, unknown> | null;
  documentId: string | null;
  caseId: string | null;
  warningId: string | null;
  followUpDueAt: number | null;
  followUpResult: string | null;
}

export function toPatrol(r: Row): PatrolRow {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    id: String(r.id), officeId: String(r.office_id), gridId: String(r.grid_id), employerId: String(r.employer_id), period: String(r.period), state: String(r.state),
    dueAt: Number(r.due_at), doneAt: n(r.done_at), doneBy: s(r.done_by), outcome: s(r.outcome),
    findings: r.findings_json ? JSON.parse(String(r.findings_json)) as Record<string, unknown> : null,
    documentId: s(r.document_id), caseId: s(r.case_id), warningId: s(r.warning_id), followUpDueAt: n(r.follow_up_due_at), followUpResult: s(r.follow_up_result),
  };
}

export async function findPatrol(em: EntityManager, id: string): Promise<PatrolRow | null> {
  const rows: Row[] = await em.query('SELECT * FROM patrols WHERE id = ?', [id]);
  return rows[0] ? toPatrol(rows[0]) : null;
}

export async function mustFindPatrol(em: EntityManager, id: string): Promise<PatrolRow> {
  const p = await findPatrol(em, id);
  if (!p) throw errors.notFound('patrol');
  return p;
}

/**
 * Who completed a user task of a process instance, asked of the engine port; null where the engine
 * does not say, and the record then names no one.
 */
export async function completedBy(engine: Pick<WarningEngine, 'listTasks'> | undefined, processInstanceKey: string, elementId: string): Promise<string | null> {
  if (!engine?.listTasks) return null;
  const tasks = (await engine.listTasks({ processInstanceKey, state: 'completed', limit: 50 })).filter((t) => t.elementId === elementId && t.completedBy);
  tasks.sort((a, b) => String(b.completedAt).localeCompare(String(a.completedAt)));
  return tasks[0]?.completedBy ?? null;
}

/** A user's display name, for records people read. */
export async function displayNameOf(em: EntityManager, username: string | null): Promise<string | null> {
  if (!username) return null;
  const rows: Row[] = await em.query('SELECT display_name FROM users WHERE username = ?', [username]);
  return rows[0] ? String(rows[0].display_name) : username;
}
