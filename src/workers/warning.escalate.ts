/**
 * `warning.escalate`: one level up — by the timer when the warning was not handled in its period, or
 * to the colour a stronger finding brought (message `warning-raised`, variable `raisedColour`). Kept
 * in the warning's history under the job's key, so a redelivery does not escalate twice.
 */
import { z } from 'zod';
import { COLOURS, COLOUR_LABELS, colourRank, escalated, type Colour } from '../prevention/model';
import { mustFindWarning, recordWarningAction } from '../prevention/warnings';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'warning.escalate';

export const input = z.object({
  warningId: z.string().uuid(),
  colour: z.enum(COLOURS),
  raisedColour: opt(z.enum(COLOURS)),
});
export const output = z.object({ colour: z.enum(COLOURS), raisedColour: z.null() });

export function warningEscalate(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const key = `escalate:${job.key}`;
      const seen: { colour: string }[] = await em.query("SELECT note AS colour FROM warning_actions WHERE idempotency_key = ?", [key]);
      if (seen.length) return job.complete({ colour: JSON.parse(seen[0].colour).to as Colour, raisedColour: null });
      const w = await mustFindWarning(em, vars.warningId);
      const byFinding = vars.raisedColour && colourRank(vars.raisedColour) > colourRank(vars.colour);
      const to: Colour = byFinding ? vars.raisedColour! : escalated(vars.colour);
      const now = deps.clock.now().getTime();
      return job.complete({ colour: to, raisedColour: null }, async (tx) => {
        await tx.query('UPDATE warnings SET colour = ?, escalations = escalations + ?, updated_at = ? WHERE id = ?', [to, byFinding ? 0 : 1, now, w.id]);
        await recordWarningAction(tx, { id: w.id, colour: vars.colour }, byFinding ? 'raised' : 'escalated',
          JSON.stringify({ from: vars.colour, to, text: byFinding ? `新的情况：升为${COLOUR_LABELS[to]}预警` : `逾期未处置，升为${COLOUR_LABELS[to]}预警` }),
          workerActor(TASK_TYPE).name, now, key);
      });
    },
  });
}
