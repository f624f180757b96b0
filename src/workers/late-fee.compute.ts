/**
 * `late-fee.compute`: 加处罚款 (行政处罚法 第72条): a rate per day of the fine from the day after the
 * payment deadline until payment (or now), capped at the fine. Rate and cap are legal-rule settings.
 */
import { z } from 'zod';
import { rulesForOffice } from '../config/legal-rules';
import { chinaDate, daysBetween } from '../deadlines/china-time';
import { isoChina, parseInstant } from '../cases/case-deadlines';
import { officeCode } from '../cases/register-complaint';
import { mustFindCase } from '../cases/store';
import { defineWorker, opt } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'late-fee.compute';

export const input = z.object({
  caseId: z.string().uuid(),
  approvedFineAmount: z.coerce.number().nonnegative(),
  deadlines: z.object({ punishment: z.object({ finePayment: z.object({ dueAt: z.string() }).passthrough() }).passthrough() }).passthrough(),
  paidAt: opt(z.union([z.string(), z.number()])),
});
export const output = z.object({
  lateFee: z.object({ amount: z.number(), days: z.number(), ratePerDay: z.number(), capped: z.boolean(), asOf: z.string() }),
});

export function lateFee(fine: number, dueAt: number, asOf: number, ratePercent: number, capMultiple: number) {
  const days = asOf > dueAt ? daysBetween(chinaDate(dueAt), chinaDate(asOf)) : 0;
  const fenFine = Math.round(fine * 100);
  const raw = Math.round((fenFine * ratePercent * days) / 100);
  const cap = Math.round(fenFine * capMultiple);
  return { amount: Math.min(raw, cap) / 100, days, ratePerDay: ratePercent / 100, capped: raw > cap };
}

export function lateFeeCompute(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const c = await mustFindCase(deps.ds.manager, vars.caseId);
      const rules = rulesForOffice(deps.rules, await officeCode(deps.ds.manager, c.officeId));
      const dueAt = parseInstant(vars.deadlines.punishment.finePayment.dueAt);
      if (dueAt === null) return job.fail({ errorMessage: '罚款缴纳期限尚未计算或不是有效日期，无法计算加处罚款；请先核对罚款缴纳期限后重试', retries: 0 });
      const asOf = parseInstant(vars.paidAt) ?? deps.clock.now().getTime();
      const fee = lateFee(vars.approvedFineAmount, dueAt, asOf, rules['punishment.lateFeeRate'].value, rules['punishment.lateFeeCap'].value);
      return job.complete({ lateFee: { ...fee, asOf: isoChina(asOf) } });
    },
  });
}
