/**
 * The grids' people (专职/兼职监察员, 协管员, 企业协管员) with their training, and the address rules that
 * place employers in grids. Admin keeps both; the office-wide roles read every grid's staff, handlers
 * and grid officers their own grids'. An enterprise coordinator sees none of it.
 */
import type { Principal } from '../principal';
import { allowIf, canSeeGrid, Decision, hasRole, seeThen } from './roles';

export interface GridStaffRef {
  officeId: string;
  gridId: string;
}

const STAFF_READERS = ['intake', 'handler', 'legal', 'supervisor', 'admin', 'grid_officer'] as const;

export const gridStaffPolicy = {
  read: (p: Principal, s: GridStaffRef): Decision => seeThen(canSeeGrid(p, s.officeId, s.gridId) && hasRole(p, ...STAFF_READERS), true),
  manage: (p: Principal, s: GridStaffRef): Decision => seeThen(canSeeGrid(p, s.officeId, s.gridId) && hasRole(p, ...STAFF_READERS), hasRole(p, 'admin')),
};

export const gridStaffListPolicy = {
  list: (p: Principal): Decision => allowIf(hasRole(p, ...STAFF_READERS)),
  create: (p: Principal): Decision => allowIf(hasRole(p, 'admin')),
};

export const addressRulesPolicy = {
  read: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'supervisor', 'admin')),
  manage: (p: Principal): Decision => allowIf(hasRole(p, 'admin')),
};
