/**
 * Commands on official documents, shared by the HTTP routes and the document worker: issue a
 * document (number, template version, data snapshot, hashes) in the caller's transaction, render it
 * again byte for byte, manage template versions, and record service (送达).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { boundLegalRules, rulesForOffice, type LegalRules, type LegalRuleSet } from '../config/legal-rules';
import { AppError, errors, type ErrorDetail } from '../errors';
import { documentTypes, findDocumentType, sampleContext, type DocumentContext, type DocumentType } from './document-types';
import { parseMarkup } from './markup';
import { formatNumber, isMysqlManager, loadOffice, lockSequence, nextSequence, shanghaiDate } from './numbering';
import { htmlPage } from './render-html';
import { renderPdf } from './render-pdf';
import { TemplateInvalid, checkTemplate, fillTemplate } from './template-engine';

export const documentErrors = {
  typeUnknown: (typeId: string) => errors.badRequest('DOCUMENT_TYPE_UNKNOWN', `No document type ${typeId}.`),
  dataInvalid: (details: ErrorDetail[]) => errors.badRequest('DOCUMENT_DATA_INVALID', 'The document data does not fit its type.', details),
  notFound: (id: string) => new AppError(404, 'DOCUMENT_NOT_FOUND', `No document ${id}.`),
  templateNotFound: (typeId: string, version?: number) =>
    new AppError(404, 'TEMPLATE_NOT_FOUND', `No template ${typeId}${version === undefined ? '' : ` version ${version}`}.`),
  templateInvalid: (e: TemplateInvalid) => errors.unprocessable('TEMPLATE_INVALID', `The template is refused: ${e.message}`, e.problems),
  templateConflict: (typeId: string) => errors.conflict('TEMPLATE_VERSION_CONFLICT', `Another version of ${typeId} was saved at the same time; save again.`),
  idempotencyReused: (key: string) => errors.conflict('IDEMPOTENCY_KEY_REUSED', `The idempotency key ${key} was used for a different document.`),
  serviceInvalid: (message: string, details?: ErrorDetail[]) => errors.badRequest('SERVICE_INVALID', message, details),
  serviceNotFound: (id: string) => new AppError(404, 'SERVICE_NOT_FOUND', `No service record ${id}.`),
};

// ---------------------------------------------------------------- templates

export interface TemplateRecord {
  id: string;
  typeId: string;
  title: string;
  version: number;
  body: string;
  createdBy: string;
  createdAt: number;
}

interface TemplateRow { id: string; type_id: string; version: number | string; body: string; created_by: string; created_at: number | string }

function toTemplate(r: TemplateRow): TemplateRecord {
  return {
    id: r.id, typeId: r.type_id, title: findDocumentType(r.type_id)?.title ?? r.type_id, version: Number(r.version),
    body: r.body, createdBy: r.created_by, createdAt: Number(r.created_at),
  };
}

function requireType(typeId: string): DocumentType {
  const type = findDocumentType(typeId);
  if (!type) throw documentErrors.typeUnknown(typeId);
  return type;
}

/** The folder of the shipped templates, from the source tree or the compiled one. */
function templatesDir(): string {
  const candidates = [path.join(__dirname, '..', '..', 'templates'), path.join(__dirname, '..', '..', '..', 'templates')];
  const dir = candidates.find((d) => fs.existsSync(d));
  if (!dir) throw new Error(`templates/ not found near ${__dirname}`);
  return dir;
}

/** Version 1 of a type's template as shipped in templates/. */
export function shippedTemplate(typeId: string): string {
  return fs.readFileSync(path.join(templatesDir(), requireType(typeId).templateFile), 'utf8');
}

/** Seeds version 1 of every type that has no template yet from templates/; safe to run concurrently. */
export async function ensureTemplates(em: EntityManager, now: number = Date.now()): Promise<void> {
  const rows: { type_id: string }[] = await em.query('SELECT DISTINCT type_id FROM document_templates');
  const present = new Set(rows.map((r) => r.type_id));
  const insert = isMysqlManager(em) ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
  for (const type of Object.values(documentTypes) as DocumentType[]) {
    if (present.has(type.id)) continue;
    const body = shippedTemplate(type.id);
    checkTemplate(type, body);
    await em.query(
      `${insert} document_templates (id, type_id, version, body, created_by, created_at) VALUES (?, ?, 1, ?, ?, ?)`,
      [crypto.randomUUID(), type.id, body, 'system', now],
    );
  }
}

