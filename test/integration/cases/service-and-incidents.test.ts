/**
 * One service record per document and no silent failure: the service form's 送达日期 is checked
 * against the served document and today before the task completes; service recorded on the case page
 * completes the workflow's waiting service task (and a second record is refused); a service step fed
 * a bad date (as a client that skips the form check would) becomes an incident at once, in Chinese,
 * listed for the supervisor, repaired and retried by a handler of the case's grid — and hidden from
 * another grid's handler.
 */
import { systemActor } from '../../../src/audit/audit';
import { closeCase } from '../../../src/cases/close-case';
import { inTransaction } from '../../../src/db/data-source';
import { JOB_ACTION_ACKNOWLEDGEMENT, Job, TransactionalWrite } from '../../../src/workers/contract';
import { createWorkers } from '../../../src/workers';
import { repairableField } from '../../../src/incidents/repairable';
import { chinaDate } from '../../../src/deadlines/china-time';
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(testDbKinds())('service records and incidents (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;
  const today = () => chinaDate(t.clock.now());

  /** A case of 解放路街道 (handler1) waiting at 送达限期改正指令书. */
  async function caseAtServeOrder(): Promise<{ caseId: string; caseNumber: string }> {
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId } }));
    expect(res.status).toBe(201);
    const { caseId, caseNumber } = res.body;
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' });
    await life.complete(caseId, 'Task_Investigate', { investigationOutcome: 'order-to-correct', correctionDays: 7, findings: '经查，拖欠工资属实。' }, 'handler1');
    await life.task(caseId, 'Task_ServeOrder');
    return { caseId, caseNumber };
  }

  const orderOf = async (caseId: string) => {
    const rows: { id: string }[] = await t.db.ds.query("SELECT id FROM documents WHERE case_id = ? AND type_id = 'order-to-correct'", [caseId]);
    expect(rows).toHaveLength(1);
    return String(rows[0].id);
  };
  const servicesOf = async (documentId: string) => Number((await t.db.ds.query('SELECT COUNT(*) AS n FROM document_services WHERE document_id = ?', [documentId]))[0].n);

  beforeAll(async () => {
    t = await startTestApp(kind, 'svcinc');
    life = lifecycle(t);
    const intake = await t.login('intake');
    const employers = (await intake.get('/api/employers?limit=50')).body.items as { id: string; name: string }[];
    employerId = employers.find((e) => e.name === '郑州宏达建筑劳务有限公司')!.id;
  });
  afterAll(async () => t?.close());

  it('refuses a service date before the document was issued or after today on the service form, in Chinese beside the field, and changes nothing', async () => {
    const { caseId } = await caseAtServeOrder();
    const task = await life.task(caseId, 'Task_ServeOrder');
    const handler = await t.login('handler1');
    const before = await rowCounts(t.db, ['document_services', 'audit_log', 'engine_jobs']);
    const early = await handler.post(`/api/tasks/${task.key}/complete`).send({ variables: { serviceMethod: 'direct', servedAt: '2020-01-02', serviceReceiver: '张宏达' } });
    expect(early.status).toBe(400);
    expect(early.body.error.details).toEqual([{ path: 'body.variables.servedAt', message: expect.stringMatching(/^送达日期2020年1月2日早于《.+》签发时间（\d{4}年\d+月\d+日），请更正送达日期后重试$/) }]);
    const tomorrow = chinaDate(t.clock.now().getTime() + 86_400_000);
    const late = await handler.post(`/api/tasks/${task.key}/complete`).send({ variables: { serviceMethod: 'direct', servedAt: tomorrow, serviceReceiver: '张宏达' } });
    expect(late.status).toBe(400);
    expect(late.body.error.details[0]).toMatchObject({ path: 'body.variables.servedAt', message: expect.stringContaining('晚于今天') });
    expect(await rowCounts(t.db, ['document_services', 'audit_log', 'engine_jobs'])).toEqual(before);
    expect(await life.openTasks(caseId)).toContain('Task_ServeOrder');
    // Today passes and the case moves on.
    const ok = await handler.post(`/api/tasks/${task.key}/complete`).send({ variables: { serviceMethod: 'direct', servedAt: today(), serviceReceiver: '张宏达' } });
    expect(ok.status).toBe(200);
    await life.settle();
    expect(await servicesOf(await orderOf(caseId))).toBe(1);
  });

  it('service recorded on the case page completes the waiting service task, moves the workflow, and a second record is refused', async () => {
    const { caseId } = await caseAtServeOrder();
    const documentId = await orderOf(caseId);
    const handler = await t.login('handler1');
    // Another document's service leaves the task waiting for the order alone.
    const [other] = (await t.db.ds.query("SELECT id FROM documents WHERE case_id = ? AND type_id <> 'order-to-correct' ORDER BY issued_at", [caseId])) as { id: string }[];
    const unrelated = await handler.post(`/api/documents/${other.id}/service`).send({ method: 'direct', servedAt: today(), receiver: '张宏达' });
    expect([unrelated.status, unrelated.body.completedTask]).toEqual([201, null]);
    expect(await life.openTasks(caseId)).toContain('Task_ServeOrder');
    const res = await handler.post(`/api/documents/${documentId}/service`).send({ method: 'direct', servedAt: today(), receiver: '张宏达（法定代表人）' });
    expect(res.status).toBe(201);
    expect(res.body.completedTask).toMatchObject({ name: '送达限期改正指令书' });
    await life.settle();
    // The workflow went on from service: the correction deadline runs and the employer's report is awaited.
    expect(await life.openTasks(caseId)).not.toContain('Task_ServeOrder');
    const awaiting = await handler.get(`/api/cases/${caseId}/awaiting-answers`);
    expect(awaiting.body.items.map((i: { message: string }) => i.message)).toContain('correction-reported');
    const receipts: { n: number | string }[] = await t.db.ds.query("SELECT COUNT(*) AS n FROM documents WHERE case_id = ? AND type_id = 'service-receipt'", [caseId]);
    expect(Number(receipts[0].n)).toBe(1);
    // One record: the service step read the case page's record instead of writing its own.
    expect(await servicesOf(documentId)).toBe(1);
    const again = await handler.post(`/api/documents/${documentId}/service`).send({ method: 'post', servedAt: today(), trackingNumber: 'EMS12345678' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('SERVICE_ALREADY_RECORDED');
    expect(again.body.error.message).toMatch(/已于.+直接送达并记录/);
    expect(await servicesOf(documentId)).toBe(1);
    // The page shows the service with the document.
    const doc = await handler.get(`/api/documents/${documentId}`);
    expect(doc.body.services).toEqual([expect.objectContaining({ method: 'direct', receiver: '张宏达（法定代表人）', recordedBy: 'handler1' })]);
  });

  it('a bad service date in the workflow is an incident at once with a Chinese reason, listed for the supervisor, repaired by the grid\'s handler and hidden from another grid', async () => {
    const { caseId, caseNumber } = await caseAtServeOrder();
    const task = await life.task(caseId, 'Task_ServeOrder');
    // A client that skips the form check (Tasklist in Zeebe mode) hands the service step a date before issue.
    await t.core.engine.completeTask(task.key, { serviceMethod: 'direct', servedAt: '2020-01-02', serviceReceiver: '张宏达' }, 'handler1');
    let incidents: { key: string; errorMessage: string; elementId: string }[] = [];
    for (let i = 0; i < 200 && !incidents.length; i++) {
      incidents = (await t.core.engine.listIncidents({ state: 'active', limit: 50 })).filter((x) => x.elementId === 'Task_RecordOrderService');
      if (!incidents.length) await sleep(50);
    }
    expect(incidents).toHaveLength(1);
    const incident = incidents[0];
    expect(incident.errorMessage).toMatch(/^送达日期2020年1月2日早于《.+》签发时间/);
    expect(incident.errorMessage).not.toMatch(/[A-Za-z]{3,}/);
    // At once: the job was handed out once, not retried.
    const jobs: { retries: number | string }[] = await t.db.ds.query("SELECT retries FROM engine_jobs WHERE type = 'document.record-service' AND state = 'failed'");
    expect(jobs.map((j) => Number(j.retries))).toEqual([0]);

    const supervisor = await t.login('supervisor');
    const listed = await supervisor.get('/api/supervision/incidents');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({
      key: incident.key, caseId, caseNumber, stepName: '记录送达', reason: incident.errorMessage, repair: { variable: 'servedAt', label: '送达日期', input: 'date' },
    })]);
    expect(listed.body.items[0].since).toEqual(expect.any(String));
    expect((await (await t.login('handler1')).get('/api/supervision/incidents')).status).toBe(403);

    // The case page lists it for the case's handler, who may repair it; another grid's handler sees nothing.
    const handler = await t.login('handler1');
    const onCase = await handler.get(`/api/cases/${caseId}/incidents`);
    expect(onCase.body).toMatchObject({ mayRepair: true, items: [{ key: incident.key, stepName: '记录送达' }] });
    // The handler's case list flags the case; another grid's handler's does not.
    expect((await handler.get('/api/incidents/cases')).body.items).toEqual([expect.objectContaining({ caseId, caseNumber, count: 1, steps: ['记录送达'] })]);
    const other = await t.login('handler2');
    expect((await other.get('/api/incidents/cases')).body.items).toEqual([]);
    expect((await other.get(`/api/cases/${caseId}/incidents`)).status).toBe(404);
    const foreign = await other.post(`/api/cases/${caseId}/incidents/${incident.key}/retry`).send({ variables: { servedAt: today() } });
    expect(foreign.status).toBe(404);
    // The staff-wide routes also answer by the case: a handler is not process staff at all.
    expect((await other.post(`/api/incidents/${incident.key}/resolve`).send({})).status).toBe(403);

    // Only the field the reason names, checked as the form checks it.
    const before = await rowCounts(t.db, ['document_services', 'audit_log']);
    const wrongField = await handler.post(`/api/cases/${caseId}/incidents/${incident.key}/retry`).send({ variables: { caseId: 'x' } });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.details[0]).toMatchObject({ path: 'body.variables.caseId', message: '此处只能更正送达日期' });
    const stillEarly = await handler.post(`/api/cases/${caseId}/incidents/${incident.key}/retry`).send({ variables: { servedAt: '2020-01-03' } });
    expect(stillEarly.status).toBe(400);
    expect(stillEarly.body.error.details[0]).toMatchObject({ path: 'body.variables.servedAt', message: expect.stringContaining('早于') });
    expect(await rowCounts(t.db, ['document_services', 'audit_log'])).toEqual(before);
    expect(await t.core.engine.listIncidents({ state: 'active', limit: 50 })).toHaveLength(1);

    const fixed = await handler.post(`/api/cases/${caseId}/incidents/${incident.key}/retry`).send({ variables: { servedAt: today() } });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toEqual({ key: incident.key, corrected: ['servedAt'] });
    await life.settle();
    expect(await servicesOf(await orderOf(caseId))).toBe(1);
    expect(await life.openTasks(caseId)).not.toContain('Task_ServeOrder');
    const audit: { action: string; actor: string }[] = await t.db.ds.query("SELECT action, actor_name AS actor FROM audit_log WHERE case_id = ? AND action = 'incident.repair'", [caseId]);
    expect(audit).toEqual([expect.objectContaining({ action: 'incident.repair', actor: 'handler1' })]);
    expect((await supervisor.get('/api/supervision/incidents')).body.items).toEqual([]);
  });

  /** A dismissal dispute routed to arbitration at intake: the notice is issued and mailed, its service awaited. */
  async function arbitrationCase(): Promise<{ caseId: string; noticeId: string }> {
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({
      employer: { employerId }, workers: [], claims: [{ category: 'dismissal-compensation', description: '违法解除劳动合同，要求支付赔偿金', amount: 20000 }],
    }));
    expect(res.status).toBe(201);
    const { caseId } = res.body;
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'arbitration' }, 'intake');
    await life.task(caseId, 'Task_ServeArbitrationNotice');
    const rows: { id: string }[] = await t.db.ds.query("SELECT id FROM documents WHERE case_id = ? AND type_id = 'arbitration-notice'", [caseId]);
    return { caseId, noticeId: String(rows[0].id) };
  }

  it('an arbitration case waits for its notice to be served, and closes once it is recorded on the case page', async () => {
    const { caseId, noticeId } = await arbitrationCase();
    expect((await life.caseRow(caseId)).status).not.toBe('closed');
    const handler = await t.login('handler1');
    const res = await handler.post(`/api/documents/${noticeId}/service`).send({ method: 'direct', servedAt: today(), receiver: '张三' });
    expect(res.status).toBe(201);
    expect(res.body.completedTask).toMatchObject({ name: '送达仲裁告知书' });
    await life.settle();
    expect(await life.caseRow(caseId)).toMatchObject({ status: 'closed', outcome: 'referred-arbitration' });
    expect(await servicesOf(noticeId)).toBe(1);
  });

  it('an arbitration case with its notice unserved does not close unless a reason is stated', async () => {
    const { caseId } = await arbitrationCase();
    const close = (reason?: string) => inTransaction(t.db.ds, (em) => closeCase(em, caseId, 'referred-arbitration', systemActor('test'), t.clock.now(), { unservedReason: reason }));
    await expect(close()).rejects.toMatchObject({ status: 422, code: 'NOTICE_UNSERVED', message: expect.stringMatching(/^《.*仲裁告知书》（.+）尚未送达，案件不能办结。.*请填写未送达原因后重试$/) });
    await expect(close('   ')).rejects.toMatchObject({ code: 'NOTICE_UNSERVED' });
    expect((await life.caseRow(caseId)).status).not.toBe('closed');
    const closed = await close('投诉人已迁居外地，电话和地址均无法联系');
    expect(closed.status).toBe('closed');
    const audit: { after_json: string }[] = await t.db.ds.query("SELECT after_json FROM audit_log WHERE case_id = ? AND action = 'case.close'", [caseId]);
    expect(JSON.parse(audit[0].after_json)).toMatchObject({ unservedReason: '投诉人已迁居外地，电话和地址均无法联系' });
    // The waiting service task is not the test's concern any more: end the instance so later waits see no work.
    for (const key of (await t.db.ds.query('SELECT process_instance_key FROM case_processes WHERE case_id = ?', [caseId])) as { process_instance_key: string }[]) {
      await t.core.engine.cancelInstance(String(key.process_instance_key)).catch(() => undefined);
    }
  });

  it('the closing step of a case with its notice unserved stops at once with a Chinese reason asking for 未送达原因, and closes with one', async () => {
    const { caseId } = await arbitrationCase();
    const close = createWorkers({ ds: t.db.ds, clock: t.clock, rules: t.core.rules, logger: { info() {}, warn() {}, error() {} } }).find((w) => w.taskType === 'case.close')!;
    const run = async (variables: Record<string, unknown>) => {
      const calls: { kind: string; arg: unknown; write?: TransactionalWrite }[] = [];
      const job = {
        key: '1', type: 'case.close', processInstanceKey: '999999999', bpmnProcessId: 'intake-and-routing', processDefinitionVersion: 1, processDefinitionKey: 'd',
        elementId: 'Task_CloseArbitration', elementInstanceKey: '3', customHeaders: {}, worker: 'w', retries: 3, deadline: 0, variables,
        complete: async (arg: unknown, write?: TransactionalWrite) => { calls.push({ kind: 'complete', arg, write }); return JOB_ACTION_ACKNOWLEDGEMENT; },
        fail: async (arg: unknown) => { calls.push({ kind: 'fail', arg }); return JOB_ACTION_ACKNOWLEDGEMENT; },
        error: async (arg: unknown) => { calls.push({ kind: 'error', arg }); return JOB_ACTION_ACKNOWLEDGEMENT; },
      } as unknown as Job;
      await close.handler(job);
      return calls[0];
    };
    const refused = await run({ caseId, arbitrationOutcome: 'notified' });
    expect(refused.kind).toBe('fail');
    const failure = refused.arg as { errorMessage: string; retries: number };
    expect(failure.retries).toBe(0);
    expect(failure.errorMessage).toMatch(/仲裁告知书》（.+）尚未送达，案件不能办结/);
    // The case page offers the field the reason names.
    expect(repairableField(failure.errorMessage)).toMatchObject({ variable: 'noticeUnservedReason', label: '未送达原因', input: 'text' });
    const done = await run({ caseId, arbitrationOutcome: 'notified', noticeUnservedReason: '投诉人拒绝签收且无法联系' });
    expect(done.kind).toBe('complete');
    await inTransaction(t.db.ds, (em) => done.write!(em));
    expect((await life.caseRow(caseId)).status).toBe('closed');
    for (const key of (await t.db.ds.query('SELECT process_instance_key FROM case_processes WHERE case_id = ?', [caseId])) as { process_instance_key: string }[]) {
      await t.core.engine.cancelInstance(String(key.process_instance_key)).catch(() => undefined);
    }
  });
});
