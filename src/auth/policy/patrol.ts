/**
 * Patrols (日常巡查) and their plans: a grid's patrols are seen by whoever sees the grid (its handlers and
 * grid officers, and the office-wide roles); planning a month's patrols is for the grid's handlers and
 * grid officers, supervisors and admin. Enterprise coordinators see no patrol.
 */
import type { Principal } from '../principal';
import { allowIf, canSeeGrid, Decision, hasRole, seeThen } from './roles';

export interface PatrolRef {
  officeId: string;
  gridId: string | null;
}

const PLANNERS = ['handler', 'grid_officer', 'supervisor', 'admin'] as const;

export const patrolPolicy = {
  read: (p: Principal, r: PatrolRef): Decision => seeThen(canSeeGrid(p, r.officeId, r.gridId), true),
};

export const patrolsPolicy = {
  /** The list (filtered to the grids the principal sees). */
  list: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'legal', ...PLANNERS)),
  plan: (p: Principal, grid: { officeId: string; id: string }): Decision => seeThen(canSeeGrid(p, grid.officeId, grid.id), hasRole(p, ...PLANNERS)),
};
