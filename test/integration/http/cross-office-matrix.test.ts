/**
 * Offices as a trust boundary: the staff of one office (the demo office's supervisor, legal staff and
 * handler1) must not read, change or even detect the records of another office (test/support/second-office.ts),
 * through any route family that names them. For every probe and every one of those users:
 *
 * - the answer is exactly the answer to the same request with a made-up id (status, code, and the
 *   message once the ids are blanked out), so existence does not leak, and it is a refusal;
 * - lists and searches leave the record out, while the second office's own staff get it (the positive
 *   control proves that the route and the fixture are right, so an empty answer means hiding);
 * - nothing is written: the row count of every table, and the state of the records probed, are unchanged.
 */
import request from 'supertest';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { countRows, listTables, untilAtRest } from '../../support/db-state';
import { lifecycle } from '../../support/lifecycle';
import { createSecondOffice, SECOND_OFFICE_USERS, SecondOffice } from '../../support/second-office';

jest.setTimeout(600_000);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';
type Agent = ReturnType<typeof request.agent>;
type O = SecondOffice;

interface Probe {
  route: string;
  method: Method;
  path: (o: O) => string;
  body?: (o: O) => object;
  /** The same request naming a record that does not exist: in the path, or in the body. */
  forged?: (o: O) => string;
  forgedBody?: (o: O) => object;
  /** For lists and searches: the id of the second office's record that must not appear in the answer. */
  hidden?: (o: O) => string;
  /** A read the second office's own staff make (this user): they get 200, and a list shows the record. */
  owner?: keyof typeof SECOND_OFFICE_USERS;
}

const FORGED_UUID = '3f0c9a52-5a4b-4c4e-9a31-0d8b1c7e2f10';
const FORGED_KEY = '9007199254740000';
const PNG_PHOTO = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const investigation = {
  findings: '经查，该公司拖欠 12 名工人工资 36000 元。', evidence: '工资表、考勤记录', investigationOutcome: 'order-to-correct',
  correctionDays: 10, correctionRequirements: '十日内支付拖欠工资', workersOwed: 12, amountOwed: 36000, monthsOwed: 3,
};
const submission = { headcount: 10, contractsSigned: 10, wagesPaid: 500000, wagePayDay: 10, workingHoursSystem: 'standard', socialInsuranceParticipants: 10, migrantWorkers: 0, migrantWagesOwed: 0 };

/** A read of a record by id: forged by swapping the id for a made-up one. */
const read = (route: string, path: (id: string) => string, id: (o: O) => string, owner: Probe['owner'] | null = 'supervisor', forgedId = FORGED_UUID): Probe =>
  ({ route, method: 'GET', path: (o) => path(id(o)), forged: () => path(forgedId), owner: owner ?? undefined });
const write = (route: string, method: Method, path: (id: string) => string, id: (o: O) => string, body: object = {}, forgedId = FORGED_UUID): Probe =>
  ({ route, method, path: (o) => path(id(o)), forged: () => path(forgedId), body: () => body });
const list = (route: string, path: (o: O) => string, hidden: (o: O) => string, owner: Probe['owner'] | null = 'supervisor'): Probe =>
  ({ route, method: 'GET', path, hidden, owner: owner ?? undefined });

