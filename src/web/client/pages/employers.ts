/**
 * 用人单位（一户一档）: the files the user may see, by name, searched by name or address, credit code,
 * grid, completeness and the unplaced ones, page by page; the list as xlsx; for intake and admin the
 * import of a register (dry run first, then confirm). Filters live in the address.
 */
import { api, ApiError, explain, get, query } from '../api';
import { el, fmtDate } from '../dom';
import { field, input, select } from '../fields';
import type { PageContext } from '../router';
import { currentRender } from '../router';

interface Grid { id: string; name: string; level: number; parentId: string | null }
interface Listed { id: string; name: string; creditCode: string | null; address: string; gridId: string | null; gridName: string | null; headcount: number | null; fileComplete: boolean; fileCollectedAt: number | null }

interface ImportReport {
  rows: number;
  confirmed: boolean;
  counts: { create: number; update: number; unchanged: number; refused: number };
  refused: { row: number; creditCode: string | null; name: string | null; reasons: string[] }[];
  columns: { ignored: string[] };
}

const mayImport = (roles: string[]) => roles.includes('intake') || roles.includes('admin');

export async function showEmployers(ctx: PageContext): Promise<void> {
  const { main, me, query: q, navigate } = ctx;
  const seq = currentRender();
  const params = {
    q: q.get('q') ?? '', creditCode: q.get('creditCode') ?? '', gridId: q.get('gridId') ?? '', complete: q.get('complete') ?? '',
    unplaced: q.get('unplaced') ?? '', cursor: q.get('cursor') ?? '',
  };
  const filters = { q: params.q || undefined, creditCode: params.creditCode || undefined, gridId: params.gridId || undefined, complete: params.complete || undefined, unplaced: params.unplaced || undefined };
  const [grids, page] = await Promise.all([
    get<{ items: Grid[] }>('/api/grids').then((r) => r.items),
    get<{ items: Listed[]; nextCursor: string | null }>('/api/employers' + query({ ...filters, cursor: params.cursor || undefined, limit: 20 })),
  ]);
  if (seq !== currentRender()) return;

  const text = input({ id: 'employers-q', value: params.q, placeholder: '单位名称或地址', maxlength: 100 });
  const code = input({ id: 'employers-code', value: params.creditCode, placeholder: '18位统一社会信用代码', maxlength: 18 });
  const grid = select([['', '全部网格'], ...grids.map((g): [string, string] => [g.id, g.level === 2 ? `　${g.name}` : g.name])], { id: 'employers-grid' });
  grid.value = params.gridId;
  const complete = select([['', '全部档案'], ['1', '信息完整'], ['0', '信息不全']], { id: 'employers-complete' });
  complete.value = params.complete;
  const unplaced = select([['', '全部'], ['1', '仅未划入网格'], ['0', '仅已划入网格']], { id: 'employers-unplaced' });
  unplaced.value = params.unplaced;
  const search = (cursor?: string) => navigate('/employers' + query({
    q: text.value.trim() || undefined, creditCode: code.value.trim() || undefined, gridId: grid.value || undefined,
    complete: complete.value || undefined, unplaced: unplaced.value || undefined, cursor,
  }));
  const form = el('form', { role: 'search', 'aria-label': '用人单位查询条件' },
    el('div', { class: 'grid' }, field('关键词', text, { wide: true }), field('统一社会信用代码', code), field('网格', grid), field('档案信息', complete), field('划入网格', unplaced)),
    el('div', { class: 'form-actions' },
      el('button', { type: 'submit', class: 'primary' }, '查询'),
      el('a', { class: 'button', href: '/employers' }, '清除条件'),
      el('a', { class: 'button', id: 'employers-export', href: '/api/employers/export.xlsx' + query(filters), download: '用人单位名册.xlsx' }, '导出表格')));
  form.addEventListener('submit', (e) => { e.preventDefault(); search(); });

  const table = page.items.length
    ? el('table', { id: 'employers-list' },
      el('caption', {}, params.cursor ? '用人单位（续）' : '用人单位'),
      el('thead', {}, el('tr', {}, ['单位名称', '统一社会信用代码', '网格', '用工地址', '职工人数', '档案信息'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, page.items.map((e) => el('tr', { 'data-employer': e.id },
        el('td', {}, el('a', { href: `/employers/${e.id}` }, e.name)),
        el('td', {}, e.creditCode ?? '—'),
        el('td', {}, e.gridName ?? el('span', { class: 'tag danger' }, '未划入网格')),
        el('td', { class: 'clip' }, e.address),
        el('td', { class: 'num' }, e.headcount ?? '—'),
        el('td', {}, e.fileComplete ? `完整（最早采集于${fmtDate(e.fileCollectedAt)}）` : el('span', { class: 'tag' }, '信息不全'))))))
    : el('p', { class: 'muted', id: 'employers-empty' }, '没有符合条件的用人单位。');
  const pager = el('div', { class: 'actions' },
    params.cursor ? el('a', { class: 'button', href: '/employers' + query(filters) }, '回到第一页') : null,
    page.nextCursor ? el('button', { type: 'button', id: 'employers-next', onclick: () => search(page.nextCursor!) }, '下一页') : null);

  main.replaceChildren(
    el('section', { class: 'card', 'aria-labelledby': 'employers-title' },
      el('h1', { id: 'employers-title' }, '用人单位（一户一档）'),
      el('p', { class: 'muted' }, me.roles.includes('grid_officer') || me.roles.includes('handler') ? '按单位名称排列；只列出本网格的单位。' : '按单位名称排列。'),
      form, table, pager),
    mayImport(me.roles) ? importSection(() => search()) : '',
  );
}

/** Import of a register: the file is checked first (nothing written), then imported on confirmation. */
function importSection(reload: () => void): HTMLElement {
  const file = input({ id: 'import-file', type: 'file', accept: '.xlsx,.csv' });
  const out = el('div', { id: 'import-report', 'aria-live': 'polite' });
  let pending: { fileName: string; contentBase64: string } | null = null;
  const run = async (confirm: boolean) => {
    out.replaceChildren(el('p', { class: 'muted' }, confirm ? '正在导入…' : '正在检查…'));
    try {
      if (!confirm) {
        const f = (file as HTMLInputElement).files?.[0];
        if (!f) { out.replaceChildren(el('p', { class: 'field-error' }, '请先选择文件。')); return; }
        const bytes = new Uint8Array(await f.arrayBuffer());
        let bin = '';
        for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        pending = { fileName: f.name, contentBase64: btoa(bin) };
      }
      const r = await api<ImportReport>('POST', '/api/employers/import', { ...pending!, confirm });
      out.replaceChildren(
        el('p', {}, `${r.confirmed ? '已导入' : '检查结果'}：共 ${r.rows} 行，新建 ${r.counts.create}，更新 ${r.counts.update}，无变化 ${r.counts.unchanged}，不予导入 ${r.counts.refused}。`),
        r.columns.ignored.length ? el('p', { class: 'muted' }, `未识别的列（不导入）：${r.columns.ignored.join('、')}`) : '',
        r.refused.length ? el('table', { id: 'import-refused' },
          el('thead', {}, el('tr', {}, ['行号', '统一社会信用代码', '单位名称', '原因'].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, r.refused.map((x) => el('tr', {}, el('td', {}, x.row), el('td', {}, x.creditCode ?? '—'), el('td', {}, x.name ?? '—'), el('td', {}, x.reasons.join('；')))))) : '',
        !r.confirmed && r.counts.create + r.counts.update > 0
          ? el('button', { type: 'button', class: 'primary', id: 'import-confirm', onclick: () => void run(true) }, `确认导入（新建 ${r.counts.create}、更新 ${r.counts.update}）`) : '',
        r.confirmed ? el('button', { type: 'button', onclick: reload }, '刷新列表') : '');
    } catch (e) {
      const details = e instanceof ApiError && e.details.length ? e.details.map((d) => d.message).join('；') : '';
      out.replaceChildren(el('p', { class: 'field-error' }, importRefusal(e), details ? `（${details}）` : ''));
    }
  };
  return el('section', { class: 'card', 'aria-labelledby': 'import-title' },
    el('h2', { id: 'import-title' }, '导入用人单位名册'),
    el('p', { class: 'muted' }, '市场监管登记系统或社保系统导出的 xlsx、csv 名册；按统一社会信用代码匹配已有档案，先检查后导入，检查时不写入任何数据。'),
    el('div', { class: 'grid' }, field('名册文件', file, { wide: true })),
    el('div', { class: 'form-actions' }, el('button', { type: 'button', id: 'import-check', onclick: () => void run(false) }, '检查文件')),
    out);
}

function importRefusal(e: unknown): string {
  if (!(e instanceof ApiError)) return explain(e);
  switch (e.code) {
    case 'IMPORT_COLUMNS': return '文件缺少名册所需的列。';
    case 'IMPORT_UNREADABLE': return '文件无法读取，请另存为 xlsx 或 csv 后重试。';
    case 'IMPORT_TOO_MANY_ROWS': return '文件行数超过上限，请拆分后分批导入。';
    case 'IMPORT_EMPTY': return '文件中没有数据行。';
    default: return explain(e);
  }
}
