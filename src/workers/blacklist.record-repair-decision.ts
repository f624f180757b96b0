/**
 * `blacklist.record-repair-decision`: the legal staff's decision on an application for credit repair
 * that met the conditions (task 审核信用修复申请), written on the application.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'blacklist.record-repair-decision';

export const input = z.object({
  caseId: z.string().uuid(),
  listingId: z.string().uuid(),
  repairSubmissionId: z.string().uuid(),
  repairApproved: z.enum(['yes', 'no']),
  repairOpinion: opt(z.string()),
});
export const output = z.object({});

export function blacklistRecordRepairDecision(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const now = deps.clock.now().getTime();
      return job.complete({}, async (tx) => {
        await tx.query('UPDATE credit_submissions SET decision = ?, decision_note = ?, decided_at = ?, decided_by = ? WHERE id = ? AND listing_id = ? AND decision IS NULL',
          [vars.repairApproved === 'yes' ? 'approved' : 'refused', vars.repairOpinion ?? null, now, 'legal', vars.repairSubmissionId, vars.listingId]);
        await recordAudit(tx, workerActor(TASK_TYPE), new Date(now), {
          action: 'credit.repair.decide', entityType: 'credit_listing', entityId: vars.listingId, caseId: vars.caseId, after: { approved: vars.repairApproved === 'yes' },
        });
      });
    },
  });
}
