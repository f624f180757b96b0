/**
 * One task: what it is, its case, its deadline, and its form rendered with form-js, filled from the
 * task's variables. The form is read-only until the task is mine (claim it here); submitting checks the
 * fields in the browser, then completes the task. A task someone else claimed or completed meanwhile is
 * explained in words, and the page shows it as it now is.
 */
import { ApiError, explain, get, post } from '../api';
import { el, fmtDateTime } from '../dom';
import { taskUrgencies, URGENCY_LABELS } from '../due';
import type { PageContext } from '../router';
import { currentRender } from '../router';
import type { Me } from '../session';
import { ROLE_NAMES } from '../labels';
import type { TaskDetail } from '../types';

interface Grid { code: string; name: string }

function conflictMessage(e: unknown, me: Me): string {
  if (e instanceof ApiError && e.status === 403 && /assigned to (\S+?)\.?$/.test(e.message)) {
    const who = /assigned to (\S+?)\.?$/.exec(e.message)![1];
    return who === me.username ? explain(e) : '该任务已由他人领取，您不能办理。';
  }
  if (e instanceof ApiError && e.status === 404) return '该任务已不在您的待办中（可能已被办理或流程已变化）。';
  return explain(e);
}

/** form-js writes its validation messages in English only; they are translated where they are made. */
const MESSAGES: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^Field is required\.$/, () => '必填'],
  [/^Field must have minimum value of (.+)\.$/, (m) => `不能小于 ${m[1]}`],
  [/^Field must have maximum value of (.+)\.$/, (m) => `不能大于 ${m[1]}`],
  [/^Field must have minimum length of (.+)\.$/, (m) => `至少 ${m[1]} 个字`],
  [/^Field must have maximum length of (.+)\.$/, (m) => `不能超过 ${m[1]} 个字`],
  [/^Field must match pattern/, () => '格式不正确'],
  [/^Value is not a number\.$/, () => '请输入数字'],
  [/^Value is expected to be an integer\.$/, () => '请输入整数'],
  [/^Value is expected to have at most (\d+) decimal/, (m) => `最多 ${m[1]} 位小数`],
  [/^Please select a valid value, the two nearest valid values are (.+) and (.+)\.$/, (m) => `请输入有效的值（如 ${m[1]} 或 ${m[2]}）`],
];

function chineseValidation(form: { get<T>(name: string): T }): void {
  type Validate = (field: unknown, value: unknown) => string[];
  const validator = form.get<{ validateFieldInstance?: Validate; validateField?: Validate }>('validator');
  const translate = (msg: string) => {
    for (const [re, to] of MESSAGES) {
      const m = re.exec(msg);
      if (m) return to(m);
    }
    return msg;
  };
  for (const name of ['validateFieldInstance', 'validateField'] as const) {
    const original = validator[name]?.bind(validator);
    if (original) validator[name] = (field, value) => original(field, value).map(translate);
  }
}

/** The keys of the form's read-only fields. */
function readonlyKeys(schema: unknown): string[] {
  const out: string[] = [];
  const walk = (cs: unknown) => {
    for (const c of Array.isArray(cs) ? (cs as { key?: string; readonly?: unknown; components?: unknown }[]) : []) {
      if (c.key && c.readonly === true) out.push(c.key);
      walk(c.components);
    }
  };
  walk((schema as { components?: unknown } | undefined)?.components);
  return out;
}

