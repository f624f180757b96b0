/**
 * The deadlines of the lifecycles (workflows/README.md "Deadline rules"): each is named by the legal rule
 * of src/config/legal-rules.ts it applies (or a variant declared there), runs from an event, is computed with the holiday
 * calendar, and is stored in `case_deadlines` with its explanation so the case page can say why a date
 * is what it is. The process gets `deadlines.<id>`, nested by the id's dots, with ISO dates carrying the +08:00 offset.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { CaseDeadline } from '../contracts/api';
import { DEADLINE_VARIANTS, deadlineTitle, type DeadlineVariantId, type LegalRules, type PeriodRuleId } from '../config/legal-rules';
import { CalendarData } from '../deadlines/calendar';
import { chinaDate, chinaLocalInstant, chineseDateText, formatChinaTime } from '../deadlines/china-time';
import { computeDeadline, Deadline, DeadlineExplanation, DeadlineRuleRef, deadlineForRule, latestDayBefore } from '../deadlines/deadline';
import type { PeriodUnit } from '../config/legal-rules';
import { deadlineAt } from './deadline-paths';
import { insertRow } from './store';

/** `deadlines.<rule>` as the diagrams read it. */
export interface ProcessDeadline {
  rule: string;
  dueAt: string;
  dueDate: string;
  warnAt?: string;
  noticeBy?: string;
  extendedTo?: string;
  startAt: string;
  startEvent: string;
  count: number;
  unit: 'workingDays' | 'days' | 'hours' | 'months';
  legalSource: string;
  skipped: { date: string; reason: string }[];
  provisional: boolean;
  explanation: string;
}


export class DeadlineInputMissing extends Error {
  constructor(readonly rule: string, readonly variable: string) {
    super(`deadline ${rule} needs ${variable}`);
    this.name = 'DeadlineInputMissing';
  }
}

export class HearingNoticeTooShort extends Error {
  constructor(readonly noticeBy: string) {
    super(`the hearing leaves no time for notice: it had to be given by ${noticeBy}`);
    this.name = 'HearingNoticeTooShort';
  }
}

/** An instant from a process variable: epoch ms, ISO with offset, a local date-time or date (China time). */
export function parseInstant(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string' || v.trim() === '') return null;
  const t = v.trim();
  const local = chinaLocalInstant(t);
  if (local !== null) return local;
  // A wall-clock text naming no real day or time is no instant (Date.parse would read it as UTC).
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]*)?$/.test(t)) return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/** ISO text with +08:00 to the second, as timers and due dates take it. */
export function isoChina(ms: number): string {
  return formatChinaTime(ms).replace(/\.\d{3}\+/, '+');
}

export interface DeadlineContext {
  cal: CalendarData;
  rules: LegalRules;
  now: number;
  variables: Record<string, unknown>;
  /** The case's filing time when the variable is not set. */
  filedAt: number | null;
}

/** The process variable `deadlines`, nested by the deadlines' dotted ids (src/cases/deadline-paths.ts). */
type Deadlines = Record<string, unknown>;

function toProcess(rule: string, d: Deadline, extra: Partial<ProcessDeadline> = {}): ProcessDeadline {
  const e = d.explanation;
  return {
    rule, dueAt: isoChina(d.dueAt.getTime()), dueDate: d.dueDate, startAt: e.startedAt.replace(/\.\d{3}\+/, '+'), startEvent: e.startEvent,
    count: e.count, unit: e.unit === 'calendarDays' ? 'days' : e.unit === 'years' ? 'months' : e.unit, legalSource: e.legalSource,
    skipped: e.skippedDays, provisional: d.provisional, explanation: e.text, ...extra,
  };
}

function servedAtOf(vars: Record<string, unknown>, documentType: string): number | null {
  const docs = (vars.documents ?? {}) as Record<string, { servedAt?: unknown } | undefined>;
  return parseInstant(docs[documentType]?.servedAt) ?? null;
}

function need(rule: string, variable: string, v: number | null): number {
  if (v === null) throw new DeadlineInputMissing(rule, variable);
  return v;
}

function custom(cal: CalendarData, id: string, p: { count: number; unit: PeriodUnit; title: string; source: string }, event: string, at: number): Deadline {
  const ref: DeadlineRuleRef = { id, title: p.title, source: p.source };
  return computeDeadline(cal, { rule: ref, startEvent: event, startedAt: at, count: p.count, unit: p.unit });
}

