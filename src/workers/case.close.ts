/**
 * `case.close`: header `outcome`, or the outcome derived from what the lifecycle decided
 * (`investigationOutcome`, `corrected`, `penaltyOutcome`, `policeOutcome`, `arbitrationOutcome`,
 * `withdrawalApproved`). An upsert: a closed case answers its stored outcome and time.
 */
import { z } from 'zod';
import { closeCase, deriveOutcome, unservedNoticeReason, unservedNotices } from '../cases/close-case';
import { mustFindCase } from '../cases/store';
import { isoChina } from '../cases/case-deadlines';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'case.close';

export const input = z.object({
  caseId: z.string().uuid(),
  investigationOutcome: opt(z.string()),
  corrected: opt(z.string()),
  penaltyOutcome: opt(z.string()),
  policeOutcome: opt(z.string()),
  arbitrationOutcome: opt(z.string()),
  withdrawalApproved: opt(z.boolean()),
  /** Why a notice of the case could not be served, stated by a user repairing the closing's incident. */
  noticeUnservedReason: opt(z.string()),
});
export const output = z.object({ caseOutcome: z.string(), closedAt: z.string() });

export function caseClose(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { outcome?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const now = deps.clock.now();
      const current = await mustFindCase(deps.ds.manager, vars.caseId);
      const outcome = current.closedAt !== null && current.outcome ? current.outcome : job.customHeaders.outcome || deriveOutcome(vars);
      const closedAt = current.closedAt ?? now.getTime();
      // A notice not served and no reason why: an incident at once that says so, repaired on the case
      // page by recording the service or stating the reason (src/incidents/repairable.ts).
      const unserved = current.closedAt === null ? await unservedNotices(deps.ds.manager, vars.caseId) : [];
      if (unserved.length && !vars.noticeUnservedReason?.trim()) return job.fail({ errorMessage: unservedNoticeReason(unserved), retries: 0 });
      return job.complete({ caseOutcome: outcome, closedAt: isoChina(closedAt) }, async (em) => {
        await closeCase(em, vars.caseId, outcome, workerActor(TASK_TYPE), now, { unservedReason: vars.noticeUnservedReason });
      });
    },
  });
}
