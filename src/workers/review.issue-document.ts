/**
 * `review.issue-document`: header `documentType` — `written-review-notice` (书面审查通知书, starts the
 * submission period `writtenReview.submission`), `written-review-reminder` (催报通知书, the reminder period
 * `writtenReview.reminder`) or `written-review-order` (限期改正指令书 of the review, the correction period
 * `writtenReview.correction`). Each period is counted from today and answered as `deadlines.<rule>` for
 * the diagram's timer; the document, the due time and the employer's state in the review are written in
 * the step's transaction under the element instance's key, so a redelivery issues nothing twice.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { isoChina } from '../cases/case-deadlines';
import { officeCode } from '../cases/register-complaint';
import { rulesForOffice, type PeriodRuleId } from '../config/legal-rules';
import { findReview, mustFindReviewEmployer } from '../credit/written-review';
import { REVIEW_DOCUMENT_TYPES, reviewDocumentData, type ReviewDocumentType } from '../credit/written-review-documents';
import { loadCalendarData } from '../deadlines/calendar-store';
import { chinaDate } from '../deadlines/china-time';
import { deadlineForRule } from '../deadlines/deadline';
import { findDocumentType } from '../documents/document-types';
import { issueDocument } from '../documents/documents';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';
import { BadData, configurationProblem } from './failure';

export const TASK_TYPE = 'review.issue-document';

/** Per document: the period it starts, its name among the diagram's deadlines, and what it does to the record. */
const STEPS: Record<ReviewDocumentType, { rule: PeriodRuleId; deadline: string; event: string }> = {
  'written-review-notice': { rule: 'writtenReview.submission', deadline: 'reviewSubmission', event: '发出书面审查通知书' },
  'written-review-reminder': { rule: 'writtenReview.reminder', deadline: 'reviewReminder', event: '发出催报通知书' },
  'written-review-order': { rule: 'writtenReview.correction', deadline: 'reviewCorrection', event: '发出限期改正指令书' },
};

export const input = z.object({
  reviewEmployerId: z.string().uuid(),
  deadlines: opt(z.record(z.string(), z.unknown())),
  documents: opt(z.record(z.string(), z.unknown())),
  verificationNote: opt(z.string().max(5000)),
  reviewOpinion: opt(z.string().max(5000)),
  correctionItems: opt(z.string().max(5000)),
});
const entry = z.object({ id: z.string(), number: z.string(), title: z.string(), issuedAt: z.string() });
export const output = z.object({ deadlines: z.record(z.string(), z.unknown()), documents: z.record(z.string(), entry) });

export function reviewIssueDocument(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { documentType?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output, timeoutMs: 120_000,
    handler: async (job, vars) => {
      const type = (job.customHeaders.documentType ?? '') as ReviewDocumentType;
      if (!REVIEW_DOCUMENT_TYPES.includes(type)) return job.fail({ errorMessage: configurationProblem(TASK_TYPE, '文书种类不存在'), retries: 0 });
      const em = deps.ds.manager;
      const row = await mustFindReviewEmployer(em, vars.reviewEmployerId);
      const review = await findReview(em, row.review_id);
      if (!review) throw new BadData('书面审查记录不存在，请联系系统管理员');
      const now = deps.clock.now();
      const rules = rulesForOffice(deps.rules, await officeCode(em, row.office_id));
      const step = STEPS[type];
      const due = deadlineForRule(await loadCalendarData(em), rules, step.rule, { event: step.event, at: now });
      const documents = { ...(vars.documents ?? {}) } as Record<string, z.infer<typeof entry>>;
      const data = await reviewDocumentData(em, type, {
        review, row, rules, dueDate: due.dueDate, noticeNumber: documents['written-review-notice']?.number,
        submissionDueDate: row.submission_due_at === null ? null : chinaDate(Number(row.submission_due_at)),
        findings: [vars.reviewOpinion, vars.verificationNote].filter(Boolean).join('；') || null, requirements: vars.correctionItems ?? null,
      });
      const deadlines = {
        ...(vars.deadlines ?? {}),
        [step.deadline]: { rule: step.deadline, dueAt: isoChina(due.dueAt.getTime()), dueDate: due.dueDate, legalSource: due.explanation.legalSource, explanation: due.explanation.text },
      };
      const title = findDocumentType(type)?.title ?? '文书';
      return job.complete({ deadlines, documents }, async (tx) => {
        const d = await issueDocument(tx, {
          officeId: row.office_id, caseId: null, gridId: row.grid_id, typeId: type, data, issuedBy: workerActor(TASK_TYPE).name, issuedAt: now.getTime(),
          idempotencyKey: `process:${job.processInstanceKey}:${job.elementId}:${job.elementInstanceKey}`, processInstanceKey: job.processInstanceKey, elementId: job.elementId,
        });
        documents[type] = { id: d.id, number: d.number, title, issuedAt: isoChina(d.issuedAt) };
        const at = now.getTime();
        if (type === 'written-review-notice') {
          await tx.query("UPDATE written_review_employers SET state = 'notified', notice_document_id = ?, submission_due_at = ?, updated_at = ? WHERE id = ?", [d.id, due.dueAt.getTime(), at, row.id]);
        } else if (type === 'written-review-reminder') {
          await tx.query("UPDATE written_review_employers SET state = 'reminded', reminder_document_id = ?, reminder_due_at = ?, updated_at = ? WHERE id = ?", [d.id, due.dueAt.getTime(), at, row.id]);
        } else {
          await tx.query("UPDATE written_review_employers SET state = 'concluded', result = 'correction', order_document_id = ?, correction_due_at = ?, concluded_at = ?, updated_at = ? WHERE id = ?",
            [d.id, due.dueAt.getTime(), at, at, row.id]);
        }
        await recordAudit(tx, workerActor(TASK_TYPE), now, {
          action: 'document.issue', entityType: 'document', entityId: d.id, after: { documentType: type, number: d.number, reviewEmployerId: row.id, dueDate: due.dueDate },
        });
      });
    },
  });
}
