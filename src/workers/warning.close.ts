/** `warning.close`: the warning ends with its result (an upsert: a redelivery writes the same). */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { WARNING_RESULTS } from '../prevention/model';
import { mustFindWarning } from '../prevention/warnings';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'warning.close';

export const input = z.object({ warningId: z.string().uuid(), closeResult: opt(z.enum(WARNING_RESULTS)) });
export const output = z.object({});

export function warningClose(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const w = await mustFindWarning(deps.ds.manager, vars.warningId);
      const now = deps.clock.now();
      const result = vars.closeResult ?? 'resolved';
      return job.complete({}, async (em) => {
        await em.query("UPDATE warnings SET state = 'closed', closed_at = COALESCE(closed_at, ?), result = ?, updated_at = ? WHERE id = ?", [now.getTime(), result, now.getTime(), w.id]);
        await recordAudit(em, workerActor(TASK_TYPE), now, { action: 'warning.close', entityType: 'warning', entityId: w.id, before: { state: w.state }, after: { state: 'closed', result } });
      });
    },
  });
}
