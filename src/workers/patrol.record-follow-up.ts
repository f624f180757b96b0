/** `patrol.record-follow-up`: the follow-up visit after an on-the-spot order: corrected or not. */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { mustFindPatrol } from '../prevention/patrols';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'patrol.record-follow-up';

export const input = z.object({
  patrolId: z.string().uuid(),
  followUpCorrected: z.enum(['yes', 'no']),
  followUpNote: opt(z.string().max(5000)),
});
export const output = z.object({});

export function patrolRecordFollowUp(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const patrol = await mustFindPatrol(deps.ds.manager, vars.patrolId);
      const now = deps.clock.now();
      return job.complete({}, async (em) => {
        await em.query('UPDATE patrols SET follow_up_result = ? WHERE id = ?', [vars.followUpCorrected === 'yes' ? 'corrected' : 'not-corrected', patrol.id]);
        await recordAudit(em, workerActor(TASK_TYPE), now, { action: 'patrol.follow-up', entityType: 'patrol', entityId: patrol.id, after: { corrected: vars.followUpCorrected, note: vars.followUpNote ?? null } });
      });
    },
  });
}
