/**
 * 节假日安排: the years the calendar knows (已公布) and the coming ones it does not (暂定: deadlines
 * reaching into them are counted by weekends alone), a year's days, and the form that enters a year's
 * schedule as the State Council's notice publishes it each autumn: the notice's title and number, the
 * day it was published, and its days (放假 or 调休上班), one row each, with a shortcut that adds a run
 * of holiday days. Saving recomputes the year's 暂定 deadlines; the answer says how many.
 */
import { api, ApiError, get } from '../api';
import { chinaDay, el, fmtDate, uid } from '../dom';
import { clearErrors, field, input, select } from '../fields';
import { CALENDAR_KIND_LABELS, CALENDAR_SOURCE_LABELS, CALENDAR_STATUS_LABELS, label } from '../labels';
import { currentRender, type PageContext } from '../router';
import { adminNav, showRefusal } from './admin-common';

interface Entry { date: string; kind: 'holiday' | 'workday'; name: string }
interface Year {
  year: number; status: 'published' | 'provisional'; final: boolean; source: 'chinese-days' | 'admin' | null;
  notice: string | null; publishedAt: number | null; holidays: number; workdays: number;
}
type YearDetail = Year & { entries: Entry[] };
interface Saved extends YearDetail { recomputed: { deadlines: number; cases: number; stillProvisional: number } }

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 2027-01-01 → 2027年1月1日. */
function fmtDay(date: string): string {
  const m = DAY_RE.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}
function weekday(date: string): string {
  const m = DAY_RE.exec(date);
  return m ? '星期' + WEEKDAYS[new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay()] : '';
}
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const statusTag = (y: Year) => el('span', { class: y.final ? 'tag' : 'badge provisional' }, label(CALENDAR_STATUS_LABELS, y.status));

