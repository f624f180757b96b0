/**
 * 案件详情: parties, workers and claims with amounts, status, every deadline with why it is that date,
 * the timeline from the audit log, documents (PDF, HTML, recording service), mail sent and pending,
 * and each process instance drawn where it stands. Another grid's case answers 404 like a missing one.
 */
import { ApiError, explain, get, post } from '../api';
import { chinaDay, chinaLocalInputNow, chinaLocalToIso, el, fmtDate, fmtDateTime, fmtYuan } from '../dom';
import { drawProcess } from '../diagram';
import { attachRepair, repairableInstances, repairText } from './instance-repair';
import { urgency, URGENCY_LABELS } from '../due';
import { clearErrors, field, input, select, showApiErrors } from '../fields';
import {
  ACTION_LABELS, CHANNEL_LABELS, CLAIM_CATEGORIES, CONTACT_ROLE_LABELS, DEADLINE_STATE_LABELS, KIND_LABELS, label, MAIL_STATE_LABELS, MESSAGE_LABELS, OUTCOME_LABELS, PROCESS_LABELS, ROUTE_LABELS,
  ROLE_NAMES, SERVICE_METHODS, STATUS_LABELS,
} from '../labels';
import type { PageContext } from '../router';
import { currentRender } from '../router';
import { isOfficeWide, Me } from '../session';
import type { CaseDeadline, CaseDetail, CaseDocument, MailSummary, ProcessView, TimelineEntry } from '../types';

const th = (...names: string[]) => el('thead', {}, el('tr', {}, names.map((n) => el('th', { scope: 'col' }, n))));
const section = (id: string, title: string, ...children: (Node | string | null)[]) =>
  el('section', { class: 'card', id, 'aria-labelledby': id + '-title' }, el('h2', { id: id + '-title' }, title), ...children);

interface InstanceView {
  processInstanceKey: string; bpmnProcessId: string; version: number; definitionKey: string; state: string; startedAt: string; endedAt: string | null;
  elements: { elementId: string; state: string }[]; incidents: { key: string; elementId: string; errorType: string; errorMessage: string; state: string; createdAt: string }[];
  calledInstanceKeys: string[];
}

/** Where the case's processes stand: the case-view route, or the staff-only instance view where that route is absent. */
async function processesOf(c: CaseDetail, me: Me): Promise<ProcessView[] | null> {
  try {
    return (await get<{ items: ProcessView[] }>(`/api/cases/${c.id}/processes`)).items;
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 'ROUTE_NOT_FOUND')) throw e;
  }
  if (!isOfficeWide(me)) return tasksOnly(c);
  const out: ProcessView[] = [];
  const queue = c.processes.map((p) => ({ key: p.processInstanceKey, parent: null as string | null }));
  const seen = new Set<string>();
  for (let next = queue.shift(); next; next = queue.shift()) {
    if (seen.has(next.key)) continue;
    seen.add(next.key);
    const pi = await get<InstanceView>(`/api/process-instances/${next.key}`);
    const active = new Set(pi.elements.filter((e) => e.state === 'active').map((e) => e.elementId));
    out.push({
      processInstanceKey: pi.processInstanceKey, parentProcessInstanceKey: next.parent, bpmnProcessId: pi.bpmnProcessId, version: pi.version, definitionKey: pi.definitionKey,
      state: pi.state, startedAt: pi.startedAt, endedAt: pi.endedAt, activeElementIds: [...active],
      completedElementIds: [...new Set(pi.elements.filter((e) => e.state === 'completed' && !active.has(e.elementId)).map((e) => e.elementId))],
      incidents: pi.incidents.filter((i) => i.state === 'active'),
    });
    for (const k of pi.calledInstanceKeys) queue.push({ key: k, parent: pi.processInstanceKey });
  }
  return out;
}

/**
 * Without the case's process view, the open tasks I may work on still say where the case stands:
 * each process drawn in its latest version with those tasks marked current.
 */
async function tasksOnly(c: CaseDetail): Promise<ProcessView[]> {
  const out: ProcessView[] = [];
  for (const p of c.processes) {
    const pages = await Promise.all(['mine', 'group'].map((scope) => get<{ items: { elementId: string }[] }>(`/api/tasks?scope=${scope}&processInstanceKey=${p.processInstanceKey}`)));
    const def = await get<{ version: number }>(`/api/workflows/${encodeURIComponent(p.bpmnProcessId)}`);
    out.push({
      processInstanceKey: p.processInstanceKey, parentProcessInstanceKey: null, bpmnProcessId: p.bpmnProcessId, version: def.version, definitionKey: '',
      state: 'active', startedAt: new Date(p.createdAt).toISOString(), endedAt: null,
      activeElementIds: [...new Set(pages.flatMap((x) => x.items.map((t) => t.elementId)))], completedElementIds: [], incidents: [],
    });
  }
  return out;
}

