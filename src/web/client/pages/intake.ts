/**
 * 受理登记: a complaint or report as the window receives it. Before saving, the open cases of the same
 * employer are shown (the server links the new case to the oldest of them); after saving, the case
 * number and the route the rules suggest, with their reasons.
 */
import { checkCreditCode, normalizeCreditCode } from '../../../cases/credit-code';
import { ApiError, explain, get, post, query } from '../api';
import { chinaLocalInputNow, chinaLocalToIso, el, fmtDateTime, fmtYuan } from '../dom';
import { clearErrors, Control, field, input, select, setError, showApiErrors } from '../fields';
import { CHANNEL_LABELS, CHANNELS, CLAIM_CATEGORIES, label, ROUTE_LABELS, STATUS_LABELS } from '../labels';
import type { PageContext } from '../router';

interface Employer { id: string; name: string; creditCode: string | null; gridId: string | null; address: string; legalRepresentative: string | null }
interface Grid { id: string; name: string; level: number }
interface OpenCase { caseId: string; caseNumber: string; status: string; receivedAt: number }
interface Registered {
  caseId: string; caseNumber: string; route: string; status: string;
  assessment?: { reasons?: string[]; suggestedRoute?: string };
  linkedCaseIds?: string[]; duplicates?: OpenCase[];
}

/** A list of like rows (people, workers, claims) whose controls carry `prefix.<index>.<field>` paths. */
class Rows {
  readonly list = el('div', { class: 'rows' });
  constructor(private readonly prefix: string, private readonly noun: string, private readonly make: () => HTMLElement[], private readonly onChange: () => void = () => {}) {}

  add(focus = false): void {
    const row = el('div', { class: 'row', role: 'group' });
    const remove = el('button', { type: 'button', class: 'link danger', onclick: () => { row.remove(); this.reindex(); this.onChange(); } }, `删除此${this.noun}`);
    row.append(...this.make(), el('div', { class: 'row-tools' }, remove));
    this.list.append(row);
    this.reindex();
    if (focus) row.querySelector<Control>('input, select, textarea')?.focus();
  }

  reindex(): void {
    [...this.list.children].forEach((row, i) => {
      row.setAttribute('aria-label', `${this.noun} ${i + 1}`);
      for (const c of row.querySelectorAll<Control>('[data-field]')) c.dataset.path = `${this.prefix}.${i}.${c.dataset.field}`;
    });
  }

  rows(): HTMLElement[] {
    return [...this.list.children] as HTMLElement[];
  }
}

const val = (row: HTMLElement, name: string): string => (row.querySelector<Control>(`[data-field="${name}"]`)?.value ?? '').trim();
const ctl = (row: HTMLElement, name: string): Control => row.querySelector<Control>(`[data-field="${name}"]`)!;

function fieldOf(labelText: string, name: string, control: Control, opts: { required?: boolean; hint?: string; wide?: boolean } = {}): HTMLElement {
  control.dataset.field = name;
  return field(labelText, control, opts);
}

/** Yuan with at most two decimals, or an error message. */
function parseYuan(s: string): number | string | undefined {
  if (!s) return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(s.replace(/,/g, ''))) return '请输入金额（元），最多两位小数';
  return Number(s.replace(/,/g, ''));
}

