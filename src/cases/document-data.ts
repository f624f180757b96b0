/**
 * The data of each official document, built from the case on file and the variables its lifecycle
 * collected (the forms' fields). Contract document types (workflows/README.md) map to the document
 * registry's types (src/documents/document-types.ts). Every contract type has a template; a type
 * outside this table is refused by `document.issue`.
 */
import type { EntityManager } from 'typeorm';
import { chinaDate, formatChinaTime } from '../deadlines/china-time';
import { CHANNEL_LABELS, CLAIM_CATEGORIES, KIND_LABELS } from './model';
import { listCaseDeadlines, parseInstant } from './case-deadlines';
import { deadlineAt } from './deadline-paths';
import { boundLegalRules, rulesForOffice, type LegalRules } from '../config/legal-rules';
import { CaseRecord, caseClaims, caseParties, caseWorkers, ClaimRecord, PartyRecord, WorkerRecord } from './store';

/** Contract type → registry type. */
export const REGISTRY_TYPE: Record<string, string> = {
  'complaint-register': 'complaint-register',
  'non-acceptance-notice': 'non-acceptance-notice',
  'completion-request': 'completion-request',
  'filing-approval': 'case-approval',
  'inquiry-notice': 'inquiry-notice',
  'order-to-correct': 'order-to-correct',
  'handling-decision': 'handling-decision',
  'case-transfer-letter': 'case-transfer-letter',
  'closure-approval': 'closure-approval',
  'prior-notice-penalty': 'penalty-prior-notice',
  'hearing-notice': 'hearing-notice',
  'penalty-decision': 'penalty-decision',
  'enforcement-application': 'enforcement-application',
  'arbitration-notice': 'arbitration-notice',
  'arbitration-transfer-letter': 'arbitration-transfer-letter',
  'police-transfer-approval': 'police-transfer-approval',
  'police-transfer': 'criminal-referral',
  'police-reconsideration-request': 'police-reconsideration-request',
  'procuratorate-supervision-request': 'procuratorate-supervision-request',
  'asset-preservation-application': 'preservation-application',
  'service-receipt': 'service-receipt',
};

export const CONTRACT_DOCUMENT_TITLES: Record<string, string> = {
  'complaint-register': '举报投诉登记表', 'non-acceptance-notice': '不予受理通知书', 'completion-request': '补正通知书',
  'filing-approval': '立案审批表', 'inquiry-notice': '询问通知书', 'order-to-correct': '限期改正指令书', 'handling-decision': '行政处理决定书',
  'case-transfer-letter': '案件移送函', 'closure-approval': '结案审批表', 'prior-notice-penalty': '行政处罚事先告知书', 'hearing-notice': '听证通知书',
  'penalty-decision': '行政处罚决定书', 'enforcement-application': '强制执行申请书', 'arbitration-notice': '仲裁告知书',
  'arbitration-transfer-letter': '仲裁案件移送函', 'police-transfer-approval': '涉嫌犯罪案件移送审批表', 'police-transfer': '涉嫌犯罪案件移送书',
  'police-reconsideration-request': '提请复议书', 'procuratorate-supervision-request': '立案监督建议书',
  'asset-preservation-application': '诉前财产保全申请书', 'service-receipt': '送达回证',
};

export interface CaseFacts {
  c: CaseRecord;
  officeName: string;
  parties: PartyRecord[];
  workers: WorkerRecord[];
  claims: ClaimRecord[];
  /** The office's outside bodies by role (office_contacts: police-liaison, court, arbitration-commission). */
  contacts?: Record<string, { name: string }>;
  /** Username → display name of the office's users, so documents name people, not accounts. */
  users?: Record<string, string>;
  /** The case's open or settled deadlines by rule (case_deadlines), the dates the case page shows. */
  deadlines?: Record<string, { dueDate: string }>;
  /** The legal rules that apply to the office: the periods documents state. */
  rules?: LegalRules;
}