/** Workers write as `worker:<job type>`; people read that as the system. */
const actorName = (actor: string, c: CaseDetail) => (actor.startsWith('worker:') || actor === 'system' ? '系统' : c.people?.[actor] ?? actor);

function describeTimeline(t: TimelineEntry, c: CaseDetail): string {
  const after = (t.after ?? {}) as Record<string, unknown>;
  const before = (t.before ?? {}) as Record<string, unknown>;
  let text = label(ACTION_LABELS, t.action);
  if (t.action === 'case.deadline' && typeof after.rule === 'string') {
    // A deadline recorded under a name it no longer has (before deadlines took their legal rule's id) reads as 期限, never as its id.
    const d = c.deadlines.find((x) => x.rule === after.rule);
    text += `：${d?.explanation?.ruleTitle ?? '期限'}，届满 ${fmtDateTime(after.dueAt as string)}`;
  }
  if (t.action === 'document.issue' && typeof after.number === 'string') {
    const d = c.documents.find((x) => x.number === after.number);
    text += `：${d ? '《' + d.title + '》' : ''}${after.number}`;
  }
  if (t.action === 'mail.queue' && Array.isArray(after.to)) text += `：${after.to.map((a) => recipientText(String(a))).join('、')}`;
  if (t.action === 'task.complete' && typeof after.name === 'string') text += `：${after.name}`;
  if ((t.action === 'task.claim' || t.action === 'task.assign') && typeof after.assignee === 'string') text += `（${c.people?.[after.assignee] ?? after.assignee}）`;
  if (t.action === 'supervision.escalate' && typeof after.title === 'string') text += `：${after.title}${typeof after.label === 'string' ? after.label : ''}`;
  if (t.action === 'case.supervise' && typeof after.owner === 'string') text += `：期限 ${fmtDateTime(after.dueAt as string)}，责任人 ${c.people?.[after.owner] ?? '未指定'}`;
  if (typeof after.status === 'string' && t.action.startsWith('case.')) text += `：${label(STATUS_LABELS, before.status as string)} → ${label(STATUS_LABELS, after.status)}`;
  if (t.action === 'case.register' && typeof after.caseNumber === 'string') text += `：${after.caseNumber}`;
  if (t.action === 'case.link' && Array.isArray(after.openCases)) text += `：${after.openCases.join('、')}`;
  if (t.action === 'document.service' && typeof after.method === 'string') text += `：${label(SERVICE_METHODS, after.method)}`;
  if (t.action === 'message.publish' && typeof after.name === 'string') text += `：${label(MESSAGE_LABELS, after.name)}`;
  if (t.action === 'process.repair') text += repairText(after);
  if (t.action === 'case.process-start' && typeof after.bpmnProcessId === 'string') text += `：${label(PROCESS_LABELS, after.bpmnProcessId)}`;
  return text;
}

function deadlineRow(d: CaseDeadline): HTMLTableRowElement {
  const e = d.explanation ?? {};
  const u = d.state === 'open' || d.state === 'overdue' ? urgency(d.dueAt) : 'none';
  return el('tr', { 'data-rule': d.rule },
    el('td', {}, e.ruleTitle || d.rule),
    el('td', {}, fmtDateTime(d.dueAt), d.provisional ? el('span', { class: 'badge provisional', title: '该年度节假日安排尚未公布，日期可能调整' }, '暂定') : null),
    el('td', {}, label(DEADLINE_STATE_LABELS, d.state), u !== 'none' ? el('span', { class: 'badge ' + u }, URGENCY_LABELS[u]) : null),
    el('td', {}, el('details', {}, el('summary', {}, '计算依据'),
      e.text ? el('p', {}, e.text) : null,
      e.legalSource ? el('p', { class: 'muted' }, '依据：', e.legalSource) : null,
      e.startEvent ? el('p', { class: 'muted' }, `起算：${e.startEvent}${e.startedAt ? '（' + fmtDateTime(e.startedAt) + '）' : ''}`) : null)));
}

