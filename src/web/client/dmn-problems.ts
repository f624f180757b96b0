/**
 * The problems of a decision table draft in Chinese, each with where it is as legal staff see it (the
 * decision's name, the rule's number, the column's label) instead of element ids. The engine's messages
 * are matched by their pattern; one no pattern knows is said by the kind of check, its words kept as a tooltip.
 */
import { el } from './dom';

export interface DmnProblem { elementId?: string; rule: string; message: string; severity: 'error' | 'warning' }

/** Where things are in the open table: rule ids → their number, decision ids → their name, column numbers → labels. */
export interface DmnPlaces {
  ruleNumber: Record<string, number>;
  decisionName: Record<string, string>;
  inputLabels: string[];
  outputLabels: string[];
  /** An expression of the table as the page shows it elsewhere (names of inputs by their labels). */
  readable: (expression: string) => string;
}

const PATTERNS: [RegExp, (m: RegExpExecArray, p: DmnPlaces) => string][] = [
  [/input (\d+): '(.*)' is not a valid unary test/s, (m, p) => `“${p.inputLabels[Number(m[1]) - 1] ?? `第 ${m[1]} 个输入`}”列的条件“${p.readable(m[2])}”写法不正确。`],
  [/output (\d+) '(.*)' is not valid FEEL/s, (m, p) => `“${p.outputLabels[Number(m[1]) - 1] ?? `第 ${m[1]} 个输出`}”列的结论“${p.readable(m[2])}”写法不正确。`],
  [/'([^']*)' is not valid FEEL/s, (m, p) => `表达式“${p.readable(m[1])}”写法不正确。`],
  [/it has (\d+) input and (\d+) output entries, the table (\d+) inputs and (\d+) outputs/, (m) => `该规则有 ${m[1]} 个条件、${m[2]} 个结论，而表格有 ${m[3]} 个输入列、${m[4]} 个输出列。`],
  [/the hit policy (\S+) is not supported/, () => '不支持所选的命中策略。'],
  [/the table has no output column/, () => '决策表没有输出列。'],
  [/input (\d+) has no expression/, (m) => `第 ${m[1]} 个输入列没有输入表达式。`],
  [/output (\d+) needs a name/, (m) => `第 ${m[1]} 个输出列需要填写输出名称。`],
  [/The resource contains no decision/, () => '文件中没有决策。'],
  [/not readable DMN XML|is not DMN|resource is empty/, () => '文件不是有效的决策表（DMN）文件。'],
  [/The decision id '(.*)' is used twice/, (m) => `决策标识“${m[1]}”重复。`],
];

function where(p: DmnProblem, places: DmnPlaces): string {
  if (!p.elementId) return '';
  if (places.ruleNumber[p.elementId]) return `第 ${places.ruleNumber[p.elementId]} 条规则`;
  return places.decisionName[p.elementId] ?? '';
}

function message(p: DmnProblem, places: DmnPlaces): HTMLElement {
  if (/[\u4e00-\u9fff]/.test(p.message)) return el('span', {}, p.message);
  for (const [re, say] of PATTERNS) {
    const m = re.exec(p.message);
    if (m) return el('span', {}, say(m, places));
  }
  return el('span', { title: p.message }, p.rule === 'feel' ? '表达式写法不正确。' : '决策表不符合要求。');
}

export function dmnProblemList(problems: DmnProblem[], places: DmnPlaces): HTMLElement {
  return el('ul', { class: 'problems' }, problems.map((p) => el('li', { class: p.severity, 'data-severity': p.severity },
    el('span', { class: p.severity === 'error' ? 'tag danger' : 'tag' }, p.severity === 'error' ? '错误' : '警告'),
    where(p, places) ? el('strong', {}, where(p, places)) : null,
    message(p, places))));
}
