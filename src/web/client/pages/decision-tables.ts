/**
 * Decision tables for legal staff (the discretion standard, the routing table): the list of deployed
 * tables, and one table's page with its rules (each with its legal source), the panel "测试此决策表"
 * (inputs → outputs and the matched rule, on the deployed version or the saved draft), and the draft
 * flow of the API: save the edited DMN as a draft, compare it with the deployed version, deploy it.
 * The graphical dmn-js editor is not part of this page: the draft is edited as DMN XML.
 */
import { api, explain, get, post } from '../api';
import { el, fmtDateTime } from '../dom';
import { CLAIM_CATEGORIES, HIT_POLICY_LABELS, ROUTE_LABELS } from '../labels';
import type { PageContext } from '../router';
import { currentRender } from '../router';

interface Rule { id: string; index: number; inputEntries: string[]; outputEntries: string[]; annotation?: string }
interface Decision {
  id: string;
  name?: string;
  logic: { kind: 'decisionTable'; hitPolicy: string; aggregation?: string; inputs: Array<{ id: string; label: string; expression: string }>; outputs: Array<{ id: string; label: string; name: string }>; rules: Rule[] }
    | { kind: 'literalExpression'; expression: string };
}
interface TableVersion { drgId: string; name: string | null; version: number; deployedAt: number; xml: string; versions: Array<{ version: number; deployedAt: number }>; decisions: Decision[] }
interface TableSummary { drgId: string; name: string | null; version: number; versionCount: number; deployedAt: number }
interface Evaluation { output: unknown; failureMessage: string | null; evaluated: Array<{ decisionId: string; matchedRules: Array<{ ruleIndex: number; annotation?: string }> }> }

/** Context values the product passes to its tables besides their input columns. */
const CONTEXT_NAMES: Record<string, string> = { refusalFineMin: '拒不改正罚款下限', refusalFineMax: '拒不改正罚款上限' };

/** A cell as legal staff read it: '-' is any value, known codes and names become their Chinese labels. */
function readable(cell: string, names: Record<string, string>): string {
  if (cell === '' || cell === '-') return '任意';
  return cell
    .replace(/"([^"]*)"/g, (_m, v: string) => `“${CLAIM_CATEGORIES[v]?.label ?? ROUTE_LABELS[v] ?? v}”`)
    .replace(/\b(true|false)\b/g, (b) => (b === 'true' ? '是' : '否'))
    .replace(/\b[A-Za-z_]\w*\b/g, (n) => names[n] ?? CONTEXT_NAMES[n] ?? n)
    .replace(/\*/g, '×');
}

function shown(v: unknown): string {
  if (v === null || v === undefined) return '（无）';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string') return CLAIM_CATEGORIES[v]?.label ?? ROUTE_LABELS[v] ?? v;
  return String(v);
}

