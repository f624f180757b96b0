/**
 * The yearly grading run (workflows/credit-grading.bpmn): opened by legal staff or a supervisor for a
 * year that has ended; the workers propose every employer's grade, legal staff review the list (a
 * change of a proposal takes a reason and is audited), C-graded employers are told in writing and
 * may object within the period of the legal rule `credit.gradingObjection`; objections are decided by
 * legal staff (upheld: the grade changes; rejected: the reasons), one received after its period is
 * recorded as late and answered by the rule (LATE_OBJECTION_RULE) — never dropped. Then the grades
 * are final and kept in the employer's file with their history.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { errors } from '../errors';
import { recordAudit, type Actor } from '../audit/audit';
import type { Principal } from '../auth/principal';
import { authorize } from '../auth/policy';
import { seesWholeOffice } from '../auth/policy/roles';
import { chinaDate } from '../deadlines/china-time';
import { parseInstant } from '../cases/case-deadlines';
import type { WorkflowEngine } from '../engine/port';
import { calendarDate } from '../http/validate';
import { issueDocument } from '../documents/documents';
import type { LegalRules } from '../config/legal-rules';
import type { Grade, GradeReason } from './grading';
import { GRADING_CRITERIA, GRADING_SOURCE, LATE_OBJECTION_RULE } from './grading-criteria';
import { recordInstanceScope } from '../tasks/instance-scopes';

export const GRADING_PROCESS_ID = 'credit-grading';

export type RunState = 'reviewing' | 'objection' | 'deciding' | 'final';
export const RUN_STATE_LABELS: Record<RunState, string> = { reviewing: '法制审核中', objection: '异议期内', deciding: '异议复核中', final: '评价结果已确定' };
export const OBJECTION_DECISION_LABELS: Record<string, string> = { upheld: '异议成立，变更等级', rejected: '异议不成立，维持等级', late: '逾期提出，不予复核' };

export const gradingErrors = {
  runExists: (year: number) => errors.conflict('GRADING_RUN_EXISTS', `${year}年度的守法诚信等级评价已经开展，不能重复开展。`),
  yearNotEnded: (year: number) => errors.unprocessable('GRADING_YEAR_NOT_ENDED', `${year}年度尚未结束，只能评价已经结束的年度。`),
  notReviewing: () => errors.conflict('GRADING_NOT_IN_REVIEW', '评价结果已审核完毕，不能再调整拟定等级；如有异议，通过异议复核变更。'),
  sameGrade: () => errors.unprocessable('GRADING_SAME_GRADE', '调整后的等级与当前等级相同。'),
  notNotified: () => errors.conflict('GRADING_NOT_OBJECTABLE', '只有已书面告知的C级评价结果可以提出异议。'),
  objectionPending: () => errors.conflict('GRADING_OBJECTION_PENDING', '该用人单位已有尚未复核的异议。'),
  objectionDecided: () => errors.conflict('GRADING_OBJECTION_DECIDED', '该异议已经作出复核决定。'),
  upheldNeedsGrade: () => errors.validation('异议成立的，须写明变更后的等级（A级或B级）。', [{ path: 'body.grade', message: 'required when upheld, A or B' }]),
};

export const startRunSchema = z.object({ year: z.number().int().min(2016).max(2100) }).strict();
export const changeGradeSchema = z.object({ grade: z.enum(['A', 'B', 'C']), reason: z.string().trim().min(1).max(2000) }).strict();
export const objectionSchema = z.object({
  /** The day the office received it at the window (YYYY-MM-DD); today when absent. */
  receivedAt: calendarDate().optional(),
  content: z.string().trim().min(1).max(3000),
}).strict();
export const objectionDecisionSchema = z.object({
  decision: z.enum(['upheld', 'rejected']),
  /** The grade it changes to, when upheld. */
  grade: z.enum(['A', 'B']).optional(),
  reasons: z.string().trim().min(1).max(4000),
}).strict();
export const gradeListQuery = z.strictObject({
  grade: z.enum(['A', 'B', 'C']).optional(),
  gridId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export interface RunRow {
  id: string; office_id: string; year: number | string; state: RunState; process_instance_key: string | null; counts_json: string | null;
  started_by: string; started_at: number | string; notified_at: number | string | null; objection_due_at: number | string | null; finalized_at: number | string | null;
}
export interface GradeRow {
  id: string; office_id: string; employer_id: string; grid_id: string | null; year: number | string; proposed_grade: Grade; final_grade: Grade | null;
  review_grade: Grade | null; reasons_json: string; state: string; run_id: string | null; notice_document_id: string | null; notified_at: number | string | null;
  decided_by: string | null; decided_at: number | string | null;
}
export interface ObjectionRow {
  id: string; grade_id: string; run_id: string; received_at: number | string; due_at: number | string; late: number | string; content: string;
  decision: string | null; new_grade: Grade | null; decision_reasons: string | null; document_id: string | null; decided_by: string | null;
  decided_at: number | string | null; recorded_by: string; created_at: number | string;
}

const num = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));
/** The grade as it stands: final, else as the review or an objection set it, else as proposed. */
export const gradeNow = (g: Pick<GradeRow, 'final_grade' | 'review_grade' | 'proposed_grade'>): Grade => g.final_grade ?? g.review_grade ?? g.proposed_grade;

