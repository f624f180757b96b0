/**
 * What a task's form shows before the user types: the fields the case already knows (the employer,
 * the workers and their amounts, the court or agency on file, the facts found), filled in when the
 * task is served (GET /api/tasks/:id), and the case's dates and coded values in words for the form's
 * text (`display.*`: 2027年2月26日, 窗口, 维持不予立案 — never an ISO timestamp or an enum value).
 *
 * The values come from the same case data and document builders the official documents use
 * (src/cases/document-data.ts), so a prefilled form and the document issued from it agree. A field
 * the process already holds a value for keeps it; a prefilled value is only a proposal the user may
 * change, and what the user submits is what the process receives.
 */
import type { EntityManager } from 'typeorm';
import type { CaseRef } from '../auth/policy';
import { CHANNEL_LABELS } from '../cases/model';
import { parseInstant } from '../cases/case-deadlines';
import { listDeadlines, withDeadline } from '../cases/deadline-paths';
import { BLANK, CaseFacts, documentData, loadCaseFacts, personName } from '../cases/document-data';
import { findCase } from '../cases/store';
import { chinaDate, formatChinaTime } from '../deadlines/china-time';

type Vars = Record<string, unknown>;

interface Component { key?: string; type?: string; readonly?: unknown; values?: { value?: unknown }[]; components?: Component[] }

/** The keyed fields of a form-js schema, nested groups included. */
export function formFields(schema: { components?: unknown } | null | undefined): Component[] {
  const out: Component[] = [];
  const walk = (cs: Component[] | undefined) => {
    for (const c of cs ?? []) {
      if (c.key) out.push(c);
      walk(c.components);
    }
  };
  walk(schema?.components as Component[] | undefined);
  return out;
}

/** 2027年2月26日, with the time when it is not the end of the day (a deadline runs to 24:00). */
export function chineseDate(v: unknown): string | undefined {
  const ms = parseInstant(v);
  if (ms === null) return undefined;
  const local = formatChinaTime(ms);
  const [y, m, d] = [Number(local.slice(0, 4)), Number(local.slice(5, 7)), Number(local.slice(8, 10))];
  const time = local.slice(11, 16);
  const dateOnly = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v.trim());
  return `${y}年${m}月${d}日${dateOnly || time === '23:59' || time === '00:00' ? '' : ` ${time}`}`;
}

/** Coded values the forms' text mentions, in words (the choices of the forms that set them). */
const VALUE_LABELS: Record<string, Record<string, string>> = {
  investigationOutcome: {
    'order-to-correct': '责令限期改正', penalty: '拟作出行政处罚', 'handling-decision': '作出行政处理决定', withdraw: '撤销立案',
    transfer: '移送有管辖权的机关', arbitration: '告知申请仲裁并移送材料', 'no-violation': '未发现违法行为',
  },
  penaltyOutcome: { paid: '罚款已缴纳', 'paid-late': '逾期后缴纳', enforced: '已申请强制执行', 'no-penalty': '不予处罚' },
  policeOutcome: { accepted: '公安机关已立案', refused: '公安机关不予立案', 'not-referred': '未移送' },
  reconsiderationResult: { accepted: '撤销原决定，予以立案', upheld: '维持不予立案' },
};

const money = (n: number) => n.toLocaleString('zh-CN', { maximumFractionDigits: 2 });

/**
 * The case's dates and coded values in words, for the forms' text. Deadlines nest by their ids as in
 * the process (`{{display.deadlines.correction.period}}`).
 */
export function displayValues(v: Vars, facts: CaseFacts | null): Vars {
  let deadlines: Record<string, unknown> = {};
  for (const [id, d] of listDeadlines<{ dueAt?: unknown }>(v.deadlines)) {
    const text = chineseDate(d.dueAt);
    if (text) deadlines = withDeadline(deadlines, id, text);
  }
  const out: Vars = { deadlines };
  for (const key of ['receivedAt', 'policeDecisionAt', 'hearingRequestedAt', 'transferredAt']) {
    const text = chineseDate(v[key]);
    if (text) out[key] = text;
  }
  for (const [key, labels] of Object.entries(VALUE_LABELS)) {
    if (typeof v[key] === 'string') out[key] = labels[v[key] as string] ?? '—';
  }
  if (typeof v.channel === 'string') out.channel = CHANNEL_LABELS[v.channel as keyof typeof CHANNEL_LABELS] ?? '—';
  if (typeof (v.penaltyAssessment as Vars | undefined)?.legalReviewRequired === 'boolean') {
    out.majorCase = (v.penaltyAssessment as Vars).legalReviewRequired ? '是' : '否';
  }
  if (facts) {
    if (!out.receivedAt) out.receivedAt = chineseDate(facts.c.receivedAt);
    // Names and amounts only: the workers' ID numbers and phones are not needed on a form.
    const owed = facts.workers.filter((w) => (w.amountOwed ?? 0) > 0);
    out.workers = owed.map((w) => `${w.name} ${money(w.amountOwed!)}元`).join('；') || '—';
    out.workersCount = owed.length || facts.c.workersCount;
  }
  return out;
}

/** A document's value is a proposal only when the case really holds it (not a blank line or a stand-in). */
function known(x: unknown): unknown {
  if (x === undefined || x === null) return undefined;
  if (typeof x === 'string') {
    const s = x.trim();
    if (!s || s.includes(BLANK) || /待补正|^本机关$/.test(s)) return undefined;
    // Texts joined from two sources (the facts，the note) must not read “。；”.
    return s.replace(/[。；]+([；，。])/gu, '$1');
  }
  return x;
}

