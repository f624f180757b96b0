/**
 * The case's status as the token passes (workflows/README.md "Case status"), and the supervised flag
 * (挂牌督办). An upsert: writing the status the case already has changes nothing and audits nothing,
 * so a redelivered job is harmless. Asset-preservation statuses are kept beside the main status.
 */
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { errors } from '../errors';
import { SETTLED_BY_STATUS, settleCaseDeadlines } from './case-deadlines';
import { CASE_STATUSES, PRESERVATION_STATUSES } from './model';
import { CaseRecord, mustFindCase, updateCase } from './store';

const KNOWN = new Set<string>(CASE_STATUSES);
export const FLAGS = ['supervised'] as const;

/** The route a status implies, when the case reaches it. */
const ROUTE_OF_STATUS: Record<string, string> = { accepted: 'inspection', 'arbitration-referral': 'arbitration' };

export interface StatusChange {
  status?: string;
  flag?: string;
}

export async function setCaseStatus(em: EntityManager, caseId: string, change: StatusChange, actor: Actor, now: Date): Promise<CaseRecord> {
  if (change.status && !KNOWN.has(change.status)) throw errors.badRequest('UNKNOWN_STATUS', `Unknown case status ${change.status}.`);
  if (change.flag && !(FLAGS as readonly string[]).includes(change.flag)) throw errors.badRequest('UNKNOWN_FLAG', `Unknown case flag ${change.flag}.`);
  const before = await mustFindCase(em, caseId, { lock: true });
  const changes: Partial<CaseRecord> = {};
  if (change.status && PRESERVATION_STATUSES.has(change.status)) {
    if (before.preservationStatus !== change.status) changes.preservationStatus = change.status;
  } else if (change.status && before.status !== change.status) {
    changes.status = change.status;
    if (change.status === 'filed' && before.filedAt === null) changes.filedAt = now.getTime();
    const route = ROUTE_OF_STATUS[change.status];
    if (route && before.route === null) changes.route = route;
  }
  if (change.flag === 'supervised' && !before.supervised) changes.supervised = true;
  if (Object.keys(changes).length === 0) return before;
  await updateCase(em, caseId, changes, now.getTime());
  if (change.status) await settleCaseDeadlines(em, caseId, SETTLED_BY_STATUS[change.status] ?? [], now.getTime());
  const pick = (c: CaseRecord) => Object.fromEntries(Object.keys(changes).map((k) => [k, c[k as keyof CaseRecord]]));
  await recordAudit(em, actor, now, { action: 'case.status', entityType: 'case', entityId: caseId, caseId, before: pick(before), after: changes });
  return { ...before, ...changes };
}