// ---------------------------------------------------------------- the run

export async function findRun(em: EntityManager, id: string): Promise<RunRow | null> {
  return ((await em.query('SELECT * FROM credit_grading_runs WHERE id = ?', [id])) as RunRow[])[0] ?? null;
}

/** The run, when it is of the principal's office and the principal reads credit lists; otherwise 404/403. */
export async function visibleRun(em: EntityManager, principal: Principal, id: string): Promise<RunRow> {
  authorize(principal, 'creditList.list');
  const run = await findRun(em, id);
  if (!run || run.office_id !== principal.officeId) throw errors.notFound('grading run');
  return run;
}

/** Opens the year's grading for the principal's office and starts its lifecycle, in the caller's transaction. */
export async function startGradingRun(em: EntityManager, engine: WorkflowEngine, principal: Principal, actor: Actor, year: number, now: number): Promise<RunRow> {
  authorize(principal, 'creditList.grade');
  if (year >= Number(chinaDate(now).slice(0, 4))) throw gradingErrors.yearNotEnded(year);
  const existing: unknown[] = await em.query('SELECT 1 AS x FROM credit_grading_runs WHERE office_id = ? AND year = ?', [principal.officeId, year]);
  if (existing.length) throw gradingErrors.runExists(year);
  const id = crypto.randomUUID();
  await em.query(
    "INSERT INTO credit_grading_runs (id, office_id, year, state, process_instance_key, counts_json, started_by, started_at, notified_at, objection_due_at, finalized_at) VALUES (?, ?, ?, 'reviewing', NULL, NULL, ?, ?, NULL, NULL, NULL)",
    [id, principal.officeId, year, principal.username, now]);
  const started = await engine.createInstance({
    bpmnProcessId: GRADING_PROCESS_ID, businessKey: `grading:${id}`,
    variables: { runId: id, officeId: principal.officeId, year, documents: {}, deadlines: {} },
  }, em);
  await em.query('UPDATE credit_grading_runs SET process_instance_key = ? WHERE id = ?', [started.processInstanceKey, id]);
  await recordInstanceScope(em, started.processInstanceKey, { officeId: principal.officeId, gridId: null, kind: 'credit-grading' }, now);
  await recordAudit(em, actor, new Date(now), { action: 'credit.grading.start', entityType: 'credit_grading_run', entityId: id, after: { year } });
  return (await findRun(em, id))!;
}

