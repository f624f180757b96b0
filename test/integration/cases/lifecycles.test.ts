/**
 * Inspection lifecycles end to end through the real engine, its workers and the test clock: an order
 * to correct obeyed; a penalty with a hearing; referrals to the police (silence → escalation; refusal
 * → 复议 → procuratorate → back to penalty); an absconding employer whose asset preservation lapses.
 * One app per database; the clock only moves forward, so the tests run in this order.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, Lifecycle, lifecycle, twelveWorkers } from '../../support/lifecycle';
import { isoChina } from '../../../src/cases/case-deadlines';
import { chineseDateText } from '../../../src/deadlines/china-time';

jest.setTimeout(300_000);

describe.each(testDbKinds())('inspection lifecycles (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'cases-life');
    life = lifecycle(t);
    const rows: { id: string }[] = await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    employerId = rows[0].id;
  });
  afterAll(async () => t?.close());

  const now = () => isoChina(t.clock.now().getTime());
  const status = async (caseId: string) => (await life.caseRow(caseId)).status;
  const mails = async (caseId: string) => ((await t.db.ds.query('SELECT purpose FROM mail_outbox WHERE case_id = ?', [caseId])) as { purpose: string }[]).map((m) => m.purpose);
  const docTypes = async (caseId: string) => ((await t.db.ds.query('SELECT type_id FROM documents WHERE case_id = ?', [caseId])) as { type_id: string }[]).map((d) => d.type_id);
  const serve = (caseId: string, elementId: string) =>
    life.complete(caseId, elementId, { serviceMethod: 'direct', servedAt: now(), serviceReceiver: '张宏达（法定代表人）' }, 'handler1');

  /** Registered, accepted, filed, inspectors assigned: the case waits at 调查取证. */
  async function filedCase(): Promise<{ caseId: string; caseNumber: string }> {
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({
      employer: { employerId }, workers: twelveWorkers(), claims: [{ category: 'wage-arrears', description: '拖欠 12 名工人三个月工资', amount: 108000 }],
    }));
    expect(res.status).toBe(201);
    const { caseId, caseNumber } = res.body;
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' });
    await life.task(caseId, 'Task_Investigate');
    expect(await docTypes(caseId)).toEqual(expect.arrayContaining(['complaint-register', 'case-approval', 'inquiry-notice']));
    return { caseId, caseNumber };
  }

  async function closeAndArchive(caseId: string) {
    await life.complete(caseId, 'Task_ApproveClosure', { closureApproved: true, closureSummary: '已办结' });
    expect(await status(caseId)).toBe('closed');
    await life.complete(caseId, 'Task_Archive', { archiveNumber: 'A-1' }, 'handler1');
    expect(await status(caseId)).toBe('archived');
  }

  /** Order to correct served, the correction period running. */
  async function orderServed(caseId: string, correctionDays: number) {
    await life.complete(caseId, 'Task_Investigate', {
      investigationOutcome: 'order-to-correct', correctionDays, workersOwed: 12, amountOwed: 36000, monthsOwed: 3, findings: '经查，该公司拖欠 12 名工人工资 36000 元。',
    }, 'handler1');
    await serve(caseId, 'Task_ServeOrder');
    expect(await status(caseId)).toBe('awaiting-correction');
  }

  it('an order to correct is obeyed: re-inspection, closure and archiving', async () => {
    const { caseId, caseNumber } = await filedCase();
    await orderServed(caseId, 7);
    const page = await (await t.login('supervisor')).get(`/api/cases/${caseId}`);
    const correction = page.body.deadlines.find((d: { rule: string }) => d.rule === 'correction.period');
    expect(correction.explanation.text).toContain('限期改正期限');
    expect(await docTypes(caseId)).toEqual(expect.arrayContaining(['order-to-correct', 'service-receipt']));
    expect(await life.message('correction-reported', caseNumber, { correctionReportedAt: now(), correctionNote: '已足额支付' })).toHaveLength(1);
    await life.complete(caseId, 'Task_ReInspect', { corrected: 'yes', amountPaid: 36000 }, 'handler1');
    await closeAndArchive(caseId);
    expect((await life.caseRow(caseId)).outcome).toBe('corrected');
  });

  it('a penalty with a hearing: notice, hearing request, hearing, decision, payment', async () => {
    const { caseId, caseNumber } = await filedCase();
    await life.complete(caseId, 'Task_Investigate', { investigationOutcome: 'penalty', findings: '经查，该公司违反工作时间规定。' }, 'handler1');
    expect(await status(caseId)).toBe('penalty-proposed');
    await life.complete(caseId, 'Task_ProposePenalty', { partyType: 'organisation', proposedFineAmount: 30000, isMajorCase: false, penaltyFacts: '拖欠工资逾期不改' }, 'handler1');
    const served = await life.task(caseId, 'Task_ServePriorNotice');
    expect(served.variables.penaltyAssessment).toMatchObject({ hearingEligible: true, legalReviewRequired: false });
    await serve(caseId, 'Task_ServePriorNotice');
    expect(await status(caseId)).toBe('awaiting-statement');
    await life.message('hearing-requested', caseNumber, { hearingRequestedAt: now() });
    // A hearing 3 days away leaves less than 7 working days for the notice: scheduled again.
    await life.complete(caseId, 'Task_ScheduleHearing', { hearingAt: isoChina(t.clock.now().getTime() + 3 * 86_400_000), hearingLocation: '听证室' }, 'legal');
    await life.task(caseId, 'Task_ScheduleHearing');
    await life.complete(caseId, 'Task_ScheduleHearing', { hearingAt: isoChina(t.clock.now().getTime() + 20 * 86_400_000), hearingLocation: '听证室' }, 'legal');
    await serve(caseId, 'Task_ServeHearingNotice');
    expect(await status(caseId)).toBe('hearing-scheduled');
    await life.advance('P21D');
    await life.complete(caseId, 'Task_HoldHearing', { hearingHeld: true, penaltyReview: 'maintain' }, 'legal');
    await life.complete(caseId, 'Task_ApprovePenalty', { penaltyApproved: true, approvedFineAmount: 30000 });
    await serve(caseId, 'Task_ServeDecision');
    expect(await status(caseId)).toBe('awaiting-payment');
    await life.message('fine-paid', caseNumber, { paidAt: now(), paidAmount: 30000 });
    await life.task(caseId, 'Task_ApproveClosure');
    expect(await docTypes(caseId)).toEqual(expect.arrayContaining(['penalty-prior-notice', 'hearing-notice', 'penalty-decision']));
    await closeAndArchive(caseId);
    expect((await life.caseRow(caseId)).outcome).toBe('penalty');
  });

  /** Order not obeyed, threshold met, referral approved and transferred: the police's 3 days run. */
  async function transferredToPolice() {
    const c = await filedCase();
    await orderServed(c.caseId, 1);
    // 1 日 whose last day may fall on a weekend and move to the next working day (民法典 第203条).
    await life.advance('P5D');
    await life.complete(c.caseId, 'Task_ReInspect', { corrected: 'no', reInspectionRecord: '仍未支付' }, 'handler1');
    expect(await status(c.caseId)).toBe('police-referral-review');
    await life.complete(c.caseId, 'Task_WriteReport', { teamLead: 'handler1', teamMember: 'handler2', workersOwed: 12, amountOwed: 36000, referralReport: '拒不支付劳动报酬' }, 'handler1');
    await life.complete(c.caseId, 'Task_ApproveReferral', { referralApproved: true });
    await life.complete(c.caseId, 'Task_TransferToPolice', { transferredAt: now(), policeAgency: '郑州市公安局二七分局', policeReceiptNumber: 'R-1' }, 'handler1');
    expect(await status(c.caseId)).toBe('awaiting-police-decision');
    expect(await docTypes(c.caseId)).toContain('criminal-referral');
    return c;
  }

  it('a police referral where the police stay silent for 3 days is escalated', async () => {
    const { caseId, caseNumber } = await transferredToPolice();
    // 3 日, extended past a weekend when its last day is a rest day.
    await life.advance('P6D');
    const row = await life.caseRow(caseId);
    expect(Number(row.supervised)).toBe(1);
    expect(await mails(caseId)).toEqual(expect.arrayContaining(['police_decision_overdue', 'police_reminder']));
    // Not only mail: the grid's handlers get a follow-up task (催办), which the case waits for.
    const followUp = await life.task(caseId, 'Task_FollowUpPolice');
    const task = await t.core.engine.getTask(followUp.key);
    expect(task.candidateGroups).toEqual(['JF']);
    await life.message('police-decision', caseNumber, { policeDecision: 'accepted', policeDecisionAt: now(), policeDecisionNumber: '立字 1 号' });
    await life.complete(caseId, 'Task_FollowUpPolice', { followUpMethod: 'phone', followedUpAt: now().slice(0, 10), followUpResult: '已电话催办，对方称当日作出决定。' }, 'handler1');
    await life.task(caseId, 'Task_ApproveClosure');
    expect(await status(caseId)).toBe('referred-to-police');
  });

  it('a police refusal is followed by 复议, a proposal to the procuratorate and the penalty procedure', async () => {
    const { caseId, caseNumber } = await transferredToPolice();
    await life.message('police-decision', caseNumber, { policeDecision: 'refused', policeDecisionAt: now(), policeDecisionNumber: '不立字 2 号' });
    await life.complete(caseId, 'Task_DecideReconsideration', { requestReconsideration: true, reconsiderationReason: '达到立案标准' });
    await life.message('police-reconsideration-answer', caseNumber, { reconsiderationResult: 'upheld', reconsiderationAnsweredAt: now() });
    await life.complete(caseId, 'Task_DecideProcuratorate', { requestProcuratorate: true, procuratorate: '二七区人民检察院' });
    await life.task(caseId, 'Task_ProposePenalty');
    const page = await (await t.login('supervisor')).get(`/api/cases/${caseId}`);
    expect(page.body.deadlines.map((d: { rule: string }) => d.rule)).toEqual(expect.arrayContaining(['police.reconsiderationRequest', 'police.reconsiderationAnswer', 'police.decision']));
    expect(page.body.timeline.some((e: { after: { status?: string } | null }) => e.after?.status === 'police-refused')).toBe(true);
  });

  it('an absconding employer: asset preservation granted, then lapsed after 30 日 without suit', async () => {
    const { caseId, caseNumber } = await filedCase();
    await life.message('employer-absconded', caseNumber, { abscondedAt: now(), abscondNote: '法定代表人失联' });
    expect((await life.caseRow(caseId)).preservation_status).toBe('asset-preservation');
    await life.complete(caseId, 'Task_PrepareApplication', { preservationCourt: '二七区人民法院', preservationAmount: 36000, assetLeads: '基本存款账户；工程车辆' }, 'handler1');
    await life.complete(caseId, 'Task_ApproveApplication', { preservationApproved: true });
    await life.complete(caseId, 'Task_FileWithCourt', { courtFiledAt: now(), courtReceiptNumber: 'C-1' }, 'handler1');
    expect(await docTypes(caseId)).toContain('preservation-application');
    await life.message('court-ruling', caseNumber, { courtRuling: 'granted', rulingAt: now(), rulingNumber: '保字 3 号' });
    expect((await life.caseRow(caseId)).preservation_status).toBe('assets-preserved');
    expect(await mails(caseId)).toContain('suit_required');
    await life.advance('P31D');
    expect((await life.caseRow(caseId)).preservation_status).toBe('asset-preservation-lapsed');
    expect(await mails(caseId)).toContain('preservation_lapsed');
    // The investigation itself goes on.
    await life.task(caseId, 'Task_Investigate');
    expect(await status(caseId)).toBe('filed');
  });
  it('other outcomes of the investigation: withdrawal, transfer, handling decision, arbitration', async () => {
    const withdrawn = await filedCase();
    await life.complete(withdrawn.caseId, 'Task_Investigate', { investigationOutcome: 'withdraw' }, 'handler1');
    await life.complete(withdrawn.caseId, 'Task_ApproveWithdrawal', { withdrawalApproved: true, withdrawalReason: '违法行为轻微并已改正' });
    await closeAndArchive(withdrawn.caseId);
    expect((await life.caseRow(withdrawn.caseId)).outcome).toBe('withdrawn');

    const transferred = await filedCase();
    await life.complete(transferred.caseId, 'Task_Investigate', { investigationOutcome: 'transfer' }, 'handler1');
    await life.complete(transferred.caseId, 'Task_TransferCase', { transferTarget: '市场监督管理局', transferReason: '不属于本机关职权' }, 'handler1');
    await life.complete(transferred.caseId, 'Task_ApproveClosure', { closureApproved: true });
    expect((await life.caseRow(transferred.caseId)).outcome).toBe('transferred');

    const decided = await filedCase();
    await life.complete(decided.caseId, 'Task_Investigate', { investigationOutcome: 'handling-decision', findings: '拖欠工资属实' }, 'handler1');
    await life.complete(decided.caseId, 'Task_HandlingApproval', { handlingContent: '支付拖欠工资 36000 元', partyHeard: true });
    expect(await docTypes(decided.caseId)).toContain('handling-decision');
    await life.complete(decided.caseId, 'Task_ApproveClosure', { closureApproved: true });
    expect((await life.caseRow(decided.caseId)).outcome).toBe('handling-decision');

    const dispute = await filedCase();
    await life.complete(dispute.caseId, 'Task_Investigate', { investigationOutcome: 'arbitration' }, 'handler1');
    await serve(dispute.caseId, 'Task_ServeArbitrationNotice');
    await life.complete(dispute.caseId, 'Task_PrepareMaterials', { arbitrationCommission: '二七区劳动人事争议仲裁委员会', arbitrationFindings: '存在劳动关系争议' }, 'handler1');
    expect(await mails(dispute.caseId)).toEqual(expect.arrayContaining(['arbitration_notice', 'arbitration_findings']));
    await life.complete(dispute.caseId, 'Task_ApproveClosure', { closureApproved: false });
    await life.complete(dispute.caseId, 'Task_SupplementClosure', { supplementNote: '补充仲裁回执' }, 'handler1');
    await life.complete(dispute.caseId, 'Task_ApproveClosure', { closureApproved: true });
    expect((await life.caseRow(dispute.caseId)).outcome).toBe('referred-arbitration');
  });

  it('a filing refused is closed with a notice; a long investigation asks for and gets its extension', async () => {
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId } }));
    await life.settle();
    await life.complete(res.body.caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(res.body.caseId, 'Task_ApproveFiling', { filingApproved: false, notFiledReason: '证据不足' });
    expect(await life.caseRow(res.body.caseId)).toMatchObject({ status: 'closed', outcome: 'not-filed' });
    expect(await docTypes(res.body.caseId)).toContain('non-acceptance-notice');

    const { caseId } = await filedCase();
    const page = await (await t.login('supervisor')).get(`/api/cases/${caseId}`);
    const investigation = page.body.deadlines.find((d: { rule: string }) => d.rule === 'investigation.limit');
    const days = Math.ceil((investigation.warnAt - t.clock.now().getTime()) / 86_400_000) + 1;
    await life.advance(`P${days}D`);
    await life.complete(caseId, 'Task_ApproveExtension', { extensionApproved: true, extensionReason: '案情复杂' });
    const investigate = await life.task(caseId, 'Task_Investigate');
    const deadlines = investigate.variables.deadlines as { investigation: Record<string, { extendedTo?: string; dueAt: string }> };
    expect(deadlines.investigation.limit.extendedTo).toBe(deadlines.investigation.extension.dueAt);
    const after = await (await t.login('supervisor')).get(`/api/cases/${caseId}`);
    const approved = after.body.deadlines.find((d: { rule: string }) => d.rule === 'investigation.extensionApproved').explanation.text as string;
    expect(approved).toContain(`延长调查期限至${chineseDateText(Date.parse(deadlines.investigation.extension.dueAt))}`);
    // The limit and its extension share their article: it is named once.
    expect(approved.match(/第17条/g)).toHaveLength(1);
  });
  it('a major penalty without a hearing: legal review, collective discussion, paid late with its late fee, or enforced by the court', async () => {
    async function decided() {
      const c = await filedCase();
      await life.complete(c.caseId, 'Task_Investigate', { investigationOutcome: 'penalty' }, 'handler1');
      await life.complete(c.caseId, 'Task_ProposePenalty', { partyType: 'organisation', proposedFineAmount: 10000, isMajorCase: true }, 'handler1');
      await serve(c.caseId, 'Task_ServePriorNotice');
      return c;
    }
    const late = await decided();
    const enforced = await decided();
    await life.advance('P10D');
    for (const c of [late, enforced]) {
      await life.complete(c.caseId, 'Task_ReviewStatement', { statementReceived: false, penaltyReview: 'maintain' }, 'handler1');
      await life.complete(c.caseId, 'Task_LegalReview', { legalReviewResult: 'approved' }, 'legal');
      await life.complete(c.caseId, 'Task_CollectiveDiscussion', { discussionConclusion: '同意处罚' });
      await life.complete(c.caseId, 'Task_ApprovePenalty', { penaltyApproved: true, approvedFineAmount: 10000 });
      await serve(c.caseId, 'Task_ServeDecision');
      expect(await status(c.caseId)).toBe('awaiting-payment');
    }
    await life.advance('P20D');
    expect(await status(late.caseId)).toBe('payment-overdue');
    await life.message('fine-paid', late.caseNumber, { paidAt: now(), paidAmount: 10000 });
    const closure = await life.task(late.caseId, 'Task_ApproveClosure');
    expect(closure.variables.penaltyOutcome).toBe('paid-late');
    expect(await status(late.caseId)).toBe('penalty-executed');
    await life.advance('P190D');
    const prepare = await life.task(enforced.caseId, 'Task_PrepareEnforcement');
    expect((prepare.variables.lateFee as { capped: boolean; amount: number })).toMatchObject({ capped: true, amount: 10000 });
    await life.complete(enforced.caseId, 'Task_PrepareEnforcement', { enforcementCourt: '二七区人民法院' }, 'legal');
    expect(await status(enforced.caseId)).toBe('enforcement-applied');
    await life.message('enforcement-concluded', enforced.caseNumber, { enforcementResult: '已执行', enforcementConcludedAt: now() });
    expect((await life.task(enforced.caseId, 'Task_ApproveClosure')).variables.penaltyOutcome).toBe('enforced');
  });
});
