/**
 * `blacklist.check-repair`: whether an application for credit repair meets the conditions (人社部令
 * 第45号): the wages paid, listed at least the minimum time (`deadlines.blacklist.repairMinListed`), a
 * written pledge. An application that does not is refused in writing with the reasons (the diagram
 * issues 不予信用修复决定书) and recorded as decided; one that does goes to the legal staff.
 */
import { z } from 'zod';
import { parseInstant } from '../cases/case-deadlines';
import { chinaDate } from '../deadlines/china-time';
import { recordAudit } from '../audit/audit';
import { defineWorker, workerActor } from './define';
import { BadData } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'blacklist.check-repair';

export const input = z.object({
  caseId: z.string().uuid(),
  listingId: z.string().uuid(),
  repairSubmissionId: z.string().uuid(),
  deadlines: z.object({ blacklist: z.object({ repairMinListed: z.object({ dueAt: z.string() }).passthrough() }).passthrough() }).passthrough(),
});
export const output = z.object({ repairCheck: z.object({ eligible: z.boolean(), reasons: z.array(z.string()) }) });

export function blacklistCheckRepair(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const rows: { listing_id: string; received_at: number | string; wages_paid_at: number | string | null; pledge: number | string }[] =
        await deps.ds.query("SELECT listing_id, received_at, wages_paid_at, pledge FROM credit_submissions WHERE id = ? AND kind = 'repair'", [vars.repairSubmissionId]);
      const s = rows[0];
      if (!s || s.listing_id !== vars.listingId) throw new BadData('信用修复申请与名单记录不符，请联系系统管理员');
      const eligibleAt = parseInstant(vars.deadlines.blacklist.repairMinListed.dueAt)!;
      const received = Number(s.received_at);
      const reasons: string[] = [];
      if (s.wages_paid_at === null || Number(s.wages_paid_at) > received) reasons.push('申请时尚未足额支付拖欠的劳动者工资。');
      if (received < eligibleAt) reasons.push(`列入名单未满规定的最短期限，${chinaDate(eligibleAt)}后方可申请。`);
      if (Number(s.pledge) !== 1) reasons.push('未提交守信承诺书。');
      const eligible = reasons.length === 0;
      const now = deps.clock.now().getTime();
      return job.complete({ repairCheck: { eligible, reasons } }, async (tx) => {
        if (eligible) return;
        await tx.query("UPDATE credit_submissions SET decision = 'refused', decision_note = ?, decided_at = ?, decided_by = 'system' WHERE id = ? AND decision IS NULL",
          [reasons.join(''), now, vars.repairSubmissionId]);
        await recordAudit(tx, workerActor(TASK_TYPE), new Date(now), {
          action: 'credit.repair.refuse', entityType: 'credit_listing', entityId: vars.listingId, caseId: vars.caseId, after: { reasons },
        });
      });
    },
  });
}
