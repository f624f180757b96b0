import { documentTypeIds } from '../../../src/documents/document-types';
import crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { isAppError } from '../../../src/errors';
import { documentTypes } from '../../../src/documents/document-types';
import { bindLegalRules, DEFAULT_LEGAL_RULES, loadLegalRules } from '../../../src/config/legal-rules';
import {
  ensureTemplates, getDocument, getServiceProof, getTemplate, issueDocument, listServices, listTemplates,
  previewTemplate, recordService, renderDocument, saveTemplate, shippedTemplate,
} from '../../../src/documents/documents';
import { serialTransaction } from '../../../src/engine/runtime/tx';
import { createTestDatabase, testDbKinds, type TestDatabase } from '../../support/db';
import { extractPdfText } from '../../unit/documents/pdf-text';

const ISSUED_AT = Date.UTC(2026, 10, 21, 2, 0); // 2026-11-21 10:00 in Shanghai
const DAY = 86_400_000;
const sha256 = (b: string | Buffer) => crypto.createHash('sha256').update(b).digest('hex');

async function office(ds: DataSource, prefix = '郑人社监'): Promise<string> {
  const id = crypto.randomUUID();
  await ds.query('INSERT INTO offices (id, code, name, doc_prefix, created_at) VALUES (?, ?, ?, ?, ?)',
    [id, `o-${id.slice(0, 8)}`, '郑州市人力资源和社会保障局', prefix, ISSUED_AT]);
  return id;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e.code;
    throw e;
  }
  return 'no error';
}

