/**
 * 我的待办: my tasks and my groups' tasks with their urgency, case and employer; filters by case, due
 * date and task type; sorting; keyset paging with the API's cursor; claim and give back in place.
 * The filters live in the address, so a filtered inbox can be bookmarked and the back button works.
 */
import { ApiError, explain, get, post, query } from '../api';
import { chinaDayEndIso, el, fmtDateTime } from '../dom';
import { taskUrgencies, Urgency, URGENCY_LABELS } from '../due';
import { field, input, select } from '../fields';
import type { PageContext } from '../router';
import { isOfficeWide } from '../session';
import { casesOfTasks } from '../task-cases';
import type { CaseSummary, Task, TaskCase } from '../types';

type Sort = 'due' | 'created' | 'case';
/** Tasks per page; `?limit=` overrides it (tests page through a few tasks). */
const PAGE = 25;

interface Page { items: Task[]; nextCursor: string | null; people?: Record<string, string> }

async function tasksOfCase(caseNumber: string, scope: string, state: string, dueBefore: string | undefined, people: Record<string, string>): Promise<Task[] | null> {
  const found = (await get<{ items: CaseSummary[] }>('/api/cases' + query({ q: caseNumber, limit: 5 }))).items;
  const c = found.find((x) => x.caseNumber === caseNumber) ?? (found.length === 1 ? found[0] : undefined);
  if (!c) return null;
  let keys: string[];
  try {
    keys = (await get<{ items: { processInstanceKey: string }[] }>(`/api/cases/${c.id}/processes`)).items.map((p) => p.processInstanceKey);
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'ROUTE_NOT_FOUND')) throw e;
    keys = (await get<{ processes: { processInstanceKey: string }[] }>(`/api/cases/${c.id}`)).processes.map((p) => p.processInstanceKey);
  }
  const pages = await Promise.all(keys.map((k) => get<Page>('/api/tasks' + query({ scope, state, processInstanceKey: k, dueBefore, limit: 200 }))));
  for (const p of pages) Object.assign(people, p.people);
  return pages.flatMap((p) => p.items);
}

