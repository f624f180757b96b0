/**
 * 督办: the supervisor's dashboard. Overdue and due-soon work with its colour (黄/橙/红, computed by the
 * server from the service levels) by grid, team and person; reassigning a task and listing a case for
 * supervision (挂牌督办) in place; extensions waiting for approval; statutory limits close to expiry;
 * cases received and closed and the on-time closure rate (按期结案率) per grid and period. Charts are
 * inline SVG with a text alternative and the same figures in a table beside them.
 */
import { ApiError, explain, get, post, query } from '../api';
import { el, fmtDate, fmtDateTime } from '../dom';
import { COLOUR_LABELS, Colour, URGENCY_LABELS, Urgency } from '../due';
import { field, input, select } from '../fields';
import { currentRender, type PageContext } from '../router';

interface Item {
  kind: 'task' | 'deadline'; key: string; title: string; elementId: string | null; caseId: string; caseNumber: string;
  gridId: string | null; gridName: string | null; teamName: string | null; assignee: string | null; assigneeName?: string | null;
  candidateGroups: string[]; dueAt: string; colour: Colour; urgency: Urgency; daysOverdue: number; serviceLevelTitle: string; rule: string | null; href?: string;
  basis: 'statutory' | 'office'; basisSource: string | null;
}
interface Group { id: string | null; name: string; yellow: number; orange: number; red: number; total: number }
interface Supervised { caseId: string; caseNumber: string; dueAt: string; owner: string; ownerName: string; reason: string | null; source: string }
interface User { id: string; username: string; displayName: string }
interface Overdue {
  now: string; counts: { yellow: number; orange: number; red: number; total: number };
  byGrid: Group[]; byTeam: Group[]; byPerson: Group[]; items: Item[]; truncated: boolean;
  statutory: { items: Item[] }; extensions: Item[]; supervised: Supervised[];
  grids: { id: string; name: string }[]; users: User[];
}
interface StatsRow { gridName: string; period: string; received: number; closed: number; closedOnTime: number; closedLate: number; closedWithoutTarget: number; onTimeRate: number | null }
interface Stats { period: string; from: string; to: string; rows: StatsRow[]; totals: StatsRow; periods: string[] }

const COLOURS: Record<Colour, string> = { yellow: '#e9b949', orange: '#f08c2e', red: '#d92d20' };
const COLOUR_ORDER: Colour[] = ['red', 'orange', 'yellow'];
const PERIODS: [string, string][] = [['month', '按月'], ['quarter', '按季度'], ['year', '按年']];
const SVG = 'http://www.w3.org/2000/svg';
const BASIS_LABELS: Record<Item['basis'], string> = { statutory: '法定期限', office: '本单位目标' };
const SUPERVISION_SOURCE_LABELS: Record<string, string> = { dashboard: '人工督办', escalation: '逾期自动督办', workflow: '流程自动督办' };
/** 结案 split three ways, so the parts add up to the whole: 按期 + 逾期 + 无期限 (no closure target recorded). */
const CLOSED_PARTS: { key: 'closedOnTime' | 'closedLate' | 'closedWithoutTarget'; label: string; colour: string }[] = [
  { key: 'closedOnTime', label: '按期结案', colour: '#059669' },
  { key: 'closedLate', label: '逾期结案', colour: '#d92d20' },
  { key: 'closedWithoutTarget', label: '无期限结案', colour: '#9ca3af' },
];

/** A stats period as a reader says it: 2027-02 → 2027年2月, 2027-Q1 → 2027年第1季度, 2027 → 2027年. */
function periodLabel(p: string): string {
  const m = /^(\d{4})(?:-(Q)?(\d{1,2}))?$/.exec(p);
  if (!m) return p;
  if (!m[3]) return `${m[1]}年`;
  return m[2] ? `${m[1]}年第${Number(m[3])}季度` : `${m[1]}年${Number(m[3])}月`;
}
/** A YYYY-MM-DD day as 2027年2月26日. */
const dayLabel = (d: string) => {
  const [y, mo, da] = d.split('-').map(Number);
  return `${y}年${mo}月${da}日`;
};

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

