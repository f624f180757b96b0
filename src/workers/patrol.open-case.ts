/**
 * `patrol.open-case`: an inspection case opened by the office itself (主动检查) from a patrol's
 * findings: the case is registered as a grid officer's report against the employer on file, its
 * acceptance deadline computed, and `inspection-case` started directly (workflows/README.md), all in
 * one transaction under keys derived from the patrol, so a redelivery finds the same case.
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
import { CHECKLIST_ITEMS, CHECKLIST_LABELS } from '../prevention/model';
import { mustFindPatrol } from '../prevention/patrols';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';
import { processesOf } from './prevention-deps';

export const TASK_TYPE = 'patrol.open-case';
export const INSPECTION_PROCESS_ID = 'inspection-case';

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

/** A stable case id for a patrol, so that opening twice finds the first case. */
function caseIdForPatrol(patrolId: string): string {
  const h = crypto.createHash('sha256').update(`patrol-case:${patrolId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function patrolOpenCase(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const engine = processesOf(deps);
      const actor = workerActor(TASK_TYPE);
      const opened = await inTransaction(deps.ds, async (em) => {
        const patrol = await mustFindPatrol(em, vars.patrolId);
        const id = caseIdForPatrol(patrol.id);
        const existing = await findCase(em, id);
        if (existing) return { caseId: existing.id, caseNumber: existing.caseNumber };
        const now = deps.clock.now();
        const problems = CHECKLIST_ITEMS.filter((k) => vars[k] === 'problem');
        const text = [vars.problemsFound, vars.followUpNote].filter(Boolean).join('；') || '日常巡查发现违法行为';
        const complaint = complaintSchema.parse({
          kind: 'report', channel: 'grid', receivedAt: now.getTime(), employer: { employerId: patrol.employerId },
          claims: (problems.length ? problems : (['rulesPosted'] as const)).map((k) => ({ category: CATEGORY_OF[k], description: `${CHECKLIST_LABELS[k]}：${text}`.slice(0, 5000) })),
          summary: `日常巡查发现（${patrol.period}）：${text}`,
        });
        const rules = deps.rules;
        const { case: c } = await createCase(em, { officeId: patrol.officeId, actor, now, rules }, complaint, id);
        const ruleSet = rulesForOffice(rules, await officeCode(em, c.officeId));
        const acceptance = computeContractDeadline('acceptance', {
          cal: await loadCalendarData(em), rules: ruleSet, now: now.getTime(), variables: { receivedAt: c.receivedAt, isWageArrears: c.wageArrears }, filedAt: null,
        }, {});
        await storeCaseDeadline(em, c.id, acceptance, { processInstanceKey: null, elementId: null, now: now.getTime() });
        const employerRow: Record<string, unknown>[] = await em.query('SELECT name, credit_code, address FROM employers WHERE id = ?', [patrol.employerId]);
        const started = await engine.createInstance({
          bpmnProcessId: INSPECTION_PROCESS_ID, businessKey: c.id,
          variables: {
            caseId: c.id, caseNumber: c.caseNumber, gridCode: (await streetCodeOf(em, c.gridId)) ?? 'handler', receivedAt: isoChina(c.receivedAt),
            employer: { name: String(employerRow[0].name), creditCode: employerRow[0].credit_code ?? null, address: employerRow[0].address ?? null },
            channel: 'grid', summary: c.summary, isWageArrears: c.wageArrears, deadlines: { acceptance: acceptance.process },
          },
        }, em);
        await recordCaseProcess(em, c.id, started.processInstanceKey, INSPECTION_PROCESS_ID, 'main', now.getTime());
        await em.query('UPDATE patrols SET case_id = ? WHERE id = ?', [c.id, patrol.id]);
        await recordAudit(em, actor, now, { action: 'patrol.open-case', entityType: 'patrol', entityId: patrol.id, caseId: c.id, after: { caseNumber: c.caseNumber, processInstanceKey: started.processInstanceKey } });
        return { caseId: c.id, caseNumber: c.caseNumber };
      });
      return job.complete({ openedCaseId: opened.caseId, openedCaseNumber: opened.caseNumber });
    },
  });
}