/** The stored explanation of a deadline that is not a computed period (a hearing date, an extension mark). */
export interface ComputedDeadline {
  process: ProcessDeadline;
  explanation: unknown;
  dueAtMs: number;
  warnAtMs: number | null;
}

/**
 * A case deadline that is one legal period run from one event, keyed by the id of the legal rule it
 * applies (src/config/legal-rules.ts, the only place its figure is written): the event as the case page
 * names it, and the instant it starts at. That id is the deadline's one name: the diagrams read
 * `deadlines.<id>` (nested by the dots) and name it in header `rule` of deadline.compute, and
 * `case_deadlines.rule` stores it.
 */
interface PeriodDeadline {
  event: string;
  /** The start instant; null when the variable it needs is missing (DeadlineInputMissing names `needs`). */
  at: (v: Record<string, unknown>, ctx: DeadlineContext) => number | null;
  needs?: string;
}

const served = (documentType: string) => (v: Record<string, unknown>) => servedAtOf(v, documentType) ?? parseInstant(v.servedAt);
const variable = (name: string) => (v: Record<string, unknown>) => parseInstant(v[name]);
const variableOrNow = (name: string) => (v: Record<string, unknown>, ctx: DeadlineContext) => parseInstant(v[name]) ?? ctx.now;
const now = (_v: Record<string, unknown>, ctx: DeadlineContext) => ctx.now;

const PERIOD_DEADLINES: Partial<Record<PeriodRuleId, PeriodDeadline>> = {
  'intake.completion': { event: '发出补正通知', at: now },
  'punishment.hearingRequest': { event: '送达行政处罚事先告知书', at: served('prior-notice-penalty'), needs: 'documents.prior-notice-penalty.servedAt' },
  'punishment.finePayment': { event: '送达行政处罚决定书', at: served('penalty-decision'), needs: 'documents.penalty-decision.servedAt' },
  'enforcement.eligible': { event: '送达行政处罚决定书', at: served('penalty-decision'), needs: 'documents.penalty-decision.servedAt' },
  'police.headApproval': { event: '收到涉嫌犯罪案件调查报告', at: now },
  'police.transfer': { event: '负责人批准移送', at: now },
  'police.decision': { event: '公安机关接受移送', at: variable('transferredAt'), needs: 'transferredAt' },
  'police.reconsiderationRequest': { event: '接到不予立案通知书', at: variableOrNow('policeDecisionAt') },
  'police.reconsiderationAnswer': { event: '提请复议', at: now },
  'preservation.courtRuling': { event: '向人民法院递交保全申请', at: variable('courtFiledAt'), needs: 'courtFiledAt' },
  'preservation.suitWithin': { event: '人民法院作出保全裁定', at: variableOrNow('rulingAt') },
  // The wage-arrears joint-discipline list (人社部令第45号), run by workflows/arrears-blacklist.bpmn
  'blacklist.defence': { event: '送达拟列入失信联合惩戒名单告知书', at: served('blacklist-notice'), needs: 'documents.blacklist-notice.servedAt' },
  'blacklist.decision': { event: '责令限期支付的期限届满', at: variable('paymentDeadlineAt'), needs: 'paymentDeadlineAt' },
  'blacklist.listingTerm': { event: '作出列入决定', at: variable('listedAt'), needs: 'listedAt' },
  'blacklist.repairMinListed': { event: '作出列入决定', at: variable('listedAt'), needs: 'listedAt' },
  'blacklist.repairDecision': { event: '收到信用修复申请', at: variableOrNow('repairAppliedAt') },
};