interface ServiceSummary { method: string; servedAt: number; receiver?: string | null; recordedBy?: string }

/** A document's service as a handler reads it: 送达方式, 送达日期, the receiver and who recorded it. */
function servedText(list: ServiceSummary[], c: CaseDetail): Node[] {
  if (!list.length) return [el('span', { class: 'muted' }, '未送达')];
  return list.map((s) => el('div', { class: 'service-state' },
    el('span', { class: 'tag ok' }, '已送达'), ` ${label(SERVICE_METHODS, s.method)} ${fmtDateTime(s.servedAt)}`,
    s.receiver ? `，签收人 ${s.receiver}` : '',
    s.recordedBy ? el('span', { class: 'muted' }, `（记录人 ${actorName(s.recordedBy, c)}）`) : null));
}

function serviceForm(doc: CaseDocument, onDone: (completedTask: string | null) => void): HTMLFormElement {
  const method = select(Object.entries(SERVICE_METHODS), { id: `svc-method-${doc.id}` });
  const servedAt = input({ type: 'datetime-local', id: `svc-at-${doc.id}`, value: chinaLocalInputNow() });
  const receiver = input({ id: `svc-receiver-${doc.id}`, autocomplete: 'off' });
  const witness = input({ id: `svc-witness-${doc.id}`, autocomplete: 'off' });
  const notes = input({ id: `svc-notes-${doc.id}`, autocomplete: 'off' });
  const err = el('p', { class: 'error', role: 'alert' });
  const form = el('form', { class: 'service-form', novalidate: true, 'aria-label': `记录《${doc.title}》的送达` },
    el('div', { class: 'grid' },
      field('送达方式', method, { path: 'method', required: true }),
      field('送达时间（北京时间）', servedAt, { path: 'servedAt', required: true }),
      field('受送达人（签收人）', receiver, { path: 'receiver' }),
      field('见证人', witness, { path: 'witness', hint: '留置送达须有见证人' }),
      field('备注', notes, { path: 'notes', wide: true })),
    el('div', { class: 'form-actions' }, el('button', { type: 'submit', class: 'primary' }, '保存送达记录'), err));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    err.textContent = '';
    if (!servedAt.value) return void showApiErrors(form, [{ path: 'servedAt', message: '请填写送达时间' }]);
    if (method.value === 'left_with_witness' && !witness.value.trim()) return void showApiErrors(form, [{ path: 'witness', message: '留置送达须填写见证人' }]);
    if (method.value === 'direct' && !receiver.value.trim()) return void showApiErrors(form, [{ path: 'receiver', message: '直接送达须填写签收人' }]);
    try {
      const saved = await post<{ completedTask: { name: string | null } | null }>(`/api/documents/${doc.id}/service`, {
        method: method.value, servedAt: chinaLocalToIso(servedAt.value),
        receiver: receiver.value.trim() || undefined, witness: witness.value.trim() || undefined, notes: notes.value.trim() || undefined,
      });
      onDone(saved.completedTask ? saved.completedTask.name ?? '送达' : null);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'SERVICE_ALREADY_RECORDED') err.textContent = e.message;
      else if (e instanceof ApiError && e.code === 'VALIDATION_FAILED') {
        const rest = showApiErrors(form, e.details);
        err.textContent = rest.length ? rest.map((d) => d.message).join('；') : '请按提示修改。';
      } else err.textContent = explain(e);
    }
  });
  return form;
}

interface AnswerField {
  key: string; label: string; type: 'datetime' | 'amount' | 'text' | 'choice'; required: boolean;
  maxLength?: number; choices?: { value: string; label: string }[];
}
interface AwaitedAnswer { message: string; label: string; from: string; fields: AnswerField[]; elementName: string | null }

