/**
 * 用户和角色: the office's users with their roles and grids by name; a new user with the password rules
 * stated before they are broken; a user's name, roles, grids, address and whether they may log in
 * changed; a password reset (which ends the user's sessions, as the API does).
 */
import { api, ApiError, ErrorDetail, get } from '../api';
import { el, uid } from '../dom';
import { clearErrors, field, input } from '../fields';
import { label, ROLE_NAMES } from '../labels';
import { currentRender, type PageContext } from '../router';
import { adminNav, showDone, showRefusal } from './admin-common';

export interface AdminUser { id: string; username: string; displayName: string; active: boolean; roles: string[]; gridIds: string[]; email: string | null }
export interface AdminGrid { id: string; name: string; code: string; level: number; parentId: string | null }

/** src/auth/passwords.ts's rules, as the window says them. */
export const PASSWORD_RULES = '至少 12 个字符，包含至少两类字符（小写字母、大写字母、数字、符号），不能是用户名，不能是演示密码。';
const USERNAME_RULE = '以小写字母开头，只含小写字母、数字和 _ . -，2–64 位；用于登录，创建后不能修改。';

/** The API's English rule texts for the fields it names, in Chinese. */
function translate(details: ErrorDetail[]): ErrorDetail[] {
  const password = details.filter((d) => d.path === 'body.password');
  const others = details.filter((d) => d.path !== 'body.password').map((d): ErrorDetail => {
    if (d.path === 'body.username') return { ...d, message: '用户名' + USERNAME_RULE.split('；')[0] };
    if (d.path === 'body.roles') return { ...d, message: '请至少选择一个角色' };
    if (d.path.startsWith('body.gridIds')) return { path: 'body.gridIds', message: '所选网格不属于本单位' };
    return d;
  });
  if (!password.length) return others;
  const text = password.map((d) => {
    const m = /at least (\d+) characters/.exec(d.message);
    if (m) return `至少 ${m[1]} 个字符`;
    if (/kind of character/.test(d.message)) return '至少包含两类字符（小写字母、大写字母、数字、符号）';
    if (/username/.test(d.message)) return '不能是用户名或以用户名为主';
    if (/demo password/.test(d.message)) return '不能使用演示密码';
    if (/>=1|required|Invalid input/i.test(d.message)) return '必填';
    return d.message;
  });
  return [...others, { path: 'body.password', message: '密码不符合要求：' + text.join('；') }];
}

const refusal = (e: unknown): unknown => (e instanceof ApiError && e.details.length ? new ApiError(e.status, e.code, e.message, translate(e.details)) : e);

/** Checkboxes for a list of choices; the first carries the API path so an error shows beside the group. */
export function checkGroup(legendText: string, options: [string, string][], selected: string[], path: string, attrs: { idPrefix: string; hint?: string }) {
  const boxes = options.map(([value, text], i) => {
    const box = el('input', { type: 'checkbox', value, id: `${attrs.idPrefix}-${i}`, checked: selected.includes(value) });
    if (i === 0) box.dataset.path = path;
    return el('label', { class: 'choice' }, box, text);
  });
  const errId = options.length ? `${attrs.idPrefix}-0-err` : uid('err');
  const node = el('fieldset', { class: 'field wide' }, el('legend', {}, legendText),
    options.length ? boxes : el('p', { class: 'muted' }, '（无可选项）'),
    attrs.hint ? el('p', { class: 'hint' }, attrs.hint) : null,
    el('p', { class: 'field-error', id: errId, 'aria-live': 'polite' }));
  return { node, values: () => boxes.map((b) => b.querySelector('input')!).filter((b) => b.checked).map((b) => b.value) };
}

/** Streets, each followed by its communities, for pickers. */
export function gridOptions(grids: AdminGrid[]): [string, string][] {
  const out: [string, string][] = [];
  for (const street of grids.filter((g) => g.level === 1)) {
    out.push([street.id, street.name]);
    for (const c of grids.filter((g) => g.parentId === street.id)) out.push([c.id, `${street.name} · ${c.name}`]);
  }
  return out;
}

