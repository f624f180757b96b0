/**
 * Issued documents (record, PDF, HTML, service) and the templates they are made from. A document of a
 * case is visible to whoever sees the case; templates are read by everyone and changed by legal staff.
 */
import Router from '@koa/router';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { allowed, authorize, decide, DocumentRef } from '../../auth/policy';
import { caseRefById } from '../../cases/case-refs';
import { Principal } from '../../auth/principal';
import { inTransaction } from '../../db/data-source';
import {
  DocumentRecord, getDocument, getServiceProof, getTemplate, listServices, listTemplates, listTemplateVersions, previewTemplate, renderDocument, saveTemplate,
} from '../../documents/documents';
import { errors, isAppError } from '../../errors';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { checkServiceDate } from '../../documents/service-date';
import { recordServiceOnce, serviceFormVariables, waitingServiceTask } from '../../documents/service-record';
import { calendarDate, offsetDateTime, parseInput, uuidParam } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

const typeParam = z.strictObject({ typeId: z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'a document type id') });
const serviceParam = z.strictObject({ id: z.string().uuid(), serviceId: z.string().uuid() });
const serviceBody = z.strictObject({
  method: z.enum(['direct', 'left_with_witness', 'electronic', 'post', 'public_notice']),
  /** A moment with its offset, or a day (YYYY-MM-DD, China time) as date-only forms give it. */
  servedAt: z.union([calendarDate(), offsetDateTime()]),
  receiver: z.string().optional(),
  witness: z.string().optional(),
  consent: z.boolean().optional(),
  address: z.string().optional(),
  trackingNumber: z.string().optional(),
  noticeMedium: z.string().optional(),
  notes: z.string().optional(),
  proof: z.strictObject({ name: z.string().min(1).max(255), mediaType: z.string().max(100), contentBase64: z.string() }).optional(),
});
const templateBody = z.strictObject({ body: z.string().min(1).max(200_000) });
const previewBody = z.strictObject({ body: z.string().min(1).max(200_000).optional() });
const versionQuery = z.strictObject({ version: z.coerce.number().int().positive().optional() });

/**
 * Proof files are served from the service's own origin, so only kinds a browser shows without running
 * anything are taken, and only when the bytes are what the declared type says (a "PDF" that is HTML
 * would otherwise be a stored script).
 */
const PROOF_TYPES: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
};

function checkProof(proof: { mediaType: string; contentBase64: string }): void {
  const type = proof.mediaType.split(';')[0].trim().toLowerCase();
  const matches = PROOF_TYPES[type];
  if (!matches) {
    throw errors.badRequest('PROOF_TYPE_REFUSED', `A proof of service must be ${Object.keys(PROOF_TYPES).join(', ')}.`, [{ path: 'body.proof.mediaType', message: 'not an accepted file type' }]);
  }
  // The first bytes are enough to tell the kind; 16 base64 characters decode to 12 bytes.
  if (!matches(Buffer.from(proof.contentBase64.slice(0, 16), 'base64'))) {
    throw errors.badRequest('PROOF_TYPE_REFUSED', `The proof's content is not a ${type} file.`, [{ path: 'body.proof.contentBase64', message: `content does not match ${type}` }]);
  }
}

/** What the document policy decides on: the document's office and case. A case that is gone hides its documents. */
async function documentRef(em: EntityManager, doc: DocumentRecord): Promise<DocumentRef | null> {
  if (!doc.caseId) return { officeId: doc.officeId, case: null, gridId: doc.gridId };
  const c = await caseRefById(em, doc.caseId);
  return c ? { officeId: doc.officeId, case: c } : null;
}