/** Grades of the run by grade as they stand. */
export async function runCounts(em: EntityManager, runId: string): Promise<Record<Grade, number>> {
  const rows: { g: Grade; n: number | string }[] = await em.query(
    'SELECT COALESCE(final_grade, review_grade, proposed_grade) AS g, COUNT(*) AS n FROM credit_grades WHERE run_id = ? GROUP BY COALESCE(final_grade, review_grade, proposed_grade)', [runId]);
  const out: Record<Grade, number> = { A: 0, B: 0, C: 0 };
  for (const r of rows) out[r.g] = Number(r.n);
  return out;
}

export interface RunView {
  id: string; year: number; state: RunState; stateLabel: string; processInstanceKey: string | null; startedBy: string; startedAt: number;
  notifiedAt: number | null; objectionDueAt: number | null; objectionDueDate: string | null; finalizedAt: number | null;
  counts: Record<Grade, number>; objections: { total: number; open: number; late: number };
  task: { key: string; name: string | null; elementId: string } | null;
}

export async function runView(em: EntityManager, engine: WorkflowEngine, run: RunRow): Promise<RunView> {
  const obj: { total: number | string; open: number | string | null; late: number | string | null }[] = await em.query(
    'SELECT COUNT(*) AS total, SUM(CASE WHEN decision IS NULL THEN 1 ELSE 0 END) AS open, SUM(late) AS late FROM credit_grade_objections WHERE run_id = ?', [run.id]);
  const tasks = run.process_instance_key && run.state !== 'final' ? await engine.listTasks({ processInstanceKey: String(run.process_instance_key), limit: 5 }) : [];
  const t = tasks[0];
  const due = num(run.objection_due_at);
  return {
    id: run.id, year: Number(run.year), state: run.state, stateLabel: RUN_STATE_LABELS[run.state], processInstanceKey: run.process_instance_key,
    startedBy: run.started_by, startedAt: Number(run.started_at), notifiedAt: num(run.notified_at), objectionDueAt: due, objectionDueDate: due === null ? null : chinaDate(due),
    finalizedAt: num(run.finalized_at), counts: await runCounts(em, run.id),
    objections: { total: Number(obj[0]?.total ?? 0), open: Number(obj[0]?.open ?? 0), late: Number(obj[0]?.late ?? 0) },
    task: t ? { key: t.key, name: t.name ?? null, elementId: t.elementId } : null,
  };
}

export async function listRuns(em: EntityManager, principal: Principal): Promise<RunRow[]> {
  authorize(principal, 'creditList.list');
  return em.query('SELECT * FROM credit_grading_runs WHERE office_id = ? ORDER BY year DESC', [principal.officeId]);
}

// ---------------------------------------------------------------- grades

export interface GradeView {
  id: string; runId: string | null; year: number; employerId: string; employerName: string; gridId: string | null; gridName: string | null;
  proposedGrade: Grade; grade: Grade; final: boolean; reasons: (GradeReason & { criterionLabel: string })[];
  notice: { id: string; number: string } | null; notifiedAt: number | null;
  changes: { kind: string; fromGrade: Grade; toGrade: Grade; reason: string; changedBy: string; changedByName: string; changedAt: number }[];
  objections: ObjectionView[];
}
export interface ObjectionView {
  id: string; receivedAt: number; dueAt: number; late: boolean; content: string; decision: string | null; decisionLabel: string | null;
  newGrade: Grade | null; decisionReasons: string | null; document: { id: string; number: string } | null; decidedBy: string | null; decidedAt: number | null;
  decidedByName?: string | null;
}

const objectionView = (o: ObjectionRow, docs: Map<string, string>): ObjectionView => ({
  id: o.id, receivedAt: Number(o.received_at), dueAt: Number(o.due_at), late: Number(o.late) === 1, content: o.content, decision: o.decision,
  decisionLabel: o.decision ? OBJECTION_DECISION_LABELS[o.decision] ?? null : null, newGrade: o.new_grade, decisionReasons: o.decision_reasons,
  document: o.document_id ? { id: o.document_id, number: docs.get(o.document_id) ?? '' } : null, decidedBy: o.decided_by, decidedAt: num(o.decided_at),
});

