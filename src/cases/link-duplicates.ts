/**
 * A new complaint against an employer that already has an open case is linked to it and flagged, so
 * the intake officer sees it and may merge (DESIGN.md: "see duplicates of an employer's open cases").
 * Used at registration (POST /api/complaints) and by the `case.link-duplicates` worker; idempotent.
 */
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { CaseRecord, mustFindCase, updateCase } from './store';

export interface OpenCase {
  caseId: string;
  /** Where the case is held, so that a caller shows only the cases its user sees. */
  gridId: string | null;
  caseNumber: string;
  status: string;
  receivedAt: number;
  createdAt: number;
}

export interface EmployerKey {
  officeId: string;
  employerId?: string | null;
  creditCode?: string | null;
  name?: string | null;
}

/**
 * Open cases (not closed or archived) of one employer in an office: by its file, by its credit code,
 * or by its exact name when neither is known. Oldest first.
 */
export async function findOpenCasesOfEmployer(em: EntityManager, key: EmployerKey, exceptCaseId?: string): Promise<OpenCase[]> {
  const match: string[] = [];
  const params: unknown[] = [key.officeId];
  if (key.employerId) { match.push('c.employer_id = ?'); params.push(key.employerId); }
  if (key.creditCode) { match.push("EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.role = 'employer' AND p.credit_code = ?)"); params.push(key.creditCode); }
  if (key.name && !key.employerId && !key.creditCode) {
    match.push("EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.role = 'employer' AND p.name = ?)");
    params.push(key.name);
  }
  if (!match.length) return [];
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT c.id, c.grid_id, c.case_number, c.status, c.received_at, c.created_at FROM cases c
      WHERE c.office_id = ? AND c.closed_at IS NULL AND c.status NOT IN ('closed', 'archived') AND (${match.join(' OR ')})
      ORDER BY c.created_at, c.id`,
    params,
  );
  return rows
    .filter((r) => r.id !== exceptCaseId)
    .map((r) => ({ caseId: String(r.id), gridId: r.grid_id === null ? null : String(r.grid_id), caseNumber: String(r.case_number), status: String(r.status), receivedAt: Number(r.received_at), createdAt: Number(r.created_at) }));
}

export async function employerKeyOf(em: EntityManager, c: CaseRecord): Promise<EmployerKey> {
  const rows: { name: string; credit_code: string | null }[] = await em.query(
    "SELECT name, credit_code FROM case_parties WHERE case_id = ? AND role = 'employer' ORDER BY position", [c.id]);
  return { officeId: c.officeId, employerId: c.employerId, creditCode: rows[0]?.credit_code ?? null, name: rows[0]?.name ?? null };
}

/**
 * Links the case to the oldest open case of its employer and flags it; answers every open case of
 * that employer. Only earlier registrations count, so two cases never link to each other.
 */
export async function linkDuplicates(em: EntityManager, caseId: string, actor: Actor, now: Date): Promise<OpenCase[]> {
  const c = await mustFindCase(em, caseId, { lock: true });
  const open = await openEarlierCases(em, c);
  if (open.length && !c.linkedCaseId) {
    const linkedCaseId = open[0].caseId;
    await updateCase(em, c.id, { duplicate: true, linkedCaseId }, now.getTime());
    await recordAudit(em, actor, now, {
      action: 'case.link', entityType: 'case', entityId: c.id, caseId: c.id,
      before: { duplicate: c.duplicate, linkedCaseId: c.linkedCaseId },
      after: { duplicate: true, linkedCaseId, openCases: open.map((o) => o.caseNumber) },
    });
  }
  return open;
}

/** Open cases of the case's employer registered before it (read only). */
export async function openEarlierCases(em: EntityManager, c: CaseRecord): Promise<OpenCase[]> {
  return (await findOpenCasesOfEmployer(em, await employerKeyOf(em, c), c.id))
    .filter((o) => o.createdAt < c.createdAt || (o.createdAt === c.createdAt && o.caseId < c.id));
}
