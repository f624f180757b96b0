/**
 * The supervisor's aggregates: open work with its colour (tasks and statutory deadlines) grouped by
 * grid, team and person, and counts with the on-time closure rate (按期结案率) per grid and period.
 * The open work is counted by SQL aggregates (buckets.ts); rows, read by indexed ranges (open tasks
 * by (state, due_date), their cases by process-instance key, open deadlines by (state, due_at)), only
 * for the lists and for the escalation runner. The stats read month counts kept up as cases are recorded
 * (`recordCaseEvents`), scanning only the part of a month cut by the period's ends.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { CalendarData } from '../deadlines/calendar';
import { inTransaction } from '../db/data-source';
import { chinaDate, daysBetween, startOfChinaDay } from '../deadlines/china-time';
import { levelForDeadline, levelForTask, ServiceLevel } from './service-levels';
import { Bucket, daySpanSql, deadlineBuckets, deadlineWindow, taskBuckets, taskWindow } from './buckets';
import { Colour, COLOUR_OF_URGENCY, Schedule, scheduleOf, Urgency, urgencyAt } from './schedule';
import { EMBEDDED_TASKS, TaskSource } from './task-source';

type Db = DataSource | EntityManager;
type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const CHUNK = 500;

/** A condition with its parameters. */
export interface SqlPart { sql: string; params: unknown[] }

export interface GridInfo { id: string; code: string; name: string; parentId: string | null; level: number }

export async function officeGrids(db: Db, officeId: string): Promise<Map<string, GridInfo>> {
  const rows = (await db.query('SELECT id, code, name, parent_id, level FROM grids WHERE office_id = ?', [officeId])) as Row[];
  return new Map(rows.map((r) => [String(r.id), { id: String(r.id), code: String(r.code), name: String(r.name), parentId: strOrNull(r.parent_id), level: num(r.level) }]));
}

/** The office's active users, for the overdue page's names and its assignment picker. */
export async function activeOfficeUsers(db: Db, officeId: string): Promise<{ id: string; username: string; displayName: string }[]> {
  const rows = (await db.query('SELECT id, username, display_name FROM users WHERE office_id = ? AND active = 1 ORDER BY username', [officeId])) as Row[];
  return rows.map((u) => ({ id: String(u.id), username: String(u.username), displayName: String(u.display_name) }));
}

/** An open task as the colour of an inbox row needs it. */
export interface OpenTaskTiming { key: string; rootKey: string; elementId: string; formId: string | null; bpmnProcessId: string; createdAt: number; dueDate: number | null }

/** Open tasks by key (keys another engine could not have are dropped by the caller), for their colours. */
export async function openTasksByKey(db: Db, source: TaskSource, keys: string[]): Promise<OpenTaskTiming[]> {
  const out: OpenTaskTiming[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK).map((k) => source.param(k));
    const rows = (await db.query(
      `SELECT ${source.columns} FROM ${source.table} WHERE state = 'created' AND ${source.keyColumn} IN (${part.map(() => '?').join(', ')})`, part)) as Row[];
    for (const r of rows) {
      out.push({ key: String(r.id), rootKey: String(r.root_id), elementId: String(r.element_id), formId: strOrNull(r.form_id), bpmnProcessId: String(r.bpmn_process_id),
        createdAt: num(r.created_at), dueDate: r.due_date === null ? null : num(r.due_date) });
    }
  }
  return out;
}

/** The street (level-1 grid) of a grid: "一级网格管理". */
export function streetOf(grids: Map<string, GridInfo>, gridId: string | null): GridInfo | null {
  let g = gridId ? grids.get(gridId) ?? null : null;
  for (let i = 0; g && g.parentId && i < 10; i++) g = grids.get(g.parentId) ?? g;
  return g;
}

export interface CaseOfTask {
  caseId: string; caseNumber: string; officeId: string; gridId: string | null; route: string | null; status: string; claimCategories: string[];
}