export async function showIntake({ main, me }: PageContext): Promise<void> {
  if (!me.roles.some((r) => r === 'intake' || r === 'admin')) {
    main.replaceChildren(el('section', { class: 'card' }, el('h1', {}, '受理登记'), el('p', { role: 'alert' }, '只有窗口受理人员可以登记投诉举报。')));
    return;
  }
  const grids = (await get<{ items: Grid[] }>('/api/grids')).items;

  // 基本信息
  const kindComplaint = el('input', { type: 'radio', name: 'kind', value: 'complaint', id: 'kind-complaint', checked: true });
  const kindReport = el('input', { type: 'radio', name: 'kind', value: 'report', id: 'kind-report' });
  const channel = select(CHANNELS.map((c) => [c, CHANNEL_LABELS[c]]), { id: 'channel' });
  const receivedAt = input({ type: 'datetime-local', id: 'receivedAt', value: chinaLocalInputNow() });
  const violationEndedOn = input({ type: 'date', id: 'violationEndedOn' });

  // 投诉人
  const complainants = new Rows('complainants', '投诉人', () => [
    fieldOf('姓名', 'name', input({ autocomplete: 'off' }), { required: true }),
    fieldOf('身份证件号码', 'idNumber', input({ autocomplete: 'off' })),
    fieldOf('联系电话', 'phone', input({ type: 'tel', autocomplete: 'off' })),
    fieldOf('联系地址', 'address', input({ autocomplete: 'off' }), { wide: true }),
  ]);

  // 用人单位
  let chosen: Employer | null = null;
  const search = input({ type: 'search', id: 'employer-search', autocomplete: 'off', placeholder: '输入单位名称的一部分' });
  const searchBtn = el('button', { type: 'button', id: 'employer-search-button' }, '查找');
  const results = el('ul', { class: 'results', id: 'employer-results', 'aria-live': 'polite' });
  const chosenBox = el('div', { id: 'employer-chosen', hidden: true });
  const empName = input({ id: 'employer-name', autocomplete: 'off' });
  const empCredit = input({ id: 'employer-creditCode', autocomplete: 'off', maxlength: 24, spellcheck: false });
  const empAddress = input({ id: 'employer-address', autocomplete: 'off' });
  const empLegal = input({ id: 'employer-legalRepresentative', autocomplete: 'off' });
  const empPhone = input({ id: 'employer-phone', type: 'tel', autocomplete: 'off' });
  const empGrid = select([['', '暂不确定（由分流时判断管辖）'], ...grids.map((g): [string, string] => [g.id, (g.level > 1 ? '　' : '') + g.name])], { id: 'employer-gridId' });
  const manual = el('div', { class: 'grid', id: 'employer-manual' },
    field('单位名称', empName, { path: 'employer.name', required: true }),
    field('统一社会信用代码', empCredit, { path: 'employer.creditCode', hint: '18位，不含 I、O、S、V、Z；不知道可不填' }),
    field('经营地址（用工所在地）', empAddress, { path: 'employer.address', wide: true }),
    field('法定代表人', empLegal, { path: 'employer.legalRepresentative' }),
    field('联系电话', empPhone, { path: 'employer.phone' }),
    field('所属网格', empGrid, { path: 'employer.gridId', hint: '选定网格并填写地址时，同时为该单位建档' }));
  const duplicates = el('section', { class: 'notice', id: 'duplicates', 'aria-live': 'polite', hidden: true });

  // 劳动者
  const totalOwed = el('p', { class: 'muted', id: 'total-owed' });
  const workers = new Rows('workers', '劳动者', () => {
    const amount = input({ inputmode: 'decimal', autocomplete: 'off' });
    amount.addEventListener('input', updateTotal);
    return [
      fieldOf('姓名', 'name', input({ autocomplete: 'off' }), { required: true }),
      fieldOf('身份证件号码', 'idNumber', input({ autocomplete: 'off' })),
      fieldOf('联系电话', 'phone', input({ type: 'tel', autocomplete: 'off' })),
      fieldOf('被拖欠金额（元）', 'amountOwed', amount),
      fieldOf('拖欠月数', 'monthsOwed', input({ type: 'number', min: 0, max: 600, step: 1, inputmode: 'numeric' })),
    ];
  }, updateTotal);
  function updateTotal(): void {
    const sum = workers.rows().reduce((s, r) => {
      const v = parseYuan(val(r, 'amountOwed'));
      return s + (typeof v === 'number' ? v : 0);
    }, 0);
    totalOwed.textContent = workers.rows().length ? `合计 ${workers.rows().length} 人，被拖欠 ${fmtYuan(sum)}` : '';
  }

  // 投诉请求
  const claims = new Rows('claims', '请求事项', () => [
    fieldOf('类别', 'category', select([['', '请选择'], ...Object.entries(CLAIM_CATEGORIES).map(([k, v]): [string, string] => [k, v.label])]), { required: true }),
    fieldOf('金额（元）', 'amount', input({ inputmode: 'decimal', autocomplete: 'off' })),
    fieldOf('起始日期', 'periodFrom', input({ type: 'date' })),
    fieldOf('截止日期', 'periodTo', input({ type: 'date' }), { hint: '违法行为仍在继续的不填' }),
    fieldOf('具体请求和事实', 'description', el('textarea', { rows: 2 }), { required: true, wide: true }),
  ]);

  const summary = el('textarea', { id: 'summary', rows: 4 });
  const formError = el('p', { class: 'error', role: 'alert', id: 'intake-error' });
  const submit = el('button', { type: 'submit', class: 'primary', id: 'intake-submit' }, '登记');

  const form = el('form', { id: 'intake-form', novalidate: true, 'aria-labelledby': 'intake-title' },
    el('fieldset', {}, el('legend', {}, '基本信息'),
      el('div', { class: 'grid' },
        el('div', { class: 'field', role: 'radiogroup', 'aria-labelledby': 'kind-label' },
          el('span', { class: 'label', id: 'kind-label' }, '类型'),
          el('div', { class: 'inline' }, el('label', { for: 'kind-complaint', class: 'choice' }, kindComplaint, '投诉'),
            el('label', { for: 'kind-report', class: 'choice' }, kindReport, '举报（可匿名）'))),
        field('来源渠道', channel, { path: 'channel', required: true }),
        field('收到时间（北京时间）', receivedAt, { path: 'receivedAt', required: true }),
        field('违法行为终了日期', violationEndedOn, { path: 'violationEndedOn', hint: '违法行为仍在继续的不填（查处时效自终了之日起计算）' }))),
    el('fieldset', {}, el('legend', {}, '投诉人'),
      el('p', { class: 'hint', id: 'complainants-hint' }, '投诉须至少登记一名投诉人；举报可以匿名。'),
      el('p', { class: 'field-error', id: 'complainants-err', 'data-path-error': 'complainants' }),
      complainants.list,
      el('button', { type: 'button', onclick: () => complainants.add(true) }, '＋ 添加投诉人')),
    el('fieldset', {}, el('legend', {}, '被投诉用人单位'),
      el('div', { class: 'search' }, field('查找已建档的用人单位', search), searchBtn),
      el('p', { class: 'hint' }, '按名称查找，回车或点“查找”；选中后自动带出信用代码、地址和网格。找不到时在下方填写单位信息。'),
      results, chosenBox, manual, duplicates),
    el('fieldset', {}, el('legend', {}, '被拖欠工资的劳动者'),
      workers.list,
      el('button', { type: 'button', onclick: () => workers.add(true) }, '＋ 添加劳动者'), totalOwed),
    el('fieldset', {}, el('legend', {}, '投诉请求'),
      el('p', { class: 'field-error', id: 'claims-err' }),
      claims.list,
      el('button', { type: 'button', onclick: () => claims.add(true) }, '＋ 添加请求事项')),
    el('fieldset', {}, el('legend', {}, '案情概要'),
      field('案情概要', summary, { path: 'summary', required: true, wide: true, hint: '用工时间、岗位、拖欠情况、已采取的协商等' })),
    el('div', { class: 'form-actions' }, submit, formError));

  complainants.add();
  workers.add();
  claims.add();

  // --- employer search and duplicates
  async function runSearch(): Promise<void> {
    const q = search.value.trim();
    results.replaceChildren();
    if (!q) return;
    const items = (await get<{ items: Employer[] }>('/api/employers' + query({ q, limit: 10 }))).items;
    if (!items.length) {
      results.append(el('li', { class: 'muted' }, '未找到已建档的单位，请在下方填写单位信息。'));
      return;
    }
    for (const e of items) {
      results.append(el('li', {},
        el('button', { type: 'button', class: 'result', onclick: () => choose(e) },
          el('strong', {}, e.name), ' ', el('span', { class: 'muted' }, `${e.creditCode ?? '无信用代码'} · ${e.address}`))));
    }
  }
  search.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') { ev.preventDefault(); void runSearch(); } });
  searchBtn.addEventListener('click', () => void runSearch());

  function choose(e: Employer | null): void {
    chosen = e;
    results.replaceChildren();
    manual.hidden = e !== null;
    chosenBox.hidden = e === null;
    if (e) {
      const change = el('button', { type: 'button', class: 'link', onclick: () => { choose(null); search.focus(); } }, '更换单位');
      chosenBox.replaceChildren(el('div', { class: 'chosen', 'data-path': 'employer.employerId', tabindex: '-1', id: 'employer-chosen-card' },
        el('strong', {}, e.name), el('br'), `统一社会信用代码：${e.creditCode ?? '—'}　地址：${e.address}　网格：${grids.find((g) => g.id === e.gridId)?.name ?? '—'}`,
        ' ', change));
      void checkDuplicates({ employerId: e.id });
      (chosenBox.querySelector('#employer-chosen-card') as HTMLElement).focus();
    } else {
      duplicates.hidden = true;
    }
  }

  let dupSeq = 0;
  async function checkDuplicates(key: { employerId?: string; creditCode?: string; name?: string }): Promise<void> {
    const seq = ++dupSeq;
    let items: OpenCase[];
    try {
      items = (await get<{ items: OpenCase[] }>('/api/complaints/duplicates' + query(key))).items;
    } catch {
      return; // advisory only: registration links duplicates on the server anyway
    }
    if (seq !== dupSeq) return;
    duplicates.hidden = items.length === 0;
    duplicates.replaceChildren(
      el('h3', {}, `该用人单位有 ${items.length} 件在办案件`),
      el('p', { class: 'hint' }, '登记后新案件将关联到最早的在办案件，分流时可选择并案办理。'),
      el('ul', {}, items.map((c) => el('li', {}, el('a', { href: `/cases/${c.caseId}`, target: '_blank', rel: 'noopener' }, c.caseNumber), `　${label(STATUS_LABELS, c.status)}　收到于 ${fmtDateTime(c.receivedAt)}`))));
  }
  empCredit.addEventListener('blur', () => {
    const v = normalizeCreditCode(empCredit.value);
    if (!v) { setError(empCredit, ''); return; }
    const r = checkCreditCode(v);
    setError(empCredit, r.ok ? '' : r.reason);
    if (r.ok) {
      empCredit.value = v;
      void checkDuplicates({ creditCode: v });
    }
  });
  empName.addEventListener('blur', () => {
    if (empName.value.trim() && !normalizeCreditCode(empCredit.value)) void checkDuplicates({ name: empName.value.trim() });
  });

  // --- collect, check, send
  function collect(): { body: Record<string, unknown>; ok: boolean } {
    clearErrors(form);
    let ok = true;
    const fail = (c: Control, msg: string) => { setError(c, msg); ok = false; };
    const kind = kindReport.checked ? 'report' : 'complaint';

    const people = complainants.rows().filter((r) => ['name', 'idNumber', 'phone', 'address'].some((f) => val(r, f)));
    const complainantList = people.map((r) => {
      if (!val(r, 'name')) fail(ctl(r, 'name'), '请填写投诉人姓名');
      return { name: val(r, 'name'), idNumber: val(r, 'idNumber') || undefined, phone: val(r, 'phone') || undefined, address: val(r, 'address') || undefined };
    });
    const complainantsErr = document.getElementById('complainants-err')!;
    complainantsErr.textContent = '';
    if (kind === 'complaint' && complainantList.length === 0) {
      const first = complainants.rows()[0];
      if (first) fail(ctl(first, 'name'), '投诉须至少登记一名投诉人（举报可匿名）');
      else { complainantsErr.textContent = '投诉须至少登记一名投诉人（举报可匿名）'; ok = false; }
    }

    let employer: Record<string, unknown>;
    if (chosen) employer = { employerId: chosen.id };
    else {
      if (!empName.value.trim()) fail(empName, '请填写用人单位名称，或在上方查找已建档单位');
      const cc = normalizeCreditCode(empCredit.value);
      if (cc) {
        const r = checkCreditCode(cc);
        if (!r.ok) fail(empCredit, r.reason);
      }
      if (empGrid.value && !empAddress.value.trim()) fail(empAddress, '为单位建档需要填写经营地址');
      employer = {
        name: empName.value.trim(), creditCode: cc || undefined, address: empAddress.value.trim() || undefined,
        legalRepresentative: empLegal.value.trim() || undefined, phone: empPhone.value.trim() || undefined, gridId: empGrid.value || undefined,
      };
    }

    const workerRows = workers.rows().filter((r) => ['name', 'idNumber', 'phone', 'amountOwed', 'monthsOwed'].some((f) => val(r, f)));
    const workerList = workerRows.map((r) => {
      if (!val(r, 'name')) fail(ctl(r, 'name'), '请填写劳动者姓名');
      const amount = parseYuan(val(r, 'amountOwed'));
      if (typeof amount === 'string') fail(ctl(r, 'amountOwed'), amount);
      const months = val(r, 'monthsOwed');
      if (months && !/^\d{1,3}$/.test(months)) fail(ctl(r, 'monthsOwed'), '请输入整月数');
      return {
        name: val(r, 'name'), idNumber: val(r, 'idNumber') || undefined, phone: val(r, 'phone') || undefined,
        amountOwed: typeof amount === 'number' ? amount : undefined, monthsOwed: months ? Number(months) : undefined,
      };
    });

    const claimRows = claims.rows().filter((r) => ['category', 'description', 'amount', 'periodFrom', 'periodTo'].some((f) => val(r, f)));
    const claimsErr = document.getElementById('claims-err')!;
    claimsErr.textContent = '';
    if (!claimRows.length) {
      const first = claims.rows()[0];
      if (first) fail(ctl(first, 'category'), '至少填写一项投诉请求');
      else { claimsErr.textContent = '至少填写一项投诉请求'; ok = false; }
    }
    const claimList = claimRows.map((r) => {
      if (!val(r, 'category')) fail(ctl(r, 'category'), '请选择类别');
      if (!val(r, 'description')) fail(ctl(r, 'description'), '请填写具体请求和事实');
      const amount = parseYuan(val(r, 'amount'));
      if (typeof amount === 'string') fail(ctl(r, 'amount'), amount);
      const from = val(r, 'periodFrom');
      const to = val(r, 'periodTo');
      if (from && to && from > to) fail(ctl(r, 'periodTo'), '截止日期不能早于起始日期');
      return { category: val(r, 'category'), description: val(r, 'description'), amount: typeof amount === 'number' ? amount : undefined, periodFrom: from || undefined, periodTo: to || undefined };
    });

    if (!receivedAt.value) fail(receivedAt, '请填写收到时间');
    else if (Date.parse(chinaLocalToIso(receivedAt.value)) > Date.now() + 60_000) fail(receivedAt, '收到时间不能晚于现在');
    if (!summary.value.trim()) fail(summary, '请填写案情概要');

    return {
      ok,
      body: {
        kind, channel: channel.value, receivedAt: receivedAt.value ? chinaLocalToIso(receivedAt.value) : undefined,
        violationEndedOn: violationEndedOn.value || undefined,
        complainants: complainantList, employer, workers: workerList, claims: claimList, summary: summary.value.trim(),
      },
    };
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    formError.textContent = '';
    const { body, ok } = collect();
    if (!ok) {
      formError.textContent = '请按红色提示修改后再登记。';
      form.querySelector<Control>('[aria-invalid="true"]')?.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = '正在登记…';
    try {
      const r = await post<Registered>('/api/complaints', body);
      showResult(r);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') {
        const rest = showApiErrors(form, e.details);
        formError.textContent = '请按提示修改后再登记。' + rest.map((d) => `${d.path}：${d.message}`).join('；');
      } else formError.textContent = explain(e);
    } finally {
      submit.disabled = false;
      submit.textContent = '登记';
    }
  });

  function showResult(r: Registered): void {
    const reasons = r.assessment?.reasons ?? [];
    const linked = r.duplicates ?? [];
    main.replaceChildren(el('section', { class: 'card', id: 'intake-result', 'aria-labelledby': 'result-title' },
      el('h1', { id: 'result-title' }, '已登记'),
      el('dl', { class: 'facts' },
        el('dt', {}, '案件编号'), el('dd', { id: 'case-number', class: 'big' }, r.caseNumber),
        el('dt', {}, '建议去向'), el('dd', { id: 'route' }, label(ROUTE_LABELS, r.route)),
        el('dt', {}, '状态'), el('dd', {}, label(STATUS_LABELS, r.status))),
      reasons.length ? el('div', {}, el('h2', {}, '初步审查'), el('ul', { id: 'reasons' }, reasons.map((x) => el('li', {}, x)))) : null,
      linked.length ? el('div', { class: 'notice' }, el('h2', {}, '已关联同一用人单位的在办案件'),
        el('ul', {}, linked.map((c) => el('li', {}, el('a', { href: `/cases/${c.caseId}` }, c.caseNumber), '　', label(STATUS_LABELS, c.status))))) : null,
      el('p', { class: 'hint' }, '建议去向由受理规则自动判断，由窗口人员在“诉前引导分流”任务中最终决定。'),
      el('div', { class: 'actions' },
        el('a', { class: 'button primary', href: `/cases/${r.caseId}`, id: 'open-case' }, '查看案件'),
        el('a', { class: 'button', href: '/inbox?scope=group' }, '去分流（我的待办）'),
        el('a', { class: 'button', href: '/intake' }, '继续登记'))));
    main.querySelector('h1')?.focus();
  }

  main.replaceChildren(el('section', { class: 'card' }, el('h1', { id: 'intake-title' }, '受理登记'),
    el('p', { class: 'muted' }, '带 * 的为必填项。登记后系统生成案件编号，并按受理规则给出建议去向。'), form));
}