export async function showUsers({ main, me }: PageContext): Promise<void> {
  const seq = currentRender();
  const [users, grids] = await Promise.all([
    get<{ items: AdminUser[] }>('/api/users').then((r) => r.items),
    get<{ items: AdminGrid[] }>('/api/grids').then((r) => r.items),
  ]);
  if (seq !== currentRender()) return;
  const gridName = new Map(grids.map((g) => [g.id, g.name]));
  const roleOptions = Object.entries(ROLE_NAMES);
  const gridChoices = gridOptions(grids);
  const reload = () => showUsers({ main, me } as PageContext);

  const editor = el('div', { id: 'user-editor' });
  const rows = users.map((u) => el('tr', { 'data-user': u.username },
    el('td', {}, u.displayName),
    el('td', {}, u.username),
    el('td', {}, u.roles.map((r) => label(ROLE_NAMES, r)).join('、') || '—'),
    el('td', {}, u.gridIds.map((g) => gridName.get(g) ?? '（其他单位网格）').join('、') || '—'),
    el('td', {}, u.email ?? '—'),
    el('td', {}, u.active ? '在用' : el('span', { class: 'tag danger' }, '已停用')),
    el('td', {}, el('button', { type: 'button', class: 'link', 'aria-label': `编辑 ${u.displayName}`, onclick: () => editUser(u) }, '编辑'))));

  function editUser(u: AdminUser): void {
    const status = el('p', { class: 'status', role: 'status' });
    const name = input({ id: 'edit-name', value: u.displayName, maxlength: 100 });
    const email = input({ id: 'edit-email', type: 'email', value: u.email ?? '', maxlength: 254 });
    const active = el('input', { type: 'checkbox', id: 'edit-active', checked: u.active });
    const roles = checkGroup('角色', roleOptions, u.roles, 'roles', { idPrefix: 'edit-role' });
    const grids = checkGroup('网格', gridChoices, u.gridIds, 'gridIds', { idPrefix: 'edit-grid', hint: '监察员只能看到所属网格（街道含其社区）的案件。' });
    const form = el('form', { novalidate: true, 'aria-label': `编辑用户 ${u.displayName}` },
      el('div', { class: 'grid' },
        field('姓名', name, { path: 'displayName', required: true }),
        field('电子邮箱', email, { path: 'email', hint: '用于接收待办和督办提醒；可留空。' }),
        el('div', { class: 'field' }, el('label', { class: 'choice' }, active, '在用（取消勾选即停用，停用后不能登录）'))),
      roles.node, grids.node,
      el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'primary' }, '保存修改'), el('button', { type: 'button', onclick: () => editor.replaceChildren() }, '关闭')),
      status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      try {
        await api('PATCH', `/api/users/${u.id}`, { displayName: name.value, email: email.value.trim() || null, active: active.checked, roles: roles.values(), gridIds: grids.values() });
        await reload();
        showDone(document.getElementById('users-status')!, `已保存 ${name.value} 的修改。`);
      } catch (e) {
        showRefusal(form, status, refusal(e), { CANNOT_DEACTIVATE_SELF: ['active', '不能停用自己的账号。'] });
      }
    });

    const pwStatus = el('p', { class: 'status', role: 'status' });
    const password = input({ id: 'reset-password', type: 'password', autocomplete: 'new-password', maxlength: 200 });
    const pwForm = el('form', { novalidate: true, 'aria-label': `重置 ${u.displayName} 的密码` },
      field('新密码', password, { path: 'password', required: true, hint: PASSWORD_RULES + '重置后该用户已登录的会话全部失效。' }),
      el('div', { class: 'form-actions' }, el('button', { type: 'submit' }, '重置密码')),
      pwStatus);
    pwForm.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(pwForm);
      try {
        await api('PATCH', `/api/users/${u.id}`, { password: password.value });
        password.value = '';
        showDone(pwStatus, `已重置 ${u.displayName} 的密码，请当面或通过安全渠道告知本人。`);
      } catch (e) {
        showRefusal(pwForm, pwStatus, refusal(e));
      }
    });
    editor.replaceChildren(el('section', { class: 'card', id: 'user-edit' },
      el('h2', {}, `编辑用户：${u.displayName}（${u.username}）`), form, el('h3', {}, '重置密码'), pwForm));
    name.focus();
  }

  const createStatus = el('p', { class: 'status', role: 'status' });
  const username = input({ id: 'new-username', autocomplete: 'off', maxlength: 64 });
  const displayName = input({ id: 'new-name', maxlength: 100 });
  const password = input({ id: 'new-password', type: 'password', autocomplete: 'new-password', maxlength: 200 });
  const newRoles = checkGroup('角色', roleOptions, [], 'roles', { idPrefix: 'new-role' });
  const newGrids = checkGroup('网格', gridChoices, [], 'gridIds', { idPrefix: 'new-grid', hint: '监察员和网格协管员须选择所属网格，只看所选网格；企业协管员看所选企业；其他角色看全单位，可不选。' });
  const create = el('form', { novalidate: true, 'aria-label': '新建用户', id: 'user-create' },
    el('div', { class: 'grid' },
      field('用户名', username, { path: 'username', required: true, hint: USERNAME_RULE }),
      field('姓名', displayName, { path: 'displayName', required: true }),
      field('初始密码', password, { path: 'password', required: true, hint: PASSWORD_RULES })),
    newRoles.node, newGrids.node,
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'primary' }, '创建用户')),
    createStatus);
  create.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(create);
    try {
      const u = await api<AdminUser>('POST', '/api/users', {
        username: username.value.trim(), displayName: displayName.value, password: password.value, roles: newRoles.values(), gridIds: newGrids.values(),
      });
      await reload();
      showDone(document.getElementById('users-status')!, `已创建用户 ${u.displayName}（${u.username}）。`);
    } catch (e) {
      showRefusal(create, createStatus, refusal(e), { USERNAME_TAKEN: ['username', '该用户名已被使用，请换一个。'] });
    }
  });

  main.replaceChildren(
    el('section', { class: 'card' },
      el('h1', { id: 'admin-title' }, '用户和角色'),
      adminNav('/admin/users'),
      el('p', { class: 'status', role: 'status', id: 'users-status' }),
      el('table', { id: 'users' },
        el('caption', { class: 'sr-only' }, '本单位用户'),
        el('thead', {}, el('tr', {}, ['姓名', '用户名', '角色', '网格', '电子邮箱', '状态', '操作'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, rows))),
    editor,
    el('section', { class: 'card' }, el('h2', {}, '新建用户'), create));
}
