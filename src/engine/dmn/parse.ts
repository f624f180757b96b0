/**
 * DMN XML → the executable model of types.ts, with every check the deployment reports: readable DMN,
 * decisions whose logic is a decision table or a literal expression in FEEL, hit policies and
 * aggregations the evaluator knows, rules whose entries fit the columns and parse as FEEL, and required
 * decisions that exist in the same graph without a cycle. Every problem is collected.
 */
import { DmnModdle, type DmnElement, type DmnModdleInstance } from 'dmn-moddle';
import { checkFeelSyntax } from '../feel/feel';
import { AGGREGATIONS, HIT_POLICIES, type Aggregation, type CompiledDecision, type CompiledDrg, type DecisionTable, type DmnProblem, type HitPolicy, type TableOutput } from './types';
import { checkUnaryTestsSyntax, splitFeelList } from './unary';

/** dmn-moddle reads DMN 1.3; Camunda Modeler also writes 1.4 and 1.5, whose elements used here are the same. */
const DMN13 = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
const NEWER_DMN = /https:\/\/www\.omg\.org\/spec\/DMN\/(20211108|20230324)\/MODEL\//g;
const FEEL_LANGUAGES = new Set(['', 'feel', 'https://www.omg.org/spec/DMN/20191111/FEEL/', 'http://www.omg.org/spec/FEEL/20140401', 'https://www.omg.org/spec/DMN/20211108/FEEL/', 'https://www.omg.org/spec/DMN/20230324/FEEL/']);

let moddle: DmnModdleInstance | undefined;

export interface CompileDmnResult {
  drg?: CompiledDrg;
  problems: DmnProblem[];
}

export async function compileDmn(xml: string): Promise<CompileDmnResult> {
  if (typeof xml !== 'string' || xml.trim() === '') return { problems: [error('xml', 'The decision resource is empty.')] };
  let root: DmnElement;
  try {
    moddle ??= DmnModdle();
    ({ rootElement: root } = await moddle.fromXML(xml.replace(NEWER_DMN, DMN13), 'dmn:Definitions'));
  } catch (e) {
    return { problems: [error('xml', `The resource is not readable DMN XML: ${(e as Error).message}`)] };
  }
  if (!root || root.$type !== 'dmn:Definitions') return { problems: [error('xml', 'The resource is not DMN: its root must be dmn:definitions.')] };
  return new DrgCompiler(root).compile();
}

function error(rule: string, message: string, elementId?: string): DmnProblem {
  return { rule, message, severity: 'error', ...(elementId ? { elementId } : {}) };
}

function many(el: DmnElement | undefined, name: string): DmnElement[] {
  const v = el?.get(name);
  return Array.isArray(v) ? (v as DmnElement[]) : [];
}

function text(el: DmnElement | undefined): string {
  const t = el?.get('text');
  return typeof t === 'string' ? t.trim() : '';
}

class DrgCompiler {
  private problems: DmnProblem[] = [];

  constructor(private readonly root: DmnElement) {}

  compile(): CompileDmnResult {
    const id = this.root.id;
    if (!id) this.problems.push(error('dmn', 'The definitions element needs an id: it is the decision requirements id.'));
    const decisions: CompiledDecision[] = [];
    for (const el of many(this.root, 'drgElement')) {
      if (el.$type !== 'dmn:Decision') continue; // input data and knowledge sources describe; they do not run
      const d = this.decision(el);
      if (d) decisions.push(d);
    }
    if (decisions.length === 0 && this.problems.length === 0) this.problems.push(error('dmn', 'The resource contains no decision.'));
    this.checkRequirements(decisions);
    return id ? { drg: { id, name: this.root.name || undefined, decisions }, problems: this.problems } : { problems: this.problems };
  }

