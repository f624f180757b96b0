/**
 * `document.record-service`: header `documentType` (the document served). Records the service (送达)
 * from the `service-record` form, renders the 送达回证 (`service-receipt`) and answers `servedAt`, the
 * effective date periods run from (public notice: once the rule `service.publicNotice` has run, 民事诉讼法 第95条).
 * One record per document: when the document was already served on the case page, the step reads
 * that record (its method and date) and writes no second one. A service date the rule of
 * src/documents/service-date.ts refuses is bad data: an incident at once, in Chinese, that the case
 * page repairs (correct 送达日期, retry).
 */
import { z } from 'zod';
import { issueDocument, recordService, serviceEffectiveAt, ServiceMethod } from '../documents/documents';
import { checkServiceDate } from '../documents/service-date';
import { FORM_METHOD_OF, serviceOf } from '../documents/service-record';
import { BLANK, CONTRACT_DOCUMENT_TITLES, inspectorNames, loadCaseFacts } from '../cases/document-data';
import { isoChina, parseInstant } from '../cases/case-deadlines';
import { caseParties, mustFindCase } from '../cases/store';
import { officeCode } from '../cases/register-complaint';
import { rulesForOffice } from '../config/legal-rules';
import { recordAudit } from '../audit/audit';
import { defineWorker, opt, workerActor } from './define';
import { configurationProblem } from './failure';
import type { WorkerDeps } from './deps';

export const TASK_TYPE = 'document.record-service';

// A field the user left empty is absent: an empty 送达地址 falls back to the employer's address.
const text = opt(z.union([z.string(), z.number()]).transform((v) => String(v).trim() || undefined));
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
      const title = String(doc?.title ?? CONTRACT_DOCUMENT_TITLES[type] ?? '文书');
      if (!doc) return job.fail({ errorMessage: configurationProblem(TASK_TYPE, `本案尚未出具《${title}》`), retries: 0 });
      const documentId = typeof doc.id === 'string' ? doc.id : null;
      const now = deps.clock.now().getTime();
      // Served already on the case page: that record is the service; its values stand.
      const recorded = documentId ? await serviceOf(deps.ds.manager, documentId) : null;
      if (recorded) Object.assign(vars, { serviceMethod: FORM_METHOD_OF[recorded.method], servedAt: recorded.servedAt, serviceReceiver: recorded.receiver ?? vars.serviceReceiver });
      const m = METHODS[vars.serviceMethod ?? 'direct'];
      if (!m) return job.fail({ errorMessage: '送达方式无法识别，请更正送达方式后重试', retries: 0 });
      let servedAtMs: number;
      if (recorded) servedAtMs = recorded.servedAt;
      else {
        const checked = checkServiceDate(vars.servedAt ?? now, { issuedAt: parseInstant(doc.issuedAt), documentTitle: title, now, daysAhead: deps.serviceDateDaysAhead ?? 0 });
        if (!checked.ok) return job.fail({ errorMessage: checked.message, retries: 0 });
        servedAtMs = checked.servedAt;
      }
      const c = await mustFindCase(deps.ds.manager, vars.caseId);
      const effective = serviceEffectiveAt(m.method, servedAtMs, rulesForOffice(deps.rules, await officeCode(deps.ds.manager, c.officeId)));
      const service = {
        method: m.method, servedAt: isoChina(servedAtMs), effectiveAt: isoChina(effective), receiver: vars.serviceReceiver ?? null,
        witness: vars.serviceWitness ?? null, address: vars.serviceAddress ?? vars.serviceElectronicAddress ?? null,
      };
      documents[type] = { ...doc, service, servedAt: isoChina(effective) };
      const employer = (await caseParties(deps.ds.manager, c.id)).find((p) => p.role === 'employer');
      const servers = inspectorNames(await loadCaseFacts(deps.ds.manager, c), vars) ?? BLANK;
      const answer: Record<string, unknown> = { documents, servedAt: isoChina(effective) };
      return job.complete(answer, async (em) => {
        if (!documentId) return;
        // Delivered again after the record was written (at least once), or served on the case page meanwhile: one record.
        const existing: { id: string }[] = await em.query('SELECT id FROM document_services WHERE document_id = ?', [documentId]);
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
