/**
 * `document.record-service`: header `documentType` (the document served). Records the service (送达)
 * from the `service-record` form, renders the 送达回证 (`service-receipt`) and answers `servedAt`, the
 * effective date periods run from (public notice: once the rule `service.publicNotice` has run, 民事诉讼法 第95条).
 * Idempotent: the same service of the same document is recorded once.
 */
import { z } from 'zod';
import { issueDocument, recordService, serviceEffectiveAt, ServiceMethod } from '../documents/documents';
import { BLANK, CONTRACT_DOCUMENT_TITLES, inspectorNames, loadCaseFacts } from '../cases/document-data';
import { isoChina, parseInstant } from '../cases/case-deadlines';
import { caseParties, mustFindCase } from '../cases/store';
import { officeCode } from '../cases/register-complaint';
import { rulesForOffice } from '../config/legal-rules';
import { recordAudit } from '../audit/audit';
import { defineWorker, opt, workerActor } from './define';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'document.record-service';
const DAY_MS = 86_400_000;

const text = opt(z.union([z.string(), z.number()]).transform(String));
export const input = z.object({
  caseId: z.string().uuid(),
  documents: opt(z.record(z.string(), z.unknown())),
  serviceMethod: opt(z.string()),
  servedAt: opt(z.union([z.string(), z.number()])),
  serviceReceiver: text,
  serviceAddress: text,
  serviceWitness: text,
  servicePhotographed: opt(z.boolean()),
  electronicConsent: opt(z.boolean()),
  serviceElectronicAddress: text,
  postalTrackingNumber: text,
  publicNoticeMedium: text,
  serviceNote: text,
  // The case's inspectors, who serve its documents: named on the 送达回证.
  leadInspector: opt(z.unknown()), secondInspector: opt(z.unknown()), otherInspectors: opt(z.unknown()),
});
export const output = z.object({ documents: z.record(z.string(), z.unknown()), servedAt: z.string() });

/** Form values → the documents module's methods and the receipt's wording. */
const METHODS: Record<string, { method: ServiceMethod; label: '直接送达' | '留置送达' | '电子送达' | '邮寄送达' | '公告送达' }> = {
  direct: { method: 'direct', label: '直接送达' },
  left: { method: 'left_with_witness', label: '留置送达' },
  electronic: { method: 'electronic', label: '电子送达' },
  post: { method: 'post', label: '邮寄送达' },
  'public-notice': { method: 'public_notice', label: '公告送达' },
};

