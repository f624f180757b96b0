/**
 * `review.open-case`: an inspection case opened by the office itself (主动检查) from the written review —
 * when the verification found violations to investigate, or an order of the review was not obeyed by its
 * deadline (src/cases/office-case.ts, as `patrol.open-case` does), under a case id derived from the
 * review employer, so a redelivery finds the same case.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { inTransaction } from '../db/data-source';
import { type ClaimCategory } from '../cases/model';
import { derivedCaseId, openOfficeCase } from '../cases/office-case';
import { findReview, mustFindReviewEmployer, type Submission } from '../credit/written-review';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';
import { processesOf } from './prevention-deps';

export const TASK_TYPE = 'review.open-case';
export { INSPECTION_PROCESS_ID } from '../cases/office-case';

export const input = z.object({
  reviewEmployerId: z.string().uuid(),
  reviewOpinion: opt(z.string()),
  verificationNote: opt(z.string()),
  recheckNote: opt(z.string()),
});
export const output = z.object({ openedCaseId: z.string().uuid(), openedCaseNumber: z.string() });


/** The claims a case is registered with: what the submission itself showed, else a general one. */
function claimsOf(s: Submission | null, text: string): { category: ClaimCategory; description: string }[] {
  const out: { category: ClaimCategory; description: string }[] = [];
  if (s && s.contractsSigned < s.headcount) out.push({ category: 'no-written-contract', description: `书面审查：${s.headcount - s.contractsSigned}名职工未签订书面劳动合同；${text}` });
  if (s && s.socialInsuranceParticipants < s.headcount) out.push({ category: 'social-insurance-registration', description: `书面审查：${s.headcount - s.socialInsuranceParticipants}名职工未参加社会保险；${text}` });
  if (s && s.migrantWagesOwed > 0) out.push({ category: 'wage-arrears', description: `书面审查：报告拖欠农民工工资${s.migrantWagesOwed}元；${text}` });
  if (!out.length) out.push({ category: 'other', description: `书面审查发现：${text}` });
  return out.map((c) => ({ ...c, description: c.description.slice(0, 5000) }));
}

export function reviewOpenCase(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const engine = processesOf(deps);
      const actor = workerActor(TASK_TYPE);
      const opened = await inTransaction(deps.ds, async (em) => {
        const row = await mustFindReviewEmployer(em, vars.reviewEmployerId);
        const review = (await findReview(em, row.review_id))!;
        const now = deps.clock.now();
        const text = [vars.reviewOpinion, vars.verificationNote, vars.recheckNote].filter(Boolean).join('；') || '书面审查发现违法行为';
        const submission = row.submission_json ? (JSON.parse(row.submission_json) as Submission) : null;
        const { case: c, opened: isNew, processInstanceKey } = await openOfficeCase(em, engine, { rules: deps.rules, actor, now }, {
          id: derivedCaseId('written-review-case', row.id), officeId: row.office_id, employerId: row.employer_id,
          claims: claimsOf(submission, text), summary: `${Number(review.year)}年度书面审查发现：${text}`,
        });
        if (isNew) {
          await em.query("UPDATE written_review_employers SET state = 'concluded', result = 'case', case_id = ?, corrected = ?, concluded_at = ?, updated_at = ? WHERE id = ?",
            [c.id, row.order_document_id ? 0 : null, now.getTime(), now.getTime(), row.id]);
          await recordAudit(em, actor, now, { action: 'written-review.open-case', entityType: 'written_review_employer', entityId: row.id, caseId: c.id, after: { caseNumber: c.caseNumber, processInstanceKey } });
        }
        return { caseId: c.id, caseNumber: c.caseNumber };
      });
      return job.complete({ openedCaseId: opened.caseId, openedCaseNumber: opened.caseNumber });
    },
  });
}
