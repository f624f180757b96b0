/**
 * 书面审查 (劳动保障监察条例 第14条): the office's annual reviews and opening the year's review (legal
 * staff, supervisors); one review's progress per grid — in scope, notified, submitted, reviewed, verified,
 * non-submitters and results — with its employers, and a spreadsheet of submissions imported (dry run
 * first); one employer's place in the review with its documents and the window entry of its submission.
 * A handler sees the figures and employers of his grids only: the server answers by the policy layer.
 * Also the employer page's section 书面审查, from GET /api/employers/:id/credit.
 */
import { api, explain, get, query } from '../api';
import { el, fmtDate } from '../dom';
import {
  label, SCALE_LABELS, WORKING_HOURS_LABELS, WRITTEN_REVIEW_RESULT_LABELS, WRITTEN_REVIEW_SOURCE_LABELS, WRITTEN_REVIEW_STATE_LABELS,
} from '../labels';
import { currentRender, type PageContext } from '../router';
import { registerEmployerSection } from './employer-sections';

interface Review {
  id: string; year: number; title: string; state: 'opening' | 'open'; employersTotal: number; enrolled: number; openedAt: number;
  scope: { gridIds?: string[]; scales?: string[]; industries?: string[] };
}
interface GridProgress {
  gridId: string | null; gridName: string; inScope: number; notified: number; submitted: number; reviewed: number; verified: number;
  nonSubmitters: number; qualified: number; correction: number; cases: number; awaiting: number;
}
interface Submission {
  headcount: number; contractsSigned: number; wagesPaid: number; wagePayDay: number; workingHoursSystem: string;
  socialInsuranceParticipants: number; migrantWorkers: number; migrantWagesOwed: number; note?: string;
}
interface ReviewEmployer {
  id: string; reviewId: string; employerId: string; employerName: string; creditCode: string | null; gridName: string | null; state: string; result: string | null;
  submissionDueAt: number | null; reminderDueAt: number | null; correctionDueAt: number | null; submittedAt: number | null; submittedLate: boolean;
  submissionSource: string | null; submission: Submission | null; flagged: boolean | null; sampled: boolean | null; reviewOpinion: string | null;
  reviewedAt: number | null; verificationNote: string | null; verifiedAt: number | null; corrected: boolean | null; caseId: string | null;
  documents: { id: string; title: string; number: string; issuedAt: number }[];
}
interface ImportReport {
  confirmed: boolean; rows: number; counts: { record: number; refused: number };
  refused: { row: number; name: string | null; creditCode: string | null; reasons: string[] }[];
  accepted: { row: number; name: string | null }[];
}

const PROGRESS_COLUMNS: [keyof GridProgress, string][] = [
  ['inScope', '纳入审查'], ['notified', '已发通知'], ['submitted', '已报送'], ['reviewed', '已审查'], ['verified', '已实地核查'],
  ['nonSubmitters', '未报送'], ['awaiting', '待报送'], ['qualified', '合格'], ['correction', '限期改正'], ['cases', '立案调查'],
];
const opens = (roles: string[]) => roles.some((r) => r === 'legal' || r === 'supervisor');
const imports = (roles: string[]) => roles.some((r) => ['intake', 'legal', 'supervisor', 'admin'].includes(r));
const people = (n: number) => `${n}人`;

function failed(main: HTMLElement, title: string, e: unknown): void {
  main.replaceChildren(el('h1', {}, title), el('p', { class: 'error', role: 'alert' }, explain(e)));
}

