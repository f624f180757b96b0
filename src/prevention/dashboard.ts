/**
 * The grid dashboard (两网化): per grid and for the office — employers on file, the share under grid
 * supervision (placed in a grid with a responsible officer), the information collection rate (the
 * file's required fields complete and collected within `gridTarget.collectionCurrency`), patrols done
 * against the month's plan, warnings open by colour and handled on time, staffing and training against
 * the norms (`gridNorm.*`, seed 000 二（二）) — each against the targets of
 * the office's stage (setting GRID_TARGET_STAGE; figures are the `gridTarget.*` legal rules, seed 000).
 *
 * Five grouped reads, each by grid on an index that covers it, whatever the number of employers,
 * patrols and warnings; the drill-down lists the employers behind a figure, keyset paged.
 */
import type { DataSource } from 'typeorm';
import type { LegalRules } from '../config/legal-rules';
import { addMonths, chinaDate, startOfChinaDay } from '../deadlines/china-time';
import { COLOURS, type Colour } from './model';
import { periodBounds } from './patrols';

/** The kinds that fill an inspector's seat (专职、兼职监察员); 协管员 fill their own. */
const INSPECTOR_KINDS = ['full_time_inspector', 'part_time_inspector'] as const;

export type TargetStage = 'launch' | 'advance' | 'complete';
export const STAGE_LABELS: Record<TargetStage, string> = { launch: '启动阶段', advance: '推进阶段', complete: '健全阶段' };

const SUPERVISED_TARGET = { launch: 'gridTarget.supervised.launch', advance: 'gridTarget.supervised.advance', complete: 'gridTarget.supervised.complete' } as const;
const COLLECTION_TARGET = { launch: 'gridTarget.collection.launch', advance: 'gridTarget.collection.advance', complete: 'gridTarget.collection.complete' } as const;
const INSPECTOR_TARGET = { launch: 'gridTarget.inspectorStaffing.launch', advance: 'gridTarget.inspectorStaffing.advance', complete: 'gridTarget.inspectorStaffing.complete' } as const;
const ASSISTANT_TARGET = { launch: 'gridTarget.assistantStaffing.launch', advance: 'gridTarget.assistantStaffing.advance', complete: 'gridTarget.assistantStaffing.complete' } as const;
const TRAINING_TARGET = { launch: 'gridTarget.assistantTraining.launch', advance: 'gridTarget.assistantTraining.advance', complete: 'gridTarget.assistantTraining.complete' } as const;

export interface Targets {
  stage: TargetStage;
  stageLabel: string;
  supervisedPercent: number;
  collectionPercent: number;
  inspectorStaffingPercent: number;
  assistantStaffingPercent: number;
  assistantTrainingPercent: number;
  source: string;
}

export function targetsOf(rules: LegalRules, stage: TargetStage): Targets {
  const sup = rules[SUPERVISED_TARGET[stage]];
  const col = rules[COLLECTION_TARGET[stage]];
  const ins = rules[INSPECTOR_TARGET[stage]];
  const ast = rules[ASSISTANT_TARGET[stage]];
  const trn = rules[TRAINING_TARGET[stage]];
  return {
    stage, stageLabel: STAGE_LABELS[stage], supervisedPercent: sup.value, collectionPercent: col.value,
    inspectorStaffingPercent: ins.value, assistantStaffingPercent: ast.value, assistantTrainingPercent: trn.value,
    source: [...new Set([sup.source, col.source, ins.source, ast.source, trn.source])].join('；'),
  };
}

/**
 * A grid's staffing norm by level (seed 000 二（二）): a street (level 1) has its part-time inspectors;
 * a community (level 2) has its people of whom some are 协管员, the rest inspectors. The grids table
 * does not tell a village from a community, so every level-2 grid takes the community norm.
 */
export function staffingNorm(rules: LegalRules, level: number | null): { inspectors: number; assistants: number } {
  if (level === 1) return { inspectors: rules['gridNorm.streetInspectors'].value, assistants: 0 };
  if (level === 2) {
    const assistants = rules['gridNorm.communityAssistants'].value;
    return { inspectors: rules['gridNorm.communityStaff'].value - assistants, assistants };
  }
  return { inspectors: 0, assistants: 0 };
}

export interface GridFigures {
  gridId: string | null;
  code: string | null;
  name: string;
  level: number | null;
  parentId: string | null;
  employers: number;
  supervised: number;
  collected: number;
  patrolsPlanned: number;
  patrolsDone: number;
  warningsOpen: Record<Colour, number>;
  warningsHandled: number;
  warningsHandledOnTime: number;
  /** Inspector (专职/兼职) and 协管员 seats the norm gives the grid. */
  inspectorsNorm: number;
  assistantsNorm: number;
  /** Active people on the norm's seats, at most the norm: a grid's surplus does not fill another's gap. */
  inspectorsStaffed: number;
  assistantsStaffed: number;
  /** Active 协管员, and those of them with at least one training record. */
  assistants: number;
  assistantsTrained: number;
}

