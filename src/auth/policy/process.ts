/**
 * Process instances, incidents and their variables: supervisors, legal staff and admin start, inspect,
 * cancel, repair and retry them — the instances of their own office's cases (an instance without a
 * case is office-wide). Handlers and intake reach processes only through their tasks and case pages,
 * where the handlers of a case's grid may also correct the data an incident of the case names and
 * retry the step (`repair`).
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
  /**
   * Hidden from everyone else, whether or not the instance exists or whose it is: a 403 for a real key
   * and a 404 for a made-up one would tell a handler which keys are real.
   */
  manage: (p: Principal, r: ProcessRef): Decision =>
    allowIf(hasRole(p, ...STAFF) && (r.case === null || canSeeGrid(p, r.case.officeId, r.case.gridId)), 'hidden'),
  /**
   * Correct the value an incident of the case names and retry its step: whoever works the case (the
   * handlers of its grid) and the staff who manage processes. A case one does not see is hidden; an
   * incident of no case is the process staff's only.
   */
  repair: (p: Principal, r: ProcessRef): Decision =>
    r.case === null
      ? allowIf(hasRole(p, ...STAFF), 'hidden')
      : seeThen(canSeeGrid(p, r.case.officeId, r.case.gridId), hasRole(p, 'handler', ...STAFF)),
};

export const processesPolicy = {
  /** Starting an instance, listing incidents. */
  manage: (p: Principal): Decision => allowIf(hasRole(p, ...STAFF)),
};
