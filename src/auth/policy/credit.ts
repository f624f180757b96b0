/**
 * Credit supervision (失信联合惩戒名单, 守法诚信等级): a listing or a grade belongs to the grid of its
 * employer. Office-wide staff see all; handlers and grid officers those of their grids; an enterprise
 * coordinator sees nothing here. Handlers of the grid propose a listing from their case and record
 * what the party sends in; legal staff and supervisors decide (the decisions are user tasks of the
 * diagrams, candidate groups `legal` and `supervisor`) and run the yearly grading.
 */
import type { Principal } from '../principal';
import { allowIf, canSeeGrid, Decision, hasRole, seeThen } from './roles';

/** Where a credit record is held: its employer's office and grid. */
export interface CreditRef {
  officeId: string;
  gridId: string | null;
}

// A coordinator has no grids and no office-wide role, so grid sight alone keeps them out.
const sees = (p: Principal, r: CreditRef): boolean => canSeeGrid(p, r.officeId, r.gridId);

export const creditPolicy = {
  read: (p: Principal, r: CreditRef): Decision => seeThen(sees(p, r), true),
  /** Starting the listing procedure from a case: its handlers, legal staff, supervisors. */
  propose: (p: Principal, r: CreditRef): Decision => seeThen(sees(p, r), hasRole(p, 'handler', 'legal', 'supervisor', 'admin')),
  /** Recording a defence or a repair application the party handed in. */
  record: (p: Principal, r: CreditRef): Decision => seeThen(sees(p, r), hasRole(p, 'handler', 'legal', 'supervisor', 'admin')),
  /** Deciding an objection to a grade. */
  decide: (p: Principal, r: CreditRef): Decision => seeThen(sees(p, r), hasRole(p, 'legal', 'supervisor')),
};

export const creditListPolicy = {
  /** The lists of listings and grades: everyone who reads employer files by grid. */
  list: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'handler', 'legal', 'supervisor', 'admin', 'grid_officer')),
  /** Opening the year's grading run: legal staff and supervisors. */
  grade: (p: Principal): Decision => allowIf(hasRole(p, 'legal', 'supervisor')),
};
