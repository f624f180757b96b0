/**
 * `penalty.assess`: whether the party may ask for a hearing (行政处罚法 第63条: a fine at or above the
 * province's figure for its party type, or a penalty other than a fine or warning), and whether legal
 * review (第58条) and collective discussion (第57条) are required (major cases). It also reads the
 * discretion standard (the `penalty-discretion` decision table, its latest version when the case is
 * assessed) for the proposed fine and its range, and points out a handler's figure outside the range.
 * A table that is missing or fails is an incident in Chinese: fixed and deployed, the job is retried.
 */
import { z } from 'zod';
import { rulesForOffice } from '../config/legal-rules';
import { officeCode } from '../cases/register-complaint';
import { mustFindCase } from '../cases/store';
import { discretionReasons, DiscretionUnavailable, proposeFine } from '../cases/penalty-discretion';
import { BadData } from './failure';
import { defineWorker, opt } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'penalty.assess';

export const input = z.object({
  caseId: z.string().uuid(),
  partyType: opt(z.enum(['organisation', 'individual'])),
  proposedFineAmount: opt(z.coerce.number().nonnegative()),
  penaltyTypes: opt(z.union([z.array(z.string()), z.string()])),
  isMajorCase: opt(z.boolean()),
  penaltyBasis: opt(z.string()),
});
export const output = z.object({
  penaltyAssessment: z.object({
    hearingEligible: z.boolean(), legalReviewRequired: z.boolean(), collectiveDiscussionRequired: z.boolean(), hearingThreshold: z.number(), reasons: z.array(z.string()),
    discretion: z.object({
      decisionVersion: z.number(), workerCount: z.number(), amountOwed: z.number(), isRepeat: z.boolean(),
      proposedFine: z.number(), fineMin: z.number(), fineMax: z.number(),
      items: z.array(z.object({ violationKind: z.string(), violationLabel: z.string(), level: z.string(), fineMin: z.number(), fineMax: z.number(), proposedFine: z.number(), source: z.string() })),
    }),
  }),
});

/** Penalties that give a hearing right whatever the amount (第63条第1款第2–6项). */
const HEARING_PENALTIES = ['confiscation', 'license-suspension', 'license-revocation', 'production-suspension', 'business-closure', 'qualification-restriction'];

export function penaltyAssess(deps: WorkerDeps) {
  return defineWorker({
    taskType: TASK_TYPE, clock: deps.clock, input, output,
    handler: async (job, vars) => {
      const c = await mustFindCase(deps.ds.manager, vars.caseId);
      const rules = rulesForOffice(deps.rules, await officeCode(deps.ds.manager, c.officeId));
      const party = vars.partyType ?? 'organisation';
      const threshold = rules[party === 'individual' ? 'punishment.hearingThreshold.individual' : 'punishment.hearingThreshold.organisation'];
      const fine = vars.proposedFineAmount ?? 0;
      const types = Array.isArray(vars.penaltyTypes) ? vars.penaltyTypes : vars.penaltyTypes ? vars.penaltyTypes.split(',') : [];
      const heavy = types.some((t) => HEARING_PENALTIES.includes(t.trim()));
      const hearingEligible = fine >= threshold.value || heavy;
      const major = vars.isMajorCase === true;
      const reasons = [
        hearingEligible ? `拟罚款${fine}元${heavy ? '或拟作出其他较重处罚' : ''}，达到听证标准（${threshold.value}元，${threshold.source}），当事人有权要求听证` : `拟罚款${fine}元，未达到听证标准（${threshold.value}元）`,
        major ? '重大案件：须经法制审核（行政处罚法 第58条）并由负责人集体讨论决定（第57条）' : '非重大案件：无须法制审核和集体讨论',
      ];
      // 条例 第30条第1款第3项 (refusing an order to correct, the basis the prior notice cites unless another
      // is given) fines within a range: a figure outside it is pointed out to the reviewer.
      const [min, max] = [rules['correction.refusalFine.min'], rules['correction.refusalFine.max']];
      if (fine > 0 && (!vars.penaltyBasis || /第(三十|30)条/.test(vars.penaltyBasis)) && (fine < min.value || fine > max.value)) {
        reasons.push(`拟罚款${fine}元不在拒不改正的罚款幅度（${min.value}–${max.value}元，${min.source}）内，请核对处罚依据和数额`);
      }
      const discretion = await proposeFine(deps.ds.manager, c, rules, deps.clock.now()).catch((e: unknown) => {
        throw e instanceof DiscretionUnavailable ? new BadData(e.message) : e;
      });
      reasons.push(...discretionReasons(discretion, fine));
      return job.complete({ penaltyAssessment: { hearingEligible, legalReviewRequired: major, collectiveDiscussionRequired: major, hearingThreshold: threshold.value, reasons, discretion } });
    },
  });
}