function openForm(navigate: (p: string) => void): HTMLElement {
  const status = el('p', { role: 'status' });
  const year = el('input', { type: 'number', min: '2000', max: '2100', value: String(new Date().getFullYear() - 1), 'aria-label': '审查年度' }) as HTMLInputElement;
  const scales = Object.entries(SCALE_LABELS).map(([v, t]) => ({ v, box: el('input', { type: 'checkbox', value: v, 'aria-label': t }) as HTMLInputElement, t }));
  const industries = el('input', { type: 'text', maxlength: 500, placeholder: '如：建筑业，制造业（不填为全部）', 'aria-label': '行业' }) as HTMLInputElement;
  const send = el('button', { type: 'button', id: 'open-review' }, '开展书面审查') as HTMLButtonElement;
  send.addEventListener('click', async () => {
    const chosen = scales.filter((s) => s.box.checked).map((s) => s.v);
    const named = industries.value.split(/[，,、\s]+/).map((s) => s.trim()).filter(Boolean);
    send.disabled = true;
    status.textContent = '正在纳入审查范围内的用人单位并发出通知…';
    try {
      const r = await api<Review>('POST', '/api/written-reviews', {
        year: Number(year.value), scope: { ...(chosen.length ? { scales: chosen } : {}), ...(named.length ? { industries: named } : {}) },
      });
      navigate(`/written-reviews/${r.id}`);
    } catch (e) {
      status.textContent = explain(e);
    } finally {
      send.disabled = false;
    }
  });
  return el('section', { class: 'panel' }, el('h2', {}, '开展年度书面审查'),
    el('label', {}, '审查年度 ', year), el('br'),
    el('span', {}, '企业规模（不选为全部）：'), ...scales.map((s) => el('label', {}, s.box, ` ${s.t} `)), el('br'),
    el('label', {}, '行业 ', industries), el('br'), send, status);
}

