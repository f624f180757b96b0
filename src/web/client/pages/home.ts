/** The landing page: who I am, what my role does first, recent cases I may see and the employer files. */
import { ApiError, get } from '../api';
import { el, fmtDateTime } from '../dom';
import { label, ROLE_NAMES, ROUTE_LABELS, STATUS_LABELS } from '../labels';
import type { PageContext } from '../router';
import { isHandler, isIntake, isOfficeWide } from '../session';
import type { CaseSummary } from '../types';

interface Grid { id: string; name: string; code: string }
interface Employer { id: string; name: string; creditCode: string | null; gridId: string | null; address: string }

async function recentCases(): Promise<CaseSummary[] | null> {
  try {
    return (await get<{ items: CaseSummary[] }>('/api/cases?limit=10')).items;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null; // the case search is not offered by this server
    throw e;
  }
}

async function openTaskCount(scope: 'mine' | 'group'): Promise<string> {
  const r = await get<{ items: unknown[]; nextCursor: string | null }>(`/api/tasks?scope=${scope}&limit=200`).catch(() => null);
  if (!r) return '—';
  return r.nextCursor ? `${r.items.length}+` : String(r.items.length);
}

export async function showHome({ me, main }: PageContext): Promise<void> {
  const [grids, employers, cases, mine, group] = await Promise.all([
    get<{ items: Grid[] }>('/api/grids').then((r) => r.items),
    get<{ items: Employer[] }>('/api/employers?limit=50').then((r) => r.items),
    recentCases(),
    openTaskCount('mine'),
    openTaskCount('group'),
  ]);
  const gridName = new Map(grids.map((g) => [g.id, g.name]));
  const myGrids = grids.filter((g) => me.gridIds.includes(g.id)).map((g) => g.name);

  const actions = el('div', { class: 'actions' });
  if (isIntake(me)) actions.append(el('a', { class: 'button primary', href: '/intake' }, '受理登记新投诉举报'));
  actions.append(el('a', { class: 'button', href: '/inbox' }, `我的待办（我的 ${mine}，组内 ${group}）`));

  const intro = isIntake(me) ? '登记窗口、电话、网上和网格员转来的投诉举报；登记前可查看同一用人单位的在办案件，再在待办中完成诉前引导分流。'
    : isHandler(me) ? '在待办中领取本网格的任务，填写表单办理；在案件页查看期限、文书、送达和流程进度。'
      : isOfficeWide(me) ? '查看全单位的待办和案件进度。'
        : me.roles.includes('grid_officer') ? '巡查本网格的用人单位，采集一户一档信息，处置本网格的预警。'
          : me.roles.includes('enterprise_coordinator') ? '查看所联系用人单位的档案，报告欠薪等隐患。' : '';

  // What the user sees: their grids, the whole office for office-wide roles, an enterprise coordinator's own employers.
  const coordinatorOnly = me.roles.every((r) => r === 'enterprise_coordinator');
  const scope = myGrids.length ? ['　网格：', myGrids.join('、')]
    : coordinatorOnly ? ['　负责的用人单位：', employers.map((e) => e.name).join('、') || '—']
      : isOfficeWide(me) || isIntake(me) ? ['　网格：', '全单位'] : ['　网格：', '—'];

  const casesSection = cases && el('section', { class: 'card', 'aria-labelledby': 'cases-title' },
    el('h2', { id: 'cases-title' }, '最近的案件'),
    cases.length === 0 ? el('p', { class: 'muted' }, '暂无案件。')
      : el('table', { id: 'recent-cases' },
        el('thead', {}, el('tr', {}, ['案件编号', '收到时间', '状态', '去向', '概要'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, cases.map((c) => el('tr', {},
          el('td', {}, el('a', { href: `/cases/${c.id}` }, c.caseNumber)),
          el('td', {}, fmtDateTime(c.receivedAt)),
          el('td', {}, label(STATUS_LABELS, c.status)),
          el('td', {}, label(ROUTE_LABELS, c.route ?? c.suggestedRoute)),
          el('td', { class: 'clip' }, c.summary))))));
  main.replaceChildren(
    el('section', { class: 'card', 'aria-labelledby': 'home-title' },
      el('h1', { id: 'home-title' }, `${me.displayName}，您好`),
      el('p', { id: 'scope' }, '单位：', me.office ? me.office.name : '—', ...scope),
      el('p', { id: 'roles' }, '角色：', me.roles.map((r) => el('span', { class: 'tag', 'data-role': r }, label(ROLE_NAMES, r)))),
      intro ? el('p', { class: 'muted' }, intro) : null,
      actions),
    ...(casesSection ? [casesSection] : []),
    el('section', { class: 'card', 'aria-labelledby': 'employers-title' },
      el('h2', { id: 'employers-title' }, '用人单位（一户一档）'),
      el('table', { id: 'employers' },
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, '单位名称'), el('th', { scope: 'col' }, '统一社会信用代码'), el('th', { scope: 'col' }, '网格'), el('th', { scope: 'col' }, '地址'))),
        el('tbody', {}, employers.map((e) => el('tr', {}, el('td', {}, el('a', { href: `/employers/${e.id}` }, e.name)), el('td', {}, e.creditCode || '—'), el('td', {}, (e.gridId && gridName.get(e.gridId)) || ''), el('td', {}, e.address)))))),
  );
}
