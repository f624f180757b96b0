/**
 * `deadline.compute`: header `rule` (one deadline id or several, comma-separated: the legal rule's id,
 * src/config/legal-rules.ts). Each deadline is computed with the holiday calendar, set at its dotted id
 * in the whole `deadlines` object (`deadlines.police.decision`; Zeebe replaces top-level variables) and
 * stored on the case with its explanation in the step's transaction.
 * A hearing date that leaves no time for its notice is HEARING_NOTICE_TOO_SHORT.
 */
import { z } from 'zod';
import { rulesForOffice } from '../config/legal-rules';
import { loadCalendarData } from '../deadlines/calendar-store';
import { computeContractDeadline, ComputedDeadline, CONTRACT_RULES, type DeadlineId, HearingNoticeTooShort, ProcessDeadline, storeCaseDeadline } from '../cases/case-deadlines';
import { deadlineAt, listDeadlines, withDeadline } from '../cases/deadline-paths';
import { officeCode } from '../cases/register-complaint';
import { mustFindCase } from '../cases/store';
import { recordAudit } from '../audit/audit';
import { defineWorker, opt, workerActor } from './define';
import { configurationProblem } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'deadline.compute';
export const HEARING_NOTICE_TOO_SHORT = 'HEARING_NOTICE_TOO_SHORT';

const when = opt(z.union([z.string(), z.number()]));
export const input = z.object({
  caseId: z.string().uuid(),
  deadlines: opt(z.record(z.string(), z.unknown())),
  documents: opt(z.record(z.string(), z.unknown())),
  receivedAt: when,
  materialsCompletedAt: when,
  filedAt: when,
  servedAt: when,
  hearingAt: when,
  transferredAt: when,
  policeDecisionAt: when,
  courtFiledAt: when,
  rulingAt: when,
  correctionDays: opt(z.coerce.number()),
  isWageArrears: opt(z.boolean()),
  paymentDeadlineAt: when,
  listedAt: when,
  repairAppliedAt: when,
});

const deadlineSchema = z.object({ rule: z.string(), dueAt: z.string(), startAt: z.string(), startEvent: z.string(), count: z.number(), unit: z.string(), legalSource: z.string(), provisional: z.boolean() }).passthrough();
/** Every deadline in the nested `deadlines` has the shape the diagrams read. */
export const output = z.object({
  deadlines: z.record(z.string(), z.unknown()).superRefine((tree, ctx) => {
    for (const [id, d] of listDeadlines(tree)) {
      if (!deadlineSchema.safeParse(d).success) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `deadline ${id} is incomplete` });
    }
  }),
});

export function deadlineCompute(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { rule?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const names = (job.customHeaders.rule ?? '').split(',').map((r) => r.trim()).filter(Boolean);
      const ruleNames = names.filter((r): r is DeadlineId => (CONTRACT_RULES as readonly string[]).includes(r));
      const unknown = names.filter((r) => !(CONTRACT_RULES as readonly string[]).includes(r));
      if (!names.length || unknown.length) return job.fail({ errorMessage: configurationProblem(TASK_TYPE, '期限规则不存在'), retries: 0 });
      const em = deps.ds.manager;
      const c = await mustFindCase(em, vars.caseId);
      const ctx = {
        cal: await loadCalendarData(em), rules: rulesForOffice(deps.rules, await officeCode(em, c.officeId)), now: deps.clock.now().getTime(),
        variables: { ...vars, isWageArrears: vars.isWageArrears ?? c.wageArrears } as Record<string, unknown>, filedAt: c.filedAt,
      };
      let deadlines: Record<string, unknown> = { ...(vars.deadlines ?? {}) };
      const computed: ComputedDeadline[] = [];
      for (const rule of ruleNames) {
        try {
          const d = computeContractDeadline(rule, ctx, deadlines);
          deadlines = withDeadline(deadlines, rule, d.process);
          computed.push(d);
        } catch (e) {
          if (e instanceof HearingNoticeTooShort) {
            return job.error({ errorCode: HEARING_NOTICE_TOO_SHORT, errorMessage: `听证日期过近，听证通知应不迟于${e.noticeBy}送达（行政处罚法 第64条）` });
          }
          throw e;
        }
      }
      const limit = deadlineAt<ProcessDeadline>(deadlines, 'investigation.limit');
      const approved = deadlineAt<ProcessDeadline>(deadlines, 'investigation.extensionApproved');
      if (limit && approved) deadlines = withDeadline(deadlines, 'investigation.limit', { ...limit, extendedTo: approved.dueAt });
      return job.complete({ deadlines }, async (tx) => {
        for (const d of computed) {
          await storeCaseDeadline(tx, c.id, d, { processInstanceKey: job.processInstanceKey, elementId: job.elementId, now: ctx.now });
          await recordAudit(tx, workerActor(TASK_TYPE), new Date(ctx.now), {
            action: 'case.deadline', entityType: 'case', entityId: c.id, caseId: c.id,
            after: { rule: d.process.rule, dueAt: d.process.dueAt, provisional: d.process.provisional, explanation: d.process.explanation },
          });
        }
      });
    },
  });
}
