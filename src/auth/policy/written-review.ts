/**
 * The annual written review (书面审查): legal staff and supervisors open the year's review for the office;
 * an employer's place in the review belongs to its grid — office-wide staff see all, handlers and grid
 * officers their grids' employers only, enterprise coordinators nothing. Submissions are entered at the
 * window (intake) or by the grid's staff; a spreadsheet of submissions is imported by office staff.
 */
import type { Principal } from '../principal';
import { allowIf, canSeeGrid, Decision, hasRole, seeThen } from './roles';

export interface WrittenReviewRef {
  officeId: string;
  gridId: string | null;
}

export const writtenReviewPolicy = {
  read: (p: Principal, r: WrittenReviewRef): Decision => seeThen(canSeeGrid(p, r.officeId, r.gridId), true),
  /** Entering what the employer submitted. */
  record: (p: Principal, r: WrittenReviewRef): Decision =>
    seeThen(canSeeGrid(p, r.officeId, r.gridId), hasRole(p, 'intake', 'handler', 'grid_officer', 'legal', 'supervisor', 'admin')),
};

export const writtenReviewsPolicy = {
  /** The reviews and their progress (each principal's figures limited to the grids they see). */
  list: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'handler', 'grid_officer', 'legal', 'supervisor', 'admin')),
  open: (p: Principal): Decision => allowIf(hasRole(p, 'legal', 'supervisor')),
  /** Importing a spreadsheet of submissions for the whole office. */
  import: (p: Principal): Decision => allowIf(hasRole(p, 'intake', 'legal', 'supervisor', 'admin')),
};
