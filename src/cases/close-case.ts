/**
 * Closing a case (结案): the outcome, given by the diagram or derived from what the lifecycle decided,
 * the close time, and the route the case finally took. An upsert: a closed case is answered as it is.
 * A case whose notice to a party (仲裁告知书) was issued but never served does not close unless
 * someone states why it could not be served: the reason is kept in the audit record of the closing.
 */
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { findDocumentType } from '../documents/document-types';
import { errors } from '../errors';
import { SETTLED_BY_CLOSURE, settleCaseDeadlines } from './case-deadlines';
import { CaseRecord, mustFindCase, updateCase } from './store';

export interface OutcomeFacts {
  investigationOutcome?: string | null;
  corrected?: string | null;
  penaltyOutcome?: string | null;
  policeOutcome?: string | null;
  arbitrationOutcome?: string | null;
  withdrawalApproved?: boolean | null;
}

/** The outcome of an inspection case from the variables its lifecycle set (workflows/README.md). */
export function deriveOutcome(f: OutcomeFacts): string {
  switch (f.investigationOutcome) {
    case 'order-to-correct':
      if (f.corrected === 'yes') return 'corrected';
      if (f.policeOutcome === 'accepted') return 'referred-to-police';
      return f.penaltyOutcome === 'no-penalty' ? 'no-penalty' : 'penalty';
    case 'penalty':
      return f.penaltyOutcome === 'no-penalty' ? 'no-penalty' : 'penalty';
    case 'handling-decision':
      return 'handling-decision';
    case 'withdraw':
      return f.withdrawalApproved === true ? 'withdrawn' : 'no-violation';
    case 'transfer':
      return 'transferred';
    case 'arbitration':
      return 'referred-arbitration';
    default:
      return 'no-violation';
  }
}

const ROUTE_OF_OUTCOME: Record<string, string> = {
  'not-accepted': 'not-accepted', merged: 'merge', 'materials-not-completed': 'completion',
  'referred-social-insurance-audit': 'social-insurance-audit', 'referred-arbitration': 'arbitration',
};

/** Notices a case must have served before it closes: the party learns of their right only when served. */
export const NOTICES_SERVED_BEFORE_CLOSING = ['arbitration-notice'] as const;

export interface UnservedNotice { documentId: string; title: string; number: string }

/** The case's issued notices that have no service record. */
export async function unservedNotices(em: EntityManager, caseId: string): Promise<UnservedNotice[]> {
  const types = [...NOTICES_SERVED_BEFORE_CLOSING];
  const rows = (await em.query(
    `SELECT d.id, d.type_id, d.number FROM documents d
      WHERE d.case_id = ? AND d.type_id IN (${types.map(() => '?').join(', ')})
        AND NOT EXISTS (SELECT 1 FROM document_services s WHERE s.document_id = d.id)`, [caseId, ...types])) as { id: string; type_id: string; number: string }[];
  return rows.map((r) => ({ documentId: String(r.id), title: findDocumentType(String(r.type_id))?.title ?? '告知书', number: String(r.number) }));
}

/** Why the case cannot close yet, in the words of an incident the case page can repair (请填写未送达原因后重试). */
export function unservedNoticeReason(list: UnservedNotice[]): string {
  return `${list.map((n) => `《${n.title}》（${n.number}）`).join('、')}尚未送达，案件不能办结。请在文书栏记录送达后重试；确实无法送达的，请填写未送达原因后重试`;
}

export interface CloseOptions {
  /** Why a notice could not be served; without it a case with an unserved notice is refused. */
  unservedReason?: string | null;
}

export async function closeCase(em: EntityManager, caseId: string, outcome: string, actor: Actor, now: Date, opts: CloseOptions = {}): Promise<CaseRecord> {
  const before = await mustFindCase(em, caseId, { lock: true });
  if (before.closedAt !== null) return before;
  const unserved = await unservedNotices(em, caseId);
  const unservedReason = opts.unservedReason?.trim() || null;
  if (unserved.length && !unservedReason) throw errors.unprocessable('NOTICE_UNSERVED', unservedNoticeReason(unserved));
  const changes: Partial<CaseRecord> = { status: 'closed', outcome, closedAt: now.getTime() };
  // 挂牌督办 ends with the case: the tag leaves the case page and the listing the dashboard.
  if (before.supervised) changes.supervised = false;
  if (before.route === null) changes.route = ROUTE_OF_OUTCOME[outcome] ?? 'inspection';
  await updateCase(em, caseId, changes, now.getTime());
  // The office's own deadlines are met (or were missed) now; the others no longer run.
  await settleCaseDeadlines(em, caseId, SETTLED_BY_CLOSURE, now.getTime());
  await em.query("UPDATE case_deadlines SET state = 'cancelled', updated_at = ? WHERE case_id = ? AND state = 'open'", [now.getTime(), caseId]);
  await em.query('UPDATE supervision_cases SET lifted_at = ? WHERE case_id = ? AND lifted_at IS NULL', [now.getTime(), caseId]);
  await recordAudit(em, actor, now, {
    action: 'case.close', entityType: 'case', entityId: caseId, caseId,
    before: { status: before.status, outcome: before.outcome, route: before.route },
    after: unserved.length ? { ...changes, unservedNotices: unserved.map((n) => n.number), unservedReason } : changes,
  });
  return { ...before, ...changes };
}
