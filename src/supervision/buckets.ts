/**
 * The overdue view's counts as SQL aggregates. An open task's colour depends only on its service
 * level (element, form, process, the case's route and claim categories), its due date's China day
 * and, on today, whether the due instant has passed; a statutory deadline's on its rule and the same
 * two. So the database groups the open work near its due date by those and by grid and assignee
 * with COUNT(*), and Node computes the level and colour once per group (a bucket) instead of once
 * per row. A bucket also says where its rows are (their due day, or for tasks without a due date
 * their creation day), so that the few lists that need rows read only the most urgent buckets.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { CalendarData } from '../deadlines/calendar';
import { CHINA_OFFSET_MS, type LocalDate } from '../deadlines/china-time';
import { levelForDeadline, levelForTask, ServiceLevel } from './service-levels';
import { scheduleOf, spanLowerBoundMs, spanUpperBoundMs, Urgency, urgencyAt } from './schedule';
import { EMBEDDED_TASKS, TaskSource } from './task-source';

type Db = DataSource | EntityManager;
type Row = Record<string, unknown>;

const DAY = 86_400_000;
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Groups in no particular order: MariaDB would sort them by the GROUP BY columns, SQLite would add a sort for it. */
const unordered = (db: Db) => (('manager' in db ? db : db.connection).options.type === 'mysql' ? ' ORDER BY NULL' : '');

/** The start (epoch ms) of the China day (UTC+8, no DST) of a millisecond column, in SQL both databases compute alike, without division. */
export const chinaDaySql = (col: string) => `${col} - (${col} + ${CHINA_OFFSET_MS}) % ${DAY}`;

export interface Bucket {
  kind: 'task' | 'deadline';
  /** Rows in the bucket. */
  n: number;
  officeId: string;
  gridId: string | null;
  assignee: string | null;
  elementId: string | null;
  level: ServiceLevel;
  urgency: Urgency;
  dueDate: LocalDate;
  /** Start of the China day of the rows' due date, or null for tasks without one… */
  dueDay: number | null;
  /** …which are found by the day they were created. */
  createdDay: number | null;
}

/**
 * The open tasks that may have reached their goal by `now`: with a due date up to the longest goal
 * lead ahead, or without one and old enough that the shortest deadline minus the longest lead has passed.
 */
export function taskWindow(levels: readonly ServiceLevel[], now: number): { dueUpTo: number; createdUpTo: number } {
  const taskLevels = levels.filter((l) => l.appliesTo.subject === 'task');
  const maxLead = Math.max(0, ...taskLevels.map((l) => spanUpperBoundMs(l.goal)));
  const minDeadline = Math.min(...taskLevels.map((l) => spanLowerBoundMs(l.deadline)));
  return { dueUpTo: now + maxLead, createdUpTo: now + maxLead - minDeadline };
}

/** The open statutory deadlines a deadline level covers, up to the longest lead ahead. */
export function deadlineWindow(levels: readonly ServiceLevel[], now: number): { rules: string[]; dueUpTo: number } {
  const dl = levels.filter((l) => l.appliesTo.subject === 'deadline');
  const rules = [...new Set(dl.flatMap((l) => l.appliesTo.deadlineRules ?? []))];
  return { rules, dueUpTo: now + Math.max(0, ...dl.map((l) => spanUpperBoundMs(l.goal))) };
}

/** The root process-instance key of a task as case_processes stores it (text): comparing a BIGINT with it would not use its index. */
export const rootKeySql = (source: TaskSource) => (source.kind === 'zeebe' ? 't.process_instance_key' : 'CAST(t.root_id AS CHAR)');

interface Ctx { cal: CalendarData; levels: readonly ServiceLevel[]; now: number; source?: TaskSource }

/**
 * A due-dated bucket's colour from one instant standing for its rows: every row of a China day has
 * the same goal, red and passed-deadline instants (they depend on the date only), and whether it is
 * overdue is the `past` flag.
 */
export function dueInstant(day: number, past: boolean, now: number): number {
  return past ? Math.min(now - 1, day + DAY - 1) : Math.max(now, day);
}

