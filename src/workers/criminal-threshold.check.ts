/**
 * `criminal-threshold.check`: whether the referral to the police is offered (刑法 第276条之一;
 * 法释〔2013〕3号 第3、4条 with the province's figures): an order to pay served and unpaid by its
 * deadline, and an amount at or above the threshold. The workers owed are those on file, or the
 * investigation's totals when the file lists none.
 */
import { z } from 'zod';
import { checkCriminalThreshold, WorkerOwed } from '../cases/criminal-threshold';
import { rulesForOffice } from '../config/legal-rules';
import { parseInstant } from '../cases/case-deadlines';
import { deadlineAt as deadlineNamed } from '../cases/deadline-paths';
import { officeCode } from '../cases/register-complaint';
import { caseWorkers, mustFindCase } from '../cases/store';
import { defineWorker, opt } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'criminal-threshold.check';

export const input = z.object({
  caseId: z.string().uuid(),
  workersOwed: opt(z.coerce.number()),
  amountOwed: opt(z.coerce.number()),
  monthsOwed: opt(z.coerce.number()),
  documents: opt(z.record(z.string(), z.unknown())),
  deadlines: opt(z.record(z.string(), z.unknown())),
  corrected: opt(z.string()),
  abscondedAt: opt(z.unknown()),
  orderPosted: opt(z.boolean()),
});

export const output = z.object({
  criminalCheck: z.object({
    thresholdMet: z.boolean(), orderServed: z.boolean(), referralOffered: z.boolean(), reason: z.string(), reasons: z.array(z.string()),
    threshold: z.object({ perWorker: z.number(), total: z.number(), workers: z.number(), months: z.number() }),
  }),
});

export function criminalThresholdCheck(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const c = await mustFindCase(em, vars.caseId);
      const rules = rulesForOffice(deps.rules, await officeCode(em, c.officeId));
      const onFile = (await caseWorkers(em, c.id)).filter((w) => (w.amountOwed ?? 0) > 0);
      let workers: WorkerOwed[] = onFile.map((w) => ({ name: w.name, amountOwed: w.amountOwed!, monthsOwed: w.monthsOwed ?? vars.monthsOwed ?? 0 }));
      if (vars.amountOwed !== null && vars.amountOwed !== undefined && vars.amountOwed > 0) {
        // The investigation's finding is what is still unpaid; spread it over the workers it names.
        const count = Math.max(1, Math.trunc(vars.workersOwed ?? (workers.length || 1)));
        workers = Array.from({ length: count }, (_, i) => ({ name: workers[i]?.name, amountOwed: vars.amountOwed! / count, monthsOwed: vars.monthsOwed ?? workers[i]?.monthsOwed ?? 0 }));
      }
      const order = (vars.documents?.['order-to-correct'] ?? null) as { servedAt?: string } | null;
      const correction = deadlineNamed<{ dueAt?: string }>(vars.deadlines, 'correction.period') ?? null;
      const orderServed = Boolean(order?.servedAt);
      const deadlineAt = parseInstant(correction?.dueAt);
      const unpaid = vars.corrected !== 'yes';
      const result = checkCriminalThreshold(rules, {
        workers: unpaid ? workers : [],
        orders: orderServed && deadlineAt !== null ? [{ kind: vars.orderPosted ? '张贴责令支付文书' : '限期改正指令书', deadlineAt, recorded: vars.orderPosted === true }] : [],
        employerAbsconded: Boolean(vars.abscondedAt), now: deps.clock.now(),
      });
      return job.complete({
        criminalCheck: {
          thresholdMet: result.met !== null, orderServed, referralOffered: result.offered, reason: result.reasons[0], reasons: result.reasons,
          threshold: {
            perWorker: result.thresholdUsed.singleWorker.minAmount, total: result.thresholdUsed.multiWorker.minTotal,
            workers: result.thresholdUsed.multiWorker.minWorkers, months: result.thresholdUsed.singleWorker.minMonths,
          },
        },
      });
    },
  });
}
