/**
 * 日常巡查: the patrols of the grids the user sees — plan a grid's month (those who keep a grid), the
 * patrols to do with a link to their task (the checklist form renders on the task page), and those
 * done with their outcome, the order issued or the case opened.
 */
import { api, explain, get, query } from '../api';
import { el, fmtDate, fmtDateTime } from '../dom';
import { currentRender, type PageContext } from '../router';
import { currentMonth, FOLLOW_UP_RESULTS, monthLabel, PATROL_OUTCOMES, PATROL_STATES } from './prevention-common';

interface Patrol {
  id: string; period: string; state: string; dueAt: number; doneAt: number | null; doneByName: string | null; outcome: string | null;
  employerId: string; employerName: string; employerAddress: string | null; gridName: string; caseId: string | null; caseNumber: string | null;
  documentId: string | null; documentNumber: string | null; warningId: string | null; followUpDueAt: number | null; followUpResult: string | null;
  task: { key: string; name: string | null } | null;
}
interface Grid { id: string; name: string; level: number }
interface Photo { id: string; fileName: string; bytes: number; uploadedAt: number }

/** The patrol photo refusals, in the words of the page. */
const PHOTO_ERRORS: Record<string, string> = {
  PHOTO_TYPE_REFUSED: '只能上传 JPEG 或 PNG 格式的照片。',
  PHOTO_TOO_LARGE: '照片过大，每张不能超过 5 MB。',
  PHOTO_LIMIT_REACHED: '每次巡查最多保存 20 张照片。',
};

const readBase64 = (file: File) => new Promise<string>((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
  reader.onerror = () => reject(reader.error);
  reader.readAsDataURL(file);
});

/** A patrol's photos as thumbnails (each opens at full size) and, for the grid's keepers, an upload button. */
function photoPanel(patrolId: string, mayUpload: boolean): HTMLElement {
  const thumbs = el('div', { class: 'patrol-photo-list', style: 'display:flex;gap:8px;flex-wrap:wrap' });
  const status = el('p', { role: 'status', class: 'muted' }, '正在加载…');
  const url = `/api/prevention/patrols/${patrolId}/photos`;
  const load = async () => {
    try {
      const { items } = await get<{ items: Photo[] }>(url);
      thumbs.replaceChildren(...items.map((ph) => el('a', { href: `/api/prevention/patrols/photos/${ph.id}`, target: '_blank', title: `${ph.fileName}（${fmtDateTime(ph.uploadedAt)}上传）` },
        el('img', { src: `/api/prevention/patrols/photos/${ph.id}`, alt: ph.fileName, class: 'patrol-photo', style: 'width:120px;height:90px;object-fit:cover;border:1px solid #ccc' }))));
      status.textContent = items.length ? `共${items.length}张照片。` : '暂无照片。';
    } catch (e) {
      status.textContent = explain(e);
    }
  };
  const input = el('input', { type: 'file', accept: 'image/jpeg,image/png', class: 'patrol-photo-input', 'aria-label': '上传现场照片' }) as HTMLInputElement;
  input.addEventListener('change', async () => {
    const files = [...(input.files ?? [])];
    input.disabled = true;
    try {
      for (const file of files) {
        status.textContent = `正在上传“${file.name}”…`;
        await api('POST', url, { fileName: file.name, contentBase64: await readBase64(file) });
      }
      await load();
    } catch (e) {
      status.textContent = PHOTO_ERRORS[(e as { code?: string }).code ?? ''] ?? explain(e);
    } finally {
      input.value = '';
      input.disabled = false;
    }
  });
  void load();
  return el('div', { class: 'patrol-photos' }, el('h3', {}, '现场照片'), thumbs,
    mayUpload ? el('label', { class: 'button' }, '上传照片 ', input) : '', status);
}

