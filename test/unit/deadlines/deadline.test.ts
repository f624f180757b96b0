import { loadLegalRules } from '../../../src/config/legal-rules';
import { buildCalendarData, chineseDaysYears, packageCalendar } from '../../../src/deadlines/calendar';
import { computeDeadline, daysOverdue, deadlineForRule, inputFromExplanation, latestDayBefore } from '../../../src/deadlines/deadline';

const cal = packageCalendar();
const { rules } = loadLegalRules();
const rule = { id: 'intake.acceptanceDecision', title: '投诉受理决定', source: '关于实施《劳动保障监察条例》若干规定 第18条' };
const at = (local: string) => new Date(local + '+08:00');

describe('working-day periods', () => {
  it('5 工作日 after 2026-09-30 end on 2026-10-13, skipping the National Day holidays', () => {
    const d = computeDeadline(cal, { rule, startEvent: '收到投诉', startedAt: at('2026-09-30T10:00:00'), count: 5, unit: 'workingDays' });
    expect(d.dueDate).toBe('2026-10-13');
    expect(d.dueAt.toISOString()).toBe('2026-10-13T15:59:59.999Z'); // 23:59:59.999 in China
    expect(d.provisional).toBe(false);
    const e = d.explanation;
    expect(e.skippedDays).toEqual([
      ...['01', '02', '03', '04', '05', '06', '07'].map((dd) => ({ date: `2026-10-${dd}`, reason: '法定节假日 国庆节' })),
      { date: '2026-10-11', reason: '周末' },
    ]);
    expect(e.countedAdjustedWorkdays).toEqual([{ date: '2026-10-10', reason: '调休上班 国庆节' }]);
    expect(e).toMatchObject({
      rule: 'intake.acceptanceDecision', legalSource: rule.source, startEvent: '收到投诉', startedAt: '2026-09-30T10:00:00.000+08:00',
      startDate: '2026-09-30', firstDay: '2026-10-01', lastDay: '2026-10-13', count: 5, unit: 'workingDays', extension: null,
    });
    expect(e.firstDayConvention).toMatch(/民法典 第201条/);
    expect(e.endConvention).toMatch(/23:59:59\.999/);
    // The text people read names days in Chinese, not in ISO form.
    expect(e.text).toContain('届满于 2026年10月13日 24:00');
    expect(e.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // stored as JSON with the deadline
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });

  it('take the start date in China: 2026-09-29T17:00Z is already 09-30 there', () => {
    const d = computeDeadline(cal, { rule, startEvent: '立案', startedAt: new Date('2026-09-29T17:00:00Z'), count: 1, unit: 'workingDays' });
    expect(d.explanation.startDate).toBe('2026-09-30');
    expect(d.dueDate).toBe('2026-10-08');
    const late = computeDeadline(cal, { rule, startEvent: '立案', startedAt: new Date('2026-09-30T20:00:00Z'), count: 1, unit: 'workingDays' });
    expect(late.explanation.startDate).toBe('2026-10-01');
    expect(late.dueDate).toBe('2026-10-08');
    const early = computeDeadline(cal, { rule, startEvent: '立案', startedAt: new Date('2026-09-29T15:00:00Z'), count: 1, unit: 'workingDays' });
    expect(early.dueDate).toBe('2026-09-30');
  });

  it('60 工作日 of investigation from a registration in December run into an unpublished year: provisional', () => {
    const next = Math.max(...chineseDaysYears()) + 1;
    const d = deadlineForRule(cal, rules, 'investigation.limit', { event: '立案', at: at(`${next - 1}-12-01T09:00:00`) });
    expect(d.provisional).toBe(true);
    expect(d.explanation.unpublishedYears).toEqual([next]);
    expect(d.explanation.text).toContain('暂定');
  });
});

describe('calendar-day periods', () => {
  it('ending on a holiday extend to the next working day (民事诉讼法 第85条)', () => {
    const d = deadlineForRule(cal, rules, 'punishment.finePayment', { event: '送达', at: at('2026-09-16T15:00:00') });
    expect(d.explanation.firstDay).toBe('2026-09-17');
    expect(d.dueDate).toBe('2026-10-08');
    expect(d.explanation.extension).toMatchObject({ from: '2026-10-01', to: '2026-10-08', legalSource: expect.stringContaining('民事诉讼法 第85条') });
    expect(d.explanation.skippedDays.map((s) => s.date)).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
    expect(d.explanation.text).toContain('法定休假日');
  });

  it('ending on a weekend extend to Monday; ending on an adjusted working day do not', () => {
    const weekend = deadlineForRule(cal, rules, 'punishment.finePayment', { event: '送达', at: at('2026-11-06T10:00:00') });
    expect(weekend.explanation.extension).toMatchObject({ from: '2026-11-21', to: '2026-11-23' });
    expect(weekend.explanation.skippedDays).toEqual([{ date: '2026-11-21', reason: '周末' }, { date: '2026-11-22', reason: '周末' }]);
    const adjusted = deadlineForRule(cal, rules, 'punishment.finePayment', { event: '送达', at: at('2026-09-25T10:00:00') });
    expect(adjusted.dueDate).toBe('2026-10-10');
    expect(adjusted.explanation.extension).toBeNull();
  });

  it('90 日 from 立案 ending on 清明 extend past the holiday', () => {
    const d = deadlineForRule(cal, rules, 'punishment.decision', { event: '立案', at: at('2026-01-05T09:00:00') });
    expect(d.dueDate).toBe('2026-04-07'); // 2026-04-05 is 清明 (Sunday), 04-06 holiday → 04-07
    expect(d.explanation.extension).toMatchObject({ from: '2026-04-05', to: '2026-04-07' });
  });

  it('keep the last day when the rule turns extension off, and same-day targets end the same day', () => {
    const d = computeDeadline(cal, { rule: { ...rule, extendIfEndsOnHoliday: false }, startEvent: '送达', startedAt: at('2026-09-16T15:00:00'), count: 15, unit: 'calendarDays' });
    expect(d.dueDate).toBe('2026-10-01');
    const sameDay = deadlineForRule(cal, rules, 'wageArrears.registration', { event: '受理', at: at('2026-10-01T09:00:00') });
    expect(sameDay.dueDate).toBe('2026-10-01');
    expect(sameDay.explanation.firstDay).toBeNull();
  });

  it('count months and years to the corresponding day', () => {
    const d = deadlineForRule(cal, rules, 'intake.limitation', { event: '违法行为终了', at: at('2024-02-29T12:00:00') });
    expect(d.dueDate).toBe('2026-02-28');
    expect(d.explanation.extension).toBeNull(); // the limitation does not extend (rule setting)
  });
});

describe('hour periods', () => {
  it('end exactly, holidays or not', () => {
    const d = deadlineForRule(cal, rules, 'police.transfer', { event: '批准移送', at: at('2026-09-30T23:30:00') });
    expect(d.dueAt.toISOString()).toBe(at('2026-10-01T23:30:00').toISOString());
    expect(d.dueDate).toBe('2026-10-01');
    expect(d.explanation).toMatchObject({ firstDay: null, skippedDays: [], extension: null, unit: 'hours' });
    expect(d.provisional).toBe(false);
    expect(d.explanation.text).toContain('届满于 2026年10月1日 23:30（北京时间）');
    expect(d.explanation.text).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:/);
  });

  it('follow a local override of the court\'s time to working days', () => {
    const local = loadLegalRules({ rules: { 'preservation.courtRuling': { value: 3, unit: 'workingDays', source: '市法院 人社局 指导意见' } } }).rules;
    const d = deadlineForRule(cal, local, 'preservation.courtRuling', { event: '法院接受申请', at: at('2026-09-30T09:00:00') });
    expect(d.dueDate).toBe('2026-10-10');
    expect(d.explanation.legalSource).toBe('市法院 人社局 指导意见');
  });
});

