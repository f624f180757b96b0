/**
 * Where a piece of work stands against its service level: the instants of its goal, deadline and
 * passed-deadline levels on the holiday calendar, and its colour now. Pure: the API, the runner and
 * the benchmark compute colours the same way.
 */
import { CalendarData, isWorkingDay } from '../deadlines/calendar';
import { addDays, chinaDate, endOfChinaDay, LocalDate, startOfChinaDay } from '../deadlines/china-time';
import type { ServiceLevel, Span } from './service-levels';

/** 黄 due soon · 橙 due today or just overdue · 红 seriously overdue. */
export type Colour = 'yellow' | 'orange' | 'red';
/** The finer state the lists show in words beside the colour. */
export type Urgency = 'none' | 'soon' | 'today' | 'overdue' | 'serious';

export const COLOUR_OF_URGENCY: Record<Urgency, Colour | null> = { none: null, soon: 'yellow', today: 'orange', overdue: 'orange', serious: 'red' };

/** Escalation levels in the order they fire: 'goal', 'deadline', 'passed-1', 'passed-2', … */
export interface LevelInstant {
  level: string;
  at: number;
}

export interface Schedule {
  goalAt: number;
  dueAt: number;
  dueDate: LocalDate;
  redAt: number;
  levels: LevelInstant[];
}

// Thousands of tasks share a few hundred dates: counting working days once per date keeps the
// dashboard's colours cheap. Keyed by calendar, so an admin's new schedule starts a new cache.
const shifted = new WeakMap<CalendarData, Map<string, LocalDate>>();

/** `date` moved by `n` days of the span's unit (backwards when n < 0); working days skip rest days. */
export function shiftDate(cal: CalendarData, date: LocalDate, n: number, unit: Span['unit']): LocalDate {
  if (unit === 'calendarDays' || n === 0) return addDays(date, n);
  let memo = shifted.get(cal);
  if (!memo) shifted.set(cal, (memo = new Map()));
  const key = `${date}|${n}`;
  const known = memo.get(key);
  if (known) return known;
  const step = n > 0 ? 1 : -1;
  let d = date;
  for (let left = Math.abs(n), guard = 0; left > 0 && guard < 4000; guard++) {
    d = addDays(d, step);
    if (isWorkingDay(cal, d)) left--;
  }
  if (memo.size > 100_000) memo.clear();
  memo.set(key, d);
  return d;
}

interface DayParts { goalAt: number; redAt: number; passed: LevelInstant[] }
const dayParts = new WeakMap<CalendarData, WeakMap<ServiceLevel, Map<string, DayParts>>>();
const deadlineDays = new WeakMap<CalendarData, WeakMap<ServiceLevel, Map<string, number>>>();

function memoFor<V>(store: WeakMap<CalendarData, WeakMap<ServiceLevel, Map<string, V>>>, cal: CalendarData, level: ServiceLevel): Map<string, V> {
  let byLevel = store.get(cal);
  if (!byLevel) store.set(cal, (byLevel = new WeakMap()));
  let m = byLevel.get(level);
  if (!m) byLevel.set(level, (m = new Map()));
  if (m.size > 50_000) m.clear();
  return m;
}

/**
 * The schedule of one piece of work. `dueAt` is its own due date when it has one; otherwise the
 * level's deadline counted from `startedAt` (to the end of that day, like every period).
 */
export function scheduleOf(cal: CalendarData, level: ServiceLevel, startedAt: number, ownDueAt: number | null): Schedule {
  let dueAt = ownDueAt;
  if (dueAt === null) {
    const startDate = chinaDate(startedAt);
    const m = memoFor(deadlineDays, cal, level);
    dueAt = m.get(startDate) ?? endOfChinaDay(shiftDate(cal, startDate, level.deadline.count, level.deadline.unit)).getTime();
    m.set(startDate, dueAt);
  }
  const dueDate = chinaDate(dueAt);
  // Everything but the due instant depends only on the due date: computed once per date and level.
  const m = memoFor(dayParts, cal, level);
  let parts = m.get(dueDate);
  if (!parts) {
    const goalAt = startOfChinaDay(shiftDate(cal, dueDate, -level.goal.count, level.goal.unit)).getTime();
    const redAt = level.red.count === 0 ? null : endOfChinaDay(shiftDate(cal, dueDate, level.red.count, level.red.unit)).getTime() + 1;
    const every = level.passedDeadline.every;
    const passed: LevelInstant[] = [];
    for (let k = 1; k <= level.passedDeadline.repeat; k++) {
      passed.push({ level: `passed-${k}`, at: endOfChinaDay(shiftDate(cal, dueDate, k * every.count, every.unit)).getTime() + 1 });
    }
    parts = { goalAt, redAt: redAt ?? Number.NaN, passed };
    m.set(dueDate, parts);
  }
  const goalAt = Math.min(dueAt, parts.goalAt);
  const redAt = Number.isNaN(parts.redAt) ? dueAt + 1 : parts.redAt;
  return { goalAt, dueAt, dueDate, redAt, levels: [{ level: 'goal', at: goalAt }, { level: 'deadline', at: dueAt + 1 }, ...parts.passed] };
}

export function urgencyAt(s: Pick<Schedule, 'goalAt' | 'dueAt' | 'dueDate' | 'redAt'>, now: number): Urgency {
  if (now >= s.redAt) return 'serious';
  if (now > s.dueAt) return 'overdue';
  if (chinaDate(now) === s.dueDate) return 'today';
  if (now >= s.goalAt) return 'soon';
  return 'none';
}

/** The levels reached at `now`, in firing order. */
export function levelsReached(s: Schedule, now: number): LevelInstant[] {
  return s.levels.filter((l) => l.at <= now);
}

/** A calendar-free upper bound of a span in milliseconds (rest days can make working days longer). */
export function spanUpperBoundMs(sp: Span): number {
  const days = sp.unit === 'calendarDays' ? sp.count : sp.count * 2 + 12;
  return (days + 1) * 86_400_000;
}

/** A lower bound of a span in milliseconds. */
export function spanLowerBoundMs(sp: Span): number {
  return Math.max(0, sp.count - 1) * 86_400_000;
}
