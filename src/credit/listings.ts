/**
 * The wage-arrears joint-discipline list (拖欠农民工工资失信联合惩戒对象名单管理暂行办法, 人社部令第45号):
 * a listing is proposed from a case whose order to pay expired unpaid, when the amount meets the
 * criminal threshold (法释〔2013〕3号 第3条, the province's figures) or the arrears caused a mass or
 * extreme incident; workflows/arrears-blacklist.bpmn then runs notice, defence, decision, the listing
 * and its removal. What the party sends in (a defence, an application for credit repair) is recorded
 * whenever it arrives, marked late when it came after its period, and decided; nothing is dropped.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { AppError, errors } from '../errors';
import type { Actor } from '../audit/audit';
import { recordAudit } from '../audit/audit';
import type { Principal } from '../auth/principal';
import { allowed, authorize } from '../auth/policy';
import { findDocumentType } from '../documents/document-types';
import { checkCriminalThreshold, type WorkerOwed } from '../cases/criminal-threshold';
import { isoChina, parseInstant } from '../cases/case-deadlines';
import { caseParties, caseProcesses, caseWorkers, findCase, insertRow, streetCodeOf } from '../cases/store';
import { officeCode } from '../cases/register-complaint';
import { rulesForOffice, type LegalRuleSet } from '../config/legal-rules';
import { chinaDate } from '../deadlines/china-time';
import type { WorkflowEngine } from '../engine/port';
import { calendarDate } from '../http/validate';
import { recordInstanceScope } from '../tasks/instance-scopes';

export const BLACKLIST_PROCESS_ID = 'arrears-blacklist';

export const LISTING_GROUNDS = ['criminal-threshold', 'mass-incident'] as const;
export type ListingGround = (typeof LISTING_GROUNDS)[number];
export const GROUND_LABELS: Record<ListingGround, string> = {
  'criminal-threshold': '拖欠工资数额达到拒不支付劳动报酬罪的数额标准',
  'mass-incident': '因拖欠工资引发群体性事件、极端事件，造成严重不良社会影响',
};

export type ListingState = 'proposed' | 'listed' | 'not-listed' | 'removed';
export const STATE_LABELS: Record<ListingState, string> = { proposed: '拟列入', listed: '已列入', 'not-listed': '决定不予列入', removed: '已移出' };
export const REMOVAL_LABELS: Record<string, string> = { expiry: '列入期满移出', repair: '信用修复提前移出' };

const person = z.object({ name: z.string().trim().min(1).max(100), position: z.string().trim().min(1).max(100) }).strict();

export const proposeListingSchema = z.object({
  caseId: z.string().uuid(),
  ground: z.enum(LISTING_GROUNDS),
  /** For a mass or extreme incident: what happened, when and where. */
  incidentDescription: z.string().trim().min(1).max(3000).optional(),
  /** The legal representative or principal and those directly responsible (第45号令: listed with the employer). */
  responsiblePeople: z.array(person).min(1).max(20),
}).strict();

export const defenceSchema = z.object({
  /** The day the office received it (YYYY-MM-DD); today when absent. */
  receivedAt: calendarDate().optional(),
  content: z.string().trim().min(1).max(10000),
}).strict();

export const repairSchema = z.object({
  receivedAt: calendarDate().optional(),
  /** The day the wages owed were paid in full. */
  wagesPaidAt: calendarDate(),
  /** The written pledge to keep the law (守信承诺书) is attached. */
  pledge: z.boolean(),
  content: z.string().trim().min(1).max(10000),
}).strict();

export interface ListingRow {
  id: string; office_id: string; employer_id: string; case_id: string; grid_id: string | null; state: ListingState; ground: ListingGround;
  ground_text: string; responsible_json: string; amount_owed: number | string | null; workers_owed: number | string | null; payment_deadline_at: number | string;
  process_instance_key: string | null; proposed_by: string; proposed_at: number | string; decided_at: number | string | null; decided_by: string | null;
  decision_note: string | null; listed_at: number | string | null; expires_at: number | string | null; removed_at: number | string | null;
  removal_reason: string | null; created_at: number | string; updated_at: number | string;
}

export interface SubmissionRow {
  id: string; listing_id: string; kind: 'defence' | 'repair'; received_at: number | string; due_at: number | string | null; late: number | string;
  content: string; wages_paid_at: number | string | null; pledge: number | string; decision: string | null; decision_note: string | null;
  decided_at: number | string | null; decided_by: string | null; recorded_by: string; created_at: number | string;
}

const n = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));