/** Computes one contract rule. Throws DeadlineInputMissing or HearingNoticeTooShort. */
export function computeContractDeadline(rule: DeadlineId, ctx: DeadlineContext, current: Deadlines): ComputedDeadline {
  const { cal, rules, now: at, variables: v } = ctx;
  const byRule = (id: PeriodRuleId, event: string, start: number) => deadlineForRule(cal, rules, id, { event, at: start });
  const plain = (d: Deadline, extra: Partial<ProcessDeadline> = {}, warnAtMs: number | null = null): ComputedDeadline => ({
    process: toProcess(rule, d, { ...extra, ...(warnAtMs !== null ? { warnAt: isoChina(warnAtMs) } : {}) }), explanation: d.explanation, dueAtMs: d.dueAt.getTime(), warnAtMs,
  });
  const period = Object.hasOwn(PERIOD_DEADLINES, rule) ? PERIOD_DEADLINES[rule as PeriodRuleId] : undefined;
  if (period) return plain(byRule(rule as PeriodRuleId, period.event, need(rule, period.needs ?? period.event, period.at(v, ctx))));
  const filedAt = () => need(rule, 'filedAt', parseInstant(v.filedAt) ?? ctx.filedAt);
  switch (rule) {
    case 'intake.acceptanceDecision': {
      const completed = parseInstant(v.materialsCompletedAt);
      const start = completed ?? need(rule, 'receivedAt', parseInstant(v.receivedAt));
      const d = byRule('intake.acceptanceDecision', completed !== null ? '补正材料提交' : '收到投诉举报', start);
      if (v.isWageArrears !== true) return plain(d);
      // Wage arrears: the office's registration target (seed 001: the same day) is when the statutory
      // acceptance deadline turns due-soon.
      const target = byRule('wageArrears.registration', completed !== null ? '补正材料提交' : '收到投诉举报', start);
      return plain(d, {}, Math.min(target.dueAt.getTime(), d.dueAt.getTime()));
    }
    case 'investigation.limit': {
      const start = filedAt();
      const d = byRule('investigation.limit', '立案', start);
      const warnCount = Math.max(0, rules['investigation.limit'].value - rules['investigation.warning'].value);
      const warn = computeDeadline(cal, { rule: { id: rule, source: rules['investigation.limit'].source }, startEvent: '立案', startedAt: start, count: warnCount, unit: rules['investigation.limit'].unit });
      return plain(d, {}, warn.dueAt.getTime());
    }
    case 'investigation.extension': {
      const start = filedAt();
      const limit = rules['investigation.limit'];
      const ext = rules['investigation.extension'];
      const d = computeDeadline(cal, {
        rule: { id: rule, title: `${limit.title}（含延长）`, source: [...new Set([limit.source, ext.source])].join('；') }, startEvent: '立案', startedAt: start,
        count: limit.value + ext.value, unit: limit.unit,
      });
      return plain(d);
    }
    case 'investigation.extensionApproved': {
      const extended = deadlineAt<ProcessDeadline>(current, 'investigation.extension') ?? computeContractDeadline('investigation.extension', ctx, current).process;
      return {
        process: { ...extended, rule, startAt: isoChina(at), startEvent: '负责人批准延长调查期限' },
        explanation: { rule, text: `经负责人批准延长调查期限至${chineseDateText(parseInstant(extended.dueAt)!)}。${extended.explanation}` },
        dueAtMs: parseInstant(extended.dueAt)!, warnAtMs: null,
      };
    }
    case 'punishment.decision': {
      const d = byRule('punishment.decision', '立案', filedAt());
      return plain(d, {}, d.dueAt.getTime() - rules['punishment.decisionWarning'].value * 86_400_000);
    }
    case 'closure.target': {
      if (v.isWageArrears === true) return plain(byRule('wageArrears.closure', '立案', filedAt()));
      const inv = computeContractDeadline('investigation.limit', ctx, current);
      return { ...inv, process: { ...inv.process, rule } };
    }
    case 'correction.period': {
      // The period is the one the order to correct sets (its form's correctionDays), not a legal rule.
      const start = need(rule, 'documents.order-to-correct.servedAt', served('order-to-correct')(v));
      const days = Number(v.correctionDays);
      if (!Number.isInteger(days) || days < 0) throw new DeadlineInputMissing(rule, 'correctionDays');
      return plain(custom(cal, rule, { count: days, unit: 'calendarDays', title: DEADLINE_VARIANTS['correction.period'].title, source: '劳动保障监察条例 第18条、第26条（限期改正指令书确定的期限）' }, '送达限期改正指令书', start));
    }
    case 'punishment.hearingNotice': {
      const hearingAt = need(rule, 'hearingAt', parseInstant(v.hearingAt));
      const notice = rules['punishment.hearingNotice'];
      const unit = notice.unit === 'workingDays' ? 'workingDays' : 'calendarDays';
      const latest = latestDayBefore(cal, { rule: { id: 'punishment.hearingNotice', source: notice.source }, event: '举行听证', eventDate: chinaDate(hearingAt), count: notice.value, unit });
      if (latest.latestAt.getTime() < at) throw new HearingNoticeTooShort(latest.latestDate);
      const process: ProcessDeadline = {
        rule, dueAt: isoChina(hearingAt), dueDate: chinaDate(hearingAt), noticeBy: isoChina(latest.latestAt.getTime()), startAt: isoChina(at), startEvent: '安排听证',
        count: notice.value, unit: unit === 'workingDays' ? 'workingDays' : 'days', legalSource: notice.source, skipped: latest.explanation.skippedDays,
        provisional: latest.provisional, explanation: latest.explanation.text,
      };
      return { process, explanation: latest.explanation, dueAtMs: hearingAt, warnAtMs: null };
    }
    case 'blacklist.decisionExtension': {
      // 20 工作日 from the payment deadline, and the approved extension counted on from the same start.
      const base = rules['blacklist.decision'];
      const ext = rules['blacklist.decisionExtension'];
      const d = computeDeadline(cal, {
        rule: { id: rule, title: `${base.title}（经批准延长）`, source: `${base.source}` }, startEvent: '责令限期支付的期限届满',
        startedAt: need(rule, 'paymentDeadlineAt', parseInstant(v.paymentDeadlineAt)), count: base.value + ext.value, unit: base.unit,
      });
      return plain(d);
    }
    case 'enforcement.application': {
      const eligible = deadlineAt<ProcessDeadline>(current, 'enforcement.eligible') ?? computeContractDeadline('enforcement.eligible', ctx, current).process;
      return plain(byRule('enforcement.application', '复议、诉讼期限届满', parseInstant(eligible.dueAt)!));
    }
    default:
      throw new DeadlineInputMissing(rule, `a known rule (${rule} is not one)`);
  }
}

