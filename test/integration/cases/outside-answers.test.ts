/**
 * Outside answers entered through the case page's actions: the case lists the answers its processes
 * wait for now, each with its fields; the answer is checked against those fields (real dates, listed
 * choices, no other keys), publishes the message, moves the case and is audited.
 */
import { isoChina } from '../../../src/cases/case-deadlines';
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

const TABLES = ['cases', 'case_processes', 'documents', 'audit_log', 'engine_process_instances', 'engine_messages', 'engine_user_tasks'];

describe.each(testDbKinds())('outside answers from the case page (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let caseId: string;
  let caseNumber: string;
  const now = () => isoChina(t.clock.now().getTime());

  beforeAll(async () => {
    t = await startTestApp(kind, 'answers');
    life = lifecycle(t);
    const intake = await t.login('intake');
    const employers = (await intake.get('/api/employers?limit=50')).body.items as { id: string; name: string }[];
    const employerId = employers.find((e) => e.name === '郑州宏达建筑劳务有限公司')!.id;
    const res = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId } }));
    ({ caseId, caseNumber } = res.body);
    await life.settle();
    await life.complete(caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' });
    await life.complete(caseId, 'Task_Investigate', { investigationOutcome: 'order-to-correct', correctionDays: 7, findings: '经查，拖欠工资属实。' }, 'handler1');
    await life.complete(caseId, 'Task_ServeOrder', { serviceMethod: 'direct', servedAt: now(), serviceReceiver: '张宏达（法定代表人）' }, 'handler1');
  });
  afterAll(async () => t?.close());

  it('lists what the case waits for, with the fields of each answer, and who may enter them', async () => {
    const handler = await t.login('handler1');
    const res = await handler.get(`/api/cases/${caseId}/awaiting-answers`);
    expect(res.status).toBe(200);
    expect(res.body.mayAnswer).toBe(true);
    const correction = res.body.items.find((i: { message: string }) => i.message === 'correction-reported');
    expect(correction).toMatchObject({ label: '登记用人单位报告已改正', from: '用人单位', bpmnProcessId: 'inspection-case' });
    expect(correction.fields.map((f: { key: string }) => f.key)).toEqual(['correctionReportedAt', 'correctionNote']);
    // Intake sees the case but does not record outside answers; a handler of another grid does not see it.
    expect((await (await t.login('intake')).get(`/api/cases/${caseId}/awaiting-answers`)).body.mayAnswer).toBe(false);
    expect((await (await t.login('handler2')).get(`/api/cases/${caseId}/awaiting-answers`)).status).toBe(404);
  });

  it('refuses an answer that does not fit its fields, naming each, and writes nothing', async () => {
    const handler = await t.login('handler1');
    const before = await rowCounts(t.db, TABLES);
    const res = await handler.post('/api/messages').send({
      name: 'correction-reported', correlationKey: caseNumber, variables: { correctionReportedAt: '2027-02-30T10:00:00+08:00', amountPaid: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort())
      .toEqual(['body.variables.amountPaid', 'body.variables.correctionNote', 'body.variables.correctionReportedAt']);
    const choice = await handler.post('/api/messages').send({
      name: 'police-decision', correlationKey: caseNumber, variables: { policeDecision: 'maybe', policeDecisionAt: now(), policeDecisionNumber: '1' },
    });
    expect(choice.status).toBe(400);
    expect(choice.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.variables.policeDecision']);
    expect(await rowCounts(t.db, TABLES)).toEqual(before);
  });

  it('records the answer: the case moves on, the answer is no longer awaited and the timeline has it', async () => {
    const handler = await t.login('handler1');
    const res = await handler.post('/api/messages').send({
      name: 'correction-reported', correlationKey: caseNumber, messageId: 'answer-0001', variables: { correctionReportedAt: now(), correctionNote: '已足额支付工资' },
    });
    expect(res.status).toBe(200);
    expect(res.body.correlatedProcessInstanceKeys).toHaveLength(1);
    await life.task(caseId, 'Task_ReInspect');
    const after = await handler.get(`/api/cases/${caseId}/awaiting-answers`);
    expect(after.body.items.map((i: { message: string }) => i.message)).not.toContain('correction-reported');
    const page = await handler.get(`/api/cases/${caseId}`);
    const entry = page.body.timeline.find((e: { action: string }) => e.action === 'message.publish');
    expect(entry).toMatchObject({ actor: 'handler1', after: { name: 'correction-reported', correlationKey: caseNumber } });
    // The page shows people by name: the answer's author and the intake clerk who registered the case.
    expect(page.body.people).toMatchObject({ handler1: '监察员 李强', intake: '窗口 王敏' });
  });
});