/** Grades with their employer, grid, notice, changes and objections: a page of a run, or an employer's history. */
async function gradeViews(em: EntityManager, rows: (GradeRow & { employer_name: string; grid_name: string | null })[]): Promise<GradeView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const marks = ids.map(() => '?').join(', ');
  const changes: { grade_id: string; kind: string; from_grade: Grade; to_grade: Grade; reason: string; changed_by: string; changed_at: number | string }[] = await em.query(
    `SELECT grade_id, kind, from_grade, to_grade, reason, changed_by, changed_at FROM credit_grade_changes WHERE grade_id IN (${marks}) ORDER BY changed_at`, ids);
  const objections: ObjectionRow[] = await em.query(`SELECT * FROM credit_grade_objections WHERE grade_id IN (${marks}) ORDER BY received_at`, ids);
  const docIds = [...rows.map((r) => r.notice_document_id), ...objections.map((o) => o.document_id)].filter((x): x is string => !!x);
  const docs = new Map<string, string>();
  if (docIds.length) {
    for (const d of (await em.query(`SELECT id, number FROM documents WHERE id IN (${docIds.map(() => '?').join(', ')})`, docIds)) as { id: string; number: string }[]) docs.set(d.id, d.number);
  }
  // People by the names the office knows them by, never their login names.
  const usernames = [...new Set([...changes.map((c) => c.changed_by), ...objections.map((o) => o.decided_by)].filter((x): x is string => !!x))];
  const names = new Map<string, string>();
  if (usernames.length) {
    for (const u of (await em.query(`SELECT username, display_name FROM users WHERE username IN (${usernames.map(() => '?').join(', ')})`, usernames)) as { username: string; display_name: string }[]) names.set(u.username, u.display_name);
  }
  const nameOf = (u: string | null) => (u ? names.get(u) ?? '系统' : null);
  return rows.map((r) => ({
    id: r.id, runId: r.run_id, year: Number(r.year), employerId: r.employer_id, employerName: r.employer_name, gridId: r.grid_id, gridName: r.grid_name,
    proposedGrade: r.proposed_grade, grade: gradeNow(r), final: r.state === 'final',
    reasons: (JSON.parse(r.reasons_json) as GradeReason[]).map((x) => ({ ...x, criterionLabel: GRADING_CRITERIA[x.criterion]?.label ?? '' })),
    notice: r.notice_document_id ? { id: r.notice_document_id, number: docs.get(r.notice_document_id) ?? '' } : null, notifiedAt: num(r.notified_at),
    changes: changes.filter((c) => c.grade_id === r.id).map((c) => ({ kind: c.kind, fromGrade: c.from_grade, toGrade: c.to_grade, reason: c.reason, changedBy: c.changed_by, changedByName: nameOf(c.changed_by)!, changedAt: Number(c.changed_at) })),
    objections: objections.filter((o) => o.grade_id === r.id).map((o) => ({ ...objectionView(o, docs), decidedByName: nameOf(o.decided_by) })),
  }));
}

const GRADE_SELECT = 'SELECT g.*, e.name AS employer_name, gr.name AS grid_name FROM credit_grades g JOIN employers e ON e.id = g.employer_id LEFT JOIN grids gr ON gr.id = g.grid_id';

