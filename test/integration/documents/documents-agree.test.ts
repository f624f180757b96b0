/**
 * Every document type (the 21 templates) rendered from one realistic case agrees with the case: the
 * deadline the system computed, the outside body the office has on file, the parties' names, the
 * inspectors by display name — and carries no placeholder or doubled punctuation. The order to correct,
 * its 送达回证 and the 补正通知书 come from the lifecycle itself; the other types are built with the
 * function document.issue uses, from the same case and its variables.
 */
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, Lifecycle, lifecycle, twelveWorkers } from '../../support/lifecycle';
import { isoChina } from '../../../src/cases/case-deadlines';
import { documentData, loadCaseFacts, REGISTRY_TYPE } from '../../../src/cases/document-data';
import { mustFindCase } from '../../../src/cases/store';
import { DEFAULT_LEGAL_RULES } from '../../../src/config/legal-rules';
import { documentTypeIds } from '../../../src/documents/document-types';
import { issueDocument, renderDocument } from '../../../src/documents/documents';
import { decodeEntities } from '../../../src/documents/markup';
import { serialTransaction } from '../../../src/engine/runtime/tx';

jest.setTimeout(300_000);

const POLICE = '郑州市公安局二七分局经侦大队';
const COURT = '郑州市二七区人民法院';
const COMMISSION = '郑州市二七区劳动人事争议仲裁委员会';
const TRANSFER_TARGET = '郑州市二七区市场监督管理局';
const PROCURATORATE = '郑州市二七区人民检察院';
const EMPLOYER = '郑州测试建筑劳务有限公司';
const COMPLAINANT = '张三';
// demo users: handler1 = 监察员 李强, handler2 = 监察员 赵磊; documents print the name without the role word
const INSPECTORS = '李强、赵磊';

/** YYYY-MM-DD as the templates' `date` helper writes it. */
const cnDate = (d: string) => { const [y, m, day] = d.split('-'); return `${y}年${Number(m)}月${Number(day)}日`; };
/** The document's text: inline marks dropped, each block on its own line. */
const textOf = (html: string) => decodeEntities(html.replace(/<(style|head)[\s\S]*?<\/\1>/g, '').replace(/<\/?(u|strong)>/g, '').replace(/<[^>]*>/g, '\n')).replace(/\n\s*\n/g, '\n');

/** What each registry type must name, beyond the general checks. */
const EXPECT: Record<string, string[]> = {
  'complaint-register': [EMPLOYER, COMPLAINANT],
  // issued when the case is filed, before inspectors are assigned (承办人 待指派)
  'case-approval': [EMPLOYER],
  'non-acceptance-notice': [COMPLAINANT, EMPLOYER],
  'completion-request': [COMPLAINANT],
  'inquiry-notice': [EMPLOYER, '李强'],
  'order-to-correct': [EMPLOYER, '工人1'],
  'penalty-prior-notice': [EMPLOYER, '李强'],
  'hearing-notice': [EMPLOYER, '李强'],
  'penalty-decision': [EMPLOYER],
  'handling-decision': [EMPLOYER],
  'criminal-referral': [POLICE, EMPLOYER, '李强'],
  'preservation-application': [COURT, EMPLOYER, '郑州市二七区解放路 99 号'],
  'arbitration-notice': [COMMISSION, COMPLAINANT],
  'closure-approval': [EMPLOYER, INSPECTORS],
  'service-receipt': [EMPLOYER, INSPECTORS],
  'case-transfer-letter': [TRANSFER_TARGET, EMPLOYER, '李强'],
  'enforcement-application': [COURT, EMPLOYER],
  'arbitration-transfer-letter': [COMMISSION, COMPLAINANT, EMPLOYER, '李强'],
  'police-transfer-approval': [EMPLOYER, INSPECTORS],
  'police-reconsideration-request': [POLICE, EMPLOYER, '李强'],
  'procuratorate-supervision-request': [PROCURATORATE, POLICE, EMPLOYER, '李强'],
};

/**
 * The types a case's own lifecycles issue. The joint-discipline list's documents are read back by its
 * scenario test (test/integration/credit); every type, the patrol's on-site order included, renders its
 * sample without placeholders in test/unit/documents/templates.test.ts.
 */
const CASE_TYPES = Object.keys(EXPECT);

