/**
 * `patrol.issue-order`: the on-the-spot order (现场责令改正通知书) from the patrol's findings, and the
 * follow-up visit's deadline (legal-rules `patrol.followUp`, counted from today). The document is
 * issued in the step's transaction under the job's element key, so a redelivery issues it once.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { inTransaction } from '../db/data-source';
import { rulesForOffice } from '../config/legal-rules';
import { loadCalendarData } from '../deadlines/calendar-store';
import { deadlineForRule } from '../deadlines/deadline';
import { chinaDate } from '../deadlines/china-time';
import { isoChina } from '../cases/case-deadlines';
import { officeCode } from '../cases/register-complaint';
import { issueDocument } from '../documents/documents';
import { findEmployerPlace } from '../prevention/grids';
import { displayNameOf, mustFindPatrol, completedBy } from '../prevention/patrols';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'patrol.issue-order';
export const DOCUMENT_TYPE = 'on-site-correction-order';

export const input = z.object({
  patrolId: z.string().uuid(),
  patrolProblems: opt(z.string()),
  correctionItems: opt(z.string().max(5000)),
  deadlines: opt(z.record(z.string(), z.unknown())),
});
export const output = z.object({
  deadlines: z.record(z.string(), z.unknown()),
  orderDocument: z.object({ id: z.string(), number: z.string(), title: z.string() }),
});

export function patrolIssueOrder(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const patrol = await mustFindPatrol(em, vars.patrolId);
      const place = (await findEmployerPlace(em, patrol.employerId))!;
      const now = deps.clock.now();
      const rules = rulesForOffice(deps.rules, await officeCode(em, patrol.officeId));
      const followUp = deadlineForRule(await loadCalendarData(em), rules, 'patrol.followUp', { event: '现场责令改正', at: now });
      const inspector = (await displayNameOf(em, await completedBy(deps.processes, job.processInstanceKey, 'Task_Patrol'))) ?? '网格工作人员';
      const deadlines = {
        ...(vars.deadlines ?? {}),
        patrolFollowUp: { rule: 'patrolFollowUp', dueAt: isoChina(followUp.dueAt.getTime()), dueDate: followUp.dueDate, legalSource: followUp.explanation.legalSource, explanation: followUp.explanation.text },
      };
      // Issued in its own transaction before the step: the variables name the document. The idempotency
      // key makes a redelivery answer the same document.
      const doc = await inTransaction(deps.ds, async (tx) => {
        const d = await issueDocument(tx, {
          officeId: patrol.officeId, caseId: null, gridId: patrol.gridId, typeId: DOCUMENT_TYPE, issuedBy: workerActor(TASK_TYPE).name, issuedAt: now.getTime(),
          idempotencyKey: `patrol-order:${patrol.id}`, processInstanceKey: job.processInstanceKey, elementId: job.elementId,
          data: {
            party: { name: place.name, address: place.address ?? undefined, creditCode: place.creditCode ?? undefined, legalRepresentative: place.legalRepresentative ?? undefined },
            patrolDate: chinaDate(now), problems: vars.patrolProblems || '见巡查记录', requirements: vars.correctionItems || '按上述问题逐项改正',
            followUpDate: followUp.dueDate, basis: '《劳动保障监察条例》第十一条、第十八条', inspectors: inspector,
          },
        });
        await tx.query('UPDATE patrols SET document_id = ?, follow_up_due_at = ? WHERE id = ?', [d.id, followUp.dueAt.getTime(), patrol.id]);
        await recordAudit(tx, workerActor(TASK_TYPE), now, { action: 'patrol.order', entityType: 'patrol', entityId: patrol.id, after: { documentId: d.id, number: d.number, followUpDate: followUp.dueDate } });
        return d;
      });
      return job.complete({ deadlines, orderDocument: { id: doc.id, number: doc.number, title: doc.title } });
    },
  });
}