/** The deadlines a diagram may ask deadline.compute for, by their one name: the legal rule's id or a variant's. */
export const CONTRACT_RULES = [
  'intake.acceptanceDecision', 'intake.completion', 'investigation.limit', 'investigation.extension', 'investigation.extensionApproved', 'punishment.decision', 'closure.target', 'correction.period',
  'punishment.hearingRequest', 'punishment.hearingNotice', 'punishment.finePayment', 'enforcement.eligible', 'enforcement.application', 'police.headApproval', 'police.transfer', 'police.decision',
  'police.reconsiderationRequest', 'police.reconsiderationAnswer', 'preservation.courtRuling', 'preservation.suitWithin',
  'blacklist.defence', 'blacklist.decision', 'blacklist.decisionExtension', 'blacklist.listingTerm', 'blacklist.repairMinListed', 'blacklist.repairDecision',
] as const satisfies readonly (PeriodRuleId | DeadlineVariantId)[];

export type DeadlineId = (typeof CONTRACT_RULES)[number];

/** Stores (or replaces) the case's deadline for a rule: one row per case and rule, the latest computation. */
export async function storeCaseDeadline(em: EntityManager, caseId: string, d: ComputedDeadline, at: { processInstanceKey: string | null; elementId: string | null; now: number }): Promise<void> {
  const row = {
    due_at: d.dueAtMs, due_date: d.process.dueDate, warn_at: d.warnAtMs, provisional: d.process.provisional ? 1 : 0,
    explanation_json: JSON.stringify({ ...(d.explanation as object), process: d.process }), state: 'open',
    process_instance_key: at.processInstanceKey, element_id: at.elementId, updated_at: at.now,
  };
  const existing: { id: string }[] = await em.query('SELECT id FROM case_deadlines WHERE case_id = ? AND rule = ?', [caseId, d.process.rule]);
  if (existing[0]) {
    const cols = Object.keys(row);
    await em.query(`UPDATE case_deadlines SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`, [...Object.values(row), existing[0].id]);
  } else {
    await insertRow(em, 'case_deadlines', { id: crypto.randomUUID(), case_id: caseId, rule: d.process.rule, ...row, created_at: at.now });
  }
  if (d.process.rule === 'investigation.extensionApproved') {
    await em.query("UPDATE case_deadlines SET state = 'cancelled', updated_at = ? WHERE case_id = ? AND rule = 'investigation.limit' AND state = 'open'", [at.now, caseId]);
  }
  await settleCaseDeadlines(em, caseId, SETTLED_BY_RULE[d.process.rule] ?? [], at.now);
}

