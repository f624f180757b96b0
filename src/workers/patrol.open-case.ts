/**
 * `patrol.open-case`: an inspection case opened by the office itself (主动检查) from a patrol's
 * findings (src/cases/office-case.ts), under an id derived from the patrol so a redelivery finds the
 * same case; the patrol records it.
 */
import { z } from 'zod';
import { recordAudit } from '../audit/audit';
import { inTransaction } from '../db/data-source';
import { type ClaimCategory } from '../cases/model';
import { derivedCaseId, openOfficeCase } from '../cases/office-case';
import { CHECKLIST_ITEMS, CHECKLIST_LABELS } from '../prevention/model';
import { mustFindPatrol } from '../prevention/patrols';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';
import { processesOf } from './prevention-deps';

export const TASK_TYPE = 'patrol.open-case';
export { INSPECTION_PROCESS_ID } from '../cases/office-case';

/** The claim category a checklist problem is registered under. */
const CATEGORY_OF: Record<(typeof CHECKLIST_ITEMS)[number], ClaimCategory> = {
  contracts: 'no-written-contract', wageLedger: 'wage-arrears', hours: 'working-hours', socialInsurance: 'social-insurance-registration',
  childFemale: 'child-labour', rulesPosted: 'other',
};

const item = opt(z.enum(['ok', 'problem', 'na']));
export const input = z.object({
  patrolId: z.string().uuid(),
  contracts: item, wageLedger: item, hours: item, socialInsurance: item, childFemale: item, rulesPosted: item,
  problemsFound: opt(z.string()),
  followUpNote: opt(z.string()),
});
export const output = z.object({ openedCaseId: z.string().uuid(), openedCaseNumber: z.string() });

export function patrolOpenCase(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const engine = processesOf(deps);
      const actor = workerActor(TASK_TYPE);
      const opened = await inTransaction(deps.ds, async (em) => {
        const patrol = await mustFindPatrol(em, vars.patrolId);
        const now = deps.clock.now();
        const problems = CHECKLIST_ITEMS.filter((k) => vars[k] === 'problem');
        const text = [vars.problemsFound, vars.followUpNote].filter(Boolean).join('；') || '日常巡查发现违法行为';
        const { case: c, opened: isNew, processInstanceKey } = await openOfficeCase(em, engine, { rules: deps.rules, actor, now }, {
          id: derivedCaseId('patrol-case', patrol.id), officeId: patrol.officeId, employerId: patrol.employerId,
          claims: (problems.length ? problems : (['rulesPosted'] as const)).map((k) => ({ category: CATEGORY_OF[k], description: `${CHECKLIST_LABELS[k]}：${text}` })),
          summary: `日常巡查发现（${patrol.period}）：${text}`,
        });
        if (isNew) {
          await em.query('UPDATE patrols SET case_id = ? WHERE id = ?', [c.id, patrol.id]);
          await recordAudit(em, actor, now, { action: 'patrol.open-case', entityType: 'patrol', entityId: patrol.id, caseId: c.id, after: { caseNumber: c.caseNumber, processInstanceKey } });
        }
        return { caseId: c.id, caseNumber: c.caseNumber };
      });
      return job.complete({ openedCaseId: opened.caseId, openedCaseNumber: opened.caseNumber });
    },
  });
}
