/**
 * Three-colour warnings (三色预警) and the grid dashboard. A warning is seen by whoever sees its grid;
 * the grid's handlers and officers, supervisors and admin reopen one. A report (前置预警) comes from an
 * enterprise coordinator for their own employer — the only thing that role does here; another
 * employer is hidden from them like one that does not exist — or from anyone who keeps the employer's
 * grid. The full run of the rules and the office's dashboard are for the office-wide roles.
 */
import type { Principal } from '../principal';
import { allowIf, canSeeGrid, Decision, hasRole, seesWholeOffice, seeThen } from './roles';

export interface WarningRef {
  officeId: string;
  gridId: string | null;
  employerId: string;
}

const KEEPERS = ['handler', 'grid_officer', 'supervisor', 'admin'] as const;

function coordinates(p: Principal, officeId: string, employerId: string): boolean {
  return officeId === p.officeId && hasRole(p, 'enterprise_coordinator') && (p.employerIds ?? []).includes(employerId);
}

export const warningPolicy = {
  read: (p: Principal, w: WarningRef): Decision => seeThen(canSeeGrid(p, w.officeId, w.gridId), true),
  reopen: (p: Principal, w: WarningRef): Decision => seeThen(canSeeGrid(p, w.officeId, w.gridId), hasRole(p, ...KEEPERS)),
};

export const warningsPolicy = {
  list: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'legal', ...KEEPERS)),
  /** A report for one employer (its file as the reporter may know it). */
  report: (p: Principal, e: WarningRef): Decision => {
    if (coordinates(p, e.officeId, e.employerId)) return 'allow';
    return seeThen(canSeeGrid(p, e.officeId, e.gridId) && !hasRole(p, 'enterprise_coordinator'), hasRole(p, ...KEEPERS));
  },
  runRules: (p: Principal): Decision => allowIf(hasRole(p, 'supervisor', 'admin')),
};

export const gridDashboardPolicy = {
  /** The office's dashboard, or one grid's (`grid` given): those who see the grid. */
  read: (p: Principal, grid: { officeId: string; id: string } | null): Decision => {
    if (!grid) return allowIf(seesWholeOffice(p));
    return seeThen(canSeeGrid(p, grid.officeId, grid.id), !hasRole(p, 'enterprise_coordinator') || hasRole(p, ...KEEPERS, 'intake', 'legal'));
  },
};
