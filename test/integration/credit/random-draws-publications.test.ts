/**
 * Random inspections (双随机、一公开) and the publication of major violations (人社部令第29号) through
 * the HTTP API on SQLite and MariaDB: bad draws refused with nothing written; a draw that excludes the
 * inspectors in conflict, opens each drawn employer's inspection case, is stored beyond change and
 * reproduced from its seed (a changed input is caught); results recorded and published as a document
 * and an xlsx list; a quarter's publication with one qualifying and one non-qualifying case, confirmed,
 * read back as a document and in the employer's credit file.
 */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { lifecycle, type Lifecycle } from '../../support/lifecycle';
import { checkDraw, computeDraw, inputsText, resultText, sha256, type DrawInputs } from '../../../src/credit/draw-random';
import { prepareDraw } from '../../../src/credit/draws';
import { chinaDate } from '../../../src/deadlines/china-time';

jest.setTimeout(300_000);

const binary = (res: import('superagent').Response, cb: (e: Error | null, b: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function sheetRows(buf: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

describe.each(testDbKinds())('random inspections and publication of major violations (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let officeId: string;
  const employers = new Map<string, { id: string; name: string; gridCode: string }>();
  const users = new Map<string, string>();

  const count = async (table: string) => Number((await t.db.ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const as = (who: string) => t.login(who);

  /** An inspector (handler) copied from handler1's account, assigned to `grid` when given. */
  async function addInspector(username: string, displayName: string, gridCode?: string) {
    const id = crypto.randomUUID();
    await t.db.ds.query(
      `INSERT INTO users (id, office_id, username, display_name, password_hash, active, created_at, updated_at)
       SELECT ?, office_id, ?, ?, password_hash, active, created_at, updated_at FROM users WHERE username = 'handler1'`, [id, username, displayName]);
    await t.db.ds.query("INSERT INTO user_roles (user_id, role) VALUES (?, 'handler')", [id]);
    if (gridCode) await t.db.ds.query('INSERT INTO user_grids (user_id, grid_id) SELECT ?, id FROM grids WHERE code = ?', [id, gridCode]);
    users.set(username, id);
  }

  beforeAll(async () => {
    t = await startTestApp(kind, 'credit-draws');
    life = lifecycle(t);
    const rows: { id: string; name: string; code: string; office_id: string }[] = await t.db.ds.query(
      'SELECT e.id, e.name, g.code, e.office_id FROM employers e JOIN grids g ON g.id = e.grid_id ORDER BY g.code');
    for (const r of rows) employers.set(r.code, { id: r.id, name: r.name, gridCode: r.code });
    officeId = rows[0].office_id;
    for (const u of await t.db.ds.query("SELECT id, username FROM users WHERE username IN ('handler1', 'handler2')") as { id: string; username: string }[]) users.set(u.username, u.id);
  });
  afterAll(async () => t?.close());

  let itemId: string;
  let drawId: string;

  it('keeps the inspection items list for admin and legal staff only', async () => {
    const denied = await (await as('handler1')).post('/api/inspection-items').send({ name: '工资支付情况', basis: '《劳动保障监察条例》第十一条' });
    expect(denied.status).toBe(403);
    const res = await (await as('legal')).post('/api/inspection-items').send({ name: '工资支付情况', basis: '《劳动保障监察条例》第十一条' });
    expect(res.status).toBe(201);
    itemId = res.body.id;
    const second = await (await as('admin')).post('/api/inspection-items').send({ name: '劳动合同签订情况', basis: '《劳动合同法》第十条' });
    expect(second.status).toBe(201);
    expect((await (await as('handler1')).get('/api/inspection-items')).body.items).toHaveLength(2);
  });

  it('refuses bad draws with a clear 4xx and writes nothing', async () => {
    const legal = await as('legal');
    const before = { draws: await count('random_draws'), cases: await count('cases') };
    for (const proportionPercent of [0, -5, 100.5, 'ten']) {
      const res = await legal.post('/api/random-draws').send({ title: '抽查', itemIds: [itemId], proportionPercent });
      expect(res.status).toBe(400);
    }
    expect((await legal.post('/api/random-draws').send({ title: '抽查', itemIds: [] })).status).toBe(400);
    const unknownItem = await legal.post('/api/random-draws').send({ title: '抽查', itemIds: [crypto.randomUUID()] });
    expect(unknownItem.status).toBe(422);
    expect(unknownItem.body.error.code).toBe('DRAW_UNKNOWN_ITEM');
    // Only handler1 and handler2 are inspectors; handler2 recused for one employer leaves it one.
    const recusal = await legal.post('/api/inspector-recusals').send({ userId: users.get('handler2'), employerId: employers.get('RM-01')!.id, reason: '其配偶在该单位任职' });
    expect(recusal.status).toBe(201);
    const short = await legal.post('/api/random-draws').send({ title: '抽查', itemIds: [itemId], proportionPercent: 100 });
    expect(short.status).toBe(422);
    expect(short.body.error.code).toBe('DRAW_TOO_FEW_INSPECTORS');
    expect(short.body.error.message).toContain(employers.get('RM-01')!.name);
    // A handler may not draw, nor record another's recusal.
    expect((await (await as('handler1')).post('/api/random-draws').send({ title: '抽查', itemIds: [itemId] })).status).toBe(403);
    expect((await (await as('handler1')).post('/api/inspector-recusals').send({ userId: users.get('handler2'), employerId: employers.get('JF-01')!.id, reason: '回避' })).status).toBe(403);
    // An office with no employers has an empty register.
    await expect(prepareDraw(t.db.ds.manager, crypto.randomUUID(), { proportionPercent: 5, perEmployer: 2, excludeGridInspector: true, weights: { A: 1, B: 2, C: 4, '-': 2 } }))
      .rejects.toMatchObject({ status: 422, code: 'DRAW_EMPTY_REGISTER' });
    expect({ draws: await count('random_draws'), cases: await count('cases') }).toEqual(before);
  });

  it('draws two inspectors per employer with none in conflict, opens each inspection case, and reproduces the draw from its seed', async () => {
    await addInspector('insp3', '监察员 孙浩', 'JF-01');
    await addInspector('insp4', '监察员 周洁');
    await addInspector('insp5', '监察员 吴凡');
    const legal = await as('legal');
    // insp4 records their own recusal; handler2's from before still stands.
    const own = await (await as('insp4')).post('/api/inspector-recusals').send({ userId: users.get('insp4'), employerId: employers.get('JF-02')!.id, reason: '曾在该单位任职' });
    expect(own.status).toBe(201);
    const casesBefore = await count('cases');
    const res = await legal.post('/api/random-draws').send({ title: '2026年劳动保障“双随机”抽查', itemIds: [itemId], proportionPercent: 100 });
    expect(res.status).toBe(201);
    drawId = res.body.id;
    const d = res.body;
    expect(d.drawnCount).toBe(employers.size);
    expect(d.results).toHaveLength(employers.size);
    for (const r of d.results) {
      const ids = r.inspectors.map((i: { id: string }) => i.id);
      expect(new Set(ids).size).toBe(2);
      if (r.employerId === employers.get('JF-01')!.id) expect(ids).not.toContain(users.get('insp3'));
      if (r.employerId === employers.get('JF-02')!.id) expect(ids).not.toContain(users.get('insp4'));
      if (r.employerId === employers.get('RM-01')!.id) expect(ids).not.toContain(users.get('handler2'));
      expect(r.caseId).toEqual(expect.any(String));
      expect(r.caseNumber).toEqual(expect.any(String));
    }
    expect(await count('cases')).toBe(casesBefore + employers.size);
    const started: { n: number | string }[] = await t.db.ds.query(
      "SELECT COUNT(*) AS n FROM case_processes p JOIN random_draw_results r ON r.case_id = p.case_id WHERE r.draw_id = ? AND p.bpmn_process_id = 'inspection-case'", [drawId]);
    expect(Number(started[0].n)).toBe(employers.size);
    const first = d.results[0];
    const instance: { process_instance_key: string }[] = await t.db.ds.query('SELECT process_instance_key FROM case_processes WHERE case_id = ?', [first.caseId]);
    const vars = (await t.core.engine.getInstance(instance[0].process_instance_key)).variables;
    const usernames: { username: string }[] = await t.db.ds.query('SELECT username FROM users WHERE id IN (?, ?)', first.inspectors.map((i: { id: string }) => i.id));
    expect([vars.leadInspector, vars.secondInspector].sort()).toEqual(usernames.map((u) => u.username).sort());

    // Reproduced from the stored seed and inputs.
    const again = await legal.get(`/api/random-draws/${drawId}/reproduce`);
    expect(again.body).toMatchObject({ reproduced: true, inputsIntact: true, resultIntact: true, resultMatches: true });
    // Same seed, same draw; a changed input is caught.
    const ev = (await (await as('handler1')).get(`/api/random-draws/${drawId}/evidence`)).body as { seed: string; inputs: DrawInputs; result: unknown; inputsSha256: string; resultSha256: string };
    expect(resultText(computeDraw(ev.seed, ev.inputs))).toBe(JSON.stringify(ev.result));
    const changed = inputsText({ ...ev.inputs, recusals: [] });
    expect(checkDraw({ seed: ev.seed, inputsJson: changed, inputsSha256: ev.inputsSha256, resultJson: JSON.stringify(ev.result), resultSha256: ev.resultSha256 }).inputsIntact).toBe(false);
    expect(sha256(inputsText(ev.inputs))).toBe(ev.inputsSha256);
    // The database itself refuses to change or remove a draw.
    await expect(t.db.ds.query("UPDATE random_draws SET seed = 'x' WHERE id = ?", [drawId])).rejects.toThrow(/immutable/);
    await expect(t.db.ds.query('DELETE FROM random_draws WHERE id = ?', [drawId])).rejects.toThrow(/immutable/);
    // No route changes a draw.
    expect((await legal.patch(`/api/random-draws/${drawId}`).send({ title: 'x' })).status).toBe(405);
    expect((await legal.delete(`/api/random-draws/${drawId}`)).status).toBe(405);
  });

  it('records the results, refuses to publish before all are in, then publishes the list document and xlsx', async () => {
    const legal = await as('legal');
    const d = (await legal.get(`/api/random-draws/${drawId}`)).body;
    const today = chinaDate(t.clock.now());
    const notTheirs = d.results.find((r: { inspectors: { id: string }[] }) => !r.inspectors.some((i) => i.id === users.get('insp5')));
    if (notTheirs) expect((await (await as('insp5')).post(`/api/random-draws/${drawId}/results/${notTheirs.id}`).send({ outcome: 'compliant', endedOn: today })).status).toBe(403);
    const [firstResult, ...rest] = d.results;
    const lead = (await t.db.ds.query('SELECT username FROM users WHERE id = ?', [firstResult.inspectors[0].id]))[0].username;
    expect((await (await as(lead)).post(`/api/random-draws/${drawId}/results/${firstResult.id}`).send({ outcome: 'corrected', note: '未按月记录工资台账', endedOn: today })).status).toBe(200);
    const early = await legal.post(`/api/random-draws/${drawId}/publish`).send({});
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('DRAW_RESULTS_PENDING');
    expect((await legal.post(`/api/random-draws/${drawId}/results/${rest[0].id}`).send({ outcome: 'compliant', endedOn: '2099-01-01' })).status).toBe(400);
    for (const r of rest) expect((await legal.post(`/api/random-draws/${drawId}/results/${r.id}`).send({ outcome: 'compliant', endedOn: today })).status).toBe(200);
    // Every inspection has ended: the publication period runs in the draw's lifecycle; past its last day
    // the timer records it overdue and the draw shows it.
    await life.settle();
    const ended = (await legal.get(`/api/random-draws/${drawId}`)).body;
    expect(ended.publicationDue > today).toBe(true);
    expect(ended.publicationOverdue).toBe(false);
    const [instance] = await t.core.engine.searchInstances({ businessKey: `random-draw:${drawId}` });
    expect((await t.core.engine.getInstance(instance.processInstanceKey)).variables.deadlines).toMatchObject({ drawPublication: { dueDate: ended.publicationDue } });
    await life.advance('P45D');
    const overdue: unknown[] = await t.db.ds.query("SELECT 1 AS x FROM audit_log WHERE action = 'random-draw.publication-overdue' AND entity_id = ?", [drawId]);
    expect(overdue).toHaveLength(1);
    // A new session: the one from before has lapsed in those days.
    const later = await as('legal');
    expect((await later.get(`/api/random-draws/${drawId}`)).body.publicationOverdue).toBe(true);
    const published = await later.post(`/api/random-draws/${drawId}/publish`).send({});
    expect(published.status).toBe(201);
    expect(published.body.publication.number).toContain('抽公');
    expect(published.body.publicationDue).toBe(ended.publicationDue);
    expect(published.body.publicationOverdue).toBe(false);
    await life.settle();
    expect((await t.core.engine.getInstance(instance.processInstanceKey)).state).toBe('completed');
    const html = (await later.get(`/api/documents/${published.body.publication.documentId}/html`)).text;
    for (const e of employers.values()) expect(html).toContain(e.name);
    expect(html).toContain(published.body.seed);
    expect(html).toContain('未按月记录工资台账');
    const xlsx = await later.get(`/api/random-draws/${drawId}/export.xlsx`).buffer(true).parse(binary);
    expect(xlsx.status).toBe(200);
    const rows = await sheetRows(xlsx.body as Buffer);
    expect(rows).toHaveLength(employers.size + 1);
    expect(rows.some((r) => r.includes('发现问题，已责令改正'))).toBe(true);
    expect((await later.post(`/api/random-draws/${drawId}/results/${firstResult.id}`).send({ outcome: 'compliant', endedOn: today })).status).toBe(409);
    expect((await later.post(`/api/random-draws/${drawId}/publish`).send({})).status).toBe(409);
  });

  it('publishes a quarter\'s major violations: the qualifying case in, the other out, confirmed and kept in the employer\'s file', async () => {
    const closedAt = t.clock.now().getTime() - 24 * 3600_000;
    const day = chinaDate(closedAt);
    const period = `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
    const big = employers.get('JF-01')!;
    const small = employers.get('RM-02')!;
    let seq = 0;
    async function closedCase(employerId: string, outcome: string, owedYuan: number) {
      const id = crypto.randomUUID();
      seq++;
      await t.db.ds.query(
        `INSERT INTO cases (id, office_id, grid_id, employer_id, case_number, year, sequence, kind, channel, received_at, status, outcome, summary,
          total_owed, workers_count, wage_arrears, closed_at, created_by, created_at, updated_at)
         VALUES (?, ?, NULL, ?, ?, 2026, ?, 'complaint', 'window', ?, 'closed', ?, '投诉', ?, 12, 1, ?, 'intake', ?, ?)`,
        [id, officeId, employerId, `PUB-2026-${String(seq).padStart(6, '0')}`, 8000 + seq, closedAt, outcome, owedYuan * 100, closedAt, closedAt, closedAt]);
      await t.db.ds.query("INSERT INTO case_claims (id, case_id, position, category, description, amount) VALUES (?, ?, 0, 'wage-arrears', '拖欠工资', NULL)", [crypto.randomUUID(), id]);
      return id;
    }
    const qualifying = await closedCase(big.id, 'referred-to-police', 360000);
    await closedCase(small.id, 'corrected', 5000);

    expect((await (await as('handler1')).post('/api/publications').send({ period })).status).toBe(403);
    expect((await (await as('legal')).post('/api/publications').send({ period: '2026-Q5' })).status).toBe(400);
    const future = await (await as('legal')).post('/api/publications').send({ period: `${Number(day.slice(0, 4)) + 2}-Q1` });
    expect(future.status).toBe(422);
    expect(future.body.error.code).toBe('PUBLICATION_PERIOD_NOT_STARTED');

    const legal = await as('legal');
    const proposed = await legal.post('/api/publications').send({ period });
    expect(proposed.status).toBe(201);
    expect(proposed.body.entries).toHaveLength(1);
    const entry = proposed.body.entries[0];
    expect(entry).toMatchObject({ caseId: qualifying, employerId: big.id, criterion: 'arrears-criminal', included: true });
    expect(entry.facts).toContain('360,000.00元');
    expect((await legal.post('/api/publications').send({ period })).status).toBe(409);

    const confirmed = await legal.post(`/api/publications/${proposed.body.id}/confirm`).send({});
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.state).toBe('confirmed');
    const html = (await legal.get(`/api/documents/${confirmed.body.document.id}/html`)).text;
    const file: { credit_code: string; legal_representative: string } = (await t.db.ds.query('SELECT credit_code, legal_representative FROM employers WHERE id = ?', [big.id]))[0];
    expect(html).toContain(big.name);
    expect(html).toContain(file.credit_code);
    expect(html).toContain(file.legal_representative);
    expect(html).toContain('移送公安机关');
    expect(html).not.toContain(small.name);
    const xlsx = await legal.get(`/api/publications/${proposed.body.id}/export.xlsx`).buffer(true).parse(binary);
    const rows = await sheetRows(xlsx.body as Buffer);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual(expect.arrayContaining([big.name, file.credit_code, file.legal_representative]));
    expect((await legal.post(`/api/publications/${proposed.body.id}/confirm`).send({})).status).toBe(409);

    const credit = (await legal.get(`/api/employers/${big.id}/credit`)).body;
    expect(credit.publications).toEqual([expect.objectContaining({ publicationId: proposed.body.id, documentId: confirmed.body.document.id })]);
    expect((await legal.get(`/api/employers/${small.id}/credit`)).body.publications).toEqual([]);
  });
});
