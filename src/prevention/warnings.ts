/**
 * Three-colour warnings (三色预警): opening one (by the rules, a report or a patrol) writes the warning
 * and starts its `risk-warning` lifecycle in the same transaction; the lifecycle's workers record
 * what was done, escalate and close it; a closed warning can be reopened (a new instance of the
 * lifecycle for the same warning). One open warning per employer: a stronger finding raises it.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { errors } from '../errors';
import type { ProcessStarter } from '../cases/register-complaint';
import type { TaskQuery, UserTaskView } from '../engine/port';
import { EmployerPlace, findEmployerPlace } from './grids';
import { Colour, colourRank, WARNING_PROCESS_ID, WarningSource } from './model';
import { recordInstanceScope } from '../tasks/instance-scopes';

export interface WarningRow {
  id: string;
  officeId: string;
  gridId: string;
  employerId: string;
  colour: Colour;
  source: WarningSource;
  state: 'open' | 'closed';
  reasons: string[];
  reportedBy: string | null;
  openedAt: number;
  dueAt: number | null;
  handledAt: number | null;
  handledOnTime: boolean | null;
  closedAt: number | null;
  result: string | null;
  fourOnes: Record<string, string> | null;
  escalations: number;
  processInstanceKey: string | null;
  reopenCount: number;
}

type Row = Record<string, unknown>;
const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));

export function toWarning(r: Row): WarningRow {
  return {
    id: String(r.id), officeId: String(r.office_id), gridId: String(r.grid_id), employerId: String(r.employer_id), colour: String(r.colour) as Colour,
    source: String(r.source) as WarningSource, state: String(r.state) as 'open' | 'closed', reasons: JSON.parse(String(r.reasons_json)) as string[],
    reportedBy: r.reported_by === null ? null : String(r.reported_by), openedAt: Number(r.opened_at), dueAt: n(r.due_at), handledAt: n(r.handled_at),
    handledOnTime: r.handled_on_time === null || r.handled_on_time === undefined ? null : Number(r.handled_on_time) === 1,
    closedAt: n(r.closed_at), result: r.result === null ? null : String(r.result),
    fourOnes: r.four_ones_json ? JSON.parse(String(r.four_ones_json)) as Record<string, string> : null,
    escalations: Number(r.escalations), processInstanceKey: r.process_instance_key === null ? null : String(r.process_instance_key), reopenCount: Number(r.reopen_count),
  };
}

export async function findWarning(em: EntityManager, id: string): Promise<WarningRow | null> {
  const rows: Row[] = await em.query('SELECT * FROM warnings WHERE id = ?', [id]);
  return rows[0] ? toWarning(rows[0]) : null;
}

export async function mustFindWarning(em: EntityManager, id: string): Promise<WarningRow> {
  const w = await findWarning(em, id);
  if (!w) throw errors.notFound('warning');
  return w;
}

export async function openWarningOf(em: EntityManager, employerId: string): Promise<WarningRow | null> {
  const rows: Row[] = await em.query("SELECT * FROM warnings WHERE employer_id = ? AND state = 'open' ORDER BY opened_at DESC LIMIT 1", [employerId]);
  return rows[0] ? toWarning(rows[0]) : null;
}

export interface OpenWarningInput {
  employerId: string;
  colour: Colour;
  source: WarningSource;
  reasons: string[];
  reportedBy?: string | null;
}

export interface OpenedWarning {
  warning: WarningRow;
  /** `opened`: a new warning; `raised`: the open one took the stronger colour; `unchanged`: the open one already covers it. */
  effect: 'opened' | 'raised' | 'unchanged';
}

/** Process variables of a warning's lifecycle: ids and names only, no personal data. */
async function lifecycleVariables(em: EntityManager, w: WarningRow, known?: EmployerPlace): Promise<Record<string, unknown>> {
  const place = known ?? await findEmployerPlace(em, w.employerId);
  if (!place) throw errors.notFound('employer');
  return {
    warningId: w.id, colour: w.colour, employerId: w.employerId, employer: { name: place.name, creditCode: place.creditCode },
    gridCode: place.gridCode, streetCode: place.streetCode, reasons: w.reasons.join('；'), fourOnesDone: Boolean(w.fourOnes),
  };
}

/** The message the lifecycle's handling task listens for: a stronger finding for an open warning. */
export const WARNING_RAISED_MESSAGE = 'warning-raised';

export interface WarningEngine extends ProcessStarter {
  publishMessage(req: { name: string; correlationKey: string; variables?: Record<string, unknown>; timeToLive?: number; messageId?: string }, em?: EntityManager): Promise<unknown>;
  /** The engine's task search, to name who completed a task (records people read). */
  listTasks?(q: TaskQuery): Promise<UserTaskView[]>;
}

/**
 * Opens a warning for an employer, or raises the open one when the new finding is stronger. Runs in
 * the caller's transaction, with the lifecycle's start or message.
 */
