/**
 * Hostile input at the trust boundary: bodies nested 5,000 deep, 20,000 variables, `__proto__` and
 * `constructor` keys, impossible dates, bogus charsets, empty and cross-site writes, method refusals,
 * service dates far ahead and proof files that are not what they claim. Each is refused with its
 * own 4xx code before anything is written; none answers 500.
 */
import { inTransaction } from '../../../src/db/data-source';
import { chinaDate } from '../../../src/deadlines/china-time';
import { Office } from '../../../src/db/entities';
import { documentTypes } from '../../../src/documents/document-types';
import { issueDocument, recordService } from '../../../src/documents/documents';
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody } from '../../support/lifecycle';

jest.setTimeout(180_000);

/**
 * What a refused request could have written. Engine rows are left out: the workers keep moving the
 * complaints' processes meanwhile. The audit entries of people (not of workers) are counted instead.
 */
const TABLES = ['cases', 'case_parties', 'case_workers', 'case_claims', 'employers', 'engine_messages', 'document_services', 'supervision_cases',
  'audit_log WHERE actor_id IS NOT NULL'];

type Agent = Awaited<ReturnType<TestApp['login']>>;

function nested(depth: number): Record<string, unknown> {
  let v: Record<string, unknown> = { leaf: '1' };
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

describe.each(testDbKinds())('hostile input on %s', (kind) => {
  let t: TestApp;
  let admin: Agent;
  let tables: string[];
  let taskKey: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'input_guard');
    admin = await t.login('admin');
    tables = TABLES;
    const intake = await t.login('intake');
    const created = await intake.post('/api/complaints').send(complaintBody());
    expect(created.status).toBe(201);
    caseId = created.body.caseId;
    for (let i = 0; i < 100 && !taskKey; i++) {
      const open = (await intake.get('/api/tasks?scope=group&state=open')).body.items as { key: string; assignee: string | null }[];
      taskKey = open.find((x) => !x.assignee)?.key ?? '';
      if (!taskKey) await new Promise((r) => setTimeout(r, 100));
    }
    expect(taskKey).toBeTruthy();
    await settled();
  });

  /** Waits until the workers have moved the case as far as it goes, so the row counts hold still. */
  async function settled() {
    let last = '';
    for (let i = 0; i < 60; i++) {
      const now = JSON.stringify(await rowCounts(t.db, TABLES));
      if (now === last) return;
      last = now;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
  afterAll(() => t?.close());

  async function refused(send: () => Promise<{ status: number; body: { error?: { code: string; details?: { path: string }[] } } }>, status: number, code: string) {
    const before = await rowCounts(t.db, tables);
    const res = await send();
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status, code });
    expect(await rowCounts(t.db, tables)).toEqual(before);
    return res.body.error!;
  }

  it('refuses variables nested 5,000 deep with 400 BODY_TOO_DEEP, on a task and a message', async () => {
    // As text: supertest's own serialiser does not survive 5,000 levels.
    const deepText = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const raw = (path: string, body: string) => () => admin.post(path).set('Content-Type', 'application/json').send(body);
    await refused(raw(`/api/tasks/${taskKey}/complete`, `{"variables":${deepText}}`), 400, 'BODY_TOO_DEEP');
    await refused(raw('/api/messages', `{"name":"m","correlationKey":"k","variables":${deepText}}`), 400, 'BODY_TOO_DEEP');
    // The limit is 32 levels: 30 is fine (the message is buffered), 33 is not.
    expect((await admin.post('/api/messages').send({ name: 'deep-ok', correlationKey: 'k', variables: { v: nested(28) } })).status).toBeLessThan(300);
    await refused(() => admin.post('/api/messages').send({ name: 'deep', correlationKey: 'k', variables: { v: nested(31) } }), 400, 'BODY_TOO_DEEP');
    // Queries too.
    await refused(() => admin.get('/api/tasks?scope=all&' + Array.from({ length: 2100 }, (_, i) => `x${i}=1`).join('&')), 400, 'BODY_TOO_MANY_KEYS');
  });

  it('refuses 20,000 variables in one request with 400 BODY_TOO_MANY_KEYS, but takes a complaint with hundreds of workers', async () => {
    const variables = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`v${i}`, i]));
    await refused(() => admin.post('/api/messages').send({ name: 'many', correlationKey: 'k', variables }), 400, 'BODY_TOO_MANY_KEYS');
    await refused(() => admin.post(`/api/tasks/${taskKey}/complete`).send({ variables }), 400, 'BODY_TOO_MANY_KEYS');
    const workers = Array.from({ length: 400 }, (_, i) => ({ name: `工人${i}`, idNumber: '410102199001011234', phone: '13800000001', amountOwed: 100, monthsOwed: 1 }));
    const intake = await t.login('intake');
    expect((await intake.post('/api/complaints').send(complaintBody({ workers }))).status).toBe(201);
    await settled();
  });

  it('refuses __proto__, constructor and prototype keys with 400 BODY_FORBIDDEN_KEY naming the path', async () => {
    const raw = (body: string) => () => admin.post('/api/messages').set('Content-Type', 'application/json').send(body);
    const proto = await refused(raw('{"name":"m","correlationKey":"k","variables":{"x":{"__proto__":{"isAdmin":true}}}}'), 400, 'BODY_FORBIDDEN_KEY');
    expect(proto.details?.[0].path).toBe('body.variables.x.__proto__');
    const ctor = await refused(raw('{"name":"m","correlationKey":"k","variables":{"constructor":{"prototype":{"isAdmin":true}}}}'), 400, 'BODY_FORBIDDEN_KEY');
    expect(ctor.details?.[0].path).toBe('body.variables.constructor');
    const top = await refused(() => admin.post(`/api/tasks/${taskKey}/complete`).set('Content-Type', 'application/json').send('{"__proto__":{"x":1},"variables":{}}'), 400, 'BODY_FORBIDDEN_KEY');
    expect(top.details?.[0].path).toBe('body.__proto__');
    await refused(() => admin.post('/api/messages').send({ name: 'm', correlationKey: 'k', variables: { prototype: 1 } }), 400, 'BODY_FORBIDDEN_KEY');
    await refused(() => admin.get('/api/tasks?scope=all&__proto__=1'), 400, 'BODY_FORBIDDEN_KEY');
  });

  it('refuses impossible calendar dates with 400 VALIDATION_FAILED naming the field', async () => {
    const supervisor = await t.login('supervisor');
    for (const dueAt of ['2027-02-30', '2026-13-45', '2027-02-30T10:00:00+08:00', '9999-01-01']) {
      const e = await refused(() => supervisor.post(`/api/supervision/cases/${caseId}/supervise`).send({ dueAt, owner: '督办科' }), 400, 'VALIDATION_FAILED');
      expect(e.details?.map((d) => d.path)).toContain('body.dueAt');
    }
    for (const q of ['from=2026-02-30', 'to=2026-13-45', 'from=0000-01-01']) {
      const res = await supervisor.get(`/api/supervision/stats?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe(`query.${q.split('=')[0]}`);
    }
    expect((await supervisor.get('/api/supervision/stats?from=2024-02-29&to=2026-03-01')).status).toBe(200);
    const intake = await t.login('intake');
    const ended = await refused(() => intake.post('/api/complaints').send(complaintBody({ violationEndedOn: '2026-02-30' })), 400, 'VALIDATION_FAILED');
    expect(ended.details?.map((d) => d.path)).toContain('body.violationEndedOn');
    const period = await refused(() => intake.post('/api/complaints').send(complaintBody({
      claims: [{ category: 'wage-arrears', description: '拖欠工资', amount: 3000, periodFrom: '2026-13-45', periodTo: '2026-02-29' }],
    })), 400, 'VALIDATION_FAILED');
    expect(period.details?.map((d) => d.path)).toEqual(expect.arrayContaining(['body.claims.0.periodFrom', 'body.claims.0.periodTo']));
  });

  it('answers 415 for writes without a JSON type, even empty, and for a charset other than UTF-8', async () => {
    const assignee = async () => (await admin.get(`/api/tasks/${taskKey}`)).body.assignee ?? null;
    await refused(() => admin.post(`/api/tasks/${taskKey}/claim`), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refused(() => admin.post(`/api/tasks/${taskKey}/claim`).set('Content-Type', 'text/plain').send('x=1'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refused(() => admin.post(`/api/tasks/${taskKey}/claim`).set('Content-Type', 'application/x-www-form-urlencoded').send('x=1'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refused(() => admin.post('/api/messages').set('Content-Type', 'application/json; charset=x-bogus').send('{"name":"m","correlationKey":"k"}'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await refused(() => admin.post('/api/messages').set('Content-Type', 'application/json; charset=utf-16').send('{"name":"m","correlationKey":"k"}'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    expect(await assignee()).toBeNull();
    // An empty JSON write is fine, and so is an explicit UTF-8.
    const login = await t.anonymous().post('/api/session').set('Content-Type', 'application/json; charset=UTF-8').send('{"username":"legal","password":"demo1234"}');
    expect(login.status).toBe(201);
  });

  it('refuses writes another site makes a browser send with 403 CROSS_SITE_REQUEST', async () => {
    const host = `127.0.0.1:${(t.server.address() as { port: number }).port}`;
    const intake = await t.login('intake');
    const claim = () => intake.post(`/api/tasks/${taskKey}/claim`);
    await refused(() => claim().set('Origin', 'https://evil.example').send({}), 403, 'CROSS_SITE_REQUEST');
    await refused(() => claim().set('Origin', 'null').send({}), 403, 'CROSS_SITE_REQUEST');
    await refused(() => claim().set('Sec-Fetch-Site', 'cross-site').send({}), 403, 'CROSS_SITE_REQUEST');
    await refused(() => claim().set('Sec-Fetch-Site', 'same-site').send({}), 403, 'CROSS_SITE_REQUEST');
    await refused(() => claim().set('Origin', 'https://evil.example').set('Content-Type', 'text/plain').send('x'), 403, 'CROSS_SITE_REQUEST');
    await refused(() => admin.delete('/api/session').set('Origin', 'https://evil.example'), 403, 'CROSS_SITE_REQUEST');
    expect((await admin.get(`/api/tasks/${taskKey}`)).body.assignee ?? null).toBeNull();
    // The service's own pages (also behind a proxy that terminates TLS: same host, other scheme).
    const own = await claim().set('Origin', `http://${host}`).set('Sec-Fetch-Site', 'same-origin').send({});
    expect(own.status).toBe(200);
    expect((await intake.post(`/api/tasks/${taskKey}/unclaim`).set('Origin', `https://${host}`).send({})).status).toBe(200);
  });

  it('answers 405 in the error shape with the Allow header', async () => {
    const res = await admin.delete('/api/grids');
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: expect.any(String) } });
    expect(res.headers.allow).toMatch(/GET/);
  });

  describe('service of a document', () => {
    let docId: string;
    const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
    // A document is served once (a second record answers 409), so each test serves a document of its own.
    beforeEach(async () => {
      const office = await t.db.ds.manager.findOneOrFail(Office, { where: {} });
      const doc = await inTransaction(t.db.ds, (em) => issueDocument(em, {
        officeId: office.id, caseId: null, typeId: 'complaint-register', issuedBy: 'intake', issuedAt: t.clock.now().getTime(), data: documentTypes['complaint-register'].sample,
      }));
      docId = doc.id;
    });
    const service = (over: Record<string, unknown>) => ({ method: 'public_notice', noticeMedium: '郑州日报', servedAt: t.clock.now().toISOString(), ...over });

    it('refuses a service date years ahead or before the issue with 400 VALIDATION_FAILED; takes the day of issue as a date', async () => {
      const intake = await t.login('intake');
      for (const servedAt of ['2031-06-01T10:00:00+08:00', new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString(), '2031-06-01', '2020-01-01', '2020-01-01T00:00:00Z', '2026-02-30']) {
        const e = await refused(() => intake.post(`/api/documents/${docId}/service`).send(service({ servedAt })), 400, 'VALIDATION_FAILED');
        expect(e.details?.map((d) => d.path)).toContain('body.servedAt');
      }
      const today = chinaDate(t.clock.now());
      const served = await intake.post(`/api/documents/${docId}/service`).send(service({ servedAt: today }));
      expect(served.status).toBe(201);
    });

    it('takes proofs only as PDF, JPEG or PNG whose bytes match (400 PROOF_TYPE_REFUSED), and serves old ones as downloads', async () => {
      const intake = await t.login('intake');
      const html = Buffer.from('<html><script>alert(document.cookie)</script></html>').toString('base64');
      for (const proof of [
        { name: 'x.html', mediaType: 'text/html', contentBase64: html },
        { name: 'x.js', mediaType: 'application/javascript', contentBase64: html },
        { name: 'x.pdf', mediaType: 'application/pdf', contentBase64: html },
        { name: 'x.png', mediaType: 'image/png', contentBase64: Buffer.from('%PDF-1.4').toString('base64') },
      ]) {
        await refused(() => intake.post(`/api/documents/${docId}/service`).send(service({ proof })), 400, 'PROOF_TYPE_REFUSED');
      }
      const png = await intake.post(`/api/documents/${docId}/service`).send(service({ proof: { name: '回执.png', mediaType: 'image/png', contentBase64: PNG.toString('base64') } }));
      expect(png.status).toBe(201);
      const got = await intake.get(`/api/documents/${docId}/service/${png.body.id}/proof`);
      expect(got.headers['content-type']).toBe('image/png');
      expect(got.headers['content-disposition']).toMatch(/^attachment/);
      expect(got.headers['x-content-type-options']).toBe('nosniff');
      // A proof stored before uploads were checked.
      const old = await inTransaction(t.db.ds, (em) => recordService(em, docId, {
        method: 'public_notice', noticeMedium: '郑州日报', servedAt: t.clock.now().getTime(), recordedBy: 'intake', recordedAt: t.clock.now().getTime(),
        proof: { name: 'x.html', mediaType: 'text/html', contentBase64: html },
      }));
      const stored = await intake.get(`/api/documents/${docId}/service/${old.id}/proof`);
      expect(stored.headers['content-type']).toBe('application/octet-stream');
      expect(stored.headers['content-disposition']).toMatch(/^attachment/);
      expect(stored.headers['x-content-type-options']).toBe('nosniff');
    });
  });
});
