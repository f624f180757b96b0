/**
 * Process instances, incidents and their variables: supervisors, legal staff and admin start, inspect,
 * cancel, repair and retry them — the instances of their own office's cases (an instance without a
 * case is office-wide). Handlers and intake reach processes only through their tasks and case pages.
 */
import type { Principal } from '../principal';
import type { CaseRef } from './case';
import { allowIf, canSeeGrid, Decision, hasRole, seeThen } from './roles';

const STAFF = ['supervisor', 'legal', 'admin'] as const;

export interface ProcessRef {
  /** The case the instance runs for, or null. */
  case: CaseRef | null;
}

export const processPolicy = {
  manage: (p: Principal, r: ProcessRef): Decision => seeThen(r.case === null || canSeeGrid(p, r.case.officeId, r.case.gridId), hasRole(p, ...STAFF)),
};

export const processesPolicy = {
  /** Starting an instance, listing incidents. */
  manage: (p: Principal): Decision => allowIf(hasRole(p, ...STAFF)),
};
