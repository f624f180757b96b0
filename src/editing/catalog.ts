/**
 * What the editors list besides diagrams: the deployed forms (latest version of each), and the
 * process instances per deployed version, which shows that running cases stay on the version they
 * started with when a new one is deployed.
 */
import type { EntityManager } from 'typeorm';

export interface FormSummary {
  formId: string;
  version: number;
  versionCount: number;
  deployedAt: number;
}

export async function listForms(em: EntityManager): Promise<FormSummary[]> {
  const rows = (await em.query(
    `SELECT f.form_id, f.version, f.deployed_at, c.n
       FROM engine_forms f
       JOIN (SELECT form_id, MAX(version) AS v, COUNT(*) AS n FROM engine_forms GROUP BY form_id) c ON c.form_id = f.form_id AND c.v = f.version
      ORDER BY f.form_id`,
  )) as { form_id: string; version: number | string; deployed_at: number | string; n: number | string }[];
  return rows.map((r) => ({ formId: r.form_id, version: Number(r.version), versionCount: Number(r.n), deployedAt: Number(r.deployed_at) }));
}

export interface VersionInstances {
  version: number;
  active: number;
  total: number;
}

export interface InstanceSummary {
  key: string;
  version: number;
  state: string;
  businessKey: string | null;
  startedAt: number;
}

/** Instance counts per version of a process, and its most recent instances with their version. */
export async function instancesByVersion(em: EntityManager, bpmnProcessId: string, recent = 20): Promise<{ versions: VersionInstances[]; recent: InstanceSummary[] }> {
  const counts = (await em.query(
    `SELECT version, COUNT(*) AS total, SUM(CASE WHEN state = 'active' THEN 1 ELSE 0 END) AS active
       FROM engine_process_instances WHERE bpmn_process_id = ? GROUP BY version ORDER BY version DESC`,
    [bpmnProcessId],
  )) as { version: number | string; total: number | string; active: number | string | null }[];
  const rows = (await em.query(
    `SELECT id, version, state, business_key, started_at FROM engine_process_instances WHERE bpmn_process_id = ? ORDER BY started_at DESC, id DESC LIMIT ${Math.max(1, Math.min(100, Math.floor(recent)))}`,
    [bpmnProcessId],
  )) as { id: number | string; version: number | string; state: string; business_key: string | null; started_at: number | string }[];
  return {
    versions: counts.map((c) => ({ version: Number(c.version), active: Number(c.active ?? 0), total: Number(c.total) })),
    recent: rows.map((r) => ({ key: String(r.id), version: Number(r.version), state: r.state, businessKey: r.business_key, startedAt: Number(r.started_at) })),
  };
}