/** The cases behind root process-instance keys, of one office; a key without a case is left out. */
export async function casesByRootKey(db: Db, rootKeys: string[], officeId: string, withClaims: boolean): Promise<Map<string, CaseOfTask>> {
  const out = new Map<string, CaseOfTask>();
  const unique = [...new Set(rootKeys)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const keys = unique.slice(i, i + CHUNK);
    const rows = (await db.query(
      `SELECT cp.process_instance_key, c.id, c.case_number, c.office_id, c.grid_id, c.route, c.status
         FROM case_processes cp JOIN cases c ON c.id = cp.case_id
        WHERE cp.process_instance_key IN (${keys.map(() => '?').join(', ')})`, keys)) as Row[];
    for (const r of rows) {
      // Filtered here, not in SQL: with the office in the WHERE clause the planners scan the office's cases.
      if (String(r.office_id) !== officeId) continue;
      out.set(String(r.process_instance_key), {
        caseId: String(r.id), caseNumber: String(r.case_number), officeId: String(r.office_id), gridId: strOrNull(r.grid_id),
        route: strOrNull(r.route), status: String(r.status), claimCategories: [],
      });
    }
  }
  if (withClaims && out.size) {
    const byCase = new Map([...out.values()].map((c) => [c.caseId, c]));
    const ids = [...byCase.keys()];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const rows = (await db.query(`SELECT case_id, category FROM case_claims WHERE case_id IN (${part.map(() => '?').join(', ')})`, part)) as Row[];
      for (const r of rows) byCase.get(String(r.case_id))?.claimCategories.push(String(r.category));
    }
  }
  return out;
}

export interface OpenTask {
  key: string; rootKey: string; elementId: string; formId: string | null; bpmnProcessId: string; name: string | null;
  assignee: string | null; candidateGroups: string[]; dueDate: number | null; createdAt: number; priority: number;
}

/**
 * Open tasks that may have reached their goal by `now` (see `taskWindow`). `where` narrows those with
 * and without a due date by a condition on the task table's columns; a part it leaves out is not read.
 */
export async function openTasksNearDue(db: Db, levels: readonly ServiceLevel[], now: number, source: TaskSource = EMBEDDED_TASKS,
  where?: { dueDated?: SqlPart; undated?: SqlPart }): Promise<OpenTask[]> {
  const { dueUpTo, createdUpTo } = taskWindow(levels, now);
  const select = (cols: string, cond: string, params: unknown[]) => db.query(`SELECT ${cols} FROM ${source.table} WHERE ${cond}`, params) as Promise<Row[]>;
  const read = async (cond: string, params: unknown[], more: SqlPart | undefined): Promise<Row[]> => {
    if (!more) return select(source.columns, `state = 'created' AND ${cond}`, params);
    // Narrowed: the keys first, read from the covering index of open tasks alone (for the whole row
    // MariaDB may pick the (state, due_date) index and visit every row of the range), then their rows.
    const keys = (await select(`${source.keyColumn} AS k`, `state = 'created' AND ${cond} AND ${more.sql}`, [...params, ...more.params])).map((r) => source.param(String(r.k)));
    const rows: Row[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const part = keys.slice(i, i + CHUNK);
      rows.push(...(await select(source.columns, `${source.keyColumn} IN (${part.map(() => '?').join(', ')})`, part)));
    }
    return rows;
  };
  const rows = [
    ...(where && !where.dueDated ? [] : await read('due_date <= ?', [dueUpTo], where?.dueDated)),
    ...(where && !where.undated ? [] : await read('created_at <= ? AND due_date IS NULL', [createdUpTo], where?.undated)),
  ];
  return rows.map((r) => ({
    key: String(r.id), rootKey: String(r.root_id), elementId: String(r.element_id), formId: strOrNull(r.form_id), bpmnProcessId: String(r.bpmn_process_id),
    name: strOrNull(r.name), assignee: strOrNull(r.assignee), candidateGroups: r.candidate_groups ? (JSON.parse(String(r.candidate_groups)) as string[]) : [],
    dueDate: r.due_date === null ? null : num(r.due_date), createdAt: num(r.created_at), priority: num(r.priority),
  }));
}

export interface WorkItem {
  kind: 'task' | 'deadline';
  /** Task key, or the deadline's id. */
  key: string;
  title: string;
  elementId: string | null;
  caseId: string;
  caseNumber: string;
  gridId: string | null;
  gridName: string | null;
  teamId: string | null;
  teamName: string | null;
  assignee: string | null;
  candidateGroups: string[];
  dueAt: string;
  dueDate: string;
  goalAt: string;
  colour: Colour;
  urgency: Urgency;
  daysOverdue: number;
  serviceLevel: string;
  serviceLevelTitle: string;
  /** 法定期限 (statutory) or 本单位目标 (office), from the service level. */
  basis: ServiceLevel['basis'];
  basisSource: string | null;
  priority: number | null;
  /** The 30 工作日 investigation extension waiting for approval. */
  extensionApproval: boolean;
  rule: string | null;
}

