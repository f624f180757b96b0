/**
 * Prevention lifecycles end to end through the real engine, its workers and the test clock, on both
 * databases: a patrol that opens an inspection case; an enterprise coordinator's report that starts a
 * yellow warning which, left unhandled, escalates to orange and then red (with its "四个一" task);
 * the incremental warning rules raising a warning when a second arrears complaint arrives within a
 * year; the dashboard counting what happened. One app per database; the clock only moves forward.
 */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { recordAudit, systemActor } from '../../../src/audit/audit';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';
import { chinaDate } from '../../../src/deadlines/china-time';

jest.setTimeout(300_000);

type Row = Record<string, unknown>;

describe.each(testDbKinds())('prevention lifecycles (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  const employer = async (name: string) => String(((await t.db.ds.query('SELECT id FROM employers WHERE name = ?', [name])) as Row[])[0].id);
  const grid = async (code: string) => String(((await t.db.ds.query('SELECT id FROM grids WHERE code = ?', [code])) as Row[])[0].id);
  const period = () => chinaDate(t.clock.now()).slice(0, 7);

  /** The open user task `elementId` whose process variable `name` is `value`. */
  async function taskWhere(elementId: string, name: string, value: string) {
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      for (const task of (await t.core.engine.listTasks({ limit: 500 })).filter((x) => x.elementId === elementId)) {
        const full = await t.core.engine.getTask(task.key);
        if (full.variables[name] === value) return full;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no open task ${elementId} with ${name} = ${value}`);
  }
  const warningRow = async (id: string) => ((await t.db.ds.query('SELECT * FROM warnings WHERE id = ?', [id])) as Row[])[0];

  beforeAll(async () => {
    t = await startTestApp(kind, 'prevention');
    life = lifecycle(t);
  });
  afterAll(async () => t?.close());

  it('a grid officer plans and does a patrol that opens an inspection case', async () => {
    const officer = await t.login('grid1');
    const hongda = await employer('郑州宏达建筑劳务有限公司');
    // Another street's grid is not the officer's to plan: it answers as if it did not exist.
    expect((await officer.post('/api/prevention/plans').send({ gridId: await grid('RM-01'), period: period() })).status).toBe(404);
    const plan = await officer.post('/api/prevention/plans').send({ gridId: await grid('JF-01'), period: period() });
    expect(plan.status).toBe(201);
    expect(plan.body.planned).toBeGreaterThanOrEqual(1);
    expect((await officer.post('/api/prevention/plans').send({ gridId: await grid('JF-01'), period: period() })).body.error.code).toBe('PLAN_EXISTS');
    await life.settle();

    const list = await officer.get('/api/prevention/patrols').query({ state: 'planned' });
    expect(list.status).toBe(200);
    const patrol = list.body.items.find((p: { employerId: string }) => p.employerId === hongda);
    expect(patrol.task.key).toBeTruthy();
    const task = await t.core.engine.getTask(patrol.task.key);
    expect(task.candidateGroups).toEqual(['JF-01']);

    const done = await officer.post(`/api/tasks/${patrol.task.key}/complete`).send({ variables: {
      contracts: 'problem', wageLedger: 'ok', hours: 'ok', socialInsurance: 'ok', childFemale: 'na', rulesPosted: 'ok',
      problemsFound: '12 名工人未签订书面劳动合同', photoRefs: '照片 1-3 号', patrolOutcome: 'case',
    } });
    expect(done.status).toBe(200);
    await life.settle();
    const row = ((await t.db.ds.query('SELECT * FROM patrols WHERE id = ?', [patrol.id])) as Row[])[0];
    expect(row).toMatchObject({ state: 'done', outcome: 'case', done_by: 'grid1' });
    const caseId = String(row.case_id);
    const c = await life.caseRow(caseId);
    expect(c).toMatchObject({ channel: 'grid', kind: 'report', employer_id: hongda });
    // The office's own case runs the inspection lifecycle from its filing approval.
    await life.task(caseId, 'Task_ApproveFiling');
    const page = await (await t.login('supervisor')).get(`/api/cases/${caseId}`);
    expect(page.status).toBe(200);
    expect(page.body.deadlines.map((d: { rule: string }) => d.rule)).toContain('intake.acceptanceDecision');

    const board = await (await t.login('supervisor')).get('/api/prevention/dashboard').query({ period: period() });
    const jf01 = board.body.grids.find((g: { code: string }) => g.code === 'JF-01');
    expect(jf01.patrolsDone).toBeGreaterThanOrEqual(1);
    expect(jf01.patrolsPlanned).toBeGreaterThanOrEqual(jf01.patrolsDone);
    expect(board.body.targets).toMatchObject({ stage: 'launch', supervisedPercent: 30, collectionPercent: 30 });
  });

  it("an enterprise coordinator's report starts a yellow warning that, unhandled, escalates to orange and then red", async () => {
    const coordinator = await t.login('coordinator1');
    const hongda = await employer('郑州宏达建筑劳务有限公司');
    // Their own employer only: another is hidden; and they read no warnings.
    expect((await coordinator.post('/api/prevention/warnings/reports').send({ employerId: await employer('郑州顺通物流有限公司'), summary: '拖欠工资' })).status).toBe(404);
    expect((await coordinator.get('/api/prevention/warnings')).status).toBe(403);
    const report = await coordinator.post('/api/prevention/warnings/reports').send({ employerId: hongda, summary: '本月工资推迟发放，工人情绪不稳', colour: 'red' });
    expect(report.status).toBe(201);
    expect(report.body.colour).toBe('yellow');
    await life.settle();
    const id = String(report.body.id);

    const yellow = await taskWhere('Task_Handle', 'warningId', id);
    expect(yellow.candidateGroups).toEqual(['JF-01']);
    expect(await warningRow(id)).toMatchObject({ colour: 'yellow', source: 'report', state: 'open', reported_by: 'coordinator1' });

    await life.advance('P10D');
    const orange = await taskWhere('Task_Handle', 'warningId', id);
    expect(orange.candidateGroups).toEqual(['JF']);
    expect((await warningRow(id)).colour).toBe('orange');

    await life.advance('P10D');
    const fourOnes = await taskWhere('Task_FourOnes', 'warningId', id);
    expect(fourOnes.candidateGroups).toEqual(['supervisor']);
    expect(await warningRow(id)).toMatchObject({ colour: 'red', escalations: 2 });

    // The brigade names the four people, then handles and closes it; it can be reopened.
    const supervisor = await t.login('supervisor');
    expect((await supervisor.post(`/api/tasks/${fourOnes.key}/complete`).send({ variables: {
      fourOnesLeader: '街道办 王主任', fourOnesInspector: '监察员 李强', fourOnesCadre: '社区 张书记', fourOnesPolice: '派出所 赵警官',
    } })).status).toBe(200);
    await life.settle();
    const handle = await taskWhere('Task_Handle', 'warningId', id);
    expect((await supervisor.post(`/api/tasks/${handle.key}/complete`).send({ variables: {
      handlingAction: 'talk', handlingNote: '约谈法定代表人，承诺三日内发放', handlingResult: 'closed', closeResult: 'paid',
    } })).status).toBe(200);
    await life.settle();
    const closed = await supervisor.get(`/api/prevention/warnings/${id}`);
    expect(closed.body).toMatchObject({ state: 'closed', result: 'paid', colour: 'red', handledOnTime: true });
    expect(closed.body.fourOnes).toMatchObject({ police: '派出所 赵警官' });
    expect(closed.body.actions.map((a: { action: string }) => a.action)).toEqual(['escalated', 'escalated', 'four-ones', 'talk']);
    expect((await (await t.login('handler2')).get(`/api/prevention/warnings/${id}`)).status).toBe(404);

    const reopened = await supervisor.post(`/api/prevention/warnings/${id}/reopen`).send({ reason: '又有工人反映欠薪' });
    expect(reopened.body).toMatchObject({ state: 'open', colour: 'red' });
    await life.settle();
    await taskWhere('Task_Handle', 'warningId', id);
  });

  it('the incremental rules raise a warning when a second arrears complaint arrives within a year', async () => {
    const xinyuan = await employer('河南鑫源电子科技有限公司');
    const complain = async () => {
      // A fresh session each time: the clock moves past a session's lifetime.
      const intake = await t.login('intake');
      const res = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId: xinyuan } }));
      expect(res.status).toBe(201);
      await life.settle();
      await t.core.warningRules.runOnce();
      await life.settle();
    };
    await complain();
    const first = ((await t.db.ds.query("SELECT * FROM warnings WHERE employer_id = ? AND state = 'open'", [xinyuan])) as Row[]);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ colour: 'yellow', source: 'rule' });
    // Running again changes nothing: the same complaint does not open a second warning.
    await t.core.warningRules.runOnce();
    expect(Number(((await t.db.ds.query('SELECT COUNT(*) AS n FROM warnings WHERE employer_id = ?', [xinyuan])) as Row[])[0].n)).toBe(1);

    // A day later, well within the yellow warning's handling period (so no escalation by timer).
    await life.advance('P1D');
    await complain();
    const after = ((await t.db.ds.query('SELECT * FROM warnings WHERE employer_id = ?', [xinyuan])) as Row[]);
    expect(after).toHaveLength(1);
    // Raised, not duplicated: the open warning went to orange, with the street's grid.
    expect(after[0].colour).toBe('orange');
    const task = await taskWhere('Task_Handle', 'warningId', String(after[0].id));
    expect(task.candidateGroups).toEqual(['RM']);
    expect(JSON.parse(String(after[0].reasons_json)).join('；')).toContain('一年内被投诉');

    const board = await (await t.login('supervisor')).get('/api/prevention/dashboard');
    expect(board.body.total.warningsOpen.orange).toBeGreaterThanOrEqual(1);
    const drill = await (await t.login('supervisor')).get('/api/prevention/dashboard/employers').query({ figure: 'warning-open', colour: 'orange' });
    expect(drill.body.items.map((e: { name: string }) => e.name)).toContain('河南鑫源电子科技有限公司');
    // The full run finds nothing new to open: every finding already has its warning.
    const full = await (await t.login('supervisor')).post('/api/prevention/warnings/run-rules').send({});
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ opened: 0, raised: 0 });
    expect(full.body.employersWithFindings).toBeGreaterThanOrEqual(1);
    expect((await (await t.login('handler1')).post('/api/prevention/warnings/run-rules').send({})).status).toBe(403);
    // The other street's handler does not see this street's dashboard.
    expect((await (await t.login('handler1')).get('/api/prevention/dashboard').query({ gridId: await grid('RM') })).status).toBe(404);
  });

  it('exports the patrols, the warnings and the dashboard table as xlsx, each within what the list shows the user', async () => {
    const sheet = async (who: string, path: string) => {
      const res = await (await t.login(who)).get(path).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      if (res.status !== 200) return { status: res.status, rows: [] as string[][] };
      expect(res.headers['content-type']).toMatch(/spreadsheetml/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="export\.xlsx"; filename\*=UTF-8''%E/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as ArrayBuffer);
      const rows: string[][] = [];
      wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
      return { status: 200, rows };
    };
    const patrols = await sheet('grid1', '/api/prevention/patrols/export.xlsx');
    expect(patrols.rows[0].slice(0, 5)).toEqual(['用人单位', '地址', '网格', '巡查月份', '状态']);
    const hongda = patrols.rows.find((r) => r[0] === '郑州宏达建筑劳务有限公司');
    expect(hongda).toBeDefined();
    expect(hongda![4]).toBe('已巡查');
    expect(hongda![8]).toBe('立案调查');
    expect(hongda![7]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    // The officer's community only, as in the list.
    const listed = (await (await t.login('grid1')).get('/api/prevention/patrols').query({ limit: 200 })).body.items.length;
    expect(patrols.rows.length - 1).toBe(listed);

    const warnings = await sheet('supervisor', '/api/prevention/warnings/export.xlsx?state=open');
    const xinyuan = warnings.rows.find((r) => r[0] === '河南鑫源电子科技有限公司');
    expect(xinyuan?.slice(2, 4)).toEqual(['橙色', '规则预警']);
    expect(warnings.rows.flat().some((c) => /^[=+\-@]/.test(c))).toBe(false);
    const officers = await sheet('grid1', '/api/prevention/warnings/export.xlsx');
    expect(officers.rows.some((r) => r[0] === '河南鑫源电子科技有限公司')).toBe(false);

    const board = await sheet('supervisor', '/api/prevention/dashboard/export.xlsx');
    expect(board.rows[0][0]).toBe('网格');
    const total = board.rows.find((r) => r[0] === '合计');
    const figures = (await (await t.login('supervisor')).get('/api/prevention/dashboard')).body;
    expect(Number(total![2])).toBe(figures.total.employers);
    expect(board.rows.filter((r) => r.length > 1)).toHaveLength(figures.grids.length + 2);
    expect(board.rows.at(-1)![0]).toContain('目标');
    // Sight as for the lists: an enterprise coordinator has none of them; another street's dashboard is unknown.
    expect((await sheet('coordinator1', '/api/prevention/patrols/export.xlsx')).status).toBe(403);
    expect((await sheet('coordinator1', '/api/prevention/warnings/export.xlsx')).status).toBe(403);
    expect((await sheet('handler1', `/api/prevention/dashboard/export.xlsx?gridId=${await grid('RM')}`)).status).toBe(404);
  });

  it('a final C grade and a blacklisting open warnings in the colours the settings give, by the incremental rules and by the full run', async () => {
    const meijia = await employer('郑州美佳餐饮管理有限公司');
    const shuntong = await employer('郑州顺通物流有限公司');
    const now = t.clock.now().getTime();
    const [office] = (await t.db.ds.query('SELECT office_id FROM employers WHERE id = ?', [meijia])) as Row[];
    // A grade made final (as the grading run's last step writes it), announced in the audit log.
    const gradeId = crypto.randomUUID();
    await t.db.ds.query(
      `INSERT INTO credit_grades (id, office_id, employer_id, grid_id, year, proposed_grade, final_grade, reasons_json, state, decided_by, decided_at, created_at)
       VALUES (?, ?, ?, NULL, 2026, 'C', 'C', '[]', 'final', 'legal', ?, ?)`, [gradeId, office.office_id, meijia, now, now]);
    await recordAudit(t.db.ds.manager, systemActor('test'), new Date(now), { action: 'credit.grade.change', entityType: 'credit_grade', entityId: gradeId });
    await t.core.warningRules.runOnce();
    await life.settle();
    const graded = (await t.db.ds.query("SELECT * FROM warnings WHERE employer_id = ? AND state = 'open'", [meijia])) as Row[];
    expect(graded).toHaveLength(1);
    expect(graded[0]).toMatchObject({ colour: 'orange', source: 'rule' });
    expect(JSON.parse(String(graded[0].reasons_json))).toEqual(['2026年度劳动保障守法诚信等级评为C级']);

    // A listing on the arrears blacklist: the full run opens a red warning, with the brigade.
    const [someCase] = (await t.db.ds.query('SELECT id FROM cases ORDER BY received_at LIMIT 1')) as Row[];
    await t.db.ds.query(
      `INSERT INTO credit_listings (id, office_id, employer_id, case_id, grid_id, state, ground, ground_text, responsible_json, payment_deadline_at, proposed_by, proposed_at, listed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, NULL, 'listed', 'mass-incident', '群体性事件', '[]', ?, 'handler1', ?, ?, ?, ?)`, [crypto.randomUUID(), office.office_id, shuntong, someCase.id, now, now, now, now, now]);
    const supervisor = await t.login('supervisor');
    const full = await supervisor.post('/api/prevention/warnings/run-rules').send({});
    expect(full.status).toBe(200);
    expect(full.body.opened).toBe(1);
    await life.settle();
    const listed = (await t.db.ds.query("SELECT * FROM warnings WHERE employer_id = ? AND state = 'open'", [shuntong])) as Row[];
    expect(listed[0]).toMatchObject({ colour: 'red' });
    expect(JSON.parse(String(listed[0].reasons_json))).toEqual(['已列入拖欠农民工工资失信联合惩戒对象名单']);
    const task = await taskWhere('Task_FourOnes', 'warningId', String(listed[0].id));
    expect(task.candidateGroups).toEqual(['supervisor']);
    // Nothing new on a second run: each finding has its warning.
    expect((await supervisor.post('/api/prevention/warnings/run-rules').send({})).body).toMatchObject({ opened: 0, raised: 0 });
  });
});
