/**
 * Employer files (一户一档). Intake, legal staff, supervisors and admin see the whole office's files;
 * handlers and grid officers (协管员) those of their grids; an enterprise coordinator (企业协管员) only
 * their own employer, read-only except for reports. Who keeps a file: intake, admin, and the handlers
 * and grid officers of its grid; legal staff and supervisors read.
 */
import type { Principal } from '../principal';
import { canSeeGrid, coordinatesEmployer, Decision, hasRole, allowIf, seeThen } from './roles';

export interface EmployerRef {
  id: string;
  officeId: string;
  gridId: string | null;
}

const sees = (p: Principal, e: EmployerRef): boolean => canSeeGrid(p, e.officeId, e.gridId) || coordinatesEmployer(p, e.officeId, e.id);
/** Seeing through the grid, not only as the employer's coordinator. */
const seesByGrid = (p: Principal, e: EmployerRef): boolean => canSeeGrid(p, e.officeId, e.gridId);
const KEEPERS = ['intake', 'handler', 'admin', 'grid_officer'] as const;

export const employerPolicy = {
  read: (p: Principal, e: EmployerRef): Decision => seeThen(sees(p, e), true),
  /** The change history with who changed what: the file's keepers and the office-wide readers. */
  history: (p: Principal, e: EmployerRef): Decision => seeThen(sees(p, e), seesByGrid(p, e)),
  update: (p: Principal, e: EmployerRef): Decision => seeThen(sees(p, e), seesByGrid(p, e) && hasRole(p, ...KEEPERS)),
  /** Moving a file to another grid (the target grid is checked with `employers.placeIn`). */
  move: (p: Principal, e: EmployerRef): Decision => seeThen(sees(p, e), seesByGrid(p, e) && hasRole(p, ...KEEPERS)),
  /**
   * A report about the employer (前置预警, a problem seen): its enterprise coordinator, and the grid
   * officers and handlers of its grid. Used by the prevention module's reports.
   */
  report: (p: Principal, e: EmployerRef): Decision =>
    seeThen(sees(p, e), coordinatesEmployer(p, e.officeId, e.id) || (seesByGrid(p, e) && hasRole(p, 'handler', 'grid_officer', 'admin'))),
  /** The employer's cases, documents and deadlines on its page: not for its own coordinator. */
  cases: (p: Principal, e: EmployerRef): Decision => seeThen(sees(p, e), seesByGrid(p, e)),
};

export const employersPolicy = {
  create: (p: Principal): Decision => allowIf(hasRole(p, ...KEEPERS)),
  /** Placing a file in a grid (new or moved): handlers and grid officers place files only in their own grids. */
  placeIn: (p: Principal, grid: { officeId: string; id: string }): Decision => seeThen(canSeeGrid(p, grid.officeId, grid.id), true),
  /** Registers from the market-registration and social-insurance systems: office-wide work. */
  import: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'admin')),
  /** The list, and its export: everyone who keeps or reads files by grid (a coordinator has no list). */
  list: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'handler', 'legal', 'supervisor', 'admin', 'grid_officer')),
  /** The unplaced files and placing them: the office-wide keepers. */
  place: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'admin')),
};
