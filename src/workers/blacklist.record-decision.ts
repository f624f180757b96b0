/**
 * `blacklist.record-decision`: the legal staff's decision on the proposed listing (task 作出列入决定).
 * Listed: the listing starts now (`listedAt`, the day the list term runs from). Not listed: the
 * procedure ends. Either way every defence received, in time or late, gets the decision's answer,
 * and the decision deadline of the case is settled.
 */
import { z } from 'zod';
import { isoChina, settleCaseDeadlines } from '../cases/case-deadlines';
import { recordAudit } from '../audit/audit';
import { findListing } from '../credit/listings';
import { defineWorker, opt, workerActor } from './define';
import { BadData } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'blacklist.record-decision';

export const input = z.object({
  caseId: z.string().uuid(),
  listingId: z.string().uuid(),
  listingDecision: z.enum(['list', 'not-list']),
  defenceAssessment: opt(z.string()),
  decisionReasons: opt(z.string()),
});
export const output = z.object({ listedAt: z.string().nullable() });

export function blacklistRecordDecision(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const listing = await findListing(deps.ds.manager, vars.listingId);
      if (!listing || listing.case_id !== vars.caseId) throw new BadData('失信名单记录与本案不符，请联系系统管理员');
      const now = deps.clock.now().getTime();
      const listed = vars.listingDecision === 'list';
      // Redelivered after the decision was written: the first decision's day stands.
      const listedAt = listed ? (listing.listed_at !== null ? Number(listing.listed_at) : now) : null;
      return job.complete({ listedAt: listedAt === null ? null : isoChina(listedAt) }, async (tx) => {
        if (listing.state !== 'proposed') return;
        const note = [vars.defenceAssessment, vars.decisionReasons].filter(Boolean).join('\n') || null;
        await tx.query(
          'UPDATE credit_listings SET state = ?, decided_at = ?, decided_by = ?, decision_note = ?, listed_at = ?, updated_at = ? WHERE id = ?',
          [listed ? 'listed' : 'not-listed', now, 'legal', note, listedAt, now, listing.id],
        );
        await tx.query(
          "UPDATE credit_submissions SET decision = ?, decision_note = ?, decided_at = ? WHERE listing_id = ? AND kind = 'defence' AND decision IS NULL",
          [listed ? 'rejected' : 'accepted', vars.defenceAssessment ?? null, now, listing.id],
        );
        await settleCaseDeadlines(tx, listing.case_id, ['blacklistDefence', 'blacklistDecision', 'blacklistDecisionExtended'], now);
        await recordAudit(tx, workerActor(TASK_TYPE), new Date(now), {
          action: listed ? 'credit.listing.list' : 'credit.listing.not-list', entityType: 'credit_listing', entityId: listing.id, caseId: listing.case_id,
          after: { state: listed ? 'listed' : 'not-listed' },
        });
      });
    },
  });
}
