/**
 * The diagram editor for legal staff: a workflow opened in the bpmn-js modeler with the Zeebe
 * properties panel (job types, forms, assignments, conditions, timers, messages). Every edit is checked
 * on the server a moment later (the engine's subset and Camunda 8.8's lint) and the problems are
 * listed and marked on the canvas. Drafts are saved as versions; any two versions (deployed or the
 * draft) can be compared; deploying makes a new version while running cases stay on theirs.
 */
import { ApiError, api, explain, get, post } from '../api';
import { el, fmtDateTime, uid } from '../dom';
import {
  type CheckResult, type DefinitionSummary, type DeploymentResult, type DiagramDiff, type DraftRecord, type Problem,
  problemList, problemSummary, refusalProblems,
} from '../editing';
import { diffPropertyLabel } from '../labels';
import { migrationPanel } from './instance-migration';
import { peopleNames } from '../people';
import type { PageContext } from '../router';
import { currentRender } from '../router';

interface WorkflowRecord extends DefinitionSummary { xml: string; versions: DefinitionSummary[] }
interface Instances {
  versions: { version: number; deployedAt: number; active: number; total: number }[];
  recent: { key: string; version: number; state: string; businessKey: string | null; startedAt: number }[];
}
interface Shape { id: string; businessObject?: { name?: string } }
interface Registry { get(id: string): Shape | undefined }
interface Box { x: number; y: number; width: number; height: number }
interface Canvas {
  addMarker(id: string, cls: string): void;
  removeMarker(id: string, cls: string): void;
  zoom(level?: string | number, center?: 'auto' | { x: number; y: number }): number;
  viewbox(box?: Box): Box & { scale: number; inner: Box; outer: Box };
  /** After the container changed size. */
  resized(): void;
  scrollToElement(element: Shape): void;
}
interface DiagramTool {
  importXML(xml: string): Promise<unknown>;
  get<T = unknown>(name: string): T;
  destroy(): void;
}
interface ModelerTool extends DiagramTool {
  saveXML(options?: { format?: boolean }): Promise<{ xml?: string }>;
  on(event: string, callback: () => void): void;
}

const STATE_LABELS: Record<string, string> = { active: '运行中', completed: '已完成', terminated: '已终止', canceled: '已取消' };
const CHECK_DELAY_MS = 600;
/** Below this scale a wide diagram's labels cannot be read: show its beginning at a readable size instead. */
const READABLE_SCALE = 0.75;

/** The whole diagram when it is readable so; otherwise its start at a readable scale. */
function readableView(canvas: Canvas): void {
  canvas.zoom('fit-viewport', 'auto');
  const vb = canvas.viewbox();
  if (vb.scale >= READABLE_SCALE) return;
  const width = vb.outer.width / READABLE_SCALE;
  const height = vb.outer.height / READABLE_SCALE;
  // The palette covers the left edge of the canvas.
  canvas.viewbox({ x: vb.inner.x - 110 / READABLE_SCALE, y: vb.inner.y + vb.inner.height / 2 - height / 2, width, height });
}

/** What is open in the editor: a deployed version or a draft version. */
type Opened = { kind: 'version'; version: number } | { kind: 'draft'; version: number };

