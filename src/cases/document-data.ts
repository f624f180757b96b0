/**
 * The data of each official document, built from the case on file and the variables its lifecycle
 * collected (the forms' fields). Contract document types (workflows/README.md) map to the document
 * registry's types (src/documents/document-types.ts); the few the registry has no template for yet
 * are answered with `null` and recorded in the process without a rendered document.
 */
import type { EntityManager } from 'typeorm';
import { chinaDate, formatChinaTime } from '../deadlines/china-time';
import { CHANNEL_LABELS, CLAIM_CATEGORIES, KIND_LABELS } from './model';
import { parseInstant } from './case-deadlines';
import { CaseRecord, caseClaims, caseParties, caseWorkers, ClaimRecord, PartyRecord, WorkerRecord } from './store';

/** Contract type → registry type. */
export const REGISTRY_TYPE: Record<string, string | null> = {
  'complaint-register': 'complaint-register',
  'non-acceptance-notice': 'non-acceptance-notice',
  'completion-request': null,
  'filing-approval': 'case-approval',
  'inquiry-notice': 'inquiry-notice',
  'order-to-correct': 'order-to-correct',
  'handling-decision': 'handling-decision',
  'case-transfer-letter': null,
  'closure-approval': 'closure-approval',
  'prior-notice-penalty': 'penalty-prior-notice',
  'hearing-notice': 'hearing-notice',
  'penalty-decision': 'penalty-decision',
  'enforcement-application': null,
  'arbitration-notice': 'arbitration-notice',
  'arbitration-transfer-letter': null,
  'police-transfer-approval': null,
  'police-transfer': 'criminal-referral',
  'police-reconsideration-request': null,
  'procuratorate-supervision-request': null,
  'asset-preservation-application': 'preservation-application',
  'service-receipt': 'service-receipt',
};

export const CONTRACT_DOCUMENT_TITLES: Record<string, string> = {
  'complaint-register': '举报投诉登记表', 'non-acceptance-notice': '不予受理通知书', 'completion-request': '补正材料通知书',
  'filing-approval': '立案审批表', 'inquiry-notice': '询问通知书', 'order-to-correct': '限期改正指令书', 'handling-decision': '行政处理决定书',
  'case-transfer-letter': '案件移送函', 'closure-approval': '结案审批表', 'prior-notice-penalty': '行政处罚事先告知书', 'hearing-notice': '听证通知书',
  'penalty-decision': '行政处罚决定书', 'enforcement-application': '强制执行申请书', 'arbitration-notice': '仲裁告知书',
  'arbitration-transfer-letter': '案件移送函（仲裁）', 'police-transfer-approval': '涉嫌犯罪案件移送审批表', 'police-transfer': '涉嫌犯罪案件移送书',
  'police-reconsideration-request': '提请复议书', 'procuratorate-supervision-request': '立案监督建议书',
  'asset-preservation-application': '诉前财产保全申请书', 'service-receipt': '送达回证',
};

export interface CaseFacts {
  c: CaseRecord;
  officeName: string;
  parties: PartyRecord[];
  workers: WorkerRecord[];
  claims: ClaimRecord[];
}

export async function loadCaseFacts(em: EntityManager, c: CaseRecord): Promise<CaseFacts> {
  const office: { name: string }[] = await em.query('SELECT name FROM offices WHERE id = ?', [c.officeId]);
  return { c, officeName: office[0]?.name ?? '', parties: await caseParties(em, c.id), workers: await caseWorkers(em, c.id), claims: await caseClaims(em, c.id) };
}

type Vars = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const cut = (s: string, max: number) => (s.length > max ? s.slice(0, max - 1) + '…' : s);
const localDateTime = (ms: number) => formatChinaTime(ms).slice(0, 16);
const yuanText = (y: number) => y.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

function employerParty(f: CaseFacts) {
  const e = f.parties.find((p) => p.role === 'employer');
  const out: Record<string, string> = { name: e?.name ?? '（用人单位名称待补正）' };
  if (e?.address) out.address = e.address;
  if (e?.creditCode) out.creditCode = e.creditCode;
  if (e?.legalRepresentative) out.legalRepresentative = e.legalRepresentative;
  if (e?.phone) out.phone = e.phone;
  return out;
}

function firstComplainant(f: CaseFacts): PartyRecord | undefined {
  return f.parties.find((p) => p.role === 'complainant');
}

function recipientName(f: CaseFacts): string {
  return firstComplainant(f)?.name ?? '举报人';
}