export const EXTENSION_TASK = 'Task_ApproveExtension';

export interface WorkContext {
  cal: CalendarData; levels: readonly ServiceLevel[]; now: number; officeId: string;
  /** The task tables of the engine in use (default: the embedded engine's). */
  source?: TaskSource;
}

/**
 * One piece of open work at or past its goal, before it is dressed for the answer: the dashboard
 * counts every entry but shows only the most urgent, so only those become a WorkItem.
 */
export interface WorkEntry {
  kind: WorkItem['kind'];
  key: string;
  title: string;
  elementId: string | null;
  c: CaseOfTask;
  s: Schedule;
  urgency: Urgency;
  level: ServiceLevel;
  assignee: string | null;
  candidateGroups: string[];
  priority: number | null;
  rule: string | null;
}

/** Open tasks of the office at or past their goal, and every open task examined (for the runner). */
export async function taskEntries(db: Db, ctx: WorkContext, where?: { dueDated?: SqlPart; undated?: SqlPart }): Promise<{ entries: WorkEntry[]; tasks: Map<string, { task: OpenTask; c: CaseOfTask; level: ServiceLevel }> }> {
  const tasks = await openTasksNearDue(db, ctx.levels, ctx.now, ctx.source, where);
  const withClaims = ctx.levels.some((l) => l.appliesTo.claimCategories?.length);
  const cases = await casesByRootKey(db, tasks.map((t) => t.rootKey), ctx.officeId, withClaims);
  const entries: WorkEntry[] = [];
  const found = new Map<string, { task: OpenTask; c: CaseOfTask; level: ServiceLevel }>();
  for (const t of tasks) {
    const c = cases.get(t.rootKey);
    if (!c) continue;
    const level = levelForTask(ctx.levels, { elementId: t.elementId, formId: t.formId, bpmnProcessId: t.bpmnProcessId, route: c.route, claimCategories: c.claimCategories });
    found.set(t.key, { task: t, c, level });
    const s = scheduleOf(ctx.cal, level, t.createdAt, t.dueDate);
    const urgency = urgencyAt(s, ctx.now);
    if (urgency === 'none') continue;
    entries.push({ kind: 'task', key: t.key, title: t.name ?? t.elementId, elementId: t.elementId, c, s, urgency, level, assignee: t.assignee, candidateGroups: t.candidateGroups, priority: t.priority, rule: null });
  }
  return { entries, tasks: found };
}

export interface OpenDeadline { id: string; caseId: string; rule: string; dueAt: number; createdAt: number; c: CaseOfTask }

/** Open statutory deadlines of the office that a deadline level covers, up to the longest lead ahead. */
export async function openDeadlinesNearDue(db: Db, levels: readonly ServiceLevel[], now: number, officeId: string, where?: SqlPart): Promise<OpenDeadline[]> {
  const { rules, dueUpTo } = deadlineWindow(levels, now);
  if (!rules.length) return [];
  const rows = (await db.query(
    `SELECT d.id, d.case_id, d.rule, d.due_at, d.created_at, c.case_number, c.office_id, c.grid_id, c.route, c.status
       FROM case_deadlines d JOIN cases c ON c.id = d.case_id
      WHERE d.state = 'open' AND d.due_at <= ? AND d.rule IN (${rules.map(() => '?').join(', ')})${where ? ` AND ${where.sql}` : ''}`,
    [dueUpTo, ...rules, ...(where?.params ?? [])])) as Row[];
  return rows.filter((r) => String(r.office_id) === officeId).map((r) => ({
    id: String(r.id), caseId: String(r.case_id), rule: String(r.rule), dueAt: num(r.due_at), createdAt: num(r.created_at),
    c: { caseId: String(r.case_id), caseNumber: String(r.case_number), officeId: String(r.office_id), gridId: strOrNull(r.grid_id), route: strOrNull(r.route), status: String(r.status), claimCategories: [] },
  }));
}

/** Open statutory deadlines of the office at or past their goal. */
export async function deadlineEntries(db: Db, ctx: WorkContext, where?: SqlPart): Promise<WorkEntry[]> {
  const entries: WorkEntry[] = [];
  for (const d of await openDeadlinesNearDue(db, ctx.levels, ctx.now, ctx.officeId, where)) {
    const level = levelForDeadline(ctx.levels, d.rule);
    if (!level) continue;
    const s = scheduleOf(ctx.cal, level, d.createdAt, d.dueAt);
    const urgency = urgencyAt(s, ctx.now);
    if (urgency === 'none') continue;
    entries.push({ kind: 'deadline', key: d.id, title: level.title, elementId: null, c: d.c, s, urgency, level, assignee: null, candidateGroups: [], priority: null, rule: d.rule });
  }
  return entries;
}

