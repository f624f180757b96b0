/** Cases: who sees one, who may see its parties' full ID numbers and phones, who registers and supervises. */
import { hasRole, canSeeGrid, Decision, allowIf, seeThen, seesWholeOffice } from './roles';
import type { Principal } from '../principal';

/** What the policy needs of a case: where it is held. */
export interface CaseRef {
  id: string;
  officeId: string;
  gridId: string | null;
}

export const casePolicy = {
  read: (p: Principal, c: CaseRef): Decision => seeThen(canSeeGrid(p, c.officeId, c.gridId), true),
  /**
   * The full ID numbers and phones of a case's parties. Intake registered them and calls back; the
   * handlers of the grid serve documents and call the parties; legal staff check the documents. A
   * supervisor watches deadlines and does not need them.
   */
  reveal: (p: Principal, c: CaseRef): Decision => seeThen(canSeeGrid(p, c.officeId, c.gridId), hasRole(p, 'intake', 'handler', 'legal', 'admin')),
  /** An outside answer (message) about the case: the handlers of its grid and the office-wide staff who record answers. */
  answer: (p: Principal, c: CaseRef): Decision => seeThen(canSeeGrid(p, c.officeId, c.gridId), hasRole(p, 'handler', 'supervisor', 'legal', 'admin')),
  supervise: (p: Principal, c: CaseRef): Decision => seeThen(canSeeGrid(p, c.officeId, c.gridId), hasRole(p, 'supervisor', 'admin')),
};

/** Actions on no particular case yet. */
export const casesPolicy = {
  register: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'admin')),
  searchDuplicates: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'handler', 'supervisor', 'legal', 'admin')),
};

/**
 * The cases a principal may read, as a filter a query can apply in SQL (search, lists): the office,
 * and for a handler the grids they see. The same rule as `casePolicy.read`, for many rows at once.
 */
export function caseReadScope(p: Principal): { officeId: string; gridIds: string[] | null } {
  return { officeId: p.officeId, gridIds: seesWholeOffice(p) ? null : [...p.visibleGridIds] };
}
