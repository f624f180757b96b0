/**
 * 一户一档: one employer's file — each field with who collected it and when, what the grid still has to
 * collect, the change history, the employer's cases with their documents and deadlines (read-only,
 * linked to the case pages), moving the file to another grid, and the sections the prevention module
 * adds (patrols, warnings, grade, listings; ./employer-sections.ts).
 */
import { api, ApiError, explain, get } from '../api';
import { chinaToday, el, fmtDate, fmtDateTime, fmtYuan } from '../dom';
import { clearErrors, field, input, select, showApiErrors } from '../fields';
import { DEADLINE_STATE_LABELS, label, STATUS_LABELS } from '../labels';
import type { PageContext } from '../router';
import { currentRender } from '../router';
import { EMPLOYER_SLOTS, employerSections, EmployerSummary } from './employer-sections';

interface FieldDef { key: string; label: string; kind: 'text' | 'int' | 'enum' | 'bool' | 'fen'; group: string; options: Record<string, string> | null; required: boolean; max: number | null }
type Value = string | number | boolean | null;
interface EmployerFile extends EmployerSummary {
  creditCode: string | null;
  placedBy: string | null;
  fileComplete: boolean;
  fileCollectedAt: number | null;
  collected: Record<string, { by: string; at: number; source: string }>;
  missing: string[];
  responsibleStaff: { id: string; name: string; kind: string } | null;
  coordinatorUsers: string[];
  [key: string]: unknown;
}
interface HistoryEntry { id: number; field: string; oldValue: string | null; newValue: string | null; oldText: string | null; newText: string | null; by: string; at: number; source: string }
interface CaseItem {
  id: string; caseNumber: string; status: string; receivedAt: number; closedAt: number | null;
  documents: { id: string; title: string; number: string | null; issuedAt: number }[];
  deadlines: { rule: string; dueAt: number; state: string; provisional: boolean; explanation?: { ruleTitle?: string } }[];
}
interface Grid { id: string; name: string; level: number; parentId: string | null }

const GROUPS: [string, string][] = [['registration', '登记信息'], ['labour', '用工信息'], ['construction', '工程建设项目']];
const SOURCE_LABELS: Record<string, string> = { grid: '网格采集', intake: '窗口登记', import: '名册导入', admin: '管理员录入', rule: '地址规则' };

/** A value as a person reads it: labels for choices, 是/否, yuan for amounts. */
function show(f: FieldDef | undefined, v: Value | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  if (!f) return String(v);
  if (f.kind === 'bool') return v === true || v === 'true' || v === 1 ? '是' : '否';
  if (f.kind === 'enum') return f.options?.[String(v)] ?? '其他';
  if (f.kind === 'fen') return fmtYuan(Number(v) / 100);
  if (f.key === 'wagePayDay') return `每月${v}日`;
  return String(v);
}