export interface Dashboard {
  period: string;
  targets: Targets;
  total: GridFigures;
  grids: GridFigures[];
}

type Row = Record<string, unknown>;

const empty = (gridId: string | null, code: string | null, name: string, level: number | null, parentId: string | null): GridFigures => ({
  gridId, code, name, level, parentId, employers: 0, supervised: 0, collected: 0, patrolsPlanned: 0, patrolsDone: 0,
  warningsOpen: { yellow: 0, orange: 0, red: 0 }, warningsHandled: 0, warningsHandledOnTime: 0,
  inspectorsNorm: 0, assistantsNorm: 0, inspectorsStaffed: 0, assistantsStaffed: 0, assistants: 0, assistantsTrained: 0,
});

export interface DashboardQuery {
  officeId: string;
  /** A grid and the grids under it; the whole office when absent. */
  gridIds?: string[];
  period: string;
  now: number;
  rules: LegalRules;
  stage: TargetStage;
}

/** The oldest collection time that still counts as current. */
export function collectionCutoff(rules: LegalRules, now: number): number {
  return startOfChinaDay(addMonths(chinaDate(now), -rules['gridTarget.collectionCurrency'].value)).getTime();
}

export async function gridDashboard(ds: DataSource, q: DashboardQuery): Promise<Dashboard> {
  const scope = q.gridIds ? ` AND grid_id IN (${q.gridIds.map(() => '?').join(', ')})` : '';
  const scoped = (params: unknown[]) => [...params, ...(q.gridIds ?? [])];
  const { start, end } = periodBounds(q.period);
  const cutoff = collectionCutoff(q.rules, q.now);
  const [grids, employers, patrols, open, handled, staff] = await Promise.all([
    ds.query(`SELECT id, code, name, level, parent_id FROM grids WHERE office_id = ?${q.gridIds ? ` AND id IN (${q.gridIds.map(() => '?').join(', ')})` : ''} ORDER BY level, code`, scoped([q.officeId])) as Promise<Row[]>,
    ds.query(`SELECT grid_id, COUNT(*) AS n, SUM(CASE WHEN grid_id IS NOT NULL AND responsible_staff_id IS NOT NULL THEN 1 ELSE 0 END) AS sup,
                     SUM(CASE WHEN file_complete = 1 AND file_collected_at >= ? THEN 1 ELSE 0 END) AS col
                FROM employers WHERE office_id = ?${scope} GROUP BY grid_id`, scoped([cutoff, q.officeId])) as Promise<Row[]>,
    ds.query(`SELECT grid_id, COUNT(*) AS n, SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS done
                FROM patrols WHERE office_id = ? AND period = ?${scope} GROUP BY grid_id`, scoped([q.officeId, q.period])) as Promise<Row[]>,
    ds.query(`SELECT grid_id, colour, COUNT(*) AS n FROM warnings WHERE office_id = ? AND state = 'open'${scope} GROUP BY grid_id, colour`, scoped([q.officeId])) as Promise<Row[]>,
    ds.query(`SELECT grid_id, COUNT(*) AS n, SUM(handled_on_time) AS on_time FROM warnings
               WHERE office_id = ? AND handled_at >= ? AND handled_at <= ?${scope} GROUP BY grid_id`, scoped([q.officeId, start, end])) as Promise<Row[]>,
    ds.query(`SELECT s.grid_id, s.kind, COUNT(*) AS n,
                     SUM(CASE WHEN EXISTS (SELECT 1 FROM grid_staff_training t WHERE t.staff_id = s.id) THEN 1 ELSE 0 END) AS trained
                FROM grid_staff s WHERE s.office_id = ? AND s.active = 1 AND s.kind IN (?, ?, ?)${scope.replace('grid_id', 's.grid_id')}
               GROUP BY s.grid_id, s.kind`, scoped([q.officeId, ...INSPECTOR_KINDS, 'grid_assistant'])) as Promise<Row[]>,
  ]);
  const byId = new Map<string | null, GridFigures>();
  for (const g of grids) byId.set(String(g.id), empty(String(g.id), String(g.code), String(g.name), Number(g.level), g.parent_id === null ? null : String(g.parent_id)));
  const at = (gridId: unknown) => {
    const id = gridId === null || gridId === undefined ? null : String(gridId);
    let f = byId.get(id);
    if (!f) byId.set(id, (f = empty(id, null, id === null ? '未划入网格' : '其他网格', null, null)));
    return f;
  };
  for (const r of employers) Object.assign(at(r.grid_id), { employers: Number(r.n), supervised: Number(r.sup ?? 0), collected: Number(r.col ?? 0) });
  for (const r of patrols) Object.assign(at(r.grid_id), { patrolsPlanned: Number(r.n), patrolsDone: Number(r.done ?? 0) });
  for (const r of open) {
    const c = String(r.colour) as Colour;
    if (COLOURS.includes(c)) at(r.grid_id).warningsOpen[c] += Number(r.n);
  }
  for (const r of handled) Object.assign(at(r.grid_id), { warningsHandled: Number(r.n), warningsHandledOnTime: Number(r.on_time ?? 0) });
  const inspectors = new Map<string | null, number>();
  for (const r of staff) {
    const f = at(r.grid_id);
    if (r.kind === 'grid_assistant') Object.assign(f, { assistants: Number(r.n), assistantsTrained: Number(r.trained ?? 0) });
    else inspectors.set(f.gridId, (inspectors.get(f.gridId) ?? 0) + Number(r.n));
  }
  for (const f of byId.values()) {
    const norm = staffingNorm(q.rules, f.level);
    Object.assign(f, {
      inspectorsNorm: norm.inspectors, assistantsNorm: norm.assistants,
      inspectorsStaffed: Math.min(norm.inspectors, inspectors.get(f.gridId) ?? 0), assistantsStaffed: Math.min(norm.assistants, f.assistants),
    });
  }
  const rows = [...byId.values()];
  const total = empty(null, null, '合计', null, null);
  for (const f of rows) {
    total.employers += f.employers; total.supervised += f.supervised; total.collected += f.collected;
    total.patrolsPlanned += f.patrolsPlanned; total.patrolsDone += f.patrolsDone;
    for (const c of COLOURS) total.warningsOpen[c] += f.warningsOpen[c];
    total.warningsHandled += f.warningsHandled; total.warningsHandledOnTime += f.warningsHandledOnTime;
    total.inspectorsNorm += f.inspectorsNorm; total.assistantsNorm += f.assistantsNorm;
    total.inspectorsStaffed += f.inspectorsStaffed; total.assistantsStaffed += f.assistantsStaffed;
    total.assistants += f.assistants; total.assistantsTrained += f.assistantsTrained;
  }
  return { period: q.period, targets: targetsOf(q.rules, q.stage), total, grids: rows };
}