export async function loadCaseFacts(em: EntityManager, c: CaseRecord): Promise<CaseFacts> {
  const office: { name: string; code: string }[] = await em.query('SELECT name, code FROM offices WHERE id = ?', [c.officeId]);
  const contactRows: { role: string; name: string }[] = await em.query('SELECT role, name FROM office_contacts WHERE office_id = ?', [c.officeId]);
  const userRows: { username: string; display_name: string }[] = await em.query('SELECT username, display_name FROM users WHERE office_id = ?', [c.officeId]);
  const deadlines: Record<string, { dueDate: string }> = {};
  for (const d of await listCaseDeadlines(em, c.id, c.updatedAt)) if (d.state !== 'cancelled') deadlines[d.rule] = { dueDate: d.dueDate };
  return {
    c, officeName: office[0]?.name ?? '', parties: await caseParties(em, c.id), workers: await caseWorkers(em, c.id), claims: await caseClaims(em, c.id),
    contacts: Object.fromEntries(contactRows.map((r) => [r.role, { name: r.name }])),
    users: Object.fromEntries(userRows.map((r) => [r.username, r.display_name])),
    deadlines, rules: rulesForOffice(boundLegalRules(em.connection), office[0]?.code),
  };
}

/**
 * What a document prints where the case holds nothing: a line to fill in by hand, never a made-up
 * phrase such as “见仲裁委员会公告” or a generic body standing in for the one addressed.
 */
export const BLANK = '＿＿＿＿＿＿＿＿';

/** Role words some offices put before a user's name (监察员 李强): documents print the name alone. */
const ROLE_PREFIX = /^(?:监察员|窗口|法制|大队长|副大队长|中队长|队长|科长|副科长|管理员|受理员|负责人)\s+/;

/** A person as the document names them: a user by display name without role prefix, anything else as entered. */
export function personName(f: Pick<CaseFacts, 'users'>, who: unknown): string | undefined {
  const s = str(who);
  if (!s) return undefined;
  const display = f.users && Object.hasOwn(f.users, s) ? f.users[s]! : s;
  return display.replace(ROLE_PREFIX, '').trim() || display;
}

/** The case's inspectors by name (lead, second, others), as the 送达回证 and the approval forms list them. */
export function inspectorNames(f: Pick<CaseFacts, 'users'>, v: Record<string, unknown>): string | undefined {
  const names = [v.leadInspector, v.secondInspector, ...listOf(v.otherInspectors)].map((x) => personName(f, x)).filter((x): x is string => !!x);
  return names.length ? [...new Set(names)].join('、') : undefined;
}

/** An outside body: what the form entered, else the office's contact for the role, else a blank line. */
function body(f: CaseFacts, entered: unknown, role: string): string {
  return str(entered) ?? str(f.contacts?.[role]?.name) ?? BLANK;
}

function legalRules(f: CaseFacts): LegalRules {
  return f.rules ?? boundLegalRules(undefined).rules;
}

/** Text the template follows with its own 。 or ；: its closing punctuation dropped so none is doubled. */
function clause(s: string): string {
  return s.replace(/[。；;，,、\s]+$/u, '');
}

/** Text the template follows with more text (…{{reasons}}依据…): ends as a sentence. */
function sentence(s: string): string {
  const t = s.trim();
  return /[。！？]$/u.test(t) ? t : `${clause(t)}。`;
}

/** Findings the template introduces with 经查，: the form's own 经查 dropped. */
function findings(s: string): string {
  return s.replace(/^\s*经查[，,：:]?\s*/u, '');
}

/** Collapses punctuation typed twice (。。 ，，) in every text of the document's data. */
export function tidyPunctuation<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/([。，；、：！？])\1+/gu, '$1') as T;
  if (Array.isArray(value)) return value.map((x) => tidyPunctuation(x)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, tidyPunctuation(x)])) as T;
  return value;
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

function contact(f: CaseFacts, v: Vars) {
  return { contactPerson: personName(f, v.leadInspector) ?? personName(f, v.contactPerson) ?? BLANK, contactPhone: str(v.contactPhone) ?? BLANK };
}

function dateOf(v: unknown, fallback: number): string {
  return chinaDate(parseInstant(v) ?? fallback);
}

/** A list collected as text (one item a line or separated by ；) or as a form's checklist values. */
function listOf(v: unknown, labels: Record<string, string> = {}): string[] {
  const items = Array.isArray(v) ? v.map((x) => str(x)).filter((x): x is string => !!x) : (str(v) ?? '').split(/[\n；;]+/);
  return items.map((x) => x.trim()).filter(Boolean).map((x) => labels[x] ?? x);
}

type IssuedEntry = { number?: string | null; issuedAt?: string; servedAt?: string };
function issuedEntry(v: Vars, contractType: string): IssuedEntry | undefined {
  return ((v.documents ?? {}) as Record<string, IssuedEntry>)[contractType];
}

const SUSPECTED_CRIME = '拒不支付劳动报酬罪（《刑法》第二百七十六条之一）';