export function toItem(e: WorkEntry, grids: Map<string, GridInfo>, now: number): WorkItem {
  const street = streetOf(grids, e.c.gridId);
  const team = e.c.gridId ? grids.get(e.c.gridId) ?? null : null;
  return {
    kind: e.kind, key: e.key, title: e.title, elementId: e.elementId, caseId: e.c.caseId, caseNumber: e.c.caseNumber,
    gridId: street?.id ?? null, gridName: street?.name ?? null, teamId: team?.id ?? null, teamName: team?.name ?? null,
    assignee: e.assignee, candidateGroups: e.candidateGroups,
    dueAt: new Date(e.s.dueAt).toISOString(), dueDate: e.s.dueDate, goalAt: new Date(e.s.goalAt).toISOString(),
    colour: COLOUR_OF_URGENCY[e.urgency]!, urgency: e.urgency, daysOverdue: now > e.s.dueAt ? Math.max(1, daysBetween(e.s.dueDate, chinaDate(now))) : 0,
    serviceLevel: e.level.id, serviceLevelTitle: e.level.title, basis: e.level.basis, basisSource: e.level.basisSource, priority: e.priority, extensionApproval: e.elementId === EXTENSION_TASK, rule: e.rule,
  };
}

const RANK: Record<Urgency, number> = { serious: 0, overdue: 1, today: 2, soon: 3, none: 4 };
export const byUrgency = (a: WorkEntry, b: WorkEntry) => RANK[a.urgency] - RANK[b.urgency] || a.s.dueAt - b.s.dueAt || a.key.localeCompare(b.key);
/** Buckets in the order of their rows: within one urgency a later due date means a later due instant. */
const byUrgencyDay = (a: Bucket, b: Bucket) => RANK[a.urgency] - RANK[b.urgency] || (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0);

export interface ColourCounts { yellow: number; orange: number; red: number; total: number }
export interface Group extends ColourCounts { id: string | null; name: string }

export function colourCounts(buckets: Bucket[]): ColourCounts {
  const out: ColourCounts = { yellow: 0, orange: 0, red: 0, total: 0 };
  for (const b of buckets) {
    out[COLOUR_OF_URGENCY[b.urgency]!] += b.n;
    out.total += b.n;
  }
  return out;
}

type GroupKey = (x: { gridId: string | null; assignee: string | null }) => [string | null, string];
const byCounts = (a: Group, b: Group) => b.red - a.red || b.orange - a.orange || b.total - a.total || a.name.localeCompare(b.name);

/**
 * Counts per group, most red first, then orange, total and name. Groups equal in all of these come
 * in the order of their most urgent entry (as when rows were grouped in urgency order): `firstOf`
 * reads it, for such ties only.
 */
export async function groupBy(buckets: Bucket[], keyOf: GroupKey, firstOf: (id: string | null) => Promise<WorkEntry>): Promise<Group[]> {
  const m = new Map<string, Group>();
  for (const b of buckets) {
    const [id, name] = keyOf(b);
    let g = m.get(id ?? '');
    if (!g) m.set(id ?? '', (g = { id, name, yellow: 0, orange: 0, red: 0, total: 0 }));
    g[COLOUR_OF_URGENCY[b.urgency]!] += b.n;
    g.total += b.n;
  }
  const sorted = [...m.values()].sort(byCounts);
  for (let i = 0, j = 1; i < sorted.length; i = j, j = i + 1) {
    while (j < sorted.length && byCounts(sorted[i], sorted[j]) === 0) j++;
    if (j - i < 2) continue;
    const tied = sorted.slice(i, j);
    const firsts = await Promise.all(tied.map((g) => firstOf(g.id)));
    sorted.splice(i, j - i, ...tied.map((g, k) => ({ g, e: firsts[k] })).sort((x, y) => byUrgency(x.e, y.e)).map((x) => x.g));
  }
  return sorted;
}