async function loadDraft(processId: string, version?: number): Promise<DraftRecord | null> {
  try {
    return await get<DraftRecord>(`/api/workflows/${encodeURIComponent(processId)}/draft${version ? `?version=${version}` : ''}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

async function loadModelerModules() {
  const [{ default: Modeler }, panel, { default: behaviors }, zeebe, { ChineseTranslateModule }] = await Promise.all([
    import('bpmn-js/lib/Modeler'),
    import('bpmn-js-properties-panel'),
    import('camunda-bpmn-js-behaviors/lib/camunda-cloud'),
    import('zeebe-bpmn-moddle/resources/zeebe.json'),
    import('../bpmn-translate'),
  ]);
  return { Modeler, panel, behaviors, zeebe: (zeebe as { default?: unknown }).default ?? zeebe, chinese: ChineseTranslateModule };
}

export async function showWorkflowEditor({ me, main, params, query }: PageContext): Promise<void> {
  const seq = currentRender();
  const processId = params.processId;
  const path = `/api/workflows/${encodeURIComponent(processId)}`;
  const [workflow, draft, instances, modules] = await Promise.all([
    get<WorkflowRecord>(path), loadDraft(processId), get<Instances>(`${path}/instances`), loadModelerModules(), import('../editor-style').then((m) => m.addEditorStyles()),
  ]);
  if (seq !== currentRender()) return;

  let deployedVersions = workflow.versions;
  let draftVersions = draft?.versions ?? [];
  // Who saved each draft, by name; a new draft is saved by me.
  const person = await peopleNames([...draftVersions.map((d) => d.savedBy), me.username]);
  if (seq !== currentRender()) return;
  /** The latest draft version known to this page: a save names it, so a save by someone else in between is refused. */
  let latestDraft: number | null = draft?.version ?? null;
  const mayMigrate = me.roles.includes('legal') || me.roles.includes('admin');
  let basedOnVersion: number | null = workflow.version;
  // A draft saved before the latest deployment has been deployed or superseded: open what runs.
  const draftIsNewer = Boolean(draft && draft.savedAt > workflow.deployedAt);
  let opened: Opened = draft && draftIsNewer ? { kind: 'draft', version: draft.version } : { kind: 'version', version: workflow.version };
  if (query.get('open') && /^\d+$/.test(query.get('open')!)) opened = { kind: 'version', version: Number(query.get('open')) };
  let dirty = false;
  // Set by the sections below, which are built before the modeler exists.
  let refreshCompareOptions: () => void = () => undefined;
  let instancesHost: HTMLElement = el('div');

  // ---- layout
  const title = workflow.name ?? processId;
  const openedText = el('span', { id: 'editor-opened' });
  const dirtyText = el('span', { id: 'editor-dirty', role: 'status' });
  const message = el('div', { id: 'editor-message', class: 'message', role: 'alert', hidden: true, tabindex: '-1' });
  const say = (text: string, kind: 'ok' | 'error' = 'ok') => {
    message.hidden = false;
    message.className = 'message ' + kind;
    message.textContent = text;
  };
  const openSelect = el('select', { id: 'open-version' });
  const canvasHost = el('div', { class: 'editor-canvas', id: 'modeler-canvas', 'aria-label': '流程图编辑区（可用方向键移动画布）' });
  const propsHost = el('div', { class: 'editor-properties', id: 'properties-panel', role: 'region', 'aria-label': '所选元素的属性' });
  const checkStatus = el('p', { id: 'check-summary', role: 'status', 'aria-live': 'polite' }, '正在检查…');
  const problemsHost = el('div', { id: 'problems' });
  const saveButton = el('button', { type: 'button', id: 'save-draft' }, '保存草稿');
  const deployButton = el('button', { type: 'button', class: 'primary', id: 'deploy' }, '部署为新版本');
  const openId = uid('open');

  // 全屏: the whole window for a wide diagram, so its whole view stays readable; Esc or the button returns.
  const layout = el('div', { class: 'editor-layout' }, canvasHost, propsHost);
  const fullButton = el('button', { type: 'button', 'aria-pressed': 'false' }, '全屏编辑');
  const setFull = (on: boolean) => {
    layout.classList.toggle('editor-full', on);
    fullButton.setAttribute('aria-pressed', String(on));
    fullButton.textContent = on ? '退出全屏' : '全屏编辑';
    if (on) layout.append(fullButton); else layout.previousElementSibling?.append(fullButton);
    canvas().resized();
    readableView(canvas());
  };
  fullButton.addEventListener('click', () => setFull(!layout.classList.contains('editor-full')));
  layout.addEventListener('keydown', (ev) => { if (ev.key === 'Escape' && layout.classList.contains('editor-full')) setFull(false); });
  main.replaceChildren(
    el('section', { class: 'card', 'aria-labelledby': 'editor-title' },
      el('h1', { id: 'editor-title' }, `编辑流程图：${title}`),
      el('div', { class: 'editor-facts' },
        el('span', {}, `流程标识：${processId}`),
        el('span', { id: 'editor-latest' }),
        openedText, dirtyText),
      el('div', { class: 'editor-toolbar', role: 'toolbar', 'aria-label': '流程图操作' },
        el('div', { class: 'field' }, el('label', { for: openId }, '打开版本'), Object.assign(openSelect, { id: openId })),
        el('button', { type: 'button', id: 'open-selected', onclick: () => void openSelected() }, '打开'),
        el('button', { type: 'button', id: 'check-now', onclick: () => void runCheck() }, '立即检查'),
        saveButton, deployButton,
        el('a', { class: 'button', href: '/workflows' }, '返回流程列表')),
      message),
    el('section', { class: 'card', 'aria-labelledby': 'canvas-title' },
      el('h2', { id: 'canvas-title', class: 'sr-only' }, '流程图与属性'),
      // Buttons, so the drawing can be explored with the keyboard as well as the mouse.
      el('div', { class: 'diagram-tools', role: 'toolbar', 'aria-label': '流程图缩放' },
        el('button', { type: 'button', onclick: () => zoomBy(1.25) }, '放大'),
        el('button', { type: 'button', onclick: () => zoomBy(0.8) }, '缩小'),
        el('button', { type: 'button', onclick: () => canvas().zoom('fit-viewport', 'auto') }, '全图'),
        el('button', { type: 'button', onclick: () => readableView(canvas()) }, '从头查看'),
        fullButton),
      layout,
      el('p', { class: 'hint' }, '选中元素后在右侧编辑任务类型、表单、分配、条件、定时器和消息；修改后会自动检查。')),
    el('section', { class: 'card', 'aria-labelledby': 'problems-title' },
      el('h2', { id: 'problems-title' }, '检查结果（引擎支持范围与 Camunda 8.8 规则）'),
      checkStatus, problemsHost),
    compareSection(),
    instancesSection(),
  );

  const { Modeler, panel, behaviors, zeebe, chinese } = modules;
  const modeler = new Modeler({
    container: canvasHost,
    propertiesPanel: { parent: propsHost },
    additionalModules: [panel.BpmnPropertiesPanelModule, panel.BpmnPropertiesProviderModule, panel.ZeebePropertiesProviderModule, behaviors, chinese],
    moddleExtensions: { zeebe },
  }) as unknown as ModelerTool;
  // Browser tests and scripted checks drive the modeler through its own API.
  (window as unknown as { workflowModeler?: ModelerTool }).workflowModeler = modeler;
  const canvas = () => modeler.get<Canvas>('canvas');
  const registry = () => modeler.get<Registry>('elementRegistry');
  const zoomBy = (factor: number) => canvas().zoom(canvas().zoom() * factor);
  const nameOf = (id: string) => registry().get(id)?.businessObject?.name || id;
  const reveal = (id: string) => {
    const shape = registry().get(id);
    if (!shape) return;
    canvas().scrollToElement(shape);
    modeler.get<{ select(e: Shape): void }>('selection').select(shape);
    propsHost.querySelector<HTMLElement>('input, textarea, select, [contenteditable]')?.focus();
  };

  // ---- opening versions
  function fillOpenSelect(): void {
    const options = [
      ...draftVersions.map((d) => el('option', { value: `draft:${d.version}` }, `草稿 ${d.version}（${person(d.savedBy)}，${fmtDateTime(d.savedAt)}）`)),
      ...deployedVersions.map((v) => el('option', { value: `version:${v.version}` }, `已部署版本 ${v.version}（${fmtDateTime(v.deployedAt)}）`)),
    ];
    openSelect.replaceChildren(...options);
    openSelect.value = `${opened.kind}:${opened.version}`;
    document.getElementById('editor-latest')!.textContent = `最新部署版本：${deployedVersions[0]?.version ?? '—'}；草稿：${latestDraft ?? '无'}`;
  }

  function showOpened(): void {
    openedText.textContent = opened.kind === 'draft' ? `正在编辑：草稿 ${opened.version}` : `正在编辑：已部署版本 ${opened.version}`;
    dirtyText.textContent = dirty ? '有未保存的修改' : '';
  }

  async function openXml(xml: string): Promise<void> {
    await modeler.importXML(xml);
    readableView(canvas());
    dirty = false;
    showOpened();
    await runCheck();
  }

  async function openSelected(): Promise<void> {
    const [kind, v] = openSelect.value.split(':');
    const version = Number(v);
    if (dirty && !window.confirm('当前有未保存的修改，打开其他版本会丢弃这些修改。继续吗？')) return;
    try {
      if (kind === 'draft') {
        const d = await loadDraft(processId, version);
        if (!d) throw new Error('草稿不存在');
        opened = { kind: 'draft', version };
        basedOnVersion = d.basedOnVersion;
        await openXml(d.xml);
      } else {
        const def = await get<WorkflowRecord>(`${path}?version=${version}`);
        opened = { kind: 'version', version };
        basedOnVersion = version;
        await openXml(def.xml);
      }
      say(`已打开${kind === 'draft' ? '草稿' : '已部署版本'} ${version}。`);
    } catch (e) {
      say(explain(e), 'error');
    }
  }

  // ---- checking
  let marked: [string, string][] = [];
  let checkTimer: number | undefined;
  let checkSeq = 0;
  function markProblems(problems: Problem[]): void {
    for (const [id, cls] of marked) canvas().removeMarker(id, cls);
    marked = [];
    for (const p of problems) {
      if (!p.elementId || !registry().get(p.elementId)) continue;
      const cls = p.severity === 'error' ? 'lint-error' : 'lint-warning';
      canvas().addMarker(p.elementId, cls);
      marked.push([p.elementId, cls]);
    }
  }
  function showProblems(problems: Problem[], heading?: string): void {
    checkStatus.textContent = heading ?? problemSummary(problems);
    checkStatus.className = problems.some((p) => p.severity === 'error') ? 'error' : 'ok';
    problemsHost.replaceChildren(problemList(problems, nameOf, reveal));
    markProblems(problems);
  }
  async function currentXml(): Promise<string> {
    const { xml } = await modeler.saveXML({ format: true });
    return xml ?? '';
  }
  async function runCheck(): Promise<CheckResult | null> {
    const mine = ++checkSeq;
    try {
      const result = await post<CheckResult>('/api/workflows/check', { xml: await currentXml() });
      if (mine !== checkSeq) return null; // a newer edit is being checked
      showProblems(result.problems);
      return result;
    } catch (e) {
      if (mine === checkSeq) checkStatus.textContent = '检查失败：' + explain(e);
      return null;
    }
  }
  // Leaving or reloading the page with unsaved edits asks first; the listener ends with the page.
  const warnUnsaved = (ev: BeforeUnloadEvent) => {
    if (!canvasHost.isConnected) return window.removeEventListener('beforeunload', warnUnsaved);
    if (dirty) ev.preventDefault();
  };
  window.addEventListener('beforeunload', warnUnsaved);
  modeler.on('commandStack.changed', () => {
    dirty = true;
    showOpened();
    window.clearTimeout(checkTimer);
    checkStatus.textContent = '有修改，正在检查…';
    checkTimer = window.setTimeout(() => void runCheck(), CHECK_DELAY_MS);
  });

  // ---- saving and deploying
  saveButton.addEventListener('click', async () => {
    saveButton.disabled = true;
    try {
      const saved = await api<DraftRecord & CheckResult>('PUT', `${path}/draft`, { xml: await currentXml(), basedOnVersion, expectedVersion: latestDraft });
      latestDraft = saved.version;
      opened = { kind: 'draft', version: saved.version };
      draftVersions = [saved, ...draftVersions];
      dirty = false;
      fillOpenSelect();
      showOpened();
      showProblems(saved.problems);
      refreshCompareOptions();
      say(`已保存为草稿 ${saved.version}${saved.deployable ? '。' : '（仍有错误，修正后才能部署）。'}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'DRAFT_CHANGED') say('保存被拒绝：在您编辑期间，他人已保存了更新的草稿。请先在“打开版本”中查看最新草稿，再合并您的修改。', 'error');
      else say('保存被拒绝：' + explain(e), 'error');
    } finally {
      saveButton.disabled = false;
    }
  });

  deployButton.addEventListener('click', async () => {
    deployButton.disabled = true;
    try {
      const result = await post<DeploymentResult>('/api/workflows', { resources: [{ name: workflow.resourceName || `${processId}.bpmn`, content: await currentXml() }] });
      const p = result.processes.find((x) => x.bpmnProcessId === processId) ?? result.processes[0];
      const refreshed = await get<WorkflowRecord>(path);
      deployedVersions = refreshed.versions;
      basedOnVersion = p.version;
      opened = { kind: 'version', version: p.version };
      dirty = false;
      fillOpenSelect();
      showOpened();
      refreshCompareOptions();
      await refreshInstances();
      showProblems(result.warnings, result.warnings.length ? `已部署；另有 ${result.warnings.length} 个警告。` : undefined);
      say(p.duplicate
        ? `内容与已部署版本 ${p.version} 相同，未产生新版本。`
        : `已部署为版本 ${p.version}。新立的案件按版本 ${p.version} 执行；正在运行的案件仍按各自启动时的版本执行。`);
    } catch (e) {
      const problems = refusalProblems(e);
      if (problems) {
        showProblems(problems, `部署被拒绝：${problemSummary(problems)}`);
        say('部署被拒绝：流程图有错误，见下方检查结果。', 'error');
      } else {
        say('部署被拒绝：' + explain(e), 'error');
      }
    } finally {
      deployButton.disabled = false;
    }
  });

  // ---- comparing
  function compareSection(): HTMLElement {
    const fromId = uid('from');
    const toId = uid('to');
    const from = el('select', { id: fromId, 'data-compare': 'from' });
    const to = el('select', { id: toId, 'data-compare': 'to' });
    const out = el('div', { id: 'diff-result', 'aria-live': 'polite' });
    refreshCompareOptions = () => {
      const options = () => [
        ...(latestDraft ? [el('option', { value: 'draft' }, `最新草稿（${latestDraft}）`)] : []),
        ...deployedVersions.map((v) => el('option', { value: String(v.version) }, `已部署版本 ${v.version}`)),
      ];
      const [f, t] = [from.value, to.value];
      from.replaceChildren(...options());
      to.replaceChildren(...options());
      from.value = f && [...from.options].some((o) => o.value === f) ? f : String(deployedVersions[Math.min(1, deployedVersions.length - 1)]?.version ?? '');
      to.value = t && [...to.options].some((o) => o.value === t) ? t : latestDraft ? 'draft' : String(deployedVersions[0]?.version ?? '');
    };
    const compare = async () => {
      out.replaceChildren(el('p', { class: 'muted' }, '正在比较…'));
      try {
        const d = await get<DiagramDiff>(`${path}/diff?from=${from.value}&to=${to.value}`);
        await showDiff(out, d);
      } catch (e) {
        out.replaceChildren(el('p', { class: 'error', role: 'alert' }, explain(e)));
      }
    };
    return el('section', { class: 'card', 'aria-labelledby': 'compare-title' },
      el('h2', { id: 'compare-title' }, '版本比较'),
      el('div', { class: 'editor-toolbar' },
        el('div', { class: 'field' }, el('label', { for: fromId }, '比较前（旧）'), from),
        el('div', { class: 'field' }, el('label', { for: toId }, '比较后（新）'), to),
        el('button', { type: 'button', id: 'compare', onclick: () => void compare() }, '比较')),
      el('p', { class: 'legend' }, '图例：', el('span', { class: 'swatch added' }), '新增', el('span', { class: 'swatch removed' }), '删除',
        el('span', { class: 'swatch changed' }), '修改', el('span', { class: 'swatch moved' }), '仅移动位置'),
      out);
  }

  async function showDiff(out: HTMLElement, d: DiagramDiff): Promise<void> {
    const side = (s: DiagramDiff['from']) => (s.draft ? `草稿 ${s.draft}` : `已部署版本 ${s.version}`);
    const label = (e: { id: string; name: string | null }) => `${e.name ?? ''}（${e.id}）`;
    const group = (heading: string, cls: string, items: HTMLElement[]) => el('div', { 'data-diff': cls },
      el('h3', {}, `${heading}（${items.length}）`), items.length ? el('ul', {}, items) : el('p', { class: 'muted' }, '无'));
    const none = !d.added.length && !d.removed.length && !d.changed.length && !d.layoutChanged.length;
    const fromHost = el('div', { class: 'diagram-canvas', id: 'diff-from' });
    const toHost = el('div', { class: 'diagram-canvas', id: 'diff-to' });
    out.replaceChildren(
      el('p', { id: 'diff-summary' }, none ? `${side(d.from)} 与 ${side(d.to)} 没有差别。`
        : `${side(d.from)} → ${side(d.to)}：新增 ${d.added.length}，删除 ${d.removed.length}，修改 ${d.changed.length}，仅移动 ${d.layoutChanged.length}。`),
      el('div', { class: 'diff-groups' },
        group('新增', 'added', d.added.map((e) => el('li', { 'data-element-id': e.id }, label(e)))),
        group('删除', 'removed', d.removed.map((e) => el('li', { 'data-element-id': e.id }, label(e)))),
        group('修改', 'changed', d.changed.map((e) => el('li', { 'data-element-id': e.id }, label(e),
          el('ul', { class: 'diff-changes' }, e.changes.map((c) => el('li', {}, `${diffPropertyLabel(c.property)}：${c.before ?? '（无）'} → ${c.after ?? '（无）'}`)))))),
        group('仅移动位置', 'moved', d.layoutChanged.map((e) => el('li', { 'data-element-id': e.id }, label(e))))),
      el('div', { class: 'diff-canvases' },
        el('figure', {}, el('figcaption', {}, `比较前：${side(d.from)}（红色为删除，橙色为修改）`), fromHost),
        el('figure', {}, el('figcaption', {}, `比较后：${side(d.to)}（绿色为新增，橙色为修改）`), toHost)));
    // From an older deployed version to a newer one, legal staff may move the cases still running on the older (pages/instance-migration.ts).
    if (mayMigrate && d.from.version && d.to.version && d.from.version < d.to.version) out.children[0].after(migrationPanel(processId, d.from.version, d.to.version));
    const xmlOf = async (s: DiagramDiff['from']) => (s.draft ? (await loadDraft(processId, s.draft))!.xml : (await get<WorkflowRecord>(`${path}?version=${s.version}`)).xml);
    const { default: Viewer } = await import('bpmn-js/lib/NavigatedViewer');
    const draw = async (host: HTMLElement, xml: string, marks: [DiffElement[], string][]) => {
      const viewer = new Viewer({ container: host }) as unknown as DiagramTool;
      await viewer.importXML(xml);
      const c = viewer.get<Canvas>('canvas');
      const r = viewer.get<Registry>('elementRegistry');
      const marked: Box[] = [];
      for (const [items, cls] of marks) {
        for (const e of items) {
          const shape = r.get(e.id) as (Shape & Partial<Box>) | undefined;
          if (!shape) continue;
          c.addMarker(e.id, cls);
          if (typeof shape.width === 'number') marked.push(shape as Box);
        }
      }
      readableView(c);
      // The first difference in view at a readable size; the zoom buttons of the editor above reach the rest.
      const first = marked[0];
      if (first && c.viewbox().scale <= READABLE_SCALE) {
        const { outer } = c.viewbox();
        const [width, height] = [outer.width / READABLE_SCALE, outer.height / READABLE_SCALE];
        c.viewbox({ x: first.x + first.width / 2 - width / 2, y: first.y + first.height / 2 - height / 2, width, height });
      }
    };
    await draw(fromHost, await xmlOf(d.from), [[d.removed, 'diff-removed'], [d.changed, 'diff-changed']]);
    await draw(toHost, await xmlOf(d.to), [[d.added, 'diff-added'], [d.changed, 'diff-changed'], [d.layoutChanged, 'diff-moved']]);
  }

  // ---- instances per version
  function instancesSection(): HTMLElement {
    instancesHost = el('div', { id: 'instances' });
    renderInstances(instances);
    return el('section', { class: 'card', 'aria-labelledby': 'instances-title' },
      el('h2', { id: 'instances-title' }, '各版本的流程实例'),
      el('p', { class: 'muted' }, '部署新版本不影响正在运行的案件：每个实例始终按其启动时的版本执行。'),
      instancesHost);
  }
  function renderInstances(data: Instances): void {
    instancesHost.replaceChildren(el('div', {},
      el('table', { id: 'instances-by-version' },
        el('thead', {}, el('tr', {}, ['版本', '部署时间', '运行中', '合计'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, data.versions.map((v) => el('tr', { 'data-version': v.version },
          el('td', {}, `版本 ${v.version}`), el('td', {}, fmtDateTime(v.deployedAt)), el('td', { class: 'num' }, v.active), el('td', { class: 'num' }, v.total))))),
      data.recent.length ? el('h3', {}, '最近的实例') : null,
      data.recent.length ? el('table', { id: 'recent-instances' },
        el('thead', {}, el('tr', {}, ['实例编号', '版本', '状态', '业务键', '启动时间'].map((h) => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, data.recent.map((i) => el('tr', { 'data-instance': i.key },
          el('td', {}, i.key), el('td', {}, `版本 ${i.version}`), el('td', {}, STATE_LABELS[i.state] ?? i.state),
          el('td', {}, i.businessKey ?? '—'), el('td', {}, fmtDateTime(i.startedAt)))))) : null));
  }
  async function refreshInstances(): Promise<void> {
    renderInstances(await get<Instances>(`${path}/instances`));
  }

  // ---- first view
  fillOpenSelect();
  refreshCompareOptions();
  const firstXml = opened.kind === 'draft' ? draft!.xml
    : opened.version === workflow.version ? workflow.xml : (await get<WorkflowRecord>(`${path}?version=${opened.version}`)).xml;
  if (opened.kind === 'draft') basedOnVersion = draft!.basedOnVersion;
  else basedOnVersion = opened.version;
  await openXml(firstXml);
  if (opened.kind === 'draft') say(`已打开最新草稿 ${opened.version}（${person(draft!.savedBy)} 于 ${fmtDateTime(draft!.savedAt)} 保存）。`);
}

type DiffElement = DiagramDiff['added'][number];
