/**
 * `review.record-review`: the handler's review of an employer's submission (书面审查意见) — whether it
 * raised a doubt (`reviewFlagged`) and the opinion — and whether an on-site verification follows: always
 * when flagged, else when the employer was drawn in the review's sample (written when the review was
 * opened, legal rule `writtenReview.sampleRate`). Answers `verificationRequired` for the gateway.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { mustFindReviewEmployer } from '../credit/written-review';
import { completedBy, displayNameOf } from '../prevention/patrols';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'review.record-review';

export const input = z.object({
  reviewEmployerId: z.string().uuid(),
  reviewFlagged: z.enum(['yes', 'no']),
  reviewOpinion: opt(z.string().max(5000)),
});
export const output = z.object({ verificationRequired: z.boolean(), sampled: z.boolean() });

export function reviewRecordReview(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const row = await mustFindReviewEmployer(em, vars.reviewEmployerId);
      const reviewer = (await displayNameOf(em, await completedBy(deps.processes, job.processInstanceKey, 'Task_Review'))) ?? workerActor(TASK_TYPE).name;
      const flagged = vars.reviewFlagged === 'yes';
      const sampled = Number(row.sampled ?? 0) === 1;
      const verificationRequired = flagged || sampled;
      const now = deps.clock.now();
      return job.complete({ verificationRequired, sampled }, async (tx) => {
        await tx.query("UPDATE written_review_employers SET flagged = ?, review_opinion = ?, reviewed_by = ?, reviewed_at = ?, state = ?, updated_at = ? WHERE id = ?",
          [flagged ? 1 : 0, vars.reviewOpinion ?? null, reviewer, now.getTime(), verificationRequired ? 'verifying' : 'submitted', now.getTime(), row.id]);
        await recordAudit(tx, workerActor(TASK_TYPE), now, { action: 'written-review.review', entityType: 'written_review_employer', entityId: row.id, after: { flagged, sampled, reviewer } });
      });
    },
  });
}
