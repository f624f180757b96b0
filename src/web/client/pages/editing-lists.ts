/** The lists legal staff start from: workflows, forms and document templates, each linking to its editor. */
import { get } from '../api';
import { el, fmtDateTime } from '../dom';
import { isEditor, type DefinitionSummary } from '../editing';
import { peopleNames } from '../people';
import type { PageContext } from '../router';
import { currentRender } from '../router';

interface ProcessSummary extends DefinitionSummary { versionCount: number }
interface FormSummary { formId: string; version: number; versionCount: number; deployedAt: number }
interface TemplateSummary { typeId: string; title: string; latestVersion: number | null; updatedAt: number | null; updatedBy: string | null }

function table(id: string, headings: string[], rows: HTMLElement[]): HTMLElement {
  return el('table', { id },
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

export async function showWorkflowList({ me, main }: PageContext): Promise<void> {
  const seq = currentRender();
  // Everyone may read the list (the case page draws the diagrams); only editors are offered the editor, which refuses others.
  const edits = isEditor(me);
  const { items } = await get<{ items: ProcessSummary[] }>('/api/workflows');
  if (seq !== currentRender()) return;
  main.replaceChildren(el('section', { class: 'card', 'aria-labelledby': 'wf-title' },
    el('h1', { id: 'wf-title' }, '流程图'),
    el('p', { class: 'muted' }, '打开流程图进行编辑、检查、保存草稿、比较版本和部署。'),
    table('workflow-list', ['流程', '流程标识', '最新版本', '部署时间', ''], items.map((w) => el('tr', { 'data-process': w.bpmnProcessId },
      el('td', {}, w.name ?? w.bpmnProcessId),
      el('td', {}, el('code', {}, w.bpmnProcessId)),
      el('td', {}, `版本 ${w.version}（共 ${w.versionCount} 个）`),
      el('td', {}, fmtDateTime(w.deployedAt)),
      el('td', {}, edits && el('a', { class: 'button', href: `/workflows/${encodeURIComponent(w.bpmnProcessId)}`, 'aria-label': `编辑 ${w.name ?? w.bpmnProcessId}` }, '编辑')))))));
}

export async function showFormList({ me, main }: PageContext): Promise<void> {
  const seq = currentRender();
  const edits = isEditor(me);
  const { items } = await get<{ items: FormSummary[] }>('/api/forms');
  if (seq !== currentRender()) return;
  main.replaceChildren(el('section', { class: 'card', 'aria-labelledby': 'forms-title' },
    el('h1', { id: 'forms-title' }, '表单'),
    el('p', { class: 'muted' }, '用户任务按表单编号引用表单；保存即部署为该表单的新版本，已在办的任务仍使用原版本。'),
    table('form-list', ['表单编号', '最新版本', '部署时间', ''], items.map((f) => el('tr', { 'data-form': f.formId },
      el('td', {}, el('code', {}, f.formId)),
      el('td', {}, `版本 ${f.version}（共 ${f.versionCount} 个）`),
      el('td', {}, fmtDateTime(f.deployedAt)),
      el('td', {}, edits && el('a', { class: 'button', href: `/forms/${encodeURIComponent(f.formId)}`, 'aria-label': `编辑表单 ${f.formId}` }, '编辑')))))));
}

export async function showTemplateList({ me, main }: PageContext): Promise<void> {
  const seq = currentRender();
  const edits = isEditor(me);
  const { items } = await get<{ items: TemplateSummary[] }>('/api/templates');
  // Who saved the latest version, by name: the templates installed with the service were saved by the system.
  const names = await peopleNames(items.map((t) => (t.updatedBy === 'system' ? null : t.updatedBy)));
  const savedBy = (u: string | null) => (u === 'system' ? '系统' : u ? names(u) : '');
  if (seq !== currentRender()) return;
  main.replaceChildren(el('section', { class: 'card', 'aria-labelledby': 'tpl-title' },
    el('h1', { id: 'tpl-title' }, '文书模板'),
    el('p', { class: 'muted' }, '每次保存产生模板的新版本；已出具的文书保留其所用的版本。'),
    table('template-list', ['文书', '类型', '最新版本', '修改', ''], items.map((t) => el('tr', { 'data-template': t.typeId },
      el('td', {}, t.title),
      el('td', {}, el('code', {}, t.typeId)),
      el('td', {}, t.latestVersion ? `版本 ${t.latestVersion}` : '—'),
      el('td', { class: 'saved-by' }, t.updatedAt ? `${savedBy(t.updatedBy)} ${fmtDateTime(t.updatedAt)}`.trim() : '—'),
      el('td', {}, edits && el('a', { class: 'button', href: `/templates/${encodeURIComponent(t.typeId)}`, 'aria-label': `编辑 ${t.title}` }, '编辑')))))));
}