let chartSeq = 0;

/** Horizontal stacked bars (红/橙/黄) per group, labelled with the counts. */
function colourChart(groups: Group[], caption: string): SVGSVGElement {
  const id = `chart-${++chartSeq}`;
  const rowH = 28;
  const labelW = 150;
  const width = 640;
  const max = Math.max(1, ...groups.map((g) => g.total));
  const barW = width - labelW - 50;
  const height = Math.max(1, groups.length) * rowH + 30;
  const desc = groups.map((g) => `${g.name}：红${g.red}、橙${g.orange}、黄${g.yellow}`).join('；') || '无';
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-labelledby': `${id}-t ${id}-d`, class: 'chart', style: 'max-width: 720px; height: auto; display: block' },
    svg('title', { id: `${id}-t` }, caption), svg('desc', { id: `${id}-d` }, desc));
  groups.forEach((g, i) => {
    const y = i * rowH + 4;
    chart.append(svg('text', { x: labelW - 8, y: y + 16, 'text-anchor': 'end', 'font-size': 13, fill: '#1f2937' }, g.name));
    let x = labelW;
    for (const c of COLOUR_ORDER) {
      if (!g[c]) continue;
      const w = (g[c] / max) * barW;
      chart.append(svg('rect', { x, y, width: w, height: rowH - 8, fill: COLOURS[c] }, svg('title', {}, `${g.name} ${COLOUR_LABELS[c]} ${g[c]}`)));
      if (w > 18) chart.append(svg('text', { x: x + w / 2, y: y + 15, 'text-anchor': 'middle', 'font-size': 12, fill: c === 'yellow' ? '#3b2f00' : '#fff' }, String(g[c])));
      x += w;
    }
    chart.append(svg('text', { x: x + 6, y: y + 15, 'font-size': 12, fill: '#4b5563' }, `共${g.total}`));
  });
  const ly = height - 12;
  COLOUR_ORDER.forEach((c, i) => {
    chart.append(svg('rect', { x: labelW + i * 110, y: ly - 10, width: 12, height: 12, fill: COLOURS[c] }));
    chart.append(svg('text', { x: labelW + i * 110 + 16, y: ly, 'font-size': 12, fill: '#1f2937' }, COLOUR_LABELS[c]));
  });
  return chart;
}

/**
 * Per period of the range: cases received (blue) beside cases closed, the closed bar split into 按期,
 * 逾期 and 无期限, with the on-time closure rate above it. Every period of the range has its place on
 * the axis, so any case received or closed draws a bar.
 */
