/**
 * The annual written review (书面审查, 劳动保障监察条例 第14条). The office (legal staff, supervisors)
 * opens the year's review with its scope — employers by grid, size and industry — and each employer in
 * scope gets a row here and a lifecycle of its own (workflows/written-review.bpmn): the notice, the
 * wait for its submission with a reminder, the review, an on-site verification for those flagged or
 * sampled, and the result (合格, 限期改正, or an inspection case); an employer that does not submit even
 * after the reminder is recorded as 未报送, itself a finding shown in its credit record.
 *
 * Opening a large scope is done in batches of WRITTEN_REVIEW_OPEN_BATCH employers, one transaction
 * each (rows and lifecycle starts together), so ten thousand employers never hold one transaction; the
 * review's `enrolled` count and the unique (review, employer) pair let an interrupted opening resume.
 */
import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import type { Actor } from '../audit/audit';
import { recordAudit } from '../audit/audit';
import type { Principal } from '../auth/principal';
import { authorize } from '../auth/policy';
import { insertRow, streetCodeOf } from '../cases/store';
import { inTransaction } from '../db/data-source';
import { errors } from '../errors';
import type { WorkflowEngine } from '../engine/port';
import { SCALE } from '../employers/fields';
import { rulesForOffice, type LegalRuleSet } from '../config/legal-rules';
import { officeCode } from '../cases/register-complaint';
import { findDocumentType } from '../documents/document-types';
import { isoChina } from '../cases/case-deadlines';
import { recordInstanceScope } from '../tasks/instance-scopes';

export const REVIEW_PROCESS_ID = 'written-review';
/** Published by the service when a submission is recorded; correlated by the review employer's id. */
export const SUBMITTED_MESSAGE = 'written-review-submitted';

export const REVIEW_STATES = ['enrolled', 'notified', 'reminded', 'submitted', 'verifying', 'concluded'] as const;
export type ReviewEmployerState = (typeof REVIEW_STATES)[number];
export const REVIEW_RESULTS = ['qualified', 'correction', 'case', 'not-submitted'] as const;
export type ReviewResult = (typeof REVIEW_RESULTS)[number];

const SCALES = Object.keys(SCALE) as [keyof typeof SCALE, ...(keyof typeof SCALE)[]];

export const openReviewSchema = z.strictObject({
  /** The year whose compliance is reviewed (审查年度). */
  year: z.number().int().min(2000).max(2100),
  title: z.string().trim().min(1).max(200).optional(),
  scope: z.strictObject({
    /** Grids (a street includes its communities); all grids of the office when absent. */
    gridIds: z.array(z.string().uuid()).min(1).max(200).optional(),
    scales: z.array(z.enum(SCALES)).min(1).max(4).optional(),
    industries: z.array(z.string().trim().min(1).max(100)).min(1).max(50).optional(),
  }).default({}),
});
export type OpenReviewInput = z.output<typeof openReviewSchema>;

export interface ReviewRow {
  id: string; office_id: string; year: number | string; title: string; scope_json: string; state: 'opening' | 'open';
  employers_total: number | string; enrolled: number | string; opened_by: string; opened_at: number | string; enrolled_at: number | string | null;
  created_at: number | string; updated_at: number | string;
}

export interface ReviewEmployerRow {
  id: string; review_id: string; office_id: string; employer_id: string; grid_id: string | null; state: ReviewEmployerState; process_instance_key: string | null;
  notice_document_id: string | null; reminder_document_id: string | null; order_document_id: string | null;
  submission_due_at: number | string | null; reminder_due_at: number | string | null; correction_due_at: number | string | null;
  submitted_at: number | string | null; submission_source: 'window' | 'import' | null; submission_json: string | null; submitted_late: number | string | null;
  submitted_by: string | null; flagged: number | string | null; sampled: number | string | null; review_opinion: string | null; reviewed_by: string | null;
  reviewed_at: number | string | null; verification_note: string | null; verified_by: string | null; verified_at: number | string | null;
  result: ReviewResult | null; concluded_at: number | string | null; corrected: number | string | null; case_id: string | null;
  created_at: number | string; updated_at: number | string;
}

