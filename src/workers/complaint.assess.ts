/**
 * `complaint.assess`: the acceptance conditions (若干规定 第18条) and the suggested route, pre-filling
 * the triage form. No identifiable employer is the business outcome EMPLOYER_NOT_IDENTIFIED (→ 补正).
 * Materials completed later may name the employer's file: the case then takes its grid.
 */
import { z } from 'zod';
import { Actor, recordAudit } from '../audit/audit';
import { employerInputSchema } from '../cases/model';
import { assessCase, employerIdentified, officeCode } from '../cases/register-complaint';
import { routingTable } from '../cases/routing';
import { caseClaims, caseParties, mustFindCase, streetCodeOf, updateCase } from '../cases/store';
import { Employer } from '../db/entities';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'complaint.assess';
export const EMPLOYER_NOT_IDENTIFIED = 'EMPLOYER_NOT_IDENTIFIED';

export const input = z.object({
  caseId: z.string().uuid(),
  complaint: opt(z.record(z.string(), z.unknown())),
  receivedAt: opt(z.string()),
});

const assessmentSchema = z.object({
  withinLimitation: z.boolean(),
  employerIdentified: z.boolean(),
  withinJurisdiction: z.boolean(),
  matterTypes: z.array(z.string()),
  suggestedRoute: z.string(),
  reasons: z.array(z.string()),
});

export const output = z.object({
  assessment: assessmentSchema,
  route: z.string(),
  withinLimitation: z.boolean(),
  employerIdentified: z.boolean(),
  withinJurisdiction: z.boolean(),
  /** Only when completed materials placed the employer in a grid: its tasks go to that grid from now on. */
  gridCode: z.string().optional(),
});

export function complaintAssess(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const em = deps.ds.manager;
      const actor: Actor = workerActor(TASK_TYPE);
      const c = await mustFindCase(em, vars.caseId);
      const employer = (await caseParties(em, c.id)).find((p) => p.role === 'employer');
      // Completed materials may point at an employer file the case did not have.
      let file: Employer | null = null;
      const named = employerInputSchema.safeParse((vars.complaint ?? {}).employer);
      if (!c.employerId && named.success) {
        const e = named.data;
        if ('employerId' in e) file = await em.findOne(Employer, { where: { id: e.employerId, officeId: c.officeId } });
        else if (e.creditCode) file = await em.findOne(Employer, { where: { officeId: c.officeId, creditCode: e.creditCode } });
      }
      const fromVariable = named.success && !('employerId' in named.data) ? named.data : null;
      const identified = employerIdentified(employer ?? {}, c.employerId !== null || file !== null) || (fromVariable !== null && employerIdentified(fromVariable, false));
      const claims = (await caseClaims(em, c.id)).map((cl) => ({ category: cl.category, description: cl.description, periodTo: cl.periodTo ?? undefined }));
      const a = assessCase(deps.rules, await officeCode(em, c.officeId),
        { receivedAt: c.receivedAt, violationEndedOn: c.violationEndedOn, gridId: file?.gridId ?? c.gridId, employerIdentified: identified }, claims, await routingTable(em));
      const assessment = {
        withinLimitation: a.withinLimitation, employerIdentified: a.employerIdentified, withinJurisdiction: a.withinJurisdiction,
        matterTypes: a.matterTypes, suggestedRoute: a.suggestedRoute, reasons: a.reasons,
      };
      const now = deps.clock.now();
      const write = async (tx: typeof em) => {
        const current = await mustFindCase(tx, c.id, { lock: true });
        const changes: Parameters<typeof updateCase>[2] = {};
        if (current.suggestedRoute !== a.suggestedRoute) changes.suggestedRoute = a.suggestedRoute;
        if (file && !current.employerId) { changes.employerId = file.id; changes.gridId = file.gridId; }
        if (Object.keys(changes).length === 0) return;
        await updateCase(tx, c.id, changes, now.getTime());
        await recordAudit(tx, actor, now, { action: 'case.assess', entityType: 'case', entityId: c.id, caseId: c.id, before: { suggestedRoute: current.suggestedRoute, employerId: current.employerId }, after: { ...changes, reasons: a.reasons } });
      };
      if (!identified) return job.error({ errorCode: EMPLOYER_NOT_IDENTIFIED, errorMessage: '无法确定被投诉的用人单位', variables: { assessment }, write });
      const gridCode = file && !c.employerId ? await streetCodeOf(em, file.gridId) : null;
      return job.complete({
        assessment, route: a.suggestedRoute, withinLimitation: a.withinLimitation, employerIdentified: a.employerIdentified, withinJurisdiction: a.withinJurisdiction,
        ...(gridCode ? { gridCode } : {}),
      }, write);
    },
  });
}