export async function getTemplate(em: EntityManager, typeId: string, version?: number): Promise<TemplateRecord> {
  requireType(typeId);
  const rows: TemplateRow[] = version === undefined
    ? await em.query('SELECT * FROM document_templates WHERE type_id = ? ORDER BY version DESC LIMIT 1', [typeId])
    : await em.query('SELECT * FROM document_templates WHERE type_id = ? AND version = ?', [typeId, version]);
  if (!rows[0]) throw documentErrors.templateNotFound(typeId, version);
  return toTemplate(rows[0]);
}

export interface TemplateSummary { typeId: string; title: string; latestVersion: number | null; updatedAt: number | null; updatedBy: string | null }

/** Every document type with its latest template version. */
export async function listTemplates(em: EntityManager): Promise<TemplateSummary[]> {
  const rows: TemplateRow[] = await em.query(
    `SELECT t.* FROM document_templates t
     JOIN (SELECT type_id, MAX(version) AS v FROM document_templates GROUP BY type_id) m ON m.type_id = t.type_id AND m.v = t.version`,
  );
  const latest = new Map(rows.map((r) => [r.type_id, toTemplate(r)]));
  return (Object.values(documentTypes) as DocumentType[]).map((t) => {
    const l = latest.get(t.id);
    return { typeId: t.id, title: t.title, latestVersion: l?.version ?? null, updatedAt: l?.createdAt ?? null, updatedBy: l?.createdBy ?? null };
  });
}

/** Every version of one type's template, newest first. */
export async function listTemplateVersions(em: EntityManager, typeId: string): Promise<TemplateRecord[]> {
  requireType(typeId);
  const rows: TemplateRow[] = await em.query('SELECT * FROM document_templates WHERE type_id = ? ORDER BY version DESC', [typeId]);
  return rows.map(toTemplate);
}

/** Checks a template against its type; the AppError carries every problem found. */
export function validateTemplate(typeId: string, body: string): void {
  const type = requireType(typeId);
  try {
    checkTemplate(type, body);
  } catch (e) {
    if (e instanceof TemplateInvalid) throw documentErrors.templateInvalid(e);
    throw e;
  }
}

/** Saves a new version of a type's template; documents already issued keep the version they were made with. */
export async function saveTemplate(em: EntityManager, typeId: string, body: string, by: string, now: number = Date.now()): Promise<TemplateRecord> {
  validateTemplate(typeId, body);
  const rows: { v: number | string | null }[] = await em.query('SELECT MAX(version) AS v FROM document_templates WHERE type_id = ?', [typeId]);
  const version = Number(rows[0]?.v ?? 0) + 1;
  const id = crypto.randomUUID();
  try {
    await em.query('INSERT INTO document_templates (id, type_id, version, body, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)', [id, typeId, version, body, by, now]);
  } catch (e) {
    if (isUniqueViolation(e)) throw documentErrors.templateConflict(typeId);
    throw e;
  }
  return { id, typeId, title: requireType(typeId).title, version, body, createdBy: by, createdAt: now };
}

export interface Preview { html: string; pdf: Buffer; missingCharacters: string[] }

/** Renders a template (the given body, else the latest saved version) with the type's sample data. */
export async function previewTemplate(em: EntityManager, typeId: string, body?: string): Promise<Preview> {
  const type = requireType(typeId);
  const source = body ?? (await getTemplate(em, typeId)).body;
  if (body !== undefined) validateTemplate(typeId, body);
  const parsed = type.schema.parse(type.sample) as Record<string, unknown>;
  const markup = fillTemplate(source, parsed, sampleContext);
  const { pdf, missingCharacters } = await renderPdf(parseMarkup(markup), { title: `${type.title}（样例）`, issuedAt: 0 });
  return { html: htmlPage(`${type.title}（样例）`, markup), pdf, missingCharacters };
}

