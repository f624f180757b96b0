/**
 * The holiday calendar API: the years known and the next one 暂定; admin enters next year's schedule
 * from the State Council's notice, and the provisional deadline of a case registered late in December
 * (its 5 working days reach into January) is recomputed with the holidays, becomes final and says so
 * on the case's timeline. A handler is refused; bad dates are refused naming each entry; nothing is
 * written on refusal.
 */
import { rowCounts, startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { complaintBody, lifecycle } from '../../support/lifecycle';

jest.setTimeout(120_000);

const TABLES = ['calendar_years', 'calendar_overrides', 'audit_log', 'case_deadlines'];
const chinaYear = (ms: number) => Number(new Date(ms + 8 * 3600_000).toISOString().slice(0, 4));

describe.each(testDbKinds())('the holiday calendar API (%s)', (kind) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<TestApp['login']>>;
  let year = 0;
  let caseId = '';
  const acceptance = async () => ((await t.db.ds.query("SELECT due_date, provisional, state, explanation_json FROM case_deadlines WHERE case_id = ? AND rule = 'intake.acceptanceDecision'", [caseId])) as
    { due_date: string; provisional: number | string; state: string; explanation_json: string }[])[0];

  beforeAll(async () => {
    t = await startTestApp(kind, 'calendar-api');
    // 29 December, a Tuesday in 2026: the acceptance decision's 5 working days run into next year,
    // whose schedule chinese-days does not carry yet.
    year = chinaYear(t.clock.now().getTime()) + 1;
    const target = Date.parse(`${year - 1}-12-29T10:00:00+08:00`);
    const ahead = target - t.clock.now().getTime();
    if (ahead > 0) t.clock.advance(`PT${Math.ceil(ahead / 1000)}S`);
    // Sessions expire with the clock: log in after moving it.
    admin = await t.login('admin');
    const res = await (await t.login('intake')).post('/api/complaints').send(complaintBody());
    expect(res.status).toBe(201);
    caseId = res.body.caseId;
    await lifecycle(t).settle();
  });
  afterAll(async () => t?.close());

  it('lists the known years and next year as provisional, and a year\'s days', async () => {
    const handler = await t.login('handler1');
    const years = await handler.get('/api/calendar/years');
    expect(years.status).toBe(200);
    expect(years.body.items.find((y: { year: number }) => y.year === year)).toMatchObject({ year, status: 'provisional', final: false, source: null, holidays: 0 });
    expect(years.body.items.find((y: { year: number }) => y.year === 2026)).toMatchObject({ status: 'published', final: true, source: 'chinese-days' });
    const y2026 = await handler.get('/api/calendar/years/2026');
    expect(y2026.status).toBe(200);
    expect(y2026.body.entries).toEqual(expect.arrayContaining([{ date: '2026-10-01', kind: 'holiday', name: '国庆节' }]));
    expect((await handler.get('/api/calendar/years/20x7')).status).toBe(400);
    const d = await acceptance();
    expect(d).toMatchObject({ provisional: expect.anything(), state: 'open' });
    expect(Number(d.provisional)).toBe(1);
    expect(d.due_date).toBe(`${year}-01-05`);
  });

  const notice = () => ({
    source: `国务院办公厅关于${year}年部分节假日安排的通知（国办发明电〔${year - 1}〕7号）`,
    publishedAt: `${year - 1}-11-12`,
    entries: [
      { date: `${year}-01-01`, kind: 'holiday', name: '元旦' },
      { date: `${year}-01-02`, kind: 'holiday', name: '元旦' },
      { date: `${year}-01-03`, kind: 'holiday', name: '元旦' },
      { date: `${year}-02-06`, kind: 'holiday', name: '春节' },
      { date: `${year}-02-20`, kind: 'workday', name: '春节' },
    ],
  });

  it('refuses a handler, and bad dates naming each entry, writing nothing', async () => {
    const before = await rowCounts(t.db, TABLES);
    const handler = await t.login('handler1');
    expect((await handler.put(`/api/calendar/years/${year}`).send(notice())).status).toBe(403);

    const bad = notice();
    bad.entries = [
      { date: `${year}-02-30`, kind: 'holiday', name: '春节' },
      { date: `${year - 1}-12-31`, kind: 'holiday', name: '元旦' },
      { date: `${year}-01-01`, kind: 'holiday', name: '元旦' },
      { date: `${year}-01-01`, kind: 'holiday', name: '元旦' },
      { date: `${year}-01-04`, kind: 'workday', name: '元旦' },
      { date: `${year}-01-05`, kind: 'holiday', name: '' },
    ];
    const res = await admin.put(`/api/calendar/years/${year}`).send(bad);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((x: { path: string }) => x.path);
    expect(paths).toEqual(expect.arrayContaining([
      'body.entries.0.date', 'body.entries.1.date', 'body.entries.3.date', 'body.entries.4.kind', 'body.entries.5.name',
    ]));
    expect(paths).not.toContain('body.entries.2.date');
    const shape = await admin.put(`/api/calendar/years/${year}`).send({ ...notice(), publishedAt: 'soon', extra: 1 });
    expect(shape.status).toBe(400);
    expect(shape.body.error.details.map((x: { path: string }) => x.path)).toEqual(expect.arrayContaining(['body.publishedAt', 'body.extra']));
    expect(await rowCounts(t.db, TABLES)).toEqual(before);
    expect(Number((await acceptance()).provisional)).toBe(1);
  });

  it('admin enters next year\'s schedule: audited, and the provisional deadline is recomputed and final', async () => {
    const res = await admin.put(`/api/calendar/years/${year}`).send(notice());
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ year, status: 'published', final: true, source: 'admin', notice: notice().source, holidays: 4, workdays: 1 });
    expect(res.body.recomputed.deadlines).toBeGreaterThanOrEqual(1);
    expect(res.body.recomputed.stillProvisional).toBe(0);

    const d = await acceptance();
    expect(Number(d.provisional)).toBe(0);
    // 元旦 1–3 January is now off: the fifth working day is the 6th.
    expect(d.due_date).toBe(`${year}-01-06`);
    const explanation = JSON.parse(d.explanation_json);
    expect(explanation).toMatchObject({ provisional: false, lastDay: `${year}-01-06`, process: { dueDate: `${year}-01-06`, provisional: false } });
    expect(explanation.text).toContain('节假日');

    const page = await admin.get(`/api/cases/${caseId}`);
    expect(page.status).toBe(200);
    expect(page.body.deadlines.find((x: { rule: string }) => x.rule === 'intake.acceptanceDecision')).toMatchObject({ provisional: false, dueDate: `${year}-01-06` });
    const entry = page.body.timeline.find((x: { action: string }) => x.action === 'case.deadline-recomputed');
    expect(entry).toBeDefined();
    expect(entry.after.deadlines).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'intake.acceptanceDecision', dueDate: `${year}-01-06`, provisional: false })]));

    const trail: { action: string }[] = await t.db.ds.query("SELECT action FROM audit_log WHERE entity_type = 'calendar_year' AND entity_id = ?", [String(year)]);
    expect(trail.map((x) => x.action)).toEqual(['calendar.year.add']);

    const years = await admin.get('/api/calendar/years');
    expect(years.body.items.find((y: { year: number }) => y.year === year)).toMatchObject({ status: 'published', final: true, source: 'admin', publishedAt: Date.parse(`${year - 1}-11-12T00:00:00+08:00`) });
    const days = await admin.get(`/api/calendar/years/${year}`);
    expect(days.body.entries).toHaveLength(5);

    // Entered again (a corrected notice): nothing provisional is left to recompute.
    const again = await admin.put(`/api/calendar/years/${year}`).send(notice());
    expect(again.status).toBe(200);
    expect(again.body.recomputed.deadlines).toBe(0);
  });
});