/** A page of the run's grades the principal sees (their grids, or the whole office), filtered by grade and grid; C first. */
export async function searchGrades(em: EntityManager, principal: Principal, run: RunRow, q: z.output<typeof gradeListQuery>): Promise<{ items: GradeView[]; total: number }> {
  const where: string[] = ['g.run_id = ?'];
  const params: unknown[] = [run.id];
  if (!seesWholeOffice(principal)) {
    if (!principal.visibleGridIds.length) return { items: [], total: 0 };
    where.push(`g.grid_id IN (${principal.visibleGridIds.map(() => '?').join(', ')})`);
    params.push(...principal.visibleGridIds);
  }
  if (q.grade) {
    where.push('COALESCE(g.final_grade, g.review_grade, g.proposed_grade) = ?');
    params.push(q.grade);
  }
  if (q.gridId) {
    where.push('g.grid_id = ?');
    params.push(q.gridId);
  }
  const total = Number(((await em.query(`SELECT COUNT(*) AS n FROM credit_grades g WHERE ${where.join(' AND ')}`, params)) as { n: number | string }[])[0].n);
  const rows = await em.query(
    `${GRADE_SELECT} WHERE ${where.join(' AND ')} ORDER BY COALESCE(g.final_grade, g.review_grade, g.proposed_grade) DESC, e.name, g.id LIMIT ${q.limit} OFFSET ${q.offset}`, params);
  return { items: await gradeViews(em, rows), total };
}

/** The grade row, when the principal sees its employer's grid; `action` is the policy asked of it. */
async function gradeFor(em: EntityManager, principal: Principal, id: string, action: 'credit.read' | 'credit.record' | 'credit.decide'): Promise<GradeRow> {
  const g = ((await em.query('SELECT * FROM credit_grades WHERE id = ?', [id])) as GradeRow[])[0];
  // Not found answers as a grade outside the user's grids does (authorize: "No such credit.").
  if (!g) throw errors.notFound('credit');
  authorize(principal, action, { officeId: g.office_id, gridId: g.grid_id });
  return g;
}

export async function gradeView(em: EntityManager, principal: Principal, id: string): Promise<GradeView> {
  await gradeFor(em, principal, id, 'credit.read');
  return (await gradeViews(em, await em.query(`${GRADE_SELECT} WHERE g.id = ?`, [id])))[0];
}

/** An employer's grades over the years, newest first, with their history: its credit file (诚信档案). */
export async function employerGrades(em: EntityManager, principal: Principal, employerId: string): Promise<{ employerId: string; current: { grade: Grade; year: number } | null; grades: GradeView[] }> {
  const rows: { office_id: string; grid_id: string | null }[] = await em.query('SELECT office_id, grid_id FROM employers WHERE id = ?', [employerId]);
  if (!rows[0]) throw errors.notFound('credit');
  authorize(principal, 'credit.read', { officeId: rows[0].office_id, gridId: rows[0].grid_id });
  const grades = await gradeViews(em, await em.query(`${GRADE_SELECT} WHERE g.employer_id = ? ORDER BY g.year DESC`, [employerId]));
  const final = grades.find((g) => g.final);
  return { employerId, current: final ? { grade: final.grade, year: final.year } : null, grades };
}

/** A reviewer changes a proposed grade, with the reason, while the run is in review. */
export async function changeGrade(em: EntityManager, principal: Principal, actor: Actor, id: string, input: z.output<typeof changeGradeSchema>, now: number): Promise<void> {
  const g = await gradeFor(em, principal, id, 'credit.decide');
  const run = g.run_id ? await findRun(em, g.run_id) : null;
  if (!run || run.state !== 'reviewing') throw gradingErrors.notReviewing();
  const from = gradeNow(g);
  if (from === input.grade) throw gradingErrors.sameGrade();
  await em.query('UPDATE credit_grades SET review_grade = ? WHERE id = ?', [input.grade, id]);
  await em.query(
    "INSERT INTO credit_grade_changes (id, grade_id, kind, from_grade, to_grade, reason, objection_id, changed_by, changed_at) VALUES (?, ?, 'review', ?, ?, ?, NULL, ?, ?)",
    [crypto.randomUUID(), id, from, input.grade, input.reason, principal.username, now]);
  await recordAudit(em, actor, new Date(now), { action: 'credit.grade.change', entityType: 'credit_grade', entityId: id, before: { grade: from }, after: { grade: input.grade, reason: input.reason } });
}

// ---------------------------------------------------------------- objections

