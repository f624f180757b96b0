/**
 * When a year's holiday schedule is entered, the open case deadlines that were provisional because of
 * that year (暂定: counted by weekends alone) are computed again with the published calendar, from the
 * start event, count and unit their stored explanation records (inputFromExplanation). Each case gets
 * one audit entry, `case.deadline-recomputed`, listing the deadlines that changed, on its timeline.
 *
 * What is updated is the case's deadline record (`case_deadlines`): the case page, the supervision
 * views and the escalation runner read it. A process timer already armed from the old date is not
 * moved: the engines arm timers when an element is entered and offer no way to re-date one, and a
 * weekend-only count is never later than the published one except where the notice adds a 调休 working
 * day, so such a timer fires early rather than late. The next deadline.compute of the case uses the
 * new calendar in any case.
 */
import type { EntityManager } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { CalendarData, isYearPublished } from './calendar';
import { formatChinaTime, yearOf } from './china-time';
import { computeDeadline, DeadlineExplanation, inputFromExplanation, latestDayBefore } from './deadline';

interface Row {
  id: string; case_id: string; rule: string; due_at: number | string; due_date: string;
  warn_at: number | string | null; explanation_json: string;
}

export interface RecomputedDeadline {
  caseId: string;
  rule: string;
  before: { dueAt: number; dueDate: string; provisional: true };
  after: { dueAt: number; dueDate: string; provisional: boolean };
}

type Stored = Record<string, unknown> & { process?: Record<string, unknown> };

const isoSeconds = (ms: number) => formatChinaTime(ms).replace(/\.\d{3}\+/, '+');

/** Whether the stored explanation is one of a computed period (computeDeadline's), which can be replayed. */
function isPeriod(e: Stored): e is Stored & DeadlineExplanation {
  return typeof e.startedAt === 'string' && typeof e.count === 'number' && typeof e.unit === 'string' && typeof e.legalSource === 'string'
    && typeof e.startEvent === 'string' && typeof e.rule === 'string' && !Number.isNaN(Date.parse(e.startedAt));
}

/** A "latest day before an event" (the hearing notice): its explanation has the event's date and what was counted. */
function isLatestDay(e: Stored): boolean {
  return typeof e.eventDate === 'string' && Array.isArray(e.countedDays) && typeof e.count === 'number' && (e.unit === 'workingDays' || e.unit === 'calendarDays');
}

function dependsOn(e: Stored, dueDate: string, year: number): boolean {
  if (Array.isArray(e.unpublishedYears)) return e.unpublishedYears.includes(year);
  return yearOf(dueDate) === year;
}

/** The row's new values, or null when its explanation cannot be replayed (it then stays 暂定). */
function recompute(cal: CalendarData, row: Row, e: Stored): { dueAt: number; dueDate: string; warnAt: number | null; provisional: boolean; explanation: Stored } | null {
  const process = e.process ?? {};
  const oldDue = Number(row.due_at);
  // A warning time is a reminder, not a legal date: kept as it was, but never after the deadline itself.
  const warn = (due: number) => (row.warn_at === null ? null : Math.min(Number(row.warn_at), due));
  if (isPeriod(e)) {
    const d = computeDeadline(cal, inputFromExplanation(e));
    const dueAt = d.dueAt.getTime();
    return {
      dueAt, dueDate: d.dueDate, warnAt: warn(dueAt), provisional: d.provisional,
      explanation: {
        ...d.explanation,
        process: { ...process, dueAt: isoSeconds(dueAt), dueDate: d.dueDate, skipped: d.explanation.skippedDays, provisional: d.provisional, explanation: d.explanation.text },
      },
    };
  }
  if (isLatestDay(e)) {
    const latest = latestDayBefore(cal, {
      rule: { id: String(e.rule), source: String(e.legalSource) }, event: String(e.event), eventDate: String(e.eventDate),
      count: Number(e.count), unit: e.unit as 'workingDays' | 'calendarDays',
    });
    // The deadline is the hearing itself, which does not move; what moves is the day its notice is due by.
    return {
      dueAt: oldDue, dueDate: row.due_date, warnAt: warn(oldDue), provisional: latest.provisional,
      explanation: {
        ...latest.explanation,
        process: { ...process, noticeBy: isoSeconds(latest.latestAt.getTime()), skipped: latest.explanation.skippedDays, provisional: latest.provisional, explanation: latest.explanation.text },
      },
    };
  }
  return null;
}

/**
 * Recomputes every open provisional deadline that depends on `year` with `cal` (which must include the
 * year's schedule) and audits each case whose deadlines changed. Runs in the caller's transaction.
 */
export async function recomputeProvisionalDeadlines(em: EntityManager, cal: CalendarData, year: number, actor: Actor, now: Date): Promise<RecomputedDeadline[]> {
  if (!isYearPublished(cal, year)) return [];
  const rows: Row[] = await em.query(
    "SELECT id, case_id, rule, due_at, due_date, warn_at, explanation_json FROM case_deadlines WHERE provisional = 1 AND state = 'open' ORDER BY case_id, rule");
  const done: RecomputedDeadline[] = [];
  for (const row of rows) {
    let e: Stored;
    try {
      e = JSON.parse(row.explanation_json) as Stored;
    } catch {
      continue;
    }
    if (!e || typeof e !== 'object' || !dependsOn(e, row.due_date, year)) continue;
    const next = recompute(cal, row, e);
    if (!next) continue;
    await em.query('UPDATE case_deadlines SET due_at = ?, due_date = ?, warn_at = ?, provisional = ?, explanation_json = ?, updated_at = ? WHERE id = ?',
      [next.dueAt, next.dueDate, next.warnAt, next.provisional ? 1 : 0, JSON.stringify(next.explanation), now.getTime(), row.id]);
    done.push({
      caseId: row.case_id, rule: row.rule,
      before: { dueAt: Number(row.due_at), dueDate: row.due_date, provisional: true },
      after: { dueAt: next.dueAt, dueDate: next.dueDate, provisional: next.provisional },
    });
  }
  const byCase = new Map<string, RecomputedDeadline[]>();
  for (const d of done) byCase.set(d.caseId, [...(byCase.get(d.caseId) ?? []), d]);
  for (const [caseId, list] of byCase) {
    await recordAudit(em, actor, now, {
      action: 'case.deadline-recomputed', entityType: 'case', entityId: caseId, caseId,
      before: { year, deadlines: list.map((d) => ({ rule: d.rule, ...d.before })) },
      after: { year, deadlines: list.map((d) => ({ rule: d.rule, ...d.after })) },
    });
  }
  return done;
}
