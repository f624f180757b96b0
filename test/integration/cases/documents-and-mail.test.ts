/**
 * The documents every lifecycle issues from templates (补正通知书, 案件移送函, 强制执行申请书, 仲裁案件移送函,
 * 涉嫌犯罪案件移送审批表, 提请复议书, 立案监督建议书 among them, none drafted outside the system) and mail
 * to outside recipients carrying the PDF of the document it is about, addressed from the office's
 * directory. One app per database; the clock only moves forward, so the tests run in this order.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, Lifecycle, lifecycle, twelveWorkers } from '../../support/lifecycle';
import { isoChina } from '../../../src/cases/case-deadlines';
import { renderDocument } from '../../../src/documents/documents';

jest.setTimeout(300_000);

interface OutboxRow { purpose: string; to_json: string; attachments: string | null; attachments_meta: string; document_id: string | null; text_body: string }

describe.each(testDbKinds())('documents and mail of the lifecycles (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'cases-docmail');
    life = lifecycle(t);
    employerId = (await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'"))[0].id;
  });
  afterAll(async () => t?.close());

  const now = () => isoChina(t.clock.now().getTime());
  const status = async (caseId: string) => (await life.caseRow(caseId)).status;
  const docTypes = async (caseId: string) => ((await t.db.ds.query('SELECT type_id FROM documents WHERE case_id = ?', [caseId])) as { type_id: string }[]).map((d) => d.type_id);
  const mail = async (caseId: string, purpose: string): Promise<OutboxRow> => {
    const rows: OutboxRow[] = await t.db.ds.query('SELECT purpose, to_json, attachments, attachments_meta, document_id, text_body FROM mail_outbox WHERE case_id = ? AND purpose = ?', [caseId, purpose]);
    expect(rows).toHaveLength(1);
    return rows[0];
  };
  const serve = (caseId: string, elementId: string) =>
    life.complete(caseId, elementId, { serviceMethod: 'direct', servedAt: now(), serviceReceiver: '张宏达（法定代表人）' }, 'handler1');
  const draftedOutside = async () => Number((await t.db.ds.query("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'document.draft-outside'"))[0].n);

  /** The mail's one attachment is the PDF of the case's document of `typeId`, named by its title and number. */
  async function expectPdfOf(caseId: string, m: OutboxRow, typeId: string, title: string) {
    const [doc]: { id: string; number: string }[] = await t.db.ds.query('SELECT id, number FROM documents WHERE case_id = ? AND type_id = ?', [caseId, typeId]);
    expect(doc).toBeDefined();
    expect(m.document_id).toBe(doc.id);
    const attachments = JSON.parse(m.attachments ?? '[]') as { filename: string; contentType: string; base64: string }[];
    expect(attachments).toHaveLength(1);
    expect(attachments[0].filename).toBe(`${title} ${doc.number}.pdf`);
    expect(attachments[0].contentType).toBe('application/pdf');
    const pdf = Buffer.from(attachments[0].base64, 'base64');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(JSON.parse(m.attachments_meta)[0]).toMatchObject({ filename: attachments[0].filename, bytes: pdf.length });
    // The attachment is the document on file: rendering the record again gives the same bytes.
    expect(Buffer.compare(await renderDocument(t.db.ds.manager, doc.id, 'pdf'), pdf)).toBe(0);
  }

  async function filedCase(): Promise<{ caseId: string; caseNumber: string }> {
    const res = await (await t.login('intake')).post('/api/complaints').send(complaintBody({
      employer: { employerId }, workers: twelveWorkers(), claims: [{ category: 'wage-arrears', description: '拖欠 12 名工人三个月工资', amount: 108000 }],
    }));
    expect(res.status).toBe(201);
    await life.settle();
    await life.complete(res.body.caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(res.body.caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(res.body.caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' });
    await life.task(res.body.caseId, 'Task_Investigate');
    return res.body;
  }

  async function transferredToPolice() {
    const c = await filedCase();
    await life.complete(c.caseId, 'Task_Investigate', {
      investigationOutcome: 'order-to-correct', correctionDays: 1, workersOwed: 12, amountOwed: 36000, monthsOwed: 3, findings: '经查，该公司拖欠 12 名工人工资 36000 元。',
    }, 'handler1');
    await serve(c.caseId, 'Task_ServeOrder');
    await life.advance('P5D');
    await life.complete(c.caseId, 'Task_ReInspect', { corrected: 'no', reInspectionRecord: '仍未支付' }, 'handler1');
    await life.complete(c.caseId, 'Task_WriteReport', { teamLead: 'handler1', teamMember: 'handler2', workersOwed: 12, amountOwed: 36000, referralReport: '拒不支付劳动报酬' }, 'handler1');
    expect(await docTypes(c.caseId)).toContain('police-transfer-approval');
    await life.complete(c.caseId, 'Task_ApproveReferral', { referralApproved: true });
    await life.complete(c.caseId, 'Task_TransferToPolice', { transferredAt: now(), policeAgency: '郑州市公安局二七分局', policeReceiptNumber: 'R-1' }, 'handler1');
    expect(await status(c.caseId)).toBe('awaiting-police-decision');
    return c;
  }

  it('a complainant asked to complete the materials gets the 补正通知书 as a PDF', async () => {
    const res = await (await t.login('intake')).post('/api/complaints').send(complaintBody({ employer: { name: '工地的王老板' } }));
    expect(res.status).toBe(201);
    await life.settle();
    expect(await docTypes(res.body.caseId)).toContain('completion-request');
    const m = await mail(res.body.caseId, 'completion_request');
    expect(JSON.parse(m.to_json)).toEqual([{ email: 'zhangsan@example.com', name: '张三' }]);
    await expectPdfOf(res.body.caseId, m, 'completion-request', '补正通知书');
  });

  it('the police liaison\'s reminder goes to the configured address with the 移送书 attached', async () => {
    const admin = await t.login('admin');
    expect((await admin.put('/api/contacts/police-liaison').send({ name: '二七分局联络员', email: 'liaison@police-test.example.cn' })).status).toBe(200);
    await t.db.ds.query("DELETE FROM office_contacts WHERE role = 'supervisor-mailbox'");
    const { caseId, caseNumber } = await transferredToPolice();
    await life.advance('P6D');
    const reminder = await mail(caseId, 'police_reminder');
    expect(JSON.parse(reminder.to_json)).toEqual([{ email: 'liaison@police-test.example.cn', name: '二七分局联络员' }]);
    expect(reminder.text_body).not.toContain('占位');
    await expectPdfOf(caseId, reminder, 'criminal-referral', '涉嫌犯罪案件移送书');
    // The supervisors' escalation is internal: no document attached. With no supervisor address on
    // file it goes to the placeholder, and says so.
    const overdue = await mail(caseId, 'police_decision_overdue');
    expect(JSON.parse(overdue.attachments ?? '[]')).toEqual([]);
    expect(JSON.parse(overdue.to_json)).toEqual([{ email: 'supervisor@zz-eq.invalid', name: '大队负责人' }]);
    expect(overdue.text_body).toContain('占位地址');
    await life.message('police-decision', caseNumber, { policeDecision: 'accepted', policeDecisionAt: now(), policeDecisionNumber: '立字 1 号' });
    await life.complete(caseId, 'Task_FollowUpPolice', { followUpMethod: 'letter', followedUpAt: now().slice(0, 10), followUpResult: '已发函催办。' }, 'handler1');
    await life.task(caseId, 'Task_ApproveClosure');
  });

  it('a court silent past its ruling time gets a reminder with the 诉前财产保全申请书 attached', async () => {
    const admin = await t.login('admin');
    expect((await admin.put('/api/contacts/court').send({ name: '二七区人民法院立案庭', email: 'lian@court-test.example.cn' })).status).toBe(200);
    const { caseId, caseNumber } = await filedCase();
    await life.message('employer-absconded', caseNumber, { abscondedAt: now(), abscondNote: '法定代表人失联' });
    await life.complete(caseId, 'Task_PrepareApplication', { preservationCourt: '二七区人民法院', preservationAmount: 36000, assetLeads: '基本存款账户' }, 'handler1');
    await life.complete(caseId, 'Task_ApproveApplication', { preservationApproved: true });
    await life.complete(caseId, 'Task_FileWithCourt', { courtFiledAt: now(), courtReceiptNumber: 'C-9' }, 'handler1');
    await life.advance('P6D');
    const reminder = await mail(caseId, 'court_ruling_overdue');
    expect(JSON.parse(reminder.to_json)).toEqual(expect.arrayContaining([{ email: 'lian@court-test.example.cn', name: '二七区人民法院立案庭' }]));
    await expectPdfOf(caseId, reminder, 'preservation-application', '诉前财产保全申请书');
    // A late ruling is still taken.
    await life.message('court-ruling', caseNumber, { courtRuling: 'granted', rulingAt: now(), rulingNumber: '保字 9 号' });
    expect((await life.caseRow(caseId)).preservation_status).toBe('assets-preserved');
  });

  it('a police refusal: 提请复议书 and 立案监督建议书 are issued', async () => {
    const { caseId, caseNumber } = await transferredToPolice();
    await life.message('police-decision', caseNumber, { policeDecision: 'refused', policeDecisionAt: now(), policeDecisionNumber: '不立字 2 号' });
    await life.complete(caseId, 'Task_DecideReconsideration', { requestReconsideration: true, reconsiderationReason: '达到立案标准' });
    expect(await docTypes(caseId)).toContain('police-reconsideration-request');
    await life.message('police-reconsideration-answer', caseNumber, { reconsiderationResult: 'upheld', reconsiderationAnsweredAt: now() });
    await life.complete(caseId, 'Task_DecideProcuratorate', { requestProcuratorate: true, procuratorate: '二七区人民检察院', procuratorateReason: '应当立案而不立案' });
    expect(await docTypes(caseId)).toEqual(expect.arrayContaining(['police-reconsideration-request', 'procuratorate-supervision-request']));
    const [letter]: { data_json?: string }[] = await t.db.ds.query("SELECT * FROM documents WHERE case_id = ? AND type_id = 'procuratorate-supervision-request'", [caseId]);
    expect(JSON.stringify(letter)).toContain('二七区人民检察院');
    await life.task(caseId, 'Task_ProposePenalty');
  });

  it('a transfer to the competent body issues the 案件移送函; a dispute sends the commission the 仲裁案件移送函', async () => {
    const transferred = await filedCase();
    await life.complete(transferred.caseId, 'Task_Investigate', { investigationOutcome: 'transfer' }, 'handler1');
    await life.complete(transferred.caseId, 'Task_TransferCase', { transferTarget: '二七区市场监督管理局', transferReason: '不属于本机关职权' }, 'handler1');
    expect(await docTypes(transferred.caseId)).toContain('case-transfer-letter');

    const dispute = await filedCase();
    await life.complete(dispute.caseId, 'Task_Investigate', { investigationOutcome: 'arbitration' }, 'handler1');
    await life.complete(dispute.caseId, 'Task_ServeArbitrationNotice', { serviceMethod: 'direct', servedAt: now(), serviceReceiver: '张三' }, 'handler1');
    await life.complete(dispute.caseId, 'Task_PrepareMaterials', {
      arbitrationCommission: '二七区劳动人事争议仲裁委员会', arbitrationFindings: '存在劳动关系争议', arbitrationMaterials: ['findings', 'interview-records'],
    }, 'handler1');
    expect(await docTypes(dispute.caseId)).toEqual(expect.arrayContaining(['arbitration-notice', 'arbitration-transfer-letter']));
    await expectPdfOf(dispute.caseId, await mail(dispute.caseId, 'arbitration_notice'), 'arbitration-notice', '仲裁告知书');
    const findings = await mail(dispute.caseId, 'arbitration_findings');
    expect(JSON.parse(findings.to_json)[0].email).toBe('arbitration@erqi-ldzc.example.cn');
    await expectPdfOf(dispute.caseId, findings, 'arbitration-transfer-letter', '仲裁案件移送函');
  });

  it('an unpaid fine leads to the 强制执行申请书', async () => {
    const c = await filedCase();
    await life.complete(c.caseId, 'Task_Investigate', { investigationOutcome: 'penalty' }, 'handler1');
    await life.complete(c.caseId, 'Task_ProposePenalty', { partyType: 'organisation', proposedFineAmount: 10000, isMajorCase: true }, 'handler1');
    await serve(c.caseId, 'Task_ServePriorNotice');
    await life.advance('P10D');
    await life.complete(c.caseId, 'Task_ReviewStatement', { statementReceived: false, penaltyReview: 'maintain' }, 'handler1');
    await life.complete(c.caseId, 'Task_LegalReview', { legalReviewResult: 'approved' }, 'legal');
    await life.complete(c.caseId, 'Task_CollectiveDiscussion', { discussionConclusion: '同意处罚' });
    await life.complete(c.caseId, 'Task_ApprovePenalty', { penaltyApproved: true, approvedFineAmount: 10000 });
    await serve(c.caseId, 'Task_ServeDecision');
    await life.advance('P20D');
    await life.advance('P190D');
    await life.complete(c.caseId, 'Task_PrepareEnforcement', { enforcementCourt: '二七区人民法院' }, 'legal');
    expect(await status(c.caseId)).toBe('enforcement-applied');
    expect(await docTypes(c.caseId)).toContain('enforcement-application');
  });

  it('drafted nothing outside the system', async () => {
    expect(await draftedOutside()).toBe(0);
  });
});
