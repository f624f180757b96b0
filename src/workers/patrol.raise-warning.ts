/**
 * `patrol.raise-warning`: a patrol's finding becomes a three-colour warning (or raises the employer's
 * open one), started in its own transaction before the job completes; a redelivery finds the warning
 * already open and changes nothing.
 */
import { z } from 'zod';
import { inTransaction } from '../db/data-source';
import { COLOURS } from '../prevention/model';
import { mustFindPatrol } from '../prevention/patrols';
import { openWarning } from '../prevention/warnings';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';
import { processesOf } from './prevention-deps';

export const TASK_TYPE = 'patrol.raise-warning';

export const input = z.object({
  patrolId: z.string().uuid(),
  warningColour: opt(z.enum(COLOURS)),
  patrolProblems: opt(z.string()),
});
export const output = z.object({ warningId: z.string().uuid() });

export function patrolRaiseWarning(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const engine = processesOf(deps);
      const warningId = await inTransaction(deps.ds, async (em) => {
        const patrol = await mustFindPatrol(em, vars.patrolId);
        if (patrol.warningId) return patrol.warningId;
        const opened = await openWarning(em, engine, {
          employerId: patrol.employerId, colour: vars.warningColour ?? 'yellow', source: 'patrol', reasons: [`日常巡查发现：${vars.patrolProblems ?? ''}`],
        }, workerActor(TASK_TYPE), deps.clock.now());
        await em.query('UPDATE patrols SET warning_id = ? WHERE id = ?', [opened.warning.id, patrol.id]);
        return opened.warning.id;
      });
      return job.complete({ warningId });
    },
  });
}
