/**
 * `grading.notify`: once the review is done, tells every C-graded employer of the run in writing
 * (评价结果告知书, with the criteria met and their records) and opens the objection period (legal rule
 * `credit.gradingObjection`, counted from today; written on the run, where recording an objection
 * reads it). Each notice is issued under the grade's idempotency key, a batch to a transaction, so a
 * redelivery or a crash part-way issues each notice once.
 */
import { z } from 'zod';
import { inTransaction } from '../db/data-source';
import { rulesForOffice } from '../config/legal-rules';
import { loadCalendarData } from '../deadlines/calendar-store';
import { deadlineForRule } from '../deadlines/deadline';
import { chinaDate } from '../deadlines/china-time';
import { isoChina } from '../cases/case-deadlines';
import { officeCode } from '../cases/register-complaint';
import { issueDocument } from '../documents/documents';
import { findRun, noticeData, type GradeRow } from '../credit/grading-run';
import { defineWorker, opt, workerActor } from './define';
import { BadData } from './failure';
import type { WorkerDeps } from './deps';
import { recordAudit } from '../audit/audit';

export const TASK_TYPE = 'grading.notify';
const BATCH = 50;

export const input = z.object({ runId: z.string().uuid(), deadlines: opt(z.record(z.string(), z.unknown())) });
export const output = z.object({ deadlines: z.record(z.string(), z.unknown()), noticesIssued: z.number().int() });

export function gradingNotify(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output, timeoutMs: 600_000,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const run = await findRun(em, vars.runId);
      if (!run) throw new BadData('评价批次不存在，请联系系统管理员');
      const rules = rulesForOffice(deps.rules, await officeCode(em, run.office_id));
      const now = deps.clock.now();
      const due = deadlineForRule(await loadCalendarData(em), rules, 'credit.gradingObjection', { event: '书面告知C级评价结果', at: now });
      // The period is fixed once: a redelivery keeps the first one.
      await em.query("UPDATE credit_grading_runs SET state = 'objection', notified_at = ?, objection_due_at = ? WHERE id = ? AND objection_due_at IS NULL",
        [now.getTime(), due.dueAt.getTime(), run.id]);
      const fixed = (await findRun(em, run.id))!;
      const dueAt = Number(fixed.objection_due_at);
      const officeName = String(((await em.query('SELECT name FROM offices WHERE id = ?', [run.office_id])) as { name: string }[])[0]?.name ?? '');
      for (;;) {
        const batch: GradeRow[] = await em.query(
          `SELECT * FROM credit_grades WHERE run_id = ? AND COALESCE(review_grade, proposed_grade) = 'C' AND notice_document_id IS NULL ORDER BY id LIMIT ${BATCH}`, [run.id]);
        if (!batch.length) break;
        await inTransaction(deps.ds, async (tx) => {
          for (const g of batch) {
            const doc = await issueDocument(tx, {
              officeId: g.office_id, caseId: null, gridId: g.grid_id, typeId: 'credit-grade-notice', issuedBy: workerActor(TASK_TYPE).name, issuedAt: now.getTime(),
              idempotencyKey: `grade-notice:${g.id}`, processInstanceKey: job.processInstanceKey, elementId: job.elementId,
              data: await noticeData(tx, rules, g, chinaDate(dueAt), officeName),
            });
            await tx.query('UPDATE credit_grades SET notice_document_id = ?, notified_at = ? WHERE id = ?', [doc.id, now.getTime(), g.id]);
            await recordAudit(tx, workerActor(TASK_TYPE), now, { action: 'credit.grade.notice', entityType: 'credit_grade', entityId: g.id, after: { documentId: doc.id, number: doc.number } });
          }
        });
      }
      const notified = Number(((await em.query("SELECT COUNT(*) AS n FROM credit_grades WHERE run_id = ? AND notice_document_id IS NOT NULL", [run.id])) as { n: number | string }[])[0].n);
      const deadlines = {
        ...(vars.deadlines ?? {}),
        gradingObjection: { rule: 'gradingObjection', dueAt: isoChina(dueAt), dueDate: chinaDate(dueAt), legalSource: due.explanation.legalSource, explanation: due.explanation.text },
      };
      return job.complete({ deadlines, noticesIssued: notified });
    },
  });
}
