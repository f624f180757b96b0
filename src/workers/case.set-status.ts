/**
 * `case.set-status`: header `status` and/or `flag` (`supervised` = 挂牌督办). An upsert. Status
 * `filed` also answers `filedAt`, the start of the investigation and penalty-decision periods.
 */
import { z } from 'zod';
import { setCaseStatus } from '../cases/set-status';
import { mustFindCase } from '../cases/store';
import { isoChina } from '../cases/case-deadlines';
import { defineWorker, workerActor } from './define';
import { configurationProblem } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'case.set-status';

export const input = z.object({ caseId: z.string().uuid() });
export const output = z.object({ filedAt: z.string().optional() });

export function caseSetStatus(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { status?: string; flag?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const { status, flag } = job.customHeaders;
      if (!status && !flag) return job.fail({ errorMessage: configurationProblem(TASK_TYPE, '未指定要设置的状态'), retries: 0 });
      const now = deps.clock.now();
      const current = await mustFindCase(deps.ds.manager, vars.caseId);
      const result: Record<string, unknown> = {};
      // The filing time is fixed by the first delivery; a redelivery answers the stored one.
      if (status === 'filed') result.filedAt = isoChina(current.filedAt ?? now.getTime());
      return job.complete(result, async (em) => {
        await setCaseStatus(em, vars.caseId, { status, flag }, workerActor(TASK_TYPE), now);
      });
    },
  });
}
