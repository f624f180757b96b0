/**
 * Repairing a running case's process and moving running cases to a new diagram version. Repair (move
 * the token: start an element, cancel an active one) is the supervisor's of the case's grid: the
 * person answerable for the grid's cases, acting on one case with a reason. Moving every running case
 * of a version follows a change of the rules and is legal staff's and admin's, office-wide.
 */
import type { Principal } from '../principal';
import type { CaseRef } from './case';
import { allowIf, canSeeGrid, Decision, hasRole, seeThen } from './roles';

export const instanceRepairPolicy = {
  /** A case one does not see is hidden; one seen by someone who is not its grid's supervisor is forbidden. */
  modify: (p: Principal, c: CaseRef): Decision => seeThen(canSeeGrid(p, c.officeId, c.gridId), hasRole(p, 'supervisor')),
};

export const instanceMigrationPolicy = {
  /** Preview, start and follow a migration of running instances. */
  manage: (p: Principal): Decision => allowIf(hasRole(p, 'legal', 'admin')),
};
