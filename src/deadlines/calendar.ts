/**
 * The working-day calendar: public holidays and adjusted working days (调休) as the State Council
 * publishes them each year. `chinese-days` carries the published years; an admin can enter a year's
 * schedule (a year the package does not know yet, or a correction), which then replaces the package's
 * schedule for that whole year, since an official notice is a complete list. For a year with no
 * published schedule the calendar still answers (Saturdays and Sundays are rest days) but says so,
 * and deadlines that depend on such a year are provisional.
 *
 * Everything here is pure over a loaded CalendarData; loading from the database is calendar-store.ts.
 * The package's data file is read directly rather than through its isWorkday()/getDayDetail(): those
 * interpret dates in the process's time zone and answer for the wrong day on a server west of UTC.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json';
import { LocalDate, addDays, isLocalDate, weekday, yearOf } from './china-time';

export type ScheduleDayKind = 'holiday' | 'workday';
export type ScheduleSource = 'chinese-days' | 'admin';

/** One day of an official schedule: a day off (holiday) or an adjusted working day (workday, 调休上班). */
export interface ScheduleEntry {
  date: LocalDate;
  kind: ScheduleDayKind;
  /** The holiday it belongs to, e.g. '国庆节'. */
  name: string;
}

export interface YearSchedule {
  year: number;
  source: ScheduleSource;
  /** For admin schedules: the notice it transcribes, e.g. '国务院办公厅关于2027年部分节假日安排的通知'. */
  notice?: string | null;
  /** For admin schedules: when the notice was published (epoch ms). */
  publishedAt?: number | null;
  entries: ScheduleEntry[];
}

export interface CalendarData {
  /** Years with a published schedule, and where it came from. */
  readonly years: ReadonlyMap<number, { source: ScheduleSource; notice: string | null }>;
  readonly days: ReadonlyMap<LocalDate, { kind: ScheduleDayKind; name: string }>;
}

export type DayType = 'workday' | 'weekend' | 'holiday' | 'adjustedWorkday';

export interface DayInfo {
  date: LocalDate;
  working: boolean;
  type: DayType;
  /** Why the day is what it is, for explanations: '周末', '法定节假日 国庆节', '调休上班 国庆节'; null for an ordinary working day. */
  reason: string | null;
  /** False when the day's year has no published schedule: it was judged by the weekday alone. */
  published: boolean;
}

/** 'National Day,国庆节,3' → '国庆节'. */
function chineseName(label: string): string {
  const parts = label.split(',');
  return (parts[1] ?? parts[0]).trim();
}

let packageSchedules: YearSchedule[] | null = null;

/** The schedules `chinese-days` carries, one per year it knows, read from its data file. */
export function chineseDaysSchedules(): YearSchedule[] {
  if (packageSchedules) return packageSchedules;
  const data = chineseDaysData as { holidays: Record<string, string>; workdays: Record<string, string> };
  const byYear = new Map<number, ScheduleEntry[]>();
  const add = (date: string, kind: ScheduleDayKind, label: string) => {
    const y = yearOf(date);
    if (!byYear.has(y)) byYear.set(y, []);
    byYear.get(y)!.push({ date, kind, name: chineseName(label) });
  };
  for (const [d, label] of Object.entries(data.holidays)) add(d, 'holiday', label);
  for (const [d, label] of Object.entries(data.workdays)) add(d, 'workday', label);
  packageSchedules = [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, entries]) => ({ year, source: 'chinese-days' as const, entries: entries.sort((a, b) => a.date.localeCompare(b.date)) }));
  return packageSchedules;
}

/** Years `chinese-days` has a schedule for, detected from its data. */
export function chineseDaysYears(): number[] {
  return chineseDaysSchedules().map((s) => s.year);
}

