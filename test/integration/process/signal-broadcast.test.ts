/**
 * Broadcasting a signal to the running cases over HTTP, on both databases: a supervisor sends "the
 * holiday schedule changed" with a reason, and it reaches only his own office — its cases (by the
 * case's office) and its processes without a case (by their recorded scope); another office's waiting
 * instances, and instances of no office, stay where they are. The administrator names the office, or
 * says allOffices. A signal start event started by a supervisor's broadcast belongs to his office, so
 * another office's supervisor does not see its task. The audit log names who, why, where and the
 * variables' names (not their values).
 */
import crypto from 'node:crypto';
import { recordCaseProcess } from '../../../src/cases/store';
import { recordInstanceScope } from '../../../src/tasks/instance-scopes';
import { diagram } from '../../fixtures/bpmn/diagram';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody } from '../../support/lifecycle';

jest.setTimeout(180_000);

const SIGNAL = 'holiday-schedule-changed';

const WAITING = diagram(`
  <bpmn:startEvent id="start" />
  <bpmn:intermediateCatchEvent id="waitSchedule" name="等待节假日安排"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:intermediateCatchEvent>
  <bpmn:serviceTask id="recompute" name="重算期限"><bpmn:extensionElements><zeebe:taskDefinition type="signal-test-recompute" /></bpmn:extensionElements></bpmn:serviceTask>
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="waitSchedule" />
  <bpmn:sequenceFlow id="f2" sourceRef="waitSchedule" targetRef="recompute" />`,
{ id: 'signal-http-test', rootElements: `<bpmn:signal id="sig" name="${SIGNAL}" />` });

/** A signal start event: each broadcast opens a review task for the supervisors. */
const STARTED = diagram(`
  <bpmn:startEvent id="onSchedule" name="节假日安排变更"><bpmn:signalEventDefinition signalRef="sig" /></bpmn:startEvent>
  <bpmn:userTask id="review" name="核对新的节假日安排"><bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="supervisor" /></bpmn:extensionElements></bpmn:userTask>
  <bpmn:sequenceFlow id="s1" sourceRef="onSchedule" targetRef="review" />`,
{ id: 'signal-start-test', rootElements: `<bpmn:signal id="sig" name="${SIGNAL}" />` });

