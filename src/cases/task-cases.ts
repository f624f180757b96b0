/**
 * The cases behind process instances, as the inbox shows them next to each task: number, employer,
 * status and where the case is held (for the policy). A typed query over the case tables only; the
 * tasks and their instances come from the engine port.
 */
import type { EntityManager } from 'typeorm';
import type { CaseRef } from '../auth/policy';

export interface InstanceCase {
  processInstanceKey: string;
  ref: CaseRef;
  caseNumber: string;
  employerName: string | null;
  status: string;
}

type Row = Record<string, unknown>;

/** Keys a query takes at once. */
const CHUNK = 200;

export async function casesOfInstances(em: EntityManager, processInstanceKeys: string[]): Promise<Map<string, InstanceCase>> {
  const keys = [...new Set(processInstanceKeys)];
  const out = new Map<string, InstanceCase>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK);
    const rows = (await em.query(
      `SELECT cp.process_instance_key, c.id, c.office_id, c.grid_id, c.case_number, c.status,
              (SELECT p.name FROM case_parties p WHERE p.case_id = c.id AND p.role = 'employer' ORDER BY p.position LIMIT 1) AS employer_name
         FROM case_processes cp JOIN cases c ON c.id = cp.case_id
        WHERE cp.process_instance_key IN (${part.map(() => '?').join(', ')})`, part)) as Row[];
    for (const r of rows) {
      out.set(String(r.process_instance_key), {
        processInstanceKey: String(r.process_instance_key),
        ref: { id: String(r.id), officeId: String(r.office_id), gridId: r.grid_id === null ? null : String(r.grid_id) },
        caseNumber: String(r.case_number), employerName: r.employer_name === null || r.employer_name === undefined ? null : String(r.employer_name), status: String(r.status),
      });
    }
  }
  return out;
}