export async function showEmployer(ctx: PageContext): Promise<void> {
  const { main, params } = ctx;
  const seq = currentRender();
  let file: EmployerFile;
  try {
    file = await get<EmployerFile>(`/api/employers/${params.id}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      main.replaceChildren(el('section', { class: 'card' }, el('h1', {}, '找不到该用人单位'), el('p', {}, '该单位不存在，或不在您负责的网格内。'), el('a', { href: '/employers' }, '返回用人单位列表')));
      return;
    }
    throw e;
  }
  const [fields, history, cases, grids] = await Promise.all([
    get<{ items: FieldDef[] }>('/api/employers/fields').then((r) => r.items),
    file.may.history ? get<{ items: HistoryEntry[] }>(`/api/employers/${file.id}/history`).then((r) => r.items) : Promise.resolve(null),
    file.may.cases ? get<{ items: CaseItem[] }>(`/api/employers/${file.id}/cases`).then((r) => r.items) : Promise.resolve(null),
    file.may.move ? get<{ items: Grid[] }>('/api/grids').then((r) => r.items) : Promise.resolve([] as Grid[]),
  ]);
  if (seq !== currentRender()) return;
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const reload = () => showEmployer(ctx);

  const header = el('section', { class: 'card', 'aria-labelledby': 'employer-title' },
    el('p', {}, el('a', { href: '/employers' }, '← 用人单位列表')),
    el('h1', { id: 'employer-title' }, file.name),
    el('p', {},
      '统一社会信用代码：', file.creditCode ?? '—',
      '　所属网格：', file.gridName ?? el('span', { class: 'tag danger' }, '未划入网格'),
      file.placedBy === 'rule' ? el('span', { class: 'muted' }, '（按地址规则划入）') : '',
      '　责任网格员：', file.responsibleStaff?.name ?? '—'),
    el('p', { id: 'employer-completeness' },
      file.fileComplete
        ? el('span', { class: 'tag' }, `信息完整，最早一项采集于${fmtDate(file.fileCollectedAt)}`)
        : el('span', { class: 'tag danger' }, `尚缺 ${file.missing.length} 项：${file.missing.map((k) => byKey.get(k)?.label ?? '').join('、')}`)),
    file.coordinatorUsers.length ? el('p', {}, '企业协管员账号：', file.coordinatorUsers.join('、')) : '');

  const fileTable = el('section', { class: 'card', 'aria-labelledby': 'file-title' },
    el('h2', { id: 'file-title' }, '档案信息'),
    ...GROUPS.map(([group, title]) => el('table', { class: 'file-group', 'data-group': group, style: 'table-layout: fixed; width: 100%' },
      el('caption', {}, title),
      el('thead', {}, el('tr', {}, ['项目', '内容', '采集人', '采集时间'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, fields.filter((f) => f.group === group).map((f) => {
        const c = file.collected[f.key];
        return el('tr', { 'data-field': f.key },
          el('th', { scope: 'row' }, f.label, f.required ? el('span', { class: 'muted', title: '信息采集率要求的项目' }, ' *') : ''),
          el('td', {}, show(f, file[f.key] as Value)),
          el('td', {}, c ? `${c.by}（${SOURCE_LABELS[c.source] ?? '其他'}）` : '—'),
          el('td', {}, c ? fmtDate(c.at) : '—'));
      })))),
    el('p', { class: 'muted' }, '* 为计算信息采集率所需的项目。'),
    file.may.update ? editForm(file, fields, reload) : '');

  const historySection = history && el('section', { class: 'card', 'aria-labelledby': 'history-title' },
    el('h2', { id: 'history-title' }, '变更记录'),
    history.length
      ? el('table', { id: 'employer-history' },
        el('thead', {}, el('tr', {}, ['时间', '项目', '原内容', '新内容', '变更人', '来源'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, history.map((h) => {
          const f = byKey.get(h.field);
          const text = (raw: string | null, named: string | null) => (h.field === 'gridId' || h.field === 'responsibleStaffId' ? named ?? '—' : show(f, parseHistory(f, raw)));
          return el('tr', {}, el('td', {}, fmtDateTime(h.at)), el('td', {}, f?.label ?? '其他'), el('td', {}, text(h.oldValue, h.oldText)), el('td', {}, text(h.newValue, h.newText)), el('td', {}, h.by), el('td', {}, SOURCE_LABELS[h.source] ?? '其他'));
        })))
      : el('p', { class: 'muted' }, '暂无变更记录。'));

  const casesSection = cases && el('section', { class: 'card', 'aria-labelledby': 'employer-cases-title' },
    el('h2', { id: 'employer-cases-title' }, '案件、文书和期限'),
    cases.length
      ? el('table', { id: 'employer-cases' },
        el('thead', {}, el('tr', {}, ['案件编号', '收到时间', '状态', '文书', '在办期限'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, cases.map((c) => el('tr', {},
          el('td', {}, el('a', { href: `/cases/${c.id}` }, c.caseNumber)),
          el('td', {}, fmtDateTime(c.receivedAt)),
          el('td', {}, label(STATUS_LABELS, c.status)),
          el('td', {}, c.documents.length ? el('ul', {}, c.documents.map((d) => el('li', {}, el('a', { href: `/api/documents/${d.id}/pdf`, target: '_blank' }, d.title), d.number ? `（${d.number}）` : ''))) : '—'),
          el('td', {}, c.deadlines.length ? el('ul', {}, c.deadlines.map((d) => el('li', {}, `${d.explanation?.ruleTitle ?? '期限'}：${fmtDateTime(d.dueAt)}`, d.provisional ? '（暂定）' : '', ` ${label(DEADLINE_STATE_LABELS, d.state)}`))) : '—')))))
      : el('p', { class: 'muted' }, '该单位没有您可查看的案件。'));

  // Only the grids the user may place files in: their own, or every grid for the office-wide keepers.
  const officeWide = ctx.me.roles.some((r) => r === 'intake' || r === 'admin');
  const targets = grids.filter((g) => g.id !== file.gridId && (officeWide || ctx.me.visibleGridIds.includes(g.id)));
  const moveSection = file.may.move && targets.length ? moveForm(file, grids, targets.map((g) => g.id), reload) : null;

  const extra: HTMLElement[] = [];
  const registered = employerSections();
  for (const slot of EMPLOYER_SLOTS) {
    const mine = registered.filter((s) => s.slot === slot.slot);
    if (!mine.length) {
      extra.push(el('section', { class: 'card', 'data-slot': slot.slot, 'aria-label': slot.title }, el('h2', {}, slot.title), el('p', { class: 'muted' }, '该功能尚未开通。')));
      continue;
    }
    for (const s of mine) {
      const node = await s.render(file, ctx).catch((e) => el('p', { class: 'field-error' }, explain(e)));
      if (node) extra.push(el('section', { class: 'card', 'data-slot': slot.slot, 'aria-label': s.title }, el('h2', {}, s.title), node));
    }
  }
  for (const s of registered.filter((x) => x.slot === 'other')) {
    const node = await s.render(file, ctx).catch((e) => el('p', { class: 'field-error' }, explain(e)));
    if (node) extra.push(el('section', { class: 'card', 'aria-label': s.title }, el('h2', {}, s.title), node));
  }
  if (seq !== currentRender()) return;
  main.replaceChildren(header, fileTable, ...(casesSection ? [casesSection] : []), ...extra, ...(historySection ? [historySection] : []), ...(moveSection ? [moveSection] : []));
}

/** History values are text: numbers and booleans back to their kind for display. */
function parseHistory(f: FieldDef | undefined, raw: string | null): Value {
  if (raw === null || !f) return raw;
  if (f.kind === 'bool') return raw === 'true' || raw === '1';
  if (f.kind === 'int' || f.kind === 'fen') return Number(raw);
  return raw;
}

function editForm(file: EmployerFile, fields: FieldDef[], reload: () => void): HTMLElement {
  const controls = new Map<string, HTMLInputElement | HTMLSelectElement>();
  const editable = fields.filter((f) => f.key !== 'gridId' && f.key !== 'responsibleStaffId');
  const today = chinaToday();
  const rows = editable.map((f) => {
    const v = file[f.key] as Value;
    let c: HTMLInputElement | HTMLSelectElement;
    if (f.kind === 'enum') c = select([['', '（未填）'], ...Object.entries(f.options ?? {})], { id: `edit-${f.key}` });
    else if (f.kind === 'bool') c = select([['', '（未填）'], ['true', '是'], ['false', '否']], { id: `edit-${f.key}` });
    else if (f.kind === 'int') c = input({ id: `edit-${f.key}`, type: 'number', min: f.key === 'wagePayDay' ? 1 : 0, max: f.max ?? undefined, step: 1 });
    else if (f.kind === 'fen') c = input({ id: `edit-${f.key}`, type: 'number', min: 0, step: '0.01' });
    else c = input({ id: `edit-${f.key}`, maxlength: f.max ?? undefined });
    c.value = v === null || v === undefined ? '' : f.kind === 'fen' ? (Number(v) / 100).toFixed(2) : String(v);
    c.dataset.path = `body.${f.key}`;
    controls.set(f.key, c);
    return field(f.kind === 'fen' ? `${f.label}（元）` : f.label, c);
  });
  const collectedOn = input({ id: 'edit-collectedOn', type: 'date', value: today, max: today });
  collectedOn.dataset.path = 'body.collectedOn';
  const status = el('p', { 'aria-live': 'polite' });
  const form = el('form', { id: 'employer-edit', 'aria-label': '修改档案' },
    el('div', { class: 'grid' }, ...rows, field('采集日期', collectedOn, { hint: '信息实际采集的日期，不能晚于今天' })),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'primary' }, '保存')), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body: Record<string, Value> = {};
    for (const f of editable) {
      const c = controls.get(f.key)!;
      const raw = c.value.trim();
      let v: Value = raw === '' ? null : raw;
      if (v !== null && f.kind === 'int') v = Number(raw);
      if (v !== null && f.kind === 'fen') v = Math.round(Number(raw) * 100);
      if (v !== null && f.kind === 'bool') v = raw === 'true';
      const old = file[f.key] as Value;
      if ((old ?? null) !== v) body[f.key] = v;
    }
    if (!Object.keys(body).length) { status.textContent = '没有修改。'; return; }
    if (collectedOn.value && collectedOn.value !== today) body.collectedOn = collectedOn.value;
    try {
      await api('PATCH', `/api/employers/${file.id}`, body);
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.details.length) showApiErrors(form, err.details);
      status.textContent = explain(err);
    }
  });
  return el('details', {}, el('summary', {}, '修改或补充档案信息'), form);
}

function moveForm(file: EmployerFile, grids: Grid[], allowed: string[], reload: () => void): HTMLElement {
  const options: [string, string][] = [];
  for (const street of grids.filter((g) => g.level === 1)) {
    options.push([street.id, street.name]);
    for (const c of grids.filter((g) => g.parentId === street.id)) options.push([c.id, `${street.name} · ${c.name}`]);
  }
  const target = select(options.filter(([id]) => allowed.includes(id)), { id: 'move-grid' });
  target.dataset.path = 'body.gridId';
  const reason = input({ id: 'move-reason', maxlength: 500, placeholder: '如：实际用工地点变更' });
  const status = el('p', { 'aria-live': 'polite' });
  const form = el('form', { id: 'employer-move', 'aria-label': '调整所属网格' },
    el('div', { class: 'grid' }, field('调入网格', target), field('原因', reason, { wide: true })),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit' }, file.gridId ? '调整网格' : '划入网格')), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    try {
      await api('POST', `/api/employers/${file.id}/move`, { gridId: target.value, ...(reason.value.trim() ? { reason: reason.value.trim() } : {}) });
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.details.length) showApiErrors(form, err.details);
      status.textContent = err instanceof ApiError && err.code === 'VALIDATION_FAILED' ? '只能调入您负责的网格。' : explain(err);
    }
  });
  return el('section', { class: 'card', 'aria-labelledby': 'move-title' },
    el('h2', { id: 'move-title' }, file.gridId ? '调整所属网格' : '划入网格'),
    el('p', { class: 'muted' }, '调整后档案和变更记录随单位一并转入新网格。'), form);
}