export async function showDecisionTableList({ main }: PageContext): Promise<void> {
  const seq = currentRender();
  const { items } = await get<{ items: TableSummary[] }>('/api/decision-tables');
  if (seq !== currentRender()) return;
  main.replaceChildren(el('section', { class: 'card', 'aria-labelledby': 'dt-title' },
    el('h1', { id: 'dt-title' }, '决策表'),
    el('p', { class: 'muted' }, '行政处罚裁量基准、投诉分流等规则表：每条规则注明法律依据；部署新版本后，之后的案件按新版本办理，已评估的案件保留原结果。'),
    el('table', { id: 'decision-table-list' },
      el('thead', {}, el('tr', {}, ['决策表', '最新版本', '部署时间', ''].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, items.map((t) => el('tr', { 'data-drg': t.drgId },
        el('td', {}, t.name ?? '（未命名）'),
        el('td', {}, `版本 ${t.version}（共 ${t.versionCount} 个）`),
        el('td', {}, fmtDateTime(t.deployedAt)),
        el('td', {}, el('a', { class: 'button', href: `/decision-tables/${encodeURIComponent(t.drgId)}`, 'aria-label': `打开 ${t.name ?? ''}` }, '打开'))))))));
}

export async function showDecisionTable({ main, params }: PageContext): Promise<void> {
  const seq = currentRender();
  const drgId = params.drgId;
  const t = await get<TableVersion>(`/api/decision-tables/${encodeURIComponent(drgId)}`);
  if (seq !== currentRender()) return;
  const status = el('p', { id: 'dt-status', role: 'status', class: 'muted' });
  const sections = t.decisions.map((d) => (d.logic.kind === 'decisionTable' ? tableSection(drgId, d, d.logic) : el('p', {}, `${d.name ?? ''}：文字表达式`)));
  const xml = el('textarea', { id: 'dt-xml', rows: 12, 'aria-label': '决策表定义文件', spellcheck: false }) as HTMLTextAreaElement;
  xml.value = t.xml;
  const diffOut = el('div', { id: 'dt-diff' });
  const facts = el('p', { class: 'muted', id: 'dt-version' }, `已部署版本 ${t.version}（共 ${t.versions.length} 个），部署时间 ${fmtDateTime(t.deployedAt)}`);
  const saveDraft = async () => {
    try {
      const d = await api<{ version: number; deployable: boolean; problems: Array<{ message: string }> }>('PUT', `/api/decision-tables/${encodeURIComponent(drgId)}/draft`, { xml: xml.value, basedOnVersion: t.version });
      status.textContent = d.deployable ? `已保存草稿第 ${d.version} 版，可以部署。` : `已保存草稿第 ${d.version} 版，部署前须修正 ${d.problems.length} 个问题。`;
    } catch (e) { status.textContent = explain(e); }
  };
  const compare = async () => {
    try {
      const d = await get<{ changed: Array<{ name: string; rulesAdded: unknown[]; rulesRemoved: unknown[]; rulesChanged: Array<{ from: { index: number } }> }> }>(`/api/decision-tables/${encodeURIComponent(drgId)}/diff`);
      diffOut.replaceChildren(d.changed.length === 0 ? el('p', {}, '草稿与已部署版本相同。') : el('ul', {}, d.changed.map((c) => el('li', {},
        `${c.name}：新增 ${c.rulesAdded.length} 条、删除 ${c.rulesRemoved.length} 条、修改 ${c.rulesChanged.length} 条规则${c.rulesChanged.length ? `（第 ${c.rulesChanged.map((r) => r.from.index).join('、')} 条）` : ''}`))));
    } catch (e) { status.textContent = explain(e); }
  };
  const deploy = async () => {
    try {
      const r = await post<{ decisions: Array<{ version: number }> }>(`/api/decision-tables/${encodeURIComponent(drgId)}/deploy`, {});
      const v = r.decisions[0]?.version;
      status.textContent = `已部署为第 ${v ?? ''} 版。`;
      if (v) facts.textContent = `已部署版本 ${v}（共 ${v} 个），部署时间 ${fmtDateTime(Date.now())}`;
    } catch (e) { status.textContent = explain(e); }
  };
  main.replaceChildren(el('section', { class: 'card', 'aria-labelledby': 'dt-name' },
    el('h1', { id: 'dt-name' }, t.name ?? '决策表'),
    facts,
    el('p', {}, el('a', { class: 'button primary', id: 'dt-open-editor', href: `/decision-tables/${encodeURIComponent(drgId)}/editor` }, '在表格编辑器中修改')),
    sections,
    el('h2', {}, '修改草稿'),
    el('p', { class: 'muted' }, '在下方修改决策表的定义文件，保存为草稿，与已部署版本比较后部署。'),
    xml,
    el('div', { class: 'editor-toolbar' },
      el('button', { type: 'button', id: 'dt-save', onclick: () => void saveDraft() }, '保存草稿'),
      el('button', { type: 'button', id: 'dt-compare', onclick: () => void compare() }, '与已部署版本比较'),
      el('button', { type: 'button', id: 'dt-deploy', onclick: () => void deploy() }, '部署草稿')),
    status, diffOut));
}

function tableSection(drgId: string, d: Decision, table: Extract<Decision['logic'], { kind: 'decisionTable' }>): HTMLElement {
  const names = Object.fromEntries(table.inputs.map((i) => [i.expression, i.label]));
  const fields = table.inputs.map((i) => el('input', { id: `dt-in-${i.id}`, name: i.expression, 'aria-label': i.label }) as HTMLInputElement);
  const result = el('div', { id: `dt-result-${d.id}`, role: 'status' });
  const test = async (source: 'deployed' | 'draft') => {
    const variables: Record<string, unknown> = { ...{ refusalFineMin: 2000, refusalFineMax: 20000 } };
    for (const f of fields) {
      const v = f.value.trim();
      variables[f.name] = v === '' ? null : v === '是' ? true : v === '否' ? false : Number.isFinite(Number(v)) ? Number(v) : (Object.entries(CLAIM_CATEGORIES).find(([, c]) => c.label === v)?.[0] ?? v);
    }
    try {
      const r = await post<Evaluation>(`/api/decision-tables/${encodeURIComponent(drgId)}/evaluation`, { decisionId: d.id, variables, source });
      if (r.failureMessage) { result.replaceChildren(el('p', { class: 'error' }, r.failureMessage)); return; }
      const out = r.output && typeof r.output === 'object' && !Array.isArray(r.output) ? r.output as Record<string, unknown> : { [table.outputs[0]?.name ?? '']: r.output };
      const rule = r.evaluated.at(-1)?.matchedRules[0];
      result.replaceChildren(
        el('dl', { class: 'editor-facts' }, table.outputs.map((o) => [el('dt', {}, o.label || o.name), el('dd', {}, shown(out[o.name]))])),
        el('p', {}, rule ? `命中第 ${rule.ruleIndex} 条规则：${rule.annotation ?? ''}` : '没有命中的规则。'));
    } catch (e) { result.replaceChildren(el('p', { class: 'error' }, explain(e))); }
  };
  // The product's own values (refusal fine range) are filled in from the legal registry by the service; here its defaults.
  return el('section', { 'aria-label': d.name ?? '决策' },
    el('h2', {}, d.name ?? '决策'),
    el('p', { class: 'muted' }, `命中策略：${HIT_POLICY_LABELS[table.hitPolicy] ?? table.hitPolicy}`),
    el('table', { class: 'decision-rules' },
      el('thead', {}, el('tr', {}, ['序号', ...table.inputs.map((i) => i.label), ...table.outputs.map((o) => o.label || o.name), '法律依据'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, table.rules.map((r) => el('tr', { 'data-rule': r.index },
        el('td', {}, String(r.index)),
        r.inputEntries.map((c) => el('td', {}, readable(c, names))),
        r.outputEntries.map((c) => el('td', {}, readable(c, names))),
        el('td', {}, r.annotation ?? ''))))),
    el('h3', {}, '测试此决策表'),
    el('p', { class: 'muted' }, '填写输入（违法行为种类填中文名称，是否填“是”或“否”），查看输出和命中的规则。'),
    el('div', { class: 'editor-toolbar' }, table.inputs.map((i, n) => el('label', { class: 'field' }, i.label, fields[n])),
      el('button', { type: 'button', class: 'dt-test', onclick: () => void test('deployed') }, '按已部署版本测试'),
      el('button', { type: 'button', class: 'dt-test-draft', onclick: () => void test('draft') }, '按草稿测试')),
    result);
}
