/**
 * Open incidents as people read them: the case (number, employer), the step by its name in the
 * diagram, the reason in Chinese, since when, and the field the reason asks to correct. One list for
 * a case page and one for the supervisor's office, both filtered by what the user may see.
 */
import type { EntityManager } from 'typeorm';
import { allowed, type CaseRef } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { definitionByVersion, loadExecutable } from '../engine/deploy/definitions';
import type { IncidentView, InstanceView, WorkflowEngine } from '../engine/port';
import { caseInstanceKeys, caseOfProcessInstance, processRefOf } from './instance-case';
import { repairableField } from './repairable';

export interface IncidentItem {
  key: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  /** The step's name in its diagram (e.g. 记录送达). */
  stepName: string;
  reason: string;
  since: string;
  /** The field the reason asks to correct, when the case page can correct it; null: retry only. */
  repair: { variable: string; label: string; input: 'date' | 'text' } | null;
  caseId: string | null;
  caseNumber: string | null;
  employerName: string | null;
}

type Row = Record<string, unknown>;

/** Names of a process's elements by id, read from the deployed version the instance runs. */
async function elementNames(em: EntityManager, pi: InstanceView): Promise<Record<string, string>> {
  const process = await loadExecutable(em, pi.definitionKey).catch(async () => {
    // Zeebe mode keeps its definitions under the cluster's keys: find the version by process id.
    const def = await definitionByVersion(em, pi.bpmnProcessId, pi.version);
    return def ? loadExecutable(em, def.key).catch(() => null) : null;
  });
  const out: Record<string, string> = {};
  for (const [id, el] of Object.entries(process?.elements ?? {})) if (el.name) out[id] = el.name;
  return out;
}

async function caseFacts(em: EntityManager, caseId: string): Promise<{ caseNumber: string; employerName: string | null } | null> {
  const rows = (await em.query(
    `SELECT c.case_number, (SELECT p.name FROM case_parties p WHERE p.case_id = c.id AND p.role = 'employer' ORDER BY p.position LIMIT 1) AS employer_name
       FROM cases c WHERE c.id = ?`, [caseId])) as Row[];
  return rows[0] ? { caseNumber: String(rows[0].case_number), employerName: rows[0].employer_name === null ? null : String(rows[0].employer_name) } : null;
}

async function describe(em: EntityManager, engine: WorkflowEngine, incidents: IncidentView[], caseOf: (i: IncidentView) => Promise<CaseRef | null>): Promise<IncidentItem[]> {
  const names = new Map<string, Record<string, string>>();
  const facts = new Map<string, { caseNumber: string; employerName: string | null } | null>();
  const out: IncidentItem[] = [];
  for (const i of incidents) {
    if (!names.has(i.processInstanceKey)) {
      const pi = await engine.getInstance(i.processInstanceKey).catch(() => null);
      names.set(i.processInstanceKey, pi ? await elementNames(em, pi) : {});
    }
    const c = await caseOf(i);
    if (c && !facts.has(c.id)) facts.set(c.id, await caseFacts(em, c.id));
    const f = c ? facts.get(c.id) ?? null : null;
    const field = repairableField(i.errorMessage);
    out.push({
      key: i.key, processInstanceKey: i.processInstanceKey, bpmnProcessId: i.bpmnProcessId, elementId: i.elementId,
      stepName: names.get(i.processInstanceKey)?.[i.elementId] ?? '系统步骤', reason: i.errorMessage || '流程故障', since: i.createdAt,
      repair: field ? { variable: field.variable, label: field.label, input: field.input } : null,
      caseId: c?.id ?? null, caseNumber: f?.caseNumber ?? null, employerName: f?.employerName ?? null,
    });
  }
  return out;
}

/** The open incidents of one case. */
export async function caseIncidents(em: EntityManager, engine: WorkflowEngine, c: CaseRef): Promise<IncidentItem[]> {
  const incidents: IncidentView[] = [];
  for (const key of await caseInstanceKeys(em, engine, c.id)) incidents.push(...await engine.listIncidents({ state: 'active', processInstanceKey: key, limit: 100 }));
  return describe(em, engine, incidents, async () => c);
}

/** The open incidents of the office the principal sees, oldest first. */
export async function officeIncidents(em: EntityManager, engine: WorkflowEngine, p: Principal, limit = 200): Promise<IncidentItem[]> {
  const all = await engine.listIncidents({ state: 'active', limit: 500 });
  const cases = new Map<string, CaseRef | null>();
  const visible: IncidentView[] = [];
  for (const i of all) {
    if (!cases.has(i.processInstanceKey)) cases.set(i.processInstanceKey, await caseOfProcessInstance(em, engine, i.processInstanceKey));
    const c = cases.get(i.processInstanceKey) ?? null;
    // An incident of no case (a patrol, a grading run, a test diagram) is its office's: staff of that office see it.
    if (c ? allowed(p, 'case.read', c) : allowed(p, 'process.manage', await processRefOf(em, engine, i.processInstanceKey))) visible.push(i);
  }
  visible.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return describe(em, engine, visible.slice(0, limit), async (i) => cases.get(i.processInstanceKey) ?? null);
}