/**
 * The first `n` entries in urgency order of `buckets` (of one kind) and of the rows `keep` accepts
 * (`keep.entry` must accept a bucket's rows exactly when the caller kept the bucket). Rows of a less
 * urgent (urgency, due date) come after every row of a more urgent one, so the first `n` are among
 * the rows of the most urgent buckets holding `n` rows, with all of the last one's (urgency, due
 * date): only the span of their days is read (rows of other buckets read with them sort after those).
 */
async function mostUrgent(db: Db, ctx: WorkContext, buckets: Bucket[], n: number, keep: { entry: (e: WorkEntry) => boolean; sql?: SqlPart }): Promise<WorkEntry[]> {
  const order = [...buckets].sort(byUrgencyDay);
  let i = 0;
  for (let rows = 0; i < order.length && rows < n; i++) rows += order[i].n;
  while (i > 0 && i < order.length && byUrgencyDay(order[i - 1], order[i]) === 0) i++;
  const need = order.slice(0, i);
  if (!need.length) return [];
  const dueDays = need.flatMap((b) => (b.dueDay === null ? [] : [b.dueDay]));
  const createdDays = need.flatMap((b) => (b.createdDay === null ? [] : [b.createdDay]));
  const and = (p: SqlPart): SqlPart => (keep.sql ? { sql: `${p.sql} AND ${keep.sql.sql}`, params: [...p.params, ...keep.sql.params] } : p);
  const entries = need[0].kind === 'deadline'
    ? await deadlineEntries(db, ctx, and(daySpanSql('d.due_at', dueDays)))
    : (await taskEntries(db, ctx, {
      dueDated: dueDays.length ? and(daySpanSql('due_date', dueDays)) : undefined,
      undated: createdDays.length ? and(daySpanSql('created_at', createdDays)) : undefined,
    })).entries;
  return entries.filter(keep.entry).sort(byUrgency).slice(0, n);
}

export interface OverdueView {
  counts: ColourCounts;
  byGrid: Group[];
  byTeam: Group[];
  byPerson: Group[];
  items: WorkItem[];
  truncated: boolean;
  statutory: { counts: ColourCounts; items: WorkItem[]; truncated: boolean };
  extensions: WorkItem[];
}

/**
 * GET /api/supervision/overdue's figures: open tasks and statutory deadlines at or past their goal,
 * counted by colour per street grid, community grid (team) and person, with the `limit` most urgent
 * of each as items. `gridId` narrows to a street or community grid. The counts come from SQL
 * aggregates (buckets.ts); rows are read only for the lists.
 */
export async function overdueView(db: Db, ctx: WorkContext, opts: { gridId?: string; limit: number; names: Map<string, string> }): Promise<OverdueView> {
  const grids = await officeGrids(db, ctx.officeId);
  const inGrid = (gridId: string | null) => !opts.gridId || gridId === opts.gridId || streetOf(grids, gridId)?.id === opts.gridId;
  const ours = (b: Bucket) => b.urgency !== 'none' && b.officeId === ctx.officeId && inGrid(b.gridId);
  // The statutory counts skip the join to cases when the office is the only one and no grid is asked for.
  const offices = (await db.query('SELECT id FROM offices LIMIT 2')) as Row[];
  const soleOffice = offices.length === 1 && String(offices[0].id) === ctx.officeId && !opts.gridId ? ctx.officeId : undefined;
  const tasks = (await taskBuckets(db, ctx)).filter(ours);
  const statutory = (await deadlineBuckets(db, ctx, soleOffice)).filter(ours);
  const first = (buckets: Bucket[], n: number, entry: (e: WorkEntry) => boolean = () => true, sql?: SqlPart) =>
    mostUrgent(db, ctx, buckets, n, { entry: (e) => inGrid(e.c.gridId) && entry(e), sql });
  const asKeyed = (e: WorkEntry) => ({ gridId: e.c.gridId, assignee: e.assignee });
  const groups = (keyOf: GroupKey) => groupBy(tasks, keyOf, async (id) => {
    const inGroup = (x: { gridId: string | null; assignee: string | null }) => (keyOf(x)[0] ?? '') === (id ?? '');
    return (await first(tasks.filter(inGroup), 1, (e) => inGroup(asKeyed(e))))[0];
  });
  // Every unassigned task counts in one row, named after the candidate groups of the most urgent one.
  const unassigned = tasks.filter((b) => !b.assignee);
  const [firstUnassigned] = unassigned.length ? await first(unassigned, 1, (e) => !e.assignee, { sql: "(assignee IS NULL OR assignee = '')", params: [] }) : [];
  const extensions = tasks.filter((b) => b.elementId === EXTENSION_TASK);
  const counts = colourCounts(tasks);
  const statutoryCounts = colourCounts(statutory);
  return {
    counts,
    byGrid: await groups((x) => {
      const g = streetOf(grids, x.gridId);
      return [g?.id ?? null, g?.name ?? '未划分网格'];
    }),
    byTeam: await groups((x) => {
      const g = x.gridId ? grids.get(x.gridId) : undefined;
      return [g?.id ?? null, g?.name ?? '未划分网格'];
    }),
    byPerson: await groups((x) => (x.assignee ? [x.assignee, opts.names.get(x.assignee) ?? x.assignee] : [null, `未领取（${firstUnassigned?.candidateGroups.join('、') || '无候选组'}）`])),
    items: (await first(tasks, opts.limit)).map((e) => toItem(e, grids, ctx.now)),
    truncated: counts.total > opts.limit,
    statutory: {
      counts: statutoryCounts,
      items: (await first(statutory, opts.limit)).map((e) => toItem(e, grids, ctx.now)),
      truncated: statutoryCounts.total > opts.limit,
    },
    extensions: (await first(extensions, Infinity, (e) => e.elementId === EXTENSION_TASK, { sql: 'element_id = ?', params: [EXTENSION_TASK] }))
      .map((e) => toItem(e, grids, ctx.now)),
  };
}

