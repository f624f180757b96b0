/**
 * 网格化监管 (the grid dashboard, 两网化): for the office or one grid — employers on file, the share
 * under grid supervision and the information collection rate against the stage's targets (seed 000),
 * patrols done against the month's plan, warnings open by colour and handled on time, inspectors and
 * 协管员 staffed against the per-grid norms and 协管员 trained (seed 000 二（二）). Charts are inline
 * SVG with the same figures in the table; every figure opens the list of employers behind it.
 */
import { explain, get, query } from '../api';
import { el, fmtDate } from '../dom';
import { currentRender, type PageContext } from '../router';
import { colourBadge, currentMonth, monthLabel, percent, WARNING_COLOURS, WARNING_COLOUR_LABELS, WARNING_FILL, type WarningColour } from './prevention-common';

interface Figures {
  gridId: string | null; code: string | null; name: string; level: number | null; parentId: string | null;
  employers: number; supervised: number; collected: number; patrolsPlanned: number; patrolsDone: number;
  warningsOpen: Record<WarningColour, number>; warningsHandled: number; warningsHandledOnTime: number;
  inspectorsNorm: number; assistantsNorm: number; inspectorsStaffed: number; assistantsStaffed: number; assistants: number; assistantsTrained: number;
}
interface Targets {
  stageLabel: string; supervisedPercent: number; collectionPercent: number;
  inspectorStaffingPercent: number; assistantStaffingPercent: number; assistantTrainingPercent: number; source: string;
}
interface Dashboard { period: string; targets: Targets; total: Figures; grids: Figures[] }
interface Grid { id: string; code: string; name: string; level: number; parentId: string | null }
interface DrillItem { id: string; name: string; address: string | null; gridName: string | null; supervised: boolean; fileComplete: boolean; fileCollectedAt: number | null; openWarningColour: WarningColour | null }

const SVG = 'http://www.w3.org/2000/svg';
function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

const FIGURE_LABELS: Record<string, string> = {
  all: '在册用人单位', unsupervised: '未纳入网格监管的单位', uncollected: '信息未采集或已过期的单位', 'patrol-pending': '本月待巡查的单位', 'warning-open': '有未关闭预警的单位',
};

/** Rates per grid as bars with the target as a line: supervision and collection side by side. */
function ratesChart(rows: Figures[], targets: Dashboard['targets']): SVGSVGElement {
  const rowH = 34, labelW = 130, barW = 480, width = labelW + barW + 70, height = rows.length * rowH + 40;
  const desc = rows.map((r) => `${r.name}：网格监管率${percent(r.supervised, r.employers)}，信息采集率${percent(r.collected, r.employers)}`).join('；');
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': `各网格网格监管率和信息采集率。${desc}`, class: 'chart', id: 'rates-chart', style: 'max-width: 720px; height: auto; display: block' });
  const x = (pct: number) => labelW + (barW * Math.min(100, pct)) / 100;
  rows.forEach((r, i) => {
    const y = 10 + i * rowH;
    chart.append(svg('text', { x: labelW - 8, y: y + 14, 'text-anchor': 'end', 'font-size': 13, fill: '#1f2937' }, r.name));
    const sup = r.employers ? (r.supervised / r.employers) * 100 : 0;
    const col = r.employers ? (r.collected / r.employers) * 100 : 0;
    chart.append(svg('rect', { x: labelW, y, width: x(sup) - labelW, height: 12, fill: '#2563eb', 'data-bar': 'supervised' }, svg('title', {}, `${r.name} 网格监管率 ${percent(r.supervised, r.employers)}`)));
    chart.append(svg('rect', { x: labelW, y: y + 14, width: x(col) - labelW, height: 12, fill: '#059669', 'data-bar': 'collected' }, svg('title', {}, `${r.name} 信息采集率 ${percent(r.collected, r.employers)}`)));
    chart.append(svg('text', { x: Math.max(x(sup), x(col)) + 6, y: y + 20, 'font-size': 11, fill: '#4b5563' }, `${percent(r.supervised, r.employers)} / ${percent(r.collected, r.employers)}`));
  });
  const bottom = 10 + rows.length * rowH;
  chart.append(svg('line', { x1: x(targets.supervisedPercent), x2: x(targets.supervisedPercent), y1: 4, y2: bottom, stroke: '#1d4ed8', 'stroke-dasharray': '4 3' }));
  chart.append(svg('line', { x1: x(targets.collectionPercent), x2: x(targets.collectionPercent), y1: 4, y2: bottom, stroke: '#047857', 'stroke-dasharray': '2 2' }));
  const legend: [string, string][] = [['#2563eb', '网格监管率'], ['#059669', '信息采集率']];
  legend.forEach(([fill, text], j) => {
    chart.append(svg('rect', { x: labelW + j * 130, y: height - 18, width: 12, height: 12, fill }));
    chart.append(svg('text', { x: labelW + j * 130 + 16, y: height - 8, 'font-size': 12, fill: '#1f2937' }, text));
  });
  chart.append(svg('text', { x: labelW + 270, y: height - 8, 'font-size': 11, fill: '#4b5563' }, `虚线为${targets.stageLabel}目标`));
  return chart;
}

