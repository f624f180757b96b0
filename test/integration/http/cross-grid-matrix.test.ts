/**
 * Grids as a trust boundary: a handler of another grid must not read, change or even detect the
 * records of handler1's grid, through any route that names them. Every record type (case, task,
 * document, service proof, mail, employer, message correlation, process instance) is probed on every
 * route that takes it, as handler2 (人民路街道), against a record of handler1's grid (解放路街道 JF-01):
 *
 * - the answer is 404 NOT_FOUND, exactly as for an id that does not exist (same status, same code,
 *   same message but for the id), so existence does not leak;
 * - routes the handler role may not use at all answer 403 FORBIDDEN, and just as for a forged id;
 * - lists leave the record out, while handler1 (whose grid it is) gets it: the positive control
 *   proves that the route and the fixture are right, so an empty answer means hiding and not a typo;
 * - nothing is written: the row count of every table is unchanged.
 *
 * Then the cross-grid writes that go through a record of one's own: a credit code on file in another
 * grid, a supervisor assigning a task to a handler of another grid, and handler1 completing his own
 * task while naming handler2's case in the variables.
 */
import request from 'supertest';
import { inTransaction } from '../../../src/db/data-source';
import { queueMail } from '../../../src/mail';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { countRows, listTables, untilAtRest } from '../../support/db-state';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

jest.setTimeout(300_000);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
type Agent = ReturnType<typeof request.agent>;

interface Fixtures {
  /** handler1's case (JF-01), filed and waiting in Task_Investigate. */
  caseId: string;
  caseNumber: string;
  taskKey: string;
  /** The case's process instances, the one Task_Investigate runs in first. */
  processInstanceKey: string;
  /** A document of the case, with a service record that carries a proof file. */
  documentId: string;
  serviceId: string;
  mailId: string;
  /** The employer of the case (JF-01) and its credit code. */
  employerId: string;
  /** A proposed listing of that employer on the wage-arrears joint-discipline list, from the case. */
  listingId: string;
  /** The year's written review, and the JF-01 employer's place in it (notified, awaiting its submission). */
  reviewId: string;
  reviewEmployerId: string;
  employerName: string;
  creditCode: string;
  jfGridId: string;
  /** handler2's own grid and user, and a case of that grid. */
  rmGridId: string;
  handler2Id: string;
  rmCaseId: string;
  rmCaseNumber: string;
  rmEmployerId: string;
}

type RecordType = 'written review' | 'credit listing' | 'case' | 'task' | 'document' | 'mail' | 'employer' | 'message' | 'process instance';

interface Probe {
  record: RecordType;
  route: string;
  method: Method;
  path: (f: Fixtures) => string;
  body?: (f: Fixtures) => object;
  /** The same request with the record's id replaced by one that does not exist (in the path, or in the body). */
  forged?: (f: Fixtures) => string;
  forgedBody?: (f: Fixtures) => object;
  /** The refusal handler2 gets (one of these). */
  expect?: Outcome[];
  /** For lists: the ids in the answer, and the id of handler1's record that must not be among them. */
  list?: { ids: (body: unknown) => string[]; hidden: (f: Fixtures) => string };
  /** A read handler1 may make: he gets this status (lists: he sees the record). */
  ownerStatus?: number;
}

interface Outcome { status: number; code: string }
const NOT_FOUND: Outcome[] = [{ status: 404, code: 'NOT_FOUND' }];
/**
 * Routes the handler role may not use at all (supervise, assign, requeue, the staff-only process
 * routes): a refusal by role tells nothing about the record, so 403 is as good as 404 here, provided
 * that a forged id gets the very same answer (checked for every probe with `forged`).
 */
const ROLE_FORBIDDEN: Outcome[] = [{ status: 403, code: 'FORBIDDEN' }, { status: 404, code: 'NOT_FOUND' }];
const FORGED_UUID = '3f0c9a52-5a4b-4c4e-9a31-0d8b1c7e2f10';
/** The JF-01 employer's grade of a grading run in its objection period, with an objection waiting for its decision. */
const GRADING_RUN_ID = '9d405162-7e8f-4091-8cb3-c4d5e6f70819';
const GRADE_ID = 'ae516273-8f90-41a2-9dc4-d5e6f708192a';
const GRADE_OBJECTION_ID = 'bf627384-90a1-42b3-aed5-e6f708192a3b';
/** A patrol of the JF-01 employer with one photo. */
const PATROL_ID = 'c0738495-a1b2-43c4-8fe6-f708192a3b4c';
const PATROL_PHOTO_ID = 'd18495a6-b2c3-44d5-90f7-08192a3b4c5d';
const FORGED_KEY = '9007199254740000';
/** The start of a one-page PDF, as a proof of service. */
const PDF_PROOF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n').toString('base64');
/** A 1×1 PNG, as a patrol photo. */
const PNG_PHOTO = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const items = (body: unknown) => ((body as { items?: unknown[] }).items ?? []) as Record<string, unknown>[];
const itemIds = (key: string) => (body: unknown) => items(body).map((i) => String(i[key]));
const materialsCompleted = (f: Fixtures, employerId: string) => ({
  name: 'materials-completed', correlationKey: f.rmCaseNumber, timeToLive: 0,
  variables: { materialsCompletedAt: new Date().toISOString(), complaint: { employer: { employerId } } },
});
const investigationVariables = (extra: { [k: string]: unknown } = {}) => ({
  findings: '经查，该公司拖欠 12 名工人工资 36000 元。', evidence: '工资表、考勤记录', investigationOutcome: 'order-to-correct',
  correctionDays: 10, correctionRequirements: '十日内支付拖欠工资', workersOwed: 12, amountOwed: 36000, monthsOwed: 3, ...extra,
});