// ---------------------------------------------------------------- documents

export interface IssueDocumentInput {
  officeId: string;
  caseId?: string | null;
  /** For a document without a case: the grid of the employer it concerns, whose staff may then read it. */
  gridId?: string | null;
  typeId: string;
  data: unknown;
  issuedBy: string;
  /** Epoch ms; its date in Asia/Shanghai gives the document's date and the year of its number. */
  issuedAt: number;
  /** Repeating an issue with the same key returns the first document: workers are delivered at least once. */
  idempotencyKey?: string | null;
  processInstanceKey?: string | null;
  elementId?: string | null;
}

export interface DocumentRecord {
  id: string;
  officeId: string;
  caseId: string | null;
  /** Set on documents without a case that concern one employer's grid. */
  gridId: string | null;
  typeId: string;
  title: string;
  number: string;
  year: number;
  sequence: number;
  templateVersion: number;
  data: Record<string, unknown>;
  context: DocumentContext;
  htmlSha256: string;
  pdfSha256: string;
  issuedAt: number;
  issuedBy: string;
  processInstanceKey: string | null;
  elementId: string | null;
  idempotencyKey: string | null;
  /** Characters drawn as 〓 in the PDF because no embedded font has them (only on the issuing call). */
  missingCharacters?: string[];
}

interface DocumentRow {
  id: string; office_id: string; case_id: string | null; type_id: string; number: string; year: number | string; sequence: number | string;
  template_version: number | string; data_json: string; html_sha256: string; pdf_sha256: string; issued_at: number | string; issued_by: string;
  process_instance_key: string | null; element_id: string | null; idempotency_key: string | null; grid_id?: string | null;
}

function toDocument(r: DocumentRow): DocumentRecord {
  const snapshot = JSON.parse(r.data_json) as { data: Record<string, unknown>; context: DocumentContext };
  return {
    id: r.id, officeId: r.office_id, caseId: r.case_id, gridId: r.grid_id ?? null, typeId: r.type_id, title: findDocumentType(r.type_id)?.title ?? r.type_id,
    number: r.number, year: Number(r.year), sequence: Number(r.sequence), templateVersion: Number(r.template_version),
    data: snapshot.data, context: snapshot.context, htmlSha256: r.html_sha256, pdfSha256: r.pdf_sha256,
    issuedAt: Number(r.issued_at), issuedBy: r.issued_by, processInstanceKey: r.process_instance_key, elementId: r.element_id,
    idempotencyKey: r.idempotency_key,
  };
}

const sha256 = (b: string | Buffer) => crypto.createHash('sha256').update(b).digest('hex');

function zodDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  return error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

function issueDate(ms: number): string {
  const d = shanghaiDate(ms);
  return `${d.year}年${d.month}月${d.day}日`;
}

interface Rendered { markup: string; html: string; pdf: Buffer; missingCharacters: string[] }

async function renderSnapshot(type: DocumentType, body: string, data: Record<string, unknown>, context: DocumentContext, number: string, issuedAt: number): Promise<Rendered> {
  const markup = fillTemplate(body, data, context);
  const title = `${type.title} ${number}`;
  const { pdf, missingCharacters } = await renderPdf(parseMarkup(markup), { title, issuedAt });
  return { markup, html: htmlPage(title, markup), pdf, missingCharacters };
}

/**
 * Issues a document in the caller's transaction: validates the data against its type, takes the next
 * number, renders with the latest template version and stores the snapshot with both outputs' hashes.
 */