/** The calendar: the package's schedules, with every admin schedule replacing the package's for its year. */
export function buildCalendarData(adminSchedules: readonly YearSchedule[] = [], opts: { includePackage?: boolean } = {}): CalendarData {
  const schedules = new Map<number, YearSchedule>();
  if (opts.includePackage !== false) for (const s of chineseDaysSchedules()) schedules.set(s.year, s);
  for (const s of adminSchedules) schedules.set(s.year, s);
  const years = new Map<number, { source: ScheduleSource; notice: string | null }>();
  const days = new Map<LocalDate, { kind: ScheduleDayKind; name: string }>();
  for (const s of schedules.values()) {
    years.set(s.year, { source: s.source, notice: s.notice ?? null });
    for (const e of s.entries) {
      // The package lets an adjusted working day win over a holiday on the same date; so do we.
      if (e.kind === 'holiday' && days.get(e.date)?.kind === 'workday') continue;
      days.set(e.date, { kind: e.kind, name: e.name });
    }
  }
  return { years, days };
}

let defaultCalendar: CalendarData | null = null;

/** The package's calendar alone, without admin schedules (built once). */
export function packageCalendar(): CalendarData {
  return (defaultCalendar ??= buildCalendarData());
}

export function isYearPublished(cal: CalendarData, year: number): boolean {
  return cal.years.has(year);
}

export function describeDay(cal: CalendarData, date: LocalDate): DayInfo {
  const published = cal.years.has(yearOf(date));
  const entry = cal.days.get(date);
  if (entry?.kind === 'workday') return { date, working: true, type: 'adjustedWorkday', reason: `调休上班 ${entry.name}`, published };
  if (entry?.kind === 'holiday') return { date, working: false, type: 'holiday', reason: `法定节假日 ${entry.name}`, published };
  const wd = weekday(date);
  if (wd === 0 || wd === 6) return { date, working: false, type: 'weekend', reason: '周末', published };
  return { date, working: true, type: 'workday', reason: null, published };
}

export function isWorkingDay(cal: CalendarData, date: LocalDate): boolean {
  return describeDay(cal, date).working;
}

/** The first working day after `date` (not `date` itself). */
export function nextWorkingDay(cal: CalendarData, date: LocalDate): LocalDate {
  let d = addDays(date, 1);
  // A year has at most a few consecutive rest days; the bound only guards against corrupt data.
  for (let i = 0; i < 366 && !isWorkingDay(cal, d); i++) d = addDays(d, 1);
  return d;
}

export interface ScheduleProblem {
  path: string;
  message: string;
}

/** Checks an admin's year schedule; returns every problem (empty when it is fine). */
export function validateYearSchedule(s: { year: unknown; entries: unknown }): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const year = s.year;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 2000 || year > 2200) {
    problems.push({ path: 'year', message: '年份应为 2000–2200 之间的整数' });
  }
  if (!Array.isArray(s.entries)) {
    problems.push({ path: 'entries', message: '应为日期列表' });
    return problems;
  }
  const seen = new Set<string>();
  s.entries.forEach((raw: unknown, i: number) => {
    const p = `entries.${i}`;
    const e = (raw ?? {}) as Partial<ScheduleEntry>;
    if (typeof e.date !== 'string' || !isLocalDate(e.date)) {
      problems.push({ path: `${p}.date`, message: '日期格式应为 YYYY-MM-DD' });
    } else {
      if (typeof year === 'number' && yearOf(e.date) !== year) problems.push({ path: `${p}.date`, message: `${e.date} 不在 ${year} 年内` });
      if (seen.has(e.date)) problems.push({ path: `${p}.date`, message: `${e.date} 重复` });
      seen.add(e.date);
      const wd = weekday(e.date);
      if (e.kind === 'workday' && wd !== 0 && wd !== 6) {
        problems.push({ path: `${p}.kind`, message: `${e.date} 本是工作日，调休上班日应为周六或周日` });
      }
    }
    if (e.kind !== 'holiday' && e.kind !== 'workday') problems.push({ path: `${p}.kind`, message: "应为 'holiday'（放假）或 'workday'（调休上班）" });
    if (typeof e.name !== 'string' || e.name.trim() === '' || e.name.length > 50) {
      problems.push({ path: `${p}.name`, message: '节日名称必填，最多 50 字' });
    }
  });
  return problems;
}
