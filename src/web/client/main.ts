/**
 * The browser UI: a shell (top bar, menu per role) and a router over the History API. Unknown paths
 * are served index.html by the server, so every page has an address that can be bookmarked.
 */
import { api, ApiError, explain, get } from './api';
import { el, focusHeading } from './dom';
import { label, ROLE_NAMES } from './labels';
import { Me } from './session';
import { beginRender, currentRender, navigate, Page, setRoute } from './router';
import { showLogin } from './pages/login';
import { showHome } from './pages/home';
import { showIntake } from './pages/intake';
import { showInbox } from './pages/inbox';
import { showTask } from './pages/task';
import { showCase } from './pages/case';
import { showCases } from './pages/cases';
import { showNotFound } from './pages/not-found';
import { showSupervision } from './pages/supervision';
import { showEmployers } from './pages/employers';
import { showEmployer } from './pages/employer';
import { showGridStaff } from './pages/grid-staff';
import { showGridDashboard } from './pages/grid-dashboard';
import { showPatrols } from './pages/patrols';
import { showWarnings } from './pages/warnings';
import { showCreditListing, showCreditListings } from './pages/credit-listings';
import { showWrittenReview, showWrittenReviewEmployer, showWrittenReviews } from './pages/written-review';
import { showCreditGrading } from './pages/credit-grading';
import { showRandomDraw, showRandomDraws } from './pages/random-draws';
import { showPublication, showPublications } from './pages/publications';
import { showSignals } from './pages/signals';
// Registers the employer page's patrol and warning sections.
import './pages/employer-prevention';
import { EDITING_ROUTES, editingMenu } from './pages/editing-routes';
import { showDecisionEditor } from './pages/decision-editor';
import { ADMIN_ROUTES, adminMenu } from './pages/admin-routes';


const ROUTES: [RegExp, Page, string[]][] = [
  [/^\/$/, showHome, []],
  [/^\/intake$/, showIntake, []],
  [/^\/inbox$/, showInbox, []],
  [/^\/tasks\/(\d{1,19})$/, showTask, ['key']],
  [/^\/cases$/, showCases, []],
  [/^\/cases\/([0-9a-f-]{36})$/i, showCase, ['id']],
  [/^\/supervision$/, showSupervision, []],
  [/^\/employers$/, showEmployers, []],
  [/^\/employers\/([0-9a-f-]{36})$/i, showEmployer, ['id']],
  [/^\/grid-staff$/, showGridStaff, []],
  [/^\/grid-dashboard$/, showGridDashboard, []],
  [/^\/patrols$/, showPatrols, []],
  [/^\/warnings$/, showWarnings, []],
  [/^\/credit\/listings$/, showCreditListings, []],
  [/^\/credit\/listings\/([0-9a-f-]{36})$/i, showCreditListing, ['id']],
  [/^\/written-reviews$/, showWrittenReviews, []],
  [/^\/written-reviews\/employers\/([0-9a-f-]{36})$/i, showWrittenReviewEmployer, ['id']],
  [/^\/written-reviews\/([0-9a-f-]{36})$/i, showWrittenReview, ['id']],
  [/^\/credit\/grading$/, showCreditGrading, []],
  [/^\/credit\/grading\/([0-9a-f-]{36})$/i, showCreditGrading, ['id']],
  [/^\/random-draws$/, showRandomDraws, []],
  [/^\/random-draws\/([0-9a-f-]{36})$/i, showRandomDraw, ['id']],
  [/^\/publications$/, showPublications, []],
  [/^\/publications\/([0-9a-f-]{36})$/i, showPublication, ['id']],
  [/^\/signals$/, showSignals, []],
  [/^\/decision-tables\/([A-Za-z_][\w.-]{0,63})\/editor$/, showDecisionEditor, ['drgId']],
  ...EDITING_ROUTES,
  ...ADMIN_ROUTES,
];

const main = document.getElementById('main') as HTMLElement;
const nav = document.getElementById('nav') as HTMLElement;
const who = document.getElementById('who') as HTMLElement;
let me: Me | null = null;

