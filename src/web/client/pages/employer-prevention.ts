/**
 * The employer page's patrols and warnings (its slots in employer-sections.ts): the employer's patrols
 * with their outcome and its warnings with their colour and state, read from the same lists as the
 * 日常巡查 and 三色预警 pages, so the page shows only what the user's grids allow.
 */
import { get, query } from '../api';
import { el, fmtDate } from '../dom';
import { registerEmployerSection } from './employer-sections';
import { colourBadge, PATROL_OUTCOMES, PATROL_STATES, WARNING_RESULTS, WARNING_SOURCES, type WarningColour } from './prevention-common';

interface Patrol { id: string; period: string; state: string; dueAt: number; doneAt: number | null; doneByName: string | null; outcome: string | null; task: { key: string } | null }
interface Warning { id: string; colour: WarningColour; source: string; state: 'open' | 'closed'; reasons: string[]; openedAt: number; result: string | null; task: { key: string } | null }

registerEmployerSection({
  slot: 'patrols', title: '日常巡查',
  async render(employer, { me }) {
    if (me.roles.every((r) => r === 'enterprise_coordinator')) return null;
    const { items } = await get<{ items: Patrol[] }>('/api/prevention/patrols' + query({ employerId: employer.id, limit: 50 }));
    if (!items.length) return el('p', { id: 'employer-patrols' }, '暂无巡查记录。');
    return el('table', { class: 'table', id: 'employer-patrols' },
      el('thead', {}, el('tr', {}, ['巡查期限', '状态', '巡查人', '巡查日期', '处理结果', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, items.map((p) => el('tr', {}, el('td', {}, fmtDate(p.dueAt)), el('td', {}, PATROL_STATES[p.state] ?? '—'), el('td', {}, p.doneByName ?? '—'),
        el('td', {}, p.doneAt ? fmtDate(p.doneAt) : '—'), el('td', {}, p.state === 'done' ? PATROL_OUTCOMES[p.outcome ?? 'none'] ?? '—' : '—'),
        el('td', {}, p.task ? el('a', { href: `/tasks/${p.task.key}` }, p.state === 'planned' ? '去巡查' : '去复查') : '')))));
  },
});

registerEmployerSection({
  slot: 'warnings', title: '三色预警',
  async render(employer, { me }) {
    if (me.roles.every((r) => r === 'enterprise_coordinator')) return null;
    const { items } = await get<{ items: Warning[] }>('/api/prevention/warnings' + query({ employerId: employer.id, limit: 50 }));
    // Open ones first, then the closed, each newest first.
    const all = [...items].sort((a, b) => (a.state === b.state ? b.openedAt - a.openedAt : a.state === 'open' ? -1 : 1));
    if (!all.length) return el('p', { id: 'employer-warnings' }, '暂无预警。');
    return el('table', { class: 'table', id: 'employer-warnings' },
      el('thead', {}, el('tr', {}, ['预警', '来源', '原因', '发出日期', '状态', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, all.map((w) => el('tr', {}, el('td', {}, colourBadge(w.colour)), el('td', {}, WARNING_SOURCES[w.source] ?? '—'), el('td', {}, w.reasons.join('；')),
        el('td', {}, fmtDate(w.openedAt)), el('td', {}, w.state === 'open' ? '处置中' : WARNING_RESULTS[w.result ?? ''] ?? '已关闭'),
        el('td', {}, w.task ? el('a', { href: `/tasks/${w.task.key}` }, '去处置') : '')))));
  },
});
