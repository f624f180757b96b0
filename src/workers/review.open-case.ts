/**
 * `review.open-case`: an inspection case opened by the office itself (主动检查) from the written review —
 * when the verification found violations to investigate, or an order of the review was not obeyed by its
 * deadline. As `patrol.open-case` does: the case is registered against the employer on file, its
 * acceptance deadline computed and `inspection-case` started directly, in one transaction, under a case
 * id derived from the review employer, so a redelivery finds the same case.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { rulesForOffice } from '../config/legal-rules';
import { inTransaction } from '../db/data-source';
import { loadCalendarData } from '../deadlines/calendar-store';
import { computeContractDeadline, isoChina, storeCaseDeadline } from '../cases/case-deadlines';
import { complaintSchema, type ClaimCategory } from '../cases/model';
import { createCase, officeCode } from '../cases/register-complaint';
import { findCase, recordCaseProcess, streetCodeOf } from '../cases/store';
import { findReview, mustFindReviewEmployer, type Submission } from '../credit/written-review';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';
import { processesOf } from './prevention-deps';

export const TASK_TYPE = 'review.open-case';
export const INSPECTION_PROCESS_ID = 'inspection-case';

export const input = z.object({
  reviewEmployerId: z.string().uuid(),
  reviewOpinion: opt(z.string()),
  verificationNote: opt(z.string()),
  recheckNote: opt(z.string()),
});
export const output = z.object({ openedCaseId: z.string().uuid(), openedCaseNumber: z.string() });

function caseIdFor(reviewEmployerId: string): string {
  const h = crypto.createHash('sha256').update(`written-review-case:${reviewEmployerId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

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
        const id = caseIdFor(row.id);
        const existing = await findCase(em, id);
        if (existing) return { caseId: existing.id, caseNumber: existing.caseNumber };
        const review = (await findReview(em, row.review_id))!;
        const now = deps.clock.now();
        const text = [vars.reviewOpinion, vars.verificationNote, vars.recheckNote].filter(Boolean).join('；') || '书面审查发现违法行为';
        const submission = row.submission_json ? (JSON.parse(row.submission_json) as Submission) : null;
        const complaint = complaintSchema.parse({
          kind: 'report', channel: 'grid', receivedAt: now.getTime(), employer: { employerId: row.employer_id },
          claims: claimsOf(submission, text), summary: `${Number(review.year)}年度书面审查发现：${text}`.slice(0, 5000),
        });
        const { case: c } = await createCase(em, { officeId: row.office_id, actor, now, rules: deps.rules }, complaint, id);
        const ruleSet = rulesForOffice(deps.rules, await officeCode(em, c.officeId));
        const acceptance = computeContractDeadline('acceptance', {
          cal: await loadCalendarData(em), rules: ruleSet, now: now.getTime(), variables: { receivedAt: c.receivedAt, isWageArrears: c.wageArrears }, filedAt: null,
        }, {});
        await storeCaseDeadline(em, c.id, acceptance, { processInstanceKey: null, elementId: null, now: now.getTime() });
        const e: Record<string, unknown>[] = await em.query('SELECT name, credit_code, address FROM employers WHERE id = ?', [row.employer_id]);
        const started = await engine.createInstance({
          bpmnProcessId: INSPECTION_PROCESS_ID, businessKey: c.id,
          variables: {
            caseId: c.id, caseNumber: c.caseNumber, gridCode: (await streetCodeOf(em, c.gridId)) ?? 'handler', receivedAt: isoChina(c.receivedAt),
            employer: { name: String(e[0].name), creditCode: e[0].credit_code ?? null, address: e[0].address ?? null },
            channel: 'grid', summary: c.summary, isWageArrears: c.wageArrears, deadlines: { acceptance: acceptance.process },
          },
        }, em);
        await recordCaseProcess(em, c.id, started.processInstanceKey, INSPECTION_PROCESS_ID, 'main', now.getTime());
        await em.query("UPDATE written_review_employers SET state = 'concluded', result = 'case', case_id = ?, corrected = ?, concluded_at = ?, updated_at = ? WHERE id = ?",
          [c.id, row.order_document_id ? 0 : null, now.getTime(), now.getTime(), row.id]);
        await recordAudit(em, actor, now, { action: 'written-review.open-case', entityType: 'written_review_employer', entityId: row.id, caseId: c.id, after: { caseNumber: c.caseNumber, processInstanceKey: started.processInstanceKey } });
        return { caseId: c.id, caseNumber: c.caseNumber };
      });
      return job.complete({ openedCaseId: opened.caseId, openedCaseNumber: opened.caseNumber });
    },
  });
}