export const reviewRefusal = {
  exists: (year: number) => errors.conflict('WRITTEN_REVIEW_EXISTS', `${year}年度书面审查已经开展，不能重复开展。`),
  emptyScope: () => errors.unprocessable('WRITTEN_REVIEW_EMPTY_SCOPE', '审查范围内没有用人单位，请调整网格、规模或行业。'),
  unknownGrid: () => errors.validation('审查范围中的网格不属于本机关', [{ path: 'body.scope.gridIds', message: 'unknown grid' }]),
  notAwaiting: (state: string) => errors.conflict('WRITTEN_REVIEW_NOT_AWAITING', state === 'concluded'
    ? '该用人单位的书面审查已经办结（含已记为未报送），不能再登记报送材料。'
    : state === 'enrolled' ? '书面审查通知书尚未发出，暂不能登记报送材料。' : '该用人单位已经报送，不能重复登记。'),
};

const n = (v: number | string | null | undefined): number | null => (v === null || v === undefined ? null : Number(v));

/** Every grid below the given ones, themselves included (a street's communities). */
async function gridsUnder(em: EntityManager, officeId: string, roots: string[]): Promise<string[]> {
  const all: { id: string; parent_id: string | null }[] = await em.query('SELECT id, parent_id FROM grids WHERE office_id = ?', [officeId]);
  const known = new Set(all.map((g) => g.id));
  if (roots.some((r) => !known.has(r))) throw reviewRefusal.unknownGrid();
  const out = new Set(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const g of all) if (g.parent_id && out.has(g.parent_id) && !out.has(g.id)) { out.add(g.id); grew = true; }
  }
  return [...out];
}

/** The WHERE clause of the employers in a review's scope (by office, grid, size, industry). */
async function scopeFilter(em: EntityManager, officeId: string, scope: OpenReviewInput['scope']): Promise<{ where: string; params: unknown[] }> {
  const parts = ['e.office_id = ?'];
  const params: unknown[] = [officeId];
  if (scope.gridIds) {
    const grids = await gridsUnder(em, officeId, scope.gridIds);
    parts.push(`e.grid_id IN (${grids.map(() => '?').join(', ')})`);
    params.push(...grids);
  }
  if (scope.scales) { parts.push(`e.scale IN (${scope.scales.map(() => '?').join(', ')})`); params.push(...scope.scales); }
  if (scope.industries) { parts.push(`e.industry IN (${scope.industries.map(() => '?').join(', ')})`); params.push(...scope.industries); }
  return { where: parts.join(' AND '), params };
}

export interface OpenContext { ds: DataSource; engine: WorkflowEngine; rules: LegalRuleSet; now: () => number; batchSize: number }

/** Scopes up to this many batches are enrolled before the opening answers; larger ones go on after it. */
export const ANSWER_AFTER_BATCHES = 10;

/**
 * Opens the year's review: the review row first (its own transaction, refused for a year already
 * opened or an empty scope), then the employers in batches. A scope of up to ANSWER_AFTER_BATCHES
 * batches is enrolled before this returns; a larger one goes on in the background (`enrolling`), the
 * review showing `opening` and how many are in, and a stop in between is resumed at the next start.
 */
export async function openReview(ctx: OpenContext, principal: Principal, actor: Actor, input: OpenReviewInput): Promise<{ review: ReviewRow; enrolling: Promise<number> | null }> {
  authorize(principal, 'writtenReviews.open');
  const id = crypto.randomUUID();
  await inTransaction(ctx.ds, async (em) => {
    const same: unknown[] = await em.query('SELECT 1 AS x FROM written_reviews WHERE office_id = ? AND year = ?', [principal.officeId, input.year]);
    if (same.length) throw reviewRefusal.exists(input.year);
    const { where, params } = await scopeFilter(em, principal.officeId, input.scope);
    const total = Number((await em.query(`SELECT COUNT(*) AS n FROM employers e WHERE ${where}`, params))[0].n);
    if (!total) throw reviewRefusal.emptyScope();
    const now = ctx.now();
    await insertRow(em, 'written_reviews', {
      id, office_id: principal.officeId, year: input.year, title: input.title ?? `${input.year}年度劳动保障书面审查`, scope_json: JSON.stringify(input.scope),
      state: 'opening', employers_total: total, enrolled: 0, opened_by: principal.username, opened_at: now, enrolled_at: null, created_at: now, updated_at: now,
    });
    await recordAudit(em, actor, new Date(now), { action: 'written-review.open', entityType: 'written_review', entityId: id, after: { year: input.year, scope: input.scope, employers: total } });
  });
  const enrolling = enrollRemaining(ctx, id);
  const total = Number((await findReview(ctx.ds.manager, id))!.employers_total);
  if (total <= ANSWER_AFTER_BATCHES * ctx.batchSize) {
    await enrolling;
    return { review: (await findReview(ctx.ds.manager, id))!, enrolling: null };
  }
  return { review: (await findReview(ctx.ds.manager, id))!, enrolling };
}

