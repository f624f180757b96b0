/**
 * Reading cases for people: search with keyset paging, one case with everything its page shows, and
 * the duplicates an intake officer sees. Visibility: a handler sees the cases of their grids, every
 * other role the whole office; anything else is "not found" (existence does not leak).
 */
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor, auditTrail, recordAudit } from '../audit/audit';
import { allowed, authorize, caseReadScope, decide } from '../auth/policy';
import { Principal } from '../auth/principal';
import { listCaseDocuments } from '../documents/documents';
import { errors } from '../errors';
import { listCaseDeadlines } from './case-deadlines';
import { findOpenCasesOfEmployer } from './link-duplicates';
import { maskParty, maskWorker } from './personal-data';
import { CASE_KINDS, CHANNELS, CLAIM_CATEGORY_IDS, creditCodeInput } from './model';
import { CaseRecord, caseClaims, caseParties, caseProcesses, caseWorkers, findCase, toCase } from './store';
import { displayNames } from '../org/display-names';

export const searchCasesSchema = z.strictObject({
  q: z.string().trim().min(1).max(100).optional(),
  status: z.string().trim().min(1).max(40).optional(),
  route: z.string().trim().min(1).max(32).optional(),
  kind: z.enum(CASE_KINDS).optional(),
  channel: z.enum(CHANNELS).optional(),
  category: z.enum(CLAIM_CATEGORY_IDS).optional(),
  employerId: z.string().uuid().optional(),
  gridId: z.string().uuid().optional(),
  supervised: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  open: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  receivedFrom: z.coerce.number().int().nonnegative().optional(),
  receivedTo: z.coerce.number().int().nonnegative().optional(),
  /** Keyset cursor from the previous page's `nextCursor`. */
  cursor: z.string().regex(/^\d{1,15}_[0-9a-f-]{36}$/, 'a cursor from nextCursor').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchCasesInput = z.output<typeof searchCasesSchema>;

// '!' as the escape character: a backslash means different things in MySQL and SQLite literals.
const like = (s: string) => `%${s.replace(/[%_!]/g, (c) => '!' + c)}%`;

/** Cases newest received first; `nextCursor` continues after the last one. */
export async function searchCases(em: EntityManager, p: Principal, q: SearchCasesInput): Promise<{ items: (CaseRecord & { employerName: string | null })[]; nextCursor: string | null }> {
  const scope = caseReadScope(p);
  const where = ['c.office_id = ?'];
  const params: unknown[] = [scope.officeId];
  if (scope.gridIds) {
    if (!scope.gridIds.length) return { items: [], nextCursor: null };
    where.push(`c.grid_id IN (${scope.gridIds.map(() => '?').join(', ')})`);
    params.push(...scope.gridIds);
  }
  if (q.q) {
    where.push("(c.case_number LIKE ? ESCAPE '!' OR EXISTS (SELECT 1 FROM case_parties pp WHERE pp.case_id = c.id AND pp.name LIKE ? ESCAPE '!'))");
    params.push(like(q.q), like(q.q));
  }
  if (q.status) { where.push('(c.status = ? OR c.preservation_status = ?)'); params.push(q.status, q.status); }
  if (q.route) { where.push('(c.route = ? OR (c.route IS NULL AND c.suggested_route = ?))'); params.push(q.route, q.route); }
  if (q.kind) { where.push('c.kind = ?'); params.push(q.kind); }
  if (q.channel) { where.push('c.channel = ?'); params.push(q.channel); }
  if (q.category) { where.push('EXISTS (SELECT 1 FROM case_claims cc WHERE cc.case_id = c.id AND cc.category = ?)'); params.push(q.category); }
  if (q.employerId) { where.push('c.employer_id = ?'); params.push(q.employerId); }
  if (q.gridId) { where.push('c.grid_id = ?'); params.push(q.gridId); }
  if (q.supervised !== undefined) { where.push('c.supervised = ?'); params.push(q.supervised ? 1 : 0); }
  if (q.open !== undefined) where.push(q.open ? 'c.closed_at IS NULL' : 'c.closed_at IS NOT NULL');
  if (q.receivedFrom !== undefined) { where.push('c.received_at >= ?'); params.push(q.receivedFrom); }
  if (q.receivedTo !== undefined) { where.push('c.received_at < ?'); params.push(q.receivedTo); }
  if (q.cursor) {
    const [at, id] = [Number(q.cursor.slice(0, q.cursor.indexOf('_'))), q.cursor.slice(q.cursor.indexOf('_') + 1)];
    where.push('(c.received_at < ? OR (c.received_at = ? AND c.id < ?))');
    params.push(at, at, id);
  }
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT c.*, (SELECT p.name FROM case_parties p WHERE p.case_id = c.id AND p.role = 'employer' ORDER BY p.position LIMIT 1) AS employer_name
       FROM cases c WHERE ${where.join(' AND ')} ORDER BY c.received_at DESC, c.id DESC LIMIT ${q.limit + 1}`, params);
  // The list names each case's employer, as the case list page shows it.
  const items = rows.slice(0, q.limit).map((r) => ({ ...toCase(r), employerName: r.employer_name === null || r.employer_name === undefined ? null : String(r.employer_name) }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > q.limit && last ? `${last.receivedAt}_${last.id}` : null };
}

/** A case the principal may see, or 404. */
export async function findVisibleCase(em: EntityManager, p: Principal, id: string): Promise<CaseRecord> {
  const c = await findCase(em, id);
  if (!c || decide(p, 'case.read', c) !== 'allow') throw errors.notFound('case', id);
  return c;
}

/** Everything the case page shows. */
export async function caseDetail(em: EntityManager, p: Principal, id: string, now: number) {
  const c = await findVisibleCase(em, p, id);
  const parties = await caseParties(em, id);
  const linked = c.linkedCaseId ? await findCase(em, c.linkedCaseId) : null;
  const documents = (await listCaseDocuments(em, id)).map((d) => ({
    id: d.id, typeId: d.typeId, title: d.title, number: d.number, templateVersion: d.templateVersion, issuedAt: d.issuedAt, issuedBy: d.issuedBy,
    processInstanceKey: d.processInstanceKey, elementId: d.elementId,
  }));
  const timeline = (await auditTrail(em, { caseId: id, limit: 500 })).reverse().map((a) => ({
    at: Number(a.at), actor: a.actorName, action: a.action, entityType: a.entityType, entityId: a.entityId, before: a.before, after: a.after,
  }));
  // People are shown by their names: the actors of the timeline, the users tasks went to and the owners of 挂牌督办.
  const usernames = [...new Set(timeline.flatMap((t) => {
    const after = t.after as { assignee?: unknown; owner?: unknown } | null;
    return [t.actor, after?.assignee, after?.owner];
  }).filter((u): u is string => typeof u === 'string'))];
  const people = await displayNames(em, c.officeId, usernames);
  return {
    ...c,
    people,
    complainants: parties.filter((x) => x.role === 'complainant').map(maskParty),
    employer: parties.find((x) => x.role === 'employer') ?? null,
    workers: (await caseWorkers(em, id)).map(maskWorker),
    personalData: { masked: true, mayReveal: allowed(p, 'case.reveal', c) },
    claims: await caseClaims(em, id),
    linkedCase: linked && allowed(p, 'case.read', linked) ? { id: linked.id, caseNumber: linked.caseNumber, status: linked.status } : linked ? { id: linked.id } : null,
    deadlines: await listCaseDeadlines(em, id, now),
    documents,
    processes: await caseProcesses(em, id),
    timeline,
  };
}

/**
 * The full ID numbers, phones and e-mail addresses of a case's complainants and workers, in the order
 * the case page lists them; audited, for the roles that need them (src/auth/policy/case.ts).
 */
export async function revealPersonalData(em: EntityManager, p: Principal, actor: Actor, now: Date, id: string) {
  const c = await findVisibleCase(em, p, id);
  authorize(p, 'case.reveal', c);
  const parties = (await caseParties(em, id)).filter((x) => x.role === 'complainant');
  const workers = await caseWorkers(em, id);
  await recordAudit(em, actor, now, {
    action: 'case.reveal-personal-data', entityType: 'case', entityId: id, caseId: id,
    after: { complainants: parties.length, workers: workers.length },
  });
  return {
    complainants: parties.map((x) => ({ name: x.name, idNumber: x.idNumber, phone: x.phone, email: x.email })),
    workers: workers.map((w) => ({ name: w.name, idNumber: w.idNumber, phone: w.phone })),
  };
}

export const duplicatesQuerySchema = z.strictObject({
  employerId: z.string().uuid().optional(),
  creditCode: creditCodeInput.optional(),
  name: z.string().trim().min(1).max(200).optional(),
}).refine((v) => v.employerId || v.creditCode || v.name, { message: 'give employerId, creditCode or name' });

/** Open cases of an employer, for the intake screen before registering. */
export async function findDuplicates(em: EntityManager, p: Principal, q: z.output<typeof duplicatesQuerySchema>) {
  let creditCode = q.creditCode ?? null;
  let employerId = q.employerId ?? null;
  if (!employerId && creditCode) {
    const rows: { id: string }[] = await em.query('SELECT id FROM employers WHERE office_id = ? AND credit_code = ?', [p.officeId, creditCode]);
    employerId = rows[0]?.id ?? null;
  }
  if (employerId && !creditCode) {
    const rows: { credit_code: string | null }[] = await em.query('SELECT credit_code FROM employers WHERE id = ? AND office_id = ?', [employerId, p.officeId]);
    creditCode = rows[0]?.credit_code ?? null;
  }
  const open = await findOpenCasesOfEmployer(em, { officeId: p.officeId, employerId, creditCode, name: q.name ?? null });
  // A handler checking an employer learns only of the cases of their own grids.
  return open.filter((c) => allowed(p, 'case.read', { id: c.caseId, officeId: p.officeId, gridId: c.gridId })).map(({ gridId: _grid, ...c }) => c);
}
