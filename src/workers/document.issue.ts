/**
 * `document.issue`: header `documentType` (a contract type). The data comes from the case on file
 * and the variables the forms collected; the document is issued in the step's transaction under the
 * idempotency key of the element instance, so a redelivered job issues one document and re-entering
 * the element (a second notice after a revised proposal) issues a new one.
 */
import { z } from 'zod';
import { issueDocument } from '../documents/documents';
import { documentData, CONTRACT_DOCUMENT_TITLES, loadCaseFacts, REGISTRY_TYPE } from '../cases/document-data';
import { isoChina } from '../cases/case-deadlines';
import { mustFindCase } from '../cases/store';
import { recordAudit } from '../audit/audit';
import { defineWorker, opt, workerActor } from './define';
import { configurationProblem } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'document.issue';

/** The variables templates draw on (the forms' fields); everything else comes from the case. */
export const input = z.object({
  caseId: z.string().uuid(),
  documents: opt(z.record(z.string(), z.unknown())),
  assessment: opt(z.unknown()), nonAcceptanceReason: opt(z.unknown()), competentBody: opt(z.unknown()), completionItems: opt(z.unknown()),
  handlerOpinion: opt(z.unknown()), leadInspector: opt(z.unknown()), secondInspector: opt(z.unknown()),
  findings: opt(z.unknown()), evidence: opt(z.unknown()), violations: opt(z.unknown()), workersOwed: opt(z.unknown()), amountOwed: opt(z.unknown()),
  correctionDays: opt(z.unknown()), correctionRequirements: opt(z.unknown()),
  handlingFacts: opt(z.unknown()), handlingBasis: opt(z.unknown()), handlingContent: opt(z.unknown()),
  penaltyFacts: opt(z.unknown()), penaltyReasons: opt(z.unknown()), penaltyBasis: opt(z.unknown()), penaltyTypes: opt(z.unknown()),
  proposedFineAmount: opt(z.unknown()), approvedFineAmount: opt(z.unknown()), penaltyAssessment: opt(z.unknown()), statementSummary: opt(z.unknown()),
  hearingAt: opt(z.unknown()), hearingLocation: opt(z.unknown()), hearingHost: opt(z.unknown()), hearingClerk: opt(z.unknown()), hearingPublic: opt(z.unknown()),
  hearingRequestedAt: opt(z.unknown()),
  policeAgency: opt(z.unknown()), referralReport: opt(z.unknown()),
  preservationCourt: opt(z.unknown()), applicantName: opt(z.unknown()), applicantAddress: opt(z.unknown()), applicantPhone: opt(z.unknown()),
  preservationRequest: opt(z.unknown()), preservationAmount: opt(z.unknown()), preservationFacts: opt(z.unknown()), assetLeads: opt(z.unknown()),
  securityNote: opt(z.unknown()), abscondNote: opt(z.unknown()),
  arbitrationCommission: opt(z.unknown()), arbitrationFindings: opt(z.unknown()),
  closureSummary: opt(z.unknown()), amountRecovered: opt(z.unknown()), workersBenefited: opt(z.unknown()), investigationOutcome: opt(z.unknown()),
  transferTarget: opt(z.unknown()), transferReason: opt(z.unknown()), reconsiderationReason: opt(z.unknown()), procuratorate: opt(z.unknown()),
  procuratorateReason: opt(z.unknown()), enforcementCourt: opt(z.unknown()),
  deadlines: opt(z.unknown()), contactPerson: opt(z.unknown()), contactPhone: opt(z.unknown()), inquiryAt: opt(z.unknown()), inquiryPlace: opt(z.unknown()),
  teamLead: opt(z.unknown()), teamMember: opt(z.unknown()), teamOthers: opt(z.unknown()), transferredAt: opt(z.unknown()),
  policeDecisionNumber: opt(z.unknown()), policeDecisionAt: opt(z.unknown()), reconsiderationResult: opt(z.unknown()),
  lateFee: opt(z.unknown()), arbitrationMaterials: opt(z.unknown()),
});

const entry = z.object({ id: z.string().nullable(), number: z.string().nullable(), templateVersion: z.number().nullable(), issuedAt: z.string() }).passthrough();
export const output = z.object({
  documents: z.record(z.string(), entry),
  lastDocument: z.object({ id: z.string().nullable(), documentType: z.string(), title: z.string(), number: z.string().nullable() }),
});

export function documentIssue(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { documentType?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output, timeoutMs: 120_000,
    handler: async (job, vars) => {
      const type = job.customHeaders.documentType ?? '';
      if (!Object.hasOwn(REGISTRY_TYPE, type)) return job.fail({ errorMessage: configurationProblem(TASK_TYPE, '文书种类不存在'), retries: 0 });
      const now = deps.clock.now().getTime();
      const c = await mustFindCase(deps.ds.manager, vars.caseId);
      const built = documentData(type, await loadCaseFacts(deps.ds.manager, c), vars as Record<string, unknown>, now);
      const documents = { ...(vars.documents ?? {}) } as Record<string, Record<string, unknown>>;
      const title = CONTRACT_DOCUMENT_TITLES[type] ?? type;
      // Every contract type has a registry type; a missing one is a programming error, not a retry.
      if (!built) return job.fail({ errorMessage: configurationProblem(TASK_TYPE, '该文书种类没有对应的文书数据'), retries: 0 });
      const idempotencyKey = `process:${job.processInstanceKey}:${job.elementId}:${job.elementInstanceKey}`;
      let issued: { id: string; number: string; templateVersion: number; issuedAt: number } | null = null;
      // The document is issued inside the step; its number is known only there, so the variables are
      // completed from what the transaction wrote (see the engine's write-before-complete order).
      const answer: Record<string, unknown> = { documents, lastDocument: { id: null, documentType: type, title, number: null } };
      return job.complete(answer, async (em) => {
        const d = await issueDocument(em, {
          officeId: c.officeId, caseId: c.id, typeId: built.typeId, data: built.data, issuedBy: 'system', issuedAt: now, idempotencyKey,
          processInstanceKey: job.processInstanceKey, elementId: job.elementId,
        });
        issued = { id: d.id, number: d.number, templateVersion: d.templateVersion, issuedAt: d.issuedAt };
        documents[type] = { id: issued.id, number: issued.number, templateVersion: issued.templateVersion, issuedAt: isoChina(issued.issuedAt), title };
        answer.lastDocument = { id: issued.id, documentType: type, title, number: issued.number };
        await recordAudit(em, workerActor(TASK_TYPE), new Date(now), {
          action: 'document.issue', entityType: 'document', entityId: d.id, caseId: c.id, after: { documentType: type, typeId: d.typeId, number: d.number, templateVersion: d.templateVersion },
        });
      });
    },
  });
}