/** One outside answer as a small form: the values the process waits for, sent as the message it waits for. */
function answerForm(c: CaseDetail, a: AwaitedAnswer, done: () => void): HTMLFormElement {
  const controls = a.fields.map((f) => {
    const attrs = { 'data-answer-field': f.key };
    const control = f.type === 'choice' ? select([['', '请选择'], ...(f.choices ?? []).map((ch): [string, string] => [ch.value, ch.label])], attrs)
      : f.type === 'datetime' ? input({ ...attrs, type: 'datetime-local', value: chinaLocalInputNow() })
        : f.type === 'amount' ? input({ ...attrs, type: 'number', min: 0, step: '0.01', inputmode: 'decimal' })
          : (f.maxLength ?? 0) > 200 ? el('textarea', { ...attrs, rows: 2, maxlength: f.maxLength }) : input({ ...attrs, maxlength: f.maxLength });
    return { f, control, wrap: field(f.label, control, { path: `variables.${f.key}`, required: f.required, wide: f.type === 'text' }) };
  });
  const status = el('p', { class: 'muted', role: 'status' });
  const submit = el('button', { type: 'submit', class: 'primary' }, '提交');
  // One id per form: a double click or a retry after a lost answer is accepted once.
  const messageId = crypto.randomUUID();
  const form = el('form', { class: 'answer-form', 'data-message': a.message, 'aria-label': a.label },
    el('h3', {}, `${a.label}（来自${a.from}）`), el('div', { class: 'fields' }, ...controls.map((x) => x.wrap)), el('div', { class: 'form-actions' }, submit), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const variables: Record<string, unknown> = {};
    for (const { f, control } of controls) {
      const v = control.value.trim();
      if (!v) continue;
      variables[f.key] = f.type === 'datetime' ? chinaLocalToIso(v) : f.type === 'amount' ? Number(v) : v;
    }
    submit.disabled = true;
    try {
      await post('/api/messages', { name: a.message, correlationKey: c.caseNumber, variables, messageId });
      status.className = 'message ok';
      status.textContent = '已登记，案件将按答复继续办理。';
      setTimeout(done, 600);
    } catch (e) {
      submit.disabled = false;
      const rest = e instanceof ApiError && e.details ? showApiErrors(form, e.details) : [];
      status.className = 'error';
      status.textContent = rest.length || !(e instanceof ApiError && e.details) ? explain(e) : '请按提示修改后再提交。';
    }
  });
  return form;
}

interface CaseIncident {
  key: string; stepName: string; reason: string; since: string;
  repair: { variable: string; label: string; input: 'date' | 'text' } | null;
}

/** One incident with its way out: correct the value its reason names (when there is one) and retry. */
function incidentItem(c: CaseDetail, i: CaseIncident, mayRepair: boolean, done: () => void): HTMLElement {
  const item = el('li', { 'data-incident': i.key },
    el('strong', {}, i.stepName), '：', i.reason, el('span', { class: 'muted' }, `（${fmtDateTime(i.since)} 起）`));
  if (!mayRepair) return item;
  const control = i.repair
    ? i.repair.input === 'date' ? input({ type: 'date', 'data-repair': i.repair.variable, max: chinaDay(new Date()) }) : el('textarea', { rows: 2, maxlength: 500, 'data-repair': i.repair.variable })
    : null;
  const status = el('p', { role: 'status' });
  const submit = el('button', { type: 'submit', class: 'primary' }, i.repair ? '更正并重试' : '重试');
  const form = el('form', { class: 'repair-form', novalidate: true, 'aria-label': `处理故障：${i.stepName}` },
    control && i.repair ? field(i.repair.input === 'date' ? `正确的${i.repair.label}` : i.repair.label, control, { path: `variables.${i.repair.variable}`, required: true }) : null,
    el('div', { class: 'form-actions' }, submit), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    status.textContent = '';
    if (control && i.repair && !control.value.trim()) return void showApiErrors(form, [{ path: `variables.${i.repair.variable}`, message: `请填写${i.repair.label}` }]);
    submit.disabled = true;
    try {
      await post(`/api/cases/${c.id}/incidents/${i.key}/retry`, control && i.repair ? { variables: { [i.repair.variable]: control.value.trim() } } : {});
      status.className = 'message ok';
      status.textContent = '已更正并重试，流程继续办理。';
      setTimeout(done, 1200);
    } catch (e) {
      submit.disabled = false;
      const rest = e instanceof ApiError && e.details ? showApiErrors(form, e.details) : [];
      status.className = 'error';
      status.textContent = e instanceof ApiError && e.details && !rest.length ? '请按提示更正后再重试。' : e instanceof ApiError && /[\u4e00-\u9fff]/.test(e.message) ? e.message : explain(e);
    }
  });
  item.append(form);
  return item;
}

