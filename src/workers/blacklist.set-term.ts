/**
 * `blacklist.set-term`: writes the listing's end (the list term, `deadlines.blacklist.listingTerm`) on the
 * listing, where the employer's record and the lists read it; the diagram's expiry timer runs on the
 * same deadline.
 */
import { z } from 'zod';
import { parseInstant } from '../cases/case-deadlines';
import { defineWorker } from './define';
import { BadData } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'blacklist.set-term';

export const input = z.object({
  listingId: z.string().uuid(),
  deadlines: z.object({ blacklist: z.object({ listingTerm: z.object({ dueAt: z.string() }).passthrough() }).passthrough() }).passthrough(),
});
export const output = z.object({});

export function blacklistSetTerm(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const expiresAt = parseInstant(vars.deadlines.blacklist.listingTerm.dueAt);
      if (expiresAt === null) throw new BadData('列入期限无法识别，请联系系统管理员');
      return job.complete({}, async (tx) => {
        await tx.query('UPDATE credit_listings SET expires_at = ?, updated_at = ? WHERE id = ?', [expiresAt, deps.clock.now().getTime(), vars.listingId]);
      });
    },
  });
}