/** How the employer was ordered to pay and did not: the precondition of a referral (法释〔2013〕3号 第四条). */
function orderDescription(v: Vars): string {
  const order = issuedEntry(v, 'order-to-correct');
  return cut(order?.number ? `本机关以${order.number}限期改正指令书责令支付${order.servedAt ? `（${order.servedAt.slice(0, 10)}送达）` : ''}，逾期仍未支付。` : '已责令支付，逾期仍未支付。', 1000);
}

/** The 移送书 the police received: its number and the day it was handed over. */
function policeTransfer(v: Vars, now: number): { transferDate: string; transferNumber: string } {
  const letter = issuedEntry(v, 'police-transfer');
  return { transferDate: dateOf(v.transferredAt ?? letter?.issuedAt, now), transferNumber: letter?.number ?? '涉嫌犯罪案件移送书' };
}

const ARBITRATION_MATERIALS: Record<string, string> = { findings: '调查认定事实材料', 'interview-records': '调查询问笔录', evidence: '证据材料复印件' };

/** The registry type and the data of one contract document type, or null for a type outside the contract (and the 送达回证, built from its service record). */
export function documentData(type: string, f: CaseFacts, v: Vars, now: number): { typeId: string; data: Record<string, unknown> } | null {
  const built = caseDocumentData(type, f, v, now);
  return built && { typeId: built.typeId, data: tidyPunctuation(built.data) };
}

