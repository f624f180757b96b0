/**
 * 重大劳动保障违法行为社会公布 (人社部令第29号): the office's quarterly lists, proposing a quarter's list
 * from its closed cases, one list with its entries, legal staff confirming it (leaving entries out),
 * its document and xlsx. Also the employer page's section of published violations, from
 * GET /api/employers/:id/credit.
 */
import { explain, get, post } from '../api';
import { el, fmtDate, fmtDateTime } from '../dom';
import { currentRender, type PageContext } from '../router';
import { registerEmployerSection } from './employer-sections';

interface Summary { id: string; period: string; periodText: string; state: string; stateLabel: string; entries: number; proposedAt: number }
interface Entry {
  id: string; employerId: string; caseId: string; caseNumber: string | null; criterionLabel: string; name: string; creditCode: string | null;
  legalRepresentative: string | null; facts: string; handling: string; included: boolean;
}
interface Publication {
  id: string; period: string; periodText: string; state: string; stateLabel: string; proposedBy: string; proposedAt: number; confirmedBy: string | null;
  confirmedAt: number | null; document: { id: string; number: string } | null; entries: Entry[];
}

const decides = (roles: string[]) => roles.some((r) => r === 'legal' || r === 'supervisor');

function proposeForm(navigate: (p: string) => void): HTMLElement {
  const status = el('p', { role: 'status' });
  const now = new Date();
  const year = el('input', { type: 'number', min: '2000', max: '2100', value: String(now.getFullYear()), id: 'publication-year', 'aria-label': '年度' }) as HTMLInputElement;
  const quarter = el('select', { id: 'publication-quarter', 'aria-label': '季度' }, ['一', '二', '三', '四'].map((q, i) => el('option', { value: String(i + 1), ...(i === Math.floor(now.getMonth() / 3) ? { selected: 'selected' } : {}) }, `第${q}季度`))) as HTMLSelectElement;
  const go = el('button', { type: 'button', id: 'propose-publication' }, '拟定公布名单') as HTMLButtonElement;
  go.addEventListener('click', async () => {
    go.disabled = true;
    try {
      const p = await post<{ id: string }>('/api/publications', { period: `${year.value}-Q${quarter.value}` });
      navigate(`/publications/${p.id}`);
    } catch (e) { status.textContent = explain(e); go.disabled = false; }
  });
  return el('section', { class: 'card' }, el('h2', {}, '拟定季度公布名单'),
    el('p', { class: 'muted' }, '从该季度已结案件中列出符合社会公布情形的用人单位，交法制审核确认后公布。'),
    el('label', {}, '年度 ', year), el('label', {}, '季度 ', quarter), go, status);
}

