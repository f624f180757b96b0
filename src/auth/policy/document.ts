/** Official documents: seen with their case; service is recorded by the staff who serve them. */
import type { Principal } from '../principal';
import type { CaseRef } from './case';
import { canSeeGrid, Decision, hasRole, seeThen } from './roles';

export interface DocumentRef {
  officeId: string;
  /** The document's case; null for an office document (e.g. a template preview kept on file). */
  case: CaseRef | null;
}

function sees(p: Principal, d: DocumentRef): boolean {
  return d.case ? canSeeGrid(p, d.case.officeId, d.case.gridId) : canSeeGrid(p, d.officeId, null);
}

export const documentPolicy = {
  read: (p: Principal, d: DocumentRef): Decision => seeThen(sees(p, d), true),
  recordService: (p: Principal, d: DocumentRef): Decision => seeThen(sees(p, d), hasRole(p, 'handler', 'intake', 'legal', 'supervisor', 'admin')),
};