export async function showCalendarYears({ main }: PageContext): Promise<void> {
  const seq = currentRender();
  const years = (await get<{ items: Year[] }>('/api/calendar/years')).items;
  if (seq !== currentRender()) return;
  const pending = years.filter((y) => !y.final);
  main.replaceChildren(el('section', { class: 'card' },
    el('h1', { id: 'admin-title' }, '节假日安排'),
    adminNav('/admin/calendar'),
    el('p', { class: 'muted' }, '国务院办公厅每年秋季公布下一年的节假日安排。尚未公布的年度按周末计算工作日，涉及该年度的期限标为“暂定”；录入安排后，这些期限将重新计算。'),
    pending.length ? el('p', { class: 'notice', id: 'calendar-pending' }, `${pending.map((y) => y.year + '年').join('、')}节假日安排尚未录入。`) : null,
    el('table', { id: 'calendar-years' },
      el('caption', { class: 'sr-only' }, '各年度节假日安排'),
      el('thead', {}, el('tr', {}, ['年度', '状态', '来源', '依据的通知', '发布日期', '放假天数', '调休上班天数', '操作'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, years.map((y) => el('tr', { 'data-year': y.year },
        el('th', { scope: 'row' }, `${y.year}年`),
        el('td', {}, statusTag(y)),
        el('td', {}, y.source ? label(CALENDAR_SOURCE_LABELS, y.source) : '—'),
        el('td', {}, y.notice ?? (y.source === 'chinese-days' ? '国务院办公厅公布的节假日安排（随系统提供）' : '—')),
        el('td', {}, y.publishedAt !== null ? fmtDate(y.publishedAt) : '—'),
        el('td', { class: 'num' }, y.holidays),
        el('td', { class: 'num' }, y.workdays),
        el('td', {}, el('a', { href: `/admin/calendar/${y.year}` }, y.final ? '查看' : '录入安排'))))))));
}

export async function showCalendarYear(ctx: PageContext, done?: string): Promise<void> {
  const { main, params } = ctx;
  const seq = currentRender();
  const year = Number(params.year);
  const y = await get<YearDetail>(`/api/calendar/years/${year}`);
  if (seq !== currentRender()) return;

  const days = y.entries.length
    ? el('table', { id: 'calendar-days' },
      el('caption', { class: 'sr-only' }, `${year}年节假日安排`),
      el('thead', {}, el('tr', {}, ['日期', '星期', '安排', '节日'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, y.entries.map((e) => el('tr', { 'data-date': e.date, class: e.kind === 'workday' ? 'workday' : null },
        el('td', {}, fmtDay(e.date)), el('td', {}, weekday(e.date)), el('td', {}, label(CALENDAR_KIND_LABELS, e.kind)), el('td', {}, e.name)))))
    : el('p', { class: 'muted', id: 'calendar-days' }, '尚无该年度的安排：工作日按周一至周五计算，涉及该年度的期限为暂定。');

  main.replaceChildren(
    el('section', { class: 'card' },
      el('h1', { id: 'admin-title' }, `${year}年节假日安排`),
      adminNav('/admin/calendar'),
      el('p', {}, el('a', { href: '/admin/calendar' }, '← 全部年度')),
      el('dl', { class: 'facts' },
        el('dt', {}, '状态'), el('dd', { id: 'calendar-status' }, statusTag(y)),
        el('dt', {}, '来源'), el('dd', {}, y.source ? label(CALENDAR_SOURCE_LABELS, y.source) : '—'),
        el('dt', {}, '依据的通知'), el('dd', {}, y.notice ?? '—'),
        el('dt', {}, '发布日期'), el('dd', {}, y.publishedAt !== null ? fmtDate(y.publishedAt) : '—'),
        el('dt', {}, '放假 / 调休上班'), el('dd', {}, `${y.holidays}天 / ${y.workdays}天`)),
      el('p', { class: 'status', role: 'status', id: 'calendar-done' }, done ?? ''),
      days),
    el('section', { class: 'card' }, scheduleForm(ctx, y)));
  if (done) document.getElementById('calendar-done')!.className = 'message ok';
}

function scheduleForm(ctx: PageContext, y: YearDetail): HTMLFormElement {
  const year = y.year;
  const status = el('p', { class: 'status', role: 'status' });
  const source = input({ id: 'cal-source', maxlength: 300, value: y.source === 'admin' ? y.notice ?? '' : '', placeholder: `国务院办公厅关于${year}年部分节假日安排的通知（国办发明电〔${year - 1}〕×号）` });
  const published = input({ id: 'cal-published', type: 'date', value: y.publishedAt !== null ? chinaDay(y.publishedAt) : '' });
  const body = el('tbody', {});
  const bounds = { min: `${year}-01-01`, max: `${year}-12-31` };

  function renumber(): void {
    [...body.rows].forEach((tr, i) => {
      for (const c of tr.querySelectorAll<HTMLElement>('[data-part]')) c.dataset.path = `entries.${i}.${c.dataset.part}`;
      tr.querySelector('.row-no')!.textContent = String(i + 1);
    });
  }
  function addRow(e: Partial<Entry> = {}): void {
    const cell = (control: HTMLInputElement | HTMLSelectElement, part: string, text: string) => {
      control.id = uid('cal');
      control.dataset.part = part;
      control.setAttribute('aria-label', text);
      control.setAttribute('aria-describedby', control.id + '-err');
      return el('td', {}, control, el('p', { class: 'field-error', id: control.id + '-err', 'aria-live': 'polite' }));
    };
    const date = input({ type: 'date', value: e.date ?? '', ...bounds });
    const kind = select(Object.entries(CALENDAR_KIND_LABELS), {});
    kind.value = e.kind ?? 'holiday';
    const name = input({ value: e.name ?? '', maxlength: 50, placeholder: '如：春节' });
    const tr = el('tr', {},
      el('td', { class: 'row-no' }),
      cell(date, 'date', '日期'), cell(kind, 'kind', '安排'), cell(name, 'name', '节日名称'),
      el('td', {}, el('button', { type: 'button', class: 'link danger', onclick: () => { tr.remove(); renumber(); } }, '删除')));
    body.append(tr);
    renumber();
  }
  (y.entries.length ? y.entries : [{}]).forEach((e) => addRow(e));

  // The notice says "1月28日至2月4日放假调休，共8天": a run of days is entered at once.
  const from = input({ id: 'cal-range-from', type: 'date', ...bounds });
  const to = input({ id: 'cal-range-to', type: 'date', ...bounds });
  const rangeName = input({ id: 'cal-range-name', maxlength: 50, placeholder: '如：春节' });
  const rangeError = el('p', { class: 'field-error', id: 'cal-range-err', 'aria-live': 'polite' });
  const addRange = () => {
    rangeError.textContent = '';
    if (!from.value || !rangeName.value.trim()) return void (rangeError.textContent = '请填写起始日期和节日名称');
    const last = to.value || from.value;
    if (last < from.value) return void (rangeError.textContent = '结束日期不能早于起始日期');
    const blank = [...body.rows].filter((tr) => [...tr.querySelectorAll<HTMLInputElement>('input')].every((i) => !i.value));
    blank.forEach((tr) => tr.remove());
    for (let d = from.value; d <= last; d = nextDay(d)) addRow({ date: d, kind: 'holiday', name: rangeName.value.trim() });
    from.value = ''; to.value = ''; rangeName.value = '';
  };

  const form = el('form', { novalidate: true, id: 'calendar-form', 'aria-label': `录入${year}年节假日安排` },
    el('h2', {}, y.final ? `更正${year}年节假日安排` : `录入${year}年节假日安排`),
    el('p', { class: 'muted' }, '按国务院办公厅的通知逐日填写：放假的日期（含周末）和调休上班的周六、周日。保存后替换该年度原有安排，并重新计算该年度的暂定期限。'),
    el('div', { class: 'grid' },
      field('通知名称及文号', source, { path: 'source', required: true, wide: true }),
      field('发布日期', published, { path: 'publishedAt', required: true })),
    el('fieldset', {}, el('legend', {}, '连续放假日期'),
      el('div', { class: 'grid' }, field('自', from), field('至', to, { hint: '只放一天可不填' }), field('节日名称', rangeName)),
      rangeError,
      el('div', { class: 'form-actions' }, el('button', { type: 'button', id: 'cal-range-add', onclick: addRange }, '添加这些日期'))),
    el('table', { id: 'calendar-entries' },
      el('caption', {}, '逐日安排', el('p', { class: 'field-error', id: 'cal-entries-err', 'aria-live': 'polite' })),
      el('thead', {}, el('tr', {}, ['序号', '日期', '安排', '节日名称', ''].map((h) => el('th', { scope: 'col' }, h)))),
      body),
    el('div', { class: 'form-actions' },
      el('button', { type: 'button', id: 'cal-add-row', onclick: () => addRow() }, '添加一行'),
      el('button', { type: 'submit', class: 'primary' }, '保存安排')),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    document.getElementById('cal-entries-err')!.textContent = '';
    for (const tr of [...body.rows]) if ([...tr.querySelectorAll<HTMLInputElement>('input')].every((i) => !i.value)) tr.remove();
    renumber();
    const entries = [...body.rows].map((tr) => ({
      date: tr.querySelector<HTMLInputElement>('[data-part="date"]')!.value,
      kind: tr.querySelector<HTMLSelectElement>('[data-part="kind"]')!.value,
      name: tr.querySelector<HTMLInputElement>('[data-part="name"]')!.value.trim(),
    }));
    try {
      const saved = await api<Saved>('PUT', `/api/calendar/years/${year}`, { source: source.value, publishedAt: published.value, entries });
      const r = saved.recomputed;
      await showCalendarYear(ctx, `已保存${year}年节假日安排。` + (r.deadlines
        ? `${r.cases}个案件的${r.deadlines}项暂定期限已按新安排重新计算${r.stillProvisional ? `，其中${r.stillProvisional}项仍涉及未公布的年度` : ''}。`
        : '没有需要重新计算的暂定期限。'));
    } catch (e) {
      showRefusal(form, status, e);
      const whole = e instanceof ApiError ? e.details.find((d) => d.path === 'body.entries') : undefined;
      if (whole) document.getElementById('cal-entries-err')!.textContent = whole.message;
      // The server names days as YYYY-MM-DD; the window says 2027年1月1日.
      for (const p of form.querySelectorAll('.field-error, .message')) p.textContent = (p.textContent ?? '').replace(/\d{4}-\d{2}-\d{2}/g, fmtDay);
    }
  });
  return form;
}
