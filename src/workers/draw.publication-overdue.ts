/**
 * `draw.publication-overdue`: the period for publishing a random draw's results ran out before they
 * were published. Recorded in the audit log for supervision; the draw page shows it overdue, and the
 * diagram keeps waiting for the publication.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'draw.publication-overdue';

export const input = z.object({ drawId: z.string().uuid(), deadlines: opt(z.record(z.string(), z.unknown())) });
export const output = z.object({ publicationOverdue: z.literal(true) });

export function drawPublicationOverdue(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const due = (vars.deadlines?.drawPublication ?? null) as { dueDate?: string } | null;
      return job.complete({ publicationOverdue: true }, async (tx) => {
        await recordAudit(tx, workerActor(TASK_TYPE), deps.clock.now(), {
          action: 'random-draw.publication-overdue', entityType: 'random_draw', entityId: vars.drawId, after: { dueDate: due?.dueDate ?? null },
        });
      });
    },
  });
}