export const listingRefusal = {
  noOrder: () => errors.conflict('BLACKLIST_NOT_ORDERED_TO_PAY', '本案尚未以送达的限期改正指令书责令支付工资，不能启动列入失信联合惩戒名单程序。'),
  notExpired: (due: string) => errors.conflict('BLACKLIST_PAYMENT_PERIOD_RUNNING', `责令支付的期限至${due}届满，期限届满前不能启动列入程序。`),
  wagesPaid: () => errors.conflict('BLACKLIST_WAGES_PAID', '复查认定用人单位已在期限内支付工资，不符合列入条件。'),
  noEmployer: () => errors.conflict('BLACKLIST_UNFILED_PARTY', '本案用人单位未建立用人单位档案，请先建档后再启动列入程序。'),
  open: () => errors.conflict('BLACKLIST_ALREADY_OPEN', '该用人单位已有本案的列入程序或有效的列入记录。'),
  groundsNotMet: (reasons: string[]) => errors.unprocessable('BLACKLIST_GROUNDS_NOT_MET', '不符合列入条件：拖欠数额未达到拒不支付劳动报酬罪的数额标准，且未认定引发群体性或极端事件。', reasons.map((message) => ({ message }))),
  incidentMissing: () => errors.validation('引发群体性或极端事件的，须写明事件情况。', [{ path: 'body.incidentDescription', message: 'required for ground mass-incident' }]),
  notListed: () => errors.conflict('BLACKLIST_NOT_LISTED', '该用人单位当前不在名单中，不能申请信用修复。'),
  repairPending: () => errors.conflict('BLACKLIST_REPAIR_PENDING', '该用人单位已有尚未决定的信用修复申请。'),
};

/** The variables of a case's lifecycles, later instances over earlier ones: what the forms collected. */
export async function caseVariables(em: EntityManager, engine: WorkflowEngine, caseId: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const p of await caseProcesses(em, caseId)) {
    if (p.bpmnProcessId === BLACKLIST_PROCESS_ID) continue;
    try {
      Object.assign(out, (await engine.getInstance(p.processInstanceKey)).variables);
    } catch (e) {
      if (!(e instanceof AppError && e.status === 404)) throw e;
    }
  }
  return out;
}

export interface OrderToPay { deadlineAt: number; deadlineDate: string; unpaid: boolean }

/** The case's order to pay: served, its correction deadline, and whether re-inspection found the wages paid. */
export async function orderToPayOf(em: EntityManager, caseId: string, vars: Record<string, unknown>): Promise<OrderToPay | null> {
  const served: unknown[] = await em.query(
    "SELECT 1 AS x FROM documents d JOIN document_services s ON s.document_id = d.id WHERE d.case_id = ? AND d.type_id = 'order-to-correct'", [caseId]);
  const deadline: { due_at: number | string; due_date: string }[] = await em.query("SELECT due_at, due_date FROM case_deadlines WHERE case_id = ? AND rule = 'correction.period'", [caseId]);
  if (!served.length || !deadline[0]) return null;
  return { deadlineAt: Number(deadline[0].due_at), deadlineDate: deadline[0].due_date, unpaid: vars.corrected !== 'yes' };
}

function owedWorkers(onFile: { name: string; amountOwed: number | null; monthsOwed: number | null }[], vars: Record<string, unknown>): WorkerOwed[] {
  const listed = onFile.filter((w) => (w.amountOwed ?? 0) > 0).map((w) => ({ name: w.name, amountOwed: w.amountOwed!, monthsOwed: w.monthsOwed ?? Number(vars.monthsOwed ?? 0) }));
  const amount = Number(vars.amountOwed);
  if (!Number.isFinite(amount) || amount <= 0) return listed;
  // The investigation's finding is what is still unpaid; spread over the workers it names.
  const count = Math.max(1, Math.trunc(Number(vars.workersOwed) || listed.length || 1));
  return Array.from({ length: count }, (_, i) => ({ name: listed[i]?.name, amountOwed: amount / count, monthsOwed: Number(vars.monthsOwed ?? listed[i]?.monthsOwed ?? 0) }));
}

export interface ProposeContext {
  engine: WorkflowEngine;
  rules: LegalRuleSet;
  now: number;
  /** The case's lifecycle variables (caseVariables), read before the transaction: the engine reads its own store. */
  caseVariables: Record<string, unknown>;
}

/**
 * Proposes the listing of the case's employer and starts its lifecycle in the same transaction.
 * Refused, with the reason, when the order to pay has not expired, the wages were paid, or neither
 * ground holds.
 */
/**
 * The case a listing is proposed from, once the principal may see it and propose for its grid: the
 * route asks this before it reads the case's process variables, so a foreign id reads nothing.
 */
