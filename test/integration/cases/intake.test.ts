/**
 * Intake and routing end to end: POST /api/complaints, the real engine and workers, triage by the
 * intake officer, the route taken, documents, mail and deadlines on the case.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, Lifecycle, lifecycle, twelveWorkers } from '../../support/lifecycle';
import { isoChina } from '../../../src/cases/case-deadlines';

jest.setTimeout(180_000);

describe.each(testDbKinds())('intake and routing (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let intake: Awaited<ReturnType<TestApp['login']>>;
  let employers: { id: string; name: string; grid: string }[];

  beforeAll(async () => {
    t = await startTestApp(kind, 'cases-intake');
    life = lifecycle(t);
    intake = await t.login('intake');
    employers = await t.db.ds.query('SELECT e.id, e.name, g.code AS grid FROM employers e JOIN grids g ON g.id = e.grid_id ORDER BY e.name');
  });
  afterAll(async () => t?.close());

  const employerIn = (grid: string) => employers.find((e) => e.grid === grid)!;

  async function register(overrides: Record<string, unknown>) {
    const res = await intake.post('/api/complaints').send(complaintBody(overrides));
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    await life.settle();
    return res.body as { caseId: string; caseNumber: string; route: string; processInstanceKey: string; linkedCaseIds: string[] };
  }

  it('routes wage arrears of 12 workers to inspection, registers and files it', async () => {
    const employer = employerIn('JF-01');
    const r = await register({ employer: { employerId: employer.id }, workers: twelveWorkers(), claims: [{ category: 'wage-arrears', description: '拖欠 12 名工人三个月工资', amount: 108000 }] });
    expect(r.route).toBe('inspection');
    expect(r.caseNumber).toMatch(/^郑人社监案〔\d{4}〕第\d{4}号$/);
    const triage = await life.task(r.caseId, 'Task_Triage');
    expect(triage.variables).toMatchObject({ caseNumber: r.caseNumber, gridCode: 'JF', route: 'inspection', isWageArrears: true, withinLimitation: true });
    expect((triage.variables.documents as Record<string, { number: string }>)['complaint-register'].number).toMatch(/登/);
    await life.complete(r.caseId, 'Task_Triage', { route: 'inspection', withinLimitation: true, employerIdentified: true, withinJurisdiction: true }, 'intake');
    expect((await life.caseRow(r.caseId)).status).toBe('filing-review');
    await life.complete(r.caseId, 'Task_ApproveFiling', { filingApproved: true, filingOpinion: '同意立案' });
    const row = await life.caseRow(r.caseId);
    expect(row.status).toBe('filed');
    expect(row.route).toBe('inspection');
    expect(row.filed_at).not.toBeNull();
    await life.task(r.caseId, 'Task_AssignInspectors');

    const handler = await t.login('handler1');
    const page = await handler.get(`/api/cases/${r.caseId}`);
    expect(page.status).toBe(200);
    expect(page.body.workers).toHaveLength(12);
    expect(page.body.workers[0]).toMatchObject({ name: '工人1', amountOwed: 3000, monthsOwed: 3 });
    expect(page.body.totalOwed).toBe(36000);
    const rules = page.body.deadlines.map((d: { rule: string }) => d.rule).sort();
    expect(rules).toEqual(expect.arrayContaining(['intake.acceptanceDecision', 'investigation.limit', 'investigation.extension', 'punishment.decision', 'closure.target']));
    const closure = page.body.deadlines.find((d: { rule: string }) => d.rule === 'closure.target');
    expect(closure.explanation.text).toContain('欠薪案件结案目标');
    expect(page.body.documents.map((d: { typeId: string }) => d.typeId)).toEqual(expect.arrayContaining(['complaint-register', 'case-approval']));
    expect(page.body.timeline.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['case.register', 'case.status']));
    expect(page.body.processes.map((p: { bpmnProcessId: string }) => p.bpmnProcessId)).toEqual(expect.arrayContaining(['intake-and-routing', 'inspection-case']));

    const other = await t.login('handler2');
    expect((await other.get(`/api/cases/${r.caseId}`)).status).toBe(404);
  });

  it('routes a pure social-insurance complaint to the audit and closes it', async () => {
    const r = await register({
      employer: { employerId: employerIn('RM-01').id },
      claims: [{ category: 'social-insurance-arrears', description: '未按规定缴纳社会保险费' }], workers: [],
    });
    expect(r.route).toBe('social-insurance-audit');
    const triage = await life.task(r.caseId, 'Task_Triage');
    expect(triage.variables.route).toBe('social-insurance-audit');
    await life.complete(r.caseId, 'Task_Triage', { route: 'social-insurance-audit' }, 'intake');
    const row = await life.caseRow(r.caseId);
    expect(row).toMatchObject({ status: 'closed', outcome: 'referred-social-insurance-audit', route: 'social-insurance-audit' });
    const mail: { purpose: string }[] = await t.db.ds.query('SELECT purpose FROM mail_outbox WHERE case_id = ?', [r.caseId]);
    expect(mail.map((m) => m.purpose)).toContain('referral_social_insurance_audit');
  });

  it('routes a dismissal dispute to arbitration with its written notice', async () => {
    const r = await register({
      employer: { employerId: employerIn('JF-02').id },
      claims: [{ category: 'dismissal-compensation', description: '违法解除劳动合同，要求支付赔偿金', amount: 20000 }], workers: [],
    });
    expect(r.route).toBe('arbitration');
    await life.complete(r.caseId, 'Task_Triage', { route: 'arbitration' }, 'intake');
    // The notice is served before the case closes.
    expect((await life.caseRow(r.caseId)).status).not.toBe('closed');
    await life.complete(r.caseId, 'Task_ServeArbitrationNotice', { serviceMethod: 'direct', servedAt: isoChina(t.clock.now().getTime()), serviceReceiver: '张三' }, 'handler1');
    const row = await life.caseRow(r.caseId);
    expect(row).toMatchObject({ status: 'closed', outcome: 'referred-arbitration', route: 'arbitration' });
    const docs: { type_id: string; number: string }[] = await t.db.ds.query('SELECT type_id, number FROM documents WHERE case_id = ?', [r.caseId]);
    expect(docs.map((d) => d.type_id)).toContain('arbitration-notice');
    const mail: { purpose: string; to_json: string }[] = await t.db.ds.query('SELECT purpose, to_json FROM mail_outbox WHERE case_id = ?', [r.caseId]);
    expect(mail.find((m) => m.purpose === 'arbitration_notice')?.to_json).toContain('zhangsan@example.com');
    // The complaint interrupted the arbitration limitation period: its date is on the case.
    expect(Number(row.limitation_interrupted_at)).toBe(Number(row.received_at));
  });

  it('refuses a complaint about a violation that ended 3 years ago with a 不予受理通知书', async () => {
    const r = await register({
      employer: { employerId: employerIn('RM-02').id },
      claims: [{ category: 'wage-arrears', description: '2023 年的工资未付', amount: 5000, periodFrom: '2023-05-01', periodTo: '2023-08-31' }],
      violationEndedOn: '2023-08-31',
    });
    expect(r.route).toBe('not-accepted');
    const triage = await life.task(r.caseId, 'Task_Triage');
    expect(triage.variables.withinLimitation).toBe(false);
    expect(JSON.stringify(triage.variables.assessment)).toContain('超过2年查处时效');
    await life.complete(r.caseId, 'Task_Triage', { route: 'not-accepted', nonAcceptanceReason: '违法行为已超过2年查处时效（劳动保障监察条例 第20条）' }, 'intake');
    expect(await life.caseRow(r.caseId)).toMatchObject({ status: 'closed', outcome: 'not-accepted' });
    const docs: { type_id: string }[] = await t.db.ds.query('SELECT type_id FROM documents WHERE case_id = ?', [r.caseId]);
    expect(docs.map((d) => d.type_id)).toContain('non-acceptance-notice');
  });

  it('registers the case itself when the intake process is started directly with a complaint', async () => {
    const started = await t.core.engine.createInstance({ bpmnProcessId: 'intake-and-routing', variables: { complaint: complaintBody({ employer: { employerId: employerIn('RM-02').id } }) } });
    await life.settle();
    const rows: { case_id: string }[] = await t.db.ds.query("SELECT case_id FROM case_processes WHERE process_instance_key = ?", [started.processInstanceKey]);
    expect(rows).toHaveLength(1);
    const triage = await life.task(rows[0].case_id, 'Task_Triage');
    expect(triage.variables).toMatchObject({ caseId: rows[0].case_id, gridCode: 'RM', route: 'inspection' });
    expect((await life.caseRow(rows[0].case_id)).created_by).toBe('worker:case.register');
  });

  it('counts the acceptance deadline of a complaint received before National Day 2026 in working days, skipping the holidays', async () => {
    const r = await register({ employer: { employerId: employerIn('JF-01').id }, receivedAt: '2026-09-30T10:00:00+08:00' });
    const triage = await life.task(r.caseId, 'Task_Triage');
    const d = (triage.variables.deadlines as { intake: Record<string, { dueAt: string; skipped: { date: string }[]; unit: string; legalSource: string; explanation: string }> }).intake.acceptanceDecision;
    expect(d.dueAt).toBe('2026-10-13T23:59:59+08:00');
    expect(d.unit).toBe('workingDays');
    expect(d.skipped.map((s) => s.date)).toEqual(expect.arrayContaining(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']));
    expect(d.legalSource).toContain('第18条');
    const page = await intake.get(`/api/cases/${r.caseId}`);
    const stored = page.body.deadlines.find((x: { rule: string }) => x.rule === 'intake.acceptanceDecision');
    expect(stored.dueDate).toBe('2026-10-13');
    expect(stored.explanation.skippedDays.length).toBeGreaterThanOrEqual(7);
    expect(stored.explanation.text).toContain('节假日');
    // The deadline has long passed (the clock is in November): the overdue reminder went out.
    const mail: { purpose: string }[] = await t.db.ds.query('SELECT purpose FROM mail_outbox WHERE case_id = ?', [r.caseId]);
    expect(mail.map((m) => m.purpose)).toContain('acceptance_overdue');
    // The second complaint against the same employer is linked to the open one.
    expect(r.linkedCaseIds.length).toBeGreaterThan(0);
    expect(page.body.duplicate).toBe(true);
  });
});

describe.each(testDbKinds())('intake: completion and merging (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let intake: Awaited<ReturnType<TestApp['login']>>;
  let employerId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'cases-intake2');
    life = lifecycle(t);
    intake = await t.login('intake');
    employerId = (await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'RM-01'"))[0].id;
  });
  afterAll(async () => t?.close());

  async function register(overrides: Record<string, unknown>) {
    const res = await intake.post('/api/complaints').send(complaintBody(overrides));
    if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    await life.settle();
    return res.body as { caseId: string; caseNumber: string; route: string; linkedCaseIds: string[] };
  }
  const mails = async (caseId: string) => ((await t.db.ds.query('SELECT purpose FROM mail_outbox WHERE case_id = ?', [caseId])) as { purpose: string }[]).map((m) => m.purpose);

  it('asks for completion when no employer can be identified, and continues once the materials arrive', async () => {
    const r = await register({ employer: { name: '工地的王老板' } });
    expect(r.route).toBe('completion');
    expect(await mails(r.caseId)).toContain('completion_request');
    expect(await life.openTasks(r.caseId)).toEqual([]);
    const correlated = await life.message('materials-completed', r.caseNumber, {
      materialsCompletedAt: isoChina(t.clock.now().getTime()), complaint: { ...complaintBody(), employer: { employerId } },
    });
    expect(correlated).toHaveLength(1);
    const triage = await life.task(r.caseId, 'Task_Triage');
    expect(triage.variables).toMatchObject({ employerIdentified: true, gridCode: 'RM', route: 'inspection' });
    expect((triage.variables.deadlines as { intake: Record<string, { startEvent: string }> }).intake.acceptanceDecision.startEvent).toBe('补正材料提交');
    const row = await life.caseRow(r.caseId);
    expect(row.employer_id).toBe(employerId);
    // The completion deadline was met when the materials came.
    const states: { rule: string; state: string }[] = await t.db.ds.query('SELECT rule, state FROM case_deadlines WHERE case_id = ?', [r.caseId]);
    expect(states.find((s) => s.rule === 'intake.completion')?.state).toBe('met');
    await life.complete(r.caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    expect(states.length).toBeGreaterThan(0);
    const after: { rule: string; state: string }[] = await t.db.ds.query('SELECT rule, state FROM case_deadlines WHERE case_id = ?', [r.caseId]);
    expect(after.find((s) => s.rule === 'intake.acceptanceDecision')?.state).toBe('met');
  });

  it('merges a further complaint into the employer\'s open case', async () => {
    const r = await register({ employer: { employerId } });
    expect(r.linkedCaseIds.length).toBe(1);
    const triage = await life.task(r.caseId, 'Task_Triage');
    expect((triage.variables.duplicates as unknown[]).length).toBe(1);
    await life.complete(r.caseId, 'Task_Triage', { route: 'merge', linkedCaseNumber: (triage.variables.duplicates as { caseNumber: string }[])[0].caseNumber }, 'intake');
    expect(await life.caseRow(r.caseId)).toMatchObject({ status: 'closed', outcome: 'merged', route: 'merge' });
    expect(await mails(r.caseId)).toContain('duplicate_linked');
  });

  it('closes a complaint whose materials never arrive when the completion period ends', async () => {
    const r = await register({ employer: { name: '不知名的包工头' } });
    await life.advance('P20D');
    expect(await life.caseRow(r.caseId)).toMatchObject({ status: 'closed', outcome: 'materials-not-completed', route: 'completion' });
  });
});