  private decision(el: DmnElement): CompiledDecision | undefined {
    const id = el.id;
    if (!id) {
      this.problems.push(error('dmn', `A decision${el.name ? ` ('${el.name}')` : ''} has no id.`));
      return undefined;
    }
    const requires = many(el, 'informationRequirement')
      .map((r) => (r.get('requiredDecision') as DmnElement | undefined)?.get('href'))
      .filter((h): h is string => typeof h === 'string')
      .map((h) => h.replace(/^#/, ''));
    const logicEl = el.get('decisionLogic') as DmnElement | undefined;
    if (!logicEl) {
      this.problems.push(error('dmn', `Decision '${id}' has no decision logic: give it a decision table or a literal expression.`, id));
      return undefined;
    }
    if (logicEl.$type === 'dmn:LiteralExpression') {
      const expression = text(logicEl);
      this.checkLanguage(logicEl, id);
      if (!expression) this.problems.push(error('dmn', `The literal expression of decision '${id}' is empty.`, id));
      else this.feel(expression, id, 'literal expression');
      return { id, name: el.name || undefined, requires, logic: { kind: 'literalExpression', expression } };
    }
    if (logicEl.$type !== 'dmn:DecisionTable') {
      this.problems.push(error('dmn', `Decision '${id}' uses a ${logicEl.$type.replace('dmn:', '')}; the engine runs decision tables and literal expressions only.`, id));
      return undefined;
    }
    const table = this.table(logicEl, id);
    return table && { id, name: el.name || undefined, requires, logic: table };
  }

  private table(el: DmnElement, decisionId: string): DecisionTable | undefined {
    const before = this.problems.length;
    const hitPolicy = String(el.get('hitPolicy') ?? 'UNIQUE') as HitPolicy;
    const aggregationRaw = el.get('aggregation') as string | undefined;
    if (!HIT_POLICIES.includes(hitPolicy)) {
      this.problems.push(error('dmn', `Decision '${decisionId}': the hit policy ${hitPolicy} is not supported (use ${HIT_POLICIES.join(', ')}).`, decisionId));
    }
    let aggregation: Aggregation | undefined;
    if (aggregationRaw) {
      if (hitPolicy !== 'COLLECT') this.problems.push(error('dmn', `Decision '${decisionId}': an aggregation (${aggregationRaw}) needs the hit policy COLLECT.`, decisionId));
      else if (!AGGREGATIONS.includes(aggregationRaw as Aggregation)) this.problems.push(error('dmn', `Decision '${decisionId}': unknown aggregation ${aggregationRaw}.`, decisionId));
      else aggregation = aggregationRaw as Aggregation;
    }
    const inputs = many(el, 'input').map((input, i) => {
      const expr = input.get('inputExpression') as DmnElement | undefined;
      const expression = text(expr);
      const inputId = input.id ?? `${decisionId}_input_${i + 1}`;
      if (expr) this.checkLanguage(expr, decisionId);
      if (!expression) this.problems.push(error('dmn', `Decision '${decisionId}': input ${i + 1} has no expression.`, decisionId));
      else this.feel(expression, decisionId, `input ${i + 1}`);
      return { id: inputId, label: (input.get('label') as string | undefined) || expression, expression };
    });
    const outputs: TableOutput[] = many(el, 'output').map((output, i) => {
      const name = (output.name ?? '').trim();
      const allowed = text(output.get('outputValues') as DmnElement | undefined);
      return { id: output.id ?? `${decisionId}_output_${i + 1}`, label: (output.get('label') as string | undefined) || name, name, priorities: allowed ? splitFeelList(allowed) : [] };
    });
    if (outputs.length === 0) this.problems.push(error('dmn', `Decision '${decisionId}': the table has no output column.`, decisionId));
    if (outputs.length > 1) {
      outputs.forEach((o, i) => {
        if (!o.name) this.problems.push(error('dmn', `Decision '${decisionId}': output ${i + 1} needs a name, as the table has several outputs.`, decisionId));
      });
    }
    if (aggregation && outputs.length !== 1) this.problems.push(error('dmn', `Decision '${decisionId}': an aggregation needs exactly one output column.`, decisionId));
    if ((hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') && !outputs.some((o) => o.priorities.length > 0)) {
      this.problems.push(error('dmn', `Decision '${decisionId}': the hit policy ${hitPolicy} needs the outputs' allowed values, in priority order.`, decisionId));
    }
    const rules = many(el, 'rule').map((rule, i) => {
      const ruleId = rule.id ?? `${decisionId}_rule_${i + 1}`;
      const inputEntries = many(rule, 'inputEntry').map(text);
      const outputEntries = many(rule, 'outputEntry').map(text);
      if (inputEntries.length !== inputs.length || outputEntries.length !== outputs.length) {
        this.problems.push(error('dmn', `Decision '${decisionId}', rule ${i + 1}: it has ${inputEntries.length} input and ${outputEntries.length} output entries, the table ${inputs.length} inputs and ${outputs.length} outputs.`, ruleId));
      }
      inputEntries.forEach((t, j) => {
        const problem = t === '' || t === '-' ? null : checkUnaryTestsSyntax(t);
        if (problem) this.problems.push(error('feel', `Decision '${decisionId}', rule ${i + 1}, input ${j + 1}: '${t}' is not a valid unary test: ${problem}`, ruleId));
      });
      outputEntries.forEach((t, j) => {
        if (t !== '') this.feel(t, ruleId, `decision '${decisionId}', rule ${i + 1}, output ${j + 1}`);
      });
      const annotation = many(rule, 'annotationEntry').map(text).filter(Boolean).join(' ') || (typeof rule.get('description') === 'string' ? String(rule.get('description')).trim() : '');
      return { id: ruleId, index: i + 1, inputEntries, outputEntries, ...(annotation ? { annotation } : {}) };
    });
    if (this.problems.length > before) return undefined;
    return { kind: 'decisionTable', hitPolicy, ...(aggregation ? { aggregation } : {}), inputs, outputs, rules };
  }

  private checkLanguage(el: DmnElement, decisionId: string): void {
    const lang = String(el.get('expressionLanguage') ?? '').toLowerCase();
    if (!FEEL_LANGUAGES.has(lang)) this.problems.push(error('dmn', `Decision '${decisionId}': the expression language '${lang}' is not supported; use FEEL.`, decisionId));
  }

  private feel(expression: string, elementId: string, where: string): void {
    const problem = checkFeelSyntax(expression);
    if (problem) this.problems.push(error('feel', `The ${where} '${expression}' is not valid FEEL: ${problem}`, elementId));
  }

  /** Required decisions must be in the same graph, and the requirements must not go round in a circle. */
  private checkRequirements(decisions: CompiledDecision[]): void {
    const byId = new Map<string, CompiledDecision>();
    for (const d of decisions) {
      if (byId.has(d.id)) this.problems.push(error('dmn', `The decision id '${d.id}' is used twice.`, d.id));
      byId.set(d.id, d);
    }
    for (const d of decisions) {
      for (const r of d.requires) {
        if (!byId.has(r)) this.problems.push(error('dmn', `Decision '${d.id}' requires the decision '${r}', which is not in this resource.`, d.id));
      }
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (d: CompiledDecision): boolean => {
      if (state.get(d.id) === 'done') return false;
      if (state.get(d.id) === 'visiting') return true;
      state.set(d.id, 'visiting');
      const cyclic = d.requires.some((r) => byId.has(r) && visit(byId.get(r)!));
      state.set(d.id, 'done');
      return cyclic;
    };
    for (const d of decisions) {
      state.clear();
      if (visit(d)) {
        this.problems.push(error('dmn', `Decision '${d.id}' depends on itself through its required decisions.`, d.id));
        break;
      }
    }
  }
}
