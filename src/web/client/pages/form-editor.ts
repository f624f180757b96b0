/**
 * The form editor: a deployed form opened in form-js's editor; saving deploys it as the form's next
 * version (POST /api/workflows with the .form resource), which the audit log records. A schema that
 * would break the user tasks referring to it is refused with the reason, here or by the server.
 */
import { explain, get, post } from '../api';
import { el } from '../dom';
import { type DeploymentResult, type Problem, refusalProblems } from '../editing';
import type { PageContext } from '../router';
import { currentRender } from '../router';

interface FormRecord { formId: string; version: number; schema: Record<string, unknown> }

/** The server's reasons, in words legal staff read; unknown ones are shown as they come. */
function reason(p: Problem): string {
  if (/needs an "id"/.test(p.message)) return '表单缺少编号（id），用户任务无法引用它。';
  if (/needs a "components" list/.test(p.message)) return '表单缺少字段列表（components）。';
  if (/not valid JSON/.test(p.message)) return '表单内容不是有效的 JSON。';
  return p.message;
}

/** Checks made before sending: the id ties the form to the user tasks that use it. */
function localProblems(formId: string, schema: Record<string, unknown>): string[] {
  const out: string[] = [];
  const id = schema.id;
  if (typeof id !== 'string' || id.trim() === '') out.push('表单缺少编号（id），用户任务无法引用它。');
  else if (id !== formId) out.push(`表单编号不能从“${formId}”改为“${id}”：引用它的用户任务会找不到表单。如需新表单，请在流程图中另行引用。`);
  if (!Array.isArray(schema.components) || schema.components.length === 0) out.push('表单至少需要一个字段。');
  return out;
}

export async function showFormEditor({ main, params }: PageContext): Promise<void> {
  const seq = currentRender();
  const formId = params.formId;
  const [form, { FormEditor }, , { keepFormEditorChinese }] = await Promise.all([
    get<FormRecord>(`/api/forms/${encodeURIComponent(formId)}`),
    import('@bpmn-io/form-js-editor'),
    import('../editor-style').then((m) => m.addEditorStyles()),
    import('../form-editor-chinese'),
  ]);
  if (seq !== currentRender()) return;

  let version = form.version;
  const versionText = el('span', { id: 'form-version' }, `当前版本：${version}`);
  const message = el('div', { id: 'form-message', class: 'message', role: 'alert', hidden: true, tabindex: '-1' });
  const say = (lines: string[], kind: 'ok' | 'error') => {
    message.hidden = false;
    message.className = 'message ' + kind;
    message.replaceChildren(...(lines.length === 1 ? [lines[0]] : [lines[0], el('ul', {}, lines.slice(1).map((l) => el('li', {}, l)))]));
    message.focus();
  };
  const host = el('div', { class: 'form-editor-host', id: 'form-editor', role: 'region', 'aria-label': '表单编辑区' });
  const save = el('button', { type: 'button', class: 'primary', id: 'save-form' }, '保存为新版本');
  main.replaceChildren(
    el('section', { class: 'card', 'aria-labelledby': 'form-title' },
      el('h1', { id: 'form-title' }, `编辑表单：${formId}`),
      el('div', { class: 'editor-facts' }, versionText),
      el('div', { class: 'editor-toolbar', role: 'toolbar', 'aria-label': '表单操作' },
        save, el('a', { class: 'button', href: '/forms' }, '返回表单列表')),
      message),
    el('section', { class: 'card' }, el('h2', { class: 'sr-only' }, '表单设计'), host,
      el('p', { class: 'hint' }, '从左侧拖入字段，在右侧编辑字段的标签、键名和校验规则。')),
  );

  const editor = new FormEditor({ container: host });
  keepFormEditorChinese(host);
  // Tests and scripted checks reach the schema through the editor's own API.
  (window as unknown as { formEditor?: unknown }).formEditor = editor;
  await editor.importSchema(form.schema as Parameters<typeof editor.importSchema>[0]);

  save.addEventListener('click', async () => {
    const schema = editor.saveSchema() as Record<string, unknown>;
    const local = localProblems(formId, schema);
    if (local.length) return say(['保存被拒绝：', ...local], 'error');
    save.disabled = true;
    try {
      const result = await post<DeploymentResult>('/api/workflows', { resources: [{ name: `${formId}.form`, content: JSON.stringify(schema, null, 2) }] });
      const f = result.forms.find((x) => x.formId === formId) ?? result.forms[0];
      version = f.version;
      versionText.textContent = `当前版本：${version}`;
      say([f.duplicate ? `内容未变，仍为版本 ${f.version}。` : `已保存为版本 ${f.version}。新建的任务使用新版本，已有任务仍使用原版本。`], 'ok');
    } catch (e) {
      const problems = refusalProblems(e);
      say(problems ? ['保存被拒绝：', ...problems.filter((p) => p.severity === 'error').map(reason)] : ['保存被拒绝：' + explain(e)], 'error');
    } finally {
      save.disabled = false;
    }
  });
}
