import { inTransaction } from '../../../src/db/data-source';
import { Office } from '../../../src/db/entities';
import { documentTypes } from '../../../src/documents/document-types';
import { issueDocument } from '../../../src/documents/documents';
import { queueMail } from '../../../src/mail';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';

const HOSTILE = '<script>alert(1)</script> "引号" & {{x}} 𠮷';

describe.each(testDbKinds())('documents and mail API on %s', (kind) => {
  let t: TestApp;
  let docId: string;
  beforeAll(async () => {
    t = await startTestApp(kind, 'documents_api');
    const office = await t.db.ds.manager.findOneOrFail(Office, { where: {} });
    const sample = documentTypes['complaint-register'].sample;
    const doc = await inTransaction(t.db.ds, (em) => issueDocument(em, {
      officeId: office.id, caseId: null, typeId: 'complaint-register', issuedBy: 'intake', issuedAt: t.clock.now().getTime(),
      data: { ...sample, facts: HOSTILE, complainant: { ...sample.complainant, name: '吉𠮷' } },
    }));
    docId = doc.id;
  });
  afterAll(() => t.close());

  it('serves the record, the PDF and the escaped HTML to whoever sees it', async () => {
    const intake = await t.login('intake');
    const record = await intake.get(`/api/documents/${docId}`);
    expect(record.status).toBe(200);
    expect(record.body.number).toMatch(/^郑人社监.*〔\d{4}〕\d{4}号$/);
    expect(record.body.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
    const pdf = await intake.get(`/api/documents/${docId}/pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const html = await intake.get(`/api/documents/${docId}/html`);
    expect(html.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.text).not.toContain('<script>alert(1)');
    expect(html.text).toContain('𠮷');
    expect(html.headers['content-security-policy']).toContain("default-src 'none'");
    // A handler sees only documents of cases in their grids; this one belongs to no case.
    const handler = await t.login('handler1');
    expect((await handler.get(`/api/documents/${docId}`)).status).toBe(404);
    expect((await handler.get('/api/documents/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('records service; a public notice takes effect 30 days later; incomplete records are refused', async () => {
    const intake = await t.login('intake');
    const servedAt = t.clock.now().toISOString();
    const refused = await intake.post(`/api/documents/${docId}/service`).send({ method: 'direct', servedAt });
    expect(refused.status).toBe(400);
    const served = await intake.post(`/api/documents/${docId}/service`).send({ method: 'public_notice', servedAt, noticeMedium: '郑州日报' });
    expect(served.status).toBe(201);
    expect(served.body.effectiveAt - Date.parse(servedAt)).toBe(30 * 86_400_000);
    const early = await intake.post(`/api/documents/${docId}/service`).send({ method: 'public_notice', servedAt: '2020-01-01T00:00:00Z', noticeMedium: '郑州日报' });
    expect(early.status).toBe(400);
    const record = await intake.get(`/api/documents/${docId}`);
    expect(record.body.services).toHaveLength(1);
  });

  it('lets legal staff save template versions, refusing templates that would break', async () => {
    const legal = await t.login('legal');
    const list = await legal.get('/api/templates');
    expect(list.body.items.length).toBeGreaterThanOrEqual(14);
    const current = await legal.get('/api/templates/complaint-register');
    const bad = await legal.post('/api/templates/complaint-register').send({ body: current.body.body + '{{{facts}}}' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('TEMPLATE_INVALID');
    const unknownField = await legal.post('/api/templates/complaint-register').send({ body: current.body.body + '<p>{{secretField}}</p>' });
    expect(unknownField.status).toBe(422);
    const handler = await t.login('handler1');
    expect((await handler.post('/api/templates/complaint-register').send({ body: current.body.body })).status).toBe(403);
    const saved = await legal.post('/api/templates/complaint-register').send({ body: current.body.body.replace('举报投诉登记表', '举报投诉登记表') + '\n' });
    expect(saved.status).toBe(201);
    expect(saved.body.version).toBe(current.body.version + 1);
    const preview = await legal.post('/api/templates/complaint-register/preview').send({});
    expect(Buffer.from(preview.body.pdfBase64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    // The issued document keeps the template version it was made with.
    const intake = await t.login('intake');
    expect((await intake.get(`/api/documents/${docId}`)).body.templateVersion).toBe(current.body.version);
  });

  it('shows mail that cannot be sent without credentials as unsent, to supervisors', async () => {
    const id = await inTransaction(t.db.ds, (em) => queueMail(em, { to: [{ email: 'liaison@police.example.cn' }], subject: '提醒', textBody: '请尽快答复', purpose: 'police_reminder' }));
    await t.core.mail.runOnce();
    const supervisor = await t.login('supervisor');
    const list = await supervisor.get('/api/mail?state=unsent_no_credentials');
    expect(list.body.items.map((m: { id: string }) => m.id)).toContain(id);
    expect((await supervisor.get(`/api/mail/${id}`)).body.textBody).toBe('请尽快答复');
    const handler = await t.login('handler1');
    expect((await handler.get('/api/mail')).status).toBe(403);
    expect((await handler.get(`/api/mail/${id}`)).status).toBe(404);
  });
});
