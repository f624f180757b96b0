/**
 * Service recorded on the case page and the completion of the workflow's waiting service task commit
 * together or not at all, on both databases: a completion the engine refuses, or a failure right after
 * the completion, leaves no service record, no audit entry and the task waiting; recording again then
 * succeeds once and moves the workflow.
 */
import { chinaDate } from '../../../src/deadlines/china-time';
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

jest.setTimeout(180_000);

describe.each(testDbKinds())('the case page\'s service record and the task it completes, one transaction (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let caseId: string;
  let documentId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'svctx');
    life = lifecycle(t);
    const [jf] = (await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01' ORDER BY e.id")) as { id: string }[];
    const res = await (await t.login('intake')).post('/api/complaints').send(complaintBody({ employer: { employerId: jf.id } }));
    expect(res.status).toBe(201);
    caseId = res.body.caseId;
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' });
    await life.complete(caseId, 'Task_Investigate', { investigationOutcome: 'order-to-correct', correctionDays: 7, findings: '经查，拖欠工资属实。' }, 'handler1');
    await life.task(caseId, 'Task_ServeOrder');
    const [doc] = (await t.db.ds.query("SELECT id FROM documents WHERE case_id = ? AND type_id = 'order-to-correct'", [caseId])) as { id: string }[];
    documentId = doc.id;
  });
  afterAll(async () => { jest.restoreAllMocks(); await t?.close(); });

  const body = () => ({ method: 'direct', servedAt: chinaDate(t.clock.now()), receiver: '张宏达（法定代表人）' });
  const counts = () => rowCounts(t.db, ['document_services', 'audit_log', 'engine_user_tasks', 'engine_jobs']);
  const openTask = async () => ((await t.db.ds.query(
    "SELECT COUNT(*) AS n FROM engine_user_tasks WHERE element_id = 'Task_ServeOrder' AND state = 'created'")) as { n: number | string }[])[0].n;

  test('a refused completion leaves no service record and the task waiting', async () => {
    const handler = await t.login('handler1');
    const before = await counts();
    const refuse = jest.spyOn(t.core.engine, 'completeTask').mockRejectedValueOnce(new Error('the engine refused the completion'));
    const res = await handler.post(`/api/documents/${documentId}/service`).send(body());
    refuse.mockRestore();
    expect(res.status).toBe(500);
    expect(await counts()).toEqual(before);
    expect(Number(await openTask())).toBe(1);
  });

  test('a failure after the completion undoes both: no record, the task still open', async () => {
    const handler = await t.login('handler1');
    const before = await counts();
    const real = t.core.engine.completeTask.bind(t.core.engine);
    const fail = jest.spyOn(t.core.engine, 'completeTask').mockImplementationOnce(async (key, variables, user, em) => {
      await real(key, variables, user, em);
      throw new Error('the service stopped between the completion and the commit');
    });
    const res = await handler.post(`/api/documents/${documentId}/service`).send(body());
    fail.mockRestore();
    expect(res.status).toBe(500);
    expect(await counts()).toEqual(before);
    expect(Number(await openTask())).toBe(1);
    expect(await life.openTasks(caseId)).toContain('Task_ServeOrder');
  });

  test('recorded again, the record and the completion commit together, once', async () => {
    const handler = await t.login('handler1');
    const res = await handler.post(`/api/documents/${documentId}/service`).send(body());
    expect(res.status).toBe(201);
    expect(res.body.completedTask).toMatchObject({ name: '送达限期改正指令书' });
    await life.settle();
    expect(await life.openTasks(caseId)).not.toContain('Task_ServeOrder');
    const n = (await t.db.ds.query('SELECT COUNT(*) AS n FROM document_services WHERE document_id = ?', [documentId])) as { n: number | string }[];
    expect(Number(n[0].n)).toBe(1);
  });
});
