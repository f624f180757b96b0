/**
 * The overdue view computed the straightforward way, row by row (as before the SQL aggregates):
 * every open task and statutory deadline near its due date read with its case, its level and
 * colour computed, then grouped and sorted in memory. The tests and the benchmark compare
 * `overdueView` with it.
 */
import type { DataSource } from 'typeorm';
import { COLOUR_OF_URGENCY } from '../../../src/supervision/schedule';
import {
  deadlineEntries, EXTENSION_TASK, GridInfo, officeGrids, OverdueView, streetOf, taskEntries, toItem, WorkContext, WorkEntry,
} from '../../../src/supervision/queries';
import type { ColourCounts, Group } from '../../../src/supervision/queries';
import type { Urgency } from '../../../src/supervision/schedule';

const RANK: Record<Urgency, number> = { serious: 0, overdue: 1, today: 2, soon: 3, none: 4 };
const byUrgency = (a: WorkEntry, b: WorkEntry) => RANK[a.urgency] - RANK[b.urgency] || a.s.dueAt - b.s.dueAt || a.key.localeCompare(b.key);

function colourCounts(entries: WorkEntry[]): ColourCounts {
  const out: ColourCounts = { yellow: 0, orange: 0, red: 0, total: entries.length };
  for (const e of entries) out[COLOUR_OF_URGENCY[e.urgency]!]++;
  return out;
}

function groupBy(entries: WorkEntry[], keyOf: (e: WorkEntry) => [string | null, string]): Group[] {
  const m = new Map<string, Group>();
  for (const e of entries) {
    const [id, name] = keyOf(e);
    let g = m.get(id ?? '');
    if (!g) m.set(id ?? '', (g = { id, name, yellow: 0, orange: 0, red: 0, total: 0 }));
    g[COLOUR_OF_URGENCY[e.urgency]!]++;
    g.total++;
  }
  return [...m.values()].sort((a, b) => b.red - a.red || b.orange - a.orange || b.total - a.total || a.name.localeCompare(b.name));
}

export async function overdueByRows(db: DataSource, ctx: WorkContext, opts: { gridId?: string; limit: number; names: Map<string, string> }): Promise<OverdueView> {
  const grids: Map<string, GridInfo> = await officeGrids(db, ctx.officeId);
  const inGrid = (e: WorkEntry) => !opts.gridId || e.c.gridId === opts.gridId || streetOf(grids, e.c.gridId)?.id === opts.gridId;
  const tasks = (await taskEntries(db, ctx)).entries.filter(inGrid).sort(byUrgency);
  const statutory = (await deadlineEntries(db, ctx)).filter(inGrid).sort(byUrgency);
  const item = (e: WorkEntry) => toItem(e, grids, ctx.now);
  return {
    counts: colourCounts(tasks),
    byGrid: groupBy(tasks, (e) => {
      const g = streetOf(grids, e.c.gridId);
      return [g?.id ?? null, g?.name ?? '未划分网格'];
    }),
    byTeam: groupBy(tasks, (e) => {
      const g = e.c.gridId ? grids.get(e.c.gridId) : undefined;
      return [g?.id ?? null, g?.name ?? '未划分网格'];
    }),
    byPerson: groupBy(tasks, (e) => (e.assignee ? [e.assignee, opts.names.get(e.assignee) ?? e.assignee] : [null, `未领取（${e.candidateGroups.join('、') || '无候选组'}）`])),
    items: tasks.slice(0, opts.limit).map(item),
    truncated: tasks.length > opts.limit,
    statutory: { counts: colourCounts(statutory), items: statutory.slice(0, opts.limit).map(item), truncated: statutory.length > opts.limit },
    extensions: tasks.filter((e) => e.elementId === EXTENSION_TASK).map(item),
  };
}
