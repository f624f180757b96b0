/**
 * `warning.route`: who handles the warning at its colour ("二级网格处理、一级网格管理、监察大队跟踪":
 * yellow the community grid, orange the street grid, red the brigade) and by when (legal-rules
 * `warning.handling.<colour>`, working days from now, with the holiday calendar). The due date is
 * kept on the warning for the dashboard's on-time figure.
 */
import { z } from 'zod';
import { rulesForOffice } from '../config/legal-rules';
import { loadCalendarData } from '../deadlines/calendar-store';
import { deadlineForRule } from '../deadlines/deadline';
import { isoChina } from '../cases/case-deadlines';
import { officeCode } from '../cases/register-complaint';
import { BRIGADE_GROUP, COLOURS, COLOUR_LABELS, HANDLER_LEVEL, HANDLING_RULE } from '../prevention/model';
import { mustFindWarning } from '../prevention/warnings';
import { defineWorker, opt } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'warning.route';

export const input = z.object({
  warningId: z.string().uuid(),
  colour: z.enum(COLOURS),
  gridCode: z.string().min(1),
  streetCode: z.string().min(1),
  deadlines: opt(z.record(z.string(), z.unknown())),
});
export const output = z.object({
  handlerGroup: z.string(),
  colourLabel: z.string(),
  deadlines: z.record(z.string(), z.unknown()),
});

const LEVEL_LABEL = { community: '二级网格（社区、村）处置', street: '一级网格（街道）处置', brigade: '监察大队跟踪' } as const;

export function warningRoute(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const w = await mustFindWarning(em, vars.warningId);
      const now = deps.clock.now();
      const rules = rulesForOffice(deps.rules, await officeCode(em, w.officeId));
      const d = deadlineForRule(await loadCalendarData(em), rules, HANDLING_RULE[vars.colour], { event: `${COLOUR_LABELS[vars.colour]}预警交办`, at: now });
      const level = HANDLER_LEVEL[vars.colour];
      const handlerGroup = level === 'community' ? vars.gridCode : level === 'street' ? vars.streetCode : BRIGADE_GROUP;
      const deadlines = {
        ...(vars.deadlines ?? {}),
        warningHandling: {
          rule: 'warningHandling', dueAt: isoChina(d.dueAt.getTime()), dueDate: d.dueDate, count: d.explanation.count, unit: d.explanation.unit,
          legalSource: d.explanation.legalSource, provisional: d.provisional, explanation: d.explanation.text,
        },
      };
      return job.complete({ handlerGroup, colourLabel: `${COLOUR_LABELS[vars.colour]}预警（${LEVEL_LABEL[level]}）`, deadlines }, async (tx) => {
        await tx.query('UPDATE warnings SET colour = ?, due_at = ?, updated_at = ? WHERE id = ?', [vars.colour, d.dueAt.getTime(), now.getTime(), w.id]);
      });
    },
  });
}
