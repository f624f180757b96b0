/**
 * `case.register`: the case the intake process is about. When POST /api/complaints started the
 * process the case exists and is answered as it is; a process started directly with a `complaint`
 * registers it here, under an id derived from the process instance so a redelivered job finds it.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import { inTransaction } from '../db/data-source';
import { complaintSchema } from '../cases/model';
import { createCase } from '../cases/register-complaint';
import { isWageArrears } from '../cases/routing';
import { caseClaims, caseParties, findCase, mustFindCase, streetCodeOf } from '../cases/store';
import { isoChina } from '../cases/case-deadlines';
import { defineWorker, opt, workerActor } from './define';
import { variablesProblem } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'case.register';

export const input = z.object({
  caseId: opt(z.string().uuid()),
  complaint: opt(z.record(z.string(), z.unknown())),
});

export const output = z.object({
  caseId: z.string().uuid(),
  caseNumber: z.string().min(1),
  gridCode: z.string().min(1),
  receivedAt: z.string(),
  employer: z.object({ name: z.string(), creditCode: z.string().nullable(), address: z.string().nullable() }),
  channel: z.string(),
  summary: z.string(),
  isWageArrears: z.boolean(),
});

/** Tasks of a case that is in no grid go to every handler. */
export const NO_GRID_GROUP = 'handler';

/** A stable case id for a process instance, so that registering twice finds the first registration. */
export function caseIdForInstance(processInstanceKey: string): string {
  const h = crypto.createHash('sha256').update(`case:${processInstanceKey}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function caseRegister(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      let caseId = vars.caseId ?? null;
      if (!caseId) {
        const complaint = complaintSchema.safeParse(vars.complaint ?? {});
        if (!complaint.success) {
          return job.fail({ errorMessage: variablesProblem(TASK_TYPE, [...new Set(complaint.error.issues.map((i) => i.path.join('.') || '投诉'))]), retries: 0 });
        }
        const id = caseIdForInstance(job.processInstanceKey);
        const officeRows: { id: string }[] = await deps.ds.query('SELECT id FROM offices ORDER BY created_at LIMIT 1');
        if (!officeRows[0]) return job.fail({ errorMessage: '系统中尚未登记监察机构，无法登记案件；请系统管理员先登记本机构后重试', retries: 0 });
        // Registered in its own transaction: the number must be known before the step completes.
        await inTransaction(deps.ds, async (em) => {
          if (await findCase(em, id)) return;
          await createCase(em, { officeId: officeRows[0].id, actor: workerActor(TASK_TYPE), now: deps.clock.now(), rules: deps.rules }, complaint.data, id);
        });
        caseId = id;
      }
      const em = deps.ds.manager;
      const c = await mustFindCase(em, caseId);
      const employer = (await caseParties(em, caseId)).find((p) => p.role === 'employer');
      const claims = await caseClaims(em, caseId);
      return job.complete({
        caseId, caseNumber: c.caseNumber, gridCode: (await streetCodeOf(em, c.gridId)) ?? NO_GRID_GROUP, receivedAt: isoChina(c.receivedAt),
        employer: { name: employer?.name ?? '', creditCode: employer?.creditCode ?? null, address: employer?.address ?? null },
        channel: c.channel, summary: c.summary, isWageArrears: c.wageArrears || isWageArrears(claims),
      });
    },
  });
}