export async function showPublications({ main, me, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  const title = '重大劳动保障违法行为社会公布';
  main.replaceChildren(el('h1', {}, title), el('p', { class: 'muted' }, '正在加载…'));
  let items: Summary[];
  try {
    items = (await get<{ items: Summary[] }>('/api/publications')).items;
  } catch (e) {
    if (render === currentRender()) main.replaceChildren(el('h1', {}, title), el('p', { class: 'error', role: 'alert' }, explain(e)));
    return;
  }
  if (render !== currentRender()) return;
  main.replaceChildren(
    el('h1', {}, title),
    el('p', { class: 'muted' }, '依据《重大劳动保障违法行为社会公布办法》（人社部令第29号），按季度向社会公布重大劳动保障违法行为，并记入用人单位诚信档案。'),
    items.length
      ? el('table', { class: 'table', id: 'publications' },
        el('thead', {}, el('tr', {}, ['季度', '状态', '公布条目', '拟定时间', ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, items.map((p) => el('tr', {}, el('td', {}, p.periodText), el('td', {}, p.stateLabel), el('td', {}, String(p.entries)),
          el('td', {}, fmtDateTime(p.proposedAt)), el('td', {}, el('a', { href: `/publications/${p.id}` }, '查看'))))))
      : el('p', { class: 'muted' }, '尚无公布名单。'),
    ...(decides(me.roles) ? [proposeForm(navigate)] : []),
  );
}

export async function showPublication({ main, me, params, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  const title = '重大劳动保障违法行为社会公布';
  main.replaceChildren(el('h1', {}, title), el('p', { class: 'muted' }, '正在加载…'));
  let p: Publication;
  try {
    p = await get<Publication>(`/api/publications/${params.id}`);
  } catch (e) {
    if (render === currentRender()) main.replaceChildren(el('h1', {}, title), el('p', { class: 'error', role: 'alert' }, explain(e)));
    return;
  }
  if (render !== currentRender()) return;
  const open = p.state === 'proposed' && decides(me.roles);
  const boxes = new Map<string, HTMLInputElement>();
  const status = el('p', { role: 'status' });
  const confirm = el('button', { type: 'button', id: 'confirm-publication' }, '确认并公布') as HTMLButtonElement;
  confirm.addEventListener('click', async () => {
    confirm.disabled = true;
    try {
      await post(`/api/publications/${p.id}/confirm`, { excludeEntryIds: [...boxes].filter(([, b]) => !b.checked).map(([id]) => id) });
      navigate(`/publications/${p.id}`);
    } catch (e) { status.textContent = explain(e); confirm.disabled = false; }
  });
  main.replaceChildren(
    el('h1', {}, `${title}（${p.periodText}）`),
    el('p', {}, `状态：${p.stateLabel}。拟定：${fmtDateTime(p.proposedAt)}${p.confirmedAt ? `；确认公布：${fmtDateTime(p.confirmedAt)}` : ''}。`),
    el('table', { class: 'table', id: 'publication-entries' },
      el('thead', {}, el('tr', {}, ['公布', '违法主体名称', '统一社会信用代码', '法定代表人', '主要违法事实', '查处情况', '公布情形', '案件'].map((h) => el('th', {}, h)))),
      el('tbody', {}, p.entries.map((e) => {
        const box = el('input', { type: 'checkbox', 'aria-label': `公布${e.name}`, ...(e.included ? { checked: 'checked' } : {}), ...(open ? {} : { disabled: 'disabled' }) }) as HTMLInputElement;
        boxes.set(e.id, box);
        return el('tr', {}, el('td', {}, box), el('td', {}, el('a', { href: `/employers/${e.employerId}` }, e.name)), el('td', {}, e.creditCode ?? '—'),
          el('td', {}, e.legalRepresentative ?? '—'), el('td', {}, e.facts), el('td', {}, e.handling), el('td', {}, e.criterionLabel),
          el('td', {}, el('a', { href: `/cases/${e.caseId}` }, e.caseNumber ?? '查看')));
      }))),
    ...(open ? [el('p', { class: 'muted' }, '取消勾选的条目不予公布。'), confirm] : []),
    status,
    p.document
      ? el('p', {}, '公布文书：', el('a', { href: `/api/documents/${p.document.id}/pdf`, target: '_blank' }, `重大劳动保障违法行为社会公布（${p.document.number}）`), '　',
        el('a', { href: `/api/publications/${p.id}/export.xlsx` }, '导出公布名单（电子表格）'))
      : el('p', { class: 'muted' }, '确认后生成公布文书和导出名单。'),
  );
}

registerEmployerSection({
  slot: 'listings', title: '重大劳动保障违法行为社会公布',
  async render(employer, { me }) {
    if (me.roles.every((r) => r === 'enterprise_coordinator')) return null;
    const credit = await get<{ publications?: { publicationId: string; periodText: string; criterionLabel: string; facts: string; handling: string; publishedAt: number; documentId: string | null }[] }>(`/api/employers/${employer.id}/credit`).catch(() => null);
    if (!credit?.publications) return null;
    if (!credit.publications.length) return el('p', { class: 'muted' }, '该单位没有被社会公布的重大劳动保障违法行为。');
    return el('table', { class: 'table', id: 'employer-publications' },
      el('thead', {}, el('tr', {}, ['公布季度', '公布情形', '主要违法事实', '查处情况', '公布日期'].map((h) => el('th', {}, h)))),
      el('tbody', {}, credit.publications.map((x) => el('tr', {}, el('td', {}, el('a', { href: `/publications/${x.publicationId}` }, x.periodText)), el('td', {}, x.criterionLabel),
        el('td', {}, x.facts), el('td', {}, x.handling), el('td', {}, fmtDate(x.publishedAt))))));
  },
});