/** A deadline of the case as the case page reads it (src/contracts: CaseDeadline), with how it was settled. */
export interface CaseDeadlineView extends CaseDeadline {
  /** `overdue` is an open deadline past its time, or one whose step was done late (then `settled`). */
  settled: boolean;
  /** As computed, with the process step that asked for it; rows written before explanations were kept read null. */
  explanation: (DeadlineExplanation & { process?: unknown }) | null;
}

/** Every deadline is shown by its Chinese name: explanations that carry none (a hearing date, an approved extension) take their rule's. */
function withTitle(rule: string, e: CaseDeadlineView['explanation']): CaseDeadlineView['explanation'] {
  if (e === null || e.ruleTitle) return e;
  return { ...e, ruleTitle: deadlineTitle(rule) ?? '期限' };
}

/** The case's deadlines; an open one past its due time reads as overdue. */
export async function listCaseDeadlines(em: EntityManager, caseId: string, now: number): Promise<CaseDeadlineView[]> {
  const rows: Record<string, unknown>[] = await em.query('SELECT * FROM case_deadlines WHERE case_id = ? ORDER BY due_at, rule', [caseId]);
  return rows.map((r) => {
    const dueAt = Number(r.due_at);
    const state = String(r.state) as CaseDeadlineView['state'];
    return {
      rule: String(r.rule), dueAt, dueDate: String(r.due_date), warnAt: r.warn_at === null ? null : Number(r.warn_at), provisional: Number(r.provisional) === 1,
      state: state === 'open' && dueAt < now ? 'overdue' : state, settled: state !== 'open',
      processInstanceKey: r.process_instance_key === null ? null : String(r.process_instance_key), elementId: r.element_id === null ? null : String(r.element_id),
      explanation: withTitle(String(r.rule), JSON.parse(String(r.explanation_json)) as CaseDeadlineView['explanation']),
    };
  });
}

/**
 * Marks the case's open deadlines for `rules` as done: met when done in time, overdue when done late.
 * A deadline stays open only while what it waits for has not happened.
 */
export async function settleCaseDeadlines(em: EntityManager, caseId: string, rules: readonly string[], now: number): Promise<void> {
  if (!rules.length) return;
  const list = rules.map(() => '?').join(', ');
  await em.query(`UPDATE case_deadlines SET state = 'met', updated_at = ? WHERE case_id = ? AND state = 'open' AND due_at >= ? AND rule IN (${list})`, [now, caseId, now, ...rules]);
  await em.query(`UPDATE case_deadlines SET state = 'overdue', updated_at = ? WHERE case_id = ? AND state = 'open' AND due_at < ? AND rule IN (${list})`, [now, caseId, now, ...rules]);
}

/** Computing a rule means the step an earlier deadline waited for has happened. */
export const SETTLED_BY_RULE: Record<string, string[]> = {
  'intake.acceptanceDecision': ['intake.completion'],
  'police.transfer': ['police.headApproval'],
  'police.decision': ['police.transfer'],
  'police.reconsiderationRequest': ['police.decision'],
  'police.reconsiderationAnswer': ['police.reconsiderationRequest'],
  'punishment.finePayment': ['punishment.decision'],
  'preservation.suitWithin': ['preservation.courtRuling'],
  'blacklist.listingTerm': ['blacklist.defence', 'blacklist.decision', 'blacklist.decisionExtension'],
};

/** Reaching a status means these deadlines' steps are done. */
export const SETTLED_BY_STATUS: Record<string, string[]> = {
  accepted: ['intake.acceptanceDecision', 'intake.completion'],
  'filing-review': ['intake.acceptanceDecision'],
  'referred-to-police': ['police.decision', 'police.reconsiderationAnswer'],
  'police-refused': ['police.decision', 'police.reconsiderationAnswer'],
  'police-referral-declined': ['police.headApproval'],
  'penalty-executed': ['punishment.finePayment'],
  'no-penalty': ['punishment.decision'],
  'enforcement-applied': ['enforcement.application'],
  'asset-preservation-rejected': ['preservation.courtRuling'],
};

/** What the office had to do by a deadline and has done once the case is closed. */
export const SETTLED_BY_CLOSURE = ['intake.acceptanceDecision', 'intake.completion', 'investigation.limit', 'investigation.extension', 'investigation.extensionApproved', 'punishment.decision', 'closure.target'];