export async function caseToProposeFrom(em: EntityManager, principal: Principal, caseId: string) {
  const c = await findCase(em, caseId);
  if (!c) throw errors.notFound('case');
  authorize(principal, 'case.read', c);
  authorize(principal, 'credit.propose', { officeId: c.officeId, gridId: c.gridId });
  return c;
}

export async function proposeListing(em: EntityManager, ctx: ProposeContext, principal: Principal, actor: Actor, input: z.output<typeof proposeListingSchema>): Promise<{ id: string; processInstanceKey: string }> {
  // Asked again inside the transaction that writes: the case read here is the one the listing names.
  const c = await caseToProposeFrom(em, principal, input.caseId);
  if (input.ground === 'mass-incident' && !input.incidentDescription) throw listingRefusal.incidentMissing();
  if (!c.employerId) throw listingRefusal.noEmployer();
  const vars = ctx.caseVariables;
  const order = await orderToPayOf(em, c.id, vars);
  if (!order) throw listingRefusal.noOrder();
  if (order.deadlineAt >= ctx.now) throw listingRefusal.notExpired(order.deadlineDate);
  if (!order.unpaid) throw listingRefusal.wagesPaid();
  const rules = rulesForOffice(ctx.rules, await officeCode(em, c.officeId));
  const workers = owedWorkers(await caseWorkers(em, c.id), vars);
  const threshold = checkCriminalThreshold(rules, { workers, orders: [{ kind: '限期改正指令书', deadlineAt: order.deadlineAt }], now: ctx.now });
  if (input.ground === 'criminal-threshold' && !threshold.offered) throw listingRefusal.groundsNotMet(threshold.reasons);
  const open: unknown[] = await em.query("SELECT 1 AS x FROM credit_listings WHERE employer_id = ? AND (state = 'listed' OR (state = 'proposed' AND case_id = ?))", [c.employerId, c.id]);
  if (open.length) throw listingRefusal.open();

  const amountOwed = workers.reduce((s, w) => s + w.amountOwed, 0);
  const groundText = input.ground === 'criminal-threshold'
    ? threshold.reasons.slice(1).join('；')
    : `${GROUND_LABELS['mass-incident']}：${input.incidentDescription}`;
  const id = crypto.randomUUID();
  await insertRow(em, 'credit_listings', {
    id, office_id: c.officeId, employer_id: c.employerId, case_id: c.id, grid_id: c.gridId, state: 'proposed', ground: input.ground, ground_text: groundText,
    responsible_json: JSON.stringify(input.responsiblePeople), amount_owed: Math.round(amountOwed * 100), workers_owed: workers.length,
    payment_deadline_at: order.deadlineAt, process_instance_key: null, proposed_by: principal.username, proposed_at: ctx.now,
    decided_at: null, decided_by: null, decision_note: null, listed_at: null, expires_at: null, removed_at: null, removal_reason: null,
    created_at: ctx.now, updated_at: ctx.now,
  });
  const employer = (await caseParties(em, c.id)).find((p) => p.role === 'employer');
  const started = await ctx.engine.createInstance({
    bpmnProcessId: BLACKLIST_PROCESS_ID, businessKey: `blacklist:${id}`,
    variables: {
      caseId: c.id, caseNumber: c.caseNumber, gridCode: (await streetCodeOf(em, c.gridId)) ?? 'supervisor', listingId: id,
      employer: { name: employer?.name ?? '', creditCode: employer?.creditCode ?? null, address: employer?.address ?? null },
      paymentDeadlineAt: isoChina(order.deadlineAt), listingGround: input.ground, documents: {},
      leadInspector: vars.leadInspector ?? null, secondInspector: vars.secondInspector ?? null,
    },
  }, em);
  await em.query('UPDATE credit_listings SET process_instance_key = ? WHERE id = ?', [started.processInstanceKey, id]);
  await recordInstanceScope(em, started.processInstanceKey, { officeId: c.officeId, gridId: c.gridId, kind: 'listing' }, ctx.now);
  await recordAudit(em, actor, new Date(ctx.now), {
    action: 'credit.listing.propose', entityType: 'credit_listing', entityId: id, caseId: c.id,
    after: { employerId: c.employerId, ground: input.ground, paymentDeadlineAt: order.deadlineAt },
  });
  return { id, processInstanceKey: started.processInstanceKey };
}

export async function findListing(em: EntityManager, id: string): Promise<ListingRow | null> {
  const rows: ListingRow[] = await em.query('SELECT * FROM credit_listings WHERE id = ?', [id]);
  return rows[0] ?? null;
}