// ------------------------------------------------------------------ stats

export type Period = 'month' | 'quarter' | 'year';

export interface StatsRow {
  gridId: string | null;
  gridName: string;
  period: string;
  received: number;
  closed: number;
  closedOnTime: number;
  closedLate: number;
  /** Closed cases with no closure target recorded: not counted in the rate. */
  closedWithoutTarget: number;
  /** 按期结案率: closed on time / closed with a target; null when none. closed = on time + late + without target. */
  onTimeRate: number | null;
}

function nextMonthStart(month: string): number {
  const [y, mo] = month.split('-').map(Number);
  return startOfChinaDay(mo === 12 ? `${y + 1}-01-01` : `${y}-${String(mo + 1).padStart(2, '0')}-01`).getTime();
}

/** The months (YYYY-MM) from `from` to `to` (epoch ms, `to` exclusive), each with its range clipped to them. */
function months(from: number, to: number): { month: string; start: number; end: number }[] {
  const out: { month: string; start: number; end: number }[] = [];
  let m = chinaDate(from).slice(0, 7);
  for (let guard = 0; guard < 600; guard++) {
    const start = startOfChinaDay(`${m}-01`).getTime();
    if (start >= to) break;
    const [y, mo] = m.split('-').map(Number);
    const next = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
    const end = startOfChinaDay(`${next}-01`).getTime();
    out.push({ month: m, start: Math.max(start, from), end: Math.min(end, to) });
    m = next;
  }
  return out;
}

