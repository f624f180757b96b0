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
  create: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'handler', 'admin')),
  /** Placing a file in a grid (new or moved): a handler places files only in their own grids. */
  placeIn: (p: Principal, grid: { officeId: string; id: string }): Decision => seeThen(canSeeGrid(p, grid.officeId, grid.id), true),
};
