/** `case.link-duplicates`: open cases of the same employer; the case is linked to the oldest and flagged. */
import { z } from 'zod';
import { linkDuplicates, openEarlierCases } from '../cases/link-duplicates';
import { mustFindCase } from '../cases/store';
import { defineWorker, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'case.link-duplicates';

export const input = z.object({
  caseId: z.string().uuid(),
  employer: z.unknown().optional(),
});

export const output = z.object({
  duplicates: z.array(z.object({ caseId: z.string(), caseNumber: z.string(), status: z.string() })),
  hasOpenCase: z.boolean(),
});

export function caseLinkDuplicates(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const now = deps.clock.now();
      const open = await openEarlierCases(deps.ds.manager, await mustFindCase(deps.ds.manager, vars.caseId));
      const duplicates = open.map((o) => ({ caseId: o.caseId, caseNumber: o.caseNumber, status: o.status }));
      return job.complete({ duplicates, hasOpenCase: duplicates.length > 0 }, async (em) => {
        await linkDuplicates(em, vars.caseId, workerActor(TASK_TYPE), now);
      });
    },
  });
}