describe.each(testDbKinds())('signal broadcast over HTTP on %s', (kind) => {
  let t: TestApp;
  let office1: string;
  let office2: string;
  /** Instances waiting for the signal: of a case of office 1, of a process of office 1 without a case, of office 2, of no office. */
  const pi: Record<'case1' | 'scoped1' | 'scoped2' | 'unscoped', string> = { case1: '', scoped1: '', scoped2: '', unscoped: '' };

  const waitingAt = async (key: string) => (await t.core.engine.getInstance(key)).elements.filter((e) => e.state === 'active').map((e) => e.elementId);
  const signalCount = async () => Number(((await t.db.ds.query('SELECT COUNT(*) AS n FROM engine_signals')) as { n: number | string }[])[0].n);
  const audits = async () => ((await t.db.ds.query("SELECT entity_id, after_json FROM audit_log WHERE action = 'signal.broadcast' ORDER BY id")) as { entity_id: string; after_json: string }[])
    .map((a) => ({ key: a.entity_id, after: JSON.parse(a.after_json) as Record<string, unknown>, raw: a.after_json }));

  beforeAll(async () => {
    t = await startTestApp(kind, 'signals');
    await t.core.engine.deploy([{ name: 'signal-http-test.bpmn', content: WAITING }, { name: 'signal-start-test.bpmn', content: STARTED }], 'test');
    office1 = ((await t.db.ds.query("SELECT office_id FROM users WHERE username = 'supervisor'")) as { office_id: string }[])[0].office_id;
    office2 = crypto.randomUUID();
    await t.db.ds.query('INSERT INTO offices (id, code, name, doc_prefix, created_at) VALUES (?, ?, ?, ?, ?)', [office2, 'ZZ-ZY', '郑州市中原区劳动保障监察大队', '中人社监', 0]);
    // The second office's supervisor: the demo supervisor's account copied into it.
    const sup2 = crypto.randomUUID();
    await t.db.ds.query(
      `INSERT INTO users (id, office_id, username, display_name, password_hash, active, created_at, updated_at)
       SELECT ?, ?, 'supervisor2', '中原区大队长', password_hash, active, created_at, updated_at FROM users WHERE username = 'supervisor'`, [sup2, office2]);
    await t.db.ds.query("INSERT INTO user_roles (user_id, role) VALUES (?, 'supervisor')", [sup2]);

    const jf = ((await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'")) as { id: string }[])[0];
    const complaint = await (await t.login('intake')).post('/api/complaints').send(complaintBody({ employer: { employerId: jf.id } }));
    expect(complaint.status).toBe(201);
    for (const k of Object.keys(pi) as (keyof typeof pi)[]) pi[k] = (await t.core.engine.createInstance({ bpmnProcessId: 'signal-http-test', variables: {} })).processInstanceKey;
    await t.db.ds.transaction(async (em) => {
      await recordCaseProcess(em, complaint.body.caseId, pi.case1, 'signal-http-test', 'called', 0);
      await recordInstanceScope(em, pi.scoped1, { officeId: office1, gridId: null, kind: 'patrol' }, 0);
      await recordInstanceScope(em, pi.scoped2, { officeId: office2, gridId: null, kind: 'patrol' }, 0);
    });
  });
  afterAll(async () => { await t?.close(); });

  test('the signal page lists the declared signals with the steps that catch them, by their names', async () => {
    const supervisor = await t.login('supervisor');
    const page = await supervisor.get('/api/signals');
    expect(page.status).toBe(200);
    expect(page.body.offices).toEqual([]);
    expect(page.body.officeName).toBe('郑州市二七区劳动保障监察大队');
    const sig = page.body.signals.find((s: { name: string }) => s.name === SIGNAL);
    expect(sig.catches).toEqual(expect.arrayContaining([
      { processName: '未命名流程', stepName: '等待节假日安排', kind: 'catch', attachedToName: null },
      { processName: '未命名流程', stepName: '节假日安排变更', kind: 'start', attachedToName: null },
    ]));
    const admin = await (await t.login('admin')).get('/api/signals');
    expect(admin.body.offices.map((o: { name: string }) => o.name).sort()).toEqual(['郑州市中原区劳动保障监察大队', '郑州市二七区劳动保障监察大队'].sort());
    expect((await (await t.login('handler1')).get('/api/signals')).status).toBe(403);
  });

  test('the waiting count is the office\'s own', async () => {
    const mine = await (await t.login('supervisor')).get('/api/signals/waiting').query({ name: SIGNAL });
    expect(mine.body).toEqual({ cases: 1, otherProcesses: 1, starts: 1 });
    const theirs = await (await t.login('supervisor2')).get('/api/signals/waiting').query({ name: SIGNAL });
    expect(theirs.body).toEqual({ cases: 0, otherProcesses: 1, starts: 1 });
    const all = await (await t.login('admin')).get('/api/signals/waiting').query({ name: SIGNAL, allOffices: 'true' });
    expect(all.body).toEqual({ cases: 1, otherProcesses: 3, starts: 1 });
  });

  test('bad requests change nothing: a handler, another office, an admin naming no office, an unknown name', async () => {
    const before = await signalCount();
    const reason = '国务院办公厅发布新的节假日安排';
    const denied = await (await t.login('handler1')).post('/api/signals').send({ name: SIGNAL, reason });
    expect(denied.status).toBe(403);
    const supervisor = await t.login('supervisor');
    const foreign = await supervisor.post('/api/signals').send({ name: SIGNAL, reason, officeId: office2 });
    expect(foreign.status).toBe(403);
    expect((await supervisor.post('/api/signals').send({ name: SIGNAL, reason, allOffices: true })).status).toBe(403);
    const admin = await t.login('admin');
    const noOffice = await admin.post('/api/signals').send({ name: SIGNAL, reason });
    expect(noOffice.status).toBe(400);
    expect(noOffice.body.error.code).toBe('SIGNAL_OFFICE_REQUIRED');
    const both = await admin.post('/api/signals').send({ name: SIGNAL, reason, officeId: office1, allOffices: true });
    expect(both.body.error.code).toBe('VALIDATION_FAILED');
    const noSuchOffice = await admin.post('/api/signals').send({ name: SIGNAL, reason, officeId: crypto.randomUUID() });
    expect(noSuchOffice.status).toBe(404);
    const unknown = await supervisor.post('/api/signals').send({ name: 'holiday-schedule-chnaged', reason });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('UNKNOWN_SIGNAL');
    expect((await supervisor.get('/api/signals/waiting').query({ name: 'holiday-schedule-chnaged' })).body.error.code).toBe('UNKNOWN_SIGNAL');
    expect(await signalCount()).toBe(before);
    for (const key of Object.values(pi)) expect(await waitingAt(key)).toEqual(['waitSchedule']);
    expect(await audits()).toEqual([]);
  });

  test('a supervisor\'s broadcast moves only his office\'s instances; what it starts is his office\'s', async () => {
    const hostile = '<script>alert(1)</script>\'; DROP TABLE cases; -- 国务院办公厅发布新的节假日安排';
    const res = await (await t.login('supervisor')).post('/api/signals').send({ name: SIGNAL, variables: { scheduleYear: 2027 }, reason: hostile });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ triggered: 2, started: 1, signalKey: expect.stringMatching(/^\d+$/) });
    for (const key of [pi.case1, pi.scoped1]) {
      expect(await waitingAt(key)).toEqual(['recompute']);
      expect((await t.core.engine.getInstance(key)).variables).toMatchObject({ scheduleYear: 2027 });
    }
    for (const key of [pi.scoped2, pi.unscoped]) expect(await waitingAt(key)).toEqual(['waitSchedule']);

    const [audit] = await audits();
    expect(audit.key).toBe(res.body.signalKey);
    expect(audit.after).toEqual({ name: SIGNAL, variableNames: ['scheduleYear'], reason: hostile, officeId: office1, triggered: 2, started: 1 });
    expect(audit.raw).not.toContain('2027');
    expect(Number(((await t.db.ds.query('SELECT COUNT(*) AS n FROM cases')) as { n: number | string }[])[0].n)).toBeGreaterThan(0);

    // The started review belongs to office 1: its supervisor sees the task, office 2's does not.
    const [started] = (await t.core.engine.searchInstances({ bpmnProcessId: 'signal-start-test' }));
    const [task] = await t.core.engine.searchTasks({ processInstanceKey: started.processInstanceKey });
    expect((await (await t.login('supervisor')).get(`/api/tasks/${task.key}`)).status).toBe(200);
    expect((await (await t.login('supervisor2')).get(`/api/tasks/${task.key}`)).status).toBe(404);
  });

  test('the administrator reaches the office he names, or every office when he says so', async () => {
    const admin = await t.login('admin');
    const one = await admin.post('/api/signals').send({ name: SIGNAL, reason: '中原区补发通知', officeId: office2 });
    expect(one.body).toMatchObject({ triggered: 1, started: 1 });
    expect(await waitingAt(pi.scoped2)).toEqual(['recompute']);
    expect(await waitingAt(pi.unscoped)).toEqual(['waitSchedule']);

    const all = await admin.post('/api/signals').send({ name: SIGNAL, reason: '全市统一通知', allOffices: true });
    expect(all.body).toMatchObject({ triggered: 1, started: 1 });
    expect(await waitingAt(pi.unscoped)).toEqual(['recompute']);
    const trail = (await audits()).map((a) => a.after);
    expect(trail.slice(1)).toEqual([
      { name: SIGNAL, variableNames: [], reason: '中原区补发通知', officeId: office2, triggered: 1, started: 1 },
      { name: SIGNAL, variableNames: [], reason: '全市统一通知', allOffices: true, triggered: 1, started: 1 },
    ]);
  });
});
