/**
 * What each role may see and do. Checked on the server for every request; the UI only mirrors it.
 * Handlers see the work of their grids; every other role sees its own office.
 */
import { errors } from '../errors';
import { Role } from '../db/entities';
import { Principal } from './principal';

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => p.roles.includes(r));
}

export function requireRole(p: Principal, ...roles: Role[]): void {
  if (!hasRole(p, ...roles)) throw errors.forbidden(`This needs one of the roles: ${roles.join(', ')}.`);
}

/** Office-wide sight: every role except a pure handler, whose sight is limited to their grids. */
export function seesWholeOffice(p: Principal): boolean {
  return hasRole(p, 'intake', 'legal', 'supervisor', 'admin');
}

/**
 * Whether the principal may see something held by `gridId` in `officeId`. Callers answer 404 rather
 * than 403 when it is false, so a forged or foreign id does not reveal that the record exists.
 */
export function canSeeGrid(p: Principal, officeId: string, gridId: string | null): boolean {
  if (officeId !== p.officeId) return false;
  if (seesWholeOffice(p)) return true;
  return gridId !== null && p.visibleGridIds.includes(gridId);
}