function claimsText(f: CaseFacts): string {
  return f.claims.map((c) => CLAIM_CATEGORIES[c.category]?.label ?? c.category).join('、') || '劳动保障违法行为';
}

function provisions(f: CaseFacts): string {
  return [...new Set(f.claims.map((c) => CLAIM_CATEGORIES[c.category]?.provision).filter(Boolean))].join('；') || '《劳动保障监察条例》第十一条';
}

function owed(f: CaseFacts, v: Vars): { workers: { name: string; amount: number }[]; count: number; total: number } {
  const listed = f.workers.filter((w) => (w.amountOwed ?? 0) > 0).map((w) => ({ name: w.name, amount: w.amountOwed! }));
  const total = num(v.amountOwed) ?? (listed.reduce((s, w) => s + w.amount, 0) || (f.c.totalOwed ?? 0));
  const count = num(v.workersOwed) ?? (listed.length || f.c.workersCount);
  return { workers: listed, count: Math.trunc(count), total };
}

function remedies(f: CaseFacts, v: Vars) {
  const r = (v.remedies ?? {}) as Vars;
  return {
    reconsiderationBody: str(r.reconsiderationBody) ?? '本级人民政府或上一级人力资源和社会保障行政部门',
    reconsiderationDays: num(r.reconsiderationDays) ?? 60,
    court: str(r.court) ?? `${f.officeName ? '本机关所在地' : ''}有管辖权的人民法院`,
    lawsuitMonths: num(r.lawsuitMonths) ?? 6,
  };
}

function contact(v: Vars) {
  return { contactPerson: str(v.leadInspector) ?? str(v.contactPerson) ?? '承办监察员', contactPhone: str(v.contactPhone) ?? '见本机关公示电话' };
}

function dateOf(v: unknown, fallback: number): string {
  return chinaDate(parseInstant(v) ?? fallback);
}

