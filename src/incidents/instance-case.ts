/**
 * The case an incident, an element instance or a process instance belongs to, so that repairing and
 * retrying are authorized by the case (its office and grid), like every other act on it. A called
 * instance is found through its root when no job of its own has recorded it on the case yet.
 */
import type { EntityManager } from 'typeorm';
import type { CaseRef } from '../auth/policy';
import { caseRefOfInstance } from '../cases/case-refs';
import type { IncidentView, WorkflowEngine } from '../engine/port';

type Row = Record<string, unknown>;

/** The root instance of an instance of the embedded engine, or null (unknown key, or Zeebe mode). */
async function rootOf(em: EntityManager, processInstanceKey: string): Promise<string | null> {
  if (!/^\d{1,15}$/.test(processInstanceKey)) return null;
  const rows = (await em.query('SELECT root_id FROM engine_process_instances WHERE id = ?', [Number(processInstanceKey)]).catch(() => [])) as Row[];
  return rows[0] ? String(rows[0].root_id) : null;
}

export async function caseOfProcessInstance(em: EntityManager, processInstanceKey: string): Promise<CaseRef | null> {
  return caseRefOfInstance(em, processInstanceKey, (await rootOf(em, processInstanceKey)) ?? undefined);
}

/**
 * The instance an element instance runs in: a process instance's key is its own element instance's
 * (Zeebe), else the embedded engine's element row; null when neither knows it.
 */
export async function processOfElementInstance(em: EntityManager, engine: WorkflowEngine, key: string): Promise<string | null> {
  if (/^\d{1,15}$/.test(key)) {
    const rows = (await em.query('SELECT process_instance_id FROM engine_element_instances WHERE id = ?', [Number(key)]).catch(() => [])) as Row[];
    if (rows[0] && rows[0].process_instance_id !== null) return String(rows[0].process_instance_id);
  }
  const pi = await engine.getInstance(key).catch(() => null);
  return pi ? pi.processInstanceKey : null;
}

/** An open or resolved incident by its key, or null. */
export async function findIncident(engine: WorkflowEngine, key: string): Promise<IncidentView | null> {
  for (const state of ['active', 'resolved'] as const) {
    const found = (await engine.listIncidents({ state, limit: 500 })).find((i) => i.key === key);
    if (found) return found;
  }
  return null;
}
