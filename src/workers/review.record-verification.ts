/**
 * `review.record-verification`: the on-site verification (实地核查) of a flagged or sampled employer —
 * what was found and the result it leads to (`reviewResult`: 合格, 限期改正 or 立案调查), recorded with
 * who verified and when.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { mustFindReviewEmployer } from '../credit/written-review';
import { completedBy, displayNameOf } from '../prevention/patrols';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'review.record-verification';

export const input = z.object({
  reviewEmployerId: z.string().uuid(),
  reviewResult: z.enum(['qualified', 'correction', 'case']),
  verificationNote: opt(z.string().max(5000)),
});
export const output = z.object({});

export function reviewRecordVerification(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const row = await mustFindReviewEmployer(em, vars.reviewEmployerId);
      const verifier = (await displayNameOf(em, await completedBy(deps.processes, job.processInstanceKey, 'Task_Verify'))) ?? workerActor(TASK_TYPE).name;
      const now = deps.clock.now();
      return job.complete({}, async (tx) => {
        await tx.query('UPDATE written_review_employers SET verification_note = ?, verified_by = ?, verified_at = ?, updated_at = ? WHERE id = ?',
          [vars.verificationNote ?? null, verifier, now.getTime(), now.getTime(), row.id]);
        await recordAudit(tx, workerActor(TASK_TYPE), now, { action: 'written-review.verify', entityType: 'written_review_employer', entityId: row.id, after: { result: vars.reviewResult, verifier } });
      });
    },
  });
}
