/**
 * The primitives every record policy is built from: roles, and which grids a principal sees.
 * Handlers see the work of their grids (a street includes its communities); every other role sees its
 * own office. Routes do not call these: they ask `authorize` (./index.ts), which does not export them.
 */
import { Role } from '../../db/entities';
import { Principal } from '../principal';

export function hasRole(p: Principal, ...roles: Role[]): boolean {
  return roles.some((r) => p.roles.includes(r));
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

/** A grid officer (协管员): sees and keeps the employer files and patrols of their grids, as a handler does. */
export function isGridOfficer(p: Principal): boolean {
  return hasRole(p, 'grid_officer');
}

/**
 * Whether the principal is the enterprise coordinator (企业协管员) of this employer: the only thing such
 * a user sees is their own employer, and the only thing they do is report for it.
 */
export function coordinatesEmployer(p: Principal, officeId: string, employerId: string): boolean {
  return officeId === p.officeId && hasRole(p, 'enterprise_coordinator') && (p.employerIds ?? []).includes(employerId);
}

/**
 * A policy's answer. `hidden` becomes 404 (the record is not the principal's to know of), `forbidden`
 * 403 (they see it, but their role may not do this).
 */
export type Decision = 'allow' | 'hidden' | 'forbidden';

export const allowIf = (ok: boolean, otherwise: Exclude<Decision, 'allow'> = 'forbidden'): Decision => (ok ? 'allow' : otherwise);

/** Sight first, then the role: a record one cannot see is hidden whatever the role. */
export function seeThen(sees: boolean, mayAct: boolean): Decision {
  if (!sees) return 'hidden';
  return mayAct ? 'allow' : 'forbidden';
}
