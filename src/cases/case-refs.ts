/**
 * Where a case is held (office and grid), found from what a request names: its id, its number (the
 * correlation key of every outside answer) or the process instance it runs in. The policy layer
 * decides on these; the case of a task or job always comes from its process instance, never from
 * variables a user sent.
 */
import type { EntityManager } from 'typeorm';
import type { CaseRef } from '../auth/policy';

type Row = { id: string; office_id: string; grid_id: string | null; process_instance_key?: string };

const ref = (r: Row): CaseRef => ({ id: String(r.id), officeId: String(r.office_id), gridId: r.grid_id === null ? null : String(r.grid_id) });

export async function caseRefById(em: EntityManager, id: string): Promise<CaseRef | null> {
  const [r] = (await em.query('SELECT id, office_id, grid_id FROM cases WHERE id = ?', [id])) as Row[];
  return r ? ref(r) : null;
}

/** The case numbered `caseNumber` in the office, or null. Numbers are unique per office. */
export async function caseRefByNumber(em: EntityManager, officeId: string, caseNumber: string): Promise<CaseRef | null> {
  const [r] = (await em.query('SELECT id, office_id, grid_id FROM cases WHERE office_id = ? AND case_number = ?', [officeId, caseNumber])) as Row[];
  return r ? ref(r) : null;
}

/** The cases that process instances (roots, or called instances a job of the case ran in) belong to. */
export async function caseRefsByProcess(em: EntityManager, processInstanceKeys: string[]): Promise<Map<string, CaseRef>> {
  const keys = [...new Set(processInstanceKeys)];
  const out = new Map<string, CaseRef>();
  for (let i = 0; i < keys.length; i += 200) {
    const part = keys.slice(i, i + 200);
    const rows = (await em.query(
      `SELECT cp.process_instance_key, c.id, c.office_id, c.grid_id FROM case_processes cp JOIN cases c ON c.id = cp.case_id
        WHERE cp.process_instance_key IN (${part.map(() => '?').join(', ')})`, part)) as Row[];
    for (const r of rows) out.set(String(r.process_instance_key), ref(r));
  }
  return out;
}

/** The case of one process instance, trying the instance itself and then its root. */
export async function caseRefOfInstance(em: EntityManager, processInstanceKey: string, rootKey?: string): Promise<CaseRef | null> {
  const found = await caseRefsByProcess(em, rootKey && rootKey !== processInstanceKey ? [rootKey, processInstanceKey] : [processInstanceKey]);
  return (rootKey ? found.get(rootKey) : undefined) ?? found.get(processInstanceKey) ?? null;
}