const PROBES: Probe[] = [
  // Case
  { record: 'case', route: 'GET /api/cases/:id', method: 'GET', path: (f) => `/api/cases/${f.caseId}`, forged: () => `/api/cases/${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'case', route: 'GET /api/cases/:id/processes', method: 'GET', path: (f) => `/api/cases/${f.caseId}/processes`, forged: () => `/api/cases/${FORGED_UUID}/processes`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'case', route: 'GET /api/cases/:id/awaiting-answers', method: 'GET', path: (f) => `/api/cases/${f.caseId}/awaiting-answers`, forged: () => `/api/cases/${FORGED_UUID}/awaiting-answers`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'case', route: 'GET /api/cases/:id/incidents', method: 'GET', path: (f) => `/api/cases/${f.caseId}/incidents`, forged: () => `/api/cases/${FORGED_UUID}/incidents`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'case', route: 'GET /api/cases/:id/instance-repair', method: 'GET', path: (f) => `/api/cases/${f.caseId}/instance-repair`, forged: () => `/api/cases/${FORGED_UUID}/instance-repair`, expect: NOT_FOUND },
  { record: 'case', route: 'POST /api/cases/:id/instance-repair', method: 'POST', path: (f) => `/api/cases/${f.caseId}/instance-repair`, forged: () => `/api/cases/${FORGED_UUID}/instance-repair`, body: (f) => ({ processInstanceKey: f.processInstanceKey, start: ['Task_Investigate'], reason: '数据错误，重新调查' }), expect: NOT_FOUND },
  { record: 'case', route: 'POST /api/cases/:id/incidents/:key/retry', method: 'POST', path: (f) => `/api/cases/${f.caseId}/incidents/${FORGED_KEY}/retry`, forged: () => `/api/cases/${FORGED_UUID}/incidents/${FORGED_KEY}/retry`, body: () => ({}), expect: NOT_FOUND },
  { record: 'case', route: 'GET /api/mail?caseId=', method: 'GET', path: (f) => `/api/mail?caseId=${f.caseId}`, forged: () => `/api/mail?caseId=${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  // Personal data of the case's parties, unmasked (and audited) for who may see the case.
  { record: 'case', route: 'POST /api/cases/:id/reveal', method: 'POST', path: (f) => `/api/cases/${f.caseId}/reveal`, forged: () => `/api/cases/${FORGED_UUID}/reveal`, body: () => ({}), expect: NOT_FOUND },
  { record: 'case', route: 'GET /api/cases?q=<case number>', method: 'GET', path: (f) => `/api/cases?q=${encodeURIComponent(f.caseNumber)}`, list: { ids: itemIds('id'), hidden: (f) => f.caseId } },
  { record: 'case', route: 'GET /api/task-cases?keys=', method: 'GET', path: (f) => `/api/task-cases?keys=${f.taskKey}`, list: { ids: itemIds('caseId'), hidden: (f) => f.caseId } },
  { record: 'case', route: 'POST /api/supervision/cases/:id/supervise', method: 'POST', path: (f) => `/api/supervision/cases/${f.caseId}/supervise`, forged: () => `/api/supervision/cases/${FORGED_UUID}/supervise`, body: () => ({ dueAt: '2099-01-01', owner: 'handler2' }), expect: ROLE_FORBIDDEN },
  // Task
  { record: 'task', route: 'GET /api/tasks/:id', method: 'GET', path: (f) => `/api/tasks/${f.taskKey}`, forged: () => `/api/tasks/${FORGED_KEY}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'task', route: 'POST /api/tasks/:id/claim', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/claim`, forged: () => `/api/tasks/${FORGED_KEY}/claim`, body: () => ({}), expect: NOT_FOUND },
  { record: 'task', route: 'POST /api/tasks/:id/unclaim', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/unclaim`, forged: () => `/api/tasks/${FORGED_KEY}/unclaim`, body: () => ({}), expect: NOT_FOUND },
  { record: 'task', route: 'POST /api/tasks/:id/complete', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/complete`, forged: () => `/api/tasks/${FORGED_KEY}/complete`, body: () => ({ variables: investigationVariables() }), expect: NOT_FOUND },
  { record: 'task', route: 'POST /api/tasks/:id/assign', method: 'POST', path: (f) => `/api/tasks/${f.taskKey}/assign`, forged: () => `/api/tasks/${FORGED_KEY}/assign`, body: (f) => ({ userId: f.handler2Id }), expect: ROLE_FORBIDDEN },
  { record: 'task', route: 'GET /api/tasks/:id/assignees', method: 'GET', path: (f) => `/api/tasks/${f.taskKey}/assignees`, forged: () => `/api/tasks/${FORGED_KEY}/assignees`, expect: ROLE_FORBIDDEN },
  { record: 'case', route: 'GET /api/tasks?caseId=', method: 'GET', path: (f) => `/api/tasks?scope=group&caseId=${f.caseId}`, forged: () => `/api/tasks?scope=group&caseId=${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'task', route: 'GET /api/tasks?scope=group', method: 'GET', path: () => '/api/tasks?scope=group&limit=200', list: { ids: itemIds('key'), hidden: (f) => f.taskKey } },
  { record: 'task', route: 'GET /api/supervision/task-colours?keys=', method: 'GET', path: (f) => `/api/supervision/task-colours?keys=${f.taskKey}`, list: { ids: itemIds('taskKey'), hidden: (f) => f.taskKey } },
  // Document
  { record: 'document', route: 'GET /api/documents/:id', method: 'GET', path: (f) => `/api/documents/${f.documentId}`, forged: () => `/api/documents/${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'document', route: 'GET /api/documents/:id/pdf', method: 'GET', path: (f) => `/api/documents/${f.documentId}/pdf`, forged: () => `/api/documents/${FORGED_UUID}/pdf`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'document', route: 'GET /api/documents/:id/html', method: 'GET', path: (f) => `/api/documents/${f.documentId}/html`, forged: () => `/api/documents/${FORGED_UUID}/html`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'document', route: 'GET /api/documents/:id/service/:serviceId/proof', method: 'GET', path: (f) => `/api/documents/${f.documentId}/service/${f.serviceId}/proof`, forged: (f) => `/api/documents/${FORGED_UUID}/service/${f.serviceId}/proof`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'document', route: 'POST /api/documents/:id/service', method: 'POST', path: (f) => `/api/documents/${f.documentId}/service`, forged: () => `/api/documents/${FORGED_UUID}/service`, body: () => ({ method: 'direct', servedAt: new Date().toISOString(), receiver: '赵某' }), expect: NOT_FOUND },
  // Mail
  { record: 'mail', route: 'GET /api/mail/:id', method: 'GET', path: (f) => `/api/mail/${f.mailId}`, forged: () => `/api/mail/${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'mail', route: 'POST /api/mail/:id/requeue', method: 'POST', path: (f) => `/api/mail/${f.mailId}/requeue`, forged: () => `/api/mail/${FORGED_UUID}/requeue`, body: () => ({}), expect: ROLE_FORBIDDEN },
  // Employer
  { record: 'employer', route: 'GET /api/employers/:id', method: 'GET', path: (f) => `/api/employers/${f.employerId}`, forged: () => `/api/employers/${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'employer', route: 'PATCH /api/employers/:id', method: 'PATCH', path: (f) => `/api/employers/${f.employerId}`, forged: () => `/api/employers/${FORGED_UUID}`, body: () => ({ phone: '0371-00000000' }), expect: NOT_FOUND },
  { record: 'employer', route: 'GET /api/employers?creditCode=', method: 'GET', path: (f) => `/api/employers?creditCode=${f.creditCode}`, list: { ids: itemIds('id'), hidden: (f) => f.employerId } },
  { record: 'employer', route: 'GET /api/employers/:id/history', method: 'GET', path: (f) => `/api/employers/${f.employerId}/history`, forged: () => `/api/employers/${FORGED_UUID}/history`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'employer', route: 'GET /api/employers/:id/cases', method: 'GET', path: (f) => `/api/employers/${f.employerId}/cases`, forged: () => `/api/employers/${FORGED_UUID}/cases`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'employer', route: 'POST /api/employers/:id/move', method: 'POST', path: (f) => `/api/employers/${f.employerId}/move`, forged: () => `/api/employers/${FORGED_UUID}/move`, body: (f) => ({ gridId: f.rmGridId }), expect: NOT_FOUND },
  { record: 'employer', route: 'GET /api/employers?gridId=<JF-01>', method: 'GET', path: (f) => `/api/employers?gridId=${f.jfGridId}`, list: { ids: itemIds('id'), hidden: (f) => f.employerId } },
  { record: 'employer', route: 'GET /api/employers?q=<name>', method: 'GET', path: (f) => `/api/employers?q=${encodeURIComponent(f.employerName)}`, list: { ids: itemIds('id'), hidden: (f) => f.employerId } },
  // Credit listing (人社部令第45号) of the JF-01 employer, and the employer's credit record
  { record: 'credit listing', route: 'GET /api/credit/listings/:id', method: 'GET', path: (f) => `/api/credit/listings/${f.listingId}`, forged: () => `/api/credit/listings/${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'credit listing', route: 'GET /api/credit/listings', method: 'GET', path: () => '/api/credit/listings', list: { ids: itemIds('id'), hidden: (f) => f.listingId } },
  { record: 'credit listing', route: 'POST /api/credit/listings/:id/defence', method: 'POST', path: (f) => `/api/credit/listings/${f.listingId}/defence`, forged: () => `/api/credit/listings/${FORGED_UUID}/defence`, body: () => ({ content: '申辩' }), expect: NOT_FOUND },
  // The annual written review (书面审查): the JF-01 employer's place in it, its submission, and the review's list
  { record: 'written review', route: 'GET /api/written-reviews/employers/:id', method: 'GET', path: (f) => `/api/written-reviews/employers/${f.reviewEmployerId}`, forged: () => `/api/written-reviews/employers/${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'written review', route: 'POST /api/written-reviews/employers/:id/submission', method: 'POST', path: (f) => `/api/written-reviews/employers/${f.reviewEmployerId}/submission`, forged: () => `/api/written-reviews/employers/${FORGED_UUID}/submission`, body: () => ({ headcount: 10, contractsSigned: 10, wagesPaid: 500000, wagePayDay: 10, workingHoursSystem: 'standard', socialInsuranceParticipants: 10, migrantWorkers: 0, migrantWagesOwed: 0 }), expect: NOT_FOUND },
  { record: 'written review', route: 'GET /api/written-reviews/:id/employers', method: 'GET', path: (f) => `/api/written-reviews/${f.reviewId}/employers`, list: { ids: itemIds('id'), hidden: (f) => f.reviewEmployerId } },
  { record: 'credit listing', route: 'POST /api/credit/listings/:id/repair', method: 'POST', path: (f) => `/api/credit/listings/${f.listingId}/repair`, forged: () => `/api/credit/listings/${FORGED_UUID}/repair`, body: () => ({ wagesPaidAt: '2026-01-05', pledge: true, content: '已支付' }), expect: NOT_FOUND },
  { record: 'credit listing', route: 'POST /api/credit/listings', method: 'POST', path: () => '/api/credit/listings', body: (f) => ({ caseId: f.caseId, ground: 'criminal-threshold', responsiblePeople: [{ name: '张宏达', position: '法定代表人' }] }), forgedBody: () => ({ caseId: FORGED_UUID, ground: 'criminal-threshold', responsiblePeople: [{ name: '张宏达', position: '法定代表人' }] }), expect: NOT_FOUND },
  // Prevention (patrols, warnings, the grid dashboard) through the employer and its grid
  { record: 'employer', route: 'POST /api/prevention/warnings/reports', method: 'POST', path: () => '/api/prevention/warnings/reports', body: (f) => ({ employerId: f.employerId, summary: '工资推迟发放' }), forgedBody: () => ({ employerId: FORGED_UUID, summary: '工资推迟发放' }), expect: NOT_FOUND },
  { record: 'employer', route: 'POST /api/prevention/plans', method: 'POST', path: () => '/api/prevention/plans', body: (f) => ({ gridId: f.jfGridId, period: '2099-01' }), forgedBody: () => ({ gridId: FORGED_UUID, period: '2099-01' }), expect: NOT_FOUND },
  { record: 'employer', route: 'GET /api/prevention/dashboard?gridId=', method: 'GET', path: (f) => `/api/prevention/dashboard?gridId=${f.jfGridId}`, forged: () => `/api/prevention/dashboard?gridId=${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'employer', route: 'GET /api/prevention/dashboard/employers?gridId=', method: 'GET', path: (f) => `/api/prevention/dashboard/employers?gridId=${f.jfGridId}`, forged: () => `/api/prevention/dashboard/employers?gridId=${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'employer', route: 'GET /api/prevention/dashboard/export.xlsx?gridId=', method: 'GET', path: (f) => `/api/prevention/dashboard/export.xlsx?gridId=${f.jfGridId}`, forged: () => `/api/prevention/dashboard/export.xlsx?gridId=${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'employer', route: 'GET /api/prevention/patrols/:id/photos', method: 'GET', path: () => `/api/prevention/patrols/${PATROL_ID}/photos`, forged: () => `/api/prevention/patrols/${FORGED_UUID}/photos`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'employer', route: 'POST /api/prevention/patrols/:id/photos', method: 'POST', path: () => `/api/prevention/patrols/${PATROL_ID}/photos`, forged: () => `/api/prevention/patrols/${FORGED_UUID}/photos`, body: () => ({ fileName: '现场.png', contentBase64: PNG_PHOTO }), expect: NOT_FOUND },
  { record: 'employer', route: 'GET /api/prevention/patrols/photos/:photoId', method: 'GET', path: () => `/api/prevention/patrols/photos/${PATROL_PHOTO_ID}`, forged: () => `/api/prevention/patrols/photos/${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'employer', route: 'GET /api/employers/:id/credit', method: 'GET', path: (f) => `/api/employers/${f.employerId}/credit`, forged: () => `/api/employers/${FORGED_UUID}/credit`, expect: NOT_FOUND, ownerStatus: 200 },
  // The employer's A/B/C grade of the year (守法诚信等级评价): the grade, its run's list, a change at review, an objection and its decision, the employer's grades
  { record: 'employer', route: 'GET /api/credit/grading/grades/:id', method: 'GET', path: () => `/api/credit/grading/grades/${GRADE_ID}`, forged: () => `/api/credit/grading/grades/${FORGED_UUID}`, expect: NOT_FOUND, ownerStatus: 200 },
  { record: 'employer', route: 'GET /api/credit/grading/runs/:id/grades', method: 'GET', path: () => `/api/credit/grading/runs/${GRADING_RUN_ID}/grades`, list: { ids: itemIds('id'), hidden: () => GRADE_ID } },
  { record: 'employer', route: 'POST /api/credit/grading/grades/:id/change', method: 'POST', path: () => `/api/credit/grading/grades/${GRADE_ID}/change`, forged: () => `/api/credit/grading/grades/${FORGED_UUID}/change`, body: () => ({ grade: 'A', reason: '调整' }), expect: NOT_FOUND },
  { record: 'employer', route: 'POST /api/credit/grading/grades/:id/objections', method: 'POST', path: () => `/api/credit/grading/grades/${GRADE_ID}/objections`, forged: () => `/api/credit/grading/grades/${FORGED_UUID}/objections`, body: () => ({ content: '不服评价结果' }), expect: NOT_FOUND },
  { record: 'employer', route: 'POST /api/credit/grading/objections/:id/decision', method: 'POST', path: () => `/api/credit/grading/objections/${GRADE_OBJECTION_ID}/decision`, forged: () => `/api/credit/grading/objections/${FORGED_UUID}/decision`, body: () => ({ decision: 'rejected', reasons: '理由不成立' }), expect: NOT_FOUND },
  { record: 'employer', route: 'GET /api/employers/:id/credit-grades', method: 'GET', path: (f) => `/api/employers/${f.employerId}/credit-grades`, forged: () => `/api/employers/${FORGED_UUID}/credit-grades`, expect: NOT_FOUND, ownerStatus: 200 },
  // The intake screen's duplicate check must not list another grid's cases, whichever way it is asked.
  { record: 'employer', route: 'GET /api/complaints/duplicates?employerId=', method: 'GET', path: (f) => `/api/complaints/duplicates?employerId=${f.employerId}`, list: { ids: itemIds('caseId'), hidden: (f) => f.caseId } },
  { record: 'employer', route: 'GET /api/complaints/duplicates?creditCode=', method: 'GET', path: (f) => `/api/complaints/duplicates?creditCode=${f.creditCode}`, list: { ids: itemIds('caseId'), hidden: (f) => f.caseId } },
  { record: 'employer', route: 'GET /api/complaints/duplicates?name=', method: 'GET', path: (f) => `/api/complaints/duplicates?name=${encodeURIComponent(f.employerName)}`, list: { ids: itemIds('caseId'), hidden: (f) => f.caseId } },
  // Completed materials may not name the employer file of another grid, even for one's own case: refused
  // as not found, or because the answer has no such field; either way as for an employer that does not exist.
  {
    record: 'employer', route: 'POST /api/messages (materials-completed naming the employer)', method: 'POST', path: () => '/api/messages',
    body: (f) => materialsCompleted(f, f.employerId), forgedBody: (f) => materialsCompleted(f, FORGED_UUID),
    expect: [...NOT_FOUND, { status: 400, code: 'VALIDATION_FAILED' }],
  },
  // Message: the correlation key is the case number; employer-absconded is the handler's own message
  // in inspection-case.bpmn (boundary event on the investigation), and would start asset preservation.
  { record: 'message', route: 'POST /api/messages (employer-absconded)', method: 'POST', path: () => '/api/messages', body: (f) => ({ name: 'employer-absconded', correlationKey: f.caseNumber, variables: { abscondedAt: '2026-12-01', abscondNote: '法定代表人失联' } }), expect: NOT_FOUND },
  { record: 'message', route: 'POST /api/messages (correction-reported)', method: 'POST', path: () => '/api/messages', body: (f) => ({ name: 'correction-reported', correlationKey: f.caseNumber, timeToLive: 'P30D' }), expect: NOT_FOUND },
  // Process instance: staff-only routes, and the inbox filtered by the instance.
  { record: 'process instance', route: 'GET /api/process-instances/:key', method: 'GET', path: (f) => `/api/process-instances/${f.processInstanceKey}`, forged: () => `/api/process-instances/${FORGED_KEY}`, expect: ROLE_FORBIDDEN },
  { record: 'process instance', route: 'POST /api/process-instances/:key/cancel', method: 'POST', path: (f) => `/api/process-instances/${f.processInstanceKey}/cancel`, forged: () => `/api/process-instances/${FORGED_KEY}/cancel`, body: () => ({}), expect: ROLE_FORBIDDEN },
  { record: 'process instance', route: 'PUT /api/element-instances/:key/variables', method: 'PUT', path: (f) => `/api/element-instances/${f.processInstanceKey}/variables`, forged: () => `/api/element-instances/${FORGED_KEY}/variables`, body: () => ({ variables: { gridCode: 'RM-01' } }), expect: ROLE_FORBIDDEN },
  { record: 'process instance', route: 'GET /api/tasks?processInstanceKey=', method: 'GET', path: (f) => `/api/tasks?scope=group&processInstanceKey=${f.processInstanceKey}`, list: { ids: itemIds('key'), hidden: (f) => f.taskKey } },
];



describe.each(testDbKinds())('records of another grid (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let f: Fixtures;
  let tables: string[];
  let handler1: Agent;
  let handler2: Agent;
  let supervisor: Agent;

  const one = async <T>(sql: string, params: unknown[] = []): Promise<T> => ((await t.db.ds.query(sql, params)) as T[])[0];

  /** Waits until the workers and the supervision runner have nothing left to write. */
  const quiescent = () => untilAtRest(t.db, tables);

  /** Runs `act` and proves that it wrote nothing anywhere. */
  async function writesNothing<T>(act: () => Promise<T>): Promise<T> {
    await quiescent();
    const before = await countRows(t.db, tables);
    const result = await act();
    await quiescent();
    expect(await countRows(t.db, tables)).toEqual(before);
    return result;
  }

  function send(agent: Agent, method: Method, path: string, body?: object) {
    const req = agent[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](path);
    return body === undefined ? req : req.send(body);
  }

  async function register(employerId: string): Promise<{ caseId: string; caseNumber: string }> {
    const res = await (await t.login('intake')).post('/api/complaints').send(complaintBody({ employer: { employerId } }));
    if (res.status !== 201) throw new Error(`fixture complaint: ${res.status} ${JSON.stringify(res.body)}`);
    await life.settle();
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestApp(kind, 'crossgrid');
    life = lifecycle(t);
    tables = await listTables(t.db);
    const jf = await one<{ id: string; name: string; credit_code: string; grid_id: string }>("SELECT e.id, e.name, e.credit_code, e.grid_id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    const rm = await one<{ id: string; grid_id: string }>("SELECT e.id, e.grid_id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'RM-01'");

    // handler1's case, filed and in investigation; handler2's case, registered.
    const { caseId, caseNumber } = await register(jf.id);
    await life.complete(caseId, 'Task_Triage', { route: 'inspection', triageOpinion: '属于监察事项' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { handlerOpinion: '建议立案', filingApproved: true, filingOpinion: '同意立案' });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' });
    const task = await life.task(caseId, 'Task_Investigate');
    const pi = await one<{ pik: string | number }>('SELECT process_instance_id AS pik FROM engine_user_tasks WHERE id = ?', [Number(task.key)]);
    const rmCase = await register(rm.id);

    handler1 = await t.login('handler1');
    handler2 = await t.login('handler2');
    supervisor = await t.login('supervisor');

    // A document of the case (filing issues one) with a service record carrying a proof file, and a mail.
    const doc = await one<{ id: string }>('SELECT id FROM documents WHERE case_id = ? ORDER BY issued_at LIMIT 1', [caseId]);
    if (!doc) throw new Error('the filed case has no document');
    const served = await handler1.post(`/api/documents/${doc.id}/service`)
      .send({ method: 'direct', servedAt: t.clock.now().toISOString(), receiver: '张宏达（法定代表人）', proof: { name: '送达回证.pdf', mediaType: 'application/pdf', contentBase64: PDF_PROOF } });
    if (served.status !== 201) throw new Error(`fixture service: ${served.status} ${JSON.stringify(served.body)}`);
    const mailId = await inTransaction(t.db.ds, (em) => queueMail(em, { to: [{ email: 'liaison@police.example.cn' }], subject: '提醒', textBody: '请尽快答复', purpose: 'police_reminder', caseId }));
    const h2 = await one<{ id: string }>("SELECT id FROM users WHERE username = 'handler2'");
    // A proposed listing of the case's employer, written as the service writes it (the procedure itself needs an expired order).
    const listingId = '6a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6';
    const office = await one<{ office_id: string }>('SELECT office_id FROM cases WHERE id = ?', [caseId]);
    await t.db.ds.query(
      `INSERT INTO credit_listings (id, office_id, employer_id, case_id, grid_id, state, ground, ground_text, responsible_json, amount_owed, workers_owed,
        payment_deadline_at, process_instance_key, proposed_by, proposed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'proposed', 'mass-incident', '引发群体性事件', '[{"name":"张宏达","position":"法定代表人"}]', 3600000, 12, ?, NULL, 'handler1', ?, ?, ?)`,
      [listingId, office!.office_id, jf.id, caseId, jf.grid_id, t.clock.now().getTime(), t.clock.now().getTime(), t.clock.now().getTime(), t.clock.now().getTime()]);
    // A grading run in its objection period with the JF-01 employer's C grade, told, and an objection to decide (as the service writes them).
    const gradedAt = t.clock.now().getTime();
    await t.db.ds.query("INSERT INTO credit_grading_runs (id, office_id, year, state, process_instance_key, counts_json, started_by, started_at, notified_at, objection_due_at, finalized_at) VALUES (?, ?, 2025, 'objection', NULL, NULL, 'legal', ?, ?, ?, NULL)",
      [GRADING_RUN_ID, office!.office_id, gradedAt, gradedAt, gradedAt + 864_000_000]);
    await t.db.ds.query(`INSERT INTO credit_grades (id, office_id, employer_id, grid_id, year, proposed_grade, final_grade, reasons_json, state, decided_by, decided_at, created_at, run_id, review_grade, notice_document_id, notified_at)
       VALUES (?, ?, ?, ?, 2025, 'C', NULL, '[]', 'proposed', NULL, NULL, ?, ?, NULL, ?, ?)`, [GRADE_ID, office!.office_id, jf.id, jf.grid_id, gradedAt, GRADING_RUN_ID, doc.id, gradedAt]);
    await t.db.ds.query(`INSERT INTO credit_grade_objections (id, grade_id, run_id, received_at, due_at, late, content, decision, new_grade, decision_reasons, document_id, decided_by, decided_at, recorded_by, created_at)
       VALUES (?, ?, ?, ?, ?, 0, '不服', NULL, NULL, NULL, NULL, NULL, NULL, 'handler1', ?)`, [GRADE_OBJECTION_ID, GRADE_ID, GRADING_RUN_ID, gradedAt, gradedAt + 864_000_000, gradedAt]);

    // The year's written review with the JF-01 employer in it, as opening writes it (its lifecycle is not needed here).
    const reviewId = '7b2e3f40-5c6d-4e7f-8a91-a2b3c4d5e6f7';
    const reviewEmployerId = '8c3f4051-6d7e-4f80-9ba2-b3c4d5e6f708';
    const now = t.clock.now().getTime();
    await t.db.ds.query(`INSERT INTO written_reviews (id, office_id, year, title, scope_json, state, employers_total, enrolled, opened_by, opened_at, created_at, updated_at)
       VALUES (?, ?, 2026, '2026年度劳动保障书面审查', '{}', 'open', 1, 1, 'supervisor', ?, ?, ?)`, [reviewId, office!.office_id, now, now, now]);
    await t.db.ds.query(`INSERT INTO written_review_employers (id, review_id, office_id, employer_id, grid_id, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'notified', ?, ?)`, [reviewEmployerId, reviewId, office!.office_id, jf.id, jf.grid_id, now, now]);
    // A planned patrol of the JF-01 employer with a photo, as the plan and the upload write them.
    await t.db.ds.query(`INSERT INTO patrols (id, office_id, grid_id, employer_id, plan_id, period, state, due_at, created_at) VALUES (?, ?, ?, ?, NULL, '2026-12', 'planned', ?, ?)`,
      [PATROL_ID, office!.office_id, jf.grid_id, jf.id, now, now]);
    await t.db.ds.query(`INSERT INTO patrol_photos (id, patrol_id, office_id, file_name, content_type, bytes, sha256, content, uploaded_by, uploaded_at)
       VALUES (?, ?, ?, '现场.png', 'image/png', ?, ?, ?, 'handler1', ?)`,
      [PATROL_PHOTO_ID, PATROL_ID, office!.office_id, Buffer.from(PNG_PHOTO, 'base64').length, '0'.repeat(64), PNG_PHOTO, now]);

    f = {
      caseId, caseNumber, taskKey: task.key, processInstanceKey: String(pi.pik), documentId: doc.id, serviceId: served.body.id, mailId,
      employerId: jf.id, listingId, reviewId, reviewEmployerId, employerName: jf.name, creditCode: jf.credit_code, jfGridId: jf.grid_id, rmGridId: rm.grid_id, handler2Id: h2.id,
      rmCaseId: rmCase.caseId, rmCaseNumber: rmCase.caseNumber, rmEmployerId: rm.id,
    };
    await life.settle();
    // The supervision runner records the new cases' receipts on its own timer: done now, not between a probe's counts.
    await t.core.supervision.runOnce();
  });
  afterAll(async () => t?.close());

  it('probes every record type', () => {
    const records = new Set(PROBES.map((p) => p.record));
    expect([...records].sort()).toEqual(['case', 'credit listing', 'document', 'employer', 'mail', 'message', 'process instance', 'task', 'written review']);
  });

  it.each(PROBES.map((p) => [`${p.record}: ${p.route}`, p] as const))('handler2 → %s', async (_label, p) => {
    const res = await writesNothing(() => send(handler2, p.method, p.path(f), p.body?.(f)));
    if (p.expect) {
      const got = { status: res.status, code: res.body?.error?.code };
      expect(p.expect.some((o) => o.status === got.status && o.code === got.code) ? p.expect[0] : got).toEqual(p.expect[0]);
      // Not even the record's id, number or name comes back in the refusal.
      const text = JSON.stringify(res.body);
      for (const secret of [f.caseId, f.caseNumber, f.employerName, f.documentId, f.mailId]) {
        if (!p.path(f).includes(secret) && !JSON.stringify(p.body?.(f) ?? {}).includes(secret)) expect(text).not.toContain(secret);
      }
    }
    if (p.forged || p.forgedBody) {
      // A forged id gets the same answer: handler2 cannot tell "elsewhere" from "nowhere".
      const forged = await writesNothing(() => send(handler2, p.method, (p.forged ?? p.path)(f), (p.forgedBody ?? p.body)?.(f)));
      expect({ status: forged.status, code: forged.body?.error?.code }).toEqual({ status: res.status, code: res.body?.error?.code });
      // The message too, once the ids (handler1's record's and the forged one) are blanked out.
      const ids = [f.caseId, f.taskKey, f.documentId, f.serviceId, f.mailId, f.employerId, f.processInstanceKey, FORGED_UUID, FORGED_KEY];
      const normalise = (message: unknown) => ids.reduce((m, id) => m.replace(new RegExp(`\\b${id}\\b`, 'g'), '…'), String(message ?? ''));
      expect(normalise(res.body?.error?.message)).toBe(normalise(forged.body?.error?.message));
    }
    if (p.list) {
      expect(res.status).toBe(200);
      expect(p.list.ids(res.body)).not.toContain(p.list.hidden(f));
      // Positive control: handler1, whose grid it is, finds the record through the same request.
      const own = await handler1.get(p.path(f));
      expect(p.list.ids(own.body)).toContain(p.list.hidden(f));
    }
    if (p.ownerStatus !== undefined) {
      expect((await send(handler1, p.method, p.path(f))).status).toBe(p.ownerStatus);
    }
  });

  it('the employer-absconded message for handler1\'s case starts nothing for it', async () => {
    // Besides the unchanged counts above: the case has no process beyond the ones it had.
    const processes = async () => Number((await one<{ n: number | string }>('SELECT COUNT(*) AS n FROM case_processes WHERE case_id = ?', [f.caseId])).n);
    const before = await processes();
    const res = await handler2.post('/api/messages').send({ name: 'employer-absconded', correlationKey: f.caseNumber, messageId: 'cross-grid-1' });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual(NOT_FOUND[0]);
    await life.settle();
    expect(await processes()).toBe(before);
    expect(await life.openTasks(f.caseId)).toEqual(['Task_Investigate']);
  });

  // Writes to handler2's own records that would carry them into handler1's grid.
  it.each([
    ['a new employer file in JF-01', 'POST', () => '/api/employers', (f: Fixtures) => ({ name: '越界登记公司', address: '解放路 2 号', gridId: f.jfGridId })],
    ['his own employer file moved to JF-01', 'PATCH', (f: Fixtures) => `/api/employers/${f.rmEmployerId}`, (f: Fixtures) => ({ gridId: f.jfGridId })],
  ] as const)('refuses handler2 %s with 400 naming body.gridId', async (_label, method, path, body) => {
    const res = await writesNothing(() => send(handler2, method, path(f), body(f)));
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('body.gridId');
  });

  it('answers a credit code on file in another grid with 409 EMPLOYER_EXISTS, without that employer\'s id', async () => {
    const res = await writesNothing(() => handler2.post('/api/employers').send({ name: '另一家公司', address: '人民路 1 号', gridId: f.rmGridId, creditCode: f.creditCode }));
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 409, code: 'EMPLOYER_EXISTS' });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain(f.employerId);
    expect(text).not.toContain(f.employerName);
    expect(text).not.toContain(f.jfGridId);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it('refuses a supervisor assigning handler1\'s task to handler2, who is not of its grid', async () => {
    const res = await writesNothing(() => supervisor.post(`/api/tasks/${f.taskKey}/assign`).send({ userId: f.handler2Id }));
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('body.userId');
    expect((await handler1.get(`/api/tasks/${f.taskKey}`)).body.assignee ?? null).toBeNull();
    // The dashboard's list of whom the task may go to agrees: handler1 is offered, handler2 is not.
    const offered = await supervisor.get(`/api/tasks/${f.taskKey}/assignees`);
    expect(offered.status).toBe(200);
    const usernames = items(offered.body).map((u) => u.username);
    expect(usernames).toContain('handler1');
    expect(usernames).not.toContain('handler2');
  });

  it('refuses handler1 completing his own task with variables.caseId naming handler2\'s case', async () => {
    const rmDocuments = async () => Number((await one<{ n: number | string }>('SELECT COUNT(*) AS n FROM documents WHERE case_id = ?', [f.rmCaseId])).n);
    const rmProcesses = async () => Number((await one<{ n: number | string }>('SELECT COUNT(*) AS n FROM case_processes WHERE case_id = ?', [f.rmCaseId])).n);
    const [docsBefore, processesBefore] = [await rmDocuments(), await rmProcesses()];
    const res = await writesNothing(() => handler1.post(`/api/tasks/${f.taskKey}/complete`).send({ variables: investigationVariables({ caseId: f.rmCaseId }) }));
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain('body.variables.caseId');
    await life.settle();
    expect([await rmDocuments(), await rmProcesses()]).toEqual([docsBefore, processesBefore]);
    expect((await handler1.get(`/api/tasks/${f.taskKey}`)).body.state).toBe('created');
  });
});
