/**
 * `review.record-result`: header `result` — `qualified` (合格: the review, and the verification if any,
 * found nothing), `not-submitted` (未报送: no submission even after the reminder; a finding of its own,
 * shown in the employer's credit record) or `corrected` (the re-check after an order found it corrected).
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { mustFindReviewEmployer } from '../credit/written-review';
import { defineWorker, workerActor } from './define';
import type { WorkerDeps } from './deps';
import { configurationProblem } from './failure';

export const TASK_TYPE = 'review.record-result';
const RESULTS = ['qualified', 'not-submitted', 'corrected'] as const;

export const input = z.object({ reviewEmployerId: z.string().uuid() });
export const output = z.object({});

export function reviewRecordResult(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { result?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const result = job.customHeaders.result as (typeof RESULTS)[number];
      if (!RESULTS.includes(result)) return job.fail({ errorMessage: configurationProblem(TASK_TYPE, '审查结果不存在'), retries: 0 });
      const row = await mustFindReviewEmployer(deps.ds.manager, vars.reviewEmployerId);
      const now = deps.clock.now().getTime();
      return job.complete({}, async (tx) => {
        if (result === 'corrected') {
          await tx.query('UPDATE written_review_employers SET corrected = 1, updated_at = ? WHERE id = ?', [now, row.id]);
        } else {
          await tx.query("UPDATE written_review_employers SET state = 'concluded', result = ?, concluded_at = ?, updated_at = ? WHERE id = ?", [result, now, now, row.id]);
        }
        await recordAudit(tx, workerActor(TASK_TYPE), new Date(now), { action: 'written-review.result', entityType: 'written_review_employer', entityId: row.id, after: { result } });
      });
    },
  });
}