const PLACEHOLDERS: RegExp[] = [/见[^。，；]{0,12}公告/, /见本机关/, /同级公安机关/, /承办监察员/, /有管辖权的机关/, /\{\{/, /undefined/, /null/, /NaN/, /handler\d/, /。。/, /，，/, /。；/, /经查，经查/];

describe.each(testDbKinds())('documents agree with the case (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;
  let caseId: string;
  const rendered = new Map<string, string>();
  const now = () => isoChina(t.clock.now().getTime());

  beforeAll(async () => {
    t = await startTestApp(kind, 'docs-agree');
    life = lifecycle(t);
    const admin = await t.login('admin');
    for (const [role, name] of [['police-liaison', POLICE], ['court', COURT], ['arbitration-commission', COMMISSION]]) {
      expect((await admin.put(`/api/contacts/${role}`).send({ name, email: `${role}@docs-agree.example.cn` })).status).toBe(200);
    }
    employerId = (await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'"))[0].id;
    await t.db.ds.query('UPDATE employers SET name = ?, address = ? WHERE id = ?', [EMPLOYER, '郑州市二七区解放路 99 号', employerId]);

    const res = await (await t.login('intake')).post('/api/complaints').send(complaintBody({
      employer: { employerId }, workers: twelveWorkers(), claims: [{ category: 'wage-arrears', description: '拖欠 12 名工人三个月工资', amount: 108000 }],
    }));
    expect(res.status).toBe(201);
    caseId = res.body.caseId;
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' });
    // Texts ending in 。 where the template adds its own, and 经查 where the template writes it too.
    await life.complete(caseId, 'Task_Investigate', {
      investigationOutcome: 'order-to-correct', correctionDays: 7, workersOwed: 12, amountOwed: 36000, monthsOwed: 3,
      findings: '经查，该公司拖欠 12 名工人工资 36000 元。', correctionRequirements: '足额支付 12 名工人工资 36000 元。',
    }, 'handler1');
    await life.complete(caseId, 'Task_ServeOrder', { serviceMethod: 'direct', servedAt: now(), serviceReceiver: '王某（法定代表人）' }, 'handler1');

    // The documents the lifecycle issued, then every other type built as document.issue builds it.
    const docs: { id: string; type_id: string; number: string; issued_at: number | string }[] =
      await t.db.ds.query('SELECT id, type_id, number, issued_at FROM documents WHERE case_id = ? ORDER BY issued_at', [caseId]);
    for (const d of docs) rendered.set(d.type_id, textOf(await renderDocument(t.db.ds.manager, d.id, 'html')));
    const byType = Object.fromEntries(docs.map((d) => [d.type_id, d]));
    const order = byType['order-to-correct']!;
    const issued = (typeId: string, extra: Record<string, unknown> = {}) => (byType[typeId] ? { number: byType[typeId].number, issuedAt: isoChina(Number(byType[typeId].issued_at)), ...extra } : undefined);
    const at = t.clock.now().getTime();
    const vars: Record<string, unknown> = {
      caseId, leadInspector: 'handler1', secondInspector: 'handler2', correctionDays: 7, workersOwed: 12, amountOwed: 36000,
      findings: '经查，该公司拖欠 12 名工人工资 36000 元。', evidence: '询问笔录、工资表。', penaltyReasons: '经责令改正逾期未改正',
      proposedFineAmount: 20000, approvedFineAmount: 20000, penaltyAssessment: { hearingEligible: true },
      hearingAt: isoChina(at + 10 * 86_400_000).slice(0, 16), hearingRequestedAt: now(), hearingHost: 'legal',
      handlingContent: '支付 12 名工人工资 36000 元。', nonAcceptanceReason: '该事项已由人民法院受理',
      transferTarget: TRANSFER_TARGET, transferReason: '不属于本机关职权', teamLead: 'handler1', teamMember: 'handler2', referralReport: '该公司拒不支付劳动报酬。',
      transferredAt: now(), policeDecisionNumber: '二公不立字〔2026〕2号', policeDecisionAt: now(), reconsiderationReason: '已达到立案标准。',
      reconsiderationResult: 'upheld', procuratorate: PROCURATORATE, assetLeads: '被申请人基本存款账户', lateFee: { amount: 2000 },
      arbitrationFindings: '投诉人与该公司对经济补偿存在争议。', arbitrationMaterials: ['findings'], closureSummary: '已足额支付。',
      documents: {
        'order-to-correct': issued('order-to-correct', { servedAt: now() }),
        'police-transfer': { number: '郑人社监移〔2026〕0001号', issuedAt: now() },
        'penalty-decision': { number: '郑人社监罚决〔2026〕0001号', issuedAt: now(), servedAt: now() },
        'police-reconsideration-request': { number: '郑人社监复议〔2026〕0001号', issuedAt: now() },
      },
    };
    const c = await mustFindCase(t.db.ds.manager, caseId);
    const facts = await loadCaseFacts(t.db.ds.manager, c);
    for (const [contractType, typeId] of Object.entries(REGISTRY_TYPE)) {
      if (rendered.has(typeId) || typeId === 'service-receipt') continue;
      const built = documentData(contractType, facts, vars, at)!;
      const doc = await serialTransaction(t.db.ds, (em) => issueDocument(em, { officeId: c.officeId, caseId, typeId, data: built.data, issuedBy: 'system', issuedAt: at }));
      rendered.set(typeId, textOf(await renderDocument(t.db.ds.manager, doc.id, 'html')));
    }
    expect(order).toBeDefined();
  });
  afterAll(async () => t?.close());

  it('renders all 21 document types of a case', () => {
    expect(CASE_TYPES).toHaveLength(21);
    expect(CASE_TYPES.every((id) => (documentTypeIds as readonly string[]).includes(id))).toBe(true);
    expect([...rendered.keys()].sort()).toEqual([...CASE_TYPES].sort());
  });

  it.each(CASE_TYPES.map((id) => [id]))('%s names the parties, the body addressed and the inspectors, with no placeholder', (typeId) => {
    const text = rendered.get(typeId)!;
    for (const name of EXPECT[typeId] ?? []) expect({ typeId, has: name, found: text.includes(name) }).toEqual({ typeId, has: name, found: true });
    for (const p of PLACEHOLDERS) expect({ typeId, placeholder: String(p), match: p.exec(text)?.[0] ?? null }).toEqual({ typeId, placeholder: String(p), match: null });
  });

  it('the order to correct states the one deadline the system runs: its period from service', async () => {
    const text = rendered.get('order-to-correct')!;
    const [row]: { due_date: string; explanation_json: string }[] = await t.db.ds.query("SELECT due_date, explanation_json FROM case_deadlines WHERE case_id = ? AND rule = 'correction.period'", [caseId]);
    const process = JSON.parse(row.explanation_json).process as { count: number; unit: string; startEvent: string };
    expect(process).toMatchObject({ count: 7, unit: 'days', startEvent: '送达限期改正指令书' });
    expect(text).toContain(`自收到本指令书之日起${process.count}日内改正`);
    // No second deadline: no date before which to correct other than the period.
    expect(text).not.toMatch(/\d+月\d+日前改正/);
    expect(text).toContain('足额支付 12 名工人工资 36000 元。');
  });

  it('the 送达回证 is the order\'s, served by the inspectors on the day recorded', async () => {
    const text = rendered.get('service-receipt')!;
    const [served]: { served_at: number | string }[] = await t.db.ds.query(
      "SELECT s.served_at FROM document_services s JOIN documents d ON d.id = s.document_id WHERE d.case_id = ? AND d.type_id = 'order-to-correct'", [caseId]);
    expect(text).toContain('限期改正指令书');
    expect(text).toContain(cnDate(isoChina(Number(served.served_at)).slice(0, 10)));
    expect(text).toMatch(/送达人\s*李强、赵磊/);
  });

  it('the 补正通知书 gives the completion deadline on file', async () => {
    const res = await (await t.login('intake')).post('/api/complaints').send(complaintBody({ employer: { name: '工地的王老板' } }));
    expect(res.status).toBe(201);
    await life.settle();
    const [row]: { due_date: string }[] = await t.db.ds.query("SELECT due_date FROM case_deadlines WHERE case_id = ? AND rule = 'intake.completion'", [res.body.caseId]);
    const [doc]: { id: string }[] = await t.db.ds.query("SELECT id FROM documents WHERE case_id = ? AND type_id = 'completion-request'", [res.body.caseId]);
    const text = textOf(await renderDocument(t.db.ds.manager, doc.id, 'html'));
    expect(text).toContain(`请你于${cnDate(row.due_date)}前补正`);
    expect(text).toContain('王敏');
    for (const p of PLACEHOLDERS) expect(text).not.toMatch(p);
  });

  it('periods stated in the penalty documents are the legal rules the deadlines run', () => {
    expect(rendered.get('penalty-prior-notice')).toContain(`收到本告知书之日起${DEFAULT_LEGAL_RULES['punishment.hearingRequest'].value}个工作日内`);
    expect(rendered.get('penalty-decision')).toContain(`收到本决定书之日起${DEFAULT_LEGAL_RULES['punishment.finePayment'].value}日内`);
  });

  it('what the directory does not hold is a line to fill by hand', () => {
    expect(rendered.get('arbitration-notice')).toMatch(/地址：＿+/);
    expect(rendered.get('preservation-application')).toMatch(/负责人：＿+/);
    expect(rendered.get('preservation-application')).toContain('送达地址：郑州市二七区解放路 99 号');
  });
});