type Source = (ctx: { facts: CaseFacts; v: Vars; doc: (type: string) => Vars; today: string }) => unknown;

/**
 * Field key → where its value comes from. Keys are shared across forms (amountOwed is the same
 * figure on the referral report and the investigation record), so one table serves every form.
 */
const SOURCES: Record<string, Source> = {
  // 涉嫌犯罪案件调查报告: the inspectors of the case as its team, the figures of the referral.
  teamLead: ({ facts, v }) => personName(facts, v.leadInspector),
  teamMember: ({ facts, v }) => personName(facts, v.secondInspector),
  workersOwed: ({ doc }) => doc('police-transfer').workersCount,
  amountOwed: ({ doc }) => doc('police-transfer').amount,
  orderServed: ({ v }) => ((v.documents ?? {}) as Record<string, { servedAt?: string }>)['order-to-correct']?.servedAt ? true : undefined,
  refusalConduct: ({ v }) => (v.employerAbsconded === true || typeof v.abscondedAt === 'string' ? 'absconded' : undefined),
  referralReport: ({ doc }) => {
    const d = doc('police-transfer');
    return typeof d.facts === 'string' ? `${d.facts}${typeof d.orderDescription === 'string' ? d.orderDescription : ''}` : undefined;
  },
  policeAgency: ({ doc }) => doc('police-transfer').police,
  // 诉前财产保全申请: the office as applicant, the employer as respondent, the amount owed.
  preservationCourt: ({ doc }) => doc('asset-preservation-application').court,
  applicantName: ({ doc }) => (doc('asset-preservation-application').applicant as Vars | undefined)?.name,
  respondentName: ({ doc }) => (doc('asset-preservation-application').respondent as Vars | undefined)?.name,
  respondentCreditCode: ({ doc }) => (doc('asset-preservation-application').respondent as Vars | undefined)?.creditCode,
  respondentAddress: ({ doc }) => (doc('asset-preservation-application').respondent as Vars | undefined)?.address,
  preservationRequest: ({ doc }) => doc('asset-preservation-application').request,
  preservationAmount: ({ doc }) => doc('asset-preservation-application').amount,
  preservationFacts: ({ doc }) => doc('asset-preservation-application').factsAndReasons,
  securityProvided: () => 'none',
  securityNote: ({ doc }) => doc('asset-preservation-application').security,
  // 拟定行政处罚意见: the facts found, the party's type from the employer on file.
  penaltyFacts: ({ doc }) => doc('prior-notice-penalty').facts,
  partyType: ({ facts }) => (facts.parties.find((p) => p.role === 'employer') ? 'organisation' : undefined),
  // 移送有管辖权的机关: the body named at triage, today's date.
  transferTarget: ({ v }) => v.competentBody,
  transferDate: ({ today }) => today,
  // 整理移送仲裁材料: the commission on file, the facts found, the usual materials.
  arbitrationCommission: ({ doc }) => doc('arbitration-transfer-letter').commission,
  arbitrationFindings: ({ doc }) => doc('arbitration-transfer-letter').findings,
  arbitrationMaterials: () => ['findings', 'interview-records', 'evidence'],
  enforcementCourt: ({ doc }) => doc('enforcement-application').court,
  // 结案审批: what was recovered for whom.
  amountRecovered: ({ v }) => v.amountPaid ?? v.amountOwed,
  workersBenefited: ({ v }) => v.workersOwed,
  // 立案审批: the opinion written at triage is the handler's (read-only on the approval form).
  handlerOpinion: ({ v }) => v.triageOpinion,
};

const isEmpty = (x: unknown) => x === undefined || x === null || (typeof x === 'string' && x.trim() === '') || (Array.isArray(x) && x.length === 0);

/** Whether a value fits the field it would fill: a number field takes numbers, a choice one of its choices. */
function fits(f: Component, x: unknown): boolean {
  switch (f.type) {
    case 'number': return typeof x === 'number' && Number.isFinite(x);
    case 'checkbox': return typeof x === 'boolean';
    case 'radio':
    case 'select': return !f.values || f.values.some((c) => c.value === x);
    case 'checklist':
    case 'taglist': return Array.isArray(x) && (!f.values || x.every((y) => f.values!.some((c) => c.value === y)));
    case 'textfield':
    case 'textarea':
    case 'datetime': return typeof x === 'string';
    default: return false;
  }
}

/**
 * The values to show in the form of an open task: for each of its fields the process holds no value
 * for, the case's; plus `display`, the case's dates and coded values in words. Nothing here is stored.
 */
export async function prefillForm(em: EntityManager, schema: { components?: unknown } | null | undefined, caseRef: CaseRef | null, v: Vars, now: number): Promise<Vars> {
  const c = caseRef ? await findCase(em, caseRef.id) : null;
  const facts = c ? await loadCaseFacts(em, c) : null;
  const out: Vars = { display: displayValues(v, facts) };
  if (!facts || !schema) return out;
  const docs = new Map<string, Vars>();
  const doc = (type: string): Vars => {
    if (!docs.has(type)) docs.set(type, documentData(type, facts, v, now)?.data ?? {});
    return docs.get(type)!;
  };
  const ctx = { facts, v, doc, today: chinaDate(now) };
  for (const f of formFields(schema)) {
    const source = SOURCES[f.key!];
    if (!source || !isEmpty(v[f.key!])) continue;
    const value = known(source(ctx));
    if (value !== undefined && fits(f, value)) out[f.key!] = value;
  }
  return out;
}
