/**
 * `blacklist.remove`: header `reason` (`expiry`: the list term ran out; `repair`: credit repair
 * approved). Takes the employer and its people off the list; the diagram then issues the removal decision.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { defineWorker, workerActor } from './define';
import { configurationProblem } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'blacklist.remove';

export const input = z.object({ caseId: z.string().uuid(), listingId: z.string().uuid() });
export const output = z.object({});

export function blacklistRemove(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { reason?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const reason = job.customHeaders.reason ?? '';
      if (reason !== 'expiry' && reason !== 'repair') return job.fail({ errorMessage: configurationProblem(TASK_TYPE, '移出事由不存在'), retries: 0 });
      const now = deps.clock.now().getTime();
      return job.complete({}, async (tx) => {
        await tx.query("UPDATE credit_listings SET state = 'removed', removed_at = ?, removal_reason = ?, updated_at = ? WHERE id = ? AND state = 'listed'",
          [now, reason, now, vars.listingId]);
        await recordAudit(tx, workerActor(TASK_TYPE), new Date(now), {
          action: 'credit.listing.remove', entityType: 'credit_listing', entityId: vars.listingId, caseId: vars.caseId, after: { reason },
        });
      });
    },
  });
}