export async function showWrittenReviews({ main, me, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  main.replaceChildren(el('h1', {}, '书面审查'), el('p', { class: 'muted' }, '正在加载…'));
  let items: Review[];
  try {
    items = (await get<{ items: Review[] }>('/api/written-reviews')).items;
  } catch (e) {
    if (render === currentRender()) failed(main, '书面审查', e);
    return;
  }
  if (render !== currentRender()) return;
  main.replaceChildren(
    el('h1', {}, '书面审查'),
    el('p', { class: 'muted' }, '用人单位按年度报送遵守劳动保障法律法规情况的书面材料，逾期催报，审查后按比例抽查或对有疑点的实地核查。'),
    items.length
      ? el('table', { class: 'table', id: 'written-reviews' },
        el('thead', {}, el('tr', {}, ['审查年度', '名称', '审查范围', '纳入单位', '开展日期', ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, items.map((r) => el('tr', {},
          el('td', {}, `${r.year}年度`), el('td', {}, r.title), el('td', {}, scopeText(r)),
          el('td', {}, r.state === 'open' ? `${r.employersTotal}家` : `正在纳入（${r.enrolled}/${r.employersTotal}家）`), el('td', {}, fmtDate(r.openedAt)),
          el('td', {}, el('a', { href: `/written-reviews/${r.id}` }, '查看进度'))))))
      : el('p', { class: 'muted' }, '尚未开展书面审查。'),
    ...(opens(me.roles) ? [openForm(navigate)] : []),
  );
}

function scopeText(r: Review): string {
  const parts = [
    r.scope.scales?.length ? `规模：${r.scope.scales.map((s) => label(SCALE_LABELS, s)).join('、')}` : '',
    r.scope.industries?.length ? `行业：${r.scope.industries.join('、')}` : '',
    r.scope.gridIds?.length ? `指定网格${r.scope.gridIds.length}个` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('；') : '全部用人单位';
}

function progressTable(grids: GridProgress[], total: GridProgress): HTMLElement {
  const row = (g: GridProgress, head = false) => el('tr', {}, el(head ? 'th' : 'td', {}, g.gridName), ...PROGRESS_COLUMNS.map(([k]) => el('td', {}, String(g[k]))));
  return el('table', { class: 'table', id: 'review-progress' },
    el('thead', {}, el('tr', {}, el('th', {}, '网格'), ...PROGRESS_COLUMNS.map(([, t]) => el('th', {}, t)))),
    el('tbody', {}, ...grids.map((g) => row(g)), row({ ...total, gridName: '合计' }, true)));
}

function employerTable(items: ReviewEmployer[]): HTMLElement {
  if (!items.length) return el('p', { class: 'muted' }, '没有符合条件的用人单位。');
  return el('table', { class: 'table', id: 'review-employers' },
    el('thead', {}, el('tr', {}, ['用人单位', '网格', '办理情况', '审查结果', '报送期限', ''].map((h) => el('th', {}, h)))),
    el('tbody', {}, items.map((r) => el('tr', {},
      el('td', {}, r.employerName), el('td', {}, r.gridName ?? '未划入网格'), el('td', {}, label(WRITTEN_REVIEW_STATE_LABELS, r.state)),
      el('td', {}, r.result ? label(WRITTEN_REVIEW_RESULT_LABELS, r.result) : '—'), el('td', {}, fmtDate(r.reminderDueAt ?? r.submissionDueAt)),
      el('td', {}, el('a', { href: `/written-reviews/employers/${r.id}` }, r.state === 'notified' || r.state === 'reminded' ? '登记报送' : '查看'))))));
}

function importForm(reviewId: string, onDone: () => void): HTMLElement {
  const status = el('div', { role: 'status' });
  const file = el('input', { type: 'file', accept: '.xlsx,.csv', 'aria-label': '报送材料电子表格' }) as HTMLInputElement;
  const check = el('button', { type: 'button', id: 'review-import-check' }, '检查') as HTMLButtonElement;
  const confirm = el('button', { type: 'button', id: 'review-import-confirm', disabled: 'disabled' }, '确认导入') as HTMLButtonElement;
  let content: { fileName: string; contentBase64: string } | null = null;
  const show = (r: ImportReport) => status.replaceChildren(
    el('p', {}, `共${r.rows}行：${r.confirmed ? '已登记' : '可登记'}${r.counts.record}行，不予导入${r.counts.refused}行。`),
    ...(r.refused.length ? [el('table', { class: 'table', id: 'review-import-refused' },
      el('thead', {}, el('tr', {}, ['行号', '单位', '原因'].map((h) => el('th', {}, h)))),
      el('tbody', {}, r.refused.map((x) => el('tr', {}, el('td', {}, String(x.row)), el('td', {}, x.name ?? x.creditCode ?? '—'), el('td', {}, x.reasons.join('；'))))))] : []));
  const run = async (confirmIt: boolean) => {
    if (!content) return;
    check.disabled = true;
    confirm.disabled = true;
    try {
      const r = await api<ImportReport>('POST', `/api/written-reviews/${reviewId}/import`, { ...content, confirm: confirmIt });
      show(r);
      if (confirmIt) { content = null; onDone(); } else confirm.disabled = r.counts.record === 0;
    } catch (e) {
      status.replaceChildren(el('p', { class: 'error' }, explain(e)));
    } finally {
      check.disabled = false;
    }
  };
  check.addEventListener('click', async () => {
    const f = file.files?.[0];
    if (!f) { status.replaceChildren(el('p', {}, '请选择文件。')); return; }
    const bytes = new Uint8Array(await f.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    content = { fileName: f.name, contentBase64: btoa(bin) };
    await run(false);
  });
  confirm.addEventListener('click', () => run(true));
  return el('section', { class: 'panel' }, el('h2', {}, '导入报送材料'),
    el('p', { class: 'muted' }, '列：统一社会信用代码、单位名称、职工人数、签订劳动合同人数、工资总额（元）、工资支付日、工时制度、参保人数、农民工人数、拖欠农民工工资（元）。先检查，确认后登记。'),
    file, ' ', check, ' ', confirm, status);
}

export async function showWrittenReview({ main, params, query: q, me, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  const title = '书面审查进度';
  main.replaceChildren(el('h1', {}, title), el('p', { class: 'muted' }, '正在加载…'));
  const state = q.get('state') ?? '';
  const result = q.get('result') ?? '';
  let review: Review & { progress: { grids: GridProgress[]; total: GridProgress } };
  let employers: { items: ReviewEmployer[]; total: number };
  try {
    review = await get(`/api/written-reviews/${params.id}`);
    employers = await get(`/api/written-reviews/${params.id}/employers` + query({ state: state || undefined, result: result || undefined, limit: 200 }));
  } catch (e) {
    if (render === currentRender()) failed(main, title, e);
    return;
  }
  if (render !== currentRender()) return;
  const here = `/written-reviews/${review.id}`;
  const filter = (name: string, map: Record<string, string>, value: string, other: Record<string, string | undefined>) => {
    const s = el('select', { 'aria-label': name }, el('option', { value: '' }, '全部'), ...Object.entries(map).map(([v, t]) => el('option', { value: v, ...(v === value ? { selected: 'selected' } : {}) }, t))) as HTMLSelectElement;
    s.addEventListener('change', () => navigate(here + query({ ...other, [name === '办理情况' ? 'state' : 'result']: s.value || undefined })));
    return el('label', {}, `${name} `, s);
  };
  main.replaceChildren(
    el('h1', {}, `${review.title}`),
    el('p', {}, el('a', { href: '/written-reviews' }, '全部书面审查'), `　审查范围：${scopeText(review)}　开展日期：${fmtDate(review.openedAt)}`),
    ...(review.state === 'opening' ? [el('p', { role: 'status' }, `正在分批纳入审查范围内的用人单位（已纳入${review.enrolled}家，共${review.employersTotal}家），请稍后刷新查看。`)] : []),
    el('h2', {}, '各网格进度'),
    progressTable(review.progress.grids, review.progress.total),
    el('h2', {}, `用人单位（${employers.total}家）`),
    el('p', {}, filter('办理情况', WRITTEN_REVIEW_STATE_LABELS, state, { result: result || undefined }), '　', filter('审查结果', WRITTEN_REVIEW_RESULT_LABELS, result, { state: state || undefined })),
    employerTable(employers.items),
    ...(imports(me.roles) ? [importForm(review.id, () => navigate(here))] : []),
  );
}

function submissionForm(r: ReviewEmployer, onDone: () => void): HTMLElement {
  const status = el('p', { role: 'status' });
  const num = (name: string, max: number) => el('input', { type: 'number', min: '0', max: String(max), step: '1', required: 'required', 'aria-label': name, name }) as HTMLInputElement;
  const fields = {
    headcount: num('职工人数', 1_000_000), contractsSigned: num('签订劳动合同人数', 1_000_000), wagesPaid: num('全年工资总额（元）', 1e11),
    wagePayDay: num('每月工资支付日', 31), socialInsuranceParticipants: num('参加社会保险人数', 1_000_000), migrantWorkers: num('农民工人数', 1_000_000),
    migrantWagesOwed: num('拖欠农民工工资（元）', 1e11),
  };
  fields.wagesPaid.step = '0.01';
  fields.migrantWagesOwed.step = '0.01';
  const hours = el('select', { 'aria-label': '工时制度' }, ...Object.entries(WORKING_HOURS_LABELS).map(([v, t]) => el('option', { value: v }, t))) as HTMLSelectElement;
  const note = el('textarea', { rows: 2, maxlength: 2000, 'aria-label': '备注' }) as HTMLTextAreaElement;
  const send = el('button', { type: 'button', id: 'record-submission' }, '登记报送材料') as HTMLButtonElement;
  send.addEventListener('click', async () => {
    const values = Object.fromEntries(Object.entries(fields).map(([k, i]) => [k, i.value === '' ? NaN : Number(i.value)]));
    const missing = Object.entries(fields).filter(([k]) => !Number.isFinite(values[k])).map(([, i]) => i.getAttribute('aria-label'));
    if (missing.length) { status.textContent = `请填写：${missing.join('、')}。`; return; }
    send.disabled = true;
    try {
      await api('POST', `/api/written-reviews/employers/${r.id}/submission`, { ...values, workingHoursSystem: hours.value, ...(note.value.trim() ? { note: note.value.trim() } : {}) });
      onDone();
    } catch (e) {
      status.textContent = explain(e);
    } finally {
      send.disabled = false;
    }
  });
  const row = (input: HTMLElement) => el('label', {}, `${input.getAttribute('aria-label')} `, input);
  return el('section', { class: 'panel' }, el('h2', {}, '窗口登记报送材料'),
    ...Object.values(fields).flatMap((i) => [row(i), el('br')]), row(hours), el('br'), row(note), el('br'), send, status);
}

export async function showWrittenReviewEmployer({ main, params, navigate }: PageContext): Promise<void> {
  const render = currentRender();
  const title = '书面审查记录';
  main.replaceChildren(el('h1', {}, title), el('p', { class: 'muted' }, '正在加载…'));
  let r: ReviewEmployer;
  try {
    r = await get<ReviewEmployer>(`/api/written-reviews/employers/${params.id}`);
  } catch (e) {
    if (render === currentRender()) failed(main, title, e);
    return;
  }
  if (render !== currentRender()) return;
  const yesNo = (v: boolean | null, yes: string, no: string) => (v === null ? '—' : v ? yes : no);
  const facts: [string, string][] = [
    ['办理情况', label(WRITTEN_REVIEW_STATE_LABELS, r.state)], ['审查结果', r.result ? label(WRITTEN_REVIEW_RESULT_LABELS, r.result) : '—'],
    ['报送期限', fmtDate(r.submissionDueAt)], ['催报期限', fmtDate(r.reminderDueAt)],
    ['报送日期', r.submittedAt ? `${fmtDate(r.submittedAt)}（${label(WRITTEN_REVIEW_SOURCE_LABELS, r.submissionSource)}${r.submittedLate ? '，经催报后补报' : ''}）` : '—'],
    ['审查意见', r.reviewOpinion ?? '—'], ['是否有疑点', yesNo(r.flagged, '有疑点', '未发现疑点')], ['是否抽中实地核查', yesNo(r.sampled, '抽中', '未抽中')],
    ['实地核查', r.verifiedAt ? `${fmtDate(r.verifiedAt)}：${r.verificationNote ?? ''}` : '—'], ['限期改正期限', fmtDate(r.correctionDueAt)],
    ['复查', yesNo(r.corrected, '已改正', '逾期未改正')],
  ];
  const s = r.submission;
  main.replaceChildren(
    el('h1', {}, `${r.employerName} 书面审查`),
    el('p', {}, el('a', { href: `/written-reviews/${r.reviewId}` }, '审查进度'), '　', el('a', { href: `/employers/${r.employerId}` }, '用人单位档案'),
      ...(r.caseId ? ['　', el('a', { href: `/cases/${r.caseId}` }, '立案调查的案件')] : [])),
    el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('h2', {}, '报送材料'),
    s ? el('dl', { class: 'facts', id: 'review-submission' }, ([
      ['职工人数', people(s.headcount)], ['签订劳动合同人数', people(s.contractsSigned)], ['全年工资总额', `${s.wagesPaid.toLocaleString('zh-CN')}元`],
      ['每月工资支付日', `${s.wagePayDay}号`], ['工时制度', label(WORKING_HOURS_LABELS, s.workingHoursSystem)], ['参加社会保险人数', people(s.socialInsuranceParticipants)],
      ['农民工人数', people(s.migrantWorkers)], ['拖欠农民工工资', s.migrantWagesOwed ? `${s.migrantWagesOwed.toLocaleString('zh-CN')}元` : '无'], ['备注', s.note ?? '—'],
    ] as [string, string][]).flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])) : el('p', { class: 'muted' }, '尚未报送。'),
    el('h2', {}, '文书'),
    r.documents.length
      ? el('ul', {}, r.documents.map((d) => el('li', {}, el('a', { href: `/api/documents/${d.id}/pdf`, target: '_blank' }, `${d.title}（${d.number}）`), `　${fmtDate(d.issuedAt)}`)))
      : el('p', { class: 'muted' }, '尚未出具。'),
    ...(r.state === 'notified' || r.state === 'reminded' ? [submissionForm(r, () => navigate(`/written-reviews/employers/${r.id}`))] : []),
  );
}

registerEmployerSection({
  slot: 'other', title: '书面审查',
  async render(employer, { me }) {
    if (me.roles.every((r) => r === 'enterprise_coordinator')) return null;
    const credit = await get<{ writtenReviews?: { reviewEmployerId: string; year: number; state: string; result: string | null }[] }>(`/api/employers/${employer.id}/credit`).catch(() => null);
    if (!credit?.writtenReviews?.length) return null;
    return el('table', { class: 'table', id: 'employer-written-reviews' },
      el('thead', {}, el('tr', {}, ['审查年度', '办理情况', '审查结果', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, credit.writtenReviews.map((w) => el('tr', {}, el('td', {}, `${w.year}年度`), el('td', {}, label(WRITTEN_REVIEW_STATE_LABELS, w.state)),
        el('td', {}, w.result ? label(WRITTEN_REVIEW_RESULT_LABELS, w.result) : '—'), el('td', {}, el('a', { href: `/written-reviews/employers/${w.reviewEmployerId}` }, '查看'))))));
  },
});
