/**
 * `grading.close-objections`: the objection period is over (or legal staff finished a round of
 * decisions): the run turns to deciding objections, the decision period (legal rule
 * `credit.gradingObjectionDecision`, from the end of the objection period) is fixed once, and the
 * objections still undecided are counted — while any is, the diagram keeps the decision task open.
 */
import { z } from 'zod';
import { rulesForOffice } from '../config/legal-rules';
import { loadCalendarData } from '../deadlines/calendar-store';
import { deadlineForRule } from '../deadlines/deadline';
import { chinaDate } from '../deadlines/china-time';
import { isoChina } from '../cases/case-deadlines';
import { officeCode } from '../cases/register-complaint';
import { findRun } from '../credit/grading-run';
import { defineWorker, opt } from './define';
import { BadData } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'grading.close-objections';

export const input = z.object({ runId: z.string().uuid(), deadlines: opt(z.record(z.string(), z.unknown())) });
export const output = z.object({ deadlines: z.record(z.string(), z.unknown()), objectionsOpen: z.number().int() });

export function gradingCloseObjections(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const run = await findRun(em, vars.runId);
      if (!run) throw new BadData('评价批次不存在，请联系系统管理员');
      let deadlines = vars.deadlines ?? {};
      if (!deadlines.gradingObjectionDecision) {
        const rules = rulesForOffice(deps.rules, await officeCode(em, run.office_id));
        const from = new Date(Math.max(Number(run.objection_due_at ?? 0), deps.clock.now().getTime()));
        const d = deadlineForRule(await loadCalendarData(em), rules, 'credit.gradingObjectionDecision', { event: '异议期限届满', at: from });
        deadlines = { ...deadlines, gradingObjectionDecision: { rule: 'gradingObjectionDecision', dueAt: isoChina(d.dueAt.getTime()), dueDate: chinaDate(d.dueAt), legalSource: d.explanation.legalSource, explanation: d.explanation.text } };
      }
      const open = Number(((await em.query('SELECT COUNT(*) AS n FROM credit_grade_objections WHERE run_id = ? AND decision IS NULL', [run.id])) as { n: number | string }[])[0].n);
      return job.complete({ deadlines, objectionsOpen: open }, async (tx) => {
        await tx.query("UPDATE credit_grading_runs SET state = 'deciding' WHERE id = ? AND state <> 'final'", [run.id]);
      });
    },
  });
}
