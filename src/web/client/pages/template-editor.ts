/**
 * The template editor: a document template's Handlebars source in a text area, with a live preview
 * filled with the document type's sample data, rendered by the server exactly as documents are
 * (HTML shown here, PDF to download). Saving makes a new template version; a template the server
 * cannot render is refused with its reason and the version in use stays as it is.
 */
import { ApiError, explain, get, post } from '../api';
import { el, fmtDateTime, uid } from '../dom';
import type { PageContext } from '../router';
import { currentRender } from '../router';
import { peopleNames } from '../people';

interface TemplateRecord {
  typeId: string;
  title: string;
  version: number;
  body: string;
  createdBy: string;
  createdAt: number;
  versions: { version: number; createdBy: string; createdAt: number }[];
}
interface Preview { html: string; pdfBase64: string; missingCharacters: string[] }

const PREVIEW_DELAY_MS = 700;

/** The reason of a refusal, with the server's details (line, field…) when it gives them. */
function refusal(e: unknown): string[] {
  if (e instanceof ApiError && (e.code === 'TEMPLATE_INVALID' || e.status === 422)) {
    const reason = e.message.replace(/^The template is refused: /, '');
    // Details that only repeat the reason are left out.
    const details = (e.details ?? []).filter((d) => !reason.includes(d.message)).map((d) => (d.path ? `${d.path}：${d.message}` : d.message));
    return [`模板有误：${reason}`, ...details];
  }
  return [explain(e)];
}

export async function showTemplateEditor({ me, main, params }: PageContext): Promise<void> {
  const seq = currentRender();
  const typeId = params.typeId;
  const path = `/api/templates/${encodeURIComponent(typeId)}`;
  const [template] = await Promise.all([get<TemplateRecord>(path), import('../editor-style').then((m) => m.addEditorStyles())]);
  if (seq !== currentRender()) return;
  const person = await peopleNames([template.createdBy, me.username]);
  if (seq !== currentRender()) return;

  let saved = template.body;
  const sourceId = uid('tpl');
  const source = el('textarea', { id: sourceId, spellcheck: 'false', 'aria-describedby': 'template-hint' }) as HTMLTextAreaElement;
  source.value = template.body;
  const versionText = el('span', { id: 'template-version' }, `当前版本：${template.version}（${person(template.createdBy)}，${fmtDateTime(template.createdAt)}）`);
  const dirtyText = el('span', { id: 'template-dirty', role: 'status' });
  const message = el('div', { id: 'template-message', class: 'message', role: 'alert', hidden: true, tabindex: '-1' });
  const say = (lines: string[], kind: 'ok' | 'error') => {
    message.hidden = false;
    message.className = 'message ' + kind;
    message.replaceChildren(lines[0], lines.length > 1 ? el('ul', {}, lines.slice(1).map((l) => el('li', {}, l))) : '');
  };
  const previewStatus = el('p', { id: 'preview-status', role: 'status', 'aria-live': 'polite' }, '正在生成预览…');
  // Sandboxed: the preview is the document itself, escaped by the server, and no script may run in it.
  const frame = el('iframe', { class: 'template-preview', id: 'template-preview', title: '文书预览（样例数据）', sandbox: '' }) as HTMLIFrameElement;
  const pdfLink = el('a', { class: 'button', id: 'preview-pdf', download: `${typeId}-preview.pdf`, hidden: true }, '下载 PDF 预览');
  const save = el('button', { type: 'button', class: 'primary', id: 'save-template' }, '保存为新版本');

  main.replaceChildren(
    el('section', { class: 'card', 'aria-labelledby': 'tpl-edit-title' },
      el('h1', { id: 'tpl-edit-title' }, `编辑文书模板：${template.title}`),
      el('div', { class: 'editor-facts' }, el('span', {}, `类型：${typeId}`), versionText, dirtyText),
      el('div', { class: 'editor-toolbar', role: 'toolbar', 'aria-label': '模板操作' },
        save,
        el('button', { type: 'button', id: 'revert-template', onclick: () => { source.value = saved; changed(); } }, '撤销未保存的修改'),
        el('a', { class: 'button', href: '/templates' }, '返回模板列表')),
      message),
    el('div', { class: 'template-layout' },
      el('section', { class: 'card', 'aria-labelledby': 'tpl-source-title' },
        el('h2', { id: 'tpl-source-title' }, el('label', { for: sourceId }, '模板内容（Handlebars）')),
        el('p', { class: 'hint', id: 'template-hint' }, '用 {{变量}} 引用数据；所有值都会被转义。修改后右侧自动刷新预览。Tab 键缩进；先按 Esc 再按 Tab 可离开编辑框。'),
        source),
      el('section', { class: 'card', 'aria-labelledby': 'tpl-preview-title' },
        el('h2', { id: 'tpl-preview-title' }, '预览（样例数据）'),
        previewStatus, frame, el('div', { class: 'actions' }, pdfLink))),
  );

  let pdfUrl: string | null = null;
  let previewSeq = 0;
  async function preview(): Promise<void> {
    const mine = ++previewSeq;
    previewStatus.textContent = '正在生成预览…';
    previewStatus.className = '';
    try {
      const p = await post<Preview>(`${path}/preview`, { body: source.value });
      if (mine !== previewSeq) return;
      frame.srcdoc = p.html;
      if (pdfUrl) URL.revokeObjectURL(pdfUrl);
      pdfUrl = URL.createObjectURL(new Blob([Uint8Array.from(atob(p.pdfBase64), (c) => c.charCodeAt(0))], { type: 'application/pdf' }));
      pdfLink.setAttribute('href', pdfUrl);
      pdfLink.hidden = false;
      previewStatus.textContent = p.missingCharacters.length
        ? `预览已更新；PDF 字体缺少这些字：${p.missingCharacters.join(' ')}`
        : '预览已更新。';
    } catch (e) {
      if (mine !== previewSeq) return;
      previewStatus.className = 'error';
      previewStatus.textContent = '无法预览：' + refusal(e).join('；');
    }
  }

  let timer: number | undefined;
  function changed(): void {
    dirtyText.textContent = source.value === saved ? '' : '有未保存的修改';
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void preview(), PREVIEW_DELAY_MS);
  }
  source.addEventListener('input', changed);
  // Tab indents inside the template; Escape then Tab leaves the text area, so keyboard users are never trapped.
  let escaped = false;
  source.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { escaped = true; return; }
    if (ev.key === 'Tab' && !ev.shiftKey && !escaped) {
      ev.preventDefault();
      source.setRangeText('  ', source.selectionStart, source.selectionEnd, 'end');
      changed();
    }
    if (ev.key !== 'Tab') escaped = false;
  });

  save.addEventListener('click', async () => {
    save.disabled = true;
    try {
      const t = await post<TemplateRecord>(path, { body: source.value });
      saved = t.body;
      versionText.textContent = `当前版本：${t.version}（${person(t.createdBy)}，${fmtDateTime(t.createdAt)}）`;
      dirtyText.textContent = '';
      say([`已保存为版本 ${t.version}。新出具的文书使用此版本，已出具的文书保留原版本。`], 'ok');
    } catch (e) {
      say(['保存被拒绝，当前使用的版本未变。', ...refusal(e)], 'error');
    } finally {
      save.disabled = false;
    }
  });

  await preview();
}
