/**
 * 三色预警: warnings of the grids the user sees with their colour, who handles them ("二级网格处理、
 * 一级网格管理、监察大队跟踪"), the deadline and the task to handle them; a report (前置预警) — the one
 * thing an enterprise coordinator does here, for their own employer.
 */
import { api, explain, get, query } from '../api';
import { el, fmtDate } from '../dom';
import { currentRender, type PageContext } from '../router';
import { colourBadge, WARNING_COLOURS, WARNING_COLOUR_LABELS, WARNING_HANDLERS, WARNING_RESULTS, WARNING_SOURCES, type WarningColour } from './prevention-common';

interface Warning {
  id: string; colour: WarningColour; source: string; state: 'open' | 'closed'; reasons: string[]; openedAt: number; dueAt: number | null;
  handledOnTime: boolean | null; closedAt: number | null; result: string | null; escalations: number; employerId: string; employerName: string; gridName: string;
  task: { key: string; name: string | null } | null;
}
interface Employer { id: string; name: string }

export async function showWarnings({ me, main, query: q, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  const coordinatorOnly = me.roles.every((r) => r === 'enterprise_coordinator');
  const stateQ = q.get('state') === 'closed' ? 'closed' : 'open';
  main.replaceChildren(el('h1', {}, coordinatorOnly ? '前置预警报告' : '三色预警'), el('p', { class: 'muted' }, '正在加载…'));
  let warnings: Warning[] = [];
  let employers: Employer[] = [];
  try {
    const [w, e] = await Promise.all([
      coordinatorOnly ? Promise.resolve({ items: [] as Warning[] }) : get<{ items: Warning[] }>('/api/prevention/warnings' + query({ state: stateQ, limit: 200 })),
      get<{ items: Employer[] }>('/api/employers' + query({ limit: 100 })).catch(() => ({ items: [] as Employer[] })),
    ]);
    warnings = w.items;
    employers = e.items;
  } catch (e) {
    if (render !== currentRender()) return;
    main.replaceChildren(el('h1', {}, '三色预警'), el('p', { class: 'error', role: 'alert' }, explain(e)));
    return;
  }
  if (render !== currentRender()) return;

  const status = el('p', { role: 'status', id: 'report-status' });
  const employerSelect = el('select', { id: 'report-employer', 'aria-label': '用人单位' }, employers.map((e) => el('option', { value: e.id }, e.name))) as HTMLSelectElement;
  const summary = el('textarea', { id: 'report-summary', rows: 3, maxlength: 2000, 'aria-label': '反映的情况' }) as HTMLTextAreaElement;
  const colour = el('select', { id: 'report-colour', 'aria-label': '预警颜色' }, ['yellow', 'orange', 'red'].map((c) => el('option', { value: c }, WARNING_COLOUR_LABELS[c as WarningColour]))) as HTMLSelectElement;
  const send = el('button', { type: 'button', id: 'report-submit' }, '提交报告') as HTMLButtonElement;
  send.addEventListener('click', async () => {
    if (!summary.value.trim()) { status.textContent = '请填写反映的情况。'; return; }
    send.disabled = true;
    try {
      const r = await api<{ colour: WarningColour; effect: string }>('POST', '/api/prevention/warnings/reports', { employerId: employerSelect.value, summary: summary.value, ...(coordinatorOnly ? {} : { colour: colour.value }) });
      status.textContent = r.effect === 'opened' ? `已发出${WARNING_COLOUR_LABELS[r.colour]}，由${WARNING_HANDLERS[r.colour]}。` : r.effect === 'raised' ? `该单位已有预警，已升为${WARNING_COLOUR_LABELS[r.colour]}。` : '该单位已有同级预警，情况已补充记录。';
      summary.value = '';
      if (!coordinatorOnly) navigate('/warnings');
    } catch (e) {
      status.textContent = explain(e);
    } finally {
      send.disabled = false;
    }
  });
  const reportForm = el('section', { class: 'panel', id: 'report' }, el('h2', {}, '报告欠薪等隐患（前置预警）'),
    el('p', { class: 'muted' }, coordinatorOnly ? '发现本企业可能拖欠工资等问题，企业内部确实无法协调处理的，请及时报告，由所在社区网格处置。' : '网格发现的隐患，可直接发出预警。'),
    employers.length ? [el('label', {}, '用人单位 ', employerSelect), el('br'), el('label', {}, '反映的情况', el('br'), summary), el('br'),
      coordinatorOnly ? null : el('label', {}, '预警颜色 ', colour), send, status] : el('p', {}, '没有可报告的用人单位。'));

  if (coordinatorOnly) {
    main.replaceChildren(el('h1', {}, '前置预警报告'), reportForm);
    return;
  }
  const filter = el('select', { id: 'warning-state', 'aria-label': '预警状态' }, [['open', '处置中'], ['closed', '已关闭']].map(([v, t]) => el('option', { value: v, selected: v === stateQ }, t)));
  filter.addEventListener('change', () => navigate('/warnings' + query({ state: (filter as HTMLSelectElement).value })));
  const counts = WARNING_COLOURS.map((c) => `${WARNING_COLOUR_LABELS[c]}${warnings.filter((w) => w.colour === c).length}起`).join('，');
  main.replaceChildren(
    el('h1', {}, '三色预警'),
    el('p', { class: 'muted' }, '黄色预警由社区（村）网格处置，橙色由街道网格处置，红色由监察大队跟踪并落实“四个一”；期满未处置的自动升级。'),
    el('div', { style: 'display:flex;gap:12px;align-items:center' }, el('label', {}, '状态 ', filter),
      el('a', { class: 'button', id: 'warnings-export', href: '/api/prevention/warnings/export.xlsx' + query({ state: stateQ }), download: '三色预警.xlsx' }, '导出表格')),
    el('p', {}, counts),
    warnings.length ? el('table', { class: 'table', id: 'warning-table' },
      el('thead', {}, el('tr', {}, ['用人单位', '网格', '预警', '来源', '原因', '发出日期', stateQ === 'open' ? '处置期限' : '结果', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, warnings.map((w) => el('tr', { 'data-warning': w.id },
        el('td', {}, el('a', { href: `/employers/${w.employerId}` }, w.employerName)), el('td', {}, w.gridName), el('td', {}, colourBadge(w.colour), w.escalations ? `（升级${w.escalations}次）` : ''),
        el('td', {}, WARNING_SOURCES[w.source] ?? '—'), el('td', {}, w.reasons.join('；')), el('td', {}, fmtDate(w.openedAt)),
        el('td', {}, w.state === 'open' ? fmtDate(w.dueAt) : `${WARNING_RESULTS[w.result ?? ''] ?? '已关闭'}${w.handledOnTime === false ? '（逾期处置）' : ''}`),
        el('td', {}, w.task ? el('a', { href: `/tasks/${w.task.key}`, class: 'button' }, '去处置') : null))))) : el('p', {}, '没有预警。'),
    reportForm,
  );
}