export async function showPatrols({ me, main, query: q, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  const period = /^\d{4}-\d{2}$/.test(q.get('period') ?? '') ? q.get('period')! : currentMonth();
  const state = q.get('state') === 'done' ? 'done' : q.get('state') === 'planned' ? 'planned' : '';
  main.replaceChildren(el('h1', {}, '日常巡查'), el('p', { class: 'muted' }, '正在加载…'));
  let patrols: Patrol[];
  let grids: Grid[];
  try {
    const [list, all] = await Promise.all([
      get<{ items: Patrol[] }>('/api/prevention/patrols' + query({ period, state, limit: 200 })),
      get<{ items: (Grid & { mine?: boolean })[] }>('/api/grids'),
    ]);
    patrols = list.items;
    const officeWide = me.roles.some((r) => ['supervisor', 'admin'].includes(r));
    grids = all.items.filter((g) => officeWide || g.mine);
  } catch (e) {
    if (render !== currentRender()) return;
    main.replaceChildren(el('h1', {}, '日常巡查'), el('p', { class: 'error', role: 'alert' }, explain(e)));
    return;
  }
  if (render !== currentRender()) return;

  const mayPlan = me.roles.some((r) => ['handler', 'grid_officer', 'supervisor', 'admin'].includes(r));
  const message = el('p', { role: 'status', id: 'plan-status' });
  const planGrid = el('select', { id: 'plan-grid', 'aria-label': '巡查网格' }, grids.map((g) => el('option', { value: g.id }, `${g.level === 1 ? '' : '　'}${g.name}`))) as HTMLSelectElement;
  const planMonth = el('input', { type: 'month', id: 'plan-month', value: period, 'aria-label': '巡查月份' }) as HTMLInputElement;
  const planButton = el('button', { type: 'button', id: 'plan-submit' }, '生成巡查计划') as HTMLButtonElement;
  planButton.addEventListener('click', async () => {
    planButton.disabled = true;
    try {
      const r = await api<{ planned: number; period: string }>('POST', '/api/prevention/plans', { gridId: planGrid.value, period: planMonth.value });
      message.textContent = `已生成${monthLabel(r.period)}巡查计划，共${r.planned}户需巡查。`;
      navigate('/patrols' + query({ period: r.period }));
    } catch (e) {
      message.textContent = (e as { code?: string }).code === 'PLAN_EXISTS' ? '该网格本月已有巡查计划。' : explain(e);
    } finally {
      planButton.disabled = false;
    }
  });

  const filter = el('select', { id: 'patrol-state', 'aria-label': '巡查状态' },
    [['', '全部'], ['planned', '待巡查'], ['done', '已巡查']].map(([v, t]) => el('option', { value: v, selected: v === state }, t)));
  filter.addEventListener('change', () => navigate('/patrols' + query({ period, state: (filter as HTMLSelectElement).value })));

  const outcomeCell = (p: Patrol) => {
    if (p.state !== 'done') return '—';
    const parts: (string | HTMLElement)[] = [PATROL_OUTCOMES[p.outcome ?? 'none'] ?? '未发现问题'];
    if (p.documentNumber && p.documentId) parts.push('，', el('a', { href: `/api/documents/${p.documentId}/pdf`, target: '_blank' }, p.documentNumber));
    if (p.followUpDueAt && !p.followUpResult) parts.push(`，${fmtDate(p.followUpDueAt)}复查`);
    if (p.followUpResult) parts.push(`，${FOLLOW_UP_RESULTS[p.followUpResult] ?? ''}`);
    if (p.caseId && p.caseNumber) parts.push('，', el('a', { href: `/cases/${p.caseId}` }, `案件 ${p.caseNumber}`));
    if (p.warningId) parts.push('，已发出预警');
    return parts;
  };
  // The photos of a patrol open in a row under it.
  const togglePhotos = (ev: Event, patrolId: string) => {
    const button = ev.currentTarget as HTMLButtonElement;
    const row = button.closest('tr')!;
    const open = row.nextElementSibling?.getAttribute('data-photos-of') === patrolId ? row.nextElementSibling : null;
    if (open) { open.remove(); button.setAttribute('aria-expanded', 'false'); return; }
    row.after(el('tr', { 'data-photos-of': patrolId }, el('td', { colspan: 8 }, photoPanel(patrolId, mayPlan))));
    button.setAttribute('aria-expanded', 'true');
  };
  main.replaceChildren(
    el('h1', {}, '日常巡查'),
    mayPlan && grids.length ? el('section', { class: 'panel' }, el('h2', {}, '巡查计划'),
      el('p', { class: 'muted' }, '按每户的巡查间隔（按守法诚信等级设置）列出本月应巡查的用人单位，为每户生成巡查任务。'),
      el('div', { style: 'display:flex;gap:12px;align-items:center;flex-wrap:wrap' }, el('label', {}, '网格 ', planGrid), el('label', {}, '月份 ', planMonth), planButton), message) : '',
    el('h2', {}, `${monthLabel(period)}巡查`),
    el('div', { style: 'display:flex;gap:12px;align-items:center' }, el('label', {}, '状态 ', filter),
      el('a', { class: 'button', id: 'patrols-export', href: '/api/prevention/patrols/export.xlsx' + query({ period, state }), download: '日常巡查.xlsx' }, '导出表格')),
    patrols.length ? el('table', { class: 'table', id: 'patrol-table' },
      el('thead', {}, el('tr', {}, ['用人单位', '网格', '状态', '巡查期限', '巡查人', '巡查时间', '处理结果', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, patrols.map((p) => el('tr', { 'data-patrol': p.id },
        el('td', {}, el('a', { href: `/employers/${p.employerId}` }, p.employerName)), el('td', {}, p.gridName), el('td', {}, PATROL_STATES[p.state] ?? '—'),
        el('td', {}, fmtDate(p.dueAt)), el('td', {}, p.doneByName ?? '—'), el('td', {}, p.doneAt ? fmtDateTime(p.doneAt) : '—'), el('td', {}, outcomeCell(p)),
        el('td', {}, p.task ? el('a', { href: `/tasks/${p.task.key}`, class: 'button' }, p.state === 'planned' ? '去巡查' : '去复查') : null,
          el('button', { type: 'button', class: 'patrol-photos-toggle', 'aria-expanded': 'false', onclick: (ev: Event) => togglePhotos(ev, p.id) }, '照片'))))))
      : el('p', {}, '本月没有巡查任务。'),
  );
}