function casesChart(periods: string[], rows: StatsRow[], caption: string): SVGSVGElement {
  const id = `chart-${++chartSeq}`;
  const sum = (p: string, k: keyof Pick<StatsRow, 'received' | 'closed' | 'closedOnTime' | 'closedLate' | 'closedWithoutTarget'>) =>
    rows.filter((r) => r.period === p).reduce((n, r) => n + r[k], 0);
  const data = periods.map((p) => {
    const closedOnTime = sum(p, 'closedOnTime');
    const closedLate = sum(p, 'closedLate');
    return { p, received: sum(p, 'received'), closed: sum(p, 'closed'), closedOnTime, closedLate, closedWithoutTarget: sum(p, 'closedWithoutTarget'),
      rate: closedOnTime + closedLate > 0 ? closedOnTime / (closedOnTime + closedLate) : null };
  });
  const width = 720;
  const height = 260;
  const left = 40;
  const top = 24;
  const bottom = 210;
  const max = Math.max(1, ...data.map((d) => Math.max(d.received, d.closed)));
  const scale = (n: number) => (n / max) * (bottom - top);
  const groupW = (width - left - 10) / Math.max(1, data.length);
  const barW = Math.max(3, Math.min(24, (groupW - 6) / 2));
  const desc = data.filter((d) => d.received || d.closed)
    .map((d) => `${periodLabel(d.p)}：收案${d.received}，结案${d.closed}（按期${d.closedOnTime}、逾期${d.closedLate}、无期限${d.closedWithoutTarget}）`).join('；') || '该期间没有收案或结案';
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-labelledby': `${id}-t ${id}-d`, class: 'chart', id: 'stats-chart', style: 'max-width: 760px; height: auto; display: block' },
    svg('title', { id: `${id}-t` }, caption), svg('desc', { id: `${id}-d` }, desc));
  const step = Math.max(1, Math.ceil(max / 4));
  for (let v = 0; v <= max; v += step) {
    const y = bottom - scale(v);
    chart.append(svg('line', { x1: left, x2: width - 10, y1: y, y2: y, stroke: '#e5e7eb', 'stroke-width': 1 }));
    chart.append(svg('text', { x: left - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#4b5563' }, String(v)));
  }
  // Long ranges label every few periods so the labels do not run into each other.
  const every = Math.max(1, Math.ceil(data.length / 12));
  data.forEach((d, i) => {
    const gx = left + i * groupW + (groupW - 2 * barW) / 2;
    if (d.received) {
      chart.append(svg('rect', { x: gx, y: bottom - scale(d.received), width: barW - 1, height: scale(d.received), fill: '#2563eb', 'data-bar': 'received' },
        svg('title', {}, `${periodLabel(d.p)} 收案 ${d.received}`)));
    }
    let y = bottom;
    for (const part of CLOSED_PARTS) {
      const n = d[part.key];
      if (!n) continue;
      const h = scale(n);
      y -= h;
      chart.append(svg('rect', { x: gx + barW, y, width: barW - 1, height: h, fill: part.colour, 'data-bar': part.key },
        svg('title', {}, `${periodLabel(d.p)} ${part.label} ${n}`)));
    }
    if (d.rate !== null) {
      chart.append(svg('text', { x: gx + barW * 1.5, y: y - 4, 'text-anchor': 'middle', 'font-size': 10, fill: '#1f2937' }, `${Math.round(d.rate * 100)}%`));
    }
    if (i % every === 0) chart.append(svg('text', { x: gx + barW, y: bottom + 14, 'text-anchor': 'middle', 'font-size': 11, fill: '#1f2937' }, periodLabel(d.p)));
  });
  const legend: [string, string][] = [['收案', '#2563eb'], ...CLOSED_PARTS.map((p): [string, string] => [p.label, p.colour])];
  legend.forEach(([name, colour], j) => {
    chart.append(svg('rect', { x: left + j * 110, y: height - 16, width: 12, height: 12, fill: colour }));
    chart.append(svg('text', { x: left + j * 110 + 16, y: height - 6, 'font-size': 12, fill: '#1f2937' }, name));
  });
  chart.append(svg('text', { x: width - 10, y: 14, 'text-anchor': 'end', 'font-size': 11, fill: '#4b5563' }, '柱上百分比为按期结案率（不含无期限结案）'));
  return chart;
}

const badge = (u: Urgency) => el('span', { class: 'badge ' + u }, URGENCY_LABELS[u]);
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function groupTable(id: string, caption: string, groups: Group[], first: string): HTMLTableElement {
  return el('table', { id },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, [first, '红色', '橙色', '黄色', '合计'].map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, groups.length ? groups.map((g) => el('tr', {},
      el('th', { scope: 'row' }, g.name), el('td', {}, String(g.red)), el('td', {}, String(g.orange)), el('td', {}, String(g.yellow)), el('td', {}, String(g.total))))
      : el('tr', {}, el('td', { colspan: 5, class: 'muted' }, '暂无'))));
}

interface OpenIncident { key: string; caseId: string | null; caseNumber: string | null; employerName: string | null; stepName: string; reason: string; since: string }

/** Steps that stopped (流程故障): the case, the step by its diagram name, why, since when. Repaired from the case page. */
function incidentsCard(items: OpenIncident[] | null): HTMLElement {
  return el('section', { class: 'card', 'aria-labelledby': 'incidents-title' },
    el('h2', { id: 'incidents-title' }, `流程故障${items ? `（${items.length}）` : ''}`),
    el('p', { class: 'muted' }, '因数据有误或系统故障停止的办案步骤；承办监察员可在案件页面更正后重试。'),
    items === null ? el('p', { class: 'error', id: 'open-incidents' }, '流程故障暂时无法读取。')
      : items.length ? el('table', { id: 'open-incidents' },
        el('thead', {}, el('tr', {}, ['案件编号', '用人单位', '停止的步骤', '原因', '停止时间'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, items.map((i) => el('tr', { 'data-incident': i.key },
          el('td', {}, i.caseId ? el('a', { href: `/cases/${i.caseId}` }, i.caseNumber ?? '案件') : '（不属于案件）'),
          el('td', {}, i.employerName ?? '—'), el('td', {}, i.stepName), el('td', { class: 'reason' }, i.reason), el('td', {}, fmtDateTime(i.since))))))
        : el('p', { class: 'muted', id: 'open-incidents' }, '没有停止的办案步骤。'));
}

export async function showSupervision({ me, main, query: q, navigate }: PageContext): Promise<void> {
  if (!me.roles.some((r) => r === 'supervisor' || r === 'admin')) {
    main.replaceChildren(el('section', { class: 'card' }, el('h1', {}, '督办'), el('p', { class: 'error', role: 'alert' }, '只有督办人员（大队长、科长）和管理员可以查看督办情况。')));
    return;
  }
  const seq = currentRender();
  const gridId = q.get('gridId') ?? '';
  const period = q.get('period') ?? 'month';
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  const [data, stats, incidents] = await Promise.all([
    get<Overdue>('/api/supervision/overdue' + query({ gridId: gridId || undefined })),
    get<Stats>('/api/supervision/stats' + query({ period, from: from || undefined, to: to || undefined })),
    // Jammed steps are listed apart from the rest: the page works without them.
    get<{ items: OpenIncident[] }>('/api/supervision/incidents').then((r) => r.items).catch((): OpenIncident[] | null => null),
  ]);
  if (seq !== currentRender()) return;

  const status = el('p', { id: 'supervision-status', role: 'status', 'aria-live': 'polite', class: 'muted' });
  const say = (text: string, error = false) => { status.textContent = text; status.className = error ? 'error' : 'muted'; };
  const reload = () => navigate(location.pathname + location.search);

  function reassignControls(t: Item): HTMLElement {
    // Only the users the task is offered to and who see its case can take it: the server lists them.
    const who = select([['', '选择人员']], { 'aria-label': `改派 ${t.caseNumber} ${t.title} 给`, 'data-reassign': t.key });
    get<{ items: { id: string; username: string; displayName: string }[] }>(`/api/tasks/${t.key}/assignees`)
      .then((r) => {
        if (!r.items.length) who.replaceChildren(el('option', { value: '' }, '无可改派人员'));
        for (const u of r.items) who.append(el('option', { value: u.id }, `${u.displayName}（${u.username}）`));
      })
      .catch(() => who.replaceChildren(el('option', { value: '' }, '无法读取可改派人员')));
    const button = el('button', {
      type: 'button', 'data-action': 'reassign',
      onclick: async () => {
        if (!who.value) { say('请先选择改派给谁。', true); who.focus(); return; }
        button.setAttribute('disabled', '');
        try {
          await post(`/api/tasks/${t.key}/assign`, { userId: who.value });
          const name = who.selectedOptions[0]?.textContent ?? '';
          say(`已将 ${t.caseNumber} 的“${t.title}”改派给 ${name}。`);
          const cell = document.querySelector(`tr[data-task="${t.key}"] td.assignee`);
          if (cell) cell.textContent = name;
        } catch (e) {
          say(explain(e), true);
        } finally {
          button.removeAttribute('disabled');
        }
      },
    }, '改派');
    return el('div', { class: 'row-actions' }, who, button);
  }

  function superviseControls(caseId: string, caseNumber: string): HTMLElement {
    const box = el('div', { class: 'row-actions' });
    const open = el('button', {
      type: 'button', 'data-action': 'supervise',
      onclick: () => {
        const due = input({ type: 'date', 'aria-label': `${caseNumber} 督办期限`, required: true });
        const owner = select(data.users.map((u): [string, string] => [u.username, u.displayName]), { 'aria-label': `${caseNumber} 督办责任人` });
        owner.value = me.username;
        const reason = input({ type: 'text', 'aria-label': `${caseNumber} 督办事由`, placeholder: '督办事由', required: true, maxlength: 1000 });
        const ok = el('button', {
          type: 'button', class: 'primary',
          onclick: async () => {
            if (!due.value) { say('请填写督办期限。', true); due.focus(); return; }
            if (!reason.value.trim()) { say('请填写督办事由。', true); reason.focus(); return; }
            try {
              await post(`/api/supervision/cases/${caseId}/supervise`, { dueAt: due.value, owner: owner.value, reason: reason.value.trim() });
              say(`${caseNumber} 已挂牌督办，期限 ${dayLabel(due.value)}，责任人 ${owner.selectedOptions[0]?.textContent ?? ''}。`);
              box.replaceChildren(el('span', { class: 'tag danger' }, '已挂牌督办'));
            } catch (e) {
              say(e instanceof ApiError && e.status === 400 ? '督办期限须在今天之后，责任人须为本单位人员。' : explain(e), true);
            }
          },
        }, '确定');
        box.replaceChildren(field('督办期限', due), field('责任人', owner), field('督办事由', reason), ok);
        due.focus();
      },
    }, '挂牌督办');
    box.append(open);
    return box;
  }

  const supervisedIds = new Set(data.supervised.map((s) => s.caseId));
  const itemRow = (t: Item) => el('tr', { 'data-task': t.kind === 'task' ? t.key : null, 'data-deadline': t.kind === 'deadline' ? t.key : null, class: 'urgency-' + t.urgency },
    el('td', {}, badge(t.urgency), ' ', fmtDateTime(t.dueAt), t.daysOverdue ? el('span', { class: 'muted' }, `（逾期${t.daysOverdue}天）`) : null),
    el('td', {}, el('a', { href: `/cases/${t.caseId}` }, t.caseNumber)),
    el('td', {}, t.kind === 'deadline' ? el('span', { class: 'tag', 'data-basis': t.basis, title: t.basisSource ?? '' }, BASIS_LABELS[t.basis]) : null, t.kind === 'deadline' ? ' ' : null,
      t.href ? el('a', { href: t.href }, t.title) : t.title),
    el('td', {}, t.gridName ?? '—', t.teamName && t.teamName !== t.gridName ? el('span', { class: 'muted' }, ` / ${t.teamName}`) : null),
    t.kind === 'task' ? el('td', { class: 'assignee' }, t.assigneeName ?? el('span', { class: 'muted' }, `未领取（${t.candidateGroups.join('、')}）`)) : null,
    el('td', {}, t.serviceLevelTitle),
    el('td', {}, t.kind === 'task' ? reassignControls(t) : null, supervisedIds.has(t.caseId) ? el('span', { class: 'tag danger' }, '已挂牌督办') : superviseControls(t.caseId, t.caseNumber)));

  const gridFilter = select([['', '全部网格'], ...data.grids.map((g): [string, string] => [g.id, g.name])], { id: 'grid-filter' });
  gridFilter.value = gridId;
  const periodSel = select(PERIODS, { id: 'stats-period' });
  periodSel.value = period;
  const fromIn = input({ type: 'date', id: 'stats-from', value: from || stats.from });
  const toIn = input({ type: 'date', id: 'stats-to', value: to || stats.to });
  const apply = () => navigate('/supervision' + query({ gridId: gridFilter.value || undefined, period: periodSel.value, from: fromIn.value || undefined, to: toIn.value || undefined }));

  const tile = (c: Colour, n: number) => el('div', { class: 'card', id: `count-${c}`, style: `border-left: 6px solid ${COLOURS[c]}; margin: 0; padding: 8px 16px; min-width: 120px` },
    el('div', { class: 'muted' }, COLOUR_LABELS[c]), el('strong', { style: 'font-size: 24px' }, String(n)));

  main.replaceChildren(
    el('section', { class: 'card', 'aria-labelledby': 'supervision-title' },
      el('h1', { id: 'supervision-title' }, '督办'),
      el('p', { class: 'muted' }, `截至 ${fmtDateTime(data.now)}。颜色按时限督办标准计算：黄色 = 接近期限，橙色 = 今日到期或刚逾期，红色 = 严重逾期。`),
      el('div', { class: 'actions', role: 'group', 'aria-label': '预警数量' }, tile('red', data.counts.red), tile('orange', data.counts.orange), tile('yellow', data.counts.yellow)),
      el('form', { class: 'actions', onsubmit: (ev: Event) => { ev.preventDefault(); apply(); } },
        field('网格', gridFilter), el('button', { type: 'submit' }, '筛选'), el('button', { type: 'button', id: 'refresh', onclick: reload }, '刷新')),
      status),
    incidentsCard(incidents),
    el('section', { class: 'card', 'aria-labelledby': 'overdue-title' },
      el('h2', { id: 'overdue-title' }, '逾期和即将到期的任务'),
      colourChart(data.byGrid, '按网格（街道）的预警任务数'),
      el('table', { id: 'overdue' },
        el('caption', { class: 'sr-only' }, '逾期和即将到期的任务，最紧急的在前'),
        el('thead', {}, el('tr', {}, ['期限', '案件编号', '任务', '网格', '办理人', '督办标准', '操作'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, data.items.length ? data.items.map(itemRow) : el('tr', {}, el('td', { colspan: 7, class: 'muted' }, '没有逾期或即将到期的任务。')))),
      data.truncated ? el('p', { class: 'muted' }, '只列出最紧急的部分任务。') : null),
    el('section', { class: 'card', 'aria-labelledby': 'groups-title' },
      el('h2', { id: 'groups-title' }, '按网格、社区和人员'),
      groupTable('by-grid', '按网格（街道）', data.byGrid, '网格'),
      groupTable('by-team', '按社区网格', data.byTeam, '社区网格'),
      groupTable('by-person', '按办理人', data.byPerson, '办理人')),
    el('section', { class: 'card', 'aria-labelledby': 'extensions-title' },
      el('h2', { id: 'extensions-title' }, '待审批的延长调查期限'),
      el('p', { class: 'muted' }, '调查期限60个工作日，经负责人批准可延长30个工作日（劳动保障监察条例 第17条）。'),
      data.extensions.length
        ? el('ul', { id: 'extensions' }, data.extensions.map((t) => el('li', {}, badge(t.urgency), ' ', el('a', { href: `/cases/${t.caseId}` }, t.caseNumber), ' ', el('a', { href: t.href ?? `/tasks/${t.key}`, class: 'button' }, '审批'), ` 期限 ${fmtDateTime(t.dueAt)}`)))
        : el('p', { class: 'muted', id: 'extensions' }, '暂无。')),
    el('section', { class: 'card', 'aria-labelledby': 'statutory-title' },
      el('h2', { id: 'statutory-title' }, '即将届满的法定期限和本单位目标期限'),
      el('p', { class: 'muted' }, '法定期限由法律法规规定；本单位目标是本单位自定的办案时限（如欠薪案件7日结案），不是法定期限。'),
      el('table', { id: 'statutory' },
        el('caption', { class: 'sr-only' }, '法定期限（调查60个工作日、处罚决定90日、公安机关和人民法院答复期限）和本单位目标期限'),
        el('thead', {}, el('tr', {}, ['期限', '案件编号', '期限类别', '网格', '督办标准', '操作'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, data.statutory.items.length ? data.statutory.items.map(itemRow) : el('tr', {}, el('td', { colspan: 6, class: 'muted' }, '暂无即将届满的期限。'))))),
    el('section', { class: 'card', 'aria-labelledby': 'supervised-title' },
      el('h2', { id: 'supervised-title' }, '挂牌督办的案件'),
      data.supervised.length
        ? el('table', { id: 'supervised' },
          el('thead', {}, el('tr', {}, ['案件编号', '督办期限', '责任人', '事由', '来源'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, data.supervised.map((s) => el('tr', { 'data-case': s.caseId },
            el('td', {}, el('a', { href: `/cases/${s.caseId}` }, s.caseNumber)), el('td', {}, fmtDate(s.dueAt)), el('td', { class: 'owner' }, s.ownerName),
            el('td', { class: 'reason' }, s.reason ?? '—'), el('td', {}, SUPERVISION_SOURCE_LABELS[s.source] ?? '自动督办')))))
        : el('p', { class: 'muted', id: 'supervised' }, '暂无。')),
    el('section', { class: 'card', 'aria-labelledby': 'stats-title' },
      el('h2', { id: 'stats-title' }, '收案、结案和按期结案率'),
      el('form', { class: 'actions', onsubmit: (ev: Event) => { ev.preventDefault(); apply(); } },
        field('统计周期', periodSel), field('自', fromIn), field('至', toIn), el('button', { type: 'submit' }, '统计')),
      el('p', { id: 'stats-totals' }, `${dayLabel(stats.from)} 至 ${dayLabel(stats.to)}：收案 ${stats.totals.received}，结案 ${stats.totals.closed}`
        + `（按期 ${stats.totals.closedOnTime}，逾期 ${stats.totals.closedLate}，无期限 ${stats.totals.closedWithoutTarget}），按期结案率 `,
        el('strong', { id: 'on-time-rate' }, pct(stats.totals.onTimeRate)), el('span', { class: 'muted' }, '（按期结案 ÷ 有结案期限的结案）')),
      casesChart(stats.periods, stats.rows, '各期收案、结案和按期结案率'),
      el('table', { id: 'stats' },
        el('caption', { class: 'sr-only' }, '各网格各期的收案、结案和按期结案率'),
        el('thead', {}, el('tr', {}, ['期间', '网格', '收案', '结案', '按期结案', '逾期结案', '无期限', '按期结案率'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, stats.rows.length ? stats.rows.map((r) => el('tr', {},
          el('td', {}, periodLabel(r.period)), el('th', { scope: 'row' }, r.gridName), el('td', {}, String(r.received)), el('td', {}, String(r.closed)),
          el('td', {}, String(r.closedOnTime)), el('td', {}, String(r.closedLate)), el('td', {}, String(r.closedWithoutTarget)), el('td', {}, pct(r.onTimeRate))))
          : el('tr', {}, el('td', { colspan: 8, class: 'muted' }, '该期间没有收案或结案。'))),
        el('tfoot', {}, el('tr', {},
          el('td', {}, '合计'), el('th', { scope: 'row' }, '全部网格'), el('td', {}, String(stats.totals.received)), el('td', {}, String(stats.totals.closed)),
          el('td', {}, String(stats.totals.closedOnTime)), el('td', {}, String(stats.totals.closedLate)), el('td', {}, String(stats.totals.closedWithoutTarget)),
          el('td', {}, pct(stats.totals.onTimeRate)))))),
  );
}