const PROBES: Probe[] = [
  // Cases, their pages and their search
  read('GET /api/cases/:id', (id) => `/api/cases/${id}`, (o) => o.caseId),
  read('GET /api/cases/:id/processes', (id) => `/api/cases/${id}/processes`, (o) => o.caseId),
  read('GET /api/cases/:id/awaiting-answers', (id) => `/api/cases/${id}/awaiting-answers`, (o) => o.caseId),
  read('GET /api/cases/:id/incidents', (id) => `/api/cases/${id}/incidents`, (o) => o.caseId),
  read('GET /api/cases/:id/instance-repair', (id) => `/api/cases/${id}/instance-repair`, (o) => o.caseId, null),
  { route: 'POST /api/cases/:id/instance-repair', method: 'POST', path: (o) => `/api/cases/${o.caseId}/instance-repair`, forged: () => `/api/cases/${FORGED_UUID}/instance-repair`, body: (o) => ({ processInstanceKey: o.processInstanceKey, start: ['Task_Investigate'], reason: '数据错误，重新调查' }) },
  write('POST /api/cases/:id/incidents/:key/retry', 'POST', (id) => `/api/cases/${id}/incidents/${FORGED_KEY}/retry`, (o) => o.caseId),
  write('POST /api/cases/:id/reveal', 'POST', (id) => `/api/cases/${id}/reveal`, (o) => o.caseId),
  read('GET /api/mail?caseId=', (id) => `/api/mail?caseId=${id}`, (o) => o.caseId),
  list('GET /api/cases?q=<case number>', (o) => `/api/cases?q=${encodeURIComponent(o.caseNumber)}`, (o) => o.caseId),
  list('GET /api/cases', () => '/api/cases', (o) => o.caseId),
  list('GET /api/task-cases?keys=', (o) => `/api/task-cases?keys=${o.taskKey}`, (o) => o.caseId),
  list('GET /api/complaints/duplicates?employerId=', (o) => `/api/complaints/duplicates?employerId=${o.employerId}`, (o) => o.caseId, 'intake'),
  list('GET /api/complaints/duplicates?creditCode=', (o) => `/api/complaints/duplicates?creditCode=${o.creditCode}`, (o) => o.caseId, 'intake'),
  list('GET /api/complaints/duplicates?name=', (o) => `/api/complaints/duplicates?name=${encodeURIComponent(o.employerName)}`, (o) => o.caseId, 'intake'),
  write('POST /api/supervision/cases/:id/supervise', 'POST', (id) => `/api/supervision/cases/${id}/supervise`, (o) => o.caseId, { dueAt: '2099-01-01', owner: 'supervisor' }),
  // Tasks: the case's and the warning's (a process without a case)
  ...(['taskKey', 'warningTaskKey'] as const).flatMap((k): Probe[] => [
    read(`GET /api/tasks/:id (${k})`, (id) => `/api/tasks/${id}`, (o) => o[k], 'supervisor', FORGED_KEY),
    write(`POST /api/tasks/:id/claim (${k})`, 'POST', (id) => `/api/tasks/${id}/claim`, (o) => o[k], {}, FORGED_KEY),
    write(`POST /api/tasks/:id/unclaim (${k})`, 'POST', (id) => `/api/tasks/${id}/unclaim`, (o) => o[k], {}, FORGED_KEY),
    write(`POST /api/tasks/:id/complete (${k})`, 'POST', (id) => `/api/tasks/${id}/complete`, (o) => o[k], { variables: investigation }, FORGED_KEY),
    { route: `POST /api/tasks/:id/assign (${k})`, method: 'POST', path: (o) => `/api/tasks/${o[k]}/assign`, forged: () => `/api/tasks/${FORGED_KEY}/assign`, body: (o) => ({ userId: o.userIds.handler }) },
    read(`GET /api/tasks/:id/assignees (${k})`, (id) => `/api/tasks/${id}/assignees`, (o) => o[k], 'supervisor', FORGED_KEY),
    // A warning's task has no service level, hence no colour even for its own office.
    list(`GET /api/supervision/task-colours?keys= (${k})`, (o) => `/api/supervision/task-colours?keys=${o[k]}`, (o) => o[k], k === 'taskKey' ? 'supervisor' : null),
  ]),
  read('GET /api/tasks?caseId=', (id) => `/api/tasks?scope=all&caseId=${id}`, (o) => o.caseId),
  list('GET /api/tasks?scope=all', () => '/api/tasks?scope=all&limit=200', (o) => o.taskKey),
  list('GET /api/tasks?scope=all (the warning\'s task)', () => '/api/tasks?scope=all&limit=200', (o) => o.warningTaskKey),
  list('GET /api/tasks?scope=group', () => '/api/tasks?scope=group&limit=200', (o) => o.warningTaskKey, 'handler'),
  list('GET /api/tasks?processInstanceKey=', (o) => `/api/tasks?scope=all&processInstanceKey=${o.warningInstanceKey}`, (o) => o.warningTaskKey),
  // Process instances (the case's and the warning's), their variables and incidents
  ...(['processInstanceKey', 'warningInstanceKey'] as const).flatMap((k): Probe[] => [
    read(`GET /api/process-instances/:key (${k})`, (id) => `/api/process-instances/${id}`, (o) => o[k], 'supervisor', FORGED_KEY),
    write(`POST /api/process-instances/:key/cancel (${k})`, 'POST', (id) => `/api/process-instances/${id}/cancel`, (o) => o[k], {}, FORGED_KEY),
    write(`PUT /api/element-instances/:key/variables (${k})`, 'PUT', (id) => `/api/element-instances/${id}/variables`, (o) => o[k], { variables: { gridCode: 'JF-01' } }, FORGED_KEY),
  ]),
  list('GET /api/incidents', () => '/api/incidents?state=active', (o) => o.incidentKey),
  list('GET /api/supervision/incidents', () => '/api/supervision/incidents', (o) => o.incidentKey),
  write('POST /api/incidents/:key/resolve', 'POST', (id) => `/api/incidents/${id}/resolve`, (o) => o.incidentKey, {}, FORGED_KEY),
  // Documents with and without a case
  ...(['caseDocumentId', 'officeDocumentId'] as const).flatMap((k): Probe[] => [
    read(`GET /api/documents/:id (${k})`, (id) => `/api/documents/${id}`, (o) => o[k]),
    read(`GET /api/documents/:id/pdf (${k})`, (id) => `/api/documents/${id}/pdf`, (o) => o[k]),
    read(`GET /api/documents/:id/html (${k})`, (id) => `/api/documents/${id}/html`, (o) => o[k]),
    write(`POST /api/documents/:id/service (${k})`, 'POST', (id) => `/api/documents/${id}/service`, (o) => o[k], { method: 'direct', servedAt: '2026-12-01T08:00:00.000Z', receiver: '赵某' }),
  ]),
  // Employers, their files, searches and exports
  read('GET /api/employers/:id', (id) => `/api/employers/${id}`, (o) => o.employerId),
  write('PATCH /api/employers/:id', 'PATCH', (id) => `/api/employers/${id}`, (o) => o.employerId, { phone: '0371-00000000' }),
  read('GET /api/employers/:id/history', (id) => `/api/employers/${id}/history`, (o) => o.employerId),
  read('GET /api/employers/:id/cases', (id) => `/api/employers/${id}/cases`, (o) => o.employerId),
  read('GET /api/employers/:id/credit', (id) => `/api/employers/${id}/credit`, (o) => o.employerId),
  read('GET /api/employers/:id/credit-grades', (id) => `/api/employers/${id}/credit-grades`, (o) => o.employerId),
  { route: 'POST /api/employers/:id/move', method: 'POST', path: (o) => `/api/employers/${o.employerId}/move`, forged: () => `/api/employers/${FORGED_UUID}/move`, body: (o) => ({ gridId: o.gridId }) },
  list('GET /api/employers?q=<name>', (o) => `/api/employers?q=${encodeURIComponent(o.employerName)}`, (o) => o.employerId),
  list('GET /api/employers?creditCode=', (o) => `/api/employers?creditCode=${o.creditCode}`, (o) => o.employerId),
  list('GET /api/employers?gridId=', (o) => `/api/employers?gridId=${o.gridId}`, (o) => o.employerId),
  list('GET /api/employers', () => '/api/employers', (o) => o.employerId),
  // Patrols and warnings (prevention), the grid dashboard and its exports
  read('GET /api/prevention/dashboard?gridId=', (id) => `/api/prevention/dashboard?gridId=${id}`, (o) => o.gridId),
  read('GET /api/prevention/dashboard/employers?gridId=', (id) => `/api/prevention/dashboard/employers?gridId=${id}`, (o) => o.gridId),
  read('GET /api/prevention/dashboard/export.xlsx?gridId=', (id) => `/api/prevention/dashboard/export.xlsx?gridId=${id}`, (o) => o.gridId),
  { route: 'POST /api/prevention/plans', method: 'POST', path: () => '/api/prevention/plans', body: (o) => ({ gridId: o.gridId, period: '2099-01' }), forgedBody: () => ({ gridId: FORGED_UUID, period: '2099-01' }) },
  list('GET /api/prevention/patrols', () => '/api/prevention/patrols?limit=200', (o) => o.patrolId),
  read('GET /api/prevention/patrols/:id/photos', (id) => `/api/prevention/patrols/${id}/photos`, (o) => o.patrolId),
  write('POST /api/prevention/patrols/:id/photos', 'POST', (id) => `/api/prevention/patrols/${id}/photos`, (o) => o.patrolId, { fileName: '现场.png', contentBase64: PNG_PHOTO }),
  list('GET /api/prevention/warnings', () => '/api/prevention/warnings?limit=200', (o) => o.warningId),
  read('GET /api/prevention/warnings/:id', (id) => `/api/prevention/warnings/${id}`, (o) => o.warningId),
  write('POST /api/prevention/warnings/:id/reopen', 'POST', (id) => `/api/prevention/warnings/${id}/reopen`, (o) => o.warningId, { reason: '再次发现问题' }),
  { route: 'POST /api/prevention/warnings/reports', method: 'POST', path: () => '/api/prevention/warnings/reports', body: (o) => ({ employerId: o.employerId, summary: '工资推迟发放' }), forgedBody: () => ({ employerId: FORGED_UUID, summary: '工资推迟发放' }) },
  // The wage-arrears joint-discipline list (令45号)
  list('GET /api/credit/listings', () => '/api/credit/listings', (o) => o.listingId),
  read('GET /api/credit/listings/:id', (id) => `/api/credit/listings/${id}`, (o) => o.listingId),
  write('POST /api/credit/listings/:id/defence', 'POST', (id) => `/api/credit/listings/${id}/defence`, (o) => o.listingId, { content: '申辩' }),
  write('POST /api/credit/listings/:id/repair', 'POST', (id) => `/api/credit/listings/${id}/repair`, (o) => o.listingId, { wagesPaidAt: '2026-01-05', pledge: true, content: '已支付' }),
  { route: 'POST /api/credit/listings', method: 'POST', path: () => '/api/credit/listings', body: (o) => ({ caseId: o.caseId, ground: 'criminal-threshold', responsiblePeople: [{ name: '孙金盛', position: '法定代表人' }] }), forgedBody: () => ({ caseId: FORGED_UUID, ground: 'criminal-threshold', responsiblePeople: [{ name: '孙金盛', position: '法定代表人' }] }) },
  // Credit grades (守法诚信等级)
  list('GET /api/credit/grading/runs', () => '/api/credit/grading/runs', (o) => o.gradingRunId),
  read('GET /api/credit/grading/runs/:id', (id) => `/api/credit/grading/runs/${id}`, (o) => o.gradingRunId),
  read('GET /api/credit/grading/runs/:id/grades', (id) => `/api/credit/grading/runs/${id}/grades`, (o) => o.gradingRunId),
  read('GET /api/credit/grading/grades/:id', (id) => `/api/credit/grading/grades/${id}`, (o) => o.gradeId),
  write('POST /api/credit/grading/grades/:id/change', 'POST', (id) => `/api/credit/grading/grades/${id}/change`, (o) => o.gradeId, { grade: 'A', reason: '调整' }),
  write('POST /api/credit/grading/grades/:id/objections', 'POST', (id) => `/api/credit/grading/grades/${id}/objections`, (o) => o.gradeId, { content: '不服评价结果' }),
  write('POST /api/credit/grading/objections/:id/decision', 'POST', (id) => `/api/credit/grading/objections/${id}/decision`, (o) => o.objectionId, { decision: 'rejected', reasons: '理由不成立' }),
  // Written reviews (书面审查)
  list('GET /api/written-reviews', () => '/api/written-reviews', (o) => o.reviewId),
  read('GET /api/written-reviews/:id', (id) => `/api/written-reviews/${id}`, (o) => o.reviewId),
  read('GET /api/written-reviews/:id/employers', (id) => `/api/written-reviews/${id}/employers`, (o) => o.reviewId),
  read('GET /api/written-reviews/employers/:id', (id) => `/api/written-reviews/employers/${id}`, (o) => o.reviewEmployerId),
  write('POST /api/written-reviews/employers/:id/submission', 'POST', (id) => `/api/written-reviews/employers/${id}/submission`, (o) => o.reviewEmployerId, submission),
  // Random draws (双随机) and their items
  list('GET /api/random-draws', () => '/api/random-draws', (o) => o.drawId),
  read('GET /api/random-draws/:id', (id) => `/api/random-draws/${id}`, (o) => o.drawId, null),
  read('GET /api/random-draws/:id/reproduce', (id) => `/api/random-draws/${id}/reproduce`, (o) => o.drawId, null),
  read('GET /api/random-draws/:id/evidence', (id) => `/api/random-draws/${id}/evidence`, (o) => o.drawId, null),
  read('GET /api/random-draws/:id/export.xlsx', (id) => `/api/random-draws/${id}/export.xlsx`, (o) => o.drawId, null),
  write('POST /api/random-draws/:id/publish', 'POST', (id) => `/api/random-draws/${id}/publish`, (o) => o.drawId),
  list('GET /api/inspection-items', () => '/api/inspection-items', (o) => o.inspectionItemId),
  write('PATCH /api/inspection-items/:id', 'PATCH', (id) => `/api/inspection-items/${id}`, (o) => o.inspectionItemId, { active: false }),
  // Publication of major violations (令29号)
  list('GET /api/publications', () => '/api/publications', (o) => o.publicationId),
  read('GET /api/publications/:id', (id) => `/api/publications/${id}`, (o) => o.publicationId),
  read('GET /api/publications/:id/export.xlsx', (id) => `/api/publications/${id}/export.xlsx`, (o) => o.publicationId),
  write('POST /api/publications/:id/confirm', 'POST', (id) => `/api/publications/${id}/confirm`, (o) => o.publicationId),
  // Supervision: the overdue list and the statistics
  list('GET /api/supervision/overdue (grids)', () => '/api/supervision/overdue', (o) => o.streetGridId),
  list('GET /api/supervision/overdue (people)', () => '/api/supervision/overdue', (o) => o.userIds.handler),
  list('GET /api/supervision/stats', () => '/api/supervision/stats', (o) => o.streetGridId),
];

