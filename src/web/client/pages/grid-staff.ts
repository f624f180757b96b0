/**
 * 网格人员和划片规则: the grids' people by kind with their training (admin adds people and training
 * records), the address rules that place employers in grids, and the employers no rule has placed yet,
 * with a button that runs the rules again. Office-wide readers see it read-only.
 */
import { api, ApiError, explain, get } from '../api';
import { chinaDayStartIso, el, fmtDate } from '../dom';
import { clearErrors, field, input, select, showApiErrors } from '../fields';
import type { PageContext } from '../router';
import { currentRender } from '../router';

interface Grid { id: string; name: string; level: number; parentId: string | null }
interface Staff { id: string; gridId: string; gridName: string; kind: string; name: string; phone: string | null; userName: string | null; employerName: string | null; active: boolean; trainingHours: number; trainings: { id: string; course: string; trainedOn: string; hours: number }[] }
interface Rule { id: string; gridId: string; kind: 'street' | 'community'; street: string | null; numberFrom: number | null; numberTo: number | null; parity: string; community: string | null }

export const STAFF_KIND_LABELS: Record<string, string> = {
  full_time_inspector: '专职监察员', part_time_inspector: '兼职监察员', grid_assistant: '协管员', enterprise_coordinator: '企业协管员',
};
const PARITY_LABELS: Record<string, string> = { all: '全部门牌', odd: '单号', even: '双号' };

function gridChoices(grids: Grid[]): [string, string][] {
  const out: [string, string][] = [];
  for (const street of grids.filter((g) => g.level === 1)) {
    out.push([street.id, street.name]);
    for (const c of grids.filter((g) => g.parentId === street.id)) out.push([c.id, `${street.name} · ${c.name}`]);
  }
  return out;
}

async function submit(form: HTMLFormElement, status: HTMLElement, call: () => Promise<unknown>, reload: () => void): Promise<void> {
  clearErrors(form);
  try {
    await call();
    reload();
  } catch (e) {
    if (e instanceof ApiError && e.details.length) showApiErrors(form, e.details);
    status.textContent = explain(e);
  }
}

export async function showGridStaff(ctx: PageContext): Promise<void> {
  const { main, me } = ctx;
  const seq = currentRender();
  const isAdmin = me.roles.includes('admin');
  const mayRules = isAdmin || me.roles.includes('intake') || me.roles.includes('supervisor');
  const [grids, staff, rules, unplaced] = await Promise.all([
    get<{ items: Grid[] }>('/api/grids').then((r) => r.items),
    get<{ items: Staff[] }>('/api/grid-staff').then((r) => r.items),
    mayRules ? get<{ items: Rule[] }>('/api/address-rules').then((r) => r.items) : Promise.resolve(null),
    mayRules ? get<{ items: { id: string; name: string; address: string }[] }>('/api/employers?unplaced=1&limit=50').then((r) => r.items) : Promise.resolve(null),
  ]);
  if (seq !== currentRender()) return;
  const gridName = new Map(gridChoices(grids));
  const reload = () => showGridStaff(ctx);

  const staffTable = staff.length
    ? el('table', { id: 'grid-staff' },
      el('thead', {}, el('tr', {}, ['网格', '类别', '姓名', '电话', '系统账号', '所在单位', '培训', '状态'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, staff.map((s) => el('tr', { 'data-staff': s.id },
        el('td', {}, s.gridName), el('td', {}, STAFF_KIND_LABELS[s.kind] ?? '其他'), el('td', {}, s.name), el('td', {}, s.phone ?? '—'),
        el('td', {}, s.userName ?? '—'), el('td', {}, s.employerName ?? '—'),
        el('td', {}, s.trainings.length
          ? el('details', {}, el('summary', {}, `${s.trainings.length} 次，共 ${s.trainingHours} 学时`),
            el('ul', {}, s.trainings.map((t) => el('li', {}, `${fmtDate(chinaDayStartIso(t.trainedOn))} ${t.course}（${t.hours} 学时）`))))
          : '未培训',
        isAdmin ? trainingForm(s, reload) : ''),
        el('td', {}, s.active ? '在岗' : '已离岗')))))
    : el('p', { class: 'muted' }, '暂无网格人员。');

  const sections: HTMLElement[] = [
    el('section', { class: 'card', 'aria-labelledby': 'staff-title' },
      el('h1', { id: 'staff-title' }, '网格人员和培训'),
      el('p', { class: 'muted' }, '一级网格（街道）和二级网格（社区、村）的专职、兼职监察员，协管员和企业协管员。'),
      staffTable, isAdmin ? staffForm(grids, reload) : ''),
  ];
  if (rules) {
    sections.push(el('section', { class: 'card', 'aria-labelledby': 'rules-title' },
      el('h2', { id: 'rules-title' }, '划片规则'),
      el('p', { class: 'muted' }, '按用工地址把用人单位划入网格：街道（路）名加门牌号范围，或社区、村名称；社区规则优先，其次是有门牌范围的规则。'),
      rules.length
        ? el('table', { id: 'address-rules' },
          el('thead', {}, el('tr', {}, ['网格', '规则', isAdmin ? '操作' : ''].map((h) => el('th', { scope: 'col' }, h)))),
          el('tbody', {}, rules.map((r) => el('tr', {},
            el('td', {}, gridName.get(r.gridId) ?? '—'),
            el('td', {}, r.kind === 'community' ? `地址含“${r.community}”` : r.numberFrom !== null ? `${r.street} ${r.numberFrom}–${r.numberTo} 号（${PARITY_LABELS[r.parity]}）` : `${r.street}（全部门牌）`),
            el('td', {}, isAdmin ? el('button', { type: 'button', onclick: async () => { await api('DELETE', `/api/address-rules/${r.id}`); reload(); } }, '删除') : '')))))
        : el('p', { class: 'muted' }, '尚无划片规则。'),
      isAdmin ? ruleForm(grids, reload) : ''));
  }
  if (unplaced) {
    const status = el('p', { 'aria-live': 'polite' });
    sections.push(el('section', { class: 'card', 'aria-labelledby': 'unplaced-title' },
      el('h2', { id: 'unplaced-title' }, '未划入网格的用人单位'),
      unplaced.length
        ? el('ul', { id: 'unplaced' }, unplaced.map((e) => el('li', {}, el('a', { href: `/employers/${e.id}` }, e.name), `　${e.address}`)))
        : el('p', { class: 'muted' }, '所有用人单位都已划入网格。'),
      unplaced.length && (isAdmin || me.roles.includes('intake'))
        ? el('div', { class: 'actions' }, el('button', { type: 'button', id: 'place-by-rules', onclick: async () => {
          try {
            const r = await api<{ placed: number; remaining: number }>('POST', '/api/employers/place-by-rules', {});
            status.textContent = `按规则划入 ${r.placed} 家，仍有 ${r.remaining} 家需人工划入。`;
            setTimeout(reload, 1500);
          } catch (e) { status.textContent = explain(e); }
        } }, '按划片规则重新划入'), el('a', { class: 'button', href: '/employers?unplaced=1' }, '逐个划入'))
        : '',
      status));
  }
  main.replaceChildren(...sections);
}

function staffForm(grids: Grid[], reload: () => void): HTMLElement {
  const grid = select(gridChoices(grids), { id: 'staff-grid' });
  grid.dataset.path = 'body.gridId';
  const kind = select(Object.entries(STAFF_KIND_LABELS), { id: 'staff-kind' });
  const name = input({ id: 'staff-name', maxlength: 100 });
  name.dataset.path = 'body.name';
  const phone = input({ id: 'staff-phone', maxlength: 40 });
  phone.dataset.path = 'body.phone';
  const status = el('p', { 'aria-live': 'polite' });
  const form = el('form', { id: 'staff-add' }, el('div', { class: 'grid' }, field('网格', grid), field('类别', kind), field('姓名', name, { required: true }), field('电话', phone)),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'primary' }, '添加人员')), status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit(form, status, () => api('POST', '/api/grid-staff', { gridId: grid.value, kind: kind.value, name: name.value.trim(), phone: phone.value.trim() || null }), reload);
  });
  return el('details', {}, el('summary', {}, '添加网格人员'), form);
}

