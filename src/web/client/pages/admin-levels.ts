/**
 * 服务时限 (read-only): the service levels in force, as config/service-levels.json declares them (the
 * statutory periods they reference are already resolved to figures by the server). Changing them is a
 * configuration change, not a console action.
 */
import { get } from '../api';
import { el } from '../dom';
import { currentRender, type PageContext } from '../router';
import { adminNav } from './admin-common';

interface Span { count: number; unit: 'workingDays' | 'calendarDays' }
type Action =
  | { kind: 'notifyAssignee' } | { kind: 'notifySupervisor' } | { kind: 'raisePriority'; by: number }
  | { kind: 'reassignToGroup'; group: string } | { kind: 'supervise'; dueIn: Span; owner: string };
interface Level {
  id: string; title: string;
  appliesTo: { subject: 'task' | 'deadline' };
  /** A case deadline set by law, or one of the office's own targets (e.g. closing wage arrears in 7 days). */
  basis?: 'statutory' | 'office';
  deadline: Span; goal: Span; red: Span;
  passedDeadline: { every: Span; repeat: number };
  actions: { goal: Action[]; deadline: Action[]; passedDeadline: { action: Action; fromRepeat: number }[] };
}

const span = (s: Span) => `${s.count}${s.unit === 'workingDays' ? '个工作日' : '日'}`;
const GROUPS: Record<string, string> = {
  $grid: '案件所属街道', handler: '监察员', intake: '窗口受理', legal: '法制审核', supervisor: '大队长/科长', admin: '系统管理员',
};

function action(a: Action): string {
  switch (a.kind) {
    case 'notifyAssignee': return '提醒承办人';
    case 'notifySupervisor': return '提醒大队长/科长';
    case 'raisePriority': return `优先级提高${a.by}级`;
    case 'reassignToGroup': return `改派给${GROUPS[a.group] ?? '指定网格'}`;
    case 'supervise': return `挂牌督办（${span(a.dueIn)}内办结，责任人：${GROUPS[a.owner] ?? '指定人员'}）`;
  }
}
const actions = (list: Action[]) => list.map(action).join('、') || '—';

export async function showLevels({ main }: PageContext): Promise<void> {
  const seq = currentRender();
  const levels = (await get<{ items: Level[] }>('/api/supervision/levels')).items;
  if (seq !== currentRender()) return;
  main.replaceChildren(el('section', { class: 'card' },
    el('h1', { id: 'admin-title' }, '服务时限'),
    adminNav('/admin/levels'),
    el('p', { class: 'muted' }, '只读。服务时限在配置文件中设定；法定期限按法律规定计算，本表的“期限”对没有法定期限的任务适用。'),
    el('table', { id: 'levels' },
      el('caption', { class: 'sr-only' }, '服务时限'),
      el('thead', {}, el('tr', {}, ['名称', '适用于', '期限', '黄色预警', '红色（逾期）', '逾期后', '预警时', '到期时'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, levels.map((l) => el('tr', { 'data-level': l.id },
        el('th', { scope: 'row' }, l.title),
        el('td', { class: 'applies-to' }, l.appliesTo.subject === 'task' ? '办理任务' : l.basis === 'office' ? '本单位目标期限' : '法定期限'),
        el('td', {}, span(l.deadline)),
        el('td', {}, `到期前${span(l.goal)}`),
        el('td', {}, `逾期${span(l.red)}`),
        el('td', {}, `每${span(l.passedDeadline.every)}提醒，最多${l.passedDeadline.repeat}次`, l.actions.passedDeadline.length ? `；${l.actions.passedDeadline.map((p) => `第${p.fromRepeat}次起${action(p.action)}`).join('；')}` : ''),
        el('td', {}, actions(l.actions.goal)),
        el('td', {}, actions(l.actions.deadline))))))));
}