export async function openWarning(em: EntityManager, engine: WarningEngine, input: OpenWarningInput, actor: Actor, now: Date): Promise<OpenedWarning> {
  const place = await findEmployerPlace(em, input.employerId);
  if (!place) throw errors.notFound('employer');
  const t = now.getTime();
  const open = await openWarningOf(em, input.employerId);
  if (open) {
    const reasons = [...open.reasons, ...input.reasons.filter((r) => !open.reasons.includes(r))];
    if (colourRank(input.colour) <= colourRank(open.colour)) {
      if (reasons.length !== open.reasons.length) await em.query('UPDATE warnings SET reasons_json = ?, updated_at = ? WHERE id = ?', [JSON.stringify(reasons), t, open.id]);
      return { warning: { ...open, reasons }, effect: 'unchanged' };
    }
    await em.query('UPDATE warnings SET reasons_json = ?, updated_at = ? WHERE id = ?', [JSON.stringify(reasons), t, open.id]);
    // The lifecycle sets the colour and the handlers when it takes the message (warning.escalate).
    await engine.publishMessage({
      name: WARNING_RAISED_MESSAGE, correlationKey: open.id, variables: { raisedColour: input.colour, reasons: reasons.join('；') },
      timeToLive: 86_400_000, messageId: `${open.id}:${input.colour}:${t}`,
    }, em);
    await recordAudit(em, actor, now, { action: 'warning.raise', entityType: 'warning', entityId: open.id, before: { colour: open.colour }, after: { colour: input.colour, reasons: input.reasons } });
    return { warning: { ...open, reasons }, effect: 'raised' };
  }
  const id = crypto.randomUUID();
  await em.query(
    `INSERT INTO warnings (id, office_id, grid_id, employer_id, colour, source, state, reasons_json, reported_by, opened_at, due_at, handled_at, handled_on_time,
       closed_at, result, four_ones_json, escalations, process_instance_key, reopen_count, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, ?, ?)`,
    [id, place.officeId, place.gridId, place.employerId, input.colour, input.source, JSON.stringify(input.reasons), input.reportedBy ?? null, t, t, t],
  );
  const warning = (await findWarning(em, id))!;
  const started = await engine.createInstance({ bpmnProcessId: WARNING_PROCESS_ID, businessKey: `warning:${id}:0`, variables: await lifecycleVariables(em, warning, place) }, em);
  await em.query('UPDATE warnings SET process_instance_key = ? WHERE id = ?', [started.processInstanceKey, id]);
  await recordInstanceScope(em, started.processInstanceKey, { officeId: place.officeId, gridId: place.gridId, kind: 'warning' }, t);
  await recordAudit(em, actor, now, { action: 'warning.open', entityType: 'warning', entityId: id, after: { employerId: input.employerId, colour: input.colour, source: input.source, reasons: input.reasons } });
  return { warning: { ...warning, processInstanceKey: started.processInstanceKey }, effect: 'opened' };
}

/** Reopens a closed warning at the colour it closed with: its lifecycle starts again. */
export async function reopenWarning(em: EntityManager, engine: WarningEngine, id: string, reason: string, actor: Actor, now: Date): Promise<WarningRow> {
  const w = await mustFindWarning(em, id);
  if (w.state !== 'closed') throw errors.conflict('WARNING_OPEN', 'The warning is still open.');
  if (await openWarningOf(em, w.employerId)) throw errors.conflict('WARNING_OPEN', 'The employer has another open warning.');
  const t = now.getTime();
  const reasons = [...w.reasons, reason];
  const count = w.reopenCount + 1;
  await em.query(
    `UPDATE warnings SET state = 'open', reasons_json = ?, closed_at = NULL, result = NULL, handled_at = NULL, handled_on_time = NULL, due_at = NULL,
       reopen_count = ?, updated_at = ? WHERE id = ?`, [JSON.stringify(reasons), count, t, id]);
  const reopened = (await findWarning(em, id))!;
  const started = await engine.createInstance({ bpmnProcessId: WARNING_PROCESS_ID, businessKey: `warning:${id}:${count}`, variables: await lifecycleVariables(em, reopened) }, em);
  await em.query('UPDATE warnings SET process_instance_key = ? WHERE id = ?', [started.processInstanceKey, id]);
  await recordInstanceScope(em, started.processInstanceKey, { officeId: reopened.officeId, gridId: reopened.gridId, kind: 'warning' }, t);
  await recordAudit(em, actor, now, { action: 'warning.reopen', entityType: 'warning', entityId: id, before: { state: 'closed', result: w.result }, after: { state: 'open', reason } });
  return { ...reopened, processInstanceKey: started.processInstanceKey };
}

/** One thing done about a warning, kept in its history. Idempotent by `key` (a job's key). */
export async function recordWarningAction(em: EntityManager, w: { id: string; colour: string }, action: string, note: string | null, by: string, at: number, key: string | null): Promise<void> {
  if (key) {
    const seen: Row[] = await em.query('SELECT id FROM warning_actions WHERE idempotency_key = ?', [key]);
    if (seen.length) return;
  }
  await em.query('INSERT INTO warning_actions (id, warning_id, at, colour, action, note, by_name, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [crypto.randomUUID(), w.id, at, w.colour, action, note, by, key]);
}

export async function warningActions(em: EntityManager, id: string): Promise<{ at: number; colour: string; action: string; note: string | null; by: string }[]> {
  const rows: Row[] = await em.query('SELECT at, colour, action, note, by_name FROM warning_actions WHERE warning_id = ? ORDER BY at, id', [id]);
  return rows.map((r) => ({ at: Number(r.at), colour: String(r.colour), action: String(r.action), note: r.note === null ? null : String(r.note), by: String(r.by_name) }));
}