function trainingForm(s: Staff, reload: () => void): HTMLElement {
  const course = input({ id: `training-course-${s.id}`, maxlength: 200 });
  course.dataset.path = 'body.course';
  const day = input({ id: `training-day-${s.id}`, type: 'date' });
  day.dataset.path = 'body.trainedOn';
  const hours = input({ id: `training-hours-${s.id}`, type: 'number', min: 0.5, step: 0.5, value: 2 });
  hours.dataset.path = 'body.hours';
  const status = el('p', { 'aria-live': 'polite' });
  const form = el('form', {}, field('课程', course), field('日期', day), field('学时', hours), el('button', { type: 'submit' }, '记录培训'), status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void submit(form, status, () => api('POST', `/api/grid-staff/${s.id}/trainings`, { course: course.value.trim(), trainedOn: day.value, hours: Number(hours.value) }), reload);
  });
  return el('details', {}, el('summary', {}, '记录培训'), form);
}

function ruleForm(grids: Grid[], reload: () => void): HTMLElement {
  const grid = select(gridChoices(grids), { id: 'rule-grid' });
  const kind = select([['street', '街道（路）和门牌号'], ['community', '社区、村名称']], { id: 'rule-kind' });
  const street = input({ id: 'rule-street', maxlength: 100, placeholder: '如：解放路' });
  street.dataset.path = 'body.street';
  const from = input({ id: 'rule-from', type: 'number', min: 1 });
  from.dataset.path = 'body.numberFrom';
  const to = input({ id: 'rule-to', type: 'number', min: 1 });
  to.dataset.path = 'body.numberTo';
  const parity = select(Object.entries(PARITY_LABELS), { id: 'rule-parity' });
  const community = input({ id: 'rule-community', maxlength: 100, placeholder: '如：铭功路社区' });
  community.dataset.path = 'body.community';
  const status = el('p', { 'aria-live': 'polite' });
  const form = el('form', { id: 'rule-add' },
    el('div', { class: 'grid' }, field('网格', grid), field('规则类型', kind), field('街道（路）', street), field('门牌号自', from), field('至', to), field('单双号', parity), field('社区、村名称', community)),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'primary' }, '添加规则')), status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = kind.value === 'community'
      ? { gridId: grid.value, kind: 'community', community: community.value.trim() || undefined }
      : { gridId: grid.value, kind: 'street', street: street.value.trim() || undefined, parity: parity.value, ...(from.value ? { numberFrom: Number(from.value) } : {}), ...(to.value ? { numberTo: Number(to.value) } : {}) };
    void submit(form, status, () => api('POST', '/api/address-rules', body), reload);
  });
  return el('details', {}, el('summary', {}, '添加划片规则'), form);
}