/** Open tasks near their due date, counted per bucket (every office: the caller keeps its own). */
export async function taskBuckets(db: Db, ctx: Ctx): Promise<Bucket[]> {
  const { cal, levels, now } = ctx;
  const source = ctx.source ?? EMBEDDED_TASKS;
  const taskLevels = levels.filter((l) => l.appliesTo.subject === 'task');
  const used = (k: 'formIds' | 'bpmnProcessIds' | 'routes') => taskLevels.some((l) => l.appliesTo[k]?.length);
  // Only what some level matches on splits the groups; a claim category as a flag per category named by a level.
  const categories = [...new Set(taskLevels.flatMap((l) => l.appliesTo.claimCategories ?? []))].sort();
  const cols = ['c.office_id', 'c.grid_id', 't.assignee', 't.element_id'];
  if (used('formIds')) cols.push('t.form_id');
  if (used('bpmnProcessIds')) cols.push('t.bpmn_process_id');
  if (used('routes')) cols.push('c.route');
  const claims = categories.map((_, i): [string, string] => [`CASE WHEN EXISTS (SELECT 1 FROM case_claims cc WHERE cc.case_id = c.id AND cc.category = ?) THEN 1 ELSE 0 END`, `claim_${i}`]);
  const { dueUpTo, createdUpTo } = taskWindow(levels, now);
  const from = `FROM ${source.table} t JOIN case_processes cp ON cp.process_instance_key = ${rootKeySql(source)} JOIN cases c ON c.id = cp.case_id`;
  // Computed columns are grouped by their alias: a parameter in GROUP BY would be another expression to MySQL's ONLY_FULL_GROUP_BY.
  const query = (extra: [string, string][], where: string, params: unknown[]) => {
    const computed = [...claims, ...extra];
    return db.query(
      `SELECT ${[...cols, ...computed.map(([e, alias]) => `${e} AS ${alias}`)].join(', ')}, COUNT(*) AS n ${from}
        WHERE t.state = 'created' AND ${where}
        GROUP BY ${[...cols, ...computed.map(([, alias]) => alias)].join(', ')}${unordered(db)}`, [...categories, ...params]) as Promise<Row[]>;
  };
  const dated = await query([[chinaDaySql('t.due_date'), 'due_day'], ['CASE WHEN t.due_date < ? THEN 1 ELSE 0 END', 'past']], 't.due_date <= ?', [now, dueUpTo]);
  const undated = await query([[chinaDaySql('t.created_at'), 'created_day']], 't.due_date IS NULL AND t.created_at <= ?', [createdUpTo]);
  return [...dated, ...undated].map((r) => {
    const level = levelForTask(levels, {
      elementId: String(r.element_id), formId: strOrNull(r.form_id), bpmnProcessId: String(r.bpmn_process_id ?? ''), route: strOrNull(r.route),
      claimCategories: categories.filter((_, i) => Number(r[`claim_${i}`]) === 1),
    });
    const dueDay = r.due_day === undefined ? null : Number(r.due_day);
    const createdDay = r.created_day === undefined ? null : Number(r.created_day);
    const s = dueDay === null ? scheduleOf(cal, level, createdDay!, null) : scheduleOf(cal, level, 0, dueInstant(dueDay, Number(r.past) === 1, now));
    return {
      kind: 'task', n: Number(r.n), officeId: String(r.office_id), gridId: strOrNull(r.grid_id), assignee: strOrNull(r.assignee), elementId: String(r.element_id),
      level, urgency: urgencyAt(s, now), dueDate: s.dueDate, dueDay, createdDay,
    } satisfies Bucket;
  });
}

/**
 * Open statutory deadlines near their due date, counted per bucket (every office). `soleOffice`: the
 * database holds only that office, so every deadline is of it (a foreign key ties each to a case)
 * and, when no grid is asked for, the deadlines' covering index answers without reading the cases.
 */
export async function deadlineBuckets(db: Db, ctx: Ctx, soleOffice?: string): Promise<Bucket[]> {
  const { cal, levels, now } = ctx;
  const { rules, dueUpTo } = deadlineWindow(levels, now);
  if (!rules.length) return [];
  const cols = [...(soleOffice ? [] : ['c.office_id', 'c.grid_id']), 'd.rule'];
  const rows = (await db.query(
    `SELECT ${cols.join(', ')}, ${chinaDaySql('d.due_at')} AS due_day, CASE WHEN d.due_at < ? THEN 1 ELSE 0 END AS past, COUNT(*) AS n
       FROM case_deadlines d${soleOffice ? '' : ' JOIN cases c ON c.id = d.case_id'}
      WHERE d.state = 'open' AND d.due_at <= ? AND d.rule IN (${rules.map(() => '?').join(', ')})
      GROUP BY ${cols.join(', ')}, due_day, past${unordered(db)}`, [now, dueUpTo, ...rules])) as Row[];
  return rows.flatMap((r) => {
    const level = levelForDeadline(levels, String(r.rule));
    if (!level) return [];
    const dueDay = Number(r.due_day);
    const s = scheduleOf(cal, level, 0, dueInstant(dueDay, Number(r.past) === 1, now));
    return [{
      kind: 'deadline', n: Number(r.n), officeId: soleOffice ?? String(r.office_id), gridId: soleOffice ? null : strOrNull(r.grid_id), assignee: null, elementId: null,
      level, urgency: urgencyAt(s, now), dueDate: s.dueDate, dueDay, createdDay: null,
    } satisfies Bucket];
  });
}

/**
 * The span of China days (given by their starts) from the first to the last, as a condition on a
 * millisecond column. Rows of days in between are read too and sorted out again: one index range is
 * cheaper than an OR of ranges, which SQLite turns into a skip-scan per range over every task state.
 */
export function daySpanSql(col: string, days: number[]): { sql: string; params: number[] } {
  return { sql: `${col} >= ? AND ${col} < ?`, params: [Math.min(...days), Math.max(...days) + DAY] };
}