/** The listing the principal may see; 404 alike for one that does not exist and one outside their grids. */
export async function visibleListing(em: EntityManager, principal: Principal, id: string): Promise<ListingRow> {
  const l = await findListing(em, id);
  if (!l) throw errors.notFound('credit');
  authorize(principal, 'credit.read', { officeId: l.office_id, gridId: l.grid_id });
  return l;
}

export async function listingSubmissions(em: EntityManager, listingId: string): Promise<SubmissionRow[]> {
  return em.query('SELECT * FROM credit_submissions WHERE listing_id = ? ORDER BY received_at, created_at', [listingId]);
}

/** A party's submission, with whether it came after its period; `due` null = its period has not begun (in time). */
async function recordSubmission(em: EntityManager, l: ListingRow, row: Omit<SubmissionRow, 'id' | 'listing_id' | 'late' | 'created_at'>, now: number, afterDecision = false): Promise<SubmissionRow> {
  const due = n(row.due_at);
  const late = afterDecision || (due !== null && Number(row.received_at) > due) ? 1 : 0;
  const full: SubmissionRow = { id: crypto.randomUUID(), listing_id: l.id, late, created_at: now, ...row };
  await insertRow(em, 'credit_submissions', full as unknown as Record<string, unknown>);
  return full;
}

/** Due instant of a case deadline of the listing's case, if computed. */
async function caseDeadline(em: EntityManager, caseId: string, rule: string): Promise<number | null> {
  const rows: { due_at: number | string }[] = await em.query('SELECT due_at FROM case_deadlines WHERE case_id = ? AND rule = ?', [caseId, rule]);
  return rows[0] ? Number(rows[0].due_at) : null;
}

/** The day it was received (a date alone counts as that day, China time); today when absent, never later than today. */
function receivedAtOf(v: string | undefined, now: number): number {
  if (!v) return now;
  if (v > chinaDate(now)) throw errors.validation('收到日期不能晚于今天', [{ path: 'body.receivedAt', message: 'not after today' }]);
  return Math.min(parseInstant(v)!, now);
}

/**
 * Records the party's defence (陈述申辩). In time it is also handed to the waiting process, which
 * then goes to the decision at once; late it is kept, marked late, and the decision addresses it.
 */
export async function recordDefence(em: EntityManager, engine: WorkflowEngine, principal: Principal, actor: Actor, listingId: string, input: z.output<typeof defenceSchema>, now: number): Promise<SubmissionRow> {
  const l = await visibleListing(em, principal, listingId);
  authorize(principal, 'credit.record', { officeId: l.office_id, gridId: l.grid_id });
  const receivedAt = receivedAtOf(input.receivedAt, now);
  const due = await caseDeadline(em, l.case_id, 'blacklist.defence');
  const s = await recordSubmission(em, l, {
    kind: 'defence', received_at: receivedAt, due_at: due, content: input.content, wages_paid_at: null, pledge: 0,
    decision: l.state === 'proposed' ? null : 'after-decision', decision_note: l.state === 'proposed' ? null : '列入程序已作出决定后收到，存档备查',
    decided_at: null, decided_by: null, recorded_by: principal.username,
  }, now, l.state !== 'proposed');
  await recordAudit(em, actor, new Date(now), { action: 'credit.defence.record', entityType: 'credit_listing', entityId: l.id, caseId: l.case_id, after: { late: s.late === 1 } });
  if (l.state === 'proposed' && s.late === 0) {
    await engine.publishMessage({ name: 'blacklist-defence', correlationKey: l.id, variables: { defenceReceivedAt: isoChina(receivedAt) }, timeToLive: 0 }, em);
  }
  return s;
}

/**
 * Records an application for credit repair (信用修复). Whether the conditions hold (wages paid, the
 * minimum time listed, a pledge) is decided by the process, which refuses in writing when they do not.
 */
