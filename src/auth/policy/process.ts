/**
 * Process instances, incidents and their variables: supervisors, legal staff and admin start, inspect,
 * cancel, repair and retry them — the instances of their own office's cases (an instance without a
 * case is its office's, as its recorded scope says). Handlers and intake reach processes only through their tasks and case pages,
 * where the handlers of a case's grid may also correct the data an incident of the case names and
 * retry the step (`repair`).
 */
import type { Principal } from '../principal';
import type { CaseRef } from './case';
import type { InstanceScope } from './task';
import { allowIf, canSeeGrid, Decision, hasRole, seeThen } from './roles';

const STAFF = ['supervisor', 'legal', 'admin'] as const;

export interface ProcessRef {
  /** The case the instance runs for, or null. */
  case: CaseRef | null;
  /** For an instance without a case: the office it was started for (src/tasks/instance-scopes.ts), if recorded. */
  scope?: InstanceScope | null;
}

/**
 * An instance without a case belongs to the office its scope names (staff's hand starts record theirs);
 * one with no scope recorded (started through the Zeebe gateways) to any office's staff.
 */
const inOffice = (p: Principal, r: ProcessRef) => !r.scope || r.scope.officeId === p.officeId;

export const processPolicy = {
  /**
   * Hidden from everyone else, whether or not the instance exists or whose it is: a 403 for a real key
   * and a 404 for a made-up one would tell a handler which keys are real.
   */
  manage: (p: Principal, r: ProcessRef): Decision =>
    allowIf(hasRole(p, ...STAFF) && (r.case === null ? inOffice(p, r) : canSeeGrid(p, r.case.officeId, r.case.gridId)), 'hidden'),
  /**
   * Correct the value an incident of the case names and retry its step: whoever works the case (the
   * handlers of its grid) and the staff who manage processes. A case one does not see is hidden; an
   * incident of no case is the process staff's only.
   */
  repair: (p: Principal, r: ProcessRef): Decision =>
    r.case === null
      ? allowIf(hasRole(p, ...STAFF) && inOffice(p, r), 'hidden')
      : seeThen(canSeeGrid(p, r.case.officeId, r.case.gridId), hasRole(p, 'handler', ...STAFF)),
};

export const processesPolicy = {
  /** Starting an instance, listing incidents. */
  manage: (p: Principal): Decision => allowIf(hasRole(p, ...STAFF)),
};