/** The case's jammed steps, in Chinese, each with its repair for whoever may make it. */
async function incidentsSection(c: CaseDetail, reload: () => void): Promise<HTMLElement | null> {
  const r = await get<{ items: CaseIncident[]; mayRepair: boolean }>(`/api/cases/${c.id}/incidents`).catch(() => null);
  if (!r || !r.items.length) return null;
  return el('section', { class: 'card danger', id: 'incidents', 'aria-labelledby': 'incidents-title', role: 'alert' },
    el('h2', { id: 'incidents-title' }, `流程故障（${r.items.length}）`),
    el('p', { class: 'muted' }, r.mayRepair ? '以下步骤因数据有误或系统故障停止，请按原因更正后重试。' : '以下步骤已停止，请通知承办监察员或督办人员处理。'),
    el('ul', { class: 'incidents' }, r.items.map((i) => incidentItem(c, i, r.mayRepair, reload))));
}

/** The outside answers the case waits for now, each an action for who may enter it. */
async function answersSection(c: CaseDetail, reload: () => void): Promise<HTMLElement | null> {
  const r = await get<{ items: AwaitedAnswer[]; mayAnswer: boolean }>(`/api/cases/${c.id}/awaiting-answers`).catch(() => null);
  if (!r || !r.items.length) return null;
  const host = el('div');
  const list = el('ul', { class: 'actions-list' }, r.items.map((a) => el('li', {},
    el('strong', {}, a.label), el('span', { class: 'muted' }, `　等待${a.from}答复${a.elementName ? `（${a.elementName}）` : ''}　`),
    r.mayAnswer ? el('button', { type: 'button', 'data-answer': a.message, onclick: () => { host.replaceChildren(answerForm(c, a, reload)); host.querySelector<HTMLElement>('input, select, textarea')?.focus(); } }, '登记') : null)));
  return section('answers', '等待的外部答复', list, host);
}

async function documentsSection(c: CaseDetail, reload: () => void): Promise<HTMLElement> {
  const body = el('tbody');
  const sec = section('documents', `文书（${c.documents.length}）`,
    c.documents.length ? el('table', {}, th('文书', '文号', '出具时间', '送达情况', '操作'), body) : el('p', { class: 'muted' }, '尚未出具文书。'));
  const records = await Promise.all(c.documents.map((d) => get<{ services?: ServiceSummary[]; mayRecordService?: boolean }>(`/api/documents/${d.id}`)
    .then((r) => ({ served: r.services ?? [], mayServe: r.mayRecordService === true })).catch(() => ({ served: [] as ServiceSummary[], mayServe: false }))));
  c.documents.forEach((d, i) => {
    const { served, mayServe } = records[i];
    const formRow = el('tr', { class: 'service-row', hidden: true }, el('td', { colspan: 5 }));
    // One service record per document: a served document offers no second one.
    // Offered only to who may record it: a grid officer reads the case, the serving is the inspectors'.
    const toggle = el('button', { type: 'button', 'aria-expanded': 'false', 'data-doc': d.id, hidden: served.length > 0 || !mayServe }, '记录送达');
    toggle.addEventListener('click', () => {
      const open = formRow.hidden;
      formRow.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      if (open) {
        formRow.firstElementChild!.replaceChildren(serviceForm(d, async (completedTask) => {
          const fresh = await get<{ services?: ServiceSummary[] }>(`/api/documents/${d.id}`).catch(() => null);
          formRow.hidden = true;
          toggle.setAttribute('aria-expanded', 'false');
          toggle.hidden = true;
          servedCell.replaceChildren(...servedText(fresh?.services ?? [], c),
            el('span', { class: 'ok', role: 'status' }, completedTask ? ` 已保存，流程中的“${completedTask}”随之完成` : ' 已保存'));
          // The workflow moved on: the rest of the page (progress, deadlines) follows it.
          if (completedTask) setTimeout(reload, 1500);
        }));
        formRow.querySelector('select')?.focus();
      }
    });
    const servedCell = el('td', {}, ...servedText(served, c));
    body.append(el('tr', {},
      el('td', {}, d.title),
      el('td', {}, d.number),
      el('td', {}, fmtDateTime(d.issuedAt)),
      servedCell,
      el('td', {}, el('div', { class: 'row-actions' },
        el('a', { class: 'button', href: `/api/documents/${d.id}/pdf`, target: '_blank', rel: 'noopener' }, '打开 PDF'),
        el('a', { class: 'button', href: `/api/documents/${d.id}/html`, target: '_blank', rel: 'noopener' }, '网页版'),
        toggle))),
      formRow);
  });
  return sec;
}

/**
 * A mail recipient as people read it. A role with no address on file gets a placeholder at a reserved
 * .invalid domain (it reaches no one): say whom it stands for and that nothing was sent there.
 */
