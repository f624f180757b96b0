/**
 * 流程修复 on the case page: the supervisor of the case's grid chooses, on the drawn diagram or in the
 * lists, a current step to cancel and/or a step to start, gives the reason, confirms, and the case's
 * process moves (POST /api/cases/:id/instance-repair, audited on the case). Shown only to whom the
 * server answers the case's repair view; everyone else sees the diagram alone.
 */
import { ApiError, explain, get, post } from '../api';
import { el } from '../dom';

export interface RepairInstance {
  processInstanceKey: string;
  bpmnProcessId: string;
  version: number;
  active: Array<{ elementInstanceKey: string; elementId: string; name: string | null }>;
  startable: Array<{ elementId: string; name: string | null; kind: string }>;
}

/** The refusals a repair can meet, in words; others as every page says them. */
const REPAIR_PROBLEMS: Record<string, string> = {
  ELEMENT_NOT_FOUND: '流程图中没有该环节（流程可能已更新），请刷新后重试。',
  ELEMENT_NOT_ACTIVATABLE: '该环节不能直接启动，请选择任务或等待环节。',
  ANCESTOR_AMBIGUOUS: '该环节所在的子流程有多个进行中的实例，无法确定在哪一个中启动。',
  ELEMENT_INSTANCE_NOT_FOUND: '要取消的环节已经结束，请刷新后重试。',
  PROCESS_INSTANCE_NOT_ACTIVE: '流程已经结束，无需修复。',
  ENGINE_CANNOT_REPAIR: '当前流程引擎不支持在本系统中修复流程。',
};

function problem(e: unknown): string {
  return e instanceof ApiError && REPAIR_PROBLEMS[e.code] ? REPAIR_PROBLEMS[e.code] : explain(e);
}

/** The case's repairable instances, or null when the user may not repair (or the engine cannot). */
export async function repairableInstances(caseId: string, roles: string[]): Promise<RepairInstance[] | null> {
  if (!roles.includes('supervisor')) return null;
  try {
    return (await get<{ items: RepairInstance[] }>(`/api/cases/${caseId}/instance-repair`)).items;
  } catch (e) {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404 || e.status === 409)) return null;
    throw e;
  }
}

/**
 * Adds the repair panel under a drawn instance. Clicking a current step on the diagram chooses it to
 * cancel; clicking another step chooses it to start.
 */
export function attachRepair(fig: HTMLElement, caseId: string, r: RepairInstance, nameOf: (id: string) => string, done: () => void): void {
  const display = (id: string, name: string | null) => name || nameOf(id);
  const cancel = el('select', { name: 'cancel', id: `repair-cancel-${r.processInstanceKey}` },
    el('option', { value: '' }, '（不取消）'),
    r.active.map((a) => el('option', { value: a.elementInstanceKey, 'data-element': a.elementId }, display(a.elementId, a.name))));
  const start = el('select', { name: 'start', id: `repair-start-${r.processInstanceKey}` },
    el('option', { value: '' }, '（不启动）'),
    r.startable.map((s) => el('option', { value: s.elementId }, display(s.elementId, s.name))));
  const reason = el('textarea', { name: 'reason', id: `repair-reason-${r.processInstanceKey}`, rows: 2, maxlength: 500, required: true });
  const status = el('p', { class: 'repair-status', role: 'status' });
  const submit = el('button', { type: 'submit' }, '执行修复');
  const form = el('form', { class: 'repair-form', novalidate: true },
    el('p', { class: 'muted' }, '在流程图上点击“当前位置”的环节可选为要取消的环节，点击其他环节可选为要启动的环节。修复将记入案件办理记录。'),
    el('div', { class: 'field' }, el('label', { for: cancel.id }, '取消当前环节'), cancel),
    el('div', { class: 'field' }, el('label', { for: start.id }, '启动环节'), start),
    el('div', { class: 'field' }, el('label', { for: reason.id }, '修复原因（必填）'), reason),
    el('p', { class: 'actions' }, submit), status);
  const panel = el('details', { class: 'repair', 'data-process': r.processInstanceKey }, el('summary', {}, '修复流程'), form);
  fig.append(panel);

  // bpmn-js marks each drawn element with its id.
  fig.addEventListener('click', (ev) => {
    const g = (ev.target as Element).closest?.('[data-element-id]');
    const id = g?.getAttribute('data-element-id');
    if (!id) return;
    const current = [...cancel.options].find((o) => o.dataset.element === id);
    if (current) cancel.value = current.value;
    else if ([...start.options].some((o) => o.value === id)) start.value = id;
    else return;
    panel.open = true;
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    status.className = 'repair-status';
    if (!cancel.value && !start.value) { status.textContent = '请选择要取消或要启动的环节。'; status.classList.add('error'); return; }
    if (reason.value.trim().length < 2) { status.textContent = '请填写修复原因。'; status.classList.add('error'); reason.focus(); return; }
    const what = [
      cancel.value ? `取消“${cancel.selectedOptions[0].textContent}”` : '',
      start.value ? `启动“${start.selectedOptions[0].textContent}”` : '',
    ].filter(Boolean).join('，并');
    if (!window.confirm(`确定${what}吗？此操作将记入案件办理记录。`)) return;
    submit.disabled = true;
    try {
      await post(`/api/cases/${caseId}/instance-repair`, {
        processInstanceKey: r.processInstanceKey, start: start.value ? [start.value] : [], cancel: cancel.value ? [cancel.value] : [], reason: reason.value.trim(),
      });
      status.textContent = `已${what}。`;
      done();
    } catch (e) {
      status.textContent = problem(e);
      status.classList.add('error');
    } finally {
      submit.disabled = false;
    }
  });
}

/** A repair on the case's timeline: what was cancelled and started, by the diagram's names, and why. */
export function repairText(after: Record<string, unknown>): string {
  const names = (v: unknown) => (Array.isArray(v) ? v.map((x) => `“${(x as { name?: string | null }).name || '未命名环节'}”`).join('、') : '');
  const parts = [names(after.canceled) && `取消${names(after.canceled)}`, names(after.started) && `启动${names(after.started)}`].filter(Boolean);
  return `：${parts.join('，')}${typeof after.reason === 'string' ? `（原因：${after.reason}）` : ''}`;
}
