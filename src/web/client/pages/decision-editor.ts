/**
 * The graphical decision table editor (dmn-js) for legal staff: a table opened from its latest draft or
 * a deployed version, edited cell by cell, saved as a draft version (a save by someone else in between
 * is refused and said so), compared rule by rule with the deployed version, tested with inputs against
 * the draft without deploying it, and deployed after a confirmation (problems listed when refused).
 */
import { ApiError, api, explain, get, post } from '../api';
import { el, fmtDateTime, uid } from '../dom';
import { type ModelRule, showAnnotations, storeAnnotations } from '../dmn-annotations';
import { type Problem, refusalProblems } from '../editing';
import { type DmnPlaces, dmnProblemList } from '../dmn-problems';
import { CLAIM_CATEGORIES, ROUTE_LABELS } from '../labels';
import type { PageContext } from '../router';
import { currentRender } from '../router';

interface TableRecord { drgId: string; name: string | null; version: number; deployedAt: number; xml: string; versions: Array<{ version: number; deployedAt: number }> }
interface DraftSummary { version: number; basedOnVersion: number | null; savedBy: string; savedAt: number }
interface DraftRecord extends DraftSummary { xml: string; versions: DraftSummary[] }
interface SavedDraft extends DraftSummary { deployable: boolean; problems: Problem[] }
interface RuleCells { index: number; inputs: string[]; outputs: string[]; annotation: string }
interface DecisionChange {
  decisionId: string; name: string;
  hitPolicy?: { from: string; to: string };
  columns?: { from: string[]; to: string[] };
  rulesAdded: RuleCells[]; rulesRemoved: RuleCells[];
  rulesChanged: Array<{ from: RuleCells; to: RuleCells }>;
  expression?: { from: string; to: string };
}
interface DecisionDiff { decisionsAdded: string[]; decisionsRemoved: string[]; changed: DecisionChange[]; problems: { from: string[]; to: string[] } }
interface Evaluation { output: unknown; failureMessage: string | null; evaluated: Array<{ decisionId: string; matchedRules: Array<{ ruleIndex: number; annotation?: string }> }> }

/** The parts of dmn-js's model this page reads: decisions, their table's columns and rules. */
interface ModelColumn { id: string; label?: string; name?: string; typeRef?: string; inputExpression?: { text?: string; typeRef?: string } }
interface ModelTable { $type: string; hitPolicy?: string; input?: ModelColumn[]; output?: ModelColumn[]; rule?: Array<ModelRule & { id: string; inputEntry?: Array<{ text?: string }> }> }
interface ModelDecision { $type: string; id: string; name?: string; decisionLogic?: ModelTable }
interface DmnModeler {
  importXML(xml: string): Promise<unknown>;
  saveXML(options?: { format?: boolean }): Promise<{ xml: string }>;
  getViews(): Array<{ type: string; element: { id: string } }>;
  open(view: { type: string }): Promise<unknown>;
  getDefinitions(): { drgElement?: ModelDecision[] } | undefined;
  getActiveViewer(): { on(event: string, cb: () => void): void } | undefined;
  on(event: string, cb: () => void): void;
  destroy(): void;
  /** The model factory the editor shares with its views (dmn-js's own field). */
  _moddle: { create(type: string, attrs: Record<string, unknown>): { text?: string } };
}

/** What is open in the editor: a deployed version or a draft version. */
type Opened = { kind: 'version' | 'draft'; version: number };

const HIT_POLICY: Record<string, string> = {
  UNIQUE: '唯一', FIRST: '按顺序取第一条', PRIORITY: '按优先级', ANY: '任一', COLLECT: '收集全部', 'RULE ORDER': '按规则顺序', 'OUTPUT ORDER': '按输出顺序',
};

/** A code value (a violation kind, a route) as legal staff read it. */
const valueLabel = (v: string) => CLAIM_CATEGORIES[v]?.label ?? ROUTE_LABELS[v] ?? v;