export async function applyForRepair(em: EntityManager, engine: WorkflowEngine, principal: Principal, actor: Actor, listingId: string, input: z.output<typeof repairSchema>, now: number): Promise<SubmissionRow> {
  const l = await visibleListing(em, principal, listingId);
  authorize(principal, 'credit.record', { officeId: l.office_id, gridId: l.grid_id });
  if (l.state !== 'listed') throw listingRefusal.notListed();
  const pending: unknown[] = await em.query("SELECT 1 AS x FROM credit_submissions WHERE listing_id = ? AND kind = 'repair' AND decision IS NULL", [l.id]);
  if (pending.length) throw listingRefusal.repairPending();
  const receivedAt = receivedAtOf(input.receivedAt, now);
  const paid = parseInstant(input.wagesPaidAt);
  if (paid === null) throw errors.validation('工资支付日期无法识别', [{ path: 'body.wagesPaidAt', message: 'a date' }]);
  // An application has no period of its own: it is in time whenever the listing runs.
  const s = await recordSubmission(em, l, {
    kind: 'repair', received_at: receivedAt, due_at: n(l.expires_at), content: input.content, wages_paid_at: paid, pledge: input.pledge ? 1 : 0,
    decision: null, decision_note: null, decided_at: null, decided_by: null, recorded_by: principal.username,
  }, now);
  await recordAudit(em, actor, new Date(now), { action: 'credit.repair.apply', entityType: 'credit_listing', entityId: l.id, caseId: l.case_id, after: { submissionId: s.id } });
  await engine.publishMessage({ name: 'blacklist-repair-applied', correlationKey: l.id, variables: { repairAppliedAt: isoChina(receivedAt), repairSubmissionId: s.id }, timeToLive: 0 }, em);
  return s;
}

export interface ListingView {
  id: string; caseId: string; employerId: string; state: ListingState; stateLabel: string; ground: ListingGround; groundLabel: string; groundText: string;
  responsiblePeople: { name: string; position: string }[]; amountOwed: number | null; workersOwed: number | null; paymentDeadlineAt: number;
  proposedAt: number; proposedBy: string; decidedAt: number | null; listedAt: number | null; expiresAt: number | null; removedAt: number | null;
  removalReason: string | null; removalLabel: string | null;
  submissions: { id: string; kind: 'defence' | 'repair'; receivedAt: number; late: boolean; decision: string | null; decisionNote: string | null; content: string }[];
  documents: { id: string; typeId: string; title: string; number: string; issuedAt: number }[];
}

export async function listingView(em: EntityManager, l: ListingRow): Promise<ListingView> {
  const subs = await listingSubmissions(em, l.id);
  const docs: { id: string; type_id: string; number: string; issued_at: number | string }[] = await em.query(
    "SELECT id, type_id, number, issued_at FROM documents WHERE case_id = ? AND type_id LIKE 'blacklist-%' AND process_instance_key = ? ORDER BY issued_at, number", [l.case_id, l.process_instance_key ?? '']);
  return {
    id: l.id, caseId: l.case_id, employerId: l.employer_id, state: l.state, stateLabel: STATE_LABELS[l.state], ground: l.ground, groundLabel: GROUND_LABELS[l.ground],
    groundText: l.ground_text, responsiblePeople: JSON.parse(l.responsible_json), amountOwed: l.amount_owed === null ? null : Number(l.amount_owed) / 100,
    workersOwed: n(l.workers_owed), paymentDeadlineAt: Number(l.payment_deadline_at), proposedAt: Number(l.proposed_at), proposedBy: l.proposed_by,
    decidedAt: n(l.decided_at), listedAt: n(l.listed_at), expiresAt: n(l.expires_at), removedAt: n(l.removed_at), removalReason: l.removal_reason,
    removalLabel: l.removal_reason ? REMOVAL_LABELS[l.removal_reason] ?? null : null,
    submissions: subs.map((s) => ({ id: s.id, kind: s.kind, receivedAt: Number(s.received_at), late: Number(s.late) === 1, decision: s.decision, decisionNote: s.decision_note, content: s.content })),
    documents: docs.map((d) => ({ id: d.id, typeId: d.type_id, title: findDocumentType(d.type_id)?.title ?? '文书', number: d.number, issuedAt: Number(d.issued_at) })),
  };
}

/** The office's listings the principal may see (handlers: their grids), newest first. */
export async function searchListings(em: EntityManager, principal: Principal, q: { state?: ListingState; employerId?: string }): Promise<(ListingView & { employerName: string })[]> {
  const where = ['l.office_id = ?'];
  const params: unknown[] = [principal.officeId];
  if (q.state) { where.push('l.state = ?'); params.push(q.state); }
  if (q.employerId) { where.push('l.employer_id = ?'); params.push(q.employerId); }
  const rows: (ListingRow & { employer_name: string })[] = await em.query(
    `SELECT l.*, e.name AS employer_name FROM credit_listings l JOIN employers e ON e.id = l.employer_id WHERE ${where.join(' AND ')} ORDER BY l.proposed_at DESC LIMIT 500`, params);
  const out: (ListingView & { employerName: string })[] = [];
  for (const r of rows) {
    if (!allowed(principal, 'credit.read', { officeId: r.office_id, gridId: r.grid_id })) continue;
    out.push({ ...(await listingView(em, r)), employerName: r.employer_name });
  }
  return out;
}
