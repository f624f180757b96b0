/**
 * What the editors list besides diagrams: the deployed forms (latest version of each), and the
 * process instances per deployed version, which shows that running cases stay on the version they
 * started with when a new one is deployed. Instances come through the engine port, so Zeebe mode
 * lists the instances of its local record as the embedded engine lists its own.
 */
import type { EntityManager } from 'typeorm';
import { listFormSummaries, type FormSummary } from '../engine/deploy/form-summaries';
import type { WorkflowEngine } from '../engine/port';

export type { FormSummary };

export function listForms(em: EntityManager): Promise<FormSummary[]> {
  return listFormSummaries(em);
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

/** The instances of this many most recent are listed at most. */
const MAX_RECENT = 100;

/** Instance counts per version of a process, and its most recent instances with their version. */
export async function instancesByVersion(
  engine: Pick<WorkflowEngine, 'countInstancesByVersion' | 'searchInstances'>, bpmnProcessId: string, recent = 20,
): Promise<{ versions: VersionInstances[]; recent: InstanceSummary[] }> {
  const versions = await engine.countInstancesByVersion(bpmnProcessId);
  const rows = await engine.searchInstances({ bpmnProcessId, limit: Math.max(1, Math.min(MAX_RECENT, Math.floor(recent))) });
  return {
    versions,
    recent: rows.map((r) => ({ key: r.processInstanceKey, version: r.version, state: r.state, businessKey: r.businessKey, startedAt: Date.parse(r.startedAt) })),
  };
}