/** A refusal's message with every id and key blanked out, to compare it with the made-up id's. */
const normalise = (m: unknown) => String(m ?? '').replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '…').replace(/\d+/g, '…');

/**
 * Whether an answer names the record: a uuid anywhere in it, an engine key (a short number) as the
 * value of an id or key field, where a count or a date cannot be taken for it.
 */
function mentions(body: unknown, id: string): boolean {
  if (id.length >= 32) return JSON.stringify(body ?? {}).includes(id);
  const walk = (v: unknown, name: string): boolean => {
    if (Array.isArray(v)) return v.some((x) => walk(x, name));
    if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => walk(x, k));
    return /(^id$|Id$|^key$|Key$|Keys$)/.test(name) && String(v) === id;
  };
  return walk(body, '');
}

const OFFICE_ONE = ['supervisor', 'legal', 'handler1'] as const;

describe.each(testDbKinds())('records of another office (%s)', (kind) => {
  let t: TestApp;
  let o: SecondOffice;
  let tables: string[];
  const agents = new Map<string, Agent>();

  /** What a refused request could change without adding a row: the state of the probed records. */
  const recordState = async () => JSON.stringify(await Promise.all([
    t.db.ds.query('SELECT status, grid_id, updated_at FROM cases WHERE id = ?', [o.caseId]),
    t.db.ds.query('SELECT id, assignee, state FROM engine_user_tasks WHERE id IN (?, ?) ORDER BY id', [o.taskKey, o.warningTaskKey]),
    t.db.ds.query('SELECT id, state FROM engine_process_instances WHERE id IN (?, ?) ORDER BY id', [o.processInstanceKey, o.warningInstanceKey]),
    t.db.ds.query('SELECT state FROM engine_incidents WHERE id = ?', [o.incidentKey]),
    t.db.ds.query('SELECT grid_id, phone, updated_at FROM employers WHERE id = ?', [o.employerId]),
    t.db.ds.query('SELECT state, colour FROM warnings WHERE id = ?', [o.warningId]),
    t.db.ds.query('SELECT state, updated_at FROM credit_listings WHERE id = ?', [o.listingId]),
    t.db.ds.query('SELECT state, review_grade FROM credit_grades WHERE id = ?', [o.gradeId]),
    t.db.ds.query('SELECT decision FROM credit_grade_objections WHERE id = ?', [o.objectionId]),
    t.db.ds.query('SELECT state FROM written_review_employers WHERE id = ?', [o.reviewEmployerId]),
    t.db.ds.query('SELECT active FROM inspection_items WHERE id = ?', [o.inspectionItemId]),
    t.db.ds.query('SELECT state FROM violation_publications WHERE id = ?', [o.publicationId]),
  ]));

  async function writesNothing<T>(act: () => Promise<T>): Promise<T> {
    await untilAtRest(t.db, tables);
    const before = [await countRows(t.db, tables), await recordState()];
    const result = await act();
    await untilAtRest(t.db, tables);
    expect([await countRows(t.db, tables), await recordState()]).toEqual(before);
    return result;
  }

  function send(agent: Agent, method: Method, path: string, body?: object) {
    const req = agent[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch'](path);
    return body === undefined ? req : req.send(body);
  }

  beforeAll(async () => {
    t = await startTestApp(kind, 'crossoffice');
    const life = lifecycle(t);
    o = await createSecondOffice(t, life);
    // The supervision runner records the new case's receipt on its own timer: done now, not between a probe's counts.
    await t.core.supervision.runOnce();
    tables = await listTables(t.db);
    for (const u of [...OFFICE_ONE, ...Object.values(SECOND_OFFICE_USERS)]) agents.set(u, await t.login(u));
  });
  afterAll(async () => t?.close());

  const cases = PROBES.flatMap((p) => OFFICE_ONE.map((user) => [`${user} → ${p.route}`, user, p] as const));
  it.each(cases)('%s', async (_label, user, p) => {
    const agent = agents.get(user)!;
    const res = await writesNothing(() => send(agent, p.method, p.path(o), p.body?.(o)));
    const text = JSON.stringify(res.body ?? {}) + (res.text ?? '');
    if (p.hidden) {
      // A list the role may not use at all refuses by role, which tells nothing about the record.
      if (res.status === 403) expect(res.body?.error?.code).toBe('FORBIDDEN');
      else expect(res.status).toBe(200);
      expect(mentions(res.body, p.hidden(o))).toBe(false);
    } else {
      expect(res.status).toBeGreaterThanOrEqual(400);
      const forged = await writesNothing(() => send(agent, p.method, (p.forged ?? p.path)(o), (p.forgedBody ?? p.body)?.(o)));
      expect({ status: res.status, code: res.body?.error?.code, message: normalise(res.body?.error?.message) })
        .toEqual({ status: forged.status, code: forged.body?.error?.code, message: normalise(forged.body?.error?.message) });
    }
    // Nothing of the other office comes back: not its case number, its employer's name or credit code.
    for (const secret of [o.caseNumber, o.employerName, o.creditCode]) {
      if (!p.path(o).includes(encodeURIComponent(secret)) && !p.path(o).includes(secret) && !JSON.stringify(p.body?.(o) ?? {}).includes(secret)) expect(text).not.toContain(secret);
    }
    if (p.owner) {
      // Positive control: the record's own office gets it through the same request.
      const own = await agents.get(SECOND_OFFICE_USERS[p.owner])!.get(p.path(o));
      expect(own.status).toBe(200);
      if (p.hidden) expect(mentions(own.body, p.hidden(o))).toBe(true);
    }
  });
});
