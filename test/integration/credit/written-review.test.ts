/**
 * The annual written review (书面审查) end to end through the real engine, its workers and the test
 * clock: the office opens a review year over three employers (scope by size); each gets its notice with
 * the real employer data and deadline; one submits by spreadsheet import (a bad row and one outside the
 * review refused in the dry run) and passes the review; the one drawn in the sample submits at the
 * window, is verified on site and ordered to correct; the third does not submit, is reminded and recorded
 * as 未报送, which its credit record shows. Progress per grid is checked as a grid's handler and the
 * supervisor see it; a handler cannot reach another grid's employer. Opening goes in batches (two
 * employers per transaction here), and an opening interrupted between batches resumes where it stopped.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { lifecycle, Lifecycle } from '../../support/lifecycle';
import { enrollRemaining, resumeReviewOpenings } from '../../../src/credit/written-review';
import { JOB_ACTION_ACKNOWLEDGEMENT } from '../../../src/workers/contract';
import type { WorkerDeps } from '../../../src/workers/deps';
import { reviewOpenCase } from '../../../src/workers/review.open-case';

jest.setTimeout(300_000);

interface Row { id: string; employer_id: string; grid_id: string; sampled: number | string; state: string; name: string; credit_code: string; address: string; grid_code: string }

const dateText = (ms: number) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' })
  .formatToParts(new Date(ms)).filter((p) => p.type !== 'literal').map((p) => p.value).reduce((a, v, i) => a + v + ['年', '月', '日'][i], '');
const SUBMISSION = { headcount: 20, contractsSigned: 20, wagesPaid: 1_200_000, wagePayDay: 15, workingHoursSystem: 'standard', socialInsuranceParticipants: 20, migrantWorkers: 5, migrantWagesOwed: 0 };

describe.each(testDbKinds())('the annual written review (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let reviewId: string;
  let rows: Row[];
  // A: passes without verification; S: drawn in the sample, verified, ordered to correct; N: never submits.
  let A: Row; let S: Row; let N: Row; let outside: { credit_code: string };

  const html = async (documentId: string) => (await (await t.login('supervisor')).get(`/api/documents/${documentId}/html`)).text;
  const reviewRows = async (): Promise<Row[]> => t.db.ds.query(
    `SELECT w.id, w.employer_id, w.grid_id, w.sampled, w.state, e.name, e.credit_code, e.address, g.code AS grid_code FROM written_review_employers w
     JOIN employers e ON e.id = w.employer_id JOIN grids g ON g.id = w.grid_id WHERE w.review_id = ? ORDER BY e.name`, [reviewId]);
  const row = async (id: string) => (await t.db.ds.query('SELECT * FROM written_review_employers WHERE id = ?', [id]))[0];
  const taskOf = async (reviewEmployerId: string, elementId: string): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      for (const task of (await t.core.engine.listTasks({ limit: 500 })).filter((x) => x.elementId === elementId)) {
        if ((await t.core.engine.getTask(task.key)).variables.reviewEmployerId === reviewEmployerId) return task.key;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no task ${elementId} for ${reviewEmployerId}`);
  };
  const complete = async (who: string, reviewEmployerId: string, elementId: string, variables: Record<string, unknown>) => {
    const res = await (await t.login(who)).post(`/api/tasks/${await taskOf(reviewEmployerId, elementId)}/complete`).send({ variables });
    expect(res.status).toBe(200);
    await life.settle();
  };
  const csv = (lines: string[][]) => Buffer.from(lines.map((l) => l.join(',')).join('\r\n'), 'utf8').toString('base64');

  beforeAll(async () => {
    // Two employers per transaction: the three of the scope are enrolled in two batches.
    t = await startTestApp(kind, 'written-review', { WRITTEN_REVIEW_OPEN_BATCH: '2' });
    life = lifecycle(t);
    // Three small employers in scope (two of 解放路街道, one of 人民路街道), the fourth large and outside it.
    await t.db.ds.query("UPDATE employers SET scale = 'small', industry = '建筑业'");
    outside = (await t.db.ds.query("SELECT e.id, e.credit_code FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'RM-02'"))[0];
    await t.db.ds.query("UPDATE employers SET scale = 'large' WHERE credit_code = ?", [outside.credit_code]);
  });
  afterAll(async () => t?.close());

  it('opens the year for the employers in scope, refuses a second one and an empty scope, and sends each employer its notice', async () => {
    expect((await (await t.login('handler1')).post('/api/written-reviews').send({ year: 2026, scope: { scales: ['small'] } })).status).toBe(403);
    const sup = await t.login('supervisor');
    const empty = await sup.post('/api/written-reviews').send({ year: 2025, scope: { industries: ['采矿业'] } });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('WRITTEN_REVIEW_EMPTY_SCOPE');
    const opened = await sup.post('/api/written-reviews').send({ year: 2026, scope: { scales: ['small'], industries: ['建筑业'] } });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ year: 2026, state: 'open', employersTotal: 3, enrolled: 3, title: '2026年度劳动保障书面审查' });
    reviewId = opened.body.id;
    const again = await sup.post('/api/written-reviews').send({ year: 2026 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('WRITTEN_REVIEW_EXISTS');
    expect(Number((await t.db.ds.query('SELECT COUNT(*) AS n FROM written_reviews'))[0].n)).toBe(1);
    await life.settle();

    rows = await reviewRows();
    expect(rows.map((r) => r.state)).toEqual(['notified', 'notified', 'notified']);
    // The sample (10 %, at least one) is one employer of three, drawn when the scope was enrolled.
    const sampled = rows.filter((r) => Number(r.sampled) === 1);
    expect(sampled).toHaveLength(1);
    S = sampled[0];
    const others = rows.filter((r) => r !== S);
    // The employer that passes is one handler1 sees (解放路街道) when there is one; the other never submits.
    A = others.find((r) => r.grid_code.startsWith('JF')) ?? others[0];
    N = others.find((r) => r !== A)!;

    for (const r of rows) {
      const doc = (await t.db.ds.query('SELECT d.id, w.submission_due_at FROM written_review_employers w JOIN documents d ON d.id = w.notice_document_id WHERE w.id = ?', [r.id]))[0];
      const text = await html(doc.id);
      expect(text).toContain(r.name);
      expect(text).toContain(r.address.replace(/\s+/g, ' '));
      expect(text).toContain(r.credit_code);
      expect(text).toContain('2026年度');
      expect(text).toContain(dateText(Number(doc.submission_due_at)));
      expect(text).toContain('30日内');
    }
  });

  it('imports a spreadsheet: a dry run refuses the bad row and the employer outside the review and writes nothing; confirmed, the good row is recorded', async () => {
    const file = csv([
      ['统一社会信用代码', '单位名称', '职工人数', '签订劳动合同人数', '工资总额（元）', '工资支付日', '工时制度', '参保人数', '农民工人数', '拖欠农民工工资（元）'],
      [A.credit_code, A.name, '20', '20', '1200000', '15', '标准工时制', '20', '5', '0'],
      [N.credit_code, N.name, '10', '12', '300000', '10', '标准工时制', '10', '2', '0'],
      [outside.credit_code, '郑州顺通物流有限公司', '42', '42', '900000', '10', '标准工时制', '42', '0', '0'],
    ]);
    const intake = await t.login('intake');
    const dry = await intake.post(`/api/written-reviews/${reviewId}/import`).send({ fileName: '报送材料.csv', contentBase64: file });
    expect(dry.status).toBe(200);
    expect(dry.body.counts).toEqual({ record: 1, refused: 2 });
    expect(dry.body.refused.map((r: { row: number; reasons: string[] }) => [r.row, r.reasons.join('；')])).toEqual([
      [3, '签订劳动合同人数不能多于职工人数'], [4, '该单位不在本年度书面审查范围内'],
    ]);
    expect((await row(A.id)).state).toBe('notified');
    const badColumns = await intake.post(`/api/written-reviews/${reviewId}/import`).send({ fileName: 'x.csv', contentBase64: csv([['单位名称'], ['某公司']]) });
    expect(badColumns.status).toBe(400);
    expect(badColumns.body.error.code).toBe('IMPORT_COLUMNS');
    expect((await (await t.login('handler1')).post(`/api/written-reviews/${reviewId}/import`).send({ fileName: '报送材料.csv', contentBase64: file })).status).toBe(403);

    const done = await intake.post(`/api/written-reviews/${reviewId}/import`).send({ fileName: '报送材料.csv', contentBase64: file, confirm: true });
    expect(done.status).toBe(200);
    expect(done.body.counts).toEqual({ record: 1, refused: 2 });
    await life.settle();
    expect(await row(A.id)).toMatchObject({ state: 'submitted', submission_source: 'import' });
    expect(await row(N.id)).toMatchObject({ state: 'notified', submitted_at: null });
  });

  it('enters the sampled employer at the window, refuses it from another grid and twice, and reviews both: one passes, one is verified and ordered to correct', async () => {
    const foreign = S.grid_code.startsWith('JF') ? 'handler2' : 'handler1';
    const own = foreign === 'handler1' ? 'handler2' : 'handler1';
    expect((await (await t.login(foreign)).post(`/api/written-reviews/employers/${S.id}/submission`).send(SUBMISSION)).status).toBe(404);
    expect((await (await t.login(foreign)).get(`/api/written-reviews/employers/${S.id}`)).status).toBe(404);
    // The notice has no case: the employer's grid decides who reads it — its own handler does, another grid's does not.
    const notice = String((await row(S.id)).notice_document_id);
    expect((await (await t.login(own)).get(`/api/documents/${notice}/html`)).status).toBe(200);
    expect((await (await t.login(foreign)).get(`/api/documents/${notice}/html`)).status).toBe(404);
    const intake = await t.login('intake');
    const wrong = await intake.post(`/api/written-reviews/employers/${S.id}/submission`).send({ ...SUBMISSION, socialInsuranceParticipants: 30 });
    expect(wrong.status).toBe(400);
    const entered = await intake.post(`/api/written-reviews/employers/${S.id}/submission`).send({ ...SUBMISSION, contractsSigned: 14 });
    expect(entered.status).toBe(201);
    expect(entered.body).toMatchObject({ state: 'submitted', submissionSource: 'window', employerName: S.name, submission: { contractsSigned: 14 } });
    const twice = await intake.post(`/api/written-reviews/employers/${S.id}/submission`).send(SUBMISSION);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('WRITTEN_REVIEW_NOT_AWAITING');
    await life.settle();

    // The review: the reviewer sees the doubts the figures raise; neither is flagged.
    const handlerOf = (r: Row) => (r.grid_code.startsWith('JF') ? 'handler1' : 'handler2');
    const task = await t.core.engine.getTask(await taskOf(S.id, 'Task_Review'));
    expect(task.variables.reviewConcerns).toBe('6名职工未签订书面劳动合同');
    await complete(handlerOf(A), A.id, 'Task_Review', { reviewFlagged: 'no', reviewOpinion: '材料齐全，未发现疑点。' });
    expect(await row(A.id)).toMatchObject({ state: 'concluded', result: 'qualified', verified_at: null });
    await complete(handlerOf(S), S.id, 'Task_Review', { reviewFlagged: 'no', reviewOpinion: '报送材料显示部分职工未签订劳动合同。' });
    expect(await row(S.id)).toMatchObject({ state: 'verifying', flagged: expect.anything() });
    await complete(handlerOf(S), S.id, 'Task_Verify', {
      reviewResult: 'correction', verificationNote: '经实地核查，6名职工未签订书面劳动合同。', correctionItems: '与6名职工补签书面劳动合同。',
    });
    const s = await row(S.id);
    expect(s).toMatchObject({ state: 'concluded', result: 'correction' });
    expect(s.verified_at).not.toBeNull();
    const order = await html(s.order_document_id);
    expect(order).toContain(S.name);
    expect(order).toContain('6名职工未签订书面劳动合同');
    expect(order).toContain('与6名职工补签书面劳动合同');
    expect(order).toContain(dateText(Number(s.correction_due_at)));
  });

  it('reminds the employer that does not submit, then records it as 未报送 in its credit record', async () => {
    await life.advance('P31D');
    const reminded = await row(N.id);
    expect(reminded.state).toBe('reminded');
    const reminder = await html(reminded.reminder_document_id);
    const notice = (await t.db.ds.query('SELECT number FROM documents WHERE id = ?', [reminded.notice_document_id]))[0].number;
    expect(reminder).toContain(N.name);
    expect(reminder).toContain(notice);
    expect(reminder).toContain(dateText(Number(reminded.reminder_due_at)));
    // The order's period ran out meanwhile: the re-check finds it corrected.
    await complete(S.grid_code.startsWith('JF') ? 'handler1' : 'handler2', S.id, 'Task_Recheck', { reviewCorrected: 'yes', recheckNote: '已补签劳动合同。' });
    expect(Number((await row(S.id)).corrected)).toBe(1);

    await life.advance('P20D');
    expect(await row(N.id)).toMatchObject({ state: 'concluded', result: 'not-submitted' });
    const late = await (await t.login('intake')).post(`/api/written-reviews/employers/${N.id}/submission`).send(SUBMISSION);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('WRITTEN_REVIEW_NOT_AWAITING');
    const credit = await (await t.login('supervisor')).get(`/api/employers/${N.employer_id}/credit`);
    expect(credit.status).toBe(200);
    expect(credit.body.writtenReviews).toEqual([expect.objectContaining({ year: 2026, result: 'not-submitted' })]);
  });

  it('shows progress per grid: the whole office to the supervisor, his grids only to a handler', async () => {
    const sup = await (await t.login('supervisor')).get(`/api/written-reviews/${reviewId}`);
    expect(sup.status).toBe(200);
    expect(sup.body.progress.total).toMatchObject({ inScope: 3, notified: 3, submitted: 2, reviewed: 2, verified: 1, nonSubmitters: 1, qualified: 1, correction: 1, cases: 0, awaiting: 0 });
    expect(sup.body.progress.grids.reduce((n: number, g: { inScope: number }) => n + g.inScope, 0)).toBe(3);
    const h1 = await (await t.login('handler1')).get(`/api/written-reviews/${reviewId}`);
    const jf = rows.filter((r) => r.grid_code.startsWith('JF'));
    expect(h1.body.progress.total.inScope).toBe(jf.length);
    const list = await (await t.login('handler1')).get(`/api/written-reviews/${reviewId}/employers`);
    expect(list.body.items.map((i: { employerName: string }) => i.employerName).sort()).toEqual(jf.map((r) => r.name).sort());
    const nonSubmitters = await (await t.login('supervisor')).get(`/api/written-reviews/${reviewId}/employers?result=not-submitted`);
    expect(nonSubmitters.body.items.map((i: { employerId: string }) => i.employerId)).toEqual([N.employer_id]);
  });

  it('enrolls in batches, one transaction each, and resumes an opening interrupted after a batch', async () => {
    // The 2026 opening above: three employers, two batches, every lifecycle started with its row.
    const audit = await t.db.ds.query("SELECT COUNT(*) AS n FROM written_review_employers WHERE review_id = ? AND process_instance_key IS NOT NULL", [reviewId]);
    expect(Number(audit[0].n)).toBe(3);
    // A 2025 review whose opening stopped after its first batch of one employer (the process crashed).
    const sup = await t.db.ds.query("SELECT id, office_id FROM written_reviews WHERE id = ?", [reviewId]);
    const first = (await t.db.ds.query('SELECT id FROM employers ORDER BY id'))[0].id;
    const interrupted = '9d4e5162-7e8f-4091-8cb3-c4d5e6f70819';
    const now = t.clock.now().getTime();
    await t.db.ds.query(`INSERT INTO written_reviews (id, office_id, year, title, scope_json, state, employers_total, enrolled, opened_by, opened_at, created_at, updated_at)
      VALUES (?, ?, 2025, '2025年度劳动保障书面审查', '{}', 'opening', 4, 1, 'supervisor', ?, ?, ?)`, [interrupted, sup[0].office_id, now, now, now]);
    await t.db.ds.query(`INSERT INTO written_review_employers (id, review_id, office_id, employer_id, grid_id, state, process_instance_key, created_at, updated_at)
      SELECT 'a0e5f617-8f90-41a2-9dc4-d5e6f708192a', ?, office_id, id, grid_id, 'enrolled', '1', ?, ? FROM employers WHERE id = ?`, [interrupted, now, now, first]);
    const stamps: number[] = [];
    // What the service does at start: every review still opening carries on.
    const logged: unknown[] = [];
    await resumeReviewOpenings({ ds: t.db.ds, engine: t.core.engine, rules: t.core.rules, batchSize: 1, now: () => { stamps.push(Date.now()); return t.clock.now().getTime(); } },
      { info: (o) => logged.push(o), warn: (o) => logged.push(o) });
    expect(logged).toEqual([{ reviewId: interrupted, added: 3 }]);
    expect(stamps.length).toBe(4); // three batches of one, and the empty one that ends the opening
    expect(await t.db.ds.query('SELECT state, enrolled FROM written_reviews WHERE id = ?', [interrupted])).toEqual([expect.objectContaining({ state: 'open' })]);
    const enrolled = await t.db.ds.query('SELECT employer_id, sampled FROM written_review_employers WHERE review_id = ?', [interrupted]);
    expect(new Set(enrolled.map((r: { employer_id: string }) => r.employer_id)).size).toBe(4);
    expect(enrolled.filter((r: { sampled: number | string }) => Number(r.sampled) === 1)).toHaveLength(1);
    expect(Number((await t.db.ds.query('SELECT enrolled FROM written_reviews WHERE id = ?', [interrupted]))[0].enrolled)).toBe(4);
    // Resuming once more adds nothing.
    expect(await enrollRemaining({ ds: t.db.ds, engine: t.core.engine, rules: t.core.rules, batchSize: 1, now: () => t.clock.now().getTime() }, interrupted)).toBe(0);
    await life.settle();
  });

  it('opens an inspection case for an employer the review could not settle, once however often the step runs', async () => {
    // The step as the lifecycle runs it for 未报送 N's row; run twice, as a redelivered job is.
    const worker = reviewOpenCase({ ds: t.db.ds, clock: t.clock, rules: t.core.rules, logger: { info() {}, warn() {}, error() {} }, processes: t.core.engine } as WorkerDeps);
    const run = async () => {
      const done: unknown[] = [];
      const job = {
        key: '1', type: 'review.open-case', processInstanceKey: '999999998', bpmnProcessId: 'written-review', processDefinitionVersion: 1, processDefinitionKey: 'd',
        elementId: 'Task_OpenCase', elementInstanceKey: '3', customHeaders: {}, worker: 'w', retries: 3, deadline: 0,
        variables: { reviewEmployerId: N.id, recheckNote: '逾期未报送书面材料，经催报仍未报送。' },
        complete: async (arg: unknown) => { done.push(arg); return JOB_ACTION_ACKNOWLEDGEMENT; },
        fail: async (arg: unknown) => { throw new Error(`failed: ${JSON.stringify(arg)}`); },
        error: async (arg: unknown) => { throw new Error(`error: ${JSON.stringify(arg)}`); },
      } as unknown as Parameters<typeof worker.handler>[0];
      await worker.handler(job);
      return done[0] as { openedCaseId: string; openedCaseNumber: string };
    };
    const first = await run();
    const again = await run();
    expect(again).toEqual(first);
    const c = (await t.db.ds.query('SELECT employer_id, kind, summary FROM cases WHERE id = ?', [first.openedCaseId]))[0];
    expect(c).toMatchObject({ employer_id: N.employer_id, kind: 'report' });
    expect(String(c.summary)).toContain('2026年度书面审查发现：逾期未报送书面材料');
    const processes = await t.db.ds.query("SELECT bpmn_process_id FROM case_processes WHERE case_id = ? AND role = 'main'", [first.openedCaseId]);
    expect(processes).toEqual([{ bpmn_process_id: 'inspection-case' }]);
    expect(await row(N.id)).toMatchObject({ state: 'concluded', result: 'case', case_id: first.openedCaseId });
    expect(Number((await t.db.ds.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'written-review.open-case' AND entity_id = ?", [N.id]))[0].n)).toBe(1);
    await life.settle();
  });
});
