/**
 * 守法诚信等级评价 (企业劳动保障守法诚信等级评价办法, 2016): the office's yearly runs and opening one
 * (legal staff, supervisors); a run with its counts, objection period and open task, its grades
 * filtered by grade and grid with the records that justify each, a proposal changed at review with
 * its reason, an objection entered at the window and its decision. Also the employer page's section
 * 守法诚信等级: the employer's grades over the years, from GET /api/employers/:id/credit-grades.
 */
import { api, explain, get, query } from '../api';
import { chinaToday, el, fmtDate } from '../dom';
import { GRADE_CHANGE_LABELS, GRADE_LABELS } from '../labels';
import { currentRender, type PageContext } from '../router';
import { registerEmployerSection } from './employer-sections';

type Grade = 'A' | 'B' | 'C';
interface Run {
  id: string; year: number; state: string; stateLabel: string; startedAt: number; notifiedAt: number | null; objectionDueAt: number | null; finalizedAt: number | null;
  counts: Record<Grade, number>; objections: { total: number; open: number; late: number }; task: { key: string; name: string | null } | null;
}
interface Objection {
  id: string; receivedAt: number; dueAt: number; late: boolean; content: string; decision: string | null; decisionLabel: string | null; newGrade: Grade | null;
  decisionReasons: string | null; document: { id: string; number: string } | null; decidedByName?: string | null; decidedAt: number | null;
}
interface GradeRow {
  id: string; year: number; employerId: string; employerName: string; gridId: string | null; gridName: string | null; proposedGrade: Grade; grade: Grade; final: boolean;
  reasons: { text: string; criterionLabel: string }[]; notice: { id: string; number: string } | null; notifiedAt: number | null;
  changes: { kind: string; fromGrade: Grade; toGrade: Grade; reason: string; changedByName: string; changedAt: number }[]; objections: Objection[];
}
interface Grid { id: string; name: string; level: number; visible?: boolean }

const TITLE = '守法诚信等级评价';
const PAGE = 50;
const decides = (roles: string[]) => roles.some((r) => r === 'legal' || r === 'supervisor');
const records = (roles: string[]) => roles.some((r) => ['handler', 'legal', 'supervisor', 'admin'].includes(r));
const gradeText = (g: Grade) => GRADE_LABELS[g] ?? '—';

function failed(main: HTMLElement, e: unknown): void {
  main.replaceChildren(el('h1', {}, TITLE), el('p', { class: 'error', role: 'alert' }, explain(e)));
}

/** A small form that posts and reloads; `fields` return the body or a message to show instead. */
function actionForm(id: string, label: string, controls: (HTMLElement | string)[], body: () => Record<string, unknown> | string, path: string, done: (r: unknown) => string, reload: () => void): HTMLElement {
  const status = el('p', { role: 'status' });
  const send = el('button', { type: 'button', id }, label) as HTMLButtonElement;
  send.addEventListener('click', async () => {
    const b = body();
    if (typeof b === 'string') { status.textContent = b; return; }
    send.disabled = true;
    try {
      status.textContent = done(await api('POST', path, b));
      reload();
    } catch (e) {
      status.textContent = explain(e);
    } finally {
      send.disabled = false;
    }
  });
  return el('div', { class: 'panel' }, ...controls, send, status);
}

function gradeSelect(label: string, choices: Grade[]): HTMLSelectElement {
  return el('select', { 'aria-label': label }, choices.map((g) => el('option', { value: g }, gradeText(g)))) as HTMLSelectElement;
}

function objectionLine(o: Objection): HTMLElement {
  const state = o.decision ? `${o.decisionLabel ?? '已决定'}${o.newGrade ? `（变更为${gradeText(o.newGrade)}）` : ''}` : '待复核';
  return el('li', {}, `${fmtDate(o.receivedAt)}收到${o.late ? '（逾期）' : ''}：${o.content}　— ${state}`,
    o.decisionReasons && o.decision !== 'late' ? `。理由：${o.decisionReasons}` : '',
    o.document ? el('span', {}, '　', el('a', { href: `/api/documents/${o.document.id}/pdf`, target: '_blank' }, `异议复核决定书（${o.document.number}）`)) : '');
}

