/**
 * 网格: the office's streets (街道), each with its communities (社区) and the staff assigned to each;
 * a new street or community. A grid's code is also the candidate group of its tasks, so it cannot be
 * a role's name (the API says GRID_CODE_RESERVED).
 */
import { api, get } from '../api';
import { el } from '../dom';
import { clearErrors, field, input, select } from '../fields';
import { currentRender, type PageContext } from '../router';
import { adminNav, showDone, showRefusal } from './admin-common';
import type { AdminGrid, AdminUser } from './admin-users';

export async function showGrids(ctx: PageContext): Promise<void> {
  const { main } = ctx;
  const seq = currentRender();
  const [grids, users] = await Promise.all([
    get<{ items: AdminGrid[] }>('/api/grids').then((r) => r.items),
    get<{ items: AdminUser[] }>('/api/users').then((r) => r.items),
  ]);
  if (seq !== currentRender()) return;
  const staff = (g: AdminGrid) => users.filter((u) => u.active && u.gridIds.includes(g.id)).map((u) => u.displayName).join('、') || '—';
  const streets = grids.filter((g) => g.level === 1);

  const rows = streets.flatMap((s) => [
    el('tr', { 'data-grid': s.code, class: 'street' },
      el('th', { scope: 'row' }, s.name), el('td', {}, '街道'), el('td', {}, s.code), el('td', {}, staff(s))),
    ...grids.filter((c) => c.parentId === s.id).map((c) => el('tr', { 'data-grid': c.code },
      el('td', {}, `　└ ${c.name}`), el('td', {}, '社区'), el('td', {}, c.code), el('td', {}, staff(c)))),
  ]);

  const status = el('p', { class: 'status', role: 'status' });
  const name = input({ id: 'grid-name', maxlength: 200 });
  const code = input({ id: 'grid-code', maxlength: 64, autocomplete: 'off' });
  const parent = select([['', '无（新建街道）'], ...streets.map((s): [string, string] => [s.id, s.name])], { id: 'grid-parent' });
  const form = el('form', { novalidate: true, 'aria-label': '新建网格', id: 'grid-create' },
    el('div', { class: 'grid' },
      field('名称', name, { path: 'name', required: true, hint: '如：解放路街道、解放路社区' }),
      field('代码', code, { path: 'code', required: true, hint: '字母、数字、_ 和 -，如 JF-03；不能与角色同名，创建后不能修改。' }),
      field('所属街道', parent, { path: 'parentId', hint: '选择街道即新建其下的社区。' })),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'primary' }, '创建网格')),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    try {
      const g = await api<AdminGrid>('POST', '/api/grids', { name: name.value, code: code.value.trim(), parentId: parent.value || null });
      await showGrids(ctx);
      showDone(document.getElementById('grids-status')!, `已创建${g.level === 1 ? '街道' : '社区'}：${g.name}。`);
    } catch (e) {
      showRefusal(form, status, e, {
        GRID_CODE_TAKEN: ['code', '该代码已被使用，请换一个。'],
        GRID_CODE_RESERVED: ['code', '代码不能与角色名称相同（如 handler、admin），请换一个。'],
      });
      // The code's pattern message is the API's English: say the rule instead.
      for (const c of form.querySelectorAll<HTMLElement>('[data-path="code"][aria-invalid]')) {
        const err = document.getElementById(c.id + '-err');
        if (err?.textContent?.startsWith('填写有误')) err.textContent = '只能包含字母、数字、_ 和 -';
      }
    }
  });

  main.replaceChildren(
    el('section', { class: 'card' },
      el('h1', { id: 'admin-title' }, '网格'),
      adminNav('/admin/grids'),
      el('p', { class: 'status', role: 'status', id: 'grids-status' }),
      el('table', { id: 'grids' },
        el('caption', { class: 'sr-only' }, '街道及其社区'),
        el('thead', {}, el('tr', {}, ['名称', '层级', '代码', '在岗人员'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows))),
    el('section', { class: 'card' }, el('h2', {}, '新建街道或社区'), form));
}
