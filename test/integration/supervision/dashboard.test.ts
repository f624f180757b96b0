/**
 * The supervision dashboard adds up, on both databases: closed = 按期 + 逾期 + 无期限 per row and in
 * the totals, with every period of the range listed; a case a diagram flagged 挂牌督办 (the police
 * silent past their 3 日) is listed like one flagged from the dashboard, with an owner named by display
 * name and a reason; statutory limits and office targets are told apart; closing a case clears its tag.
 */
import crypto from 'node:crypto';
import { systemActor } from '../../../src/audit/audit';
import { closeCase } from '../../../src/cases/close-case';
import { setCaseStatus } from '../../../src/cases/set-status';
import { inTransaction } from '../../../src/db/data-source';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle, Lifecycle } from '../../support/lifecycle';

jest.setTimeout(120_000);

type Row = Record<string, unknown>;
interface Supervised { caseId: string; owner: string; ownerName: string; reason: string | null; source: string; dueAt: string }

describe.each(testDbKinds())('the supervision dashboard on %s', (kind) => {
  let t: TestApp;
  let life: Lifecycle;
  let employerId: string;

  beforeAll(async () => {
    t = await startTestApp(kind, 'supervision-dashboard');
    await t.core.supervision.stop();
    life = lifecycle(t);
    const rows: { id: string }[] = await t.db.ds.query("SELECT e.id FROM employers e JOIN grids g ON g.id = e.grid_id WHERE g.code = 'JF-01'");
    employerId = rows[0].id;
  });
  afterAll(async () => t?.close());

  const newCase = async (): Promise<string> => {
    const intake = await t.login('intake');
    const res = await intake.post('/api/complaints').send(complaintBody({ employer: { employerId } }));
    expect(res.status).toBe(201);
    await life.settle();
    return res.body.caseId as string;
  };
  const supervised = async (): Promise<Supervised[]> => {
    const sup = await t.login('supervisor');
    const res = await sup.get('/api/supervision/overdue');
    expect(res.status).toBe(200);
    return res.body.supervised as Supervised[];
  };

  it('closed cases add up: on time + late + without a target, per row and in the totals, over every period of the range', async () => {
    const [office] = (await t.db.ds.query('SELECT id FROM offices')) as Row[];
    const [grid] = (await t.db.ds.query("SELECT id FROM grids WHERE code = 'JF-01'")) as Row[];
    const at = (d: string) => Date.parse(`${d}T10:00:00+08:00`);
    let seq = 70000;
    const closed = async (received: string, target: string | null, closedOn: string) => {
      const id = crypto.randomUUID();
      seq++;
      await t.db.ds.query(
        `INSERT INTO cases (id, office_id, grid_id, case_number, year, sequence, kind, channel, received_at, status, supervised, duplicate_flag, summary,
           workers_count, wage_arrears, filed_at, closed_at, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, 2024, ?, 'complaint', 'window', ?, 'closed', 0, 0, 'x', 0, 1, ?, ?, 'test', ?, ?)`,
        [id, office.id, grid.id, `DASH-${seq}`, seq, at(received), at(received), at(closedOn), at(received), at(received)]);
      if (target) {
        await t.db.ds.query(
          `INSERT INTO case_deadlines (id, case_id, rule, due_at, due_date, provisional, explanation_json, state, created_at, updated_at)
           VALUES (?, ?, 'closure.target', ?, ?, 0, '{}', 'met', ?, ?)`,
          [crypto.randomUUID(), id, Date.parse(`${target}T23:59:59.999+08:00`), target, at(received), at(received)]);
      }
    };
    // May 2024: one late, one without a target (not accepted at intake); July: one on time.
    await closed('2024-05-02', '2024-05-09', '2024-05-20');
    await closed('2024-05-03', null, '2024-05-04');
    await closed('2024-07-01', '2024-07-08', '2024-07-05');
    await t.core.supervision.runOnce();
    const sup = await t.login('supervisor');
    const res = await sup.get('/api/supervision/stats?period=month&from=2024-05-01&to=2024-07-31');
    expect(res.status).toBe(200);
    const { rows, totals, periods } = res.body as { rows: Record<string, number>[]; totals: Record<string, number>; periods: string[] };
    for (const r of [...rows, totals]) expect(r.closed).toBe(r.closedOnTime + r.closedLate + r.closedWithoutTarget);
    expect(totals).toMatchObject({ received: 3, closed: 3, closedOnTime: 1, closedLate: 1, closedWithoutTarget: 1, onTimeRate: 0.5 });
    // June has no case: it is still a period of the range, so the chart's axis is the whole range.
    expect(periods).toEqual(['2024-05', '2024-06', '2024-07']);
    const quarters = await sup.get('/api/supervision/stats?period=quarter&from=2024-05-01&to=2024-07-31');
    expect(quarters.body.periods).toEqual(['2024-Q2', '2024-Q3']);
  });

  it('a case a diagram flags 挂牌督办 is listed with a supervisor as owner (by name) and the overdue limit as reason', async () => {
    const caseId = await newCase();
    const now = t.clock.now().getTime();
    await t.db.ds.query(
      `INSERT INTO case_deadlines (id, case_id, rule, due_at, due_date, provisional, explanation_json, state, created_at, updated_at)
       VALUES (?, ?, 'police.decision', ?, ?, 0, ?, 'open', ?, ?)`,
      [crypto.randomUUID(), caseId, now - 3600_000, new Date(now + 7 * 3600_000).toISOString().slice(0, 10), JSON.stringify({ ruleTitle: '公安机关立案审查期限' }), now - 4 * 86_400_000, now]);
    // As the police-referral diagram's 逾期未答复 timer does, through case.set-status.
    await inTransaction(t.db.ds, (em) => setCaseStatus(em, caseId, { flag: 'supervised' }, systemActor('worker:case.set-status'), t.clock.now()));
    await t.core.supervision.runOnce();
    const item = (await supervised()).find((s) => s.caseId === caseId);
    expect(item).toMatchObject({ owner: 'supervisor', ownerName: '大队长 刘洋', source: 'workflow' });
    expect(item!.reason).toContain('公安机关立案审查期限');
    expect(Date.parse(item!.dueAt)).toBeGreaterThan(now);
    // Listed once: a second pass changes nothing.
    await t.core.supervision.runOnce();
    expect((await supervised()).filter((s) => s.caseId === caseId)).toHaveLength(1);
  });

  it('the dashboard records the reason and names the owner; closing the case clears the tag and the listing', async () => {
    const caseId = await newCase();
    const sup = await t.login('supervisor');
    const due = new Date(t.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const ok = await sup.post(`/api/supervision/cases/${caseId}/supervise`).send({ dueAt: due, owner: 'supervisor', reason: '欠薪人数多，限期结案' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ownerName: '大队长 刘洋', reason: '欠薪人数多，限期结案', source: 'dashboard' });
    expect((await supervised()).find((s) => s.caseId === caseId)).toMatchObject({ owner: 'supervisor', ownerName: '大队长 刘洋', reason: '欠薪人数多，限期结案' });
    expect(Number((await life.caseRow(caseId)).supervised)).toBe(1);

    const closedAt = t.clock.now();
    await inTransaction(t.db.ds, (em) => closeCase(em, caseId, 'no-violation', systemActor('test'), closedAt));
    expect(Number((await life.caseRow(caseId)).supervised)).toBe(0);
    expect((await supervised()).some((s) => s.caseId === caseId)).toBe(false);
    const [listing] = (await t.db.ds.query('SELECT lifted_at FROM supervision_cases WHERE case_id = ?', [caseId])) as Row[];
    expect(Number(listing.lifted_at)).toBe(closedAt.getTime());
    // A closed case is not listed again by the runner either.
    await t.core.supervision.runOnce();
    expect((await supervised()).some((s) => s.caseId === caseId)).toBe(false);
  });

  it('tells statutory limits from office targets: the 7 日 wage-arrears closure target is 本单位目标', async () => {
    const caseId = await newCase();
    const now = t.clock.now().getTime();
    const ids = { police: crypto.randomUUID(), closure: crypto.randomUUID() };
    for (const [rule, id] of [['police.decision', ids.police], ['closure.target', ids.closure]] as const) {
      await t.db.ds.query(
        `INSERT INTO case_deadlines (id, case_id, rule, due_at, due_date, provisional, explanation_json, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 0, '{}', 'open', ?, ?)`,
        [id, caseId, rule, now - 3600_000, new Date(now + 7 * 3600_000).toISOString().slice(0, 10), now - 8 * 86_400_000, now]);
    }
    const sup = await t.login('supervisor');
    const res = await sup.get('/api/supervision/overdue');
    const items = res.body.statutory.items as { key: string; basis: string; basisSource: string | null }[];
    expect(items.find((i) => i.key === ids.police)).toMatchObject({ basis: 'statutory', basisSource: expect.stringContaining('第8条') });
    expect(items.find((i) => i.key === ids.closure)).toMatchObject({ basis: 'office' });
    const levels = (await sup.get('/api/supervision/levels')).body.items as { id: string; basis: string }[];
    expect(Object.fromEntries(levels.map((l) => [l.id, l.basis]))).toMatchObject({
      'closure-target': 'office', 'statutory-investigation': 'statutory', 'statutory-penalty': 'statutory', 'outside-answers': 'statutory', default: 'office', triage: 'statutory',
    });
  });
});
