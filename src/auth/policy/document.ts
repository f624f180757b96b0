/** Official documents: seen with their case (or the grid they concern); service is recorded by the staff who serve them. */
import type { Principal } from '../principal';
import type { CaseRef } from './case';
import { canSeeGrid, Decision, hasRole, seeThen } from './roles';

export interface DocumentRef {
  officeId: string;
  /** The document's case; null for an office document (e.g. a template preview kept on file). */
  case: CaseRef | null;
  /** Without a case: the grid of the employer the document concerns (a patrol's order, a review notice), if any. */
  gridId?: string | null;
}

function sees(p: Principal, d: DocumentRef): boolean {
  return d.case ? canSeeGrid(p, d.case.officeId, d.case.gridId) : canSeeGrid(p, d.officeId, d.gridId ?? null);
}

export const documentPolicy = {
  read: (p: Principal, d: DocumentRef): Decision => seeThen(sees(p, d), true),
  recordService: (p: Principal, d: DocumentRef): Decision => seeThen(sees(p, d), hasRole(p, 'handler', 'intake', 'legal', 'supervisor', 'admin')),
};