function warningsChart(rows: Figures[]): SVGSVGElement {
  const rowH = 26, labelW = 130, width = 600, height = rows.length * rowH + 16;
  const max = Math.max(1, ...rows.map((r) => WARNING_COLOURS.reduce((s, c) => s + r.warningsOpen[c], 0)));
  const desc = rows.map((r) => `${r.name}：${WARNING_COLOURS.map((c) => `${WARNING_COLOUR_LABELS[c]}${r.warningsOpen[c]}`).join('，')}`).join('；');
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': `各网格未关闭预警。${desc}`, class: 'chart', id: 'warnings-chart', style: 'max-width: 640px; height: auto; display: block' });
  rows.forEach((r, i) => {
    const y = 6 + i * rowH;
    chart.append(svg('text', { x: labelW - 8, y: y + 14, 'text-anchor': 'end', 'font-size': 13, fill: '#1f2937' }, r.name));
    let x = labelW;
    for (const c of WARNING_COLOURS) {
      const w = ((width - labelW - 60) * r.warningsOpen[c]) / max;
      if (w > 0) chart.append(svg('rect', { x, y, width: w, height: rowH - 8, fill: WARNING_FILL[c] }, svg('title', {}, `${r.name} ${WARNING_COLOUR_LABELS[c]} ${r.warningsOpen[c]}`)));
      x += w;
    }
    const total = WARNING_COLOURS.reduce((s, c) => s + r.warningsOpen[c], 0);
    chart.append(svg('text', { x: x + 6, y: y + 14, 'font-size': 12, fill: '#4b5563' }, `共${total}`));
  });
  return chart;
}