/**
 * Enrolls the employers of the scope not yet in the review, a batch per transaction, in id order: each
 * batch inserts the rows, starts their lifecycles and moves `enrolled` together, so a crash loses at
 * most the batch in flight and calling this again carries on after the last committed one.
 */
export async function enrollRemaining(ctx: OpenContext, reviewId: string): Promise<number> {
  const review = await findReview(ctx.ds.manager, reviewId);
  if (!review || review.state === 'open') return 0;
  const scope = JSON.parse(review.scope_json) as OpenReviewInput['scope'];
  const streetCodes = new Map<string | null, string>();
  let enrolled = 0;
  let after = '';
  const last: { employer_id: string }[] = await ctx.ds.query('SELECT MAX(employer_id) AS employer_id FROM written_review_employers WHERE review_id = ?', [reviewId]);
  if (last[0]?.employer_id) after = String(last[0].employer_id);
  for (;;) {
    const batch = await inTransaction(ctx.ds, async (em) => {
      const { where, params } = await scopeFilter(em, review.office_id, scope);
      const rows: { id: string; grid_id: string | null; name: string; credit_code: string | null; address: string | null }[] = await em.query(
        `SELECT e.id, e.grid_id, e.name, e.credit_code, e.address FROM employers e WHERE ${where} AND e.id > ? ORDER BY e.id LIMIT ${Math.trunc(ctx.batchSize)}`, [...params, after]);
      const now = ctx.now();
      for (const e of rows) {
        if (!streetCodes.has(e.grid_id)) streetCodes.set(e.grid_id, (await streetCodeOf(em, e.grid_id)) ?? 'supervisor');
        const rowId = crypto.randomUUID();
        await insertRow(em, 'written_review_employers', {
          id: rowId, review_id: reviewId, office_id: review.office_id, employer_id: e.id, grid_id: e.grid_id, state: 'enrolled', process_instance_key: null,
          created_at: now, updated_at: now,
        });
        const started = await ctx.engine.createInstance({
          bpmnProcessId: REVIEW_PROCESS_ID, businessKey: `written-review:${rowId}`,
          variables: {
            reviewId, reviewEmployerId: rowId, reviewYear: Number(review.year), gridCode: streetCodes.get(e.grid_id)!,
            employer: { name: e.name, creditCode: e.credit_code ?? null, address: e.address ?? null }, deadlines: {},
          },
        }, em);
        await em.query('UPDATE written_review_employers SET process_instance_key = ? WHERE id = ?', [started.processInstanceKey, rowId]);
        await recordInstanceScope(em, started.processInstanceKey, { officeId: review.office_id, gridId: e.grid_id, kind: 'written-review' }, now);
      }
      const done = rows.length < ctx.batchSize;
      if (done) await drawSample(em, review, rulesForOffice(ctx.rules, await officeCode(em, review.office_id))['writtenReview.sampleRate'].value);
      await em.query(`UPDATE written_reviews SET enrolled = enrolled + ?, updated_at = ?${done ? ", state = 'open', enrolled_at = ?" : ''} WHERE id = ?`,
        done ? [rows.length, now, now, reviewId] : [rows.length, now, reviewId]);
      return rows;
    }, { batched: true });
    enrolled += batch.length;
    if (batch.length < ctx.batchSize) return enrolled;
    after = batch[batch.length - 1].id;
  }
}

/**
 * Draws the employers verified on site although their review raises no doubt: the given percentage of
 * the review's employers (at least one), ranked by a hash of the review and the employer, so the draw is
 * fixed once the scope is and anyone can repeat it. Written with the last batch of the opening.
 */