function gradeActions(g: GradeRow, run: Run, roles: string[], reload: () => void): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (run.state === 'reviewing' && decides(roles)) {
    const to = gradeSelect('调整后的等级', (['A', 'B', 'C'] as Grade[]).filter((x) => x !== g.grade));
    const reason = el('input', { type: 'text', maxlength: 2000, 'aria-label': '调整理由', placeholder: '调整理由（必填）' }) as HTMLInputElement;
    out.push(actionForm(`change-${g.id}`, '调整等级', [el('label', {}, '调整为 ', to), ' ', reason, ' '],
      () => (reason.value.trim() ? { grade: to.value, reason: reason.value } : '请写明调整理由。'),
      `/api/credit/grading/grades/${g.id}/change`, () => '已调整。', reload));
  }
  const open = g.objections.find((o) => !o.decision);
  if (g.notice && !open && records(roles)) {
    const received = el('input', { type: 'date', 'aria-label': '收到日期' }) as HTMLInputElement;
    const content = el('input', { type: 'text', maxlength: 3000, 'aria-label': '异议内容', placeholder: '异议内容及理由' }) as HTMLInputElement;
    out.push(actionForm(`object-${g.id}`, '登记异议', [el('label', {}, '收到日期（不填为今天） ', received), ' ', content, ' '],
      () => (content.value.trim() ? { content: content.value, ...(received.value ? { receivedAt: received.value } : {}) } : '请填写异议内容。'),
      `/api/credit/grading/grades/${g.id}/objections`, (r) => ((r as { late: boolean }).late ? '已登记。异议逾期提出，已按规定记为逾期并书面答复。' : '已登记，待法制人员复核。'), reload));
  }
  if (open && !open.late && decides(roles)) {
    const decision = el('select', { 'aria-label': '复核结论' }, el('option', { value: 'rejected' }, '异议不成立，维持等级'), el('option', { value: 'upheld' }, '异议成立，变更等级')) as HTMLSelectElement;
    const to = gradeSelect('变更后的等级', (['A', 'B'] as Grade[]).filter((x) => x !== g.grade));
    const reasons = el('input', { type: 'text', maxlength: 4000, 'aria-label': '复核理由', placeholder: '复核理由（必填）' }) as HTMLInputElement;
    out.push(actionForm(`decide-${open.id}`, '作出复核决定', [decision, ' ', el('label', {}, '变更为 ', to), ' ', reasons, ' '],
      () => (reasons.value.trim() ? { decision: decision.value, reasons: reasons.value, ...(decision.value === 'upheld' ? { grade: to.value } : {}) } : '请写明复核理由。'),
      `/api/credit/grading/objections/${open.id}/decision`, () => '已作出决定，异议复核决定书已出具。', reload));
  }
  return out;
}

function gradeTable(items: GradeRow[], run: Run | null, roles: string[], reload: () => void, id: string): HTMLElement {
  if (!items.length) return el('p', { class: 'muted', id }, '没有符合条件的评价记录。');
  return el('table', { class: 'table', id },
    el('thead', {}, el('tr', {}, [run ? '用人单位' : '年度', '网格', '拟定等级', '评价等级', '依据', '调整与异议', run ? '办理' : ''].map((h) => el('th', {}, h)))),
    el('tbody', {}, items.map((g) => el('tr', { 'data-grade': g.grade },
      el('td', {}, run ? el('a', { href: `/employers/${g.employerId}` }, g.employerName) : `${g.year}年度`),
      el('td', {}, g.gridName ?? '—'),
      el('td', {}, gradeText(g.proposedGrade)),
      el('td', {}, el('strong', {}, gradeText(g.grade)), g.final ? '' : '（未确定）'),
      el('td', {}, g.reasons.length
        ? el('ul', {}, g.reasons.map((r) => el('li', {}, `${r.criterionLabel}：${r.text}`)))
        : '评价年度内未发现劳动保障违法行为',
      g.notice ? el('p', {}, el('a', { href: `/api/documents/${g.notice.id}/pdf`, target: '_blank' }, `评价结果告知书（${g.notice.number}）`)) : ''),
      el('td', {},
        g.changes.length ? el('ul', {}, g.changes.map((c) => el('li', {}, `${fmtDate(c.changedAt)} ${GRADE_CHANGE_LABELS[c.kind] ?? '调整'}：${gradeText(c.fromGrade)}→${gradeText(c.toGrade)}，${c.reason}（${c.changedByName}）`))) : '',
        g.objections.length ? el('ul', {}, g.objections.map(objectionLine)) : (g.changes.length ? '' : '—')),
      el('td', {}, ...(run ? gradeActions(g, run, roles, reload) : []))))));
}