export async function showGridDashboard({ me, main, query: q, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  const period = /^\d{4}-\d{2}$/.test(q.get('period') ?? '') ? q.get('period')! : currentMonth();
  const officeWide = me.roles.some((r) => ['intake', 'legal', 'supervisor', 'admin'].includes(r));
  const grids = (await get<{ items: Grid[] } | Grid[]>('/api/grids').catch(() => [] as Grid[]));
  const gridList = (Array.isArray(grids) ? grids : grids.items).filter((g) => officeWide || me.visibleGridIds.includes(g.id));
  const gridId = q.get('gridId') ?? (officeWide ? '' : (gridList.find((g) => me.gridIds.includes(g.id))?.id ?? ''));
  main.replaceChildren(el('h1', {}, '网格化监管'), el('p', { class: 'muted' }, '正在加载…'));
  let data: Dashboard;
  try {
    data = await get<Dashboard>('/api/prevention/dashboard' + query({ gridId, period }));
  } catch (e) {
    if (render !== currentRender()) return;
    main.replaceChildren(el('h1', {}, '网格化监管'), el('p', { class: 'error', role: 'alert' }, explain(e)));
    return;
  }
  if (render !== currentRender()) return;
  const t = data.total;
  const drill = el('section', { id: 'drill', 'aria-live': 'polite' });
  async function showDrill(figure: string, gridFilter: string | null, colour?: WarningColour) {
    drill.replaceChildren(el('p', { class: 'muted' }, '正在加载…'));
    try {
      const page = await get<{ items: DrillItem[]; nextCursor: string | null }>('/api/prevention/dashboard/employers' + query({ gridId: gridFilter ?? gridId, period, figure, colour, limit: 100 }));
      const title = `${FIGURE_LABELS[figure]}${colour ? `（${WARNING_COLOUR_LABELS[colour]}）` : ''}`;
      drill.replaceChildren(el('h2', {}, title),
        page.items.length ? el('table', { class: 'table', id: 'drill-table' },
          el('thead', {}, el('tr', {}, el('th', {}, '用人单位'), el('th', {}, '所在网格'), el('th', {}, '网格监管'), el('th', {}, '信息采集'), el('th', {}, '预警'))),
          el('tbody', {}, page.items.map((e) => el('tr', {},
            el('td', {}, el('a', { href: `/employers/${e.id}` }, e.name)), el('td', {}, e.gridName ?? '未划入网格'),
            el('td', {}, e.supervised ? '已纳入' : '未纳入'), el('td', {}, e.fileComplete ? `已采集（${fmtDate(e.fileCollectedAt)}）` : '未采集'),
            el('td', {}, e.openWarningColour ? colourBadge(e.openWarningColour) : '无'))))) : el('p', {}, '没有符合条件的用人单位。'),
        page.nextCursor ? el('p', { class: 'muted' }, '仅显示前 100 家。') : '');
    } catch (e) {
      drill.replaceChildren(el('p', { class: 'error', role: 'alert' }, explain(e)));
    }
  }
  const link = (text: string | number, figure: string, gridFilter: string | null, colour?: WarningColour) =>
    el('button', { type: 'button', class: 'link', 'data-figure': figure, onclick: () => void showDrill(figure, gridFilter, colour) }, String(text));
  /** The grids with fewer people than their norm, or untrained 协管员: the list behind the staffing cards. */
  const shortGrids = data.grids.filter((g) => g.inspectorsStaffed < g.inspectorsNorm || g.assistantsStaffed < g.assistantsNorm || g.assistantsTrained < g.assistants);
  function showShortGrids() {
    drill.replaceChildren(el('h2', {}, '配备或培训未达标的网格'),
      shortGrids.length ? el('table', { class: 'table', id: 'short-grids' },
        el('thead', {}, el('tr', {}, ['网格', '监察员（在岗/定额）', '协管员（在岗/定额）', '协管员受训'].map((h) => el('th', {}, h)))),
        el('tbody', {}, shortGrids.map((g) => el('tr', { 'data-grid': g.code ?? '' },
          el('td', {}, g.name), el('td', {}, `${g.inspectorsStaffed} / ${g.inspectorsNorm}`), el('td', {}, `${g.assistantsStaffed} / ${g.assistantsNorm}`),
          el('td', {}, g.assistants ? `${g.assistantsTrained} / ${g.assistants}` : '无在岗协管员'))))) : el('p', {}, '各网格人员均已按定额配齐并受训。'));
  }
  const shortLink = el('button', { type: 'button', class: 'link', 'data-figure': 'staffing-short', onclick: showShortGrids }, '未达标网格');
  const gridRows = data.grids.filter((g) => g.employers || g.patrolsPlanned || WARNING_COLOURS.some((c) => g.warningsOpen[c]));
  const tableRows = data.grids.filter((g) => gridRows.includes(g) || g.inspectorsNorm || g.assistantsNorm);

  const periodInput = el('input', { type: 'month', id: 'period', value: period, 'aria-label': '月份' }) as HTMLInputElement;
  const gridSelect = el('select', { id: 'grid', 'aria-label': '网格' },
    officeWide ? el('option', { value: '' }, '全局（本大队）') : null,
    gridList.map((g) => el('option', { value: g.id, selected: g.id === gridId }, `${g.level === 1 ? '' : '　'}${g.name}`)));
  const apply = () => navigate('/grid-dashboard' + query({ gridId: (gridSelect as HTMLSelectElement).value, period: periodInput.value }));
  periodInput.addEventListener('change', apply);
  gridSelect.addEventListener('change', apply);

  const card = (title: string, value: string, note: string, action: HTMLElement | null = null) =>
    el('div', { class: 'card', style: 'border:1px solid #e5e7eb;border-radius:8px;padding:10px 14px;min-width:150px' },
      el('div', { class: 'muted' }, title), el('div', { style: 'font-size:22px;font-weight:600' }, value), el('div', { class: 'muted', style: 'font-size:12px' }, note), action);
  main.replaceChildren(
    el('h1', {}, '网格化监管'),
    el('div', { class: 'toolbar', style: 'display:flex;gap:12px;align-items:center;flex-wrap:wrap' }, el('label', {}, '网格 ', gridSelect), el('label', {}, '月份 ', periodInput),
      el('a', { class: 'button', id: 'dashboard-export', href: '/api/prevention/dashboard/export.xlsx' + query({ gridId, period: data.period }), download: '网格监管情况.xlsx' }, '导出表格')),
    el('p', { class: 'muted' }, `${monthLabel(data.period)}，目标按${data.targets.stageLabel}：网格监管率不低于${data.targets.supervisedPercent}%，信息采集率不低于${data.targets.collectionPercent}%，`
      + `专兼职监察员配备率不低于${data.targets.inspectorStaffingPercent}%，协管员配备率不低于${data.targets.assistantStaffingPercent}%，协管员受训率不低于${data.targets.assistantTrainingPercent}%（${data.targets.source}）。`),
    el('div', { class: 'cards', id: 'summary', style: 'display:flex;gap:12px;flex-wrap:wrap;margin:12px 0' },
      card('在册用人单位', `${t.employers}家`, '一户一档', link('查看名单', 'all', null)),
      card('网格监管率', percent(t.supervised, t.employers), `${t.supervised}家已纳入，目标${data.targets.supervisedPercent}%`, link('未纳入名单', 'unsupervised', null)),
      card('信息采集率', percent(t.collected, t.employers), `${t.collected}家已采集，目标${data.targets.collectionPercent}%`, link('未采集名单', 'uncollected', null)),
      card('本月巡查', `${t.patrolsDone} / ${t.patrolsPlanned}`, `完成率${percent(t.patrolsDone, t.patrolsPlanned)}`, link('待巡查名单', 'patrol-pending', null)),
      card('未关闭预警', `${WARNING_COLOURS.reduce((s, c) => s + t.warningsOpen[c], 0)}起`, WARNING_COLOURS.map((c) => `${WARNING_COLOUR_LABELS[c].slice(0, 1)}${t.warningsOpen[c]}`).join(' '), link('预警单位', 'warning-open', null)),
      card('预警按期处置率', percent(t.warningsHandledOnTime, t.warningsHandled), `本月处置${t.warningsHandled}起，按期${t.warningsHandledOnTime}起`),
      card('专兼职监察员配备率', percent(t.inspectorsStaffed, t.inspectorsNorm), `在岗${t.inspectorsStaffed}人，定额${t.inspectorsNorm}人，目标${data.targets.inspectorStaffingPercent}%`, shortLink),
      card('协管员配备率', percent(t.assistantsStaffed, t.assistantsNorm), `在岗${t.assistantsStaffed}人，定额${t.assistantsNorm}人，目标${data.targets.assistantStaffingPercent}%`),
      card('协管员受训率', percent(t.assistantsTrained, t.assistants), `受训${t.assistantsTrained}人，在岗${t.assistants}人，目标${data.targets.assistantTrainingPercent}%`)),
    el('h2', {}, '各网格监管率和采集率'), ratesChart(gridRows, data.targets),
    el('h2', {}, '各网格未关闭预警'), warningsChart(gridRows),
    el('h2', {}, '各网格情况'),
    el('table', { class: 'table', id: 'grid-table' },
      el('thead', {}, el('tr', {}, ['网格', '在册单位', '网格监管率', '信息采集率', '巡查（完成/计划）', ...WARNING_COLOURS.map((c) => WARNING_COLOUR_LABELS[c]), '按期处置率', '监察员配备', '协管员配备', '协管员受训'].map((h) => el('th', {}, h)))),
      el('tbody', {}, tableRows.map((g) => el('tr', { 'data-grid': g.code ?? '' },
        el('td', {}, g.name), el('td', {}, link(g.employers, 'all', g.gridId)),
        el('td', {}, link(percent(g.supervised, g.employers), 'unsupervised', g.gridId)), el('td', {}, link(percent(g.collected, g.employers), 'uncollected', g.gridId)),
        el('td', {}, link(`${g.patrolsDone} / ${g.patrolsPlanned}`, 'patrol-pending', g.gridId)),
        WARNING_COLOURS.map((c) => el('td', {}, link(g.warningsOpen[c], 'warning-open', g.gridId, c))),
        el('td', {}, percent(g.warningsHandledOnTime, g.warningsHandled)),
        el('td', {}, `${g.inspectorsStaffed} / ${g.inspectorsNorm}`), el('td', {}, `${g.assistantsStaffed} / ${g.assistantsNorm}`),
        el('td', {}, g.assistants ? `${g.assistantsTrained} / ${g.assistants}` : '—')))),
    ),
    drill,
  );
}