async function employerParty(em: EntityManager, employerId: string) {
  const e = ((await em.query('SELECT name, address, credit_code, legal_representative FROM employers WHERE id = ?', [employerId])) as Record<string, string | null>[])[0];
  const party: Record<string, string> = { name: String(e.name) };
  if (e.address) party.address = e.address;
  if (e.credit_code) party.creditCode = e.credit_code;
  if (e.legal_representative) party.legalRepresentative = e.legal_representative;
  return party;
}

async function issueObjectionDecision(em: EntityManager, g: GradeRow, o: ObjectionRow, d: { decision: string; newGrade: Grade; reasons: string }, issuedBy: string, now: number) {
  const notice = ((await em.query('SELECT number FROM documents WHERE id = ?', [g.notice_document_id])) as { number: string }[])[0];
  return issueDocument(em, {
    officeId: g.office_id, caseId: null, gridId: g.grid_id, typeId: 'credit-grade-objection-decision', issuedBy, issuedAt: now, idempotencyKey: `grade-objection:${o.id}`,
    data: {
      party: await employerParty(em, g.employer_id), year: Number(g.year), noticeNumber: notice?.number ?? '', receivedDate: chinaDate(Number(o.received_at)),
      objection: o.content.slice(0, 3000), upheld: d.decision === 'upheld', late: d.decision === 'late', originalGrade: gradeNow(g), resultGrade: d.newGrade, reasons: d.reasons,
    },
  });
}

/**
 * Records an objection handed in at the window. In time it waits for legal staff's decision; after
 * the period it is recorded as late and answered at once by the rule, with the decision document.
 */
export async function recordObjection(em: EntityManager, principal: Principal, actor: Actor, gradeId: string, input: z.output<typeof objectionSchema>, now: number): Promise<ObjectionRow> {
  const g = await gradeFor(em, principal, gradeId, 'credit.record');
  const run = g.run_id ? await findRun(em, g.run_id) : null;
  if (!run || !g.notice_document_id || run.objection_due_at === null) throw gradingErrors.notNotified();
  const open: unknown[] = await em.query('SELECT 1 AS x FROM credit_grade_objections WHERE grade_id = ? AND decision IS NULL', [gradeId]);
  if (open.length) throw gradingErrors.objectionPending();
  if (input.receivedAt && input.receivedAt > chinaDate(now)) throw errors.validation('收到日期不能晚于今天', [{ path: 'body.receivedAt', message: 'not after today' }]);
  const receivedAt = input.receivedAt ? Math.min(parseInstant(input.receivedAt)!, now) : now;
  const dueAt = Number(run.objection_due_at);
  const late = receivedAt > dueAt;
  const id = crypto.randomUUID();
  const row: ObjectionRow = {
    id, grade_id: gradeId, run_id: run.id, received_at: receivedAt, due_at: dueAt, late: late ? 1 : 0, content: input.content, decision: null, new_grade: null,
    decision_reasons: null, document_id: null, decided_by: null, decided_at: null, recorded_by: principal.username, created_at: now,
  };
  await em.query(
    `INSERT INTO credit_grade_objections (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row).map(() => '?').join(', ')})`, Object.values(row));
  await recordAudit(em, actor, new Date(now), { action: 'credit.grade.objection', entityType: 'credit_grade', entityId: gradeId, after: { objectionId: id, late, receivedAt } });
  if (late) {
    const doc = await issueObjectionDecision(em, g, row, { decision: 'late', newGrade: gradeNow(g), reasons: LATE_OBJECTION_RULE }, principal.username, now);
    await em.query("UPDATE credit_grade_objections SET decision = 'late', decision_reasons = ?, document_id = ?, decided_by = ?, decided_at = ? WHERE id = ?",
      [LATE_OBJECTION_RULE, doc.id, principal.username, now, id]);
  }
  return ((await em.query('SELECT * FROM credit_grade_objections WHERE id = ?', [id])) as ObjectionRow[])[0];
}

