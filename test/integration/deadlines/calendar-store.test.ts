import { systemActor } from '../../../src/audit/audit';
import { isYearPublished } from '../../../src/deadlines/calendar';
import { deleteYearSchedule, loadAdminSchedules, loadCalendarData, saveYearSchedule } from '../../../src/deadlines/calendar-store';
import { computeDeadline } from '../../../src/deadlines/deadline';
import { AppError } from '../../../src/errors';
import { TestDatabase, createTestDatabase, testDbKinds } from '../../support/db';

const admin = { userId: 'u-admin', name: 'admin' };
const now = new Date('2026-11-20T02:00:00Z');
const rule = { id: 'intake.acceptanceDecision', source: '关于实施《劳动保障监察条例》若干规定 第18条' };
const acceptance = (cal: Awaited<ReturnType<typeof loadCalendarData>>) =>
  computeDeadline(cal, { rule, startEvent: '收到投诉', startedAt: new Date('2031-09-30T10:00:00+08:00'), count: 5, unit: 'workingDays' });
const nationalDay2031 = ['01', '02', '03', '04', '05', '06', '07'].map((dd) => ({ date: `2031-10-${dd}`, kind: 'holiday' as const, name: '国庆节' }));

describe.each(testDbKinds())('admin holiday schedules on %s', (kind) => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(kind, 'calendar'); });
  afterAll(async () => { await db?.close(); });

  it('are stored, loaded, replaced and removed, each change audited', async () => {
    const before = await loadCalendarData(db.ds.manager);
    expect(isYearPublished(before, 2031)).toBe(false);
    expect(acceptance(before)).toMatchObject({ provisional: true, dueDate: '2031-10-07' });

    await db.ds.transaction((em) => saveYearSchedule(em, {
      year: 2031, source: '国务院办公厅关于2031年部分节假日安排的通知', publishedAt: Date.parse('2030-11-10T00:00:00+08:00'),
      entries: [...nationalDay2031, { date: '2031-10-11', kind: 'workday', name: '国庆节' }],
    }, admin, now));
    const stored = await loadAdminSchedules(db.ds.manager);
    expect(stored).toEqual([{
      year: 2031, source: 'admin', notice: '国务院办公厅关于2031年部分节假日安排的通知', publishedAt: Date.parse('2030-11-10T00:00:00+08:00'),
      entries: [...nationalDay2031, { date: '2031-10-11', kind: 'workday', name: '国庆节' }],
    }]);
    const published = await loadCalendarData(db.ds.manager);
    expect(published.years.get(2031)).toEqual({ source: 'admin', notice: '国务院办公厅关于2031年部分节假日安排的通知' });
    expect(acceptance(published)).toMatchObject({ provisional: false, dueDate: '2031-10-13' });

    // A corrected notice replaces the whole year.
    await db.ds.transaction((em) => saveYearSchedule(em, { year: 2031, source: '更正通知', entries: nationalDay2031.slice(0, 3) }, admin, now));
    const corrected = await loadCalendarData(db.ds.manager);
    expect((await loadAdminSchedules(db.ds.manager))[0].entries).toHaveLength(3);
    expect(acceptance(corrected)).toMatchObject({ provisional: false, dueDate: '2031-10-10' }); // 10-06 … 10-10, Mon–Fri

    expect(await db.ds.transaction((em) => deleteYearSchedule(em, 2031, admin, now))).toBe(true);
    expect(await db.ds.transaction((em) => deleteYearSchedule(em, 2031, admin, now))).toBe(false);
    expect(acceptance(await loadCalendarData(db.ds.manager)).provisional).toBe(true);

    const trail: { action: string; actor_name: string }[] = await db.ds.query(
      "SELECT action, actor_name FROM audit_log WHERE entity_type = 'calendar_year' AND entity_id = '2031' ORDER BY id");
    expect(trail.map((t) => t.action)).toEqual(['calendar.year.add', 'calendar.year.replace', 'calendar.year.delete']);
  });

  it('override a year the package knows', async () => {
    await db.ds.transaction((em) => saveYearSchedule(em, { year: 2026, source: '测试：无国庆放假', entries: [] }, systemActor(), now));
    const cal = await loadCalendarData(db.ds.manager);
    const d = computeDeadline(cal, { rule, startEvent: '收到投诉', startedAt: new Date('2026-09-30T10:00:00+08:00'), count: 5, unit: 'workingDays' });
    expect(d.dueDate).toBe('2026-10-07');
    await db.ds.transaction((em) => deleteYearSchedule(em, 2026, systemActor(), now));
    const back = computeDeadline(await loadCalendarData(db.ds.manager), { rule, startEvent: '收到投诉', startedAt: new Date('2026-09-30T10:00:00+08:00'), count: 5, unit: 'workingDays' });
    expect(back.dueDate).toBe('2026-10-13');
  });

  it('refuse an invalid schedule with every problem, writing nothing', async () => {
    const attempt = db.ds.transaction((em) => saveYearSchedule(em, {
      year: 2032, source: '', entries: [{ date: '2031-10-01', kind: 'holiday', name: '国庆节' }, { date: '2032-10-05', kind: 'workday', name: '' }],
    }, admin, now));
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'VALIDATION_FAILED', details: expect.arrayContaining([
      expect.objectContaining({ path: 'entries.0.date' }), expect.objectContaining({ path: 'entries.1.kind' }),
      expect.objectContaining({ path: 'entries.1.name' }), expect.objectContaining({ path: 'source' }),
    ]) });
    expect(await loadAdminSchedules(db.ds.manager)).toEqual([]);
  });

  it('hold one entry per date and only the two kinds, in the schema itself', async () => {
    await db.ds.query('INSERT INTO calendar_years (year, source, created_at, updated_at) VALUES (2033, ?, 1, 1)', ['x']);
    await db.ds.query("INSERT INTO calendar_overrides (year, date, kind, name, created_at) VALUES (2033, '2033-10-01', 'holiday', '国庆节', 1)");
    await expect(db.ds.query("INSERT INTO calendar_overrides (year, date, kind, name, created_at) VALUES (2033, '2033-10-01', 'workday', '国庆节', 1)")).rejects.toThrow();
    await expect(db.ds.query("INSERT INTO calendar_overrides (year, date, kind, name, created_at) VALUES (2033, '2033-10-02', 'rest', '国庆节', 1)")).rejects.toThrow();
    await expect(db.ds.query("INSERT INTO calendar_overrides (year, date, kind, name, created_at) VALUES (2034, '2034-10-02', 'holiday', '国庆节', 1)")).rejects.toThrow();
  });
});
