/**
 * A second office beside the demo one (郑州市金水区劳动保障监察大队, grid 文化路街道 WH with the
 * community WH-01), with its own staff and records, for tests that prove offices do not see each
 * other's work. Staff, grids and the employer are written as the seed writes them; the case and the
 * warning are opened through the API and the engine, as users open them; the records whose
 * procedures would take weeks of the clock (listing, grading, written review, draw, publication) are
 * written as their services write them.
 */
import crypto from 'node:crypto';
import { hashPassword } from '../../src/auth/passwords';
import { makeCreditCode } from '../../src/cases/credit-code';
import { DEMO_PASSWORD } from '../../src/demo/seed';
import { inTransaction } from '../../src/db/data-source';
import { Employer, Grid, Office, Role, User, UserGrid, UserRole } from '../../src/db/entities';
import type { TestApp } from './app';
import { complaintBody, type Lifecycle } from './lifecycle';

/** The second office's users, one per role, all with the demo password. */
export const SECOND_OFFICE_USERS = {
  intake: 'js.intake',
  handler: 'js.handler',
  legal: 'js.legal',
  supervisor: 'js.supervisor',
  admin: 'js.admin',
} as const;

export interface SecondOffice {
  officeId: string;
  streetGridId: string;
  gridId: string;
  gridCode: string;
  userIds: Record<keyof typeof SECOND_OFFICE_USERS, string>;
  employerId: string;
  employerName: string;
  creditCode: string;
  /** A filed case in investigation, its running instance and its open task. */
  caseId: string;
  caseNumber: string;
  taskKey: string;
  processInstanceKey: string;
  /** A document of the case, and one without a case that concerns the employer's grid. */
  caseDocumentId: string;
  officeDocumentId: string;
  serviceId: string;
  /** A warning reported for the employer: a process without a case, with its scope and an open task. */
  warningId: string;
  warningInstanceKey: string;
  warningTaskKey: string;
  /** A stopped step of the warning's process. */
  incidentKey: string;
  patrolId: string;
  listingId: string;
  gradingRunId: string;
  gradeId: string;
  objectionId: string;
  reviewId: string;
  reviewEmployerId: string;
  drawId: string;
  publicationId: string;
  inspectionItemId: string;
}

const uuid = () => crypto.randomUUID();

async function one<T>(t: TestApp, sql: string, params: unknown[] = []): Promise<T> {
  const rows = (await t.db.ds.query(sql, params)) as T[];
  if (!rows[0]) throw new Error(`second office fixture: nothing for ${sql}`);
  return rows[0];
}

/** Office, grids, staff and employer, as the demo seed writes its own. */
/** The second office with its grid, staff and an employer, without records: for tests that need only its people. */
export async function createOffice(t: TestApp): Promise<Pick<SecondOffice, 'officeId' | 'streetGridId' | 'gridId' | 'gridCode' | 'userIds' | 'employerId' | 'employerName' | 'creditCode'>> {
  const now = t.clock.now().getTime();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const officeId = uuid();
  const streetGridId = uuid();
  const gridId = uuid();
  const employerId = uuid();
  const employerName = '郑州金盛商贸有限公司';
  const creditCode = makeCreditCode('91410105MA9876543');
  const userIds = {} as Record<keyof typeof SECOND_OFFICE_USERS, string>;
  await inTransaction(t.db.ds, async (em) => {
    await em.insert(Office, { id: officeId, code: 'ZZ-JS', name: '郑州市金水区劳动保障监察大队', docPrefix: '金人社监', createdAt: now });
    await em.insert(Grid, { id: streetGridId, officeId, parentId: null, level: 1, code: 'WH', name: '文化路街道', createdAt: now });
    await em.insert(Grid, { id: gridId, officeId, parentId: streetGridId, level: 2, code: 'WH-01', name: '文化路社区', createdAt: now });
    for (const [role, username] of Object.entries(SECOND_OFFICE_USERS) as [Role & keyof typeof SECOND_OFFICE_USERS, string][]) {
      const id = uuid();
      userIds[role] = id;
      await em.insert(User, { id, officeId, username, displayName: `金水 ${role}`, passwordHash, active: true, createdAt: now, updatedAt: now });
      await em.insert(UserRole, { userId: id, role });
      if (role === 'handler') await em.insert(UserGrid, { userId: id, gridId: streetGridId });
    }
    await em.insert(Employer, {
      id: employerId, officeId, gridId, name: employerName, creditCode, address: '郑州市金水区文化路 8 号', legalRepresentative: '孙金盛',
      phone: null, headcount: 30, createdAt: now, updatedAt: now,
    });
  });
  return { officeId, streetGridId, gridId, gridCode: 'WH-01', userIds, employerId, employerName, creditCode };
}

/**
 * Builds the second office and its records. Call after the app started (the demo office exists) and
 * do not settle the lifecycle afterwards: the fixture ends with an active incident, which settling reports
 * as a failure. The result names every record.
 */