async function showRun(ctx: PageContext, runId: string): Promise<void> {
  const { main, query: q, navigate, me } = ctx;
  const render = currentRender();
  const grade = q.get('grade') ?? '';
  const gridId = q.get('gridId') ?? '';
  const offset = Math.max(0, Number(q.get('offset') ?? 0) || 0);
  let run: Run;
  let page: { items: GradeRow[]; total: number };
  let grids: Grid[];
  try {
    [run, page, grids] = await Promise.all([
      get<Run>(`/api/credit/grading/runs/${runId}`),
      get<{ items: GradeRow[]; total: number }>(`/api/credit/grading/runs/${runId}/grades` + query({ grade: grade || undefined, gridId: gridId || undefined, limit: PAGE, offset })),
      get<{ items: Grid[] }>('/api/grids').then((r) => r.items).catch(() => [] as Grid[]),
    ]);
  } catch (e) {
    if (render === currentRender()) failed(main, e);
    return;
  }
  if (render !== currentRender()) return;
  const here = (over: Record<string, string | number | undefined>) => `/credit/grading/${runId}` + query({ grade: grade || undefined, gridId: gridId || undefined, ...over });
  const reload = () => navigate(here({ offset: offset || undefined }));
  const gradeFilter = el('select', { id: 'grade-filter', 'aria-label': '等级' }, [['', '全部等级'], ['A', gradeText('A')], ['B', gradeText('B')], ['C', gradeText('C')]]
    .map(([v, t]) => el('option', { value: v, ...(v === grade ? { selected: 'selected' } : {}) }, t))) as HTMLSelectElement;
  const gridFilter = el('select', { id: 'grid-filter', 'aria-label': '网格' }, [el('option', { value: '' }, '全部网格'),
    ...grids.filter((g) => g.visible !== false).map((g) => el('option', { value: g.id, ...(g.id === gridId ? { selected: 'selected' } : {}) }, g.name))]) as HTMLSelectElement;
  const apply = () => navigate(`/credit/grading/${runId}` + query({ grade: gradeFilter.value || undefined, gridId: gridFilter.value || undefined }));
  gradeFilter.addEventListener('change', apply);
  gridFilter.addEventListener('change', apply);
  const facts: [string, string][] = [
    ['评价年度', `${run.year}年度`], ['状态', run.stateLabel], ['开展日期', fmtDate(run.startedAt)],
    ['评价结果', `A级 ${run.counts.A}家，B级 ${run.counts.B}家，C级 ${run.counts.C}家`],
    ['告知日期', run.notifiedAt ? fmtDate(run.notifiedAt) : '—'], ['异议期限至', run.objectionDueAt ? fmtDate(run.objectionDueAt) : '—'],
    ['异议', `共${run.objections.total}件，待复核${run.objections.open}件，逾期${run.objections.late}件`],
    ['确定日期', run.finalizedAt ? fmtDate(run.finalizedAt) : '—'],
  ];
  const pager = el('p', {},
    offset > 0 ? el('a', { href: here({ offset: Math.max(0, offset - PAGE) || undefined }) }, '上一页') : '', ' ',
    `第${Math.floor(offset / PAGE) + 1}页，共${page.total}条`, ' ',
    offset + PAGE < page.total ? el('a', { href: here({ offset: offset + PAGE }) }, '下一页') : '');
  main.replaceChildren(
    el('h1', {}, `${run.year}年度${TITLE}`),
    el('p', {}, el('a', { href: '/credit/grading' }, '返回评价批次')),
    el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    run.task ? el('p', {}, '当前环节：', el('a', { href: `/tasks/${run.task.key}`, id: 'run-task' }, run.task.name ?? '待办')) : '',
    el('p', { class: 'muted' }, run.state === 'reviewing'
      ? '请逐一核对拟定等级及其依据；需要调整的写明理由后调整（记入审计记录）。审核完成后在待办中提交审核意见，系统向评为C级的单位出具评价结果告知书。'
      : '评为C级的单位可在异议期限内书面提出异议；逾期提出的记为逾期，不予复核并书面答复。'),
    el('div', { class: 'filters' }, el('label', {}, '等级 ', gradeFilter), ' ', el('label', {}, '网格 ', gridFilter)),
    gradeTable(page.items, run, me.roles, reload, 'grading-grades'),
    pager,
  );
}

