/**
 * The complaint and case API: validation (400 naming fields, nothing written), roles, visibility by
 * grid (404 for another grid's case and for forged ids), search with keyset paging, duplicates,
 * employer files made at intake, hostile text stored literally.
 */
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle } from '../../support/lifecycle';
import { makeCreditCode } from '../../../src/cases/credit-code';

jest.setTimeout(120_000);

const CASE_TABLES = ['cases', 'case_parties', 'case_workers', 'case_claims', 'employers', 'audit_log', 'engine_process_instances'];

describe.each(testDbKinds())('complaints and cases over HTTP (%s)', (kind) => {
  let t: TestApp;
  let intake: Awaited<ReturnType<TestApp['login']>>;
  let grids: Record<string, string>;
  let jfCaseId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'cases-http');
    intake = await t.login('intake');
    const rows: { id: string; code: string }[] = await t.db.ds.query('SELECT id, code FROM grids');
    grids = Object.fromEntries(rows.map((r) => [r.code, r.id]));
  });
  afterAll(async () => t?.close());

  it('refuses an invalid complaint naming every field, and writes nothing', async () => {
    const before = await rowCounts(t.db, CASE_TABLES);
    const code = makeCreditCode('91410103MA7654321');
    const res = await intake.post('/api/complaints').send(complaintBody({
      channel: 'fax', claims: [], extra: true, employer: { name: '某公司', creditCode: code.slice(0, 17) + (code[17] === 'A' ? 'B' : 'A') },
      workers: [{ name: '', amountOwed: -5 }],
    }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['body.channel', 'body.claims', 'body.extra', 'body.workers.0.name', 'body.workers.0.amountOwed']));
    expect(paths.some((p: string) => p.startsWith('body.employer'))).toBe(true);
    const grid = await intake.post('/api/complaints').send(complaintBody({ employer: { name: '某公司', address: '某地', gridId: '00000000-0000-4000-8000-000000000000' } }));
    expect(grid.status).toBe(400);
    expect(grid.body.error.details[0].path).toBe('body.employer.gridId');
    expect(await rowCounts(t.db, CASE_TABLES)).toEqual(before);
  });

  it('lets only intake and admin register', async () => {
    const handler = await t.login('handler1');
    expect((await handler.post('/api/complaints').send(complaintBody())).status).toBe(403);
    expect((await t.anonymous().post('/api/complaints').send(complaintBody())).status).toBe(401);
  });

  it('registers with a new employer file in its grid, stores hostile text literally and answers the case', async () => {
    const summary = `<img src=x onerror=alert(1)>'); DELETE FROM cases; -- {{#each this}}`;
    const creditCode = makeCreditCode('91410103MA0000042');
    const res = await intake.post('/api/complaints').send(complaintBody({
      summary, employer: { name: '郑州新开劳务有限公司 <b>', creditCode, address: '解放路 1 号', gridId: grids['JF-02'] },
      complainants: [{ name: "O'Brien <script>", phone: '13800000000' }],
    }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ route: 'inspection', linkedCaseIds: [] });
    expect(res.body.processInstanceKey).toMatch(/^\d+$/);
    jfCaseId = res.body.caseId;
    const employer: { grid_id: string; name: string }[] = await t.db.ds.query('SELECT grid_id, name FROM employers WHERE credit_code = ?', [creditCode]);
    expect(employer[0]).toEqual({ grid_id: grids['JF-02'], name: '郑州新开劳务有限公司 <b>' });
    const page = await (await t.login('handler1')).get(`/api/cases/${jfCaseId}`);
    expect(page.status).toBe(200);
    expect(page.body.summary).toBe(summary);
    expect(page.body.complainants[0].name).toBe("O'Brien <script>");
    expect(page.body.employer.creditCode).toBe(creditCode);
    await lifecycle(t).settle();
  });

  it('links a second complaint against the same employer and lists the duplicates for intake', async () => {
    const creditCode = makeCreditCode('91410103MA0000042');
    const dup = await intake.get('/api/complaints/duplicates').query({ creditCode });
    expect(dup.status).toBe(200);
    expect(dup.body.items.map((i: { caseId: string }) => i.caseId)).toEqual([jfCaseId]);
    const res = await intake.post('/api/complaints').send(complaintBody({ employer: { name: '郑州新开劳务有限公司', creditCode } }));
    expect(res.status).toBe(201);
    expect(res.body.linkedCaseIds).toEqual([jfCaseId]);
    const row: { duplicate_flag: number; linked_case_id: string; grid_id: string }[] = await t.db.ds.query('SELECT duplicate_flag, linked_case_id, grid_id FROM cases WHERE id = ?', [res.body.caseId]);
    expect(row[0]).toMatchObject({ linked_case_id: jfCaseId, grid_id: grids['JF-02'] });
    expect(Number(row[0].duplicate_flag)).toBe(1);
    expect((await intake.get('/api/complaints/duplicates').query({})).status).toBe(400);
    await lifecycle(t).settle();
  });

  it('hides a case from a handler of another grid and answers forged ids with 404', async () => {
    const other = await t.login('handler2');
    const res = await other.get(`/api/cases/${jfCaseId}`);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    expect((await intake.get('/api/cases/3f0c9a52-5a4b-4c4e-9a31-0d8b1c7e2f10')).status).toBe(404);
    expect((await intake.get('/api/cases/not-a-uuid')).status).toBe(400);
    const list = await other.get('/api/cases');
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(jfCaseId);
  });

  it('searches with filters and keyset paging', async () => {
    const all = await intake.get('/api/cases').query({ limit: 100 });
    expect(all.body.items.length).toBeGreaterThanOrEqual(2);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await intake.get('/api/cases').query({ limit: 1, ...(cursor ? { cursor } : {}) });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((c: { id: string }) => c.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((c: { id: string }) => c.id));
    const byName = await intake.get('/api/cases').query({ q: '新开劳务' });
    expect(byName.body.items.length).toBe(2);
    const bySupervised = await intake.get('/api/cases').query({ supervised: 'true' });
    expect(bySupervised.body.items).toEqual([]);
    expect((await intake.get('/api/cases').query({ bogus: 1 })).status).toBe(400);
    const wildcard = await intake.get('/api/cases').query({ q: '%' });
    expect(wildcard.body.items).toEqual([]);
  });
});
