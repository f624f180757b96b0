/** Employer files (一户一档): handlers keep the files of their grids; intake and admin the whole office's. */
import type { Principal } from '../principal';
import { canSeeGrid, Decision, hasRole, allowIf, seeThen } from './roles';

export interface EmployerRef {
  officeId: string;
  gridId: string | null;
}

export const employerPolicy = {
  read: (p: Principal, e: EmployerRef): Decision => seeThen(canSeeGrid(p, e.officeId, e.gridId), true),
  update: (p: Principal, e: EmployerRef): Decision => seeThen(canSeeGrid(p, e.officeId, e.gridId), hasRole(p, 'intake', 'handler', 'admin')),
};

export const employersPolicy = {
  /** `gridId` is the grid the new file is placed in; a handler places files only in their grids. */
  create: (p: Principal, gridId: string | null): Decision => {
    if (!hasRole(p, 'intake', 'handler', 'admin')) return 'forbidden';
    return allowIf(hasRole(p, 'intake', 'admin') || (gridId !== null && p.visibleGridIds.includes(gridId)));
  },
};