export async function createSecondOffice(t: TestApp, life: Lifecycle): Promise<SecondOffice> {
  const base = await createOffice(t);
  const { officeId, gridId, employerId } = base;
  const U = SECOND_OFFICE_USERS;

  // The case: registered at the office's window, filed and in investigation with its handler.
  const intake = await t.login(U.intake);
  const reg = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId } }));
  if (reg.status !== 201) throw new Error(`second office complaint: ${reg.status} ${JSON.stringify(reg.body)}`);
  const { caseId, caseNumber } = reg.body as { caseId: string; caseNumber: string };
  await life.settle();
  await life.complete(caseId, 'Task_Triage', { route: 'inspection', triageOpinion: '属于监察事项' }, U.intake);
  await life.complete(caseId, 'Task_ApproveFiling', { handlerOpinion: '建议立案', filingApproved: true, filingOpinion: '同意立案' }, U.supervisor);
  await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: U.handler, secondInspector: U.handler, recusalStatus: 'none' }, U.supervisor);
  const task = await life.task(caseId, 'Task_Investigate');
  const pi = await one<{ pik: string | number }>(t, 'SELECT process_instance_id AS pik FROM engine_user_tasks WHERE id = ?', [Number(task.key)]);

  // Its filing document, served; and a copy of it without a case, as a patrol's order concerning the grid is kept.
  const doc = await one<Record<string, unknown>>(t, 'SELECT * FROM documents WHERE case_id = ? ORDER BY issued_at LIMIT 1', [caseId]);
  const handler = await t.login(U.handler);
  const served = await handler.post(`/api/documents/${String(doc.id)}/service`).send({ method: 'direct', servedAt: t.clock.now().toISOString(), receiver: '孙金盛（法定代表人）' });
  if (served.status !== 201) throw new Error(`second office service: ${served.status} ${JSON.stringify(served.body)}`);
  const officeDocumentId = uuid();
  const copy: Record<string, unknown> = { ...doc, id: officeDocumentId, case_id: null, grid_id: gridId, number: `${String(doc.number)}-副`, sequence: Number(doc.sequence) + 9000, idempotency_key: null, process_instance_key: null };
  const cols = Object.keys(copy);
  await t.db.ds.query(`INSERT INTO documents (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => copy[c]));

  // A warning reported by the grid's handler (or the one the complaint already raised, which the report joins):
  // a process without a case, recorded with its office and grid.
  const warned = await handler.post('/api/prevention/warnings/reports').send({ employerId, summary: '工资推迟发放' });
  if (warned.status !== 201 && warned.status !== 200) throw new Error(`second office warning: ${warned.status} ${JSON.stringify(warned.body)}`);
  await life.settle();
  const warningId = String(warned.body.id);
  const warning = await one<{ pik: string | number }>(t, 'SELECT process_instance_key AS pik FROM warnings WHERE id = ?', [warningId]);
  const warningInstanceKey = String(warning.pik);
  const wTask = await one<{ id: string | number }>(t, "SELECT id FROM engine_user_tasks WHERE process_instance_id = ? AND state = 'created' ORDER BY id LIMIT 1", [warningInstanceKey]);
  const now = t.clock.now().getTime();

  // The prevention and credit records, as their services write them.
  const patrolId = uuid();
  await t.db.ds.query("INSERT INTO patrols (id, office_id, grid_id, employer_id, plan_id, period, state, due_at, created_at) VALUES (?, ?, ?, ?, NULL, '2026-12', 'planned', ?, ?)",
    [patrolId, officeId, gridId, employerId, now, now]);
  const listingId = uuid();
  await t.db.ds.query(
    `INSERT INTO credit_listings (id, office_id, employer_id, case_id, grid_id, state, ground, ground_text, responsible_json, amount_owed, workers_owed,
      payment_deadline_at, process_instance_key, proposed_by, proposed_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'proposed', 'mass-incident', '引发群体性事件', '[{"name":"孙金盛","position":"法定代表人"}]', 3600000, 12, ?, NULL, ?, ?, ?, ?)`,
    [listingId, officeId, employerId, caseId, gridId, now, U.handler, now, now, now]);
  const gradingRunId = uuid();
  const gradeId = uuid();
  const objectionId = uuid();
  await t.db.ds.query("INSERT INTO credit_grading_runs (id, office_id, year, state, process_instance_key, counts_json, started_by, started_at, notified_at, objection_due_at, finalized_at) VALUES (?, ?, 2025, 'objection', NULL, NULL, ?, ?, ?, ?, NULL)",
    [gradingRunId, officeId, U.legal, now, now, now + 864_000_000]);
  await t.db.ds.query(`INSERT INTO credit_grades (id, office_id, employer_id, grid_id, year, proposed_grade, final_grade, reasons_json, state, decided_by, decided_at, created_at, run_id, review_grade, notice_document_id, notified_at)
     VALUES (?, ?, ?, ?, 2025, 'C', NULL, '[]', 'proposed', NULL, NULL, ?, ?, NULL, ?, ?)`, [gradeId, officeId, employerId, gridId, now, gradingRunId, String(doc.id), now]);
  await t.db.ds.query(`INSERT INTO credit_grade_objections (id, grade_id, run_id, received_at, due_at, late, content, decision, new_grade, decision_reasons, document_id, decided_by, decided_at, recorded_by, created_at)
     VALUES (?, ?, ?, ?, ?, 0, '不服', NULL, NULL, NULL, NULL, NULL, NULL, ?, ?)`, [objectionId, gradeId, gradingRunId, now, now + 864_000_000, U.handler, now]);
  const reviewId = uuid();
  const reviewEmployerId = uuid();
  await t.db.ds.query(`INSERT INTO written_reviews (id, office_id, year, title, scope_json, state, employers_total, enrolled, opened_by, opened_at, created_at, updated_at)
     VALUES (?, ?, 2026, '2026年度劳动保障书面审查（金水）', '{}', 'open', 1, 1, ?, ?, ?, ?)`, [reviewId, officeId, U.supervisor, now, now, now]);
  await t.db.ds.query(`INSERT INTO written_review_employers (id, review_id, office_id, employer_id, grid_id, state, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'notified', ?, ?)`, [reviewEmployerId, reviewId, officeId, employerId, gridId, now, now]);
  const inspectionItemId = uuid();
  await t.db.ds.query("INSERT INTO inspection_items (id, office_id, name, basis, active, updated_by, created_at, updated_at) VALUES (?, ?, '工资支付情况', '《保障农民工工资支付条例》', 1, ?, ?, ?)",
    [inspectionItemId, officeId, U.legal, now, now]);
  const drawId = uuid();
  await t.db.ds.query(`INSERT INTO random_draws (id, office_id, title, seed, params_json, inputs_json, inputs_sha256, result_json, result_sha256, employer_count, inspector_count, drawn_count, drawn_by, drawn_at)
     VALUES (?, ?, '2026年第四季度双随机抽查（金水）', ?, '{}', '{}', ?, '[]', ?, 1, 1, 1, ?, ?)`, [drawId, officeId, 'a'.repeat(64), '0'.repeat(64), '0'.repeat(64), U.supervisor, now]);
  await t.db.ds.query(`INSERT INTO random_draw_results (id, draw_id, position, employer_id, grid_id, inspector1_id, inspector2_id, case_id, outcome, outcome_note, ended_on, recorded_by, recorded_at)
     VALUES (?, ?, 1, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL)`, [uuid(), drawId, employerId, gridId, base.userIds.handler, base.userIds.handler]);
  const publicationId = uuid();
  await t.db.ds.query("INSERT INTO violation_publications (id, office_id, period, state, proposed_by, proposed_at, confirmed_by, confirmed_at, document_id) VALUES (?, ?, '2026-Q3', 'proposed', ?, ?, NULL, NULL, NULL)",
    [publicationId, officeId, U.legal, now]);
  await t.db.ds.query(`INSERT INTO violation_publication_entries (id, publication_id, position, employer_id, case_id, criterion, employer_name, credit_code, legal_representative, facts, handling, included)
     VALUES (?, ?, 1, ?, ?, 'arrears-large', ?, ?, '孙金盛', '拖欠工资', '责令改正', 1)`, [uuid(), publicationId, employerId, caseId, base.employerName, base.creditCode]);
  await life.settle();

  // Last, as the lifecycle's settling refuses to go on past an incident: a stopped step of the warning's process, as the engine records one whose job ran out of retries.
  const element = await one<{ id: string | number; element_id: string; bpmn_process_id: string }>(t,
    'SELECT ei.id, ei.element_id, pi.bpmn_process_id FROM engine_element_instances ei JOIN engine_process_instances pi ON pi.id = ei.process_instance_id WHERE ei.process_instance_id = ? ORDER BY ei.id DESC LIMIT 1',
    [warningInstanceKey]);
  await t.db.ds.query(`INSERT INTO engine_incidents (root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, job_id, error_type, error_message, phase, state, created_at, resolved_at)
    VALUES (?, ?, ?, ?, ?, NULL, 'JOB_NO_RETRIES', '通知发送失败', 'job', 'active', ?, NULL)`,
  [warningInstanceKey, warningInstanceKey, String(element.id), element.element_id, element.bpmn_process_id, now]);
  const incident = await one<{ id: string | number }>(t, 'SELECT id FROM engine_incidents WHERE process_instance_id = ? ORDER BY id DESC LIMIT 1', [warningInstanceKey]);


  return {
    ...base, caseId, caseNumber, taskKey: task.key, processInstanceKey: String(pi.pik), caseDocumentId: String(doc.id), officeDocumentId,
    serviceId: String(served.body.id), warningId, warningInstanceKey, warningTaskKey: String(wTask.id), incidentKey: String(incident.id), patrolId,
    listingId, gradingRunId, gradeId, objectionId, reviewId, reviewEmployerId, drawId, publicationId, inspectionItemId,
  };
}