describe('years without a published schedule', () => {
  it('count weekends only and mark the deadline provisional', () => {
    expect(chineseDaysYears()).not.toContain(2031);
    const d = computeDeadline(cal, { rule, startEvent: '收到投诉', startedAt: at('2031-09-30T10:00:00'), count: 5, unit: 'workingDays' });
    expect(d.dueDate).toBe('2031-10-07'); // Tue 09-30 → Wed..Fri, Mon, Tue
    expect(d.provisional).toBe(true);
    expect(d.explanation.unpublishedYears).toEqual([2031]);
    expect(d.explanation.skippedDays).toEqual([{ date: '2031-10-04', reason: '周末' }, { date: '2031-10-05', reason: '周末' }]);
  });

  it('stop being provisional, and change, once an admin enters the schedule', () => {
    const entries = ['01', '02', '03', '04', '05', '06', '07'].map((dd) => ({ date: `2031-10-${dd}`, kind: 'holiday' as const, name: '国庆节' }));
    const withAdmin = buildCalendarData([{ year: 2031, source: 'admin', entries: [...entries, { date: '2031-10-11', kind: 'workday', name: '国庆节' }] }]);
    const d = computeDeadline(withAdmin, { rule, startEvent: '收到投诉', startedAt: at('2031-09-30T10:00:00'), count: 5, unit: 'workingDays' });
    expect(d.provisional).toBe(false);
    expect(d.dueDate).toBe('2031-10-13'); // 10-08, 09, 10, 11 (调休), 13
  });

  it('a stored explanation is enough to recompute once the year is published', () => {
    const first = deadlineForRule(cal, rules, 'punishment.finePayment', { event: '送达', at: at('2031-09-16T10:00:00') });
    expect(first).toMatchObject({ provisional: true, dueDate: '2031-10-01' });
    const stored = JSON.parse(JSON.stringify(first.explanation));
    const published = buildCalendarData([{ year: 2031, source: 'admin', entries: [{ date: '2031-10-01', kind: 'holiday', name: '国庆节' }] }]);
    const again = computeDeadline(published, inputFromExplanation(stored));
    expect(again).toMatchObject({ provisional: false, dueDate: '2031-10-02' });
    expect(computeDeadline(cal, inputFromExplanation(stored)).explanation).toEqual(first.explanation);
  });

  it('an admin replacing a known year changes its results', () => {
    const noNationalDay = buildCalendarData([{ year: 2026, source: 'admin', entries: [] }]);
    const d = computeDeadline(noNationalDay, { rule, startEvent: '收到投诉', startedAt: at('2026-09-30T10:00:00'), count: 5, unit: 'workingDays' });
    expect(d.dueDate).toBe('2026-10-07');
    expect(d.provisional).toBe(false);
  });
});

