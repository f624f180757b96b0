/**
 * `grading.finalize`: the grades of the run become final — as the review or an upheld objection left
 * them — in the step's transaction; from then on `currentGrade` (patrol intervals, random draws)
 * reads them. The run records who reviewed it and when it ended.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { completedBy } from '../prevention/patrols';
import { findRun, runCounts } from '../credit/grading-run';
import { defineWorker, workerActor } from './define';
import { BadData } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'grading.finalize';

export const input = z.object({ runId: z.string().uuid() });
const counts = z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() });
export const output = z.object({ finalCounts: counts });

export function gradingFinalize(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output, timeoutMs: 300_000,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const run = await findRun(em, vars.runId);
      if (!run) throw new BadData('评价批次不存在，请联系系统管理员');
      const reviewer = (await completedBy(deps.processes, job.processInstanceKey, 'Task_Review')) ?? run.started_by;
      const now = deps.clock.now();
      const finalCounts = await runCounts(em, run.id);
      return job.complete({ finalCounts }, async (tx) => {
        await tx.query(
          "UPDATE credit_grades SET final_grade = COALESCE(review_grade, proposed_grade), state = 'final', decided_by = ?, decided_at = ? WHERE run_id = ? AND state <> 'final'",
          [reviewer, now.getTime(), run.id]);
        await tx.query("UPDATE credit_grading_runs SET state = 'final', finalized_at = ?, counts_json = ? WHERE id = ?", [now.getTime(), JSON.stringify(finalCounts), run.id]);
        await recordAudit(tx, workerActor(TASK_TYPE), now, { action: 'credit.grading.final', entityType: 'credit_grading_run', entityId: run.id, after: finalCounts });
      });
    },
  });
}
