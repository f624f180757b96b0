/**
 * An employer's credit record (诚信档案) as its file shows it: its listings on the wage-arrears
 * joint-discipline list, current and past, with their documents. Read by GET /api/employers/:id/credit.
 */
import type { EntityManager } from 'typeorm';
import { errors } from '../errors';
import { authorize } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { listingView, type ListingRow, type ListingView } from './listings';
import { employerReviewFindings, type ReviewFinding } from './written-review';
import { employerPublications } from './publications';

export interface EmployerCredit {
  employerId: string;
  /** On the list now. */
  listed: boolean;
  listings: ListingView[];
  /** Its annual written reviews (书面审查), newest first; 未报送 is itself a finding. */
  writtenReviews: ReviewFinding[];
  /** Its entries in published lists of major violations (人社部令第29号), newest first. */
  publications: Awaited<ReturnType<typeof employerPublications>>;
}

export async function employerCredit(em: EntityManager, principal: Principal, employerId: string): Promise<EmployerCredit> {
  const rows: { id: string; office_id: string; grid_id: string | null }[] = await em.query('SELECT id, office_id, grid_id FROM employers WHERE id = ?', [employerId]);
  const e = rows[0];
  if (!e) throw errors.notFound('credit');
  authorize(principal, 'credit.read', { officeId: e.office_id, gridId: e.grid_id });
  const listings: ListingRow[] = await em.query('SELECT * FROM credit_listings WHERE employer_id = ? ORDER BY proposed_at DESC', [employerId]);
  const views: ListingView[] = [];
  for (const l of listings) views.push(await listingView(em, l));
  return { employerId, listed: views.some((l) => l.state === 'listed'), listings: views, writtenReviews: await employerReviewFindings(em, employerId), publications: await employerPublications(em, employerId) };
}