export async function issueDocument(em: EntityManager, input: IssueDocumentInput): Promise<DocumentRecord> {
  const type = requireType(input.typeId);
  const parsed = type.schema.safeParse(input.data);
  if (!parsed.success) throw documentErrors.dataInvalid(zodDetails(parsed.error, 'data'));
  const data = parsed.data as Record<string, unknown>;
  if (!Number.isSafeInteger(input.issuedAt) || input.issuedAt < 0) throw errors.validation('issuedAt must be epoch milliseconds', [{ path: 'issuedAt', message: 'epoch milliseconds' }]);
  const office = await loadOffice(em, input.officeId);
  const { year } = shanghaiDate(input.issuedAt);

  // The sequence lock comes first: an issuer with the same idempotency key waits here and then sees the first one's document.
  await lockSequence(em, office.id, year, type.id);
  if (input.idempotencyKey) {
    const existing: DocumentRow[] = await em.query(
      `SELECT * FROM documents WHERE idempotency_key = ?${isMysqlManager(em) ? ' FOR UPDATE' : ''}`,
      [input.idempotencyKey],
    );
    if (existing[0]) {
      const doc = toDocument(existing[0]);
      if (doc.typeId !== type.id || doc.officeId !== office.id || (doc.caseId ?? null) !== (input.caseId ?? null)) {
        throw documentErrors.idempotencyReused(input.idempotencyKey);
      }
      return doc;
    }
  }
  let template: TemplateRecord;
  try {
    template = await getTemplate(em, type.id);
  } catch (e) {
    if (!(e instanceof AppError && e.code === 'TEMPLATE_NOT_FOUND')) throw e;
    await ensureTemplates(em, input.issuedAt);
    template = await getTemplate(em, type.id);
  }
  const sequence = await nextSequence(em, office.id, year, type.id);
  const number = formatNumber(office.docPrefix, type.numberCode, year, sequence);
  const context: DocumentContext = { office: { name: office.name }, document: { number, issueDate: issueDate(input.issuedAt) } };
  const out = await renderSnapshot(type, template.body, data, context, number, input.issuedAt);
  const id = crypto.randomUUID();
  const row: DocumentRow = {
    id, office_id: office.id, case_id: input.caseId ?? null, grid_id: input.caseId ? null : input.gridId ?? null, type_id: type.id, number, year, sequence, template_version: template.version,
    data_json: JSON.stringify({ data, context }), html_sha256: sha256(out.html), pdf_sha256: sha256(out.pdf),
    issued_at: input.issuedAt, issued_by: input.issuedBy, process_instance_key: input.processInstanceKey ?? null,
    element_id: input.elementId ?? null, idempotency_key: input.idempotencyKey ?? null,
  };
  const columns = Object.keys(row);
  await em.query(`INSERT INTO documents (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, Object.values(row));
  return { ...toDocument(row), missingCharacters: out.missingCharacters };
}

export async function getDocument(em: EntityManager, id: string): Promise<DocumentRecord> {
  const rows: DocumentRow[] = await em.query('SELECT * FROM documents WHERE id = ?', [id]);
  if (!rows[0]) throw documentErrors.notFound(id);
  return toDocument(rows[0]);
}

export async function listCaseDocuments(em: EntityManager, caseId: string): Promise<DocumentRecord[]> {
  const rows: DocumentRow[] = await em.query('SELECT * FROM documents WHERE case_id = ? ORDER BY issued_at, number', [caseId]);
  return rows.map(toDocument);
}

/** Renders an issued document again from its snapshot and template version: the same bytes as when issued. */
export async function renderDocument(em: EntityManager, id: string, format: 'pdf'): Promise<Buffer>;
export async function renderDocument(em: EntityManager, id: string, format: 'html'): Promise<string>;
export async function renderDocument(em: EntityManager, id: string, format: 'pdf' | 'html'): Promise<Buffer | string> {
  const doc = await getDocument(em, id);
  const type = requireType(doc.typeId);
  const template = await getTemplate(em, doc.typeId, doc.templateVersion);
  if (format === 'html') return htmlPage(`${type.title} ${doc.number}`, fillTemplate(template.body, doc.data, doc.context));
  return (await renderSnapshot(type, template.body, doc.data, doc.context, doc.number, doc.issuedAt)).pdf;
}

// ---------------------------------------------------------------- service (送达)

export const SERVICE_METHODS = ['direct', 'left_with_witness', 'electronic', 'post', 'public_notice'] as const;
export type ServiceMethod = (typeof SERVICE_METHODS)[number];

const DAY_MS = 86_400_000;
const PROOF_MAX_BYTES = 2 * 1024 * 1024;

export const recordServiceSchema = z.object({
  method: z.enum(SERVICE_METHODS),
  /** When served; for post the date on the receipt (第91条); for public notice the day the notice was published. */
  servedAt: z.number().int().nonnegative(),
  receiver: z.string().trim().min(1).max(600).optional(),
  witness: z.string().trim().min(1).max(600).optional(),
  /** Electronic service needs the recipient's consent (第90条) and the address it went to. */
  consent: z.boolean().optional(),
  address: z.string().trim().min(1).max(600).optional(),
  trackingNumber: z.string().trim().min(1).max(100).optional(),
  /** Where a public notice was published. */
  noticeMedium: z.string().trim().min(1).max(300).optional(),
  notes: z.string().trim().max(2000).optional(),
  proof: z.object({
    name: z.string().trim().min(1).max(255).regex(/^[^/\\\0]+$/, 'a file name without folders'),
    mediaType: z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/i, 'a media type such as image/jpeg').max(100),
    contentBase64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64').max(Math.ceil(PROOF_MAX_BYTES / 3) * 4),
  }).optional(),
  recordedBy: z.string().trim().min(1).max(64),
  recordedAt: z.number().int().nonnegative(),
}).superRefine((v, ctx) => {
  const need = (field: keyof typeof v, message: string) => { if (v[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message }); };
  switch (v.method) {
    case 'direct': need('receiver', 'direct service (第88条) is signed for by a receiver'); break;
    case 'left_with_witness':
      if (!v.witness && !v.proof) ctx.addIssue({ code: 'custom', path: ['witness'], message: 'service left at the premises (第89条) needs a witness or a photo or video as proof' });
      break;
    case 'electronic':
      if (v.consent !== true) ctx.addIssue({ code: 'custom', path: ['consent'], message: 'electronic service (第90条) needs the recipient\'s consent' });
      need('address', 'electronic service names the address it was sent to');
      break;
    case 'post': need('trackingNumber', 'service by post (第91条) records the mail\'s tracking number'); break;
    case 'public_notice': need('noticeMedium', 'service by public notice (第95条) names where the notice was published'); break;
  }
});
export type RecordServiceInput = z.input<typeof recordServiceSchema>;

export interface ServiceRecord {
  id: string;
  documentId: string;
  method: ServiceMethod;
  servedAt: number;
  /** When service counts as done: periods that run from service start here. */
  effectiveAt: number;
  receiver: string | null;
  witness: string | null;
  proof: { name: string; mediaType: string; sha256: string; size: number } | null;
  details: { consent?: boolean; address?: string; trackingNumber?: string; noticeMedium?: string; notes?: string };
  recordedBy: string;
  recordedAt: number;
}

interface ServiceRow {
  id: string; document_id: string; method: string; served_at: number | string; receiver: string | null; witness: string | null;
  proof_name: string | null; proof_sha256: string | null; proof_media_type: string | null; proof_base64: string | null;
  details_json: string | null; effective_at: number | string; recorded_by: string; recorded_at: number | string;
}

function toService(r: ServiceRow): ServiceRecord {
  return {
    id: r.id, documentId: r.document_id, method: r.method as ServiceMethod, servedAt: Number(r.served_at), effectiveAt: Number(r.effective_at),
    receiver: r.receiver, witness: r.witness,
    proof: r.proof_name && r.proof_sha256 && r.proof_media_type
      ? { name: r.proof_name, mediaType: r.proof_media_type, sha256: r.proof_sha256, size: Buffer.from(r.proof_base64 ?? '', 'base64').length } : null,
    details: r.details_json ? JSON.parse(r.details_json) : {},
    recordedBy: r.recorded_by, recordedAt: Number(r.recorded_at),
  };
}

/**
 * When service takes effect: a public notice once the rule `service.publicNotice` has run from its
 * publication (民事诉讼法 第95条; the office's override when it has one), otherwise on the service date.
 */
export function serviceEffectiveAt(method: ServiceMethod, servedAt: number, rules: LegalRules): number {
  if (method !== 'public_notice') return servedAt;
  const period = rules['service.publicNotice'];
  return servedAt + period.value * (period.unit === 'hours' ? 3600_000 : DAY_MS);
}

/**
 * Records a service. The public-notice period comes from `rules` (the installation's rule set; by
 * default the one bound to the data source at start), as it applies to the document's office.
 */
export async function recordService(em: EntityManager, documentId: string, input: unknown, rules?: LegalRuleSet): Promise<ServiceRecord> {
  const parsed = recordServiceSchema.safeParse(input);
  if (!parsed.success) throw documentErrors.serviceInvalid('The service record is incomplete or invalid.', zodDetails(parsed.error, ''));
  const v = parsed.data;
  const doc = await getDocument(em, documentId);
  if (v.servedAt < doc.issuedAt - 60_000) {
    throw documentErrors.serviceInvalid('A document cannot be served before it was issued.', [{ path: 'servedAt', message: 'before the issue date' }]);
  }
  let proofBytes: Buffer | null = null;
  if (v.proof) {
    proofBytes = Buffer.from(v.proof.contentBase64, 'base64');
    if (proofBytes.length === 0 || proofBytes.length > PROOF_MAX_BYTES) {
      throw documentErrors.serviceInvalid(`The proof must hold 1 byte to ${PROOF_MAX_BYTES / 1024 / 1024} MiB.`, [{ path: 'proof.contentBase64', message: 'size' }]);
    }
  }
  const details = Object.fromEntries(Object.entries({ consent: v.consent, address: v.address, trackingNumber: v.trackingNumber, noticeMedium: v.noticeMedium, notes: v.notes }).filter(([, x]) => x !== undefined));
  const row: ServiceRow = {
    id: crypto.randomUUID(), document_id: doc.id, method: v.method, served_at: v.servedAt, receiver: v.receiver ?? null, witness: v.witness ?? null,
    proof_name: v.proof?.name ?? null, proof_sha256: proofBytes ? sha256(proofBytes) : null, proof_media_type: v.proof?.mediaType ?? null,
    proof_base64: proofBytes ? proofBytes.toString('base64') : null, details_json: JSON.stringify(details),
    effective_at: serviceEffectiveAt(v.method, v.servedAt, await officeRules(em, doc.officeId, rules ?? boundLegalRules(em.dataSource))), recorded_by: v.recordedBy, recorded_at: v.recordedAt,
  };
  const columns = Object.keys(row);
  await em.query(`INSERT INTO document_services (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, Object.values(row));
  return toService(row);
}

async function officeRules(em: EntityManager, officeId: string, set: LegalRuleSet): Promise<LegalRules> {
  if (!Object.keys(set.offices).length) return set.rules;
  const rows: { code: string }[] = await em.query('SELECT code FROM offices WHERE id = ?', [officeId]);
  return rulesForOffice(set, rows[0]?.code);
}

export async function listServices(em: EntityManager, documentId: string): Promise<ServiceRecord[]> {
  await getDocument(em, documentId);
  const rows: ServiceRow[] = await em.query('SELECT * FROM document_services WHERE document_id = ? ORDER BY served_at, recorded_at', [documentId]);
  return rows.map(toService);
}

/** The proof file of a service record. */
export async function getServiceProof(em: EntityManager, serviceId: string): Promise<{ name: string; mediaType: string; content: Buffer }> {
  const rows: ServiceRow[] = await em.query('SELECT * FROM document_services WHERE id = ?', [serviceId]);
  const r = rows[0];
  if (!r || !r.proof_base64 || !r.proof_name || !r.proof_media_type) throw documentErrors.serviceNotFound(serviceId);
  return { name: r.proof_name, mediaType: r.proof_media_type, content: Buffer.from(r.proof_base64, 'base64') };
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; errno?: number; driverError?: { code?: string; errno?: number }; message?: string };
  const code = err.driverError?.code ?? err.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || /UNIQUE constraint failed|Duplicate entry/.test(err.message ?? '');
}