async function drawSample(em: EntityManager, review: ReviewRow, percent: number): Promise<void> {
  const ids: { id: string; employer_id: string }[] = await em.query('SELECT id, employer_id FROM written_review_employers WHERE review_id = ?', [review.id]);
  if (!ids.length) return;
  const rank = (employerId: string) => crypto.createHash('sha256').update(`${review.id}:${employerId}`).digest('hex');
  const size = Math.min(ids.length, Math.max(1, Math.ceil((ids.length * percent) / 100)));
  const drawn = ids.map((r) => ({ id: r.id, key: rank(r.employer_id) })).sort((a, b) => a.key.localeCompare(b.key)).slice(0, size).map((r) => r.id);
  await em.query('UPDATE written_review_employers SET sampled = 0 WHERE review_id = ?', [review.id]);
  for (let i = 0; i < drawn.length; i += 500) {
    const part = drawn.slice(i, i + 500);
    await em.query(`UPDATE written_review_employers SET sampled = 1 WHERE id IN (${part.map(() => '?').join(', ')})`, part);
  }
}

export async function findReview(em: EntityManager, id: string): Promise<ReviewRow | null> {
  const rows: ReviewRow[] = await em.query('SELECT * FROM written_reviews WHERE id = ?', [id]);
  return rows[0] ?? null;
}

export async function findReviewEmployer(em: EntityManager, id: string): Promise<ReviewEmployerRow | null> {
  const rows: ReviewEmployerRow[] = await em.query('SELECT * FROM written_review_employers WHERE id = ?', [id]);
  return rows[0] ?? null;
}

export async function mustFindReviewEmployer(em: EntityManager, id: string): Promise<ReviewEmployerRow> {
  const r = await findReviewEmployer(em, id);
  if (!r) throw new Error(`written review employer ${id} not on file`);
  return r;
}

/** A review of the principal's office; 404 for another office's. */
export async function visibleReview(em: EntityManager, principal: Principal, id: string): Promise<ReviewRow> {
  authorize(principal, 'writtenReviews.list');
  const r = await findReview(em, id);
  if (!r || r.office_id !== principal.officeId) throw errors.notFound('writtenReview');
  return r;
}

/** An employer's place in a review, when the principal sees its grid; 404 alike for foreign and missing. */
export async function visibleReviewEmployer(em: EntityManager, principal: Principal, id: string): Promise<ReviewEmployerRow> {
  const r = await findReviewEmployer(em, id);
  if (!r) throw errors.notFound('writtenReview');
  authorize(principal, 'writtenReview.read', { officeId: r.office_id, gridId: r.grid_id });
  return r;
}

export interface ReviewView {
  id: string; year: number; title: string; state: 'opening' | 'open'; scope: OpenReviewInput['scope']; employersTotal: number; enrolled: number;
  openedBy: string; openedAt: number; enrolledAt: number | null;
}

export function reviewView(r: ReviewRow): ReviewView {
  return {
    id: r.id, year: Number(r.year), title: r.title, state: r.state, scope: JSON.parse(r.scope_json), employersTotal: Number(r.employers_total), enrolled: Number(r.enrolled),
    openedBy: r.opened_by, openedAt: Number(r.opened_at), enrolledAt: n(r.enrolled_at),
  };
}

export async function listReviews(em: EntityManager, principal: Principal): Promise<ReviewView[]> {
  authorize(principal, 'writtenReviews.list');
  const rows: ReviewRow[] = await em.query('SELECT * FROM written_reviews WHERE office_id = ? ORDER BY year DESC', [principal.officeId]);
  return rows.map(reviewView);
}

/** Grids the principal sees within the office, or null for office-wide sight. */
function gridLimit(principal: Principal): string[] | null {
  return principal.roles.some((r) => ['intake', 'legal', 'supervisor', 'admin'].includes(r)) ? null : principal.visibleGridIds;
}

export interface GridProgress {
  gridId: string | null; gridName: string; inScope: number; notified: number; submitted: number; reviewed: number; verified: number;
  nonSubmitters: number; qualified: number; correction: number; cases: number; awaiting: number;
}