function caseDocumentData(type: string, f: CaseFacts, v: Vars, now: number): { typeId: string; data: Record<string, unknown> } | null {
  const typeId = Object.hasOwn(REGISTRY_TYPE, type) ? REGISTRY_TYPE[type] : undefined;
  if (!typeId) return null;
  const c = f.c;
  const party = employerParty(f);
  const facts = cut(findings(str(v.findings) ?? str(v.penaltyFacts) ?? str(v.handlingFacts) ?? c.summary), 5000);
  // Templates close the evidence with their own 。
  const evidence = cut(clause(str(v.evidence) ?? '询问笔录、投诉材料及调查收集的书证'), 3000);
  const rules = legalRules(f);
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
          facts: cut(c.summary, 5000), registrar: personName(f, c.createdBy) ?? c.createdBy,
        },
      };
    }
    case 'non-acceptance-notice': {
      const assessment = (v.assessment ?? {}) as { reasons?: string[] };
      return {
        typeId, data: {
          recipient: recipientName(f), receivedDate: chinaDate(c.receivedAt), subject: cut(`投诉${party.name}${claimsText(f)}`, 2000),
          reasons: sentence(cut(str(v.nonAcceptanceReason) ?? (assessment.reasons ?? []).join('；'), 2999) || '不符合受理条件'),
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
          inspectors: inspectorNames(f, v) ?? '待指派', handlerDate: chinaDate(now),
        },
      };
    case 'inquiry-notice': {
      const appear = parseInstant(v.inquiryAt) ?? now + 3 * 86_400_000;
      return {
        typeId, data: {
          party, matter: cut(`涉嫌${claimsText(f)}`, 2000), appearAt: localDateTime(appear), place: str(v.inquiryPlace) ?? f.officeName,
          materials: ['营业执照副本复印件', '法定代表人身份证明', '劳动者名册及劳动合同', '工资支付记录及考勤记录'],
          ...contact(f, v), basis: '《劳动保障监察条例》第十五条',
        },
      };
    }
    case 'order-to-correct': {
      const o = owed(f, v);
      // One deadline, the system's: the period of the form's correctionDays from service, the same
      // the `correction.period` deadline runs (case-deadlines.ts); the date is unknown until the order is served.
      const days = num(v.correctionDays);
      return {
        typeId, data: {
          party, facts, provisionsBreached: cut(str(v.violations) ?? provisions(f), 2000), basis: '《劳动保障监察条例》第十八条、第二十六条',
          workers: o.workers.slice(0, 500), workersCount: o.count, totalAmount: o.total,
          correction: cut(clause(str(v.correctionRequirements) ?? `足额支付所拖欠的劳动者工资共计${yuanText(o.total)}元`), 2000),
          ...(days !== undefined && Number.isInteger(days) && days > 0 ? { correctionDays: days } : {}),
          ...(f.deadlines?.['correction.period'] ? { deadline: f.deadlines['correction.period'].dueDate } : {}),
          consequence: '逾期不改正的，将依法作出行政处理或处罚决定；拒不支付劳动报酬数额较大的，依法移送公安机关。', remedies: remedies(f, v),
        },
      };
    }
    case 'penalty-prior-notice': {
      const fine = num(v.proposedFineAmount);
      const assessment = (v.penaltyAssessment ?? {}) as { hearingEligible?: boolean };
      return {
        typeId, data: {
          party, facts, evidence, reasons: sentence(cut(str(v.penaltyReasons) ?? '经责令改正逾期未改正', 2999)), basis: cut(str(v.penaltyBasis) ?? '《劳动保障监察条例》第二十六条、第三十条', 1000),
          proposedPenalty: fine !== undefined ? `罚款人民币${yuanText(fine)}元` : cut(clause(str(v.penaltyTypes) ?? '警告'), 1000),
          // The statement and hearing periods the punishment.hearingRequest deadline runs (行政处罚法 第64条).
          statementDays: rules['punishment.hearingRequest'].value, hearingRight: assessment.hearingEligible === true, hearingDays: rules['punishment.hearingRequest'].value,
          ...contact(f, v), address: f.officeName,
        },
      };
    }
    case 'hearing-notice':
      return {
        typeId, data: {
          party, matter: cut(`拟对你单位${num(v.proposedFineAmount) !== undefined ? `罚款${yuanText(num(v.proposedFineAmount)!)}元` : '作出行政处罚'}`, 2000),
          requestedDate: dateOf(v.hearingRequestedAt, now), hearingAt: localDateTime(parseInstant(v.hearingAt) ?? now), place: str(v.hearingLocation) ?? f.officeName,
          presider: personName(f, v.hearingHost) ?? BLANK, ...(personName(f, v.hearingClerk) ? { clerk: personName(f, v.hearingClerk) } : {}),
          publicHearing: v.hearingPublic !== false, ...contact(f, v),
        },
      };
    case 'penalty-decision': {
      const fine = num(v.approvedFineAmount) ?? num(v.proposedFineAmount);
      return {
        typeId, data: {
          party, facts, evidence, ...(str(v.statementSummary) ? { statementSummary: cut(str(v.statementSummary)!, 3000) } : {}),
          penalty: fine !== undefined ? `罚款人民币${yuanText(fine)}元` : cut(clause(str(v.penaltyTypes) ?? '警告'), 1000),
          basis: cut(str(v.penaltyBasis) ?? '《劳动保障监察条例》第二十六条、第三十条；《中华人民共和国行政处罚法》第五十九条', 1000),
          ...(fine !== undefined ? { fineAmount: fine } : {}), paymentDays: rules['punishment.finePayment'].value, paymentMethod: '持本决定书到指定银行缴纳罚款', remedies: remedies(f, v),
        },
      };
    }
    case 'handling-decision': {
      const o = owed(f, v);
      return {
        typeId, data: {
          party, facts, evidence, decisions: [cut(clause(str(v.handlingContent) ?? `支付劳动者工资共计${yuanText(o.total)}元`), 1000)],
          basis: cut(str(v.handlingBasis) ?? '《劳动保障监察条例》第二十六条', 1000), deadline: chinaDate(now + 15 * 86_400_000),
          consequence: '逾期不履行的，本机关将依法申请人民法院强制执行。', remedies: remedies(f, v),
        },
      };
    }
    case 'criminal-referral': {
      const o = owed(f, v);
      return {
        typeId, data: {
          police: cut(body(f, v.policeAgency, 'police-liaison'), 300), party: { ...party, address: party.address ?? BLANK, legalRepresentative: party.legalRepresentative ?? BLANK },
          suspectedCrime: SUSPECTED_CRIME, facts: cut(sentence(str(v.referralReport) ?? facts), 5000), amount: o.total, workersCount: o.count, orderDescription: orderDescription(v),
          attachments: ['涉嫌犯罪案件调查报告', '涉案物品清单', '询问笔录', '限期改正指令书及送达回证'],
          basis: '《行政执法机关移送涉嫌犯罪案件的规定》第三条、第六条', ...contact(f, v),
        },
      };
    }
    case 'preservation-application': {
      const o = owed(f, v);
      const leads = (str(v.assetLeads) ?? '').split(/[\n；;]+/).map((s) => s.trim()).filter(Boolean).slice(0, 50);
      return {
        typeId, data: {
          court: cut(body(f, v.preservationCourt, 'court'), 300),
          // The office's head is not on file: a line for it, as for any other detail the case lacks.
          applicant: { name: str(v.applicantName) ?? (f.officeName || BLANK), address: str(v.applicantAddress) ?? BLANK, legalRepresentative: personName(f, v.applicantHead) ?? BLANK, phone: str(v.applicantPhone) ?? BLANK },
          // 送达地址 is the respondent's: where the court serves the employer.
          respondent: { ...party, address: party.address ?? BLANK, legalRepresentative: party.legalRepresentative ?? BLANK }, serviceAddress: party.address ?? BLANK,
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
          reasons: sentence(cut(str(v.arbitrationFindings) ?? '该事项属于劳动争议，应通过劳动人事争议调解仲裁解决。', 2999)),
          // The directory keeps the commission's name only; its address is written in by hand unless entered.
          commission: cut(body(f, v.arbitrationCommission, 'arbitration-commission'), 300), commissionAddress: str(v.arbitrationCommissionAddress) ?? BLANK,
          basis: '《劳动保障监察条例》第二十一条；《劳动争议调解仲裁法》第二十七条',
        },
      };
    case 'closure-approval':
      return {
        typeId, data: {
          caseNumber: c.caseNumber, party, registeredDate: chinaDate(c.filedAt ?? c.receivedAt), summary: cut(c.summary, 5000),
          outcome: cut(str(v.closureSummary) ?? str(v.investigationOutcome) ?? '调查终结', 3000),
          enforcement: cut(num(v.amountRecovered) !== undefined ? `为${num(v.workersBenefited) ?? c.workersCount}名劳动者追回${yuanText(num(v.amountRecovered)!)}元` : '见案卷', 3000),
          handlerOpinion: '调查终结，建议结案。', handler: inspectorNames(f, v) ?? BLANK, handlerDate: chinaDate(now),
        },
      };
    case 'completion-request': {
      const items = listOf(v.completionItems).slice(0, 30).map((i) => cut(i, 600));
      // The completion deadline the system computed (deadline.compute runs before the notice is issued).
      const due = deadlineAt<{ dueAt?: string }>(v.deadlines, 'intake.completion')?.dueAt ?? f.deadlines?.['intake.completion']?.dueDate;
      return {
        typeId, data: {
          recipient: recipientName(f), receivedDate: chinaDate(c.receivedAt), kind: KIND_LABELS[c.kind], subject: cut(`${party.name}${claimsText(f)}`, 2000),
          items: items.length ? items : ['用人单位的准确名称、注册地址或统一社会信用代码'], deadline: dateOf(due, now + rules['intake.completion'].value * 86_400_000),
          basis: '《劳动保障监察条例》第二十条；关于实施《劳动保障监察条例》若干规定 第十八条',
          consequence: '逾期未补正且无正当理由的，视为未提出投诉，本机关不予受理；补正后受理期限自收到补正材料之日起重新计算。',
          contactPerson: personName(f, v.contactPerson) ?? personName(f, c.createdBy) ?? BLANK, contactPhone: str(v.contactPhone) ?? BLANK,
        },
      };
    }
    case 'case-transfer-letter':
      return {
        typeId, data: {
          receivingBody: cut(str(v.transferTarget) ?? BLANK, 300), caseNumber: c.caseNumber, party, facts,
          reasons: sentence(cut(str(v.transferReason) ?? '该事项不属于本机关的职权范围或管辖范围。', 2999)),
          basis: '《劳动保障监察条例》第二十一条；关于实施《劳动保障监察条例》若干规定 第十八条',
          attachments: ['投诉举报材料', '调查询问笔录及有关证据材料'], ...contact(f, v),
        },
      };
    case 'enforcement-application': {
      const decision = issuedEntry(v, 'penalty-decision');
      const fine = num(v.approvedFineAmount) ?? num(v.proposedFineAmount);
      const lateFee = num((v.lateFee as Vars | undefined)?.amount);
      const total = (fine ?? 0) + (lateFee ?? 0);
      return {
        typeId, data: {
          court: cut(body(f, v.enforcementCourt, 'court'), 300), applicant: { name: f.officeName || '本机关' }, respondent: party,
          decisionTitle: '行政处罚决定书', decisionNumber: decision?.number ?? '行政处罚决定书', decisionDate: dateOf(decision?.issuedAt, now),
          ...(decision?.servedAt ? { servedDate: dateOf(decision.servedAt, now) } : {}),
          decisionContent: fine !== undefined ? `罚款人民币${yuanText(fine)}元` : cut(clause(str(v.penaltyTypes) ?? '警告'), 1000),
          ...(fine !== undefined ? { fineAmount: fine } : {}), ...(lateFee !== undefined && lateFee > 0 ? { lateFee } : {}),
          request: total > 0 ? `请求强制执行申请人作出的行政处罚决定，执行罚款及加处罚款共计人民币${yuanText(total)}元。` : '请求强制执行申请人作出的行政处罚决定。',
          factsAndReasons: cut(`${sentence(facts)}被申请人逾期不缴纳罚款，经书面催告仍未履行。`, 5000),
          basis: '《中华人民共和国行政强制法》第五十三条、第五十四条；《中华人民共和国行政处罚法》第七十二条',
          attachments: ['行政处罚决定书及送达回证', '催告书及送达回证', '案件主要证据材料'],
        },
      };
    }
    case 'arbitration-transfer-letter': {
      const materials = listOf(v.arbitrationMaterials, ARBITRATION_MATERIALS).slice(0, 49).map((m) => cut(m, 300));
      return {
        typeId, data: {
          commission: cut(body(f, v.arbitrationCommission, 'arbitration-commission'), 300), caseNumber: c.caseNumber, complainant: recipientName(f), party,
          matter: cut(claimsText(f), 2000), findings: cut(str(v.arbitrationFindings) ?? facts, 5000), basis: '《劳动保障监察条例》第二十一条',
          materials: ['仲裁告知书', ...(materials.length ? materials : ['调查认定事实材料', '调查询问笔录'])], ...contact(f, v),
        },
      };
    }
    case 'police-transfer-approval': {
      const o = owed(f, v);
      return {
        typeId, data: {
          caseNumber: c.caseNumber, party, suspectedCrime: SUSPECTED_CRIME, facts: cut(str(v.referralReport) ?? facts, 5000),
          amount: o.total, workersCount: o.count, orderDescription: orderDescription(v),
          basis: '《行政执法机关移送涉嫌犯罪案件的规定》第三条、第五条；法释〔2013〕3号 第三条',
          teamOpinion: '经调查，当事人涉嫌拒不支付劳动报酬，数额较大，达到刑事追诉标准，建议移送公安机关。',
          team: cut([v.teamLead, v.teamMember, ...listOf(v.teamOthers)].map((x) => personName(f, x)).filter(Boolean).join('、') || inspectorNames(f, v) || BLANK, 300),
          teamDate: chinaDate(now),
        },
      };
    }
    case 'police-reconsideration-request':
      return {
        typeId, data: {
          police: cut(body(f, v.policeAgency, 'police-liaison'), 300), party, suspectedCrime: SUSPECTED_CRIME, ...policeTransfer(v, now),
          ...(str(v.policeDecisionNumber) ? { decisionNumber: cut(str(v.policeDecisionNumber)!, 100) } : {}),
          ...(parseInstant(v.policeDecisionAt) !== null ? { decisionDate: dateOf(v.policeDecisionAt, now) } : {}),
          reasons: cut(str(v.reconsiderationReason) ?? '当事人经责令支付逾期仍不支付劳动报酬，数额较大，已达到刑事追诉标准，应当立案。', 3000),
          basis: '《行政执法机关移送涉嫌犯罪案件的规定》第九条', ...contact(f, v),
        },
      };
    case 'procuratorate-supervision-request': {
      const police = cut(body(f, v.policeAgency, 'police-liaison'), 300);
      const refusal = `${police}作出${str(v.policeDecisionNumber) ? `${str(v.policeDecisionNumber)}` : ''}不予立案的决定`;
      const answer = v.reconsiderationResult === 'upheld' ? '本机关提请复议后，该机关维持不予立案的决定。'
        : issuedEntry(v, 'police-reconsideration-request') ? '本机关提请复议后，该机关未在规定期限内作出复议决定。' : '';
      return {
        typeId, data: {
          procuratorate: cut(str(v.procuratorate) ?? BLANK, 300), police, party, suspectedCrime: SUSPECTED_CRIME, ...policeTransfer(v, now),
          history: cut(`${refusal}。${answer}`, 3000),
          reasons: cut(str(v.procuratorateReason) ?? str(v.reconsiderationReason) ?? '当事人经责令支付逾期仍不支付劳动报酬，数额较大，已达到刑事追诉标准，公安机关应当立案而不立案。', 3000),
          basis: '《行政执法机关移送涉嫌犯罪案件的规定》第九条、第十四条',
          attachments: ['涉嫌犯罪案件移送书', '公安机关不予立案决定书', ...(issuedEntry(v, 'police-reconsideration-request') ? ['提请复议书'] : [])], ...contact(f, v),
        },
      };
    }
    default:
      return null;
  }
}
