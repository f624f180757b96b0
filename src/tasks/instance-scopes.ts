/**
 * The office and grid of process instances that run without a case (patrols, warnings, grading runs,
 * written reviews, listings before their first step), recorded in the transaction that starts them.
 * The task policy reads them where it would read a task's case (src/auth/policy/task.ts).
 */
import type { EntityManager } from 'typeorm';
import type { InstanceScope } from '../auth/policy';

/** `started`: an instance staff started by hand (POST /api/process-instances), their office's. */
export type ScopeKind = 'patrol' | 'warning' | 'written-review' | 'credit-grading' | 'listing' | 'signal' | 'started';

export async function recordInstanceScope(em: EntityManager, processInstanceKey: string, scope: InstanceScope & { kind: ScopeKind }, now: number): Promise<void> {
  await em.query('INSERT INTO instance_scopes (process_instance_key, office_id, grid_id, kind, created_at) VALUES (?, ?, ?, ?, ?)',
    [processInstanceKey, scope.officeId, scope.gridId, scope.kind, now]);
}

/** The scopes of the given instances (roots or not); instances with none recorded are left out. */
export async function scopesByProcess(em: EntityManager, processInstanceKeys: string[]): Promise<Map<string, InstanceScope>> {
  const keys = [...new Set(processInstanceKeys)];
  const out = new Map<string, InstanceScope>();
  for (let i = 0; i < keys.length; i += 200) {
    const part = keys.slice(i, i + 200);
    const rows = (await em.query(`SELECT process_instance_key, office_id, grid_id FROM instance_scopes WHERE process_instance_key IN (${part.map(() => '?').join(', ')})`, part)) as
      { process_instance_key: string; office_id: string; grid_id: string | null }[];
    for (const r of rows) out.set(String(r.process_instance_key), { officeId: String(r.office_id), gridId: r.grid_id === null ? null : String(r.grid_id) });
  }
  return out;
}