/** Progress per grid the principal sees: in scope, submitted, reviewed, verified, non-submitters, results. */
export async function reviewProgress(em: EntityManager, principal: Principal, reviewId: string): Promise<{ grids: GridProgress[]; total: GridProgress }> {
  const limit = gridLimit(principal);
  if (limit && !limit.length) return { grids: [], total: emptyProgress(null, '合计') };
  const rows: Record<string, number | string | null>[] = await em.query(
    `SELECT w.grid_id, g.name AS grid_name, COUNT(*) AS in_scope,
       SUM(CASE WHEN w.notice_document_id IS NOT NULL THEN 1 ELSE 0 END) AS notified,
       SUM(CASE WHEN w.submitted_at IS NOT NULL THEN 1 ELSE 0 END) AS submitted,
       SUM(CASE WHEN w.reviewed_at IS NOT NULL THEN 1 ELSE 0 END) AS reviewed,
       SUM(CASE WHEN w.verified_at IS NOT NULL THEN 1 ELSE 0 END) AS verified,
       SUM(CASE WHEN w.result = 'not-submitted' THEN 1 ELSE 0 END) AS non_submitters,
       SUM(CASE WHEN w.result = 'qualified' THEN 1 ELSE 0 END) AS qualified,
       SUM(CASE WHEN w.result = 'correction' THEN 1 ELSE 0 END) AS correction,
       SUM(CASE WHEN w.result = 'case' THEN 1 ELSE 0 END) AS cases,
       SUM(CASE WHEN w.state IN ('enrolled', 'notified', 'reminded') THEN 1 ELSE 0 END) AS awaiting
     FROM written_review_employers w LEFT JOIN grids g ON g.id = w.grid_id
     WHERE w.review_id = ?${limit ? ` AND w.grid_id IN (${limit.map(() => '?').join(', ')})` : ''}
     GROUP BY w.grid_id, g.name ORDER BY g.name`, [reviewId, ...(limit ?? [])]);
  const grids = rows.map((r): GridProgress => ({
    gridId: r.grid_id === null ? null : String(r.grid_id), gridName: r.grid_name ? String(r.grid_name) : '未划入网格', inScope: Number(r.in_scope), notified: Number(r.notified),
    submitted: Number(r.submitted), reviewed: Number(r.reviewed), verified: Number(r.verified), nonSubmitters: Number(r.non_submitters),
    qualified: Number(r.qualified), correction: Number(r.correction), cases: Number(r.cases), awaiting: Number(r.awaiting),
  }));
  const total = emptyProgress(null, '合计');
  for (const g of grids) for (const k of ['inScope', 'notified', 'submitted', 'reviewed', 'verified', 'nonSubmitters', 'qualified', 'correction', 'cases', 'awaiting'] as const) total[k] += g[k];
  return { grids, total };
}

function emptyProgress(gridId: string | null, gridName: string): GridProgress {
  return { gridId, gridName, inScope: 0, notified: 0, submitted: 0, reviewed: 0, verified: 0, nonSubmitters: 0, qualified: 0, correction: 0, cases: 0, awaiting: 0 };
}

export interface ReviewEmployerView {
  id: string; reviewId: string; employerId: string; employerName: string; creditCode: string | null; gridId: string | null; gridName: string | null;
  state: ReviewEmployerState; result: ReviewResult | null; submissionDueAt: number | null; reminderDueAt: number | null; correctionDueAt: number | null;
  submittedAt: number | null; submittedLate: boolean; submissionSource: 'window' | 'import' | null; submission: Submission | null;
  flagged: boolean | null; sampled: boolean | null; reviewOpinion: string | null; reviewedAt: number | null; verificationNote: string | null; verifiedAt: number | null;
  corrected: boolean | null; caseId: string | null; concludedAt: number | null;
  documents: { id: string; typeId: string; number: string; title: string; issuedAt: number }[];
}

