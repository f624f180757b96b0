/**
 * The yearly grading lifecycle (workflows/credit-grading.bpmn) end to end through the real engine, its
 * workers, the HTTP routes and the test clock, on SQLite and MariaDB: a run over last year's record
 * with one employer of each grade and the records that justify it; a proposal changed at review with
 * its reason (audited); C grades told in writing; an objection in time left for the decision task and
 * upheld there (the C becomes a B, with the decision document); one after the period recorded as late
 * and answered by the rule; the grades final and in the employers' files; what others may not do.
 */
import crypto from 'node:crypto';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { lifecycle, Lifecycle } from '../../support/lifecycle';
import { currentGrade } from '../../../src/credit/grading';

jest.setTimeout(300_000);

type Row = Record<string, unknown>;

describe.each(testDbKinds())('the yearly A/B/C grading (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let officeId: string;
  const emp: Record<string, string> = {};
  let year: number;
  let seq = 0;

  const at = (md: string) => Date.parse(`${year}-${md}T10:00:00+08:00`);

  async function closedCase(employerId: string, outcome: string, category = 'wage-arrears', closedAt = at('06-01')): Promise<{ id: string; number: string }> {
    const id = crypto.randomUUID();
    seq++;
    const number = `GR-${year}-${String(seq).padStart(6, '0')}`;
    await t.db.ds.query(
      `INSERT INTO cases (id, office_id, grid_id, employer_id, case_number, year, sequence, kind, channel, received_at, status, outcome, summary,
        total_owed, workers_count, wage_arrears, closed_at, created_by, created_at, updated_at)
       VALUES (?, ?, NULL, ?, ?, ?, ?, 'complaint', 'window', ?, 'closed', ?, '投诉', NULL, 1, 1, ?, 'intake', ?, ?)`,
      [id, officeId, employerId, number, year, 90000 + seq, closedAt, outcome, closedAt, closedAt, closedAt]);
    await t.db.ds.query("INSERT INTO case_claims (id, case_id, position, category, description, amount) VALUES (?, ?, 0, ?, '事项', NULL)", [crypto.randomUUID(), id, category]);
    return { id, number };
  }

  async function patrolOrder(employerId: string, period: string): Promise<void> {
    const grid = ((await t.db.ds.query('SELECT grid_id FROM employers WHERE id = ?', [employerId])) as Row[])[0].grid_id;
    await t.db.ds.query(
      `INSERT INTO patrols (id, office_id, grid_id, employer_id, plan_id, period, state, due_at, done_at, done_by, outcome, findings_json, document_id, case_id, warning_id,
        process_instance_key, follow_up_due_at, follow_up_result, created_at) VALUES (?, ?, ?, ?, NULL, ?, 'done', ?, ?, 'grid1', 'order', NULL, NULL, NULL, NULL, NULL, NULL, 'corrected', ?)`,
      [crypto.randomUUID(), officeId, grid, employerId, period, at('03-01'), at('03-01'), at('03-01')]);
  }

  beforeAll(async () => {
    t = await startTestApp(kind, 'credit-grading-run');
    life = lifecycle(t);
    year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(t.clock.now())) - 1;
    const rows: { id: string; name: string; office_id: string }[] = await t.db.ds.query('SELECT id, name, office_id FROM employers');
    for (const r of rows) emp[r.name] = r.id;
    officeId = rows[0].office_id;
    // A fifth employer in RM-01, proposed A and changed at review.
    const rm01 = ((await t.db.ds.query("SELECT id FROM grids WHERE code = 'RM-01'")) as Row[])[0].id;
    emp.extra = crypto.randomUUID();
    await t.db.ds.query(
      "INSERT INTO employers (id, office_id, grid_id, name, credit_code, address, legal_representative, phone, headcount, created_at, updated_at) VALUES (?, ?, ?, '郑州恒通机械制造有限公司', NULL, '郑州市金水区文化路 5 号', '孙恒', NULL, 30, ?, ?)",
      [emp.extra, officeId, rm01, Date.now(), Date.now()]);
  });
  afterAll(async () => t?.close());

  it('grades, reviews, tells the C grades, decides an objection in time and a late one, and makes the grades final', async () => {
    const hongda = emp['郑州宏达建筑劳务有限公司'];
    const meijia = emp['郑州美佳餐饮管理有限公司'];
    const xinyuan = emp['河南鑫源电子科技有限公司'];
    const shuntong = emp['郑州顺通物流有限公司'];
    const child = await closedCase(hongda, 'corrected', 'child-labour');
    const bCase = await closedCase(meijia, 'corrected');
    await closedCase(xinyuan, 'no-violation');
    await closedCase(shuntong, 'penalty');
    await closedCase(shuntong, 'handling-decision');
    await patrolOrder(shuntong, `${year}-03`);
    // Closed the year after: not part of the year's record.
    await closedCase(meijia, 'penalty', 'wage-arrears', Date.parse(`${year + 1}-01-03T10:00:00+08:00`));

    let legal = await t.login('legal');
    let handler1 = await t.login('handler1');
    let handler2 = await t.login('handler2');
    // Who may open a run, and for which year.
    expect((await handler1.post('/api/credit/grading/runs').send({ year })).status).toBe(403);
    const unended = await legal.post('/api/credit/grading/runs').send({ year: year + 1 });
    expect([unended.status, unended.body.error.code]).toEqual([422, 'GRADING_YEAR_NOT_ENDED']);
    const opened = await legal.post('/api/credit/grading/runs').send({ year });
    expect(opened.status).toBe(201);
    const runId: string = opened.body.id;
    expect((await legal.post('/api/credit/grading/runs').send({ year })).body.error.code).toBe('GRADING_RUN_EXISTS');
    await life.settle();

    let run = (await legal.get(`/api/credit/grading/runs/${runId}`)).body;
    expect(run).toMatchObject({ year, state: 'reviewing', stateLabel: '法制审核中', task: { elementId: 'Task_Review' } });
    const grades = async (agent = legal, query: Record<string, string> = {}) =>
      (await agent.get(`/api/credit/grading/runs/${runId}/grades`).query(query)).body as { items: Row[]; total: number };
    const of = (list: Row[], employerId: string) => list.find((g) => g.employerId === employerId) as Row & { id: string; reasons: Row[] };
    const all = (await grades()).items;
    expect(of(all, hongda)).toMatchObject({ proposedGrade: 'C', grade: 'C' });
    expect(of(all, hongda).reasons).toEqual([expect.objectContaining({ id: child.id, criterion: 'child-or-forced-labour', criterionLabel: '使用童工或强迫劳动' })]);
    expect(of(all, meijia)).toMatchObject({ proposedGrade: 'B', reasons: [expect.objectContaining({ id: bCase.id, criterion: 'violation' })] });
    expect(of(all, xinyuan)).toMatchObject({ proposedGrade: 'A', reasons: [] });
    expect(of(all, shuntong).proposedGrade).toBe('C');
    expect(of(all, shuntong).reasons.map((r) => r.kind).sort()).toEqual(['case', 'case', 'patrol']);
    // Filters: by grade, by grid; a handler sees only the grids of their street.
    const cs = await grades(legal, { grade: 'C' });
    expect(cs.items.every((g) => g.grade === 'C')).toBe(true);
    expect(cs.items.map((g) => g.employerId).sort()).toEqual([hongda, shuntong].sort());
    const jf01 = ((await t.db.ds.query("SELECT id FROM grids WHERE code = 'JF-01'")) as Row[])[0].id as string;
    expect((await grades(legal, { gridId: jf01 })).items.map((g) => g.employerId)).toEqual([hongda]);
    expect((await grades(handler1)).items.map((g) => g.employerId)).not.toContain(xinyuan);
    expect((await legal.get(`/api/credit/grading/runs/${runId}/grades`).query({ grade: 'D' })).status).toBe(400);

    // A proposal changed at review, with its reason, audited; not by a handler, not to the same grade.
    const extraId = of(all, emp.extra).id;
    expect((await handler2.post(`/api/credit/grading/grades/${extraId}/change`).send({ grade: 'B', reason: '现场核查发现违法' })).status).toBe(403);
    expect((await legal.post(`/api/credit/grading/grades/${extraId}/change`).send({ grade: 'A', reason: '维持' })).body.error.code).toBe('GRADING_SAME_GRADE');
    expect((await legal.post(`/api/credit/grading/grades/${extraId}/change`).send({ grade: 'B' })).status).toBe(400);
    const changed = await legal.post(`/api/credit/grading/grades/${extraId}/change`).send({ grade: 'B', reason: '书面审查发现未依法签订劳动合同，已责令改正' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ proposedGrade: 'A', grade: 'B', changes: [expect.objectContaining({ fromGrade: 'A', toGrade: 'B', changedBy: 'legal' })] });
    const audit = await t.db.ds.query("SELECT * FROM audit_log WHERE action = 'credit.grade.change' AND entity_id = ?", [extraId]);
    expect(audit).toHaveLength(1);

    // Review done: the C grades are told in writing, with their records and the objection period.
    const review = await legal.post(`/api/tasks/${run.task.key}/complete`).send({ variables: { reviewOpinion: '经审核，拟定等级依据充分。' } });
    expect(review.status).toBe(200);
    await life.settle();
    run = (await legal.get(`/api/credit/grading/runs/${runId}`)).body;
    expect(run).toMatchObject({ state: 'objection', counts: { C: 2 } });
    expect(run.objectionDueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await legal.post(`/api/credit/grading/grades/${extraId}/change`).send({ grade: 'C', reason: '再调整' })).body.error.code).toBe('GRADING_NOT_IN_REVIEW');
    const hongdaGrade = (await legal.get(`/api/credit/grading/grades/${of(all, hongda).id}`)).body;
    expect(hongdaGrade.notice.number).toBeTruthy();
    const notice = (await legal.get(`/api/documents/${hongdaGrade.notice.id}/html`)).text;
    expect(notice).toContain('郑州宏达建筑劳务有限公司');
    // The notice has no case: the employer's grid (解放路) decides who else reads it.
    expect((await (await t.login('handler1')).get(`/api/documents/${hongdaGrade.notice.id}/html`)).status).toBe(200);
    expect((await (await t.login('handler2')).get(`/api/documents/${hongdaGrade.notice.id}/html`)).status).toBe(404);
    expect(notice).toContain(child.number);
    expect(notice).toContain('使用童工');
    const [y, m, d] = String(run.objectionDueDate).split('-').map(Number);
    expect(notice).toContain(`${y}年${m}月${d}日前`);
    expect(notice).not.toMatch(/\{\{|undefined|null/);
    // Only told C grades take an objection.
    expect((await handler1.post(`/api/credit/grading/grades/${of(all, meijia).id}/objections`).send({ content: '不服' })).body.error.code).toBe('GRADING_NOT_OBJECTABLE');

    // An objection in time, at the window; another grid's handler cannot see the grade.
    expect((await handler2.post(`/api/credit/grading/grades/${hongdaGrade.id}/objections`).send({ content: '不服' })).status).toBe(404);
    const inTime = await handler1.post(`/api/credit/grading/grades/${hongdaGrade.id}/objections`).send({ content: '所涉人员已满十六周岁，附身份证明复印件。' });
    expect(inTime.status).toBe(201);
    expect(inTime.body).toMatchObject({ late: false, decision: null });
    expect((await handler1.post(`/api/credit/grading/grades/${hongdaGrade.id}/objections`).send({ content: '再次提出' })).body.error.code).toBe('GRADING_OBJECTION_PENDING');

    // The period ends with the objection undecided: the decision task opens.
    await life.advance('P30D');
    // Sessions lapse over the month: log in again.
    [legal, handler1, handler2] = [await t.login('legal'), await t.login('handler1'), await t.login('handler2')];
    run = (await legal.get(`/api/credit/grading/runs/${runId}`)).body;
    expect(run).toMatchObject({ state: 'deciding', task: { elementId: 'Task_DecideObjections' }, objections: { total: 1, open: 1 } });

    // An objection after the period: recorded as late and answered at once by the rule; the grade stays.
    const shuntongGrade = of(all, shuntong);
    const late = await handler2.post(`/api/credit/grading/grades/${shuntongGrade.id}/objections`).send({ content: '我单位已整改，请求改评' });
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ late: true, decision: 'late', decisionLabel: '逾期提出，不予复核' });
    const lateText = (await legal.get(`/api/documents/${late.body.documentId}/html`)).text;
    expect(lateText).toContain('郑州顺通物流有限公司');
    expect(lateText).toContain('逾期');
    expect(lateText).toContain('C级');

    // Legal staff decide the objection in time: upheld, the C becomes a B.
    expect((await handler1.post(`/api/credit/grading/objections/${inTime.body.id}/decision`).send({ decision: 'upheld', grade: 'B', reasons: '成立' })).status).toBe(403);
    expect((await legal.post(`/api/credit/grading/objections/${inTime.body.id}/decision`).send({ decision: 'upheld', reasons: '成立' })).status).toBe(400);
    const decided = await legal.post(`/api/credit/grading/objections/${inTime.body.id}/decision`)
      .send({ decision: 'upheld', grade: 'B', reasons: '经核查身份证明，所涉人员已满十六周岁，不构成使用童工。' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ decision: 'upheld', decisionLabel: '异议成立，变更等级' });
    expect((await legal.post(`/api/credit/grading/objections/${inTime.body.id}/decision`).send({ decision: 'rejected', reasons: '再议' })).body.error.code).toBe('GRADING_OBJECTION_DECIDED');
    const decisionText = (await legal.get(`/api/documents/${decided.body.documentId}/html`)).text;
    expect(decisionText).toContain('由C级变更为B级');
    expect(decisionText).toContain(hongdaGrade.notice.number);
    expect(decisionText).not.toMatch(/\{\{|undefined|null/);
    await legal.post(`/api/tasks/${run.task.key}/complete`).send({ variables: { objectionsNote: '异议已全部复核。' } });
    await life.settle();

    // Final: one employer of each grade, in force for patrols and draws, kept in the files with their history.
    run = (await legal.get(`/api/credit/grading/runs/${runId}`)).body;
    expect(run).toMatchObject({ state: 'final', stateLabel: '评价结果已确定', task: null });
    const em = t.db.ds.manager;
    expect(await currentGrade(em, hongda)).toEqual({ grade: 'B', year });
    expect(await currentGrade(em, meijia)).toEqual({ grade: 'B', year });
    expect(await currentGrade(em, xinyuan)).toEqual({ grade: 'A', year });
    expect(await currentGrade(em, shuntong)).toEqual({ grade: 'C', year });
    expect(await currentGrade(em, emp.extra)).toEqual({ grade: 'B', year });
    const file = (await handler1.get(`/api/employers/${hongda}/credit-grades`)).body;
    expect(file.current).toEqual({ grade: 'B', year });
    expect(file.grades[0]).toMatchObject({ proposedGrade: 'C', grade: 'B', final: true, changes: [expect.objectContaining({ kind: 'objection', fromGrade: 'C', toGrade: 'B' })] });
    expect(file.grades[0].objections).toEqual([expect.objectContaining({ late: false, decision: 'upheld', newGrade: 'B' })]);
    expect((await handler2.get(`/api/employers/${hongda}/credit-grades`)).status).toBe(404);
  });
});
