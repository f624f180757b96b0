/**
 * Supervision on both databases: a triage task turns 黄, 橙 and 红 as the clock passes its goal and
 * deadline; the escalation runner fires each level once, also after a restart, and lists the case
 * for supervision with a due date and an owner; the dashboard's 挂牌督办; the on-time closure rate;
 * who may see it all.
 */
import crypto from 'node:crypto';
import { EscalationRunner, loadServiceLevels } from '../../../src/supervision';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

jest.setTimeout(120_000);

type Row = Record<string, unknown>;

interface OverdueItem { key: string; colour: string; urgency: string; caseId: string; gridName: string | null; serviceLevel: string; dueAt: string }

describe.each(testDbKinds())('supervision on %s', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;
  let caseId: string;
  let taskKey: string;
  let dueAt: number;

  beforeAll(async () => {
    t = await startTestApp(kind, 'supervision');
    // The periodic runner would race the explicit runs of these tests.
    await t.core.supervision.stop();
    life = lifecycle(t);
    const rows: { id: string }[] = await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    employerId = rows[0].id;
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId } }));
    expect(res.status).toBe(201);
    caseId = res.body.caseId;
    await life.settle();
    const task = await life.task(caseId, 'Task_Triage');
    taskKey = task.key;
    dueAt = Date.parse((await t.core.engine.getTask(taskKey)).dueDate!);
  });
  afterAll(async () => t?.close());

  const overdue = async (): Promise<{ body: { items: OverdueItem[]; byGrid: { name: string; red: number; orange: number; yellow: number }[]; byPerson: unknown[]; counts: Record<string, number> } }> => {
    const sup = await t.login('supervisor');
    const res = await sup.get('/api/supervision/overdue');
    expect(res.status).toBe(200);
    return res;
  };
  const itemOf = async () => (await overdue()).body.items.find((i) => i.key === taskKey);
  const escalations = async (): Promise<Row[]> => t.db.ds.query("SELECT level, service_level FROM supervision_escalations WHERE subject_kind = 'task' AND subject_key = ? ORDER BY fired_at, level", [taskKey]);

  it('a task is not listed before its goal, turns 橙 past its deadline and 红 when seriously overdue', async () => {
    expect(await itemOf()).toBeUndefined();
    // Move to one hour after the deadline.
    const hours = Math.ceil((dueAt - t.clock.now().getTime()) / 3600_000) + 1;
    await life.advance(`PT${hours}H`);
    const item = await itemOf();
    expect(item).toMatchObject({ colour: 'orange', urgency: 'overdue', caseId, serviceLevel: 'triage', gridName: '解放路街道' });
    const { body } = await overdue();
    expect(body.byGrid.find((g) => g.name === '解放路街道')?.orange).toBeGreaterThanOrEqual(1);
    expect(body.counts.total).toBeGreaterThanOrEqual(1);

    // Colours in the inbox come from the same computation.
    const intake = await t.login('intake');
    const colours = await intake.get(`/api/supervision/task-colours?keys=${taskKey}`);
    expect(colours.body.items).toEqual([expect.objectContaining({ taskKey, colour: 'orange', urgency: 'overdue' })]);
    const handler2 = await t.login('handler2');
    expect((await handler2.get(`/api/supervision/task-colours?keys=${taskKey}`)).body.items).toEqual([]); // not their grid
  });

  it('fires goal and deadline once each, raising the priority and writing the case timeline', async () => {
    const before = Number((await t.core.engine.getTask(taskKey)).priority);
    const first = await t.core.supervision.runOnce();
    expect(first.fired).toBeGreaterThanOrEqual(2);
    expect((await escalations()).map((r) => r.level).sort()).toEqual(['deadline', 'goal']);
    expect(Number((await t.core.engine.getTask(taskKey)).priority)).toBe(before + 20);
    const again = await t.core.supervision.runOnce();
    expect(again.fired).toBe(0);
    // A new runner (as after a restart) finds the levels recorded and fires nothing again.
    const restarted = new EscalationRunner({ ds: t.db.ds, clock: t.clock, engine: t.core.engine, levels: loadServiceLevels() });
    expect((await restarted.runOnce()).fired).toBe(0);
    expect(Number((await t.core.engine.getTask(taskKey)).priority)).toBe(before + 20);

    const timeline: Row[] = await t.db.ds.query("SELECT action, after_json FROM audit_log WHERE case_id = ? AND action = 'supervision.escalate' ORDER BY id", [caseId]);
    expect(timeline.map((r) => JSON.parse(String(r.after_json)).level).filter((l: string) => l === 'goal' || l === 'deadline')).toEqual(['goal', 'deadline']);
    const mails: Row[] = await t.db.ds.query("SELECT to_json, subject FROM mail_outbox WHERE case_id = ? AND purpose = 'supervision_escalation'", [caseId]);
    // The demo office's supervision mailbox is on file (office_contacts): the escalation writes to it.
    expect(mails.map((m) => String(m.to_json)).join(' ')).toContain('supervisors@erqi-hrss.example.cn');
    expect(mails.map((m) => String(m.to_json)).join(' ')).not.toContain('supervisor@');
    expect(mails.map((m) => String(m.subject)).join(' ')).toContain('已到期');
  });

  it('seriously overdue: 红, and the repeated passed-deadline levels list the case for supervision with a due date and owner', async () => {
    await life.advance('P5D');
    expect((await itemOf())?.colour).toBe('red');
    await t.core.supervision.runOnce();
    const levels = (await escalations()).map((r) => String(r.level));
    expect(levels).toEqual(expect.arrayContaining(['passed-1', 'passed-2']));
    expect(new Set(levels).size).toBe(levels.length);
    const [listed] = (await t.db.ds.query('SELECT owner, due_at, source FROM supervision_cases WHERE case_id = ?', [caseId])) as Row[];
    expect(listed).toMatchObject({ owner: 'supervisor', source: 'escalation' });
    expect(Number(listed.due_at)).toBeGreaterThan(t.clock.now().getTime());
    expect(Number((await life.caseRow(caseId)).supervised)).toBe(1);
    expect((await t.core.supervision.runOnce()).fired).toBe(0);
    const sup = await t.login('supervisor');
    const res = await sup.get('/api/supervision/overdue');
    expect(res.body.supervised.map((s: { caseId: string }) => s.caseId)).toContain(caseId);
  });

  it('a completed task leaves the list and escalates no further', async () => {
    await life.complete(caseId, 'Task_Triage', { route: 'not-accepted', triageOpinion: '不予受理', withinLimitation: true, employerIdentified: true, withinJurisdiction: true }, 'intake');
    expect(await itemOf()).toBeUndefined();
    const n = (await escalations()).length;
    await life.advance('P10D');
    await t.core.supervision.runOnce();
    expect((await escalations()).length).toBe(n);
  });

  it('a supervisor lists a case for supervision from the dashboard; others may not', async () => {
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId } }));
    const other = res.body.caseId as string;
    await life.settle();
    const sup = await t.login('supervisor');
    const due = new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const ok = await sup.post(`/api/supervision/cases/${other}/supervise`).send({ dueAt: due, owner: 'supervisor', reason: '欠薪案件，挂牌督办' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ caseId: other, owner: 'supervisor', source: 'dashboard' });
    expect(Number((await life.caseRow(other)).supervised)).toBe(1);
    const audit: Row[] = await t.db.ds.query("SELECT action FROM audit_log WHERE case_id = ? AND action = 'case.supervise'", [other]);
    expect(audit).toHaveLength(1);

    expect((await sup.post(`/api/supervision/cases/${other}/supervise`).send({ dueAt: due, owner: 'nobody' })).status).toBe(400);
    expect((await sup.post(`/api/supervision/cases/${other}/supervise`).send({ dueAt: '2000-01-01', owner: 'supervisor' })).status).toBe(400);
    expect((await sup.post(`/api/supervision/cases/${crypto.randomUUID()}/supervise`).send({ dueAt: due, owner: 'supervisor' })).status).toBe(404);
    const handler = await t.login('handler1');
    expect((await handler.post(`/api/supervision/cases/${other}/supervise`).send({ dueAt: due, owner: 'supervisor' })).status).toBe(403);
  });

  it('two runners at once fire each level once', async () => {
    const intake = await t.login('intake');
    await intake.post('/api/complaints').send(complaintBody({ employer: { employerId } }));
    await life.settle();
    await life.advance('P12D');
    const count = async () => Number(((await t.db.ds.query('SELECT COUNT(*) AS n FROM supervision_escalations')) as Row[])[0].n);
    const before = await count();
    const a = new EscalationRunner({ ds: t.db.ds, clock: t.clock, engine: t.core.engine, levels: loadServiceLevels() });
    const b = new EscalationRunner({ ds: t.db.ds, clock: t.clock, engine: t.core.engine, levels: loadServiceLevels() });
    const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(ra.fired + rb.fired).toBe((await count()) - before);
    expect((await count()) - before).toBeGreaterThan(0);
    const dup: Row[] = await t.db.ds.query('SELECT subject_kind, subject_key, level, COUNT(*) AS n FROM supervision_escalations GROUP BY subject_kind, subject_key, level HAVING COUNT(*) > 1');
    expect(dup).toEqual([]);
    const mails: Row[] = await t.db.ds.query("SELECT idempotency_key, COUNT(*) AS n FROM mail_outbox WHERE purpose = 'supervision_escalation' GROUP BY idempotency_key HAVING COUNT(*) > 1");
    expect(mails).toEqual([]);
  });

  it('lists statutory limits close to expiry (a police answer due) and escalates them to the supervisor', async () => {
    const now = t.clock.now().getTime();
    const id = crypto.randomUUID();
    await t.db.ds.query(
      `INSERT INTO case_deadlines (id, case_id, rule, due_at, due_date, provisional, explanation_json, state, created_at, updated_at)
       VALUES (?, ?, 'police.decision', ?, ?, 0, '{}', 'open', ?, ?)`, [id, caseId, now - 3600_000, new Date(now + 8 * 3600_000 - 3600_000).toISOString().slice(0, 10), now - 4 * 86_400_000, now]);
    const sup = await t.login('supervisor');
    const res = await sup.get('/api/supervision/overdue');
    const item = res.body.statutory.items.find((i: { key: string }) => i.key === id);
    expect(item).toMatchObject({ kind: 'deadline', rule: 'police.decision', serviceLevel: 'outside-answers', caseId, urgency: expect.stringMatching(/^(today|overdue)$/), colour: 'orange' });
    await t.core.supervision.runOnce();
    const fired: Row[] = await t.db.ds.query("SELECT level FROM supervision_escalations WHERE subject_kind = 'deadline' AND subject_key = ? ORDER BY level", [id]);
    expect(fired.map((r) => r.level)).toEqual(['deadline', 'goal']);
  });

  it('answers 403 to handlers and intake and 401 without a session', async () => {
    for (const user of ['handler1', 'intake', 'legal']) {
      const agent = await t.login(user);
      expect((await agent.get('/api/supervision/overdue')).status).toBe(403);
      expect((await agent.get('/api/supervision/stats')).status).toBe(403);
    }
    expect((await t.anonymous().get('/api/supervision/overdue')).status).toBe(401);
    const admin = await t.login('admin');
    expect((await admin.get('/api/supervision/overdue')).status).toBe(200);
    const sup = await t.login('supervisor');
    expect((await sup.get('/api/supervision/stats?period=week')).status).toBe(400);
  });

  it('computes the on-time closure rate per grid and period', async () => {
    const [office] = (await t.db.ds.query('SELECT id FROM offices')) as Row[];
    const grids = new Map(((await t.db.ds.query('SELECT id, code FROM grids')) as Row[]).map((g) => [String(g.code), String(g.id)]));
    const at = (d: string) => Date.parse(`${d}T10:00:00+08:00`);
    let seq = 90000;
    const closedCase = async (grid: string, received: string, target: string, closed: string | null) => {
      const id = crypto.randomUUID();
      seq++;
      await t.db.ds.query(
        `INSERT INTO cases (id, office_id, grid_id, case_number, year, sequence, kind, channel, received_at, status, supervised, duplicate_flag, summary,
           workers_count, wage_arrears, filed_at, closed_at, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, 2025, ?, 'complaint', 'window', ?, ?, 0, 0, 'x', 0, 1, ?, ?, 'test', ?, ?)`,
        [id, office.id, grids.get(grid), `STAT-${seq}`, seq, at(received), closed ? 'closed' : 'filed', at(received), closed ? at(closed) : null, at(received), at(received)]);
      await t.db.ds.query(
        `INSERT INTO case_deadlines (id, case_id, rule, due_at, due_date, provisional, explanation_json, state, created_at, updated_at)
         VALUES (?, ?, 'closure.target', ?, ?, 0, '{}', 'open', ?, ?)`,
        [crypto.randomUUID(), id, Date.parse(`${target}T23:59:59.999+08:00`), target, at(received), at(received)]);
    };
    // 解放路 (JF-01, JF-02): three closed in March 2025, two on time; one still open.
    await closedCase('JF-01', '2025-03-01', '2025-03-08', '2025-03-07');
    await closedCase('JF-02', '2025-03-02', '2025-03-09', '2025-03-09');
    await closedCase('JF-01', '2025-03-03', '2025-03-10', '2025-03-20');
    await closedCase('JF-01', '2025-03-04', '2025-03-11', null);
    // 人民路: one closed late in April.
    await closedCase('RM-01', '2025-04-01', '2025-04-08', '2025-04-15');
    // Closures written straight into the tables (as by an import) are found by a runner's first pass.
    await new EscalationRunner({ ds: t.db.ds, clock: t.clock, engine: t.core.engine, levels: loadServiceLevels() }).runOnce();
    const sup = await t.login('supervisor');
    const res = await sup.get('/api/supervision/stats?period=month&from=2025-01-01&to=2025-12-31');
    expect(res.status).toBe(200);
    const jf = res.body.rows.find((r: { gridName: string; period: string }) => r.gridName === '解放路街道' && r.period === '2025-03');
    expect(jf).toMatchObject({ received: 4, closed: 3, closedOnTime: 2, closedLate: 1, onTimeRate: 0.6667 });
    const rm = res.body.rows.find((r: { gridName: string; period: string }) => r.gridName === '人民路街道' && r.period === '2025-04');
    expect(rm).toMatchObject({ received: 1, closed: 1, closedOnTime: 0, onTimeRate: 0 });
    expect(res.body.totals).toMatchObject({ received: 5, closed: 4, closedOnTime: 2, onTimeRate: 0.5 });
    const quarter = await sup.get('/api/supervision/stats?period=quarter&from=2025-01-01&to=2025-12-31');
    expect(quarter.body.rows.find((r: { gridName: string; period: string }) => r.gridName === '解放路街道')).toMatchObject({ period: '2025-Q1', closed: 3 });
    const march = await sup.get('/api/supervision/stats?period=month&from=2025-03-05&to=2025-03-31');
    expect(march.body.totals).toMatchObject({ received: 0, closed: 3, closedOnTime: 2 });
    // Recording again (another runner's first pass, the route's catch-up) counts nothing twice.
    await new EscalationRunner({ ds: t.db.ds, clock: t.clock, engine: t.core.engine, levels: loadServiceLevels() }).runOnce();
    const again = await sup.get('/api/supervision/stats?period=month&from=2025-01-01&to=2025-12-31');
    expect(again.body.totals).toEqual(res.body.totals);
  });
});
