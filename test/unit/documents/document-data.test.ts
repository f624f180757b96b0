/**
 * The data of every contract document type built from a case, checked against its registry type's
 * schema: with the lifecycle's variables filled in, and with none beyond the case on file (a form left
 * optional fields empty), so `document.issue` never fails on a missing variable.
 */
import { documentData, REGISTRY_TYPE, type CaseFacts } from '../../../src/cases/document-data';
import { findDocumentType } from '../../../src/documents/document-types';
import type { CaseRecord } from '../../../src/cases/store';

const NOW = Date.UTC(2026, 10, 21, 2, 0);

const c: CaseRecord = {
  id: '00000000-0000-4000-8000-000000000001', officeId: 'o', gridId: null, employerId: null, caseNumber: 'ZZ-2026-000001', year: 2026,
  kind: 'complaint', channel: 'window', receivedAt: NOW - 86_400_000, suggestedRoute: null, route: null, status: 'filed', outcome: null,
  preservationStatus: null, supervised: false, duplicate: false, linkedCaseId: null, limitationInterruptedAt: null, violationEndedOn: null,
  summary: '投诉人称该公司拖欠 12 名工人工资。', totalOwed: 36000, workersCount: 12, wageArrears: true, filedAt: NOW - 86_400_000, closedAt: null,
  createdBy: 'intake', createdAt: NOW, updatedAt: NOW,
};
const facts: CaseFacts = {
  c, officeName: '郑州市二七区劳动保障监察大队',
  parties: [
    { role: 'complainant', name: '张三', idType: null, idNumber: null, phone: null, email: null, address: null, creditCode: null, legalRepresentative: null },
    { role: 'employer', name: '郑州宏达建筑劳务有限公司', idType: null, idNumber: null, phone: null, email: null, address: '郑州市二七区解放路 18 号', creditCode: null, legalRepresentative: '张宏达' },
  ],
  workers: [{ name: '工人1', idType: null, idNumber: null, phone: null, amountOwed: 3000, monthsOwed: 3 }],
  claims: [{ category: 'wage-arrears', description: '拖欠工资', amount: 36000, periodFrom: null, periodTo: null }],
};

const lifecycleVars: Record<string, unknown> = {
  completionItems: '用人单位的准确名称；劳动关系证明', deadlines: { intake: { completion: { dueAt: '2026-11-27T23:59:59+08:00' } } },
  transferTarget: '二七区市场监督管理局', transferReason: '不属于本机关职权',
  enforcementCourt: '二七区人民法院', approvedFineAmount: 10000, lateFee: { amount: 10000, capped: true },
  arbitrationCommission: '二七区劳动人事争议仲裁委员会', arbitrationFindings: '存在劳动关系争议', arbitrationMaterials: ['findings', 'interview-records'],
  teamLead: 'handler1', teamMember: 'handler2', referralReport: '拒不支付劳动报酬', workersOwed: 12, amountOwed: 36000,
  policeAgency: '郑州市公安局二七分局', transferredAt: '2026-11-20T10:00:00+08:00', policeDecisionNumber: '不立字 2 号', policeDecisionAt: '2026-11-21T10:00:00+08:00',
  reconsiderationReason: '达到立案标准', reconsiderationResult: 'upheld', procuratorate: '二七区人民检察院',
  documents: {
    'order-to-correct': { number: '郑人社监限改〔2026〕0001号', servedAt: '2026-11-10T10:00:00+08:00' },
    'police-transfer': { number: '郑人社监移〔2026〕0001号', issuedAt: '2026-11-20T09:00:00+08:00' },
    'penalty-decision': { number: '郑人社监罚决〔2026〕0001号', issuedAt: '2026-06-01T09:00:00+08:00', servedAt: '2026-06-02T09:00:00+08:00' },
    'police-reconsideration-request': { number: '郑人社监复议〔2026〕0001号' },
  },
};

// The 送达回证 is built by document.record-service from the service record, not from the case.
const contractTypes = Object.keys(REGISTRY_TYPE).filter((t) => t !== 'service-receipt');

describe('document data from the case', () => {
  it('has a registry type with a template for every contract type', () => {
    for (const type of contractTypes) expect(findDocumentType(REGISTRY_TYPE[type])).toBeDefined();
  });

  it.each(contractTypes)('%s: valid with the lifecycle variables and with none', (type) => {
    for (const vars of [lifecycleVars, {}]) {
      const built = documentData(type, facts, vars, NOW);
      expect(built).not.toBeNull();
      const parsed = findDocumentType(built!.typeId)!.schema.safeParse(built!.data);
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
  });

  it('carries what the forms collected into the new documents', () => {
    expect(documentData('completion-request', facts, lifecycleVars, NOW)!.data).toMatchObject({ items: ['用人单位的准确名称', '劳动关系证明'], deadline: '2026-11-27' });
    expect(documentData('arbitration-transfer-letter', facts, lifecycleVars, NOW)!.data.materials).toEqual(['仲裁告知书', '调查认定事实材料', '调查询问笔录']);
    expect(documentData('enforcement-application', facts, lifecycleVars, NOW)!.data).toMatchObject({ decisionNumber: '郑人社监罚决〔2026〕0001号', fineAmount: 10000, lateFee: 10000, servedDate: '2026-06-02' });
    expect(documentData('police-reconsideration-request', facts, lifecycleVars, NOW)!.data).toMatchObject({ transferNumber: '郑人社监移〔2026〕0001号', decisionNumber: '不立字 2 号', police: '郑州市公安局二七分局' });
    expect(String(documentData('procuratorate-supervision-request', facts, lifecycleVars, NOW)!.data.history)).toContain('维持不予立案');
  });

  it('answers null for a type outside the contract', () => {
    expect(documentData('no-such-type', facts, {}, NOW)).toBeNull();
    expect(documentData('constructor', facts, {}, NOW)).toBeNull();
  });
});