function isUniqueViolation(e: unknown): boolean {
  const d = (e as { driverError?: { code?: string; errno?: number } }).driverError ?? (e as { code?: string; errno?: number });
  return d.code === 'ER_DUP_ENTRY' || d.errno === 1062 || d.code === 'SQLITE_CONSTRAINT_UNIQUE' || d.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

type Counts = { received: number; closed: number; on_time: number; no_target: number };

/** Adds to the month counts in the caller's transaction (an upsert in either dialect). */
async function addMonthCounts(em: EntityManager, deltas: Map<string, Counts>): Promise<void> {
  const mysql = em.connection.options.type === 'mysql';
  for (const [key, d] of deltas) {
    const [office, grid, month] = key.split('|');
    await em.query(mysql
      ? `INSERT INTO supervision_month_counts (office_id, grid_key, month, received, closed, on_time, no_target) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE received = received + VALUES(received), closed = closed + VALUES(closed), on_time = on_time + VALUES(on_time), no_target = no_target + VALUES(no_target)`
      : `INSERT INTO supervision_month_counts (office_id, grid_key, month, received, closed, on_time, no_target) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (office_id, grid_key, month) DO UPDATE SET received = received + excluded.received, closed = closed + excluded.closed,
           on_time = on_time + excluded.on_time, no_target = no_target + excluded.no_target`,
    [office, grid, month, d.received, d.closed, d.on_time, d.no_target]);
  }
}

const monthKey = (officeId: unknown, gridId: unknown, at: number) => `${String(officeId)}|${gridId === null || gridId === undefined ? '' : String(gridId)}|${chinaDate(at).slice(0, 7)}`;

/**
 * Records cases received and closed since the last call, each once (`supervision_case_receipts`,
 * `supervision_case_closures`, the latter with whether the case met its closure target), and adds
 * them to `supervision_month_counts` in the same transaction, so a case is counted once however often
 * this runs. Incremental by default: from ten minutes before the latest case recorded (transactions
 * may commit out of order). `full` also finds cases recorded nowhere yet however old (imported data):
 * the runner does that on its first pass and hourly. Answers how many receipts and closures it added.
 */
export async function recordCaseEvents(ds: DataSource, opts: { full?: boolean } = {}): Promise<number> {
  return (await feed(ds, 'receipt', opts.full ?? false)) + (await feed(ds, 'closure', opts.full ?? false));
}

async function feed(ds: DataSource, kind: 'receipt' | 'closure', full: boolean): Promise<number> {
  const page = 2000;
  const table = kind === 'receipt' ? 'supervision_case_receipts' : 'supervision_case_closures';
  const time = kind === 'receipt' ? 'created_at' : 'closed_at';
  const select = kind === 'receipt'
    ? 'SELECT c.id, c.office_id, c.grid_id, c.received_at, c.created_at AS t FROM cases c'
    : "SELECT c.id, c.office_id, c.grid_id, c.closed_at, c.closed_at AS t, d.due_at FROM cases c LEFT JOIN case_deadlines d ON d.case_id = c.id AND d.rule = 'closure.target'";
  let added = 0;
  let clashes = 0;
  let after = -1;
  if (!full) {
    const [w] = (await ds.query(`SELECT MAX(${time}) AS w FROM ${table}`)) as Row[];
    after = w?.w === null || w?.w === undefined ? -1 : num(w.w) - 600_000;
  }
  for (;;) {
    const rows = (await ds.query(full
      ? `${select} LEFT JOIN ${table} s ON s.case_id = c.id WHERE c.${time} IS NOT NULL AND s.case_id IS NULL ORDER BY c.${time}, c.id LIMIT ${page}`
      : `${select} WHERE c.${time} > ? ORDER BY c.${time}, c.id LIMIT ${page}`, full ? [] : [after])) as Row[];
    if (!rows.length) return added;
    const write = async (em: EntityManager) => {
      const ids = rows.map((r) => String(r.id));
      const known = new Set(((await em.query(`SELECT case_id FROM ${table} WHERE case_id IN (${ids.map(() => '?').join(', ')})`, ids)) as Row[]).map((r) => String(r.case_id)));
      const todo = rows.filter((r) => !known.has(String(r.id)));
      const deltas = new Map<string, Counts>();
      for (let i = 0; i < todo.length; i += 200) {
        const part = todo.slice(i, i + 200);
        if (kind === 'receipt') {
          await em.query(`INSERT INTO supervision_case_receipts (case_id, office_id, grid_id, received_at, created_at) VALUES ${part.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
            part.flatMap((r) => [String(r.id), String(r.office_id), strOrNull(r.grid_id), num(r.received_at), num(r.t)]));
        } else {
          await em.query(`INSERT INTO supervision_case_closures (case_id, office_id, grid_id, closed_at, target_due_at, on_time) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
            part.flatMap((r) => [String(r.id), String(r.office_id), strOrNull(r.grid_id), num(r.closed_at), r.due_at === null ? null : num(r.due_at),
              r.due_at === null ? null : num(r.closed_at) <= num(r.due_at) ? 1 : 0]));
        }
      }
      for (const r of todo) {
        const key = monthKey(r.office_id, r.grid_id, kind === 'receipt' ? num(r.received_at) : num(r.closed_at));
        let d = deltas.get(key);
        if (!d) deltas.set(key, (d = { received: 0, closed: 0, on_time: 0, no_target: 0 }));
        if (kind === 'receipt') d.received++;
        else {
          d.closed++;
          if (r.due_at === null) d.no_target++;
          else if (num(r.closed_at) <= num(r.due_at)) d.on_time++;
        }
      }
      await addMonthCounts(em, deltas);
      return todo.length;
    };
    try {
      added += await inTransaction(ds, write);
    } catch (e) {
      // Another runner recorded some of these cases first: read the page again without them.
      if (!isUniqueViolation(e) || ++clashes > 5) throw e;
      continue;
    }
    if (rows.length < page) return added;
    if (!full) {
      // Rows sharing the last page's time are read again and skipped; a page all of one instant moves past it.
      const last = num(rows[rows.length - 1].t);
      after = rows.every((r) => num(r.t) === last) ? last : last - 1;
    }
  }
}

export function periodOf(month: string, period: Period): string {
  if (period === 'month') return month;
  const [y, m] = month.split('-').map(Number);
  return period === 'year' ? String(y) : `${y}-Q${Math.ceil(m / 3)}`;
}

/**
 * Counts per street grid and period between `from` and `to` (epoch ms, `to` exclusive): cases
 * received, cases closed and of those closed by their closure target (case_deadlines rule
 * `closure.target`: the office target, e.g. 7 日 for wage arrears, else the 60 工作日 limit), as
 * recorded by `recordCaseEvents`.
 */
export async function caseStats(db: Db, officeId: string, from: number, to: number, period: Period): Promise<{ rows: StatsRow[]; totals: StatsRow; periods: string[] }> {
  const grids = await officeGrids(db, officeId);
  const rows = new Map<string, StatsRow>();
  const at = (gridId: string | null, month: string): StatsRow => {
    const street = streetOf(grids, gridId);
    const p = periodOf(month, period);
    const key = `${street?.id ?? ''}|${p}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { gridId: street?.id ?? null, gridName: street?.name ?? '未划分网格', period: p, received: 0, closed: 0, closedOnTime: 0, closedLate: 0, closedWithoutTarget: 0, onTimeRate: null }));
    return r;
  };
  const ms = months(from, to);
  // Whole months from the month counts; a month cut by `from` or `to` by scanning its part.
  const whole = ms.filter((m) => m.start === startOfChinaDay(`${m.month}-01`).getTime() && m.end === nextMonthStart(m.month));
  if (whole.length) {
    const counted = (await db.query(
      `SELECT grid_key, month, received, closed, on_time, no_target FROM supervision_month_counts WHERE office_id = ? AND month IN (${whole.map(() => '?').join(', ')})`,
      [officeId, ...whole.map((m) => m.month)])) as Row[];
    for (const r of counted) {
      const s = at(r.grid_key === '' ? null : String(r.grid_key), String(r.month));
      s.received += num(r.received);
      s.closed += num(r.closed);
      s.closedOnTime += num(r.on_time);
      s.closedWithoutTarget += num(r.no_target);
    }
  }
  for (const m of ms.filter((x) => !whole.includes(x))) {
    const received = (await db.query(
      'SELECT grid_id, COUNT(*) AS n FROM supervision_case_receipts WHERE office_id = ? AND received_at >= ? AND received_at < ? GROUP BY grid_id', [officeId, m.start, m.end])) as Row[];
    for (const r of received) at(strOrNull(r.grid_id), m.month).received += num(r.n);
    const closed = (await db.query(
      `SELECT grid_id, COUNT(*) AS n, SUM(CASE WHEN on_time = 1 THEN 1 ELSE 0 END) AS on_time, SUM(CASE WHEN on_time IS NULL THEN 1 ELSE 0 END) AS no_target
         FROM supervision_case_closures WHERE office_id = ? AND closed_at >= ? AND closed_at < ? GROUP BY grid_id`, [officeId, m.start, m.end])) as Row[];
    for (const r of closed) {
      const s = at(strOrNull(r.grid_id), m.month);
      s.closed += num(r.n);
      s.closedOnTime += num(r.on_time);
      s.closedWithoutTarget += num(r.no_target);
    }
  }
  const totals: StatsRow = { gridId: null, gridName: '全部', period: 'all', received: 0, closed: 0, closedOnTime: 0, closedLate: 0, closedWithoutTarget: 0, onTimeRate: null };
  const list = [...rows.values()].sort((a, b) => a.period.localeCompare(b.period) || a.gridName.localeCompare(b.gridName));
  for (const r of list) {
    finish(r);
    totals.received += r.received;
    totals.closed += r.closed;
    totals.closedOnTime += r.closedOnTime;
    totals.closedWithoutTarget += r.closedWithoutTarget;
  }
  finish(totals);
  // Every period of the range, those without cases too: the chart's axis is the whole range.
  return { rows: list, totals, periods: [...new Set(ms.map((m) => periodOf(m.month, period)))] };
}

function finish(r: StatsRow): void {
  const withTarget = r.closed - r.closedWithoutTarget;
  r.closedLate = withTarget - r.closedOnTime;
  r.onTimeRate = withTarget > 0 ? Math.round((r.closedOnTime / withTarget) * 10000) / 10000 : null;
}
