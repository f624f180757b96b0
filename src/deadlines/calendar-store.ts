/**
 * Admin holiday schedules in the database (tables calendar_years and calendar_overrides), and the
 * calendar built from them over the chinese-days package. Every function takes the caller's entity
 * manager, so a change joins the caller's transaction with its audit entry.
 */
import { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { errors } from '../errors';
import { CalendarData, ScheduleEntry, YearSchedule, buildCalendarData, validateYearSchedule } from './calendar';

export interface YearScheduleInput {
  year: number;
  /** The notice transcribed, e.g. '国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕7号）'. */
  source: string;
  /** When the notice was published (epoch ms). */
  publishedAt?: number | null;
  entries: ScheduleEntry[];
}

interface YearRow { year: number | string; source: string; published_at: number | string | null }
interface DayRow { year: number | string; date: string; kind: string; name: string }

const num = (v: number | string | null): number | null => (v === null || v === undefined ? null : Number(v));

/** Every admin schedule, with its days in date order. */
export async function loadAdminSchedules(em: EntityManager): Promise<YearSchedule[]> {
  const years: YearRow[] = await em.query('SELECT year, source, published_at FROM calendar_years ORDER BY year');
  const days: DayRow[] = await em.query('SELECT year, date, kind, name FROM calendar_overrides ORDER BY date');
  const byYear = new Map<number, YearSchedule>();
  for (const y of years) {
    byYear.set(Number(y.year), { year: Number(y.year), source: 'admin', notice: y.source, publishedAt: num(y.published_at), entries: [] });
  }
  for (const d of days) {
    byYear.get(Number(d.year))?.entries.push({ date: d.date, kind: d.kind as ScheduleEntry['kind'], name: d.name });
  }
  return [...byYear.values()];
}

/** The calendar in force: chinese-days' schedules with the admin's replacing them year by year. */
export async function loadCalendarData(em: EntityManager): Promise<CalendarData> {
  return buildCalendarData(await loadAdminSchedules(em));
}

async function currentSchedule(em: EntityManager, year: number): Promise<YearSchedule | null> {
  return (await loadAdminSchedules(em)).find((s) => s.year === year) ?? null;
}

function audit(em: EntityManager, actor: Actor, now: Date, action: string, year: number, before: unknown, after: unknown): Promise<void> {
  return recordAudit(em, actor, now, { action, entityType: 'calendar_year', entityId: String(year), before, after });
}

/**
 * Stores a year's official schedule, replacing any earlier admin schedule for that year (and the
 * package's, in the calendar). Throws a VALIDATION_FAILED error listing every problem.
 */
export async function saveYearSchedule(em: EntityManager, input: YearScheduleInput, actor: Actor, now: Date): Promise<YearSchedule> {
  const problems = validateYearSchedule(input);
  if (typeof input.source !== 'string' || input.source.trim() === '' || input.source.length > 300) {
    problems.push({ path: 'source', message: '请填写所依据的通知名称及文号（最多 300 字）' });
  }
  if (input.publishedAt !== undefined && input.publishedAt !== null && !Number.isFinite(input.publishedAt)) {
    problems.push({ path: 'publishedAt', message: '应为时间戳' });
  }
  if (problems.length) throw errors.validation(`${input.year} 年节假日安排有误`, problems.map((p) => ({ path: p.path, message: p.message })));

  const before = await currentSchedule(em, input.year);
  const at = now.getTime();
  await em.query('DELETE FROM calendar_overrides WHERE year = ?', [input.year]);
  if (before) {
    await em.query('UPDATE calendar_years SET source = ?, published_at = ?, created_by = ?, updated_at = ? WHERE year = ?',
      [input.source.trim(), input.publishedAt ?? null, actor.userId, at, input.year]);
  } else {
    await em.query('INSERT INTO calendar_years (year, source, published_at, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
      [input.year, input.source.trim(), input.publishedAt ?? null, actor.userId, at, at]);
  }
  const entries = [...input.entries].sort((a, b) => a.date.localeCompare(b.date)).map((e) => ({ ...e, name: e.name.trim() }));
  for (const e of entries) {
    await em.query('INSERT INTO calendar_overrides (year, date, kind, name, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [input.year, e.date, e.kind, e.name, actor.userId, at]);
  }
  const after: YearSchedule = { year: input.year, source: 'admin', notice: input.source.trim(), publishedAt: input.publishedAt ?? null, entries };
  await audit(em, actor, now, before ? 'calendar.year.replace' : 'calendar.year.add', input.year, before, after);
  return after;
}

/** Removes the admin's schedule for a year, so the package's (or none) applies again. False when there was none. */
export async function deleteYearSchedule(em: EntityManager, year: number, actor: Actor, now: Date): Promise<boolean> {
  const before = await currentSchedule(em, year);
  if (!before) return false;
  await em.query('DELETE FROM calendar_overrides WHERE year = ?', [year]);
  await em.query('DELETE FROM calendar_years WHERE year = ?', [year]);
  await audit(em, actor, now, 'calendar.year.delete', year, before, null);
  return true;
}
