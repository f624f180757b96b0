/**
 * 案件查询: the cases the user may see (a handler: their grids), newest first, searched by case number
 * or a party's name, status, route, grid and the date received, page by page. The filters live in the
 * address, so the back button and a shared link show the same list.
 */
import { get, query } from '../api';
import { chinaDayStartIso, el, fmtDateTime, fmtYuan } from '../dom';
import { field, input, select } from '../fields';
import { KIND_LABELS, label, ROUTE_LABELS, STATUS_LABELS } from '../labels';
import type { PageContext } from '../router';
import { currentRender } from '../router';
import type { CaseSummary } from '../types';

interface Grid { id: string; name: string; level: number; parentId: string | null }
type Listed = CaseSummary & { employerName: string | null };

const DAY = 86_400_000;
/** A China calendar day's first instant, as epoch milliseconds. */
const chinaDayStart = (day: string) => Date.parse(chinaDayStartIso(day));

export async function showCases({ main, query: q, navigate }: PageContext): Promise<void> {
  const seq = currentRender();
  const params = {
    q: q.get('q') ?? '', status: q.get('status') ?? '', route: q.get('route') ?? '', gridId: q.get('gridId') ?? '',
    open: q.get('open') ?? '', from: q.get('from') ?? '', to: q.get('to') ?? '', cursor: q.get('cursor') ?? '',
  };
  const [grids, jammed, page] = await Promise.all([
    get<{ items: Grid[] }>('/api/grids').then((r) => r.items),
    // Cases with a stopped step (流程故障) are flagged so their handler goes and repairs them.
    get<{ items: { caseId: string; steps: string[] }[] }>('/api/incidents/cases').then((r) => new Map(r.items.map((i) => [i.caseId, i.steps]))).catch(() => new Map<string, string[]>()),
    get<{ items: Listed[]; nextCursor: string | null }>('/api/cases' + query({
      q: params.q || undefined, status: params.status || undefined, route: params.route || undefined, gridId: params.gridId || undefined,
      open: params.open || undefined, cursor: params.cursor || undefined, limit: 20,
      receivedFrom: /^\d{4}-\d{2}-\d{2}$/.test(params.from) ? chinaDayStart(params.from) : undefined,
      receivedTo: /^\d{4}-\d{2}-\d{2}$/.test(params.to) ? chinaDayStart(params.to) + DAY : undefined,
    })),
  ]);
  if (seq !== currentRender()) return;
  const gridName = new Map(grids.map((g) => [g.id, g.name]));

  const text = input({ id: 'cases-q', value: params.q, placeholder: '案件编号、当事人姓名或单位名称', maxlength: 100 });
  const status = select([['', '全部状态'], ...Object.entries(STATUS_LABELS)], { id: 'cases-status' });
  status.value = params.status;
  const route = select([['', '全部去向'], ...Object.entries(ROUTE_LABELS)], { id: 'cases-route' });
  route.value = params.route;
  const grid = select([['', '全部网格'], ...grids.map((g): [string, string] => [g.id, g.level === 2 ? `　${g.name}` : g.name])], { id: 'cases-grid' });
  grid.value = params.gridId;
  const open = select([['', '在办和已结'], ['true', '仅在办'], ['false', '仅已结']], { id: 'cases-open' });
  open.value = params.open;
  const from = input({ id: 'cases-from', type: 'date', value: params.from });
  const to = input({ id: 'cases-to', type: 'date', value: params.to });

  const search = (cursor?: string) => navigate('/cases' + query({
    q: text.value.trim() || undefined, status: status.value || undefined, route: route.value || undefined, gridId: grid.value || undefined,
    open: open.value || undefined, from: from.value || undefined, to: to.value || undefined, cursor,
  }));
  const form = el('form', { role: 'search', 'aria-label': '案件查询条件' },
    el('div', { class: 'grid' },
      field('关键词', text, { wide: true }), field('状态', status), field('去向', route), field('网格', grid), field('办理情况', open),
      field('收到日期自', from), field('至', to)),
    el('div', { class: 'form-actions' },
      el('button', { type: 'submit', class: 'primary' }, '查询'),
      el('a', { class: 'button', href: '/cases' }, '清除条件')));
  form.addEventListener('submit', (e) => { e.preventDefault(); search(); });

  const rows = page.items.map((c) => el('tr', { 'data-case': c.id },
    el('td', {}, el('a', { href: `/cases/${c.id}` }, c.caseNumber)),
    el('td', {}, c.employerName ?? '—'),
    el('td', {}, label(KIND_LABELS, c.kind)),
    el('td', {}, fmtDateTime(c.receivedAt)),
    el('td', {}, c.gridId ? gridName.get(c.gridId) ?? '—' : '未划入网格'),
    el('td', {}, label(ROUTE_LABELS, c.route ?? c.suggestedRoute)),
    el('td', {}, label(STATUS_LABELS, c.status), c.supervised ? el('span', { class: 'tag danger' }, '挂牌督办') : null,
      jammed.has(c.id) ? el('span', { class: 'tag danger', 'data-incident': 'true', title: `已停止的步骤：${jammed.get(c.id)!.join('、')}` }, '流程故障') : null),
    el('td', { class: 'num' }, fmtYuan(c.totalOwed))));
  const table = page.items.length
    ? el('table', { id: 'cases-list' },
      el('caption', {}, params.cursor ? '查询结果（续）' : '查询结果'),
      el('thead', {}, el('tr', {}, ['案件编号', '用人单位', '类型', '收到时间', '网格', '去向', '状态', '涉及金额'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, rows))
    : el('p', { class: 'muted', id: 'cases-empty' }, '没有符合条件的案件。');
  const pager = el('div', { class: 'actions' },
    params.cursor ? el('a', { class: 'button', href: '/cases' + query({ ...params, cursor: undefined, q: params.q || undefined }) }, '回到第一页') : null,
    page.nextCursor ? el('button', { type: 'button', id: 'cases-next', onclick: () => search(page.nextCursor!) }, '下一页') : null);

  main.replaceChildren(el('section', { class: 'card', 'aria-labelledby': 'cases-title' },
    el('h1', { id: 'cases-title' }, '案件查询'),
    el('p', { class: 'muted' }, '按收到时间从新到旧排列；监察员只看到本网格的案件。'),
    form, table, pager));
}
