import { isWorkday } from 'chinese-days';
import {
  buildCalendarData, chineseDaysYears, describeDay, isYearPublished, nextWorkingDay, packageCalendar, validateYearSchedule,
} from '../../../src/deadlines/calendar';
import { addDays, addMonths, chinaDate, chinaLocalInstant, endOfChinaDay, formatChinaTime, startOfChinaDay } from '../../../src/deadlines/china-time';

describe('China dates', () => {
  it('reads a China wall-clock date or date and time as its instant, and nothing else', () => {
    expect(chinaLocalInstant('2026-10-13')).toBe(Date.parse('2026-10-12T16:00:00Z'));
    expect(chinaLocalInstant('2026-10-13T09:30')).toBe(Date.parse('2026-10-13T01:30:00Z'));
    expect(chinaLocalInstant('2026-10-13T09:30:15.250')).toBe(Date.parse('2026-10-13T01:30:15.250Z'));
    for (const bad of ['2026-02-30', '2026-13-01T09:00', '2026-10-13T24:00', '2026-10-13T09:30:00+08:00', '2026-10-13 09:30', '']) {
      expect(chinaLocalInstant(bad)).toBeNull();
    }
  });

  it('converts instants to the date in Asia/Shanghai, whatever the server zone', () => {
    expect(chinaDate(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
    expect(chinaDate(new Date('2026-09-30T16:00:00.000Z'))).toBe('2026-10-01');
    expect(chinaDate(new Date('2026-09-30T20:00:00Z'))).toBe('2026-10-01');
  });

  it('gives the first and last instant of a day in China', () => {
    expect(startOfChinaDay('2026-10-13').toISOString()).toBe('2026-10-12T16:00:00.000Z');
    expect(endOfChinaDay('2026-10-13').toISOString()).toBe('2026-10-13T15:59:59.999Z');
    expect(formatChinaTime(endOfChinaDay('2026-10-13'))).toBe('2026-10-13T23:59:59.999+08:00');
  });

  it('adds days and months (民法典 第202条: no corresponding day → the month\'s last day)', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(() => addDays('2026-02-30', 1)).toThrow(/calendar date/);
  });
});

describe('the package calendar', () => {
  const cal = packageCalendar();

  it('detects the years chinese-days knows from its data', () => {
    const years = chineseDaysYears();
    expect(years).toContain(2026);
    expect(years).not.toContain(2031);
    // contiguous: every year between the first and the last
    expect(years.length).toBe(years[years.length - 1] - years[0] + 1);
  });

  // chinese-days' own functions read a date in the process's zone and slip a day west of UTC, which is
  // why the calendar reads its data file instead; the comparison is only meaningful at UTC or east of it.
  const libraryZoneOk = new Date('2026-01-01T00:00:00').getTimezoneOffset() <= 0;
  (libraryZoneOk ? it : it.skip)('agrees with chinese-days isWorkday on every day of every year it knows', () => {
    const years = chineseDaysYears();
    const mismatches: string[] = [];
    for (let d = `${years[0]}-01-01`; d <= `${years[years.length - 1]}-12-31`; d = addDays(d, 1)) {
      if (describeDay(cal, d).working !== isWorkday(d)) mismatches.push(d);
    }
    expect(mismatches).toEqual([]);
  });

  it('names holidays, adjusted working days and weekends', () => {
    expect(describeDay(cal, '2026-10-01')).toEqual({ date: '2026-10-01', working: false, type: 'holiday', reason: '法定节假日 国庆节', published: true });
    expect(describeDay(cal, '2026-10-10')).toMatchObject({ working: true, type: 'adjustedWorkday', reason: '调休上班 国庆节' });
    expect(describeDay(cal, '2026-10-11')).toMatchObject({ working: false, type: 'weekend', reason: '周末' });
    expect(describeDay(cal, '2026-10-12')).toMatchObject({ working: true, type: 'workday', reason: null });
    expect(nextWorkingDay(cal, '2026-09-30')).toBe('2026-10-08');
  });

  it('answers by weekends alone for a year with no published schedule, and says so', () => {
    expect(isYearPublished(cal, 2031)).toBe(false);
    expect(describeDay(cal, '2031-10-01')).toEqual({ date: '2031-10-01', working: true, type: 'workday', reason: null, published: false });
    expect(describeDay(cal, '2031-10-04')).toMatchObject({ working: false, reason: '周末', published: false });
  });
});

describe('admin schedules', () => {
  it('publish a year the package does not know', () => {
    const cal = buildCalendarData([{ year: 2031, source: 'admin', notice: '测试通知', entries: [{ date: '2031-10-01', kind: 'holiday', name: '国庆节' }] }]);
    expect(isYearPublished(cal, 2031)).toBe(true);
    expect(cal.years.get(2031)).toEqual({ source: 'admin', notice: '测试通知' });
    expect(describeDay(cal, '2031-10-01')).toMatchObject({ working: false, reason: '法定节假日 国庆节', published: true });
  });

  it('replace the package\'s schedule for the whole year', () => {
    const cal = buildCalendarData([{ year: 2026, source: 'admin', entries: [{ date: '2026-10-01', kind: 'holiday', name: '国庆节' }] }]);
    expect(describeDay(cal, '2026-10-01').working).toBe(false);
    expect(describeDay(cal, '2026-10-02').working).toBe(true); // no longer a holiday
    expect(describeDay(cal, '2026-10-10').working).toBe(false); // no longer an adjusted working day
    expect(describeDay(cal, '2025-10-01').working).toBe(false); // other years keep the package's
  });

  it('are validated, every problem listed', () => {
    const problems = validateYearSchedule({
      year: 2031,
      entries: [
        { date: '2031-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2031-10-01', kind: 'holiday', name: '国庆节' },
        { date: '2030-12-31', kind: 'holiday', name: '元旦' },
        { date: '2031-02-30', kind: 'holiday', name: 'x' },
        { date: '2031-10-08', kind: 'workday', name: '国庆节' }, // a Wednesday
        { date: '2031-10-11', kind: 'rest', name: '' },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual([
      'entries.1.date', 'entries.2.date', 'entries.3.date', 'entries.4.kind', 'entries.5.kind', 'entries.5.name',
    ]);
    expect(validateYearSchedule({ year: 2031, entries: [] })).toEqual([]);
    expect(validateYearSchedule({ year: 'x', entries: null })).toHaveLength(2);
  });
});
