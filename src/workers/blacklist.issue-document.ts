/**
 * `blacklist.issue-document`: header `documentType` (one of the listing documents). Issues the
 * document of a step of the listing procedure (人社部令第45号) from the listing on file and its case,
 * numbered and stored like every other document, under the idempotency key of the element instance.
 * Answers `documents` with the entry the service step and later documents read (its number).
 */
import { z } from 'zod';
import { issueDocument } from '../documents/documents';
import { findDocumentType } from '../documents/document-types';
import { isoChina } from '../cases/case-deadlines';
import { officeCode } from '../cases/register-complaint';
import { rulesForOffice } from '../config/legal-rules';
import { recordAudit } from '../audit/audit';
import { findListing } from '../credit/listings';
import { LISTING_DOCUMENT_TYPES, listingDocumentData, type ListingDocumentType } from '../credit/listing-documents';
import { defineWorker, opt, workerActor } from './define';
import { BadData, configurationProblem } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'blacklist.issue-document';

export const input = z.object({
  caseId: z.string().uuid(),
  listingId: z.string().uuid(),
  documents: opt(z.record(z.string(), z.unknown())),
  deadlines: opt(z.record(z.string(), z.unknown())),
  leadInspector: opt(z.unknown()), contactPhone: opt(z.unknown()), listedAt: opt(z.unknown()),
  defenceAssessment: opt(z.unknown()), decisionReasons: opt(z.unknown()), repairOpinion: opt(z.unknown()),
  repairCheck: opt(z.unknown()), repairAppliedAt: opt(z.unknown()),
});

const entry = z.object({ id: z.string().nullable(), number: z.string().nullable(), templateVersion: z.number().nullable(), issuedAt: z.string() }).passthrough();
export const output = z.object({ documents: z.record(z.string(), entry) });

export function blacklistIssueDocument(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { documentType?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output, timeoutMs: 120_000,
    handler: async (job, vars) => {
      const type = (job.customHeaders.documentType ?? '') as ListingDocumentType;
      if (!LISTING_DOCUMENT_TYPES.includes(type)) return job.fail({ errorMessage: configurationProblem(TASK_TYPE, '文书种类不存在'), retries: 0 });
      const em = deps.ds.manager;
      const listing = await findListing(em, vars.listingId);
      if (!listing || listing.case_id !== vars.caseId) throw new BadData('失信名单记录与本案不符，请联系系统管理员');
      const now = deps.clock.now().getTime();
      const rules = rulesForOffice(deps.rules, await officeCode(em, listing.office_id));
      const data = await listingDocumentData(em, rules, listing, type, vars as Record<string, unknown>, now);
      const title = findDocumentType(type)?.title ?? '文书';
      const documents = { ...(vars.documents ?? {}) } as Record<string, Record<string, unknown>>;
      return job.complete({ documents }, async (tx) => {
        const d = await issueDocument(tx, {
          officeId: listing.office_id, caseId: listing.case_id, typeId: type, data, issuedBy: 'system', issuedAt: now,
          idempotencyKey: `process:${job.processInstanceKey}:${job.elementId}:${job.elementInstanceKey}`, processInstanceKey: job.processInstanceKey, elementId: job.elementId,
        });
        documents[type] = { id: d.id, number: d.number, templateVersion: d.templateVersion, issuedAt: isoChina(d.issuedAt), title };
        await recordAudit(tx, workerActor(TASK_TYPE), new Date(now), {
          action: 'document.issue', entityType: 'document', entityId: d.id, caseId: listing.case_id, after: { documentType: type, number: d.number, listingId: listing.id },
        });
      });
    },
  });
}