export async function showCreditGrading(ctx: PageContext): Promise<void> {
  const { main, me, navigate, params } = ctx;
  if (params.id) return showRun(ctx, params.id);
  const render = currentRender();
  main.replaceChildren(el('h1', {}, TITLE), el('p', { class: 'muted' }, '正在加载…'));
  let runs: Run[];
  try {
    runs = (await get<{ items: Run[] }>('/api/credit/grading/runs')).items;
  } catch (e) {
    if (render === currentRender()) failed(main, e);
    return;
  }
  if (render !== currentRender()) return;
  const thisYear = Number(chinaToday().slice(0, 4));
  const start: HTMLElement[] = [];
  if (decides(me.roles)) {
    const year = el('select', { id: 'grading-year', 'aria-label': '评价年度' },
      [1, 2, 3].map((d) => thisYear - d).filter((y) => !runs.some((r) => r.year === y)).map((y) => el('option', { value: String(y) }, `${y}年度`))) as HTMLSelectElement;
    if (year.options.length) {
      start.push(el('section', { class: 'panel' }, el('h2', {}, '开展年度评价'),
        el('p', { class: 'muted' }, '根据评价年度内的案件、日常巡查和失信名单记录，为本机关每个用人单位拟定等级，交法制人员审核。'),
        actionForm('start-grading', '开展评价', [el('label', {}, '评价年度 ', year), ' '], () => ({ year: Number(year.value) }), '/api/credit/grading/runs',
          () => '已开展，正在拟定等级。', () => navigate('/credit/grading'))));
    }
  }
  main.replaceChildren(
    el('h1', {}, TITLE),
    el('p', { class: 'muted' }, '依据《企业劳动保障守法诚信等级评价办法》，每年对用人单位上年度遵守劳动保障法律法规的情况评为A级（守法诚信）、B级（基本守法诚信）或C级（不守法诚信）；等级决定日常巡查频次和随机抽查。'),
    ...start,
    runs.length
      ? el('table', { class: 'table', id: 'grading-runs' },
        el('thead', {}, el('tr', {}, ['评价年度', '状态', 'A级', 'B级', 'C级', '异议期限至', '当前环节', ''].map((h) => el('th', {}, h)))),
        el('tbody', {}, runs.map((r) => el('tr', {}, el('td', {}, `${r.year}年度`), el('td', {}, r.stateLabel),
          el('td', {}, String(r.counts.A)), el('td', {}, String(r.counts.B)), el('td', {}, String(r.counts.C)),
          el('td', {}, r.objectionDueAt ? fmtDate(r.objectionDueAt) : '—'),
          el('td', {}, r.task ? el('a', { href: `/tasks/${r.task.key}` }, r.task.name ?? '待办') : '—'),
          el('td', {}, el('a', { href: `/credit/grading/${r.id}` }, '查看'))))))
      : el('p', { class: 'muted', id: 'grading-runs' }, '尚未开展评价。'),
  );
}

registerEmployerSection({
  slot: 'grade', title: '守法诚信等级',
  async render(employer, { me }) {
    // An enterprise coordinator's sight of the employer is its file only; the grades are the office's.
    if (me.roles.every((r) => r === 'enterprise_coordinator')) return null;
    const file = await get<{ current: { grade: Grade; year: number } | null; grades: GradeRow[] }>(`/api/employers/${employer.id}/credit-grades`).catch(() => null);
    if (!file) return null;
    return el('div', { id: 'employer-grades' },
      el('p', {}, file.current ? `现行等级：${gradeText(file.current.grade)}（${file.current.year}年度评价）` : '尚未评定等级。'),
      file.grades.length ? gradeTable(file.grades, null, me.roles, () => undefined, 'employer-grade-history') : '');
  },
});
