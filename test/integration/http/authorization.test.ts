/**
 * The trust boundary around cases, tasks and messages (issue 14, items 1, 2, 5, 6, 12, 17, 20): a
 * handler of one street cannot reach another street's case through task variables, messages, the
 * duplicate search or an employer's credit code; a supervisor cannot hand a task to someone who may
 * not see its case; personal data is masked unless revealed (audited); a repeated registration with
 * the same Idempotency-Key answers the first case.
 */
import { makeCreditCode } from '../../../src/cases/credit-code';
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

const CASE_TABLES = ['cases', 'case_parties', 'case_workers', 'case_claims', 'case_processes', 'documents', 'audit_log', 'engine_process_instances', 'engine_jobs', 'engine_user_tasks'];

type Agent = Awaited<ReturnType<TestApp['login']>>;

describe.each(testDbKinds())('authorization of cases, tasks and messages (%s)', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let intake: Agent;
  let supervisor: Agent;
  let handler1: Agent;
  let handler2: Agent;
  let grids: Record<string, string>;
  /** A case of handler1's street (解放路, JF) and one of handler2's (人民路, RM). */
  let jf: { caseId: string; caseNumber: string };
  let rm: { caseId: string; caseNumber: string };

  async function register(gridCode: string, creditBase: string, headers: Record<string, string> = {}) {
    const req = intake.post('/api/complaints');
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    return req.send(complaintBody({ employer: { name: `${gridCode} 测试公司`, creditCode: makeCreditCode(creditBase), address: '某路 1 号', gridId: grids[gridCode] } }));
  }

  /** The case to the investigation: triage by intake over HTTP (through its form), approvals by the supervisor. */
  async function toInvestigation(caseId: string) {
    const triage = await life.task(caseId, 'Task_Triage');
    const done = await intake.post(`/api/tasks/${triage.key}/complete`).send({ variables: { route: 'inspection' } });
    expect(done.status).toBe(200);
    await life.settle();
    await life.complete(caseId, 'Task_ApproveFiling', { filingApproved: true });
    await life.complete(caseId, 'Task_AssignInspectors', { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' });
    return life.task(caseId, 'Task_Investigate');
  }

  const processesOf = async (caseId: string) =>
    ((await t.db.ds.query('SELECT process_instance_key FROM case_processes WHERE case_id = ?', [caseId])) as { process_instance_key: string }[]).map((r) => String(r.process_instance_key)).sort();
  const documentsOf = async (caseId: string) => Number(((await t.db.ds.query('SELECT COUNT(*) AS n FROM documents WHERE case_id = ?', [caseId])) as { n: number }[])[0].n);

  beforeAll(async () => {
    t = await startTestApp(kind, 'authz');
    life = lifecycle(t);
    [intake, supervisor, handler1, handler2] = await Promise.all(['intake', 'supervisor', 'handler1', 'handler2'].map((u) => t.login(u)));
    const rows: { id: string; code: string }[] = await t.db.ds.query('SELECT id, code FROM grids');
    grids = Object.fromEntries(rows.map((r) => [r.code, r.id]));
    const a = await register('JF-01', '91410103MA0000101');
    const b = await register('RM-01', '91410103MA0000202');
    expect([a.status, b.status]).toEqual([201, 201]);
    jf = a.body;
    rm = b.body;
    await life.settle();
  });
  afterAll(async () => t?.close());

  it('refuses task variables the form does not have, so a handler cannot point his task at another street\'s case', async () => {
    const task = await toInvestigation(jf.caseId);
    const rmProcesses = await processesOf(rm.caseId);
    const rmDocuments = await documentsOf(rm.caseId);
    const before = await rowCounts(t.db, CASE_TABLES);
    const forged = await handler1.post(`/api/tasks/${task.key}/complete`).send({
      variables: { caseId: rm.caseId, investigationOutcome: 'order-to-correct', findings: '经查属实', correctionDays: 7 },
    });
    expect(forged.status).toBe(400);
    expect(forged.body.error.code).toBe('VALIDATION_FAILED');
    expect(forged.body.error.details).toEqual([{ path: 'body.variables.caseId', message: expect.any(String) }]);
    const wrongType = await handler1.post(`/api/tasks/${task.key}/complete`).send({ variables: { findings: { nested: true }, investigationOutcome: 'made-up' } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.variables.findings', 'body.variables.investigationOutcome']);
    expect(await rowCounts(t.db, CASE_TABLES)).toEqual(before);

    // The form's own fields go through, and the order lands on the handler's own case only.
    const ok = await handler1.post(`/api/tasks/${task.key}/complete`).send({
      variables: { investigationOutcome: 'order-to-correct', findings: '经查属实', violations: ['wage-arrears'], correctionDays: 7, correctionRequirements: '支付拖欠工资' },
    });
    expect(ok.status).toBe(200);
    await life.settle();
    expect(await documentsOf(jf.caseId)).toBeGreaterThan(0);
    expect(await processesOf(rm.caseId)).toEqual(rmProcesses);
    expect(await documentsOf(rm.caseId)).toBe(rmDocuments);
  });

  it('answers a message naming another street\'s case with 404, and the case gets no new process', async () => {
    const rmProcesses = await processesOf(rm.caseId);
    const before = await rowCounts(t.db, CASE_TABLES);
    const res = await handler1.post('/api/messages').send({ name: 'employer-absconded', correlationKey: rm.caseNumber, variables: { abscondedAt: '2026-12-01' } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    // A number no case has is for office-wide staff only: a handler cannot probe or start processes with it.
    expect((await handler1.post('/api/messages').send({ name: 'employer-absconded', correlationKey: 'LJ-2099-99999' })).status).toBe(404);
    expect(await processesOf(rm.caseId)).toEqual(rmProcesses);
    expect(await rowCounts(t.db, CASE_TABLES)).toEqual(before);
  });

  it('refuses a message that would set a variable the service writes, even on one\'s own case', async () => {
    const before = await rowCounts(t.db, CASE_TABLES);
    const res = await handler1.post('/api/messages').send({ name: 'police-decision', correlationKey: jf.caseNumber, variables: { caseId: rm.caseId, gridCode: 'RM-01' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['body.variables.caseId', 'body.variables.gridCode']);
    expect(await rowCounts(t.db, CASE_TABLES)).toEqual(before);
  });

  it('lets a supervisor assign a task only to a user it is offered to who sees its case', async () => {
    const c = await register('JF-01', '91410103MA0000303');
    await life.settle();
    const triage = await life.task(c.body.caseId, 'Task_Triage');
    const users = (await (await t.login('admin')).get('/api/users')).body.items as { id: string; username: string }[];
    const id = (u: string) => users.find((x) => x.username === u)!.id;
    const before = await rowCounts(t.db, CASE_TABLES);
    // The triage task is offered to intake: a handler (of either street) may not be given it.
    for (const u of ['handler2', 'handler1']) {
      const res = await supervisor.post(`/api/tasks/${triage.key}/assign`).send({ userId: id(u) });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].path).toBe('body.userId');
    }
    expect(await rowCounts(t.db, CASE_TABLES)).toEqual(before);
    const ok = await supervisor.post(`/api/tasks/${triage.key}/assign`).send({ userId: id('intake') });
    expect(ok.status).toBe(200);
    expect(ok.body.assignee).toBe('intake');
    // Nor can handler2 open or complete a JF task by any route.
    expect((await handler2.get(`/api/tasks/${triage.key}`)).status).toBe(404);
    expect((await handler2.post(`/api/tasks/${triage.key}/complete`).send({ variables: {} })).status).toBe(404);
  });

  it('offers 指派监察员 only the handlers who see the case, and refuses anyone else', async () => {
    const c = await register('JF-01', '91410103MA0000505');
    await life.settle();
    const triage = await life.task(c.body.caseId, 'Task_Triage');
    expect((await intake.post(`/api/tasks/${triage.key}/complete`).send({ variables: { route: 'inspection' } })).status).toBe(200);
    await life.settle();
    await life.complete(c.body.caseId, 'Task_ApproveFiling', { filingApproved: true });
    const assign = await life.task(c.body.caseId, 'Task_AssignInspectors');
    const opened = await supervisor.get(`/api/tasks/${assign.key}`);
    expect(opened.body.variables.inspectorChoices).toEqual([{ value: 'handler1', label: '监察员 李强' }]);
    const before = await rowCounts(t.db, CASE_TABLES);
    const foreign = await supervisor.post(`/api/tasks/${assign.key}/complete`).send({ variables: { leadInspector: 'handler1', secondInspector: 'handler2', recusalStatus: 'none' } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details).toEqual([{ path: 'body.variables.secondInspector', message: 'not one of the choices' }]);
    expect(await rowCounts(t.db, CASE_TABLES)).toEqual(before);
    const ok = await supervisor.post(`/api/tasks/${assign.key}/complete`).send({ variables: { leadInspector: 'handler1', secondInspector: 'handler1', recusalStatus: 'none' } });
    expect(ok.status).toBe(200);
    await life.settle();
  });

  it('lists duplicates of the user\'s own grids only', async () => {
    const creditCode = makeCreditCode('91410103MA0000101');
    const mine = await handler1.get('/api/complaints/duplicates').query({ creditCode });
    expect(mine.body.items.map((i: { caseId: string }) => i.caseId)).toContain(jf.caseId);
    const theirs = await handler2.get('/api/complaints/duplicates').query({ creditCode });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
  });

  it('tells only who sees the employer which file already has the credit code', async () => {
    const creditCode = makeCreditCode('91410103MA0000101');
    const [file] = (await t.db.ds.query('SELECT id FROM employers WHERE credit_code = ?', [creditCode])) as { id: string }[];
    const body = { name: '重复公司', creditCode, address: '某路 2 号' };
    const before = await rowCounts(t.db, ['employers', 'audit_log']);
    const foreign = await handler2.post('/api/employers').send({ ...body, gridId: grids['RM-01'] });
    expect(foreign.status).toBe(409);
    expect(foreign.body.error.code).toBe('EMPLOYER_EXISTS');
    expect(JSON.stringify(foreign.body)).not.toContain(file.id);
    const own = await handler1.post('/api/employers').send({ ...body, gridId: grids['JF-01'] });
    expect(own.status).toBe(409);
    expect(own.body.error.details).toEqual({ employerId: file.id });
    expect(await rowCounts(t.db, ['employers', 'audit_log'])).toEqual(before);
  });

  it('masks ID numbers and phones, and reveals them whole only to the roles that need them, audited', async () => {
    const page = await handler1.get(`/api/cases/${jf.caseId}`);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body.complainants[0]).toMatchObject({ idNumber: '410102********1234', phone: '138****0001', email: 'z***@example.com' });
    expect(JSON.stringify(page.body)).not.toContain('410102199001011234');
    expect(page.body.personalData).toEqual({ masked: true, mayReveal: true });
    // The process carries the case id only: no task or instance variable holds the complainant's number.
    const [root] = await processesOf(jf.caseId);
    expect(JSON.stringify((await t.core.engine.getInstance(root)).variables)).not.toContain('410102199001011234');

    const audits = await rowCounts(t.db, ['audit_log']);
    const full = await handler1.post(`/api/cases/${jf.caseId}/reveal`).send({});
    expect(full.status).toBe(200);
    expect(full.headers['cache-control']).toBe('no-store');
    expect(full.body.complainants[0]).toMatchObject({ idNumber: '410102199001011234', phone: '13800000001' });
    const trail = (await t.db.ds.query("SELECT actor_name FROM audit_log WHERE action = 'case.reveal-personal-data' AND case_id = ?", [jf.caseId])) as { actor_name: string }[];
    expect(trail.map((r) => r.actor_name)).toEqual(['handler1']);
    expect((await rowCounts(t.db, ['audit_log'])).audit_log).toBe(audits.audit_log + 1);

    const sup = await supervisor.post(`/api/cases/${jf.caseId}/reveal`).send({});
    expect(sup.status).toBe(403);
    expect((await supervisor.get(`/api/cases/${jf.caseId}`)).body.personalData.mayReveal).toBe(false);
    expect((await handler2.post(`/api/cases/${jf.caseId}/reveal`).send({})).status).toBe(404);
    expect((await rowCounts(t.db, ['audit_log'])).audit_log).toBe(audits.audit_log + 1);
  });

  it('answers a repeated registration with the same Idempotency-Key with the first case, also when sent at once', async () => {
    const before = await rowCounts(t.db, ['cases']);
    const first = await register('JF-02', '91410103MA0000404', { 'Idempotency-Key': 'intake-key-0001' });
    const again = await register('JF-02', '91410103MA0000404', { 'Idempotency-Key': 'intake-key-0001' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ caseId: first.body.caseId, caseNumber: first.body.caseNumber, replayed: true });
    const burst = await Promise.all(Array.from({ length: 5 }, () => register('JF-02', '91410103MA0000404', { 'Idempotency-Key': 'intake-key-0002' })));
    expect(new Set(burst.map((r) => r.body.caseId)).size).toBe(1);
    expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
    expect((await rowCounts(t.db, ['cases'])).cases).toBe(before.cases + 2);
    expect((await intake.post('/api/complaints').set('Idempotency-Key', 'bad key!').send(complaintBody())).status).toBe(400);
    await life.settle();
  });
  it('refuses a grid code that is a role name, and such a grid grants no role\'s tasks to its members', async () => {
    const admin = await t.login('admin');
    const before = await rowCounts(t.db, ['grids', 'audit_log']);
    for (const code of ['handler', 'Supervisor', 'intake']) {
      const res = await admin.post('/api/grids').send({ code, name: '冒名网格' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('GRID_CODE_RESERVED');
    }
    expect(await rowCounts(t.db, ['grids', 'audit_log'])).toEqual(before);
    // A grid that came in earlier under such a code (straight into the table) is no candidate group.
    const [office] = (await t.db.ds.query('SELECT id FROM offices')) as { id: string }[];
    const users = (await admin.get('/api/users')).body.items as { id: string; username: string }[];
    const gridId = '0e5b3c3a-1b7e-4c55-8f0e-8a1f3d2c9b11';
    await t.db.ds.query('INSERT INTO grids (id, office_id, parent_id, level, code, name, created_at) VALUES (?, ?, NULL, 1, ?, ?, ?)', [gridId, office.id, 'supervisor', '旧网格', 0]);
    await t.db.ds.query('INSERT INTO user_grids (user_id, grid_id) VALUES (?, ?)', [users.find((u) => u.username === 'handler2')!.id, gridId]);
    const me = await (await t.login('handler2')).get('/api/session');
    expect(me.body.groups).not.toContain('supervisor');
  });

  // Last: it leaves an incident, which the lifecycle helpers of the other tests would stop at.
  it('stops a job whose caseId names a case its process does not belong to, with an incident', async () => {
    // A supervisor repairing variables is trusted with the office, but not to move a process to another case.
    const [root] = await processesOf(rm.caseId);
    const rmDocuments = await documentsOf(rm.caseId);
    await t.core.engine.setVariables(root, { caseId: jf.caseId });
    const jfDocuments = await documentsOf(jf.caseId);
    const tasks = await t.core.engine.listTasks({ processInstanceKey: root });
    expect(tasks).toHaveLength(1);
    await t.core.engine.completeTask(tasks[0].key, { route: 'inspection' }, 'intake');
    const end = Date.now() + 20_000;
    let incidents: { errorMessage: string }[] = [];
    while (Date.now() < end && !incidents.length) {
      incidents = await t.core.engine.listIncidents({ state: 'active', processInstanceKey: root });
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(incidents[0]?.errorMessage).toMatch(/此流程不属于办理数据中所指的案件/);
    expect(await documentsOf(jf.caseId)).toBe(jfDocuments);
    expect(await documentsOf(rm.caseId)).toBe(rmDocuments);
  });
});