export async function showInbox({ me, main, query: q, navigate }: PageContext): Promise<void> {
  const asked = q.get('scope') ?? '';
  let scope = ['mine', 'group', 'all'].includes(asked) && (asked !== 'all' || isOfficeWide(me)) ? asked : '';
  // Without a choice: my own tasks when I hold any, else what my groups may claim.
  if (!scope) scope = (await get<Page>('/api/tasks?scope=mine&limit=1')).items.length ? 'mine' : 'group';
  const state = q.get('state') === 'completed' ? 'completed' : 'open';
  const caseNumber = q.get('case')?.trim() ?? '';
  const due = /^\d{4}-\d{2}-\d{2}$/.test(q.get('due') ?? '') ? q.get('due')! : '';
  const type = q.get('type') ?? '';
  const sort: Sort = (['due', 'created', 'case'] as const).find((s) => s === q.get('sort')) ?? 'due';
  const cursor = /^\d{1,19}$/.test(q.get('cursor') ?? '') ? q.get('cursor')! : '';
  const prev = (q.get('prev') ?? '').split(',').filter(Boolean);
  const dueBefore = due ? chinaDayEndIso(due) : undefined;

  let tasks: Task[];
  let nextCursor: string | null = null;
  // Display names of the assignees, by username (the task answers carry them).
  const people: Record<string, string> = {};
  let caseMissing = false;
  if (caseNumber) {
    const found = await tasksOfCase(caseNumber, scope, state, dueBefore, people);
    caseMissing = found === null;
    tasks = found ?? [];
  } else {
    const limit = Math.min(200, Math.max(1, Number(q.get('limit')) || PAGE));
    const page = await get<Page>('/api/tasks' + query({ scope, state, dueBefore, cursor: cursor || undefined, limit }));
    tasks = page.items;
    nextCursor = page.nextCursor;
    Object.assign(people, page.people);
  }
  const [cases, urgencies, jammed] = await Promise.all([casesOfTasks(tasks), state === 'open' ? taskUrgencies(tasks.map((t) => t.key)) : Promise.resolve(new Map<string, Urgency>()),
    // Cases with a stopped step (流程故障): flagged so their handler goes to the case page and repairs it.
    get<{ items: { caseId: string; steps: string[] }[] }>('/api/incidents/cases').then((r) => new Map(r.items.map((i) => [i.caseId, i.steps]))).catch(() => new Map<string, string[]>())]);
  const types = [...new Set(tasks.map((t) => t.name ?? t.elementId))].sort();
  const shown = tasks.filter((t) => !type || (t.name ?? t.elementId) === type);
  const caseOf = (t: Task): TaskCase | undefined => cases.get(t.key);
  const dueMs = (t: Task) => (t.dueDate ? Date.parse(t.dueDate) : Infinity);
  shown.sort(sort === 'created' ? (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt)
    : sort === 'case' ? (a, b) => (caseOf(a)?.caseNumber ?? '').localeCompare(caseOf(b)?.caseNumber ?? '', 'zh-CN') || dueMs(a) - dueMs(b)
      : (a, b) => dueMs(a) - dueMs(b) || Number(a.key) - Number(b.key));

  const status = el('p', { class: 'status', role: 'status', id: 'inbox-status' });
  const go = (changes: Record<string, string | undefined>, keepPaging = false) => {
    const params = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) if (v) params.set(k, v); else params.delete(k);
    if (!keepPaging) { params.delete('cursor'); params.delete('prev'); }
    navigate('/inbox' + (params.toString() ? '?' + params : ''));
  };

  // Filters: a form, so Enter applies them and every control has its label.
  const scopeSel = select([['mine', '我的任务'], ['group', '我所在组的任务'], ...(isOfficeWide(me) ? [['all', '全单位'] as [string, string]] : [])], { id: 'f-scope' });
  scopeSel.value = scope;
  const stateSel = select([['open', '待办理'], ['completed', '已办结']], { id: 'f-state' });
  stateSel.value = state;
  const caseInput = input({ id: 'f-case', value: caseNumber, placeholder: '完整案件编号', autocomplete: 'off' });
  const dueInput = input({ id: 'f-due', type: 'date', value: due });
  const typeSel = select([['', '全部'], ...types.map((t): [string, string] => [t, t]), ...(type && !types.includes(type) ? [[type, type] as [string, string]] : [])], { id: 'f-type' });
  typeSel.value = type;
  const sortSel = select([['due', '截止时间'], ['created', '到达时间'], ['case', '案件编号']], { id: 'f-sort' });
  sortSel.value = sort;
  const filters = el('form', { class: 'filters', id: 'inbox-filters', 'aria-label': '筛选和排序' },
    field('范围', scopeSel), field('状态', stateSel), field('案件编号', caseInput), field('截止日期不晚于', dueInput),
    field('任务类型（本页）', typeSel), field('排序', sortSel),
    el('div', { class: 'filter-actions' }, el('button', { type: 'submit', class: 'primary' }, '筛选'),
      el('button', { type: 'button', class: 'link', onclick: () => navigate('/inbox') }, '清除筛选')));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go({ scope: scopeSel.value, state: stateSel.value, case: caseInput.value.trim() || undefined, due: dueInput.value || undefined, type: typeSel.value || undefined, sort: sortSel.value === 'due' ? undefined : sortSel.value });
  });
  // Sort and type only rearrange this page; apply them at once.
  sortSel.addEventListener('change', () => go({ sort: sortSel.value === 'due' ? undefined : sortSel.value }, true));
  typeSel.addEventListener('change', () => go({ type: typeSel.value || undefined }, true));

  const body = el('tbody');
  const render = () => {
    body.replaceChildren(...shown.map((t) => row(t)));
    if (!shown.length) body.append(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, caseMissing ? `没有找到案件“${caseNumber}”，或不在您的管辖范围内。` : '没有符合条件的任务。')));
  };

  function row(t: Task): HTMLTableRowElement {
    const c = caseOf(t);
    const u = urgencies.get(t.key) ?? 'none';
    const actions = el('div', { class: 'row-actions' });
    if (state === 'open') {
      if (!t.assignee) actions.append(el('button', { type: 'button', 'data-action': 'claim', onclick: () => act(t, 'claim') }, '领取'));
      else if (t.assignee === me.username) actions.append(el('button', { type: 'button', 'data-action': 'unclaim', onclick: () => act(t, 'unclaim') }, '退回'));
    }
    actions.append(el('a', { class: 'button', href: `/tasks/${t.key}` }, state === 'open' ? '办理' : '查看'));
    return el('tr', { 'data-task': t.key, class: 'urgency-' + u },
      el('td', {}, u !== 'none' ? el('span', { class: 'badge ' + u }, URGENCY_LABELS[u]) : null, ' ', t.dueDate ? fmtDateTime(t.dueDate) : el('span', { class: 'muted' }, '无期限')),
      el('td', {}, c ? el('a', { href: `/cases/${c.caseId}` }, c.caseNumber) : '—',
        c && jammed.has(c.caseId) ? el('span', { class: 'tag danger', 'data-incident': 'true', title: `已停止的步骤：${jammed.get(c.caseId)!.join('、')}` }, '流程故障') : null),
      el('td', {}, c?.employerName ?? '—'),
      el('td', {}, el('a', { href: `/tasks/${t.key}`, class: 'task-name' }, t.name ?? t.elementId)),
      el('td', {}, t.assignee ? (t.assignee === me.username ? '我' : people[t.assignee] ?? '其他用户') : el('span', { class: 'muted' }, '未领取')),
      el('td', {}, actions));
  }

  async function act(t: Task, action: 'claim' | 'unclaim'): Promise<void> {
    status.textContent = '';
    status.classList.remove('error');
    try {
      const after = await post<Task>(`/api/tasks/${t.key}/${action}`);
      Object.assign(t, { assignee: after.assignee });
      status.textContent = action === 'claim' ? `已领取“${t.name ?? t.elementId}”。` : `已退回“${t.name ?? t.elementId}”，组内其他人可以领取。`;
    } catch (e) {
      status.classList.add('error');
      status.textContent = explain(e);
      // Someone else acted first: show the task as it is now, or drop it when it is gone.
      const fresh = await get<Task>(`/api/tasks/${t.key}`).catch(() => null);
      if (!fresh || fresh.state !== 'created') shown.splice(shown.indexOf(t), 1);
      else Object.assign(t, { assignee: fresh.assignee });
    }
    render();
    const again = body.querySelector<HTMLElement>(`tr[data-task="${t.key}"] button, tr[data-task="${t.key}"] a.button`);
    again?.focus();
  }

  render();
  const paging = el('nav', { class: 'paging', 'aria-label': '翻页' },
    // `prev` holds the cursors of the pages before this one; '-' stands for the first page (no cursor).
    prev.length || cursor ? el('button', { type: 'button', id: 'prev-page', onclick: () => go({ cursor: prev.at(-1) === '-' ? undefined : prev.at(-1), prev: prev.slice(0, -1).join(',') || undefined }, true) }, '上一页') : null,
    nextCursor ? el('button', { type: 'button', id: 'next-page', onclick: () => go({ cursor: nextCursor!, prev: [...prev, cursor || '-'].join(',') }, true) }, '下一页') : null);

  main.replaceChildren(el('section', { class: 'card', 'aria-labelledby': 'inbox-title' },
    el('h1', { id: 'inbox-title' }, '我的待办'),
    filters,
    el('p', { class: 'legend' }, '期限颜色：', el('span', { class: 'badge soon' }, URGENCY_LABELS.soon), ' ', el('span', { class: 'badge today' }, URGENCY_LABELS.today),
      ' ', el('span', { class: 'badge overdue' }, URGENCY_LABELS.overdue), ' ', el('span', { class: 'badge serious' }, URGENCY_LABELS.serious)),
    status,
    el('table', { id: 'tasks' },
      el('caption', { class: 'sr-only' }, '任务列表'),
      el('thead', {}, el('tr', {}, ['截止时间', '案件编号', '用人单位', '任务', '办理人', '操作'].map((h) => el('th', { scope: 'col' }, h)))),
      body),
    paging));
}