describe('latest day before an event', () => {
  it('the hearing notice 7 工作日 before a hearing on 2026-10-13', () => {
    const r = rules['punishment.hearingNotice'];
    const l = latestDayBefore(cal, { rule: { id: 'punishment.hearingNotice', source: r.source }, event: '听证', eventDate: '2026-10-13', count: r.value, unit: 'workingDays' });
    expect(l.explanation.countedDays).toEqual(['2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12']);
    expect(l.latestDate).toBe('2026-09-27');
    expect(l.latestAt.toISOString()).toBe('2026-09-27T15:59:59.999Z');
    expect(l.provisional).toBe(false);
  });
});

describe('input checks and overdue days', () => {
  it('refuse a negative or fractional count', () => {
    expect(() => computeDeadline(cal, { rule, startEvent: 'x', startedAt: 0, count: -1, unit: 'workingDays' })).toThrow(RangeError);
    expect(() => computeDeadline(cal, { rule, startEvent: 'x', startedAt: 0, count: 1.5, unit: 'calendarDays' })).toThrow(RangeError);
  });

  it('count overdue days in China\'s calendar', () => {
    const d = computeDeadline(cal, { rule, startEvent: '收到投诉', startedAt: at('2026-09-30T10:00:00'), count: 5, unit: 'workingDays' });
    expect(daysOverdue(d, at('2026-10-13T23:00:00'))).toBe(0);
    expect(daysOverdue(d, at('2026-10-14T00:00:01'))).toBe(1);
    expect(daysOverdue(d, at('2026-10-16T08:00:00'))).toBe(3);
  });
});
