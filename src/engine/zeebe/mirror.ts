/**
 * The local record of work on Zeebe (tables of migrations/1700000010000-ZeebeMirror.ts): what the case
 * page and supervisors read in Zeebe mode instead of Operate. Workers and the user task sync write it
 * in their own transactions; every row has a key from Zeebe, so a repeated delivery is stored once.
 *
 * It knows what this service saw: service tasks whose jobs our workers took, user tasks, incidents
 * our workers caused and the instances it started or saw jobs of. Gateways, events, timers and the
 * end of an instance happen inside Zeebe and leave no trace here (Operate shows them).
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { ElementHistoryEntry, EngineCounts, IncidentQuery, IncidentView, InstanceQuery, InstanceSummary, InstanceView, VersionInstanceCount } from '../port-types';
import { reject } from '../rejection';
import { isDuplicateKey } from '../runtime/tx';

type Row = Record<string, unknown>;
const s = (v: unknown): string => String(v);
const isoOf = (v: unknown): string | null => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());

/** Inserts a row unless its key exists (an at-least-once delivery seen before). */
async function insertOnce(em: EntityManager, sql: string, params: unknown[]): Promise<boolean> {
  try {
    await em.query(sql, params);
    return true;
  } catch (e) {
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}

export interface InstanceFact {
  processInstanceKey: string;
  bpmnProcessId: string;
  version: number;
  definitionKey: string;
  businessKey?: string | null;
}

export async function recordInstance(em: EntityManager, f: InstanceFact, at: number): Promise<boolean> {
  const [known] = (await em.query('SELECT state FROM zeebe_instances WHERE process_instance_key = ?', [f.processInstanceKey])) as Row[];
  if (known) return false;
  return insertOnce(em,
    `INSERT INTO zeebe_instances (process_instance_key, bpmn_process_id, version, definition_key, business_key, state, started_at)
     VALUES (?, ?, ?, ?, ?, 'active', ?)`,
    [f.processInstanceKey, f.bpmnProcessId, f.version, f.definitionKey, f.businessKey ?? null, at]);
}

export async function instanceByBusinessKey(em: EntityManager, bpmnProcessId: string, businessKey: string): Promise<InstanceFact | null> {
  const [r] = (await em.query('SELECT * FROM zeebe_instances WHERE bpmn_process_id = ? AND business_key = ?', [bpmnProcessId, businessKey])) as Row[];
  return r ? { processInstanceKey: s(r.process_instance_key), bpmnProcessId: s(r.bpmn_process_id), version: Number(r.version), definitionKey: s(r.definition_key), businessKey } : null;
}

export async function endInstance(em: EntityManager, processInstanceKey: string, state: 'canceled' | 'completed', at: number): Promise<void> {
  await em.query("UPDATE zeebe_instances SET state = ?, ended_at = ? WHERE process_instance_key = ? AND state = 'active'", [state, at, processInstanceKey]);
}

export type ElementEvent = 'activated' | 'completed' | 'error-thrown' | 'failed' | 'incident' | 'canceled' | 'assigned';

export interface ElementEventFact {
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  kind: 'serviceTask' | 'userTask';
  event: ElementEvent;
  jobKey?: string | null;
  detail?: unknown;
  /** Distinguishes events of one kind on one element (a failure per retry count, an assignee). */
  qualifier?: string;
}

export async function recordElementEvent(em: EntityManager, f: ElementEventFact, at: number): Promise<boolean> {
  const dedupe = [f.elementInstanceKey, f.event, f.qualifier ?? ''].join(':').slice(0, 191);
  return insertOnce(em,
    `INSERT INTO zeebe_element_events (dedupe_key, process_instance_key, element_instance_key, element_id, kind, event, job_key, detail, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [dedupe, f.processInstanceKey, f.elementInstanceKey, f.elementId, f.kind, f.event, f.jobKey ?? null, f.detail === undefined ? null : JSON.stringify(f.detail), at]);
}

export interface IncidentFact {
  jobKey: string;
  processInstanceKey: string;
  elementInstanceKey: string;
  elementId: string;
  bpmnProcessId: string;
  errorMessage: string;
}

/** A job failed with no retries left: Zeebe raised an incident on its element. */
export async function recordIncident(em: EntityManager, f: IncidentFact, at: number): Promise<void> {
  const done = await insertOnce(em,
    `INSERT INTO zeebe_incidents (job_key, process_instance_key, element_instance_key, element_id, bpmn_process_id, error_type, error_message, state, created_at)
     VALUES (?, ?, ?, ?, ?, 'JOB_NO_RETRIES', ?, 'active', ?)`,
    [f.jobKey, f.processInstanceKey, f.elementInstanceKey, f.elementId, f.bpmnProcessId, f.errorMessage, at]);
  // The same job failing out of retries again after a resolution is a new incident on the same row.
  if (!done) {
    await em.query("UPDATE zeebe_incidents SET state = 'active', error_message = ?, created_at = ?, resolved_at = NULL WHERE job_key = ? AND state = 'resolved'",
      [f.errorMessage, at, f.jobKey]);
  }
}

export async function markIncidentResolved(em: EntityManager, jobKey: string, at: number): Promise<void> {
  await em.query("UPDATE zeebe_incidents SET state = 'resolved', resolved_at = ? WHERE job_key = ? AND state = 'active'", [at, jobKey]);
}

function incidentView(r: Row): IncidentView {
  return {
    key: s(r.job_key), processInstanceKey: s(r.process_instance_key), elementInstanceKey: s(r.element_instance_key), elementId: s(r.element_id),
    bpmnProcessId: s(r.bpmn_process_id), jobKey: s(r.job_key), errorType: s(r.error_type), errorMessage: r.error_message === null ? '' : s(r.error_message),
    state: r.state === 'resolved' ? 'resolved' : 'active', createdAt: isoOf(r.created_at)!, resolvedAt: isoOf(r.resolved_at),
  };
}

export async function listIncidents(ds: DataSource, opts: IncidentQuery): Promise<IncidentView[]> {
  const where = ['state = ?'];
  const params: unknown[] = [opts.state ?? 'active'];
  if (opts.processInstanceKey) { where.push('process_instance_key = ?'); params.push(opts.processInstanceKey); }
  const limit = Math.min(Math.max(1, opts.limit ?? 200), 1000);
  const rows = (await ds.query(`SELECT * FROM zeebe_incidents WHERE ${where.join(' AND ')} ORDER BY created_at, job_key LIMIT ${limit}`, params)) as Row[];
  return rows.map(incidentView);
}

export async function findIncident(em: EntityManager, jobKey: string): Promise<IncidentView | null> {
  const [r] = (await em.query('SELECT * FROM zeebe_incidents WHERE job_key = ?', [jobKey])) as Row[];
  return r ? incidentView(r) : null;
}

const ENDS: Partial<Record<ElementEvent, ElementHistoryEntry['state']>> = { completed: 'completed', 'error-thrown': 'completed', canceled: 'terminated' };

/**
 * The instance as far as this service saw it. `variables` is empty (Zeebe keeps them; workers see
 * only what they fetch), and the instance stays `active` until cancelled here: its end happens in
 * Zeebe without a job of ours.
 */
export async function readInstance(ds: DataSource, key: string): Promise<InstanceView> {
  const [pi] = (await ds.query('SELECT * FROM zeebe_instances WHERE process_instance_key = ?', [key])) as Row[];
  if (!pi) throw reject.notFound('PROCESS_INSTANCE_NOT_FOUND', `No process instance ${key}.`);
  const events = (await ds.query('SELECT * FROM zeebe_element_events WHERE process_instance_key = ? ORDER BY id', [key])) as Row[];
  const incidents = ((await ds.query('SELECT * FROM zeebe_incidents WHERE process_instance_key = ? ORDER BY created_at', [key])) as Row[]).map(incidentView);
  const open = new Set(incidents.filter((i) => i.state === 'active').map((i) => i.elementInstanceKey));
  const byElement = new Map<string, ElementHistoryEntry>();
  for (const e of events) {
    const eik = s(e.element_instance_key);
    let entry = byElement.get(eik);
    if (!entry) {
      entry = { elementInstanceKey: eik, elementId: s(e.element_id), kind: s(e.kind), state: 'active', scopeKey: null, startedAt: isoOf(e.at)!, endedAt: null, incident: false };
      byElement.set(eik, entry);
    }
    const end = ENDS[e.event as ElementEvent];
    if (end && entry.endedAt === null) { entry.state = end; entry.endedAt = isoOf(e.at); }
  }
  for (const entry of byElement.values()) entry.incident = open.has(entry.elementInstanceKey);
  return {
    processInstanceKey: s(pi.process_instance_key), bpmnProcessId: s(pi.bpmn_process_id), version: Number(pi.version), definitionKey: s(pi.definition_key),
    businessKey: pi.business_key === null ? null : s(pi.business_key), parentElementInstanceKey: null,
    state: instanceState(pi.state),
    startedAt: isoOf(pi.started_at)!, endedAt: isoOf(pi.ended_at),
    variables: {},
    elements: [...byElement.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    incidents,
    calledInstanceKeys: [],
  };
}

const instanceState = (v: unknown): InstanceView['state'] => (v === 'canceled' ? 'canceled' : v === 'completed' ? 'completed' : 'active');

/**
 * Instance search over the instances this service started or saw. Zeebe's keys are decimal strings:
 * newest first is longest first, then descending. A case's keys are taken as they are (no call tree here).
 */
export async function searchInstances(ds: DataSource, q: InstanceQuery): Promise<InstanceSummary[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.bpmnProcessId !== undefined) { where.push('bpmn_process_id = ?'); params.push(q.bpmnProcessId); }
  if (q.version !== undefined) { where.push('version = ?'); params.push(q.version); }
  if (q.businessKey !== undefined) { where.push('business_key = ?'); params.push(q.businessKey); }
  if (q.state !== undefined) { where.push('state = ?'); params.push(q.state); }
  if (q.rootProcessInstanceKeys !== undefined) {
    const keys = [...new Set(q.rootProcessInstanceKeys)].filter((k) => /^\d{1,19}$/.test(k));
    if (!keys.length) return [];
    where.push(`process_instance_key IN (${keys.map(() => '?').join(', ')})`);
    params.push(...keys);
  }
  if (q.after !== undefined) {
    if (!/^\d{1,19}$/.test(q.after)) return [];
    where.push('(LENGTH(process_instance_key) < ? OR (LENGTH(process_instance_key) = ? AND process_instance_key < ?))');
    params.push(q.after.length, q.after.length, q.after);
  }
  const limit = Math.min(Math.max(1, Math.floor(q.limit ?? 50)), 500);
  const rows = (await ds.query(
    `SELECT * FROM zeebe_instances ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY LENGTH(process_instance_key) DESC, process_instance_key DESC LIMIT ${limit}`, params)) as Row[];
  return rows.map((r) => ({
    processInstanceKey: s(r.process_instance_key), bpmnProcessId: s(r.bpmn_process_id), version: Number(r.version), definitionKey: s(r.definition_key),
    businessKey: r.business_key === null ? null : s(r.business_key), parentProcessInstanceKey: null, rootProcessInstanceKey: s(r.process_instance_key),
    state: instanceState(r.state), startedAt: isoOf(r.started_at)!, endedAt: isoOf(r.ended_at),
  }));
}

export async function countInstancesByVersion(ds: DataSource, bpmnProcessId: string): Promise<VersionInstanceCount[]> {
  const rows = (await ds.query(
    `SELECT version, COUNT(*) AS total, SUM(CASE WHEN state = 'active' THEN 1 ELSE 0 END) AS active
       FROM zeebe_instances WHERE bpmn_process_id = ? GROUP BY version ORDER BY version DESC`, [bpmnProcessId])) as Row[];
  return rows.map((c) => ({ version: Number(c.version), active: Number(c.active ?? 0), total: Number(c.total) }));
}

/** Open incidents our workers caused; Zeebe's timers are not seen here. */
export async function counts(ds: DataSource): Promise<EngineCounts> {
  const [r] = (await ds.query("SELECT COUNT(*) AS n FROM zeebe_incidents WHERE state = 'active'")) as Row[];
  return { openIncidents: Number(r?.n ?? 0), dueTimers: null };
}

export const notActive = (key: string, state: string) => reject.invalidState('PROCESS_INSTANCE_NOT_ACTIVE', `Process instance ${key} is ${state}.`);