export const DRILL_FIGURES = ['all', 'unsupervised', 'uncollected', 'patrol-pending', 'warning-open'] as const;
export type DrillFigure = (typeof DRILL_FIGURES)[number];

export interface DrillQuery {
  officeId: string;
  gridIds?: string[];
  figure: DrillFigure;
  colour?: Colour;
  period: string;
  now: number;
  rules: LegalRules;
  limit: number;
  /** The last row of the previous page: name and id. */
  after?: { name: string; id: string };
}

/** The employers behind a figure, by name; `nextCursor` continues the list. */
export async function drillDown(ds: DataSource, q: DrillQuery): Promise<{ items: Row[]; next: { name: string; id: string } | null }> {
  const where: string[] = ['e.office_id = ?'];
  const params: unknown[] = [q.officeId];
  if (q.gridIds) { where.push(`e.grid_id IN (${q.gridIds.map(() => '?').join(', ')})`); params.push(...q.gridIds); }
  if (q.figure === 'unsupervised') where.push('(e.grid_id IS NULL OR e.responsible_staff_id IS NULL)');
  if (q.figure === 'uncollected') { where.push('NOT (e.file_complete = 1 AND e.file_collected_at >= ?)'); params.push(collectionCutoff(q.rules, q.now)); }
  if (q.figure === 'patrol-pending') { where.push("EXISTS (SELECT 1 FROM patrols p WHERE p.employer_id = e.id AND p.period = ? AND p.state = 'planned')"); params.push(q.period); }
  if (q.figure === 'warning-open') {
    where.push(`EXISTS (SELECT 1 FROM warnings w WHERE w.employer_id = e.id AND w.state = 'open'${q.colour ? ' AND w.colour = ?' : ''})`);
    if (q.colour) params.push(q.colour);
  }
  if (q.after) { where.push('(e.name > ? OR (e.name = ? AND e.id > ?))'); params.push(q.after.name, q.after.name, q.after.id); }
  const rows: Row[] = await ds.query(
    `SELECT e.id, e.name, e.address, e.grid_id, g.name AS grid_name, e.file_complete, e.file_collected_at, e.responsible_staff_id,
            (SELECT w.colour FROM warnings w WHERE w.employer_id = e.id AND w.state = 'open' LIMIT 1) AS open_colour
       FROM employers e LEFT JOIN grids g ON g.id = e.grid_id WHERE ${where.join(' AND ')} ORDER BY e.name, e.id LIMIT ${q.limit + 1}`, params);
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return { items, next: more && last ? { name: String(last.name), id: String(last.id) } : null };
}
