/**
 * Deadlines are named by their legal rule's id (`police.decision`), and the process variable nests by
 * it (`deadlines.police.decision.dueAt`). A police referral begun before that change, on the camelCase
 * names (`policeDecision`, flat `deadlines.policeDecision`, diagrams reading them), still reaches its
 * police-decision timer and escalation once the migration has run; its already scheduled timer keeps
 * its instant; and the case page names every deadline in Chinese.
 *
 * The pre-migration database is made from a running referral by the migration's `down`, then checked
 * to hold the old names everywhere the migration renames them.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, Lifecycle, lifecycle, twelveWorkers } from '../../support/lifecycle';
import { isoChina, CONTRACT_RULES } from '../../../src/cases/case-deadlines';
import { DeadlinesNamedByLegalRule1700000030100 as DeadlinesNamedByLegalRule } from '../../../migrations/1700000030100-DeadlinesNamedByLegalRule';
import { chinaDateTimeText } from '../../../src/deadlines/china-time';

jest.setTimeout(300_000);

type Row = Record<string, unknown>;

describe.each(testDbKinds())('deadlines named by their legal rule (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'cases-rename');
    // The escalations are run explicitly below.
    await t.core.supervision.stop();
    life = lifecycle(t);
    const rows: { id: string }[] = await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    employerId = rows[0].id;
  });
  afterAll(async () => t?.close());

  const now = () => isoChina(t.clock.now().getTime());
  const migrate = async (direction: 'up' | 'down') => {
    const qr = t.db.ds.createQueryRunner();
    try {
      await new DeadlinesNamedByLegalRule()[direction](qr);
    } finally {
      await qr.release();
    }
  };
  const rules = async (caseId: string) => ((await t.db.ds.query('SELECT rule FROM case_deadlines WHERE case_id = ? ORDER BY rule', [caseId])) as Row[]).map((r) => String(r.rule));
  /** The referral's own `deadlines` (the test runs one referral). */
  const deadlinesVariable = async (): Promise<Record<string, unknown>> => {
    const vs = (await t.db.ds.query(
      `SELECT v.value FROM engine_variables v JOIN engine_process_instances p ON p.id = v.process_instance_id
        WHERE v.name = 'deadlines' AND p.state = 'active' AND p.bpmn_process_id = 'police-referral'`)) as Row[];
    expect(vs).toHaveLength(1);
    return JSON.parse(String(vs[0].value)) as Record<string, unknown>;
  };
  const policeTimer = async () => ((await t.db.ds.query(
    "SELECT id, due_at FROM engine_timers WHERE element_id = 'Boundary_PoliceSilent' ORDER BY id")) as Row[]).map((r) => [String(r.id), Number(r.due_at)]);
  const policeDiagram = async () => String(((await t.db.ds.query(
    "SELECT xml FROM engine_process_definitions WHERE bpmn_process_id = 'police-referral' ORDER BY version DESC")) as Row[])[0].xml);

  /** Filed, order to correct not obeyed, referral approved and transferred: the police's 3 days run. */
  async function transferredToPolice(): Promise<{ caseId: string; caseNumber: string }> {
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({
      employer: { employerId }, workers: twelveWorkers(), claims: [{ category: 'wage-arrears', description: '拖欠 12 名工人三个月工资', amount: 108000 }],
    }));
    expect(res.status).toBe(201);
    const { caseId, caseNumber } = res.body as { caseId: string; caseNumber: string };
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' });
    await life.complete(caseId, 'Task_Investigate', {
      investigationOutcome: 'order-to-correct', correctionDays: 1, workersOwed: 12, amountOwed: 36000, monthsOwed: 3, findings: '经查，该公司拖欠 12 名工人工资 36000 元。',
    }, 'handler1');
    await life.complete(caseId, 'Task_ServeOrder', { serviceMethod: 'direct', servedAt: now(), serviceReceiver: '张宏达（法定代表人）' }, 'handler1');
    await life.advance('P5D');
    await life.complete(caseId, 'Task_ReInspect', { corrected: 'no', reInspectionRecord: '仍未支付' }, 'handler1');
    await life.complete(caseId, 'Task_WriteReport', { teamLead: 'handler1', teamMember: 'handler2', workersOwed: 12, amountOwed: 36000, referralReport: '拒不支付劳动报酬' }, 'handler1');
    await life.complete(caseId, 'Task_ApproveReferral', { referralApproved: true });
    await life.complete(caseId, 'Task_TransferToPolice', { transferredAt: now(), policeAgency: '郑州市公安局二七分局', policeReceiptNumber: 'R-1' }, 'handler1');
    expect((await life.caseRow(caseId)).status).toBe('awaiting-police-decision');
    return { caseId, caseNumber };
  }

  it('a referral begun on the old names reaches its police-decision timer and escalation after the migration', async () => {
    const { caseId } = await transferredToPolice();
    const timersBefore = await policeTimer();
    expect(timersBefore.length).toBeGreaterThan(0);

    // The database as it was before the change: old names in the rows, the variable and the diagram.
    await migrate('down');
    expect(await rules(caseId)).toEqual(expect.arrayContaining(['policeDecision', 'policeTransfer', 'referralApproval', 'investigation', 'correction']));
    const old = await deadlinesVariable();
    expect(old.policeDecision).toMatchObject({ rule: 'policeDecision', dueAt: expect.any(String) });
    expect(old.police).toBeUndefined();
    expect(await policeDiagram()).toContain('=deadlines.policeDecision.dueAt');
    expect(await policeDiagram()).toContain('<zeebe:header key="rule" value="policeDecision" />');

    await migrate('up');
    expect(await rules(caseId)).toEqual(expect.arrayContaining(['police.decision', 'police.transfer', 'police.headApproval', 'investigation.limit', 'correction.period']));
    expect((await rules(caseId)).filter((r) => !(CONTRACT_RULES as readonly string[]).includes(r))).toEqual([]);
    const renamed = await deadlinesVariable();
    expect(renamed.policeDecision).toBeUndefined();
    expect((renamed.police as Record<string, Row>).decision).toMatchObject({ rule: 'police.decision', dueAt: (old.policeDecision as Row).dueAt });
    expect(await policeDiagram()).toContain('=deadlines.police.decision.dueAt');
    expect(await policeDiagram()).not.toContain('policeDecision.dueAt');
    // The timer already scheduled keeps its instant.
    expect(await policeTimer()).toEqual(timersBefore);

    // 3 日, extended past a weekend when its last day is a rest day: the silence timer fires.
    await life.advance('P6D');
    expect(Number((await life.caseRow(caseId)).supervised)).toBe(1);
    const mails = (await t.db.ds.query("SELECT purpose, text_body FROM mail_outbox WHERE case_id = ? AND purpose IN ('police_decision_overdue', 'police_reminder')", [caseId])) as Row[];
    expect(mails.map((m) => m.purpose).sort()).toEqual(['police_decision_overdue', 'police_reminder']);
    // The mail found its deadline in the renamed variable.
    for (const m of mails) expect(String(m.text_body)).toContain(`期限：${chinaDateTimeText(Date.parse((old.policeDecision as Row).dueAt as string))}（北京时间）`);
    await life.task(caseId, 'Task_FollowUpPolice');

    // The service level of outside answers matches the renamed deadline and escalates it.
    await t.core.supervision.runOnce();
    const [deadlineRow] = (await t.db.ds.query("SELECT id FROM case_deadlines WHERE case_id = ? AND rule = 'police.decision'", [caseId])) as Row[];
    const escalations = (await t.db.ds.query(
      "SELECT level, service_level FROM supervision_escalations WHERE subject_kind = 'deadline' AND subject_key = ?", [String(deadlineRow.id)])) as Row[];
    expect(escalations).toEqual(expect.arrayContaining([expect.objectContaining({ level: 'deadline', service_level: 'outside-answers' })]));

    // The case page names every deadline in Chinese, never by its id.
    const page = await (await t.login('supervisor')).get(`/api/cases/${caseId}`);
    expect(page.status).toBe(200);
    const listed = page.body.deadlines as { rule: string; explanation: { ruleTitle?: string } | null }[];
    expect(listed.length).toBeGreaterThanOrEqual(5);
    for (const d of listed) {
      expect(d.explanation?.ruleTitle).toMatch(/^[\u4e00-\u9fff（）、]+$/);
    }
  });
});