/** The registry type and the data of one contract document type, or null when it has no template yet. */
export function documentData(type: string, f: CaseFacts, v: Vars, now: number): { typeId: string; data: Record<string, unknown> } | null {
  const typeId = REGISTRY_TYPE[type];
  if (!typeId) return null;
  const c = f.c;
  const party = employerParty(f);
  const facts = cut(str(v.findings) ?? str(v.penaltyFacts) ?? str(v.handlingFacts) ?? c.summary, 5000);
  const evidence = cut(str(v.evidence) ?? '询问笔录、投诉材料及调查收集的书证', 3000);
  switch (typeId) {
    case 'complaint-register': {
      const p = firstComplainant(f);
      const complainant: Record<string, string> = { name: p?.name ?? '匿名举报人' };
      if (p?.idType) complainant.idType = p.idType;
      if (p?.idNumber) complainant.idNumber = p.idNumber;
      if (p?.phone) complainant.phone = p.phone;
      if (p?.address) complainant.address = p.address;
      return {
        typeId, data: {
          caseNumber: c.caseNumber, kind: KIND_LABELS[c.kind], channel: CHANNEL_LABELS[c.channel as keyof typeof CHANNEL_LABELS] ?? c.channel,
          receivedAt: localDateTime(c.receivedAt), complainant, employer: party, workersCount: c.workersCount,
          claims: f.claims.slice(0, 50).map((cl) => ({ item: cut(`${CLAIM_CATEGORIES[cl.category]?.label ?? cl.category}：${cl.description}`, 300), ...(cl.amount !== null ? { amount: cl.amount } : {}) })),
          facts: cut(c.summary, 5000), registrar: c.createdBy,
        },
      };
    }
    case 'non-acceptance-notice': {
      const assessment = (v.assessment ?? {}) as { reasons?: string[] };
      return {
        typeId, data: {
          recipient: recipientName(f), receivedDate: chinaDate(c.receivedAt), subject: cut(`投诉${party.name}${claimsText(f)}`, 2000),
          reasons: cut(str(v.nonAcceptanceReason) ?? (assessment.reasons ?? []).join('；') ?? '不符合受理条件', 3000) || '不符合受理条件',
          basis: '《劳动保障监察条例》第二十条；关于实施《劳动保障监察条例》若干规定 第十八条',
          ...(str(v.competentBody) ? { competentBody: str(v.competentBody) } : {}), remedies: remedies(f, v),
        },
      };
    }
    case 'case-approval':
      return {
        typeId, data: {
          caseNumber: c.caseNumber, source: `${KIND_LABELS[c.kind]}（${CHANNEL_LABELS[c.channel as keyof typeof CHANNEL_LABELS] ?? c.channel}）`, party,
          ...(party.creditCode ? { partyIdType: '统一社会信用代码', partyIdNumber: party.creditCode } : {}),
          summary: cut(c.summary, 5000), provisionsBreached: provisions(f),
          handlerOpinion: cut(str(v.handlerOpinion) ?? '符合立案条件，建议立案调查。', 2000),
          inspectors: [str(v.leadInspector), str(v.secondInspector)].filter(Boolean).join('、') || '待指派', handlerDate: chinaDate(now),
        },
      };
    case 'inquiry-notice': {
      const appear = parseInstant(v.inquiryAt) ?? now + 3 * 86_400_000;
      return {
        typeId, data: {
          party, matter: cut(`涉嫌${claimsText(f)}`, 2000), appearAt: localDateTime(appear), place: str(v.inquiryPlace) ?? f.officeName,
          materials: ['营业执照副本复印件', '法定代表人身份证明', '劳动者名册及劳动合同', '工资支付记录及考勤记录'],
          ...contact(v), basis: '《劳动保障监察条例》第十五条',
        },
      };
    }
    case 'order-to-correct': {
      const o = owed(f, v);
      const days = num(v.correctionDays) ?? 7;
      return {
        typeId, data: {
          party, facts, provisionsBreached: cut(str(v.violations) ?? provisions(f), 2000), basis: '《劳动保障监察条例》第十八条、第二十六条',
          workers: o.workers.slice(0, 500), workersCount: o.count, totalAmount: o.total,
          correction: cut(str(v.correctionRequirements) ?? `足额支付所拖欠的劳动者工资共计${yuanText(o.total)}元`, 2000),
          deadline: chinaDate(now + days * 86_400_000),
          consequence: '逾期不改正的，将依法作出行政处理或处罚决定；拒不支付劳动报酬数额较大的，依法移送公安机关。', remedies: remedies(f, v),
        },
      };
    }
    case 'penalty-prior-notice': {
      const fine = num(v.proposedFineAmount);
      const assessment = (v.penaltyAssessment ?? {}) as { hearingEligible?: boolean };
      return {
        typeId, data: {
          party, facts, evidence, reasons: cut(str(v.penaltyReasons) ?? '经责令改正逾期未改正', 3000), basis: cut(str(v.penaltyBasis) ?? '《劳动保障监察条例》第二十六条、第三十条', 1000),
          proposedPenalty: fine !== undefined ? `罚款人民币${yuanText(fine)}元` : cut(str(v.penaltyTypes) ?? '警告', 1000),
          statementDays: 5, hearingRight: assessment.hearingEligible === true, hearingDays: 5, ...contact(v), address: f.officeName,
        },
      };
    }
    case 'hearing-notice':
      return {
        typeId, data: {
          party, matter: cut(`拟对你单位${num(v.proposedFineAmount) !== undefined ? `罚款${yuanText(num(v.proposedFineAmount)!)}元` : '作出行政处罚'}`, 2000),
          requestedDate: dateOf(v.hearingRequestedAt, now), hearingAt: localDateTime(parseInstant(v.hearingAt) ?? now), place: str(v.hearingLocation) ?? f.officeName,
          presider: str(v.hearingHost) ?? '法制机构负责人', ...(str(v.hearingClerk) ? { clerk: str(v.hearingClerk) } : {}),
          publicHearing: v.hearingPublic !== false, ...contact(v),
        },
      };
    case 'penalty-decision': {
      const fine = num(v.approvedFineAmount) ?? num(v.proposedFineAmount);
      return {
        typeId, data: {
          party, facts, evidence, ...(str(v.statementSummary) ? { statementSummary: cut(str(v.statementSummary)!, 3000) } : {}),
          penalty: fine !== undefined ? `罚款人民币${yuanText(fine)}元` : cut(str(v.penaltyTypes) ?? '警告', 1000),
          basis: cut(str(v.penaltyBasis) ?? '《劳动保障监察条例》第二十六条、第三十条；《中华人民共和国行政处罚法》第五十九条', 1000),
          ...(fine !== undefined ? { fineAmount: fine } : {}), paymentDays: 15, paymentMethod: '持本决定书到指定银行缴纳罚款', remedies: remedies(f, v),
        },
      };
    }
    case 'handling-decision': {
      const o = owed(f, v);
      return {
        typeId, data: {
          party, facts, evidence, decisions: [cut(str(v.handlingContent) ?? `支付劳动者工资共计${yuanText(o.total)}元`, 1000)],
          basis: cut(str(v.handlingBasis) ?? '《劳动保障监察条例》第二十六条', 1000), deadline: chinaDate(now + 15 * 86_400_000),
          consequence: '逾期不履行的，本机关将依法申请人民法院强制执行。', remedies: remedies(f, v),
        },
      };
    }
    case 'criminal-referral': {
      const o = owed(f, v);
      const order = ((v.documents ?? {}) as Record<string, { number?: string; servedAt?: string }>)['order-to-correct'];
      return {
        typeId, data: {
          police: str(v.policeAgency) ?? '同级公安机关', party, suspectedCrime: '拒不支付劳动报酬罪（《刑法》第二百七十六条之一）',
          facts: cut(str(v.referralReport) ?? facts, 5000), amount: o.total, workersCount: o.count,
          orderDescription: cut(order?.number ? `本机关以${order.number}限期改正指令书责令支付${order.servedAt ? `（${order.servedAt.slice(0, 10)}送达）` : ''}，逾期仍未支付。` : '已责令支付，逾期仍未支付。', 1000),
          attachments: ['涉嫌犯罪案件调查报告', '涉案物品清单', '询问笔录', '限期改正指令书及送达回证'],
          basis: '《行政执法机关移送涉嫌犯罪案件的规定》第三条、第六条', ...contact(v),
        },
      };
    }
    case 'preservation-application': {
      const o = owed(f, v);
      const leads = (str(v.assetLeads) ?? '').split(/[\n；;]+/).map((s) => s.trim()).filter(Boolean).slice(0, 50);
      return {
        typeId, data: {
          court: str(v.preservationCourt) ?? '有管辖权的人民法院',
          applicant: { name: str(v.applicantName) ?? f.officeName, ...(str(v.applicantAddress) ? { address: str(v.applicantAddress) } : {}), ...(str(v.applicantPhone) ? { phone: str(v.applicantPhone) } : {}) },
          respondent: party, serviceAddress: str(v.applicantAddress) ?? f.officeName,
          request: cut(str(v.preservationRequest) ?? `请求冻结被申请人银行存款人民币${yuanText(num(v.preservationAmount) ?? o.total)}元或查封其等值财产。`, 2000),
          factsAndReasons: cut(str(v.preservationFacts) ?? `${facts}${str(v.abscondNote) ? `；${str(v.abscondNote)}` : ''}`, 5000),
          amount: num(v.preservationAmount) ?? o.total, assets: leads.length ? leads.map((l) => cut(l, 600)) : ['被申请人名下银行存款及其他财产'],
          security: cut(str(v.securityNote) ?? '申请追索劳动报酬，依法不提供担保（《劳动争议调解仲裁法》第四十四条）。', 2000),
        },
      };
    }
    case 'arbitration-notice':
      return {
        typeId, data: {
          recipient: recipientName(f), receivedDate: chinaDate(c.receivedAt), matter: cut(claimsText(f), 2000),
          reasons: cut(str(v.arbitrationFindings) ?? '该事项属于劳动争议，应通过劳动人事争议调解仲裁解决。', 3000),
          commission: str(v.arbitrationCommission) ?? '劳动人事争议仲裁委员会', commissionAddress: str(v.arbitrationCommissionAddress) ?? '见仲裁委员会公告',
          basis: '《劳动保障监察条例》第二十一条；《劳动争议调解仲裁法》第二十七条',
        },
      };
    case 'closure-approval':
      return {
        typeId, data: {
          caseNumber: c.caseNumber, party, registeredDate: chinaDate(c.filedAt ?? c.receivedAt), summary: cut(c.summary, 5000),
          outcome: cut(str(v.closureSummary) ?? str(v.investigationOutcome) ?? '调查终结', 3000),
          enforcement: cut(num(v.amountRecovered) !== undefined ? `为${num(v.workersBenefited) ?? c.workersCount}名劳动者追回${yuanText(num(v.amountRecovered)!)}元` : '见案卷', 3000),
          handlerOpinion: '调查终结，建议结案。', handler: [str(v.leadInspector), str(v.secondInspector)].filter(Boolean).join('、') || '承办监察员', handlerDate: chinaDate(now),
        },
      };
    default:
      return null;
  }
}