function menu(user: Me): HTMLElement[] {
  const items: [string, string][] = [['/', '首页']];
  if (user.roles.includes('intake') || user.roles.includes('admin')) items.push(['/intake', '受理登记']);
  items.push(['/inbox', '我的待办']);
  items.push(['/cases', '案件查询']);
  items.push(['/employers', '用人单位']);
  if (!user.roles.every((r) => r === 'enterprise_coordinator')) items.push(['/grid-staff', '网格人员']);
  if (user.roles.includes('supervisor') || user.roles.includes('admin')) items.push(['/supervision', '督办'], ['/signals', '信号广播']);
  // Prevention (两网化): the dashboard and patrols for those who keep or oversee grids; warnings, or only the report form for an enterprise coordinator.
  if (user.roles.some((r) => ['handler', 'grid_officer', 'intake', 'legal', 'supervisor', 'admin'].includes(r))) {
    items.push(['/grid-dashboard', '网格监管'], ['/patrols', '日常巡查'], ['/warnings', '三色预警']);
  } else if (user.roles.includes('enterprise_coordinator')) items.push(['/warnings', '预警报告']);
  // Credit supervision: the joint-discipline list, for those who read employer files by grid.
  if (user.roles.some((r) => ['handler', 'grid_officer', 'intake', 'legal', 'supervisor', 'admin'].includes(r))) items.push(['/credit/listings', '失信名单'], ['/written-reviews', '书面审查'], ['/credit/grading', '诚信等级']);
  if (user.roles.some((r) => ['handler', 'intake', 'legal', 'supervisor', 'admin'].includes(r))) items.push(['/random-draws', '双随机抽查'], ['/publications', '重大违法公布']);
  items.push(...editingMenu(user));
  items.push(...adminMenu(user));
  return items.map(([href, text]) => el('a', { href, 'data-nav': href }, text));
}

function markCurrentNav(path: string): void {
  for (const a of nav.querySelectorAll('a')) {
    const href = a.getAttribute('href');
    if (href === path || (href !== '/' && path.startsWith(href + '/'))) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route(): Promise<void> {
  const seq = beginRender();
  if (!me) return;
  const path = location.pathname;
  markCurrentNav(path);
  for (const [re, page, names] of ROUTES) {
    const m = re.exec(path);
    if (!m) continue;
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
    main.replaceChildren(el('p', { class: 'muted', role: 'status' }, '正在加载…'));
    try {
      await page({ me, main, params, query: new URLSearchParams(location.search), navigate });
    } catch (e) {
      if (seq !== currentRender()) return;
      if (e instanceof ApiError && e.status === 401) return void start();
      if (e instanceof ApiError && e.status === 404) showNotFound(main, explain(e));
      else main.replaceChildren(el('section', { class: 'card' }, el('h1', {}, '出错了'), el('p', { class: 'error', role: 'alert' }, explain(e))));
    }
    if (seq === currentRender()) settle();
    return;
  }
  showNotFound(main);
  settle();
}

/** After a page is drawn: its title names it (browser history, screen readers) and focus starts at its heading. */
function settle(): void {
  const h1 = main.querySelector('h1')?.textContent?.trim();
  document.title = h1 ? `${h1} — 劳动保障监察案件管理` : '劳动保障监察案件管理';
  focusHeading(main);
}

async function start(): Promise<void> {
  try {
    me = await get<Me>('/api/session');
  } catch (e) {
    me = null;
    nav.replaceChildren();
    who.replaceChildren();
    if (e instanceof ApiError && e.status === 401) {
      showLogin(main, async () => start());
      return;
    }
    main.replaceChildren(el('p', { class: 'error', role: 'alert' }, '无法连接服务：' + explain(e)));
    return;
  }
  const user = me;
  who.replaceChildren(
    el('span', {}, `${user.displayName}（${user.roles.map((r) => label(ROLE_NAMES, r)).join('、')}）`),
    el('button', {
      class: 'link', type: 'button', id: 'logout',
      onclick: async () => {
        await api('DELETE', '/api/session').catch(() => undefined);
        me = null;
        nav.replaceChildren();
        who.replaceChildren();
        history.replaceState(null, '', '/');
        showLogin(main, async () => start(), '已退出。');
      },
    }, '退出'),
  );
  nav.replaceChildren(...menu(user));
  await route();
}

// Same-origin links move within the app without reloading; new tabs, downloads and the API are left alone.
document.addEventListener('click', (ev) => {
  if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const a = (ev.target as Element).closest?.('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  ev.preventDefault();
  navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => void route());
setRoute(route);

void start();
