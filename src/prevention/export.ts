/**
 * The prevention lists as xlsx sheets, with the same filters and the same sight as the lists: the
 * patrols, the warnings, and the dashboard's table of grids with its figures against the targets.
 * Read a thousand rows at a time by id and written by src/employers/xlsx-stream.ts (streamed,
 * formula-looking cells neutralised). Names, labels and China dates only: no ids or enum values.
 */
import type { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { chinaDateTimeText, chineseDateText } from '../deadlines/china-time';
import type { XlsxSheet } from '../employers/xlsx-stream';
import type { Dashboard, GridFigures } from './dashboard';
import { COLOUR_LABELS, type Colour } from './model';
import { patrolItem, patrolRows, PatrolListQuery, warningItem, warningRows, WarningListQuery } from './queries';

const PAGE = 1000;

export const PATROL_STATE_LABELS: Record<string, string> = { planned: '待巡查', done: '已巡查' };
export const PATROL_OUTCOME_LABELS: Record<string, string> = { none: '未发现问题', order: '现场责令改正', warning: '发出预警', case: '立案调查' };
export const FOLLOW_UP_LABELS: Record<string, string> = { corrected: '复查已改正', 'not-corrected': '逾期未改正' };
export const WARNING_SOURCE_LABELS: Record<string, string> = { rule: '规则预警', report: '前置预警（报告）', patrol: '巡查发现' };
export const WARNING_RESULT_LABELS: Record<string, string> = { resolved: '隐患已消除', paid: '欠薪已支付', 'case-opened': '已立案查处', 'no-risk': '经核实无风险' };

const day = (t: number | null) => (t === null ? '' : chineseDateText(t));
const minute = (t: number | null) => (t === null ? '' : chinaDateTimeText(t));
const label = (labels: Record<string, string>, v: string | null) => (v === null ? '' : labels[v] ?? '');

/** Pages of rows by id until the last, through a reader that answers a row more when more follow. */
async function* pages<T>(read: (cursor: string | undefined) => Promise<Record<string, unknown>[]>, map: (r: Record<string, unknown>) => T): AsyncGenerator<T> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await read(cursor);
    const page = rows.slice(0, PAGE);
    for (const r of page) yield map(r);
    if (rows.length <= PAGE) return;
    cursor = String(page[page.length - 1].id);
  }
}

export function patrolsSheet(ds: DataSource, p: Principal, q: Omit<PatrolListQuery, 'limit' | 'cursor'>): XlsxSheet {
  async function* rows(): AsyncGenerator<string[]> {
    for await (const x of pages((cursor) => patrolRows(ds, p, { ...q, cursor }, PAGE), patrolItem)) {
      yield [
        x.employerName, x.employerAddress ?? '', x.gridName, x.period.replace(/^(\d{4})-(\d{2})$/, (_, y: string, m: string) => `${y}年${Number(m)}月`),
        label(PATROL_STATE_LABELS, x.state), day(x.dueAt), x.doneByName ?? '', minute(x.doneAt), x.state === 'done' ? label(PATROL_OUTCOME_LABELS, x.outcome ?? 'none') : '',
        x.documentNumber ?? '', x.caseNumber ?? '', day(x.followUpDueAt), label(FOLLOW_UP_LABELS, x.followUpResult),
      ];
    }
  }
  return { name: '日常巡查', headers: ['用人单位', '地址', '网格', '巡查月份', '状态', '巡查期限', '巡查人', '巡查时间', '处理结果', '文书编号', '案件编号', '复查期限', '复查结果'], rows: rows() };
}

export function warningsSheet(ds: DataSource, p: Principal, q: Omit<WarningListQuery, 'limit' | 'cursor'>): XlsxSheet {
  async function* rows(): AsyncGenerator<string[]> {
    for await (const w of pages((cursor) => warningRows(ds, p, { ...q, cursor }, PAGE), warningItem)) {
      yield [
        w.employerName, w.gridName, COLOUR_LABELS[w.colour] ?? '', label(WARNING_SOURCE_LABELS, w.source), w.reasons.join('；'), w.state === 'open' ? '处置中' : '已关闭',
        minute(w.openedAt), day(w.dueAt), minute(w.handledAt), w.handledOnTime === null ? '' : w.handledOnTime ? '是' : '否', String(w.escalations),
        minute(w.closedAt), label(WARNING_RESULT_LABELS, w.result), String(w.reopenCount),
      ];
    }
  }
  return {
    name: '三色预警',
    headers: ['用人单位', '网格', '预警颜色', '来源', '预警情形', '状态', '发出时间', '处置期限', '处置时间', '按期处置', '逾期升级次数', '关闭时间', '处置结果', '重新开启次数'],
    rows: rows(),
  };
}

const pct = (part: number, whole: number) => (whole ? `${(Math.round((part / whole) * 1000) / 10).toString()}%` : '—');

/** The dashboard's grid table: one row per grid, then the total, each figure as count and share. */
export function dashboardSheet(d: Dashboard): XlsxSheet {
  const row = (g: GridFigures): string[] => [
    g.name, g.level === 1 ? '一级网格（街道）' : g.level === 2 ? '二级网格（社区、村）' : '',
    String(g.employers), String(g.supervised), pct(g.supervised, g.employers), String(g.collected), pct(g.collected, g.employers),
    String(g.patrolsPlanned), String(g.patrolsDone), pct(g.patrolsDone, g.patrolsPlanned),
    ...(['red', 'orange', 'yellow'] as Colour[]).map((c) => String(g.warningsOpen[c])), pct(g.warningsHandledOnTime, g.warningsHandled),
    `${g.inspectorsStaffed}/${g.inspectorsNorm}`, `${g.assistantsStaffed}/${g.assistantsNorm}`, pct(g.assistantsTrained, g.assistants),
  ];
  const t = d.targets;
  async function* rows(): AsyncGenerator<string[]> {
    for (const g of d.grids) yield row(g);
    yield row({ ...d.total, name: '合计' });
    yield [];
    yield [`${t.stageLabel}目标：网格监管 ${t.supervisedPercent}%，信息采集 ${t.collectionPercent}%，监察员配备 ${t.inspectorStaffingPercent}%，协管员配备 ${t.assistantStaffingPercent}%，协管员培训 ${t.assistantTrainingPercent}%（${t.source}）`];
  }
  return {
    name: `网格监管${d.period.replace(/^(\d{4})-(\d{2})$/, (_, y: string, m: string) => `${y}年${Number(m)}月`)}`,
    headers: ['网格', '层级', '在册用人单位', '网格监管户数', '网格监管率', '信息采集户数', '信息采集率', '计划巡查', '已巡查', '巡查完成率',
      '红色预警', '橙色预警', '黄色预警', '预警按期处置率', '监察员（在岗/定额）', '协管员（在岗/定额）', '协管员培训率'],
    rows: rows(),
  };
}
