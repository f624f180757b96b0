/**
 * 失信联合惩戒名单 (人社部令第45号): the office's proposals and listings, one listing with its reasons, the
 * people listed with the employer, what the party sent in (late ones marked) and the documents of each
 * step; recording a defence or an application for credit repair. Also the employer page's section
 * 失信名单与社会公布, from GET /api/employers/:id/credit.
 */
import { api, explain, get, query } from '../api';
import { el, fmtDate } from '../dom';
import { currentRender, type PageContext } from '../router';
import { registerEmployerSection } from './employer-sections';

interface Listing {
  id: string; caseId: string; employerId: string; employerName?: string; state: string; stateLabel: string; groundLabel: string; groundText: string;
  responsiblePeople: { name: string; position: string }[]; amountOwed: number | null; workersOwed: number | null; paymentDeadlineAt: number;
  proposedAt: number; listedAt: number | null; expiresAt: number | null; removedAt: number | null; removalLabel: string | null;
  submissions: { id: string; kind: 'defence' | 'repair'; receivedAt: number; late: boolean; decision: string | null; decisionNote: string | null; content: string }[];
  documents: { id: string; title: string; number: string; issuedAt: number }[];
}

const STATES: [string, string][] = [['', '全部'], ['proposed', '拟列入'], ['listed', '已列入'], ['not-listed', '决定不予列入'], ['removed', '已移出']];
const KIND_LABELS: Record<string, string> = { defence: '陈述申辩', repair: '信用修复申请' };
const DECISION_LABELS: Record<string, string> = {
  accepted: '已采纳', rejected: '不予采纳', 'after-decision': '决定作出后收到，存档', approved: '同意修复', refused: '不予修复',
};
const yuan = (v: number | null) => (v === null ? '—' : `${v.toLocaleString('zh-CN', { maximumFractionDigits: 2 })}元`);

function listingTable(items: Listing[], withEmployer: boolean): HTMLElement {
  if (!items.length) return el('p', { class: 'muted' }, '没有记录。');
  return el('table', { class: 'grid', id: 'credit-listings' },
    el('thead', {}, el('tr', {}, [...(withEmployer ? ['用人单位'] : []), '列入事由', '状态', '拟列入日期', '列入期限至', ''].map((h) => el('th', {}, h)))),
    el('tbody', {}, items.map((l) => el('tr', {},
      ...(withEmployer ? [el('td', {}, l.employerName ?? '—')] : []),
      el('td', {}, l.groundLabel), el('td', {}, l.stateLabel), el('td', {}, fmtDate(l.proposedAt)),
      el('td', {}, l.expiresAt ? fmtDate(l.expiresAt) : '—'),
      el('td', {}, el('a', { href: `/credit/listings/${l.id}` }, '查看'))))));
}

