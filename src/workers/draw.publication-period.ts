/**
 * `draw.publication-period`: once every inspection of a random draw has ended, the period for
 * publishing its results (rule `draw.publication`, default 20 工作日) counted from the day the last one
 * ended, as `deadlines.drawPublication` for the diagram's timer. The draw page computes the same day.
 */
import { z } from 'zod';
import { rulesForOffice } from '../config/legal-rules';
import { isoChina } from '../cases/case-deadlines';
import { officeCode } from '../cases/register-complaint';
import { publicationDeadline } from '../credit/draws';
import { chinaDate } from '../deadlines/china-time';
import { defineWorker, opt } from './define';
import { BadData } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'draw.publication-period';

export const input = z.object({
  drawId: z.string().uuid(),
  inspectionsEndedOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  deadlines: opt(z.record(z.string(), z.unknown())),
});
export const output = z.object({ deadlines: z.record(z.string(), z.unknown()) });

export function drawPublicationPeriod(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const rows: { office_id: string }[] = await em.query('SELECT office_id FROM random_draws WHERE id = ?', [vars.drawId]);
      if (!rows[0]) throw new BadData('随机抽取记录不存在，请联系系统管理员');
      const rules = rulesForOffice(deps.rules, await officeCode(em, rows[0].office_id));
      const due = await publicationDeadline(em, rules, vars.inspectionsEndedOn);
      const dueAt = due.dueAt.getTime();
      return job.complete({
        deadlines: {
          ...(vars.deadlines ?? {}),
          drawPublication: { rule: 'drawPublication', dueAt: isoChina(dueAt), dueDate: chinaDate(dueAt), legalSource: due.explanation.legalSource, explanation: due.explanation.text },
        },
      });
    },
  });
}