/** A cell: '-' is any value; quoted codes become their Chinese labels; the rest is the table's own expression. */
function cellText(cell: string, names: Record<string, string> = {}): string {
  if (cell === '' || cell === '-') return '任意';
  // Quoted text is kept apart so that only the names outside it become their column labels.
  return cell.split(/("[^"]*")/).map((part) => (part.startsWith('"')
    ? `“${valueLabel(part.slice(1, -1))}”`
    : part.replace(/\btrue\b/g, '是').replace(/\bfalse\b/g, '否').replace(/\b[A-Za-z_]\w*\b/g, (n) => names[n] ?? n).replace(/\*/g, '×'))).join('');
}

async function loadDraft(drgId: string, version?: number): Promise<DraftRecord | null> {
  try {
    return await get<DraftRecord>(`/api/decision-tables/${encodeURIComponent(drgId)}/draft${version ? `?version=${version}` : ''}`);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

async function loadModeler() {
  const [{ default: Modeler }, { DmnChineseModule }, { DmnTypeMenuModule }] = await Promise.all([import('dmn-js/lib/Modeler'), import('../dmn-translate'), import('../dmn-type-menu'), import('../dmn-style').then((m) => m.addDmnStyles()), import('../editor-style').then((m) => m.addEditorStyles())]);
  return { Modeler, chinese: DmnChineseModule, typeMenu: DmnTypeMenuModule };
}

export async function showDecisionEditor({ main, params }: PageContext): Promise<void> {
  const seq = currentRender();
  const drgId = params.drgId;
  const path = `/api/decision-tables/${encodeURIComponent(drgId)}`;
  const [table, draft, { Modeler, chinese, typeMenu }] = await Promise.all([get<TableRecord>(path), loadDraft(drgId), loadModeler()]);
  if (seq !== currentRender()) return;

  let deployed = table;
  let draftVersions = draft?.versions ?? [];
  /** The latest draft known to this page: a save names it, so a save by someone else in between is refused. */
  let latestDraft: number | null = draft?.version ?? null;
  // A draft saved before the latest deployment has been deployed or superseded: open what is deployed.
  let opened: Opened = draft && draft.savedAt > table.deployedAt ? { kind: 'draft', version: draft.version } : { kind: 'version', version: table.version };
  let dirty = false;

  const title = table.name ?? drgId;
  const openedText = el('span', { id: 'dmn-opened' });
  const latestText = el('span', { id: 'dmn-latest' });
  const dirtyText = el('span', { id: 'dmn-dirty', role: 'status' });
  const message = el('div', { id: 'dmn-message', class: 'message', role: 'alert', hidden: true, tabindex: '-1' });
  const problemsHost = el('div', { id: 'dmn-problems' });
  const say = (text: string, kind: 'ok' | 'error' = 'ok', problems?: Problem[]) => {
    message.hidden = false;
    message.className = 'message ' + kind;
    message.textContent = text;
    problemsHost.replaceChildren(problems?.length ? dmnProblemList(problems, places()) : '');
  };
  const openId = uid('open');
  const openSelect = el('select', { id: openId }) as HTMLSelectElement;
  const host = el('div', { class: 'dmn-host', id: 'dmn-editor', role: 'region', 'aria-label': '决策表编辑区：点击单元格直接修改，右键可添加或删除规则' });
  const diffHost = el('div', { id: 'dmn-diff', 'aria-live': 'polite' });
  const testFields = el('div', { class: 'editor-toolbar', id: 'dmn-test-fields' });
  const testResult = el('div', { id: 'dmn-test-result', role: 'status', 'aria-live': 'polite' });

  main.replaceChildren(
    el('section', { class: 'card', 'aria-labelledby': 'dmn-title' },
      el('h1', { id: 'dmn-title' }, `编辑决策表：${title}`),
      el('div', { class: 'editor-facts' }, latestText, openedText, dirtyText),
      el('div', { class: 'editor-toolbar', role: 'toolbar', 'aria-label': '决策表操作' },
        el('div', { class: 'field' }, el('label', { for: openId }, '打开版本'), openSelect),
        el('button', { type: 'button', id: 'dmn-open', onclick: () => void openSelected() }, '打开'),
        el('button', { type: 'button', id: 'dmn-save', onclick: () => void saveDraft() }, '保存草稿'),
        el('button', { type: 'button', id: 'dmn-compare', onclick: () => void compare() }, '与已部署版本比较'),
        el('button', { type: 'button', class: 'primary', id: 'dmn-deploy', onclick: () => void deploy() }, '部署草稿为新版本'),
        el('a', { class: 'button', href: '/decision-tables' }, '返回决策表列表')),
      message, problemsHost),
    el('section', { class: 'card', 'aria-labelledby': 'dmn-canvas-title' },
      el('h2', { id: 'dmn-canvas-title' }, '决策表'),
      el('p', { class: 'hint' }, '点击单元格直接修改；文本须用英文双引号括起，“-”表示任意值；在行首右键可添加、复制或删除规则。'),
      host),
    el('section', { class: 'card', 'aria-labelledby': 'dmn-diff-title' },
      el('h2', { id: 'dmn-diff-title' }, '与已部署版本的差异'),
      el('p', { class: 'hint' }, '先保存草稿，再点“与已部署版本比较”，逐条列出新增、删除和修改的规则。'),
      diffHost),
    el('section', { class: 'card', 'aria-labelledby': 'dmn-test-title' },
      el('h2', { id: 'dmn-test-title' }, '测试决策表'),
      el('p', { class: 'hint' }, '按已保存的草稿求值，不部署；每个输入一栏，空着表示未提供。'),
      testFields,
      el('button', { type: 'button', id: 'dmn-test-run', class: 'primary', onclick: () => void runTest() }, '用草稿测试'),
      testResult),
  );

  // Each view gets the Chinese texts: dmn-js replaces (not merges) additional modules given as common options.
  const modeler = new Modeler({ container: host, drd: { additionalModules: [chinese] }, decisionTable: { additionalModules: [chinese, typeMenu] }, literalExpression: { additionalModules: [chinese] } }) as unknown as DmnModeler;
  // Browser tests and scripted checks drive the editor through its own API.
  (window as unknown as { decisionModeler?: DmnModeler }).decisionModeler = modeler;
  const watchEdits = () => modeler.getActiveViewer()?.on('elements.changed', () => { dirty = true; showState(); });
  modeler.on('views.changed', watchEdits);
  // dmn-js names its table's context menu for screen readers in English, outside its translate service.
  new MutationObserver(() => {
    for (const menu of Array.from(host.querySelectorAll('[aria-label="Decision table context menu"]'))) menu.setAttribute('aria-label', '决策表右键菜单');
  }).observe(host, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label'] });

  function showState(): void {
    latestText.textContent = `已部署第 ${deployed.version} 版（${fmtDateTime(deployed.deployedAt)}）`;
    openedText.textContent = opened.kind === 'draft' ? `正在编辑：草稿第 ${opened.version} 版` : `正在编辑：已部署第 ${opened.version} 版`;
    dirtyText.textContent = dirty ? '有未保存的修改' : '';
  }

  function fillOpenSelect(): void {
    openSelect.replaceChildren(
      ...draftVersions.slice(0, 10).map((d) => el('option', { value: `draft:${d.version}` }, `草稿第 ${d.version} 版（${fmtDateTime(d.savedAt)}）`)),
      ...[...deployed.versions].sort((a, b) => b.version - a.version).map((v) => el('option', { value: `version:${v.version}` }, `已部署第 ${v.version} 版（${fmtDateTime(v.deployedAt)}）`)),
    );
    openSelect.value = `${opened.kind}:${opened.version}`;
  }

  async function openXml(xml: string, what: Opened): Promise<void> {
    await modeler.importXML(xml);
    showAnnotations(modeler.getDefinitions()?.drgElement);
    const view = modeler.getViews().find((v) => v.type === 'decisionTable');
    if (view) await modeler.open(view);
    opened = what;
    dirty = false;
    showState();
    fillOpenSelect();
    buildTestFields();
  }

  async function openSelected(): Promise<void> {
    if (dirty && !window.confirm('有未保存的修改，打开其他版本会丢弃这些修改。继续吗？')) return;
    const [kind, n] = openSelect.value.split(':');
    const version = Number(n);
    try {
      if (kind === 'draft') {
        const d = await loadDraft(drgId, version);
        if (!d) { say('找不到该草稿版本。', 'error'); return; }
        await openXml(d.xml, { kind: 'draft', version });
      } else {
        const v = await get<TableRecord>(`${path}?version=${version}`);
        await openXml(v.xml, { kind: 'version', version });
      }
      say(`已打开${kind === 'draft' ? '草稿' : '已部署'}第 ${version} 版。`);
    } catch (e) { say(explain(e), 'error'); }
  }

  async function saveDraft(): Promise<boolean> {
    const restore = storeAnnotations(modeler.getDefinitions()?.drgElement, (type, attrs) => modeler._moddle.create(type, attrs));
    const { xml } = await modeler.saveXML({ format: true }).finally(restore);
    try {
      const basedOnVersion = opened.kind === 'version' ? opened.version : (draftVersions.find((d) => d.version === opened.version)?.basedOnVersion ?? deployed.version);
      const saved = await api<SavedDraft>('PUT', `${path}/draft`, { xml, basedOnVersion, expectedVersion: latestDraft });
      latestDraft = saved.version;
      draftVersions = [saved, ...draftVersions];
      opened = { kind: 'draft', version: saved.version };
      dirty = false;
      showState();
      fillOpenSelect();
      buildTestFields();
      if (saved.deployable) say(`已保存为草稿第 ${saved.version} 版，可以部署。`);
      else say(`已保存为草稿第 ${saved.version} 版；部署前须修正下列问题。`, 'error', saved.problems);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'DRAFT_CHANGED') {
        say('保存失败：您打开之后，其他人已保存了更新的草稿。请先在“打开版本”中打开最新草稿，再重新修改。', 'error');
        const fresh = await loadDraft(drgId);
        if (fresh) { draftVersions = fresh.versions; latestDraft = fresh.version; fillOpenSelect(); }
      } else say(explain(e), 'error', refusalProblems(e) ?? undefined);
      return false;
    }
  }

  async function compare(): Promise<void> {
    try {
      const d = await get<DecisionDiff>(`${path}/diff`);
      diffHost.replaceChildren(diffView(d, columnNames()));
    } catch (e) {
      diffHost.replaceChildren(el('p', { class: 'error' }, e instanceof ApiError && e.status === 404 ? '还没有草稿：请先保存草稿再比较。' : explain(e)));
    }
  }

  async function deploy(): Promise<void> {
    if (dirty && !(await saveDraft())) return;
    // The draft on screen, else the latest one.
    const draftVersion = opened.kind === 'draft' ? opened.version : latestDraft;
    if (draftVersion === null) { say('还没有草稿：请先修改并保存草稿。', 'error'); return; }
    if (!window.confirm(`将草稿第 ${draftVersion} 版部署为“${title}”的新版本？之后的案件按新版本办理，已评估的案件保留原结果。`)) return;
    try {
      const r = await post<{ decisionRequirements: Array<{ version: number; duplicate: boolean }> }>(`${path}/deploy`, { draftVersion });
      const drg = r.decisionRequirements[0];
      deployed = await get<TableRecord>(path);
      showState();
      fillOpenSelect();
      say(drg?.duplicate ? '草稿与已部署版本相同，未产生新版本。' : `已部署为第 ${drg?.version ?? deployed.version} 版。`);
    } catch (e) {
      const problems = refusalProblems(e);
      say(problems ? '部署被拒绝：草稿有下列问题，请修正后重新保存。' : explain(e), 'error', problems ?? undefined);
    }
  }

  /** Where problems are, as the open table names them: rules by number, decisions by name, columns by label. */
  function places(): DmnPlaces {
    const names = columnNames();
    const p: DmnPlaces = { ruleNumber: {}, decisionName: {}, inputLabels: [], outputLabels: [], readable: (e) => cellText(e, names) };
    for (const d of modeler.getDefinitions()?.drgElement ?? []) {
      p.decisionName[d.id] = d.name ?? title;
      const logic = d.decisionLogic;
      if (logic?.$type !== 'dmn:DecisionTable') continue;
      (logic.rule ?? []).forEach((r, i) => { p.ruleNumber[r.id] = i + 1; });
      p.inputLabels = (logic.input ?? []).map((c) => c.label || c.inputExpression?.text || '');
      p.outputLabels = (logic.output ?? []).map((c) => c.label || c.name || '');
    }
    return p;
  }

  /** The open table's input names (the expressions of its columns) with the columns' labels. */
  function columnNames(): Record<string, string> {
    const names: Record<string, string> = {};
    for (const d of modeler.getDefinitions()?.drgElement ?? []) {
      for (const col of d.decisionLogic?.input ?? []) {
        const name = col.inputExpression?.text?.trim();
        if (name && col.label) names[name] = col.label;
      }
    }
    return names;
  }

  /** One field per input column of the open table (its first decision table), labelled as the table labels it. */
  let inputs: Array<{ name: string; read: () => unknown; field: HTMLInputElement | HTMLSelectElement }> = [];
  let decisionId: string | undefined;
  let outputs: ModelColumn[] = [];
  function buildTestFields(): void {
    const decision = modeler.getDefinitions()?.drgElement?.find((d) => d.$type === 'dmn:Decision' && d.decisionLogic?.$type === 'dmn:DecisionTable');
    decisionId = decision?.id;
    const logic = decision?.decisionLogic;
    outputs = logic?.output ?? [];
    const wrappers: HTMLElement[] = [];
    // What was typed stays when the table is saved or reopened, for the columns that remain.
    const typed = new Map(inputs.map((i) => [i.name, i.field.value]));
    inputs = (logic?.input ?? []).map((col, n) => {
      const name = col.inputExpression?.text?.trim() ?? '';
      const type = col.inputExpression?.typeRef ?? 'string';
      const id = uid('dmn-in');
      // The values the rules compare a text column with, offered by their Chinese names.
      const quoted = new Set<string>();
      for (const r of logic?.rule ?? []) for (const m of (r.inputEntry?.[n]?.text ?? '').matchAll(/"([^"]*)"/g)) quoted.add(m[1]);
      let field: HTMLInputElement | HTMLSelectElement;
      if (type === 'boolean') field = el('select', { id, 'data-input': name }, el('option', { value: '' }, '（未提供）'), el('option', { value: 'true' }, '是'), el('option', { value: 'false' }, '否'));
      else if (type === 'string' && quoted.size) field = el('select', { id, 'data-input': name }, el('option', { value: '' }, '（未提供）'), [...quoted].map((v) => el('option', { value: v }, valueLabel(v))));
      else field = el('input', { id, 'data-input': name, type: ['number', 'integer', 'long', 'double'].includes(type) ? 'number' : 'text', step: 'any' });
      const wrapper = el('div', { class: 'field' }, el('label', { for: id }, col.label || name), field);
      wrappers.push(wrapper);
      const read = () => {
        const v = field.value.trim();
        if (v === '') return null;
        if (type === 'boolean') return v === 'true';
        return field instanceof HTMLInputElement && field.type === 'number' ? Number(v) : v;
      };
      if (typed.has(name) && Array.from(field instanceof HTMLSelectElement ? field.options : [null]).some((o) => !o || o.value === typed.get(name))) field.value = typed.get(name)!;
      return { name, read, field };
    });
    testFields.replaceChildren(...wrappers);
  }

  async function runTest(): Promise<void> {
    if (dirty && !(await saveDraft())) return;
    if (latestDraft === null) { testResult.replaceChildren(el('p', { class: 'error' }, '还没有草稿：请先保存草稿再测试。')); return; }
    const variables = Object.fromEntries(inputs.filter((i) => i.name).map((i) => [i.name, i.read()]));
    try {
      const r = await post<Evaluation>(`${path}/evaluation`, { source: 'draft', decisionId, variables });
      if (r.failureMessage) { testResult.replaceChildren(el('p', { class: 'error' }, `求值失败：${r.failureMessage}`)); return; }
      const rows = Array.isArray(r.output) ? r.output : [r.output];
      const matched = r.evaluated.find((e) => e.decisionId === decisionId)?.matchedRules ?? [];
      testResult.replaceChildren(
        el('h3', {}, `测试结果（草稿第 ${latestDraft} 版）`),
        matched.length === 0 ? el('p', {}, '没有命中任何规则，输出为空。') : el('ul', { id: 'dmn-test-rules' }, matched.map((m) => el('li', {}, `命中第 ${m.ruleIndex} 条规则${m.annotation ? `：${m.annotation}` : ''}`))),
        ...rows.filter((o) => o !== null && o !== undefined).map((o) => el('dl', { class: 'editor-facts dmn-output' }, outputs.map((col) => {
          const v = outputs.length === 1 && (typeof o !== 'object' || o === null) ? o : (o as Record<string, unknown>)[col.name ?? ''];
          return [el('dt', {}, `${col.label || col.name}：`), el('dd', {}, shown(v))];
        }))));
    } catch (e) {
      const problems = e instanceof ApiError && e.code === 'INVALID_DECISION' ? (e.details as unknown as Problem[]) : null;
      testResult.replaceChildren(el('p', { class: 'error' }, problems ? '草稿有错误，修正后才能测试：' : explain(e)), problems ? dmnProblemList(problems, places()) : '');
    }
  }

  const start = opened.kind === 'draft' && draft ? draft.xml : table.xml;
  try {
    await openXml(start, opened);
  } catch (e) {
    say(`无法打开此决策表：${e instanceof Error ? e.message : String(e)}`, 'error');
  }
}

function shown(v: unknown): string {
  if (v === null || v === undefined) return '（无）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return valueLabel(v);
  if (typeof v === 'number') return v.toLocaleString('zh-CN');
  return JSON.stringify(v);
}

const rowText = (r: RuleCells, names: Record<string, string>) => `${r.inputs.map((c) => cellText(c, names)).join('，')} → ${r.outputs.map((c) => cellText(c, names)).join('，')}`;

/** The difference rule by rule: what was added, removed or changed in each decision. */
function diffView(d: DecisionDiff, names: Record<string, string>): HTMLElement {
  const parts: HTMLElement[] = [];
  if (d.problems.to.length) parts.push(el('p', { class: 'error' }, `草稿有 ${d.problems.to.length} 个错误，无法与已部署版本逐条比较。`));
  for (const id of d.decisionsAdded) parts.push(el('p', {}, `新增决策：${id}`));
  for (const id of d.decisionsRemoved) parts.push(el('p', {}, `删除决策：${id}`));
  for (const c of d.changed) {
    const items: HTMLElement[] = [];
    if (c.hitPolicy) items.push(el('li', {}, `命中策略：${HIT_POLICY[c.hitPolicy.from] ?? c.hitPolicy.from} → ${HIT_POLICY[c.hitPolicy.to] ?? c.hitPolicy.to}`));
    if (c.columns) items.push(el('li', {}, `列：${c.columns.from.join('、')} → ${c.columns.to.join('、')}`));
    if (c.expression) items.push(el('li', {}, `表达式：${c.expression.from} → ${c.expression.to}`));
    for (const r of c.rulesAdded) items.push(el('li', { class: 'diff-added' }, `新增第 ${r.index} 条规则：${rowText(r, names)}`));
    for (const r of c.rulesRemoved) items.push(el('li', { class: 'diff-removed' }, `删除原第 ${r.index} 条规则：${rowText(r, names)}`));
    for (const r of c.rulesChanged) {
      items.push(el('li', { class: 'diff-changed' }, `修改第 ${r.to.index} 条规则`, el('br'), `原为：${rowText(r.from, names)}`, el('br'), `改为：${rowText(r.to, names)}`,
        r.from.annotation !== r.to.annotation ? el('span', {}, el('br'), `法律依据：${r.from.annotation || '（无）'} → ${r.to.annotation || '（无）'}`) : ''));
    }
    if (items.length) parts.push(el('h3', {}, c.name), el('ul', { class: 'dmn-diff-list' }, items));
  }
  if (parts.length === 0) parts.push(el('p', {}, '草稿与已部署版本相同。'));
  return el('div', {}, ...parts);
}