/** Legal staff decide an objection made in time: upheld changes the grade (final ones too), rejected gives the reasons; the decision document is issued. */
export async function decideObjection(em: EntityManager, principal: Principal, actor: Actor, objectionId: string, input: z.output<typeof objectionDecisionSchema>, now: number): Promise<ObjectionRow> {
  const o = ((await em.query('SELECT * FROM credit_grade_objections WHERE id = ?', [objectionId])) as ObjectionRow[])[0];
  if (!o) throw errors.notFound('credit');
  const g = await gradeFor(em, principal, o.grade_id, 'credit.decide');
  if (o.decision) throw gradingErrors.objectionDecided();
  if (input.decision === 'upheld' && !input.grade) throw gradingErrors.upheldNeedsGrade();
  const from = gradeNow(g);
  if (input.decision === 'upheld' && input.grade === from) throw gradingErrors.sameGrade();
  const newGrade = input.decision === 'upheld' ? input.grade! : from;
  const doc = await issueObjectionDecision(em, g, o, { decision: input.decision, newGrade, reasons: input.reasons }, principal.username, now);
  await em.query('UPDATE credit_grade_objections SET decision = ?, new_grade = ?, decision_reasons = ?, document_id = ?, decided_by = ?, decided_at = ? WHERE id = ?',
    [input.decision, input.decision === 'upheld' ? newGrade : null, input.reasons, doc.id, principal.username, now, objectionId]);
  if (input.decision === 'upheld') {
    await em.query(`UPDATE credit_grades SET review_grade = ?${g.state === 'final' ? ', final_grade = ?' : ''} WHERE id = ?`, g.state === 'final' ? [newGrade, newGrade, g.id] : [newGrade, g.id]);
    await em.query(
      "INSERT INTO credit_grade_changes (id, grade_id, kind, from_grade, to_grade, reason, objection_id, changed_by, changed_at) VALUES (?, ?, 'objection', ?, ?, ?, ?, ?, ?)",
      [crypto.randomUUID(), g.id, from, newGrade, input.reasons, objectionId, principal.username, now]);
  }
  await recordAudit(em, actor, new Date(now), {
    action: 'credit.grade.objection-decision', entityType: 'credit_grade', entityId: g.id, before: { grade: from }, after: { objectionId, decision: input.decision, grade: newGrade },
  });
  return ((await em.query('SELECT * FROM credit_grade_objections WHERE id = ?', [objectionId])) as ObjectionRow[])[0];
}

// ---------------------------------------------------------------- steps of the lifecycle (workers)

/** The data of a C grade's notice (评价结果告知书): the employer on file, the criteria met with their records, the objection period. */
export async function noticeData(em: EntityManager, rules: LegalRules, g: GradeRow, objectionDueDate: string, officeName: string): Promise<Record<string, unknown>> {
  const reasons = (JSON.parse(g.reasons_json) as GradeReason[]).filter((r) => GRADING_CRITERIA[r.criterion]?.grade === 'C');
  const changes: { reason: string; to_grade: string }[] = await em.query("SELECT reason, to_grade FROM credit_grade_changes WHERE grade_id = ? AND kind = 'review' ORDER BY changed_at", [g.id]);
  const lines: { criterion: string; record: string }[] = reasons.map((r) => ({ criterion: GRADING_CRITERIA[r.criterion].label, record: r.text.slice(0, 1000) }));
  // A C set at review is justified by the reviewer's reason.
  for (const c of changes.filter((x) => x.to_grade === 'C')) lines.push({ criterion: '经法制审核认定', record: c.reason.slice(0, 1000) });
  return {
    party: await employerParty(em, g.employer_id), year: Number(g.year), grade: gradeNow(g), basis: GRADING_SOURCE,
    reasons: lines.length ? lines.slice(0, 200) : [{ criterion: '经法制审核认定', record: '见评价记录' }],
    objectionDays: rules['credit.gradingObjection'].value, objectionDueDate, lateRule: LATE_OBJECTION_RULE, address: officeName,
  };
}