export async function showTask({ me, main, params }: PageContext): Promise<void> {
  const seq = currentRender();
  const [task, grids] = await Promise.all([
    get<TaskDetail & { people?: Record<string, string> }>(`/api/tasks/${params.key}`),
    get<{ items: Grid[] }>('/api/grids').then((r) => r.items).catch(() => [] as Grid[]),
  ]);
  if (seq !== currentRender()) return;
  const person = (username: string | null) => (username ? task.people?.[username] ?? '其他用户' : '—');
  // A task is offered to a role (supervisor) or a grid's handlers (JF-01): both by name.
  const groupName = (g: string) => ROLE_NAMES[g] ?? grids.find((x) => x.code === g)?.name ?? g;
  const v = task.variables;
  const caseId = typeof v.caseId === 'string' ? v.caseId : null;
  const caseNumber = typeof v.caseNumber === 'string' ? v.caseNumber : null;
  const employer = (v.employer as { name?: string } | undefined)?.name ?? null;
  const mine = task.assignee === me.username;
  const open = task.state === 'created';
  const u = open ? (await taskUrgencies([task.key])).get(task.key) ?? 'none' : 'none';
  if (seq !== currentRender()) return;

  const message = el('div', { id: 'task-message', role: 'alert', class: 'message', hidden: true, tabindex: '-1' });
  const say = (text: string, kind: 'error' | 'ok' = 'error') => {
    message.hidden = false;
    message.className = 'message ' + kind;
    message.textContent = text;
  };

  const tools = el('div', { class: 'actions' });
  if (open && !task.assignee && task.mayComplete) {
    tools.append(el('button', { type: 'button', class: 'primary', id: 'claim', onclick: () => act('claim') }, '领取此任务'));
  }
  if (open && mine) tools.append(el('button', { type: 'button', id: 'unclaim', onclick: () => act('unclaim') }, '退回组内'));
  if (caseId) tools.append(el('a', { class: 'button', href: `/cases/${caseId}` }, '查看案件'));
  tools.append(el('a', { class: 'button', href: '/inbox' }, '返回待办'));

  async function act(action: 'claim' | 'unclaim'): Promise<void> {
    try {
      await post(`/api/tasks/${task.key}/${action}`);
      await showTask({ me, main, params } as PageContext);
      const msg = action === 'claim' ? '已领取，请填写表单后提交。' : '已退回组内。';
      const m = main.querySelector<HTMLElement>('#task-message');
      if (m) { m.hidden = false; m.className = 'message ok'; m.textContent = msg; }
      main.querySelector<HTMLElement>(action === 'claim' ? '#task-form input, #task-form textarea, #task-form select' : '#claim')?.focus();
    } catch (e) {
      say(conflictMessage(e, me));
    }
  }

  const header = el('section', { class: 'card', 'aria-labelledby': 'task-title' },
    el('h1', { id: 'task-title' }, task.name ?? task.elementId),
    el('dl', { class: 'facts' },
      // A task of a process without a case (a grading, a written review) shows no empty case rows.
      ...(caseId || caseNumber ? [el('dt', {}, '案件编号'), el('dd', { id: 'task-case' }, caseId && caseNumber ? el('a', { href: `/cases/${caseId}` }, caseNumber) : caseNumber ?? '—')] : []),
      ...(caseId || caseNumber || employer ? [el('dt', {}, '用人单位'), el('dd', {}, employer ?? '—')] : []),
      el('dt', {}, '截止时间'), el('dd', {}, task.dueDate ? fmtDateTime(task.dueDate) : '无期限', u !== 'none' ? el('span', { class: 'badge ' + u }, URGENCY_LABELS[u]) : null),
      el('dt', {}, '办理人'), el('dd', { id: 'assignee' }, task.assignee ? (mine ? '我' : person(task.assignee)) : `未领取（${task.candidateGroups.map(groupName).join('、') || '—'}）`),
      el('dt', {}, '状态'), el('dd', { id: 'task-header-state' }, open ? '待办理' : task.state === 'completed' ? `已由 ${person(task.completedBy)} 于 ${fmtDateTime(task.completedAt)} 办理完成` : '已取消')),
    tools, message);

  const formHost = el('div', { id: 'task-form', class: 'form-host' });
  const submit = el('button', { type: 'button', class: 'primary', id: 'task-submit' }, '提交');
  const formCard = el('section', { class: 'card', 'aria-labelledby': 'form-title' },
    el('h2', { id: 'form-title' }, '办理表单'),
    !open ? el('p', { class: 'muted' }, '该任务已结束，表单仅供查看。')
      : !mine ? el('p', { class: 'hint', id: 'form-readonly' }, task.assignee ? `该任务由 ${person(task.assignee)} 办理，表单仅供查看。` : task.mayComplete ? '请先领取任务，再填写表单。' : '该任务不属于您所在的组，表单仅供查看。') : null,
    formHost,
    open && mine ? el('div', { class: 'form-actions' }, submit) : null);
  main.replaceChildren(header, formCard);

  if (!task.form) {
    formHost.append(el('p', { class: 'muted' }, task.formId ? `表单“${task.formId}”尚未部署。` : '此任务没有表单。'));
    if (!task.formId && open && mine) formHost.append(el('p', {}, '确认办理完成后点击提交。'));
    else submit.remove();
  }

  // form-js is loaded only on this page: it is most of the code the UI ships.
  let form: import('@bpmn-io/form-js-viewer').Form | null = null;
  if (task.form) {
    const [{ Form }, { keepFormChinese }] = await Promise.all([import('@bpmn-io/form-js-viewer'), import('../form-chinese')]);
    if (seq !== currentRender()) return;
    keepFormChinese(formHost);
    // No input debounce: a value typed just before pressing 提交 must be in what is submitted.
    form = new Form({ container: formHost, debounce: false } as ConstructorParameters<typeof Form>[0]);
    chineseValidation(form);
    await form.importSchema(task.form.schema as never, structuredClone(v) as never);
    if (!(open && mine)) form.setProperty('readOnly', true);
  }

  submit.addEventListener('click', async () => {
    message.hidden = true;
    let variables: Record<string, unknown> = {};
    if (form) {
      const r = form.submit();
      const bad = Object.keys(r.errors ?? {});
      if (bad.length) {
        const registry = form.get<{ get(id: string): { label?: string; key?: string } | undefined }>('formFieldRegistry');
        const names = bad.map((id) => registry.get(id)?.label || registry.get(id)?.key || id);
        say(`有 ${bad.length} 项未填写或填写有误，请按表单中的提示修改：${names.join('、')}`);
        // form-js marks the fields on its next render.
        await new Promise((r) => setTimeout(r, 50));
        formHost.querySelector<HTMLElement>('.fjs-has-errors input, .fjs-has-errors textarea, .fjs-has-errors select, .fjs-has-errors [tabindex]')?.focus();
        return;
      }
      variables = r.data as Record<string, unknown>;
      // Read-only fields show what others entered (the handler's opinion on an approval): not the approver's to send.
      for (const key of readonlyKeys(task.form?.schema)) delete variables[key];
    }
    submit.disabled = true;
    submit.textContent = '正在提交…';
    try {
      await post(`/api/tasks/${task.key}/complete`, { variables });
      form?.setProperty('readOnly', true);
      submit.remove();
      message.hidden = false;
      message.className = 'message ok';
      message.replaceChildren('已提交，案件已进入下一步。',
        caseId ? el('a', { href: `/cases/${caseId}`, id: 'after-submit-case' }, '查看案件进度') : '', '　', el('a', { href: '/inbox' }, '返回待办'));
      message.querySelector('a')?.focus();
    } catch (e) {
      submit.disabled = false;
      submit.textContent = '提交';
      if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') say('提交的内容有误：' + e.details.map((d) => d.message).join('；'));
      else if (e instanceof ApiError && (e.status === 409 || e.status === 403)) {
        // Someone else claimed or completed it: show the task as it now is, with the reason on top.
        const text = conflictMessage(e, me);
        await showTask({ me, main, params } as PageContext).catch(() => undefined);
        const m = main.querySelector<HTMLElement>('#task-message');
        if (m) { m.hidden = false; m.className = 'message error'; m.textContent = text; m.focus(); }
        return;
      } else {
        say(conflictMessage(e, me));
        if (e instanceof ApiError && e.status === 404) {
          form?.setProperty('readOnly', true);
          submit.remove();
        }
      }
      message.focus();
    }
  });
}