function recipientText(email: string, name?: string): string {
  const placeholder = /^([^@]+)@[a-z0-9-]+\.invalid$/.exec(email);
  if (placeholder) {
    const known: Record<string, string> = { ...ROLE_NAMES, ...CONTACT_ROLE_LABELS, complainants: '投诉人' };
    return `${name && !/^[\x20-\x7e]*$/.test(name) ? name : known[placeholder[1]] ?? '收件人'}（未登记邮箱）`;
  }
  return name ? `${name} <${email}>` : email;
}

async function mailSection(c: CaseDetail): Promise<HTMLElement> {
  let items: MailSummary[];
  try {
    items = (await get<{ items: MailSummary[] }>(`/api/mail?caseId=${c.id}`)).items;
  } catch (e) {
    return section('mail', '邮件', el('p', { class: 'error' }, explain(e)));
  }
  const sent = items.filter((m) => m.state === 'sent');
  const pending = items.filter((m) => m.state !== 'sent');
  const table = (list: MailSummary[]) => el('table', {}, th('主题', '收件人', '状态', '生成时间', '发送时间'),
    el('tbody', {}, list.map((m) => el('tr', {},
      el('td', {}, m.subject), el('td', {}, m.to.map((t) => recipientText(t.email, t.name)).join('、')),
      el('td', {}, label(MAIL_STATE_LABELS, m.state), m.lastError ? el('div', { class: 'muted' }, m.lastError) : null),
      el('td', {}, fmtDateTime(m.createdAt)), el('td', {}, fmtDateTime(m.sentAt))))));
  return section('mail', `邮件（已发送 ${sent.length}，待发送 ${pending.length}）`,
    items.length === 0 ? el('p', { class: 'muted' }, '没有邮件。') : null,
    pending.length ? el('h3', {}, '待发送 / 未发送') : null, pending.length ? table(pending) : null,
    sent.length ? el('h3', {}, '已发送') : null, sent.length ? table(sent) : null);
}

/** Fills the section in place: the viewer measures its container, so it must be in the page while drawing. */
async function fillProcessSection(sec: HTMLElement, c: CaseDetail, me: Me, seq: number): Promise<void> {
  let list: ProcessView[] | null;
  try {
    list = await processesOf(c, me);
  } catch (e) {
    sec.append(el('p', { class: 'error' }, explain(e)));
    return;
  }
  if (list === null) {
    sec.append(el('p', { class: 'muted' }, '流程进度暂不可查看。'));
    return;
  }
  if (!list.length) sec.append(el('p', { class: 'muted' }, '尚未启动流程。'));
  sec.append(el('p', { class: 'legend' }, '图例：', el('span', { class: 'swatch done' }), '已完成　', el('span', { class: 'swatch current' }), '当前位置　', el('span', { class: 'swatch incident' }), '故障'));
  // Running ones first, the most recently started (the innermost call) on top: where the case stands matters most.
  const ordered = [...list].sort((a, b) => Number(b.state === 'active') - Number(a.state === 'active') || Number(b.processInstanceKey) - Number(a.processInstanceKey));
  // The grid's supervisor may repair a running instance on its diagram (pages/instance-repair.ts).
  const repair = await repairableInstances(c.id, me.roles).catch(() => null);
  for (const p of ordered) {
    const where = el('p', { class: 'where' });
    const incidents = el('div');
    const fig = el('figure', { class: 'diagram', 'data-process-id': p.bpmnProcessId, 'data-state': p.state },
      el('figcaption', {}, el('strong', {}, label(PROCESS_LABELS, p.bpmnProcessId)), `　第 ${p.version} 版　`,
        p.state === 'active' ? '进行中' : p.state === 'completed' ? `已完成（${fmtDateTime(p.endedAt)}）` : p.state === 'canceled' ? '已取消' : '已终止'),
      where, incidents);
    sec.append(fig);
    if (p.incidents.length) {
      incidents.append(el('div', { class: 'message error', role: 'alert' }, el('strong', {}, `流程故障 ${p.incidents.length} 个：`),
        el('ul', { class: 'incidents' }, p.incidents.map((i) => el('li', { 'data-element': i.elementId }, `：${i.errorMessage || '流程故障'}（${fmtDateTime(i.createdAt)} 起）`)))));
    }
    try {
      const nameOf = await drawProcess(fig, p);
      if (seq !== currentRender()) break;
      where.textContent = p.activeElementIds.length ? '当前位置：' + p.activeElementIds.map(nameOf).join('、') : p.state === 'active' ? '' : '流程已结束';
      for (const li of incidents.querySelectorAll<HTMLElement>('li[data-element]')) li.prepend(nameOf(li.dataset.element!));
      const repairable = repair?.find((r) => r.processInstanceKey === p.processInstanceKey);
      if (repairable) attachRepair(fig, c.id, repairable, nameOf, () => window.location.reload());
    } catch (e) {
      fig.append(el('p', { class: 'error' }, '流程图无法显示：' + explain(e)));
    }
  }
}