export async function showCreditListings({ main, query: q, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  const state = q.get('state') ?? '';
  main.replaceChildren(el('h1', {}, '失信联合惩戒名单'), el('p', { class: 'muted' }, '正在加载…'));
  let items: Listing[];
  try {
    items = (await get<{ items: Listing[] }>('/api/credit/listings' + query({ state: state || undefined }))).items;
  } catch (e) {
    if (render !== currentRender()) return;
    main.replaceChildren(el('h1', {}, '失信联合惩戒名单'), el('p', { class: 'error', role: 'alert' }, explain(e)));
    return;
  }
  if (render !== currentRender()) return;
  const filter = el('select', { id: 'listing-state', 'aria-label': '状态' }, STATES.map(([v, t]) => el('option', { value: v, ...(v === state ? { selected: 'selected' } : {}) }, t))) as HTMLSelectElement;
  filter.addEventListener('change', () => navigate('/credit/listings' + query({ state: filter.value || undefined })));
  main.replaceChildren(
    el('h1', {}, '失信联合惩戒名单'),
    el('p', { class: 'muted' }, '拖欠农民工工资失信联合惩戒对象名单：拟列入的告知、陈述申辩、列入决定、信用修复与移出。列入程序从案件页启动。'),
    el('label', {}, '状态 ', filter),
    listingTable(items, true),
  );
}

function submissionForm(l: Listing, kind: 'defence' | 'repair', onDone: () => void): HTMLElement {
  const status = el('p', { role: 'status' });
  const content = el('textarea', { rows: 3, maxlength: 10000, 'aria-label': kind === 'defence' ? '陈述申辩内容' : '申请内容' }) as HTMLTextAreaElement;
  const received = el('input', { type: 'date', 'aria-label': '收到日期' }) as HTMLInputElement;
  const paid = el('input', { type: 'date', 'aria-label': '工资支付完毕日期' }) as HTMLInputElement;
  const pledge = el('input', { type: 'checkbox', 'aria-label': '已提交守信承诺书' }) as HTMLInputElement;
  const send = el('button', { type: 'button', id: `record-${kind}` }, kind === 'defence' ? '登记陈述申辩' : '登记信用修复申请') as HTMLButtonElement;
  send.addEventListener('click', async () => {
    if (!content.value.trim()) { status.textContent = '请填写内容。'; return; }
    if (kind === 'repair' && !paid.value) { status.textContent = '请填写工资支付完毕日期。'; return; }
    send.disabled = true;
    try {
      const body = kind === 'defence'
        ? { content: content.value, ...(received.value ? { receivedAt: received.value } : {}) }
        : { content: content.value, wagesPaidAt: paid.value, pledge: pledge.checked, ...(received.value ? { receivedAt: received.value } : {}) };
      const r = await api<{ late: boolean }>('POST', `/api/credit/listings/${l.id}/${kind}`, body);
      status.textContent = r.late ? '已登记（逾期提出，已记为逾期，将在决定中说明）。' : '已登记。';
      onDone();
    } catch (e) {
      status.textContent = explain(e);
    } finally {
      send.disabled = false;
    }
  });
  return el('section', { class: 'panel' }, el('h2', {}, kind === 'defence' ? '登记陈述申辩' : '登记信用修复申请'),
    el('label', {}, '收到日期（不填为今天） ', received), el('br'),
    ...(kind === 'repair' ? [el('label', {}, '工资支付完毕日期 ', paid), el('br'), el('label', {}, pledge, ' 已提交守信承诺书'), el('br')] : []),
    el('label', {}, '内容', el('br'), content), el('br'), send, status);
}

export async function showCreditListing({ main, params, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  main.replaceChildren(el('h1', {}, '失信名单记录'), el('p', { class: 'muted' }, '正在加载…'));
  let l: Listing;
  try {
    l = await get<Listing>(`/api/credit/listings/${params.id}`);
  } catch (e) {
    if (render !== currentRender()) return;
    main.replaceChildren(el('h1', {}, '失信名单记录'), el('p', { class: 'error', role: 'alert' }, explain(e)));
    return;
  }
  if (render !== currentRender()) return;
  const reload = () => navigate(`/credit/listings/${l.id}`);
  const facts: [string, string][] = [
    ['状态', l.stateLabel + (l.removalLabel ? `（${l.removalLabel}）` : '')], ['列入事由', l.groundLabel], ['事由说明', l.groundText],
    ['拖欠人数', l.workersOwed === null ? '—' : `${l.workersOwed}人`], ['拖欠金额', yuan(l.amountOwed)], ['责令支付期限', fmtDate(l.paymentDeadlineAt)],
    ['拟列入日期', fmtDate(l.proposedAt)], ['列入日期', l.listedAt ? fmtDate(l.listedAt) : '—'], ['列入期限至', l.expiresAt ? fmtDate(l.expiresAt) : '—'],
    ['移出日期', l.removedAt ? fmtDate(l.removedAt) : '—'],
  ];
  main.replaceChildren(
    el('h1', {}, '失信名单记录'),
    el('p', {}, el('a', { href: `/employers/${l.employerId}` }, '用人单位档案'), '　', el('a', { href: `/cases/${l.caseId}` }, '所涉案件')),
    el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('h2', {}, '同时列入的人员'),
    el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, el('th', {}, '姓名'), el('th', {}, '职务'))),
      el('tbody', {}, l.responsiblePeople.map((p) => el('tr', {}, el('td', {}, p.name), el('td', {}, p.position))))),
    el('h2', {}, '当事人提交的材料'),
    l.submissions.length
      ? el('table', { class: 'grid', id: 'credit-submissions' },
        el('thead', {}, el('tr', {}, ['种类', '收到日期', '是否逾期', '处理结果', '内容'].map((h) => el('th', {}, h)))),
        el('tbody', {}, l.submissions.map((s) => el('tr', {}, el('td', {}, KIND_LABELS[s.kind] ?? '材料'), el('td', {}, fmtDate(s.receivedAt)),
          el('td', {}, s.late ? '逾期' : '期限内'), el('td', {}, s.decision ? (DECISION_LABELS[s.decision] ?? '已处理') + (s.decisionNote ? `：${s.decisionNote}` : '') : '待决定'),
          el('td', {}, s.content)))))
      : el('p', { class: 'muted' }, '尚未收到。'),
    el('h2', {}, '文书'),
    l.documents.length
      ? el('ul', {}, l.documents.map((d) => el('li', {}, el('a', { href: `/api/documents/${d.id}/pdf`, target: '_blank' }, `${d.title}（${d.number}）`), `　${fmtDate(d.issuedAt)}`)))
      : el('p', { class: 'muted' }, '尚未出具。'),
    ...(l.state === 'proposed' || l.state === 'listed' ? [submissionForm(l, 'defence', reload)] : []),
    ...(l.state === 'listed' ? [submissionForm(l, 'repair', reload)] : []),
  );
}

registerEmployerSection({
  slot: 'listings', title: '失信名单与社会公布',
  async render(employer, { me }) {
    // An enterprise coordinator's sight of the employer is its file only; the credit record is the office's.
    if (me.roles.every((r) => r === 'enterprise_coordinator')) return null;
    const credit = await get<{ listed: boolean; listings: Listing[] }>(`/api/employers/${employer.id}/credit`).catch(() => null);
    if (!credit) return null;
    return el('div', {}, el('p', {}, credit.listed ? '该单位目前列入拖欠农民工工资失信联合惩戒对象名单。' : '该单位目前不在失信联合惩戒对象名单中。'),
      listingTable(credit.listings, false));
  },
});
