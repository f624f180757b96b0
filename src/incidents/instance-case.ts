/**
 * The case an incident, an element instance or a process instance belongs to, so that repairing and
 * retrying are authorized by the case (its office and grid), like every other act on it. A called
 * instance a job has not yet recorded on its case is found through the case its variables name, and
 * believed only when the engine lists it under that case's own instances.
 */
import type { EntityManager } from 'typeorm';
import type { CaseRef } from '../auth/policy';
import { caseRefById, caseRefOfInstance } from '../cases/case-refs';
import type { IncidentView, WorkflowEngine } from '../engine/port';
import { AppError } from '../errors';
import type { ProcessRef } from '../auth/policy';
import { scopesByProcess } from '../tasks/instance-scopes';

/** The process instances a case records (its roots, and called ones its jobs ran in). */
export async function recordedInstanceKeys(em: EntityManager, caseId: string): Promise<string[]> {
  return ((await em.query('SELECT process_instance_key FROM case_processes WHERE case_id = ?', [caseId])) as { process_instance_key: string }[])
    .map((r) => String(r.process_instance_key));
}

/** Every process instance of a case: those it records and those called beneath them. */
export async function caseInstanceKeys(em: EntityManager, engine: WorkflowEngine, caseId: string): Promise<string[]> {
  const own = await recordedInstanceKeys(em, caseId);
  if (!own.length) return [];
  const below = await engine.searchInstances({ rootProcessInstanceKeys: own, limit: 500 }).catch(() => []);
  return [...new Set([...own, ...below.map((i) => i.processInstanceKey)])];
}

export async function caseOfProcessInstance(em: EntityManager, engine: WorkflowEngine, processInstanceKey: string): Promise<CaseRef | null> {
  const recorded = await caseRefOfInstance(em, processInstanceKey);
  if (recorded) return recorded;
  const pi = await engine.getInstance(processInstanceKey).catch(() => null);
  const named = pi && typeof pi.variables.caseId === 'string' && /^[0-9a-f-]{36}$/i.test(pi.variables.caseId) ? await caseRefById(em, pi.variables.caseId) : null;
  if (!named) return null;
  return (await caseInstanceKeys(em, engine, named.id)).includes(processInstanceKey) ? named : null;
}

/** What the process policy decides on: the instance's case, or for an instance without one its recorded scope. */
export async function processRefOf(em: EntityManager, engine: WorkflowEngine, processInstanceKey: string): Promise<ProcessRef> {
  const c = await caseOfProcessInstance(em, engine, processInstanceKey);
  if (c) return { case: c };
  return { case: null, scope: (await scopesByProcess(em, [processInstanceKey])).get(processInstanceKey) ?? null };
}

/** An open or resolved incident by its key, or null. */
export async function findIncident(engine: WorkflowEngine, key: string): Promise<IncidentView | null> {
  for (const state of ['active', 'resolved'] as const) {
    const found = (await engine.listIncidents({ state, limit: 500 })).find((i) => i.key === key);
    if (found) return found;
  }
  return null;
}

/**
 * The process instance of an element instance whose variables staff put right: a process instance
 * (its own element instance), or the element of an open incident. Any other key answers as unknown.
 */
export async function processOfElementInstance(engine: WorkflowEngine, key: string): Promise<string> {
  const pi = await engine.getInstance(key).catch(() => null);
  if (pi) return pi.processInstanceKey;
  const incident = (await engine.listIncidents({ state: 'active', limit: 500 })).find((i) => i.elementInstanceKey === key);
  if (incident) return incident.processInstanceKey;
  throw elementInstanceNotFound(key);
}

/** The answer for an element instance key that names nothing staff may put right. */
export const elementInstanceNotFound = (key: string): AppError =>
  new AppError(404, 'ELEMENT_INSTANCE_NOT_FOUND', `No process instance or element instance with an open incident ${key}.`);