/**
 * ID numbers and phones are shown masked; who needs them whole (intake, the grid's handlers, legal
 * staff) asks for them here, and the office's audit log records that they did.
 */
function revealControl(c: CaseDetail): HTMLElement | null {
  if (!c.personalData?.mayReveal || (!c.complainants.length && !c.workers.length)) return null;
  const button = el('button', { type: 'button', id: 'reveal-personal-data' }, '显示完整证件号码和电话');
  const note = el('span', { class: 'muted' }, '　证件号码和电话已部分隐藏；查看完整信息将记入办理记录。');
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const full = await post<{ complainants: { idNumber: string | null; phone: string | null }[]; workers: { idNumber: string | null; phone: string | null }[] }>(`/api/cases/${c.id}/reveal`);
      const put = (key: string, v: string | null) => { const cell = document.querySelector(`[data-pd="${key}"]`); if (cell) cell.textContent = v ?? '—'; };
      full.complainants.forEach((p, i) => { put(`c${i}-id`, p.idNumber); put(`c${i}-phone`, p.phone); });
      full.workers.forEach((w, i) => { put(`w${i}-id`, w.idNumber); put(`w${i}-phone`, w.phone); });
      button.remove();
      note.textContent = '已显示完整证件号码和电话（已记入办理记录）。';
    } catch (e) {
      button.disabled = false;
      note.textContent = `　${explain(e)}`;
    }
  });
  return el('p', { class: 'actions' }, button, note);
}

