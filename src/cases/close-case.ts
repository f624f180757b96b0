/**
 * Closing a case (结案): the outcome, given by the diagram or derived from what the lifecycle decided,
 * the close time, and the route the case finally took. An upsert: a closed case is answered as it is.
 */
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
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

export async function closeCase(em: EntityManager, caseId: string, outcome: string, actor: Actor, now: Date): Promise<CaseRecord> {
  const before = await mustFindCase(em, caseId, { lock: true });
  if (before.closedAt !== null) return before;
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
    before: { status: before.status, outcome: before.outcome, route: before.route }, after: changes,
  });
  return { ...before, ...changes };
}