export const listQuery = z.strictObject({
  gridId: z.string().uuid().optional(),
  state: z.enum(REVIEW_STATES).optional(),
  result: z.enum(REVIEW_RESULTS).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The review's employers the principal sees, by grid, state or result. */
export async function listReviewEmployers(em: EntityManager, principal: Principal, reviewId: string, q: z.output<typeof listQuery>): Promise<{ items: ReviewEmployerView[]; total: number }> {
  const limit = gridLimit(principal);
  const parts = ['w.review_id = ?'];
  const params: unknown[] = [reviewId];
  if (limit) {
    if (!limit.length) return { items: [], total: 0 };
    parts.push(`w.grid_id IN (${limit.map(() => '?').join(', ')})`); params.push(...limit);
  }
  if (q.gridId) { parts.push('w.grid_id = ?'); params.push(q.gridId); }
  if (q.state) { parts.push('w.state = ?'); params.push(q.state); }
  if (q.result) { parts.push('w.result = ?'); params.push(q.result); }
  const where = parts.join(' AND ');
  const total = Number((await em.query(`SELECT COUNT(*) AS n FROM written_review_employers w WHERE ${where}`, params))[0].n);
  const rows: (ReviewEmployerRow & { employer_name: string; credit_code: string | null; grid_name: string | null })[] = await em.query(
    `SELECT w.*, e.name AS employer_name, e.credit_code, g.name AS grid_name FROM written_review_employers w JOIN employers e ON e.id = w.employer_id
     LEFT JOIN grids g ON g.id = w.grid_id WHERE ${where} ORDER BY e.name, w.id LIMIT ${q.limit} OFFSET ${q.offset}`, params);
  return { items: rows.map((r) => employerView(r, [])), total };
}

function employerView(r: ReviewEmployerRow & { employer_name: string; credit_code: string | null; grid_name: string | null }, documents: ReviewEmployerView['documents']): ReviewEmployerView {
  const bool = (v: number | string | null) => (v === null ? null : Number(v) === 1);
  return {
    id: r.id, reviewId: r.review_id, employerId: r.employer_id, employerName: r.employer_name, creditCode: r.credit_code, gridId: r.grid_id, gridName: r.grid_name,
    state: r.state, result: r.result, submissionDueAt: n(r.submission_due_at), reminderDueAt: n(r.reminder_due_at), correctionDueAt: n(r.correction_due_at),
    submittedAt: n(r.submitted_at), submittedLate: Number(r.submitted_late ?? 0) === 1, submissionSource: r.submission_source,
    submission: r.submission_json ? (JSON.parse(r.submission_json) as Submission) : null, flagged: bool(r.flagged), sampled: bool(r.sampled),
    reviewOpinion: r.review_opinion, reviewedAt: n(r.reviewed_at), verificationNote: r.verification_note, verifiedAt: n(r.verified_at),
    corrected: bool(r.corrected), caseId: r.case_id, concludedAt: n(r.concluded_at), documents,
  };
}

/** One employer's review with its documents. */
export async function reviewEmployerView(em: EntityManager, r: ReviewEmployerRow): Promise<ReviewEmployerView> {
  const e: { name: string; credit_code: string | null }[] = await em.query('SELECT name, credit_code FROM employers WHERE id = ?', [r.employer_id]);
  const g: { name: string }[] = r.grid_id ? await em.query('SELECT name FROM grids WHERE id = ?', [r.grid_id]) : [];
  const ids = [r.notice_document_id, r.reminder_document_id, r.order_document_id].filter((x): x is string => !!x);
  const docs: { id: string; type_id: string; number: string; issued_at: number | string }[] = ids.length
    ? await em.query(`SELECT id, type_id, number, issued_at FROM documents WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY issued_at`, ids) : [];
  return employerView({ ...r, employer_name: e[0]?.name ?? '', credit_code: e[0]?.credit_code ?? null, grid_name: g[0]?.name ?? null },
    docs.map((d) => ({ id: d.id, typeId: d.type_id, number: d.number, title: findDocumentType(d.type_id)?.title ?? '', issuedAt: Number(d.issued_at) })));
}

// ---- What the employer submits (headcount, contracts, wages, hours, social insurance, migrant workers' wages)

export const WORKING_HOURS = ['standard', 'comprehensive', 'flexible'] as const;

const count = z.number().int().min(0).max(1_000_000);
const yuan = z.number().min(0).max(1e11);
export const submissionSchema = z.strictObject({
  headcount: count,
  contractsSigned: count,
  /** Wages paid in the reviewed year, in yuan. */
  wagesPaid: yuan,
  wagePayDay: z.number().int().min(1).max(31),
  workingHoursSystem: z.enum(WORKING_HOURS),
  socialInsuranceParticipants: count,
  migrantWorkers: count,
  /** Wages owed to migrant workers at the time of submission, in yuan (0 = none owed). */
  migrantWagesOwed: yuan,
  note: z.string().trim().max(2000).optional(),
});
export type Submission = z.output<typeof submissionSchema>;

/** Figures that cannot be true together; refused. */
export function submissionProblems(s: Submission): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (s.contractsSigned > s.headcount) out.push({ path: 'contractsSigned', message: '签订劳动合同人数不能多于职工人数' });
  if (s.socialInsuranceParticipants > s.headcount) out.push({ path: 'socialInsuranceParticipants', message: '参保人数不能多于职工人数' });
  if (s.migrantWorkers > s.headcount) out.push({ path: 'migrantWorkers', message: '农民工人数不能多于职工人数' });
  return out;
}

/** What the reviewer should look at: the submission's own figures that suggest a violation. */
export function submissionConcerns(s: Submission): string[] {
  const out: string[] = [];
  if (s.contractsSigned < s.headcount) out.push(`${s.headcount - s.contractsSigned}名职工未签订书面劳动合同`);
  if (s.socialInsuranceParticipants < s.headcount) out.push(`${s.headcount - s.socialInsuranceParticipants}名职工未参加社会保险`);
  if (s.migrantWagesOwed > 0) out.push(`报告拖欠农民工工资${s.migrantWagesOwed.toLocaleString('zh-CN')}元`);
  if (s.headcount > 0 && s.wagesPaid === 0) out.push('有职工但报告全年工资总额为零');
  return out;
}

/**
 * Records an employer's submission and hands it to its waiting lifecycle, in the caller's transaction.
 * Refused while the notice is not yet out, once submitted, and after it was recorded as 未报送.
 */
export async function recordSubmission(em: EntityManager, engine: WorkflowEngine, actor: Actor, row: ReviewEmployerRow, s: Submission, source: 'window' | 'import', now: number): Promise<void> {
  const locked: ReviewEmployerRow[] = await em.query('SELECT * FROM written_review_employers WHERE id = ?', [row.id]);
  const r = locked[0];
  if (!['notified', 'reminded'].includes(r.state)) throw reviewRefusal.notAwaiting(r.state);
  const problems = submissionProblems(s);
  if (problems.length) throw errors.validation('报送材料的数字互相矛盾', problems.map((p) => ({ path: `body.${p.path}`, message: p.message })));
  const late = r.state === 'reminded' ? 1 : 0;
  await em.query(
    "UPDATE written_review_employers SET state = 'submitted', submitted_at = ?, submission_source = ?, submission_json = ?, submitted_late = ?, submitted_by = ?, updated_at = ? WHERE id = ? AND state IN ('notified', 'reminded')",
    [now, source, JSON.stringify(s), late, actor.name, now, r.id]);
  await engine.publishMessage({
    name: SUBMITTED_MESSAGE, correlationKey: r.id,
    variables: { submittedAt: isoChina(now), submissionLate: late === 1, reviewConcerns: submissionConcerns(s).join('；') || '未发现疑点' },
  }, em);
  await recordAudit(em, actor, new Date(now), { action: 'written-review.submission', entityType: 'written_review_employer', entityId: r.id, after: { source, late: late === 1, ...s } });
}

export interface ReviewFinding { reviewEmployerId: string; reviewId: string; year: number; state: ReviewEmployerState; result: ReviewResult | null; concludedAt: number | null; caseId: string | null }

/**
 * An employer's written reviews for its credit record (诚信档案), newest year first: 未报送 among them is
 * a finding of its own, as are an order to correct and a case opened from the review.
 */
export async function employerReviewFindings(em: EntityManager, employerId: string): Promise<ReviewFinding[]> {
  const rows: (ReviewEmployerRow & { year: number | string })[] = await em.query(
    'SELECT w.*, r.year FROM written_review_employers w JOIN written_reviews r ON r.id = w.review_id WHERE w.employer_id = ? ORDER BY r.year DESC', [employerId]);
  return rows.map((r) => ({ reviewEmployerId: r.id, reviewId: r.review_id, year: Number(r.year), state: r.state, result: r.result, concludedAt: n(r.concluded_at), caseId: r.case_id }));
}

/**
 * Carries on the openings a stopped service left unfinished (a review still `opening`), at start: each
 * resumes after its last committed batch. A failure is logged; the next start tries again.
 */
export async function resumeReviewOpenings(ctx: OpenContext, log: { warn(obj: unknown, msg?: string): void; info(obj: unknown, msg?: string): void }): Promise<void> {
  const open: { id: string }[] = await ctx.ds.query("SELECT id FROM written_reviews WHERE state = 'opening'");
  for (const r of open) {
    try {
      const added = await enrollRemaining(ctx, r.id);
      log.info({ reviewId: r.id, added }, 'written review opening resumed');
    } catch (e) {
      log.warn({ reviewId: r.id, err: e instanceof Error ? e.message : String(e) }, 'written review opening could not be resumed');
    }
  }
}
