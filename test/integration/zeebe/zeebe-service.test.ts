/**
 * The service in Zeebe mode end to end: one service with ENGINE=zeebe (its workers, inbox, documents
 * and mail), pointed at a second in-process service that serves its embedded engine over the Zeebe
 * gateway (gRPC) and the Camunda 8.8 REST user task subset, with its own workers off — the second
 * plays the cluster. A complaint goes from intake (POST /api/complaints) through the inbox (claim,
 * complete) to a police referral and the police's answer (POST /api/messages police-decision).
 * Both services' test clocks move together; timers fire on the cluster side.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { isoChina } from '../../../src/cases/case-deadlines';
import type { TestClock } from '../../../src/clock/clock';
import { loadSettings } from '../../../src/config/settings';
import { DEMO_PASSWORD } from '../../../src/demo/seed';
import { startService, type RunningService } from '../../../src/service';
import { DEFAULT_SERVICE_LEVELS, EscalationRunner, ZEEBE_TASKS } from '../../../src/supervision';
import { createMariadbDatabase, dropMariadbDatabase, testDbKinds, type TestDbKind } from '../../support/db';
import { complaintBody, twelveWorkers } from '../../support/lifecycle';
import { MailjetStandIn } from '../../support/mailjet-stand-in';

jest.setTimeout(300_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Agent = ReturnType<typeof request.agent>;
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies

async function storage(kind: TestDbKind, label: string): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lsi-${label}-`));
  if (kind === 'sqlite') return { env: { DATA_DIR: dir }, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  const url = await createMariadbDatabase(label);
  return { env: { DATA_DIR: dir, DATABASE_URL: url }, drop: async () => { await dropMariadbDatabase(url); fs.rmSync(dir, { recursive: true, force: true }); } };
}

describe.each(testDbKinds())('the service in Zeebe mode against the embedded gateway (%s)', (kind) => {
  let cluster: RunningService;
  let service: RunningService;
  let mailjet: MailjetStandIn;
  const drops: Array<() => Promise<void>> = [];
  const agents = new Map<string, Agent>();

  beforeAll(async () => {
    const quiet = pino({ level: 'silent' });
    // Sessions outlive the clock's moves (days) in this test.
    const common = { NODE_ENV: 'test', TEST_CLOCK: '1', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent', SESSION_TTL_HOURS: '2000' };
    const a = await storage(kind, 'zm_cluster');
    drops.push(a.drop);
    cluster = await startService(loadSettings({ ...common, ...a.env, ENGINE: 'embedded', GATEWAY_PORT: '0', GATEWAY_REST_PORT: '0', WORKERS: 'false', DEMO: 'false' }), { logger: quiet, port: 0 });
    mailjet = await new MailjetStandIn().start();
    const b = await storage(kind, 'zm_service');
    drops.push(b.drop);
    service = await startService(loadSettings({
      ...common, ...b.env, DEMO: 'true', ENGINE: 'zeebe',
      ZEEBE_GRPC_ADDRESS: `grpc://127.0.0.1:${cluster.gateway!.port}`, ZEEBE_REST_ADDRESS: `http://127.0.0.1:${cluster.gateway!.restPort}`, ZEEBE_TASK_POLL_MS: '200',
      MAILJET_API_KEY: mailjet.apiKey, MAILJET_API_SECRET: mailjet.apiSecret, MAILJET_API_URL: mailjet.url,
    }), { logger: quiet, port: 0, core: { zeebeFastPolling: true } });
  }, 120_000);

  afterAll(async () => {
    // The cluster first: it answers the service's pending job polls.
    await cluster?.stop();
    await service?.stop();
    await mailjet?.stop();
    for (const d of drops) await d();
  }, 120_000);

  async function as(username: string): Promise<Agent> {
    let agent = agents.get(username);
    if (!agent) {
      agent = request.agent(service.url);
      const res = await agent.post('/api/session').send({ username, password: DEMO_PASSWORD });
      if (res.status !== 201) throw new Error(`login ${username}: ${res.status}`);
      agents.set(username, agent);
    }
    return agent;
  }

  const now = () => isoChina(service.clock.now().getTime());

  /** Until the cluster has no job waiting for or held by a worker; fails on an incident. */
  async function settle(timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    let quiet = 0;
    while (Date.now() < end) {
      const incidents = await cluster.core.engine.listIncidents({ state: 'active' });
      if (incidents.length) throw new Error(`incidents: ${incidents.map((i) => `${i.bpmnProcessId}/${i.elementId}: ${i.errorMessage}`).join(' | ')}`);
      const [row] = (await cluster.ds.query("SELECT COUNT(*) AS n FROM engine_jobs WHERE state <> 'failed'")) as Array<{ n: unknown }>;
      if (Number(row.n) === 0) { if (++quiet >= 3) return; } else quiet = 0;
      await sleep(100);
    }
    throw new Error(`jobs still pending after ${timeoutMs} ms`);
  }

  /** The open inbox task `elementId` of the case, as the office sees it (GET /api/tasks?scope=all). */
  async function task(caseId: string, elementId: string, timeoutMs = 60_000): Promise<Json> {
    const supervisor = await as('supervisor');
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const list = await supervisor.get('/api/tasks?scope=all&limit=200');
      expect(list.status).toBe(200);
      for (const t of list.body.items.filter((x: Json) => x.elementId === elementId)) {
        const one = await supervisor.get(`/api/tasks/${t.key}`);
        if (one.status === 200 && one.body.variables.caseId === caseId) return one.body;
      }
      await sleep(100);
    }
    throw new Error(`no open task ${elementId} for case ${caseId}`);
  }

  /** Claims the task as `username` when nobody has it, then completes it through the inbox. */
  async function complete(caseId: string, elementId: string, variables: Json, username = 'supervisor'): Promise<Json> {
    const t = await task(caseId, elementId);
    const agent = await as(username);
    if (!t.assignee) {
      const claimed = await agent.post(`/api/tasks/${t.key}/claim`).send({});
      expect(claimed.status).toBe(200);
      expect(claimed.body.assignee).toBe(username);
    }
    const done = await agent.post(`/api/tasks/${t.key}/complete`).send({ variables });
    if (done.status !== 200) throw new Error(`completing ${elementId}: ${done.status} ${JSON.stringify(done.body)}`);
    await settle();
    return t;
  }

  async function advance(duration: string): Promise<void> {
    (cluster.clock as TestClock).advance(duration);
    (service.clock as TestClock).advance(duration);
    await cluster.core.engine.tick();
    await settle();
    await cluster.core.engine.tick();
    await settle();
  }

  const caseRow = async (caseId: string): Promise<Json> => ((await service.ds.query('SELECT * FROM cases WHERE id = ?', [caseId])) as Json[])[0];

  it('reports the cluster in /api/health', async () => {
    const health = await request(service.url).get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.engine).toMatchObject({ kind: 'zeebe', ok: true });
  });

  it('carries a complaint from intake to a police referral and the police answer', async () => {
    const [employer] = (await service.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'")) as Json[];
    const intake = await as('intake');
    const registered = await intake.post('/api/complaints').send(complaintBody({
      employer: { employerId: employer.id }, workers: twelveWorkers(), claims: [{ category: 'wage-arrears', description: '拖欠 12 名工人三个月工资', amount: 108000 }],
    }));
    expect(registered.status).toBe(201);
    const { caseId, caseNumber, processInstanceKey } = registered.body;
    // The instance runs on the cluster with the case id.
    const started = await cluster.core.engine.getInstance(processInstanceKey);
    expect(started).toMatchObject({ bpmnProcessId: 'intake-and-routing', variables: expect.objectContaining({ caseId }) });
    await settle();

    // The inbox of the intake window shows the triage task once, with its form.
    const triage = await task(caseId, 'Task_Triage');
    expect(triage.form).toMatchObject({ formId: expect.any(String) });
    // Its due date (zeebe:taskSchedule, the acceptance deadline) comes from Zeebe.
    expect(triage.dueDate).toBe((await cluster.core.engine.getTask(triage.key)).dueDate);
    expect(triage.dueDate).toEqual(expect.any(String));
    const mine = await intake.get('/api/tasks?scope=group&limit=200');
    expect(mine.body.items.filter((t: Json) => t.key === triage.key)).toHaveLength(1);
    // The web inbox finds the case behind the task.
    const behind = await intake.get(`/api/task-cases?keys=${triage.key}`);
    expect(behind.body.items).toEqual([expect.objectContaining({ taskKey: triage.key, caseId })]);
    // A claim reaches the cluster.
    expect((await intake.post(`/api/tasks/${triage.key}/claim`).send({})).status).toBe(200);
    expect((await cluster.core.engine.getTask(triage.key)).assignee).toBe('intake');
    expect((await intake.post(`/api/tasks/${triage.key}/unclaim`).send({})).status).toBe(200);
    expect((await cluster.core.engine.getTask(triage.key)).assignee).toBeNull();
    await complete(caseId, 'Task_Triage', { route: 'inspection' }, 'intake');
    expect((await cluster.core.engine.getTask(triage.key)).state).toBe('completed');
    expect((await intake.post(`/api/tasks/${triage.key}/complete`).send({ variables: {} })).status).toBe(409);

    // An assignment by a supervisor reaches the cluster.
    const filing = await task(caseId, 'Task_ApproveFiling');
    const supervisor = await as('supervisor');
    const users = (await supervisor.get('/api/users')).body.items as Json[];
    const assigned = await supervisor.post(`/api/tasks/${filing.key}/assign`).send({ userId: users.find((u) => u.username === 'supervisor')!.id });
    expect(assigned.status).toBe(200);
    expect((await cluster.core.engine.getTask(filing.key)).assignee).toBe('supervisor');
    await complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' });
    await complete(caseId, 'Task_Investigate', {
      investigationOutcome: 'order-to-correct', correctionDays: 1, workersOwed: 12, amountOwed: 36000, monthsOwed: 3, findings: '经查，该公司拖欠 12 名工人工资 36000 元。',
    }, 'handler1');
    await complete(caseId, 'Task_ServeOrder', { serviceMethod: 'direct', servedAt: now().slice(0, 10), serviceReceiver: '张宏达（法定代表人）' }, 'handler1');
    expect((await caseRow(caseId)).status).toBe('awaiting-correction');

    await advance('P5D');
    await complete(caseId, 'Task_ReInspect', { corrected: 'no', reInspectionRecord: '仍未支付' }, 'handler1');
    expect((await caseRow(caseId)).status).toBe('police-referral-review');
    await complete(caseId, 'Task_WriteReport', { teamLead: 'handler1', teamMember: 'handler2', workersOwed: 12, amountOwed: 36000, referralReport: '拒不支付劳动报酬' }, 'handler1');
    await complete(caseId, 'Task_ApproveReferral', { referralApproved: true });
    await complete(caseId, 'Task_TransferToPolice', { transferredAt: now(), policeAgency: '郑州市公安局二七分局', policeReceiptNumber: 'R-1' }, 'handler1');
    expect((await caseRow(caseId)).status).toBe('awaiting-police-decision');

    // The police stay silent for 3 日 (extended past a weekend): the cluster's timer fires, the
    // service's workers flag the case and write the reminder and the overdue notice to the outbox.
    await advance('P6D');
    expect(Number((await caseRow(caseId)).supervised)).toBe(1);
    const purposes = ((await service.ds.query('SELECT purpose FROM mail_outbox WHERE case_id = ?', [caseId])) as Json[]).map((m) => m.purpose);
    expect(purposes).toEqual(expect.arrayContaining(['police_decision_overdue', 'police_reminder']));

    const handler = await as('handler1');
    const answer = await handler.post('/api/messages').send({ name: 'police-decision', correlationKey: caseNumber, variables: { policeDecision: 'accepted', policeDecisionAt: now(), policeDecisionNumber: '立字 1 号' } });
    expect(answer.status).toBe(200);
    await settle();
    // The follow-up task the silence created (催办) is done before the referral ends.
    await complete(caseId, 'Task_FollowUpPolice', { followUpMethod: 'phone', followedUpAt: now().slice(0, 10), followUpResult: '已电话催办。' }, 'handler1');
    await task(caseId, 'Task_ApproveClosure');
    expect((await caseRow(caseId)).status).toBe('referred-to-police');

    // Documents: issued by the service's workers, rendered as PDF.
    const page = await handler.get(`/api/cases/${caseId}`);
    expect(page.status).toBe(200);
    const types = (page.body.documents as Json[]).map((d) => d.typeId ?? d.type ?? d.documentType);
    expect(types).toEqual(expect.arrayContaining(['complaint-register', 'case-approval', 'order-to-correct', 'service-receipt', 'criminal-referral']));
    const referral = (page.body.documents as Json[]).find((d) => (d.typeId ?? d.type ?? d.documentType) === 'criminal-referral')!;
    const pdf = await handler.get(`/api/documents/${referral.id}/pdf`).buffer(true);
    expect(pdf.status).toBe(200);
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-');

    // Mail: written to the outbox by the workers and sent through Mailjet.
    const mail = await (await as('supervisor')).get(`/api/mail?caseId=${caseId}`);
    expect(mail.status).toBe(200);
    expect(mail.body.items.length).toBeGreaterThanOrEqual(2);
    const deadline = Date.now() + 30_000;
    while (mailjet.accepted.length === 0 && Date.now() < deadline) await sleep(100);
    expect(mailjet.accepted.length).toBeGreaterThan(0);

    // The case page's process view comes from what the workers and the task sync recorded.
    const processes = await handler.get(`/api/cases/${caseId}/processes`);
    expect(processes.status).toBe(200);
    const byId = new Map((processes.body.items as Json[]).map((p) => [p.bpmnProcessId, p]));
    expect([...byId.keys()]).toEqual(expect.arrayContaining(['intake-and-routing', 'inspection-case', 'police-referral']));
    expect(byId.get('inspection-case')!.activeElementIds).toContain('Task_ApproveClosure');
    expect(byId.get('police-referral')!.completedElementIds).toContain('Task_TransferToPolice');
  });

  it('a task cancelled by Zeebe leaves the inbox; a cancel through the service ends the instance there', async () => {
    const intake = await as('intake');
    const [employer] = (await service.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'")) as Json[];
    const first = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId: employer.id } }));
    const second = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId: employer.id } }));
    expect([first.status, second.status]).toEqual([201, 201]);
    await settle();
    const t1 = await task(first.body.caseId, 'Task_Triage');
    const t2 = await task(second.body.caseId, 'Task_Triage');

    // Cancelled on the cluster directly (as an operator in Operate would): the sync takes it out.
    await cluster.core.engine.cancelInstance(first.body.processInstanceKey);
    const supervisor = await as('supervisor');
    const end = Date.now() + 15_000;
    let listed = true;
    while (listed && Date.now() < end) {
      listed = (await supervisor.get('/api/tasks?scope=all&limit=200')).body.items.some((t: Json) => t.key === t1.key);
      if (listed) await sleep(100);
    }
    expect(listed).toBe(false);
    expect((await supervisor.get(`/api/tasks/${t1.key}`)).body.state).toBe('canceled');

    // Cancelled through the service: Zeebe ends it, the inbox drops the task at once.
    const cancelled = await supervisor.post(`/api/process-instances/${second.body.processInstanceKey}/cancel`).send({});
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('canceled');
    expect((await cluster.core.engine.getInstance(second.body.processInstanceKey)).state).toBe('canceled');
    expect((await supervisor.get('/api/tasks?scope=all&limit=200')).body.items.some((t: Json) => t.key === t2.key)).toBe(false);
  });

  it('supervision reads the Zeebe-mode tasks: a task past its due date is overdue, coloured and escalated', async () => {
    const intake = await as('intake');
    const [employer] = (await service.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'")) as Json[];
    const created = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId: employer.id } }));
    expect(created.status).toBe(201);
    await settle();
    const triage = await task(created.body.caseId, 'Task_Triage');
    const supervisor = await as('supervisor');
    const before = await supervisor.get('/api/supervision/overdue?limit=1000');
    expect(before.status).toBe(200);
    expect((before.body.items as Json[]).some((i) => i.key === triage.key)).toBe(false);

    await advance('P10D');
    const after = await supervisor.get('/api/supervision/overdue?limit=1000');
    expect(after.status).toBe(200);
    const item = (after.body.items as Json[]).find((i) => i.key === triage.key);
    expect(item).toMatchObject({ kind: 'task', caseId: created.body.caseId, elementId: 'Task_Triage' });
    expect(['orange', 'red']).toContain(item!.colour);
    const colours = await supervisor.get(`/api/supervision/task-colours?keys=${triage.key}`);
    expect(colours.status).toBe(200);
    expect(colours.body.items).toEqual([expect.objectContaining({ taskKey: triage.key, colour: item!.colour })]);

    // The runner as the service runs it in Zeebe mode: the Zeebe adapter and the Zeebe-mode task rows.
    const runner = new EscalationRunner({ ds: service.ds, clock: service.clock, engine: service.core.workflow, source: ZEEBE_TASKS, levels: DEFAULT_SERVICE_LEVELS });
    const run = await runner.runOnce();
    expect(run.fired).toBeGreaterThan(0);
    const fired = (await service.ds.query("SELECT level, actions_json FROM supervision_escalations WHERE subject_kind = 'task' AND subject_key = ?", [triage.key])) as Json[];
    expect(fired.map((f) => f.level)).toContain('deadline');
    expect(String(fired.find((f) => f.level === 'deadline')!.actions_json)).toContain('raisePriority');
  });
});