describe.each(testDbKinds())('documents on %s', (kind) => {
  let db: TestDatabase;
  let officeId: string;
  // as in the service: one transaction at a time on SQLite's single connection, READ COMMITTED on MariaDB
  const tx = <T>(work: (em: import('typeorm').EntityManager) => Promise<T>) => serialTransaction(db.ds, work);
  const sample = documentTypes['order-to-correct'].sample;

  beforeAll(async () => {
    db = await createTestDatabase(kind, 'documents');
    officeId = await office(db.ds);
    await tx((em) => ensureTemplates(em, ISSUED_AT));
  }, 60_000);
  afterAll(async () => db?.close());

  const issue = (over: Partial<Parameters<typeof issueDocument>[1]> = {}) =>
    tx((em) => issueDocument(em, { officeId, caseId: 'case-1', typeId: 'order-to-correct', data: sample, issuedBy: 'handler1', issuedAt: ISSUED_AT, ...over }));

  it('seeds version 1 of every template once', async () => {
    await tx((em) => ensureTemplates(em, ISSUED_AT));
    const list = await listTemplates(db.ds.manager);
    expect(list).toHaveLength(documentTypeIds.length);
    expect(documentTypeIds.length).toBeGreaterThanOrEqual(21);
    expect(list.every((t) => t.latestVersion === 1)).toBe(true);
    expect((await getTemplate(db.ds.manager, 'penalty-decision')).body).toBe(shippedTemplate('penalty-decision'));
  });

  it('issues a document with number, snapshot and hashes, and renders it again byte for byte', async () => {
    const doc = await issue({ typeId: 'penalty-decision', data: documentTypes['penalty-decision'].sample, processInstanceKey: '2251799813685249', elementId: 'issue-decision' });
    expect(doc.number).toBe('郑人社监罚决〔2026〕0001号');
    expect(doc.templateVersion).toBe(1);
    expect(doc.context.document.issueDate).toBe('2026年11月21日');
    const pdf = await renderDocument(db.ds.manager, doc.id, 'pdf');
    const html = await renderDocument(db.ds.manager, doc.id, 'html');
    expect(sha256(pdf)).toBe(doc.pdfSha256);
    expect(sha256(html)).toBe(doc.htmlSha256);
    expect((await renderDocument(db.ds.manager, doc.id, 'pdf')).equals(pdf)).toBe(true);
    expect(html).toContain('郑人社监罚决〔2026〕0001号');
    const stored = await getDocument(db.ds.manager, doc.id);
    expect(stored).toMatchObject({ number: doc.number, processInstanceKey: '2251799813685249', elementId: 'issue-decision', data: doc.data });
  });

  it('numbers 20 concurrent issues 0001..0020 with no gap or duplicate', async () => {
    const typeId = 'inquiry-notice';
    const docs = await Promise.all(Array.from({ length: 20 }, () => issue({ typeId, data: documentTypes[typeId].sample })));
    const numbers = docs.map((d) => d.number).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `郑人社监询〔2026〕${String(i + 1).padStart(4, '0')}号`));
  }, 60_000);

  (kind === 'mariadb' ? it : it.skip)('numbers concurrent issues without deadlocks at REPEATABLE READ, with no retries', async () => {
    const typeId = 'criminal-referral';
    const key = `job-${crypto.randomUUID()}`;
    const plain = (idempotencyKey?: string) => db.ds.transaction((em) => issueDocument(em, {
      officeId, typeId, data: documentTypes[typeId].sample, issuedBy: 'w', issuedAt: ISSUED_AT, idempotencyKey }));
    const docs = await Promise.all([...Array.from({ length: 12 }, () => plain()), plain(key), plain(key), plain(key)]);
    expect(new Set(docs.map((d) => d.number)).size).toBe(13);
    expect(docs.map((d) => d.sequence).sort((a, b) => a - b).at(-1)).toBe(13);
  }, 60_000);

  it('gives back a rolled-back number to the next issue', async () => {
    const typeId = 'hearing-notice';
    await expect(tx(async (em) => {
      await issueDocument(em, { officeId, typeId, data: documentTypes[typeId].sample, issuedBy: 'x', issuedAt: ISSUED_AT });
      throw new Error('the workflow step failed');
    })).rejects.toThrow('the workflow step failed');
    expect((await issue({ typeId, data: documentTypes[typeId].sample })).number).toBe('郑人社监听〔2026〕0001号');
  });

  it('starts a new sequence with the year in Shanghai', async () => {
    const newYearShanghai = Date.UTC(2026, 11, 31, 16, 30); // 2027-01-01 00:30 in Shanghai
    const doc = await issue({ typeId: 'closure-approval', data: documentTypes['closure-approval'].sample, issuedAt: newYearShanghai });
    expect(doc.number).toBe('郑人社监结〔2027〕0001号');
    expect(doc.context.document.issueDate).toBe('2027年1月1日');
  });

  it('issues one document for a worker delivered twice', async () => {
    const key = `job-${crypto.randomUUID()}`;
    const [a, b] = await Promise.all([issue({ idempotencyKey: key }), issue({ idempotencyKey: key })]);
    expect(a.id).toBe(b.id);
    const again = await issue({ idempotencyKey: key });
    expect(again.id).toBe(a.id);
    const rows: { n: number | string }[] = await db.ds.query('SELECT COUNT(*) AS n FROM documents WHERE idempotency_key = ?', [key]);
    expect(Number(rows[0]!.n)).toBe(1);
    expect(await codeOf(issue({ idempotencyKey: key, typeId: 'arbitration-notice', data: documentTypes['arbitration-notice'].sample }))).toBe('IDEMPOTENCY_KEY_REUSED');
  }, 60_000);

  it('refuses data that does not fit the type, naming the fields', async () => {
    const err = await issue({ data: { ...sample, deadline: 'next week', party: {} } }).catch((e) => e);
    expect(err.code).toBe('DOCUMENT_DATA_INVALID');
    expect(err.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['data.deadline', 'data.party.name']));
    expect(await codeOf(issue({ typeId: 'no-such-type' }))).toBe('DOCUMENT_TYPE_UNKNOWN');
    expect(await codeOf(renderDocument(db.ds.manager, crypto.randomUUID(), 'pdf'))).toBe('DOCUMENT_NOT_FOUND');
  });

  it('keeps issued documents on their template version when a new one is saved', async () => {
    const before = await issue({ typeId: 'arbitration-notice', data: documentTypes['arbitration-notice'].sample });
    const body = shippedTemplate('arbitration-notice').replace('<h1>劳动人事争议仲裁告知书</h1>', '<h1>仲裁告知书（修订）</h1>');
    const saved = await tx((em) => saveTemplate(em, 'arbitration-notice', body, 'legal', ISSUED_AT + DAY));
    expect(saved.version).toBe(2);
    const oldPdf = await renderDocument(db.ds.manager, before.id, 'pdf');
    expect(sha256(oldPdf)).toBe(before.pdfSha256);
    expect(await renderDocument(db.ds.manager, before.id, 'html')).not.toContain('修订');
    const after = await issue({ typeId: 'arbitration-notice', data: documentTypes['arbitration-notice'].sample });
    expect(after.templateVersion).toBe(2);
    expect(extractPdfText(await previewPdfUncompressed(after.id))).toContain('仲裁告知书（修订）');
  });

  async function previewPdfUncompressed(id: string): Promise<Buffer> {
    // the stored document's snapshot, previewed through its template version without compression for reading
    const doc = await getDocument(db.ds.manager, id);
    const template = await getTemplate(db.ds.manager, doc.typeId, doc.templateVersion);
    const { renderPdf } = await import('../../../src/documents/render-pdf');
    const { parseMarkup } = await import('../../../src/documents/markup');
    const { fillTemplate } = await import('../../../src/documents/template-engine');
    return (await renderPdf(parseMarkup(fillTemplate(template.body, doc.data, doc.context)), { title: doc.title, issuedAt: doc.issuedAt, compress: false })).pdf;
  }

  it('refuses templates that do not compile, name unknown fields or output raw values, with the reason', async () => {
    const save = (body: string) => tx((em) => saveTemplate(em, 'order-to-correct', body, 'legal', ISSUED_AT));
    for (const body of ['<p>{{#if facts}}</p>', '<p>{{salary}}</p>', '<p>{{{facts}}}</p>']) {
      const err = await save(body).catch((e) => e);
      expect(err.code).toBe('TEMPLATE_INVALID');
      expect(err.details.length).toBeGreaterThan(0);
    }
    expect((await getTemplate(db.ds.manager, 'order-to-correct')).version).toBe(1);
  });

  it('previews a template with sample data', async () => {
    const preview = await previewTemplate(db.ds.manager, 'service-receipt');
    expect(preview.html).toContain('送达回证');
    expect(preview.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await codeOf(previewTemplate(db.ds.manager, 'service-receipt', '<p>{{nope}}</p>'))).toBe('TEMPLATE_INVALID');
  });

  it('records service; public notice takes effect 30 日 later; proof is kept', async () => {
    const doc = await issue();
    const served = ISSUED_AT + DAY;
    const notice = await tx((em) => recordService(em, doc.id, {
      method: 'public_notice', servedAt: served, noticeMedium: '《郑州日报》', recordedBy: 'handler1', recordedAt: served,
    }));
    expect(notice.effectiveAt).toBe(served + DEFAULT_LEGAL_RULES['service.publicNotice'].value * DAY);
    const proof = Buffer.from('photo of the notice at the premises');
    const left = await tx((em) => recordService(em, doc.id, {
      method: 'left_with_witness', servedAt: served, witness: '社区主任 周某',
      proof: { name: 'photo.jpg', mediaType: 'image/jpeg', contentBase64: proof.toString('base64') }, recordedBy: 'handler1', recordedAt: served,
    }));
    expect(left.effectiveAt).toBe(served);
    expect(left.proof).toEqual({ name: 'photo.jpg', mediaType: 'image/jpeg', sha256: sha256(proof), size: proof.length });
    expect((await getServiceProof(db.ds.manager, left.id)).content.equals(proof)).toBe(true);
    expect((await listServices(db.ds.manager, doc.id)).map((s) => s.method).sort()).toEqual(['left_with_witness', 'public_notice']);
  });

  it('takes the public-notice period from the legal rules: an override, bound to the data source or given, and per office', async () => {
    const doc = await issue();
    const served = ISSUED_AT + DAY;
    const notice = (rules?: ReturnType<typeof loadLegalRules>) => tx((em) => recordService(em, doc.id, {
      method: 'public_notice', servedAt: served, noticeMedium: '《郑州日报》', recordedBy: 'handler1', recordedAt: served,
    }, rules));
    const [{ code }] = (await db.ds.query('SELECT code FROM offices WHERE id = ?', [officeId])) as { code: string }[];
    expect((await notice(loadLegalRules({ rules: { 'service.publicNotice': 60 } }))).effectiveAt).toBe(served + 60 * DAY);
    expect((await notice(loadLegalRules({ offices: { [code]: { 'service.publicNotice': { value: 12, unit: 'hours' } } } }))).effectiveAt).toBe(served + 12 * 3600_000);
    // As the service binds its rule set at start: the API's path passes no rules.
    bindLegalRules(db.ds, loadLegalRules({ rules: { 'service.publicNotice': 45 } }));
    try {
      expect((await notice()).effectiveAt).toBe(served + 45 * DAY);
    } finally {
      bindLegalRules(db.ds, loadLegalRules());
    }
    expect(() => loadLegalRules({ rules: { 'service.publicNotice': { value: 3, unit: 'months' } } })).toThrow(/service\.publicNotice\.unit: must be one of calendarDays, hours/);
  });

  it('refuses incomplete service records', async () => {
    const doc = await issue();
    const record = (input: Record<string, unknown>) => tx((em) => recordService(em, doc.id, { recordedBy: 'h', recordedAt: ISSUED_AT, servedAt: ISSUED_AT, ...input }));
    expect(await codeOf(record({ method: 'electronic', address: 'a@example.cn' }))).toBe('SERVICE_INVALID'); // no consent
    expect(await codeOf(record({ method: 'direct' }))).toBe('SERVICE_INVALID'); // no receiver
    expect(await codeOf(record({ method: 'carrier pigeon', receiver: 'x' }))).toBe('SERVICE_INVALID');
    expect(await codeOf(record({ method: 'direct', receiver: 'x', servedAt: ISSUED_AT - 10 * DAY }))).toBe('SERVICE_INVALID');
    expect(await codeOf(tx((em) => recordService(em, crypto.randomUUID(), { method: 'direct', receiver: 'x', servedAt: ISSUED_AT, recordedBy: 'h', recordedAt: ISSUED_AT })))).toBe('DOCUMENT_NOT_FOUND');
  });
});