export function documentRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);
  router.use(async (ctx, next) => {
    await next();
    // Documents name the parties with their ID numbers: no browser or proxy keeps a copy.
    if (ctx.path.startsWith('/api/documents')) ctx.set('Cache-Control', 'no-store');
  });

  async function visibleDocument(p: Principal, id: string): Promise<DocumentRecord & { ref: DocumentRef }> {
    let doc: DocumentRecord;
    try {
      doc = await getDocument(deps.ds.manager, id);
    } catch (e) {
      if (isAppError(e) && e.status === 404) throw errors.notFound('document', id);
      throw e;
    }
    const ref = await documentRef(deps.ds.manager, doc);
    if (!ref || decide(p, 'document.read', ref) !== 'allow') throw errors.notFound('document', id);
    return Object.assign(doc, { ref });
  }

  router.get('/documents/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const doc = await visibleDocument(principal, id);
    const { ref, ...record } = doc;
    // The case page offers 记录送达 only to who may record it (a grid officer reads the case but does not serve).
    ctx.body = { ...record, services: await listServices(deps.ds.manager, id), mayRecordService: allowed(principal, 'document.recordService', ref) };
  });

  router.get('/documents/:id/pdf', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const doc = await visibleDocument(principal, id);
    ctx.type = 'application/pdf';
    ctx.set('Content-Disposition', `inline; filename="${encodeURIComponent(doc.number)}.pdf"; filename*=UTF-8''${encodeURIComponent(doc.title + ' ' + doc.number)}.pdf`);
    ctx.body = await renderDocument(deps.ds.manager, id, 'pdf');
  });

  router.get('/documents/:id/html', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    await visibleDocument(principal, id);
    ctx.type = 'text/html; charset=utf-8';
    // The document is shown as a page of its own; its values are escaped, and no script may run in it.
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:");
    ctx.body = await renderDocument(deps.ds.manager, id, 'html');
  });

  router.post('/documents/:id/service', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const input = parseInput(serviceBody, ctx.request.body, 'body');
    if (input.proof) checkProof(input.proof);
    const doc = await visibleDocument(principal, id);
    authorize(principal, 'document.recordService', doc.ref);
    const now = deps.clock.now();
    // The same rule as the service form and the service step (src/documents/service-date.ts).
    const checked = checkServiceDate(input.servedAt, { issuedAt: doc.issuedAt, documentTitle: doc.title, now: now.getTime(), daysAhead: deps.settings.SERVICE_DATE_DAYS_AHEAD });
    if (!checked.ok) throw errors.validation(checked.message, [{ path: 'body.servedAt', message: checked.message }]);
    // The workflow waiting to serve this document moves on with this record: one service, not two.
    // The record and the task's completion commit together or not at all: the embedded engine completes
    // the task as a step of this transaction (the `em` it is given), so a refused completion, or a
    // failure after it, leaves no record and the task waiting. With ENGINE=zeebe the completion is the
    // cluster's REST call, made inside this transaction but not undone by its rollback: a refusal still
    // leaves no record, while a commit that fails after Zeebe accepted the completion leaves the task
    // completed without it; the service step (document.record-service) then finds no record and writes
    // it from the form's values, which are this record's — the two idempotent steps Zeebe allows.
    // Looked up before the transaction: the engine reads through its own connection.
    const task = doc.caseId ? await waitingServiceTask(deps.ds.manager, deps.engine, doc.caseId, doc) : null;
    const record = await inTransaction(deps.ds, async (em) => {
      const r = await recordServiceOnce(em, id, { ...input, servedAt: checked.servedAt, recordedBy: principal.username, recordedAt: now.getTime() });
      await recordAudit(em, actor, now, { action: 'document.service', entityType: 'document', entityId: id, caseId: doc.caseId, after: r });
      if (task) {
        const variables = serviceFormVariables(r);
        await deps.engine.completeTask(task.key, variables, principal.username, em);
        await recordAudit(em, actor, now, { action: 'task.complete', entityType: 'task', entityId: task.key, caseId: doc.caseId, after: { elementId: task.elementId, name: task.name, variables, from: 'document.service' } });
      }
      return { ...r, completedTask: task ? { key: task.key, name: task.name } : null };
    });
    ctx.status = 201;
    ctx.body = record;
  });

  router.get('/documents/:id/service/:serviceId/proof', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id, serviceId } = parseInput(serviceParam, ctx.params, 'params');
    await visibleDocument(principal, id);
    const services = await listServices(deps.ds.manager, id);
    if (!services.some((s) => s.id === serviceId)) throw errors.notFound('service record', serviceId);
    const proof = await getServiceProof(deps.ds.manager, serviceId);
    // Files stored before uploads were checked may be anything: never shown inline, never sniffed,
    // never run (the sandbox also keeps a file opened directly away from the session's origin).
    const type = proof.mediaType.split(';')[0].trim().toLowerCase();
    ctx.type = PROOF_TYPES[type] ? type : 'application/octet-stream';
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(proof.name)}`);
    ctx.body = proof.content;
  });

  router.get('/templates', async (ctx) => {
    parseInput(z.strictObject({}), ctx.query, 'query');
    ctx.body = { items: await listTemplates(deps.ds.manager) };
  });

  router.get('/templates/:typeId', async (ctx) => {
    const { typeId } = parseInput(typeParam, ctx.params, 'params');
    const { version } = parseInput(versionQuery, ctx.query, 'query');
    const template = await getTemplate(deps.ds.manager, typeId, version);
    ctx.body = { ...template, versions: (await listTemplateVersions(deps.ds.manager, typeId)).map(({ body: _body, ...v }) => v) };
  });

  router.post('/templates/:typeId', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'template.edit');
    const { typeId } = parseInput(typeParam, ctx.params, 'params');
    const { body } = parseInput(templateBody, ctx.request.body, 'body');
    const now = deps.clock.now();
    const saved = await inTransaction(deps.ds, async (em) => {
      const t = await saveTemplate(em, typeId, body, principal.username, now.getTime());
      await recordAudit(em, actor, now, { action: 'template.save', entityType: 'template', entityId: `${typeId}@${t.version}`, after: { typeId, version: t.version } });
      return t;
    });
    ctx.status = 201;
    ctx.body = saved;
  });

  router.post('/templates/:typeId/preview', async (ctx) => {
    authorize(principalOf(ctx).principal, 'template.preview');
    const { typeId } = parseInput(typeParam, ctx.params, 'params');
    const { body } = parseInput(previewBody, ctx.request.body, 'body');
    const preview = await previewTemplate(deps.ds.manager, typeId, body);
    ctx.body = { html: preview.html, pdfBase64: preview.pdf.toString('base64'), missingCharacters: preview.missingCharacters };
  });

  return router;
}

export const documentRouteDocs: RouteDoc[] = [
  route('get', '/api/documents/:id', {
    summary: 'A document record (number, template version, hashes) with its service records', auth: "whoever sees the document's case", params: uuidParam,
    responses: { 200: 'The document' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/documents/:id/pdf', {
    summary: 'The document as PDF', auth: "whoever sees the document's case", params: uuidParam,
    responses: { 200: { description: 'The PDF', type: 'application/pdf' } }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/documents/:id/html', {
    summary: 'The document as a page of its own', auth: "whoever sees the document's case", params: uuidParam,
    responses: { 200: { description: 'The HTML page', type: 'text/html' } }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/documents/:id/service', {
    summary: 'Record the service of the document (method, date, receiver, witness, proof file), once per document; a workflow task waiting to serve it is completed with it; audited',
    auth: "handler, intake, legal, supervisor, admin who see the document's case",
    params: uuidParam, body: serviceBody, responses: { 201: 'The service record, with the task it completed (completedTask) or null' },
    errors: { 400: ['VALIDATION_FAILED', 'PROOF_TYPE_REFUSED', 'SERVICE_INVALID'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['SERVICE_ALREADY_RECORDED'] },
  }),
  route('get', '/api/documents/:id/service/:serviceId/proof', {
    summary: 'The proof file of a service record, as a download', auth: "whoever sees the document's case", params: serviceParam,
    responses: { 200: { description: 'The file', type: 'application/octet-stream' } }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/templates', { summary: 'Document templates', auth: 'logged in', query: noFields, responses: { 200: '{items}' } }),
  route('get', '/api/templates/:typeId', {
    summary: 'A template (the latest, or ?version=) with its versions', auth: 'logged in', params: typeParam, query: versionQuery,
    responses: { 200: 'The template' }, errors: { 400: ['DOCUMENT_TYPE_UNKNOWN'], 404: ['TEMPLATE_NOT_FOUND'] },
  }),
  route('post', '/api/templates/:typeId', {
    summary: 'Save a new version of a template; audited', auth: 'legal, admin', params: typeParam, body: templateBody, responses: { 201: 'The saved version' },
    errors: { 400: ['DOCUMENT_TYPE_UNKNOWN'], 403: ['FORBIDDEN'], 409: ['TEMPLATE_VERSION_CONFLICT'], 422: ['TEMPLATE_INVALID'] },
  }),
  route('post', '/api/templates/:typeId/preview', {
    summary: 'Render a template (the saved one, or the body given) with sample data', auth: 'legal, admin', params: typeParam, body: previewBody,
    responses: { 200: '{html, pdfBase64, missingCharacters}' }, errors: { 400: ['DOCUMENT_TYPE_UNKNOWN'], 403: ['FORBIDDEN'], 422: ['TEMPLATE_INVALID'] },
  }),
];