export async function showCase({ me, main, params, navigate }: PageContext): Promise<void> {
  const seq = currentRender();
  const c = await get<CaseDetail>(`/api/cases/${params.id}`);
  if (seq !== currentRender()) return;
  const workersTotal = c.workers.reduce((s, w) => s + (w.amountOwed ?? 0), 0);
  const employer = c.employer;

  const header = el('section', { class: 'card', id: 'case-header', 'aria-labelledby': 'case-title' },
    el('h1', { id: 'case-title' }, `案件 ${c.caseNumber}`),
    el('p', { class: 'status-line' },
      el('span', { class: 'tag big', id: 'case-status', 'data-status': c.status }, label(STATUS_LABELS, c.status)),
      c.outcome ? el('span', { class: 'tag' }, '结果：', label(OUTCOME_LABELS, c.outcome)) : null,
      c.preservationStatus ? el('span', { class: 'tag' }, label(STATUS_LABELS, c.preservationStatus)) : null,
      c.supervised ? el('span', { class: 'tag danger' }, '挂牌督办') : null,
      c.wageArrears ? el('span', { class: 'tag' }, '欠薪案件') : null),
    el('dl', { class: 'facts cols' },
      el('dt', {}, '类型'), el('dd', {}, label(KIND_LABELS, c.kind)),
      el('dt', {}, '来源'), el('dd', {}, label(CHANNEL_LABELS, c.channel)),
      el('dt', {}, '收到时间'), el('dd', {}, fmtDateTime(c.receivedAt)),
      el('dt', {}, '去向'), el('dd', {}, c.route ? label(ROUTE_LABELS, c.route) : `${label(ROUTE_LABELS, c.suggestedRoute)}（建议，待分流）`),
      el('dt', {}, '涉及人数'), el('dd', {}, String(c.workersCount)),
      el('dt', {}, '涉及金额'), el('dd', {}, fmtYuan(c.totalOwed)),
      el('dt', {}, '立案时间'), el('dd', {}, fmtDateTime(c.filedAt)),
      el('dt', {}, '结案时间'), el('dd', {}, fmtDateTime(c.closedAt)),
      c.linkedCase ? el('dt', {}, '关联在办案件') : null,
      c.linkedCase ? el('dd', {}, c.linkedCase.caseNumber ? el('a', { href: `/cases/${c.linkedCase.id}` }, c.linkedCase.caseNumber) : '（其他网格的案件）') : null),
    el('p', {}, el('strong', {}, '案情概要：'), c.summary),
    el('div', { class: 'actions' }, el('a', { class: 'button', href: `/inbox?scope=group&case=${encodeURIComponent(c.caseNumber)}` }, '该案件的待办任务')));

  const parties = section('parties', '当事人',
    el('h3', {}, '被投诉用人单位'),
    employer ? el('dl', { class: 'facts cols', id: 'employer' },
      el('dt', {}, '名称'), el('dd', {}, employer.name),
      el('dt', {}, '统一社会信用代码'), el('dd', {}, employer.creditCode ?? '—'),
      el('dt', {}, '地址'), el('dd', {}, employer.address ?? '—'),
      el('dt', {}, '法定代表人'), el('dd', {}, employer.legalRepresentative ?? '—'),
      el('dt', {}, '电话'), el('dd', {}, employer.phone ?? '—')) : el('p', { class: 'muted' }, '未登记'),
    el('h3', {}, `投诉人（${c.complainants.length}）`),
    c.complainants.length ? el('table', { id: 'complainants' }, th('姓名', '证件号码', '电话', '地址'),
      el('tbody', {}, c.complainants.map((p, i) => el('tr', {}, el('td', {}, p.name), el('td', { 'data-pd': `c${i}-id` }, p.idNumber ?? '—'), el('td', { 'data-pd': `c${i}-phone` }, p.phone ?? '—'), el('td', {}, p.address ?? '—')))))
      : el('p', { class: 'muted' }, c.kind === 'report' ? '匿名举报' : '未登记'),
    el('h3', {}, `劳动者（${c.workers.length}）`),
    c.workers.length ? el('table', { id: 'workers' }, th('姓名', '证件号码', '电话', '被拖欠金额', '拖欠月数'),
      el('tbody', {}, c.workers.map((w, i) => el('tr', {}, el('td', {}, w.name), el('td', { 'data-pd': `w${i}-id` }, w.idNumber ?? '—'), el('td', { 'data-pd': `w${i}-phone` }, w.phone ?? '—'), el('td', { class: 'num' }, fmtYuan(w.amountOwed)), el('td', { class: 'num' }, w.monthsOwed ?? '—')))),
      el('tfoot', {}, el('tr', {}, el('th', { scope: 'row', colspan: 3 }, '合计'), el('td', { class: 'num' }, fmtYuan(workersTotal)), el('td', {}))))
      : el('p', { class: 'muted' }, '未登记'),
    revealControl(c));

  const claims = section('claims', '投诉请求',
    el('table', {}, th('类别', '请求和事实', '金额', '期间'),
      el('tbody', {}, c.claims.map((x) => el('tr', {},
        el('td', {}, CLAIM_CATEGORIES[x.category]?.label ?? x.category),
        el('td', {}, x.description),
        el('td', { class: 'num' }, fmtYuan(x.amount)),
        el('td', {}, x.periodFrom || x.periodTo ? `${x.periodFrom ? fmtDate(x.periodFrom) : '?'} 至 ${x.periodTo ? fmtDate(x.periodTo) : '今'}` : '—'))))));

  const deadlines = section('deadlines', '期限',
    c.deadlines.length ? el('table', {}, th('期限', '届满时间', '状态', '说明'), el('tbody', {}, c.deadlines.map(deadlineRow)))
      : el('p', { class: 'muted' }, '尚未计算期限。'));

  const timeline = section('timeline', '办理记录',
    el('ol', { class: 'timeline' }, c.timeline.map((t) => el('li', {},
      el('time', { datetime: new Date(t.at).toISOString() }, fmtDateTime(t.at)), ' ', el('span', { class: 'actor' }, actorName(t.actor, c)), ' ', describeTimeline(t, c)))));

  const processes = section('processes', '办理进度');
  const docsPlace = el('div');
  const mailPlace = el('div');
  main.replaceChildren(header, processes, el('div', { class: 'columns' }, parties, claims), deadlines, docsPlace, mailPlace, timeline);

  const reload = () => navigate(location.pathname);
  const [docs, mail, answers, jammed] = await Promise.all([documentsSection(c, reload), mailSection(c), answersSection(c, reload), incidentsSection(c, reload)]);
  if (seq !== currentRender()) return;
  docsPlace.replaceWith(docs);
  mailPlace.replaceWith(mail);
  if (answers) processes.after(answers);
  if (jammed) header.after(jammed);
  await fillProcessSection(processes, c, me, seq);
}
