/**
 * `grading.propose`: proposes the grade of every employer of the run's office for its year
 * (src/credit/grading.ts), all of them in one transaction; a redelivery finds the year proposed and
 * proposes nothing again. Returns the counts by grade for the review task.
 */
import { z } from 'zod';
import { inTransaction } from '../db/data-source';
import { rulesForOffice } from '../config/legal-rules';
import { officeCode } from '../cases/register-complaint';
import { proposeGrades } from '../credit/grading';
import { findRun, runCounts } from '../credit/grading-run';
import { defineWorker } from './define';
import { BadData } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'grading.propose';

export const input = z.object({ runId: z.string().uuid() });
const counts = z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() });
export const output = z.object({ gradeCounts: counts });

export function gradingPropose(deps: WorkerDeps) {
  return defineWorker({
    // The whole office in one step: far longer than a case step on a large register.
    taskType: TASK_TYPE, clock: deps.clock, input, output, timeoutMs: 600_000,
    handler: async (job, vars) => {
      const run = await findRun(deps.ds.manager, vars.runId);
      if (!run) throw new BadData('评价批次不存在，请联系系统管理员');
      const rules = rulesForOffice(deps.rules, await officeCode(deps.ds.manager, run.office_id));
      const now = deps.clock.now().getTime();
      await inTransaction(deps.ds, (tx) => proposeGrades(tx, run.office_id, Number(run.year), rules, now, run.id));
      const gradeCounts = await runCounts(deps.ds.manager, run.id);
      return job.complete({ gradeCounts }, async (tx) => {
        await tx.query('UPDATE credit_grading_runs SET counts_json = ? WHERE id = ?', [JSON.stringify(gradeCounts), run.id]);
      });
    },
  });
}
