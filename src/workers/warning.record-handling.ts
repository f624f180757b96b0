/**
 * `warning.record-handling`: header `step` — `four-ones` keeps the "四个一" people named for a red
 * warning (seed 001: 一名乡镇（街道）负责人、一名劳动监察员、一名村（社区）干部、一名公安人员);
 * `handling` keeps what was done (visit, talk, mediation, order, case opened) and, the first time,
 * whether it was within the handling period.
 */
import { z } from 'zod';
import { HANDLING_ACTIONS } from '../prevention/model';
import { mustFindWarning, recordWarningAction } from '../prevention/warnings';
import { completedBy, displayNameOf } from '../prevention/patrols';
import { defineWorker, opt } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'warning.record-handling';

const name = opt(z.string().max(100));
export const input = z.object({
  warningId: z.string().uuid(),
  colour: z.string(),
  handlingAction: opt(z.enum(HANDLING_ACTIONS)),
  handlingNote: opt(z.string().max(5000)),
  fourOnesLeader: name, fourOnesInspector: name, fourOnesCadre: name, fourOnesPolice: name,
});
export const output = z.object({ fourOnesDone: z.boolean().optional() });

export function warningRecordHandling(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { step?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const w = await mustFindWarning(em, vars.warningId);
      const now = deps.clock.now().getTime();
      const step = job.customHeaders.step;
      if (step === 'four-ones') {
        const people = { leader: vars.fourOnesLeader ?? '', inspector: vars.fourOnesInspector ?? '', cadre: vars.fourOnesCadre ?? '', police: vars.fourOnesPolice ?? '' };
        const by = (await displayNameOf(em, await completedBy(deps.processes, job.processInstanceKey, 'Task_FourOnes'))) ?? '系统';
        return job.complete({ fourOnesDone: true }, async (tx) => {
          await tx.query('UPDATE warnings SET four_ones_json = ?, updated_at = ? WHERE id = ?', [JSON.stringify(people), now, w.id]);
          await recordWarningAction(tx, w, 'four-ones', JSON.stringify(people), by, now, `four-ones:${job.key}`);
        });
      }
      if (step !== 'handling') return job.fail({ errorMessage: `warning.record-handling: unknown step header '${step ?? ''}'`, retries: 0 });
      const by = (await displayNameOf(em, await completedBy(deps.processes, job.processInstanceKey, 'Task_Handle'))) ?? '系统';
      return job.complete({}, async (tx) => {
        await recordWarningAction(tx, w, vars.handlingAction ?? 'visit', vars.handlingNote ?? null, by, now, `handling:${job.key}`);
        // The first handling decides whether the warning was handled on time.
        await tx.query('UPDATE warnings SET handled_at = ?, handled_on_time = ?, updated_at = ? WHERE id = ? AND handled_at IS NULL',
          [now, w.dueAt === null || now <= w.dueAt ? 1 : 0, now, w.id]);
      });
    },
  });
}
