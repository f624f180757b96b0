/**
 * 信号广播: a supervisor (his own office) or the administrator (an office he chooses, or every office)
 * sends a signal the deployed diagrams declare — e.g. "the holiday schedule changed" — to the running
 * cases waiting for it. The page says which steps catch the chosen signal, asks for the reason and any
 * variables, shows how many of the office's cases wait for it before sending, then the result.
 */
import type { SignalBroadcastResult, SignalCatchView, SignalsPage, SignalView, SignalWaiting } from '../../../contracts/signals';
import { ApiError, explain, get, post, query } from '../api';
import { el } from '../dom';
import { clearErrors, field, select, setError, showApiErrors } from '../fields';
import { currentRender, type PageContext } from '../router';
import { signalLabel, variableRows, type VariableRows } from './signals-form';

const ALL_OFFICES = 'all';

const CATCH_KIND: Record<SignalCatchView['kind'], (c: SignalCatchView) => string> = {
  start: () => '启动新流程',
  boundary: (c) => `附在“${c.attachedToName ?? '未命名步骤'}”上，收到即转入该处`,
  catch: () => '流程在此等待',
};

/** Refusals of this page in words (the server's codes are stable; its messages are for developers). */
function refusal(e: unknown): string {
  if (e instanceof ApiError) {
    switch (e.code) {
      case 'UNKNOWN_SIGNAL': return '已部署的流程图中没有这个信号，也没有流程在等待它。';
      case 'SIGNAL_OFFICE_REQUIRED': return '请选择广播到哪个大队。';
      case 'ENGINE_CANNOT_BROADCAST': return '当前流程引擎（Zeebe）的信号须在其自身的管理工具中广播。';
    }
  }
  return explain(e);
}

export async function showSignals({ main }: PageContext): Promise<void> {
  const seq = currentRender();
  let data: SignalsPage;
  try {
    data = await get<SignalsPage>('/api/signals');
  } catch (e) {
    // In Zeebe mode the page has nothing to offer; say why instead of the shell's generic refusal.
    if (!(e instanceof ApiError && e.code === 'ENGINE_CANNOT_BROADCAST')) throw e;
    if (seq !== currentRender()) return;
    main.replaceChildren(el('section', { class: 'card' }, el('h1', {}, '信号广播'), el('p', { role: 'status' }, refusal(e))));
    return;
  }
  if (seq !== currentRender()) return;
  const card = el('section', { class: 'card' },
    el('h1', {}, '信号广播'),
    el('p', { class: 'muted' }, '向正在等待某一信号的案件流程广播该信号（例如节假日安排变更、规则调整），等待它的步骤随即继续办理；流程图中以该信号启动的流程也会启动。广播只到达所选大队的案件，并记入审计日志。'));
  main.replaceChildren(card);
  if (!data.signals.length) {
    card.append(el('p', { id: 'no-signals', role: 'status' }, '已部署的流程图中没有声明任何信号。'));
    return;
  }
  card.append(signalForm(data));
}

function signalForm(data: SignalsPage): HTMLElement {
  const byName = new Map(data.signals.map((s) => [s.name, s]));
  const office = data.offices.length
    ? select([['', '请选择'], ...data.offices.map((o): [string, string] => [o.id, o.name]), [ALL_OFFICES, '全部大队']], { id: 'signal-office', required: true })
    : null;
  const name = select(data.signals.map((s): [string, string] => [s.name, signalLabel(s)]), { id: 'signal-name', required: true });
  const catches = el('ul', { id: 'signal-catches', class: 'plain' });
  const reason = el('textarea', { id: 'signal-reason', rows: 3, maxlength: 500, required: true });
  const vars: VariableRows = variableRows();
  const status = el('p', { class: 'message', role: 'status', id: 'signal-status' });
  const confirmBox = el('div', { id: 'signal-confirm', class: 'confirm', hidden: true });
  const check = el('button', { type: 'submit', id: 'signal-check' }, '查看等待数量');

  const showCatches = () => {
    const s: SignalView | undefined = byName.get(name.value);
    catches.replaceChildren(...(s?.catches ?? []).map((c) => el('li', {}, `${c.processName} · ${c.stepName}（${CATCH_KIND[c.kind](c)}）`)));
  };
  name.addEventListener('change', () => { showCatches(); confirmBox.hidden = true; });
  office?.addEventListener('change', () => { confirmBox.hidden = true; });
  showCatches();

  const target = (): { officeId?: string; allOffices?: true } =>
    !office ? {} : office.value === ALL_OFFICES ? { allOffices: true } : { officeId: office.value };
  const where = () => (!office ? `本大队（${data.officeName ?? '本大队'}）` : office.value === ALL_OFFICES ? '全部大队' : office.selectedOptions[0].textContent ?? '');

  const form = el('form', { id: 'signal-form', novalidate: true },
    office ? field('广播到', office, { path: 'officeId', required: true }) : el('p', { id: 'signal-scope' }, `广播范围：${where()}`),
    field('信号', name, { path: 'name', required: true }),
    el('div', { class: 'field wide' }, el('p', { class: 'hint' }, '接收该信号的流程步骤：'), catches),
    field('广播原因', reason, { path: 'reason', required: true, wide: true, hint: '写明依据，例如“国务院办公厅发布2027年节假日安排”。' }),
    vars.element,
    el('div', { class: 'actions' }, check),
    confirmBox,
    status);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    status.className = 'message';
    status.textContent = '';
    confirmBox.hidden = true;
    let ok = vars.check();
    if (office && !office.value) { setError(office, '请选择广播到哪个大队'); ok = false; }
    if (reason.value.trim().length < 2) { setError(reason, '请填写广播原因（至少2个字）'); ok = false; }
    if (!ok) return;
    try {
      const w = await get<SignalWaiting>('/api/signals/waiting' + query({ name: name.value, ...target(), allOffices: target().allOffices ? 'true' : undefined }));
      const send = el('button', { type: 'button', id: 'signal-send' }, '确认广播');
      const cancel = el('button', { type: 'button', class: 'secondary', id: 'signal-cancel', onclick: () => { confirmBox.hidden = true; } }, '取消');
      confirmBox.replaceChildren(
        el('p', { id: 'signal-waiting' },
          `${where()}目前有 ${w.cases} 个在办案件${w.otherProcesses ? `和 ${w.otherProcesses} 个其他流程` : ''}在等待信号“${signalLabel(byName.get(name.value)!)}”`,
          w.starts ? `；广播还将启动 ${w.starts} 个流程` : '',
          '。确定广播吗？'),
        el('div', { class: 'actions' }, send, cancel));
      confirmBox.hidden = false;
      send.focus();
      send.addEventListener('click', async () => {
        send.disabled = true;
        try {
          const r = await post<SignalBroadcastResult>('/api/signals', { name: name.value, reason: reason.value.trim(), variables: vars.values(), ...target() });
          confirmBox.hidden = true;
          status.className = 'message ok';
          status.textContent = `广播完成：触发 ${r.triggered} 个、启动 ${r.started} 个。`;
          status.focus();
        } catch (e) {
          send.disabled = false;
          showRefused(form, status, e);
        }
      });
    } catch (e) {
      showRefused(form, status, e);
    }
  });
  status.tabIndex = -1;
  return form;
}

function showRefused(form: HTMLElement, status: HTMLElement, e: unknown): void {
  status.className = 'message error';
  if (e instanceof ApiError && e.details.length) {
    const rest = showApiErrors(form, e.details);
    status.textContent = '请按提示修改。' + (rest.length ? '有些内容填写有误。' : '');
    return;
  }
  status.textContent = refusal(e);
}
