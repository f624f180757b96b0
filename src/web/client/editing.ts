/**
 * What the editing pages share: who may edit, the problems of a diagram or form as a list in Chinese
 * with the element each belongs to, and the API shapes of the editing routes.
 */
import { ApiError } from './api';
import { el } from './dom';
import { chineseProblemMessage, genericProblemMessage } from './problem-messages';
import type { Me } from './session';

export const isEditor = (me: Me) => me.roles.includes('legal') || me.roles.includes('admin');

export interface Problem {
  elementId?: string;
  rule: string;
  message: string;
  severity: 'error' | 'warning';
  resource?: string;
}

export interface CheckResult {
  deployable: boolean;
  processIds: string[];
  problems: Problem[];
}

export interface DraftSummary {
  bpmnProcessId: string;
  version: number;
  basedOnVersion: number | null;
  savedBy: string;
  savedAt: number;
}

export interface DraftRecord extends DraftSummary {
  xml: string;
  versions: DraftSummary[];
}

export interface DefinitionSummary {
  bpmnProcessId: string;
  name: string | null;
  version: number;
  resourceName: string;
  deployedAt: number;
}

export interface DiffElement { id: string; type: string; name: string | null }
export interface DiagramDiff {
  from: { version?: number; draft?: number };
  to: { version?: number; draft?: number };
  added: DiffElement[];
  removed: DiffElement[];
  changed: (DiffElement & { changes: { property: string; before: string | null; after: string | null }[] })[];
  layoutChanged: DiffElement[];
}

export interface DeploymentResult {
  processes: { bpmnProcessId: string; version: number; duplicate: boolean }[];
  forms: { formId: string; version: number; duplicate: boolean }[];
  warnings: Problem[];
}

const SEVERITY: Record<Problem['severity'], string> = { error: '错误', warning: '警告' };

/** Rule families in words; the rule's own name stays beside them for whoever looks it up. */
function ruleLabel(rule: string): string {
  if (rule === 'xml') return 'XML 格式';
  if (rule === 'subset') return '引擎支持范围';
  if (rule === 'feel') return 'FEEL 表达式';
  if (rule === 'form' || rule === 'form-reference') return '表单';
  if (rule.startsWith('lint/')) return `Camunda 8.8 规则 ${rule.slice(5)}`;
  return rule;
}

/** The message in Chinese; one no pattern knows keeps its original words as a tooltip. */
function problemMessage(p: Problem): HTMLElement {
  const zh = chineseProblemMessage(p.message);
  return zh ? el('span', { class: 'problem-message' }, zh) : el('span', { class: 'problem-message', title: p.message }, genericProblemMessage(p.rule));
}

/**
 * The problems as a list: errors first, each with its element (a button that shows it when
 * `reveal` is given), so a keyboard user can go from the message to the element.
 */
export function problemList(problems: Problem[], nameOf: (id: string) => string, reveal?: (id: string) => void): HTMLElement {
  if (problems.length === 0) return el('p', { class: 'ok' }, '未发现问题，可以部署。');
  return el('ul', { class: 'problems' }, problems.map((p) => el('li', { class: p.severity, 'data-element-id': p.elementId ?? '', 'data-severity': p.severity },
    el('span', { class: p.severity === 'error' ? 'tag danger' : 'tag' }, SEVERITY[p.severity]),
    p.elementId ? el('strong', {}, `${nameOf(p.elementId)}（${p.elementId}）`) : null,
    problemMessage(p),
    el('span', { class: 'rule' }, ruleLabel(p.rule)),
    p.elementId && reveal ? el('button', { type: 'button', onclick: () => reveal(p.elementId!), 'aria-label': `在图中定位 ${p.elementId}` }, '定位') : null)));
}

export function problemSummary(problems: Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  if (problems.length === 0) return '检查通过：没有错误或警告。';
  return `发现 ${errors} 个错误、${warnings} 个警告${errors ? '；有错误时不能部署' : ''}。`;
}

/** The problems an INVALID_DIAGRAM refusal carries in its details. */
export function refusalProblems(e: unknown): Problem[] | null {
  if (!(e instanceof ApiError) || e.code !== 'INVALID_DIAGRAM') return null;
  return (e.details as unknown as Problem[]).filter((d) => d && typeof d.message === 'string');
}
