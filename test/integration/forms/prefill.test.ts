/**
 * Task forms open with what the case knows (GET /api/tasks/:id): the referral report with the case's
 * workers and amounts, its inspectors as the team and the order served; the preservation application
 * with the employer as respondent and the amount owed; the filing approval with the handler's opinion
 * from triage. A value the user changes is what the process receives, and the approval after it shows
 * the changed value. Dates and coded values reach the form's text in words, never as ISO timestamps.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, Lifecycle, lifecycle, twelveWorkers } from '../../support/lifecycle';
import { isoChina } from '../../../src/cases/case-deadlines';

jest.setTimeout(300_000);

const ISO = /\d{4}-\d{2}-\d{2}T/;

describe.each(testDbKinds())('forms prefilled from the case (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;
  let names: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp(kind, 'forms-prefill');
    life = lifecycle(t);
    const rows: { id: string }[] = await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    employerId = rows[0].id;
    const users: { username: string; display_name: string }[] = await t.db.ds.query('SELECT username, display_name FROM users');
    names = Object.fromEntries(users.map((u) => [u.username, u.display_name]));
  });
  afterAll(async () => t?.close());

  const now = () => isoChina(t.clock.now().getTime());
  /** A user as documents name them: the display name without its role word (监察员 李强 → 李强). */
  const person = (username: string) => names[username].split(/\s+/).pop();

  async function openTask(caseId: string, elementId: string, username: string) {
    const { key } = await life.task(caseId, elementId);
    const agent = await t.login(username);
    const res = await agent.get(`/api/tasks/${key}`);
    expect(res.status).toBe(200);
    return { key, agent, body: res.body as { variables: Record<string, unknown>; form: { schema: unknown } } };
  }

  async function filedCase() {
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({
      employer: { employerId }, workers: twelveWorkers(), claims: [{ category: 'wage-arrears', description: '拖欠 12 名工人三个月工资', amount: 108000 }],
    }));
    expect(res.status).toBe(201);
    const { caseId, caseNumber } = res.body as { caseId: string; caseNumber: string };
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection', triageOpinion: '用人单位拖欠工资事实基本清楚，建议立案调查。' }, 'intake');
    return { caseId, caseNumber };
  }

  it('the filing approval shows the handler opinion from triage and the case dates in words', async () => {
    const { caseId } = await filedCase();
    const { body } = await openTask(caseId, 'Task_ApproveFiling', 'supervisor');
    expect(body.variables.handlerOpinion).toBe('用人单位拖欠工资事实基本清楚，建议立案调查。');
    const display = body.variables.display as Record<string, unknown>;
    expect(display.receivedAt).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日/);
    expect(display.channel).toBe('窗口');
    expect(JSON.stringify(display)).not.toMatch(ISO);
    // The approver's form does not ask for the handler's opinion again.
    const field = JSON.stringify(body.form.schema).match(/\{[^{}]*"key":"handlerOpinion"[^{}]*\}/)?.[0] ?? '';
    expect(field).toContain('"readonly":true');
  });

  it('the referral report opens with the workers, amounts and team of the case; a changed amount is what the process receives', async () => {
    const { caseId } = await filedCase();
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' });
    // The investigation states no figures: the report takes them from the workers on file.
    await life.complete(caseId, 'Task_Investigate', { investigationOutcome: 'order-to-correct', correctionDays: 1, monthsOwed: 3, findings: '经查，该公司拖欠 12 名工人工资。' }, 'handler1');
    await life.complete(caseId, 'Task_ServeOrder', { serviceMethod: 'direct', servedAt: now(), serviceReceiver: '张宏达（法定代表人）' }, 'handler1');
    await life.advance('P5D');
    await life.complete(caseId, 'Task_ReInspect', { corrected: 'no', reInspectionRecord: '仍未支付' }, 'handler1');

    const { key, agent, body } = await openTask(caseId, 'Task_WriteReport', 'handler1');
    const v = body.variables;
    expect(v).toMatchObject({ workersOwed: 12, amountOwed: 36000, teamLead: person('handler1'), teamMember: person('handler2'), orderServed: true });
    expect(v.referralReport).toEqual(expect.stringContaining('该公司拖欠 12 名工人工资'));
    expect(v.referralReport).toEqual(expect.stringContaining('限期改正指令书'));
    const display = v.display as Record<string, unknown>;
    expect(display.workersCount).toBe(12);
    expect(display.workers).toEqual(expect.stringContaining('工人1 3,000元'));
    expect(display.workers).toEqual(expect.stringContaining('工人12 3,000元'));
    expect(JSON.stringify(display)).not.toMatch(ISO);
    // Nothing was stored by opening the form.
    expect((await life.task(caseId, 'Task_WriteReport')).variables.amountOwed).toBeUndefined();

    // The handler changes the amount and submits what the form holds.
    expect((await agent.post(`/api/tasks/${key}/claim`).send({})).status).toBe(200);
    const submitted = {
      teamLead: v.teamLead, teamMember: v.teamMember, refusalConduct: 'refused', workersOwed: v.workersOwed, amountOwed: 35500,
      orderServed: v.orderServed, referralReport: v.referralReport,
    };
    const done = await agent.post(`/api/tasks/${key}/complete`).send({ variables: submitted });
    expect(done.status).toBe(200);
    await life.settle();
    const approval = await openTask(caseId, 'Task_ApproveReferral', 'supervisor');
    expect(approval.body.variables).toMatchObject({ amountOwed: 35500, workersOwed: 12, referralReport: v.referralReport });
    const schema = JSON.stringify(approval.body.form.schema);
    expect(schema.match(/\{[^{}]*"key":"referralReport"[^{}]*\}/)?.[0]).toContain('"readonly":true');
  });

  it('the preservation application opens with the employer as respondent and the amount owed', async () => {
    const { caseId, caseNumber } = await filedCase();
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' });
    await life.message('employer-absconded', caseNumber, { abscondedAt: now(), abscondNote: '法定代表人失联' });
    const { body } = await openTask(caseId, 'Task_PrepareApplication', 'handler1');
    const employer: { name: string; address: string; credit_code: string }[] = await t.db.ds.query(
      "SELECT name, address, credit_code FROM case_parties WHERE case_id = ? AND role = 'employer'", [caseId]);
    const office: { name: string }[] = await t.db.ds.query('SELECT o.name FROM offices o JOIN cases c ON c.office_id = o.id WHERE c.id = ?', [caseId]);
    expect(body.variables).toMatchObject({
      respondentName: employer[0].name, respondentAddress: employer[0].address, respondentCreditCode: employer[0].credit_code,
      applicantName: office[0].name, preservationAmount: 36000, securityProvided: 'none',
    });
    expect(body.variables.preservationRequest).toEqual(expect.stringContaining('36,000'));
    expect(body.variables.preservationFacts).toEqual(expect.stringContaining('法定代表人失联'));
  });
});