export function documentRecordService(deps: WorkerDeps) {
  return defineWorker<typeof input, typeof output, { documentType?: string }>({
    taskType: TASK_TYPE, clock: deps.clock, input, output, timeoutMs: 120_000,
    handler: async (job, vars) => {
      const type = job.customHeaders.documentType ?? '';
      const documents = { ...(vars.documents ?? {}) } as Record<string, Record<string, unknown>>;
      const doc = documents[type];
      if (!doc) return job.fail({ errorMessage: `document.record-service: no ${type} issued in this case`, retries: 0 });
      const m = METHODS[vars.serviceMethod ?? 'direct'];
      if (!m) return job.fail({ errorMessage: `document.record-service: unknown serviceMethod '${vars.serviceMethod}'`, retries: 0 });
      const now = deps.clock.now().getTime();
      const given = parseInstant(vars.servedAt) ?? now;
      // The service-record form gives a day (YYYY-MM-DD): it stands for any moment of that day, so the
      // day the document was issued counts from the issue time, not from midnight before it.
      const dateOnly = typeof vars.servedAt === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(vars.servedAt.trim());
      const issuedAt = parseInstant(doc.issuedAt);
      if (given > now + DAY_MS) {
        return job.fail({ errorMessage: `document.record-service: the service date ${String(vars.servedAt)} is more than a day after now; correct servedAt and resolve the incident`, retries: 0 });
      }
      if (issuedAt !== null && given + (dateOnly ? DAY_MS : 0) < issuedAt - 60_000) {
        return job.fail({ errorMessage: `document.record-service: the service date ${String(vars.servedAt)} is before ${type} was issued; correct servedAt and resolve the incident`, retries: 0 });
      }
      const servedAtMs = dateOnly && issuedAt !== null && issuedAt > given && issuedAt < given + DAY_MS ? issuedAt : given;
      const c = await mustFindCase(deps.ds.manager, vars.caseId);
      const effective = serviceEffectiveAt(m.method, servedAtMs, rulesForOffice(deps.rules, await officeCode(deps.ds.manager, c.officeId)));
      const service = {
        method: m.method, servedAt: isoChina(servedAtMs), effectiveAt: isoChina(effective), receiver: vars.serviceReceiver ?? null,
        witness: vars.serviceWitness ?? null, address: vars.serviceAddress ?? vars.serviceElectronicAddress ?? null,
      };
      documents[type] = { ...doc, service, servedAt: isoChina(effective) };
      const documentId = typeof doc.id === 'string' ? doc.id : null;
      const employer = (await caseParties(deps.ds.manager, c.id)).find((p) => p.role === 'employer');
      const servers = inspectorNames(await loadCaseFacts(deps.ds.manager, c), vars) ?? BLANK;
      const answer: Record<string, unknown> = { documents, servedAt: isoChina(effective) };
      return job.complete(answer, async (em) => {
        if (!documentId) return;
        const existing: { id: string }[] = await em.query('SELECT id FROM document_services WHERE document_id = ? AND method = ? AND served_at = ?', [documentId, m.method, servedAtMs]);
        if (!existing.length) {
          await recordAudit(em, workerActor(TASK_TYPE), new Date(now), {
            action: 'document.service', entityType: 'document', entityId: documentId, caseId: c.id, after: { documentType: type, ...service },
          });
          await recordService(em, documentId, {
            method: m.method, servedAt: servedAtMs, recordedBy: 'system', recordedAt: now,
            ...(vars.serviceReceiver ? { receiver: vars.serviceReceiver } : m.method === 'direct' ? { receiver: employer?.legalRepresentative ?? employer?.name ?? '受送达人' } : {}),
            ...(vars.serviceWitness ? { witness: vars.serviceWitness } : m.method === 'left_with_witness' && vars.servicePhotographed ? {} : m.method === 'left_with_witness' ? { witness: '见证人' } : {}),
            ...(m.method === 'electronic' ? { consent: vars.electronicConsent === true, address: vars.serviceElectronicAddress ?? vars.serviceAddress } : {}),
            ...(vars.postalTrackingNumber ? { trackingNumber: vars.postalTrackingNumber } : {}),
            ...(vars.publicNoticeMedium ? { noticeMedium: vars.publicNoticeMedium } : {}),
            ...(vars.serviceNote ? { notes: vars.serviceNote } : {}),
          }, deps.rules);
        }
        const receipt = await issueDocument(em, {
          officeId: c.officeId, caseId: c.id, typeId: 'service-receipt', issuedBy: 'system', issuedAt: now,
          idempotencyKey: `process:${job.processInstanceKey}:${job.elementId}:${job.elementInstanceKey}`, processInstanceKey: job.processInstanceKey, elementId: job.elementId,
          data: {
            servedDocumentTitle: String(doc.title ?? CONTRACT_DOCUMENT_TITLES[type] ?? type), servedDocumentNumber: String(doc.number ?? '—'),
            recipient: employer?.name ?? '受送达人', address: vars.serviceAddress ?? employer?.address ?? '—', method: m.label,
            servedAt: isoChina(servedAtMs).slice(0, 16), ...(vars.serviceReceiver ? { receiver: vars.serviceReceiver } : {}),
            ...(vars.serviceWitness ? { witness: vars.serviceWitness } : {}), servers, ...(vars.serviceNote ? { remarks: vars.serviceNote } : {}),
          },
        });
        documents['service-receipt'] = { id: receipt.id, number: receipt.number, templateVersion: receipt.templateVersion, issuedAt: isoChina(receipt.issuedAt), title: '送达回证', servedDocument: type };
      });
    },
  });
}
