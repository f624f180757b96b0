/**
 * Evaluates one decision of a compiled graph, its required decisions first (each result is seen by the
 * decisions that require it under the required decision's id), and reports every evaluated decision
 * with its inputs and matched rules, as Zeebe's EvaluateDecision does. A failure (a FEEL error, several
 * rules matching a UNIQUE table, different outputs under ANY, an aggregation over non-numbers) ends
 * the evaluation at that decision and is reported, not thrown: the caller decides whether it is an
 * incident or a rejected request.
 */
import { evaluateFeel, type FeelValue } from '../feel/feel';
import type { CompiledDecision, CompiledDrg, DecisionTable, TableRule } from './types';
import { matchesEntry } from './unary';

export interface EvaluatedInput { inputId: string; inputName: string; inputValue: FeelValue }
export interface EvaluatedOutput { outputId: string; outputName: string; outputValue: FeelValue }
export interface MatchedRule { ruleId: string; ruleIndex: number; evaluatedOutputs: EvaluatedOutput[]; annotation?: string }

export interface EvaluatedDecision {
  decisionId: string;
  decisionName: string;
  decisionType: 'DECISION_TABLE' | 'LITERAL_EXPRESSION';
  output: FeelValue;
  matchedRules: MatchedRule[];
  evaluatedInputs: EvaluatedInput[];
}

export interface DecisionEvaluation {
  /** The requested decision's result; null when the evaluation failed. */
  output: FeelValue;
  /** Required decisions first, the requested one last (up to the failed one). */
  evaluated: EvaluatedDecision[];
  failedDecisionId?: string;
  failureMessage?: string;
}

export interface EvaluateOptions {
  /** The service clock, for FEEL's now() and today(). */
  now?: Date;
}

class DecisionFailure extends Error {}

export function evaluateDecision(drg: CompiledDrg, decisionId: string, variables: Record<string, unknown>, options: EvaluateOptions = {}): DecisionEvaluation {
  const byId = new Map(drg.decisions.map((d) => [d.id, d]));
  const target = byId.get(decisionId);
  if (!target) return { output: null, evaluated: [], failedDecisionId: decisionId, failureMessage: `未找到决策 '${decisionId}'` };
  const evaluated: EvaluatedDecision[] = [];
  const results = new Map<string, FeelValue>();
  const run = (d: CompiledDecision): FeelValue => {
    if (results.has(d.id)) return results.get(d.id)!;
    const context: Record<string, unknown> = { ...variables };
    for (const r of d.requires) context[r] = run(byId.get(r)!);
    const current: EvaluatedDecision = {
      decisionId: d.id, decisionName: d.name ?? d.id, decisionType: d.logic.kind === 'decisionTable' ? 'DECISION_TABLE' : 'LITERAL_EXPRESSION',
      output: null, matchedRules: [], evaluatedInputs: [],
    };
    evaluated.push(current);
    try {
      current.output = d.logic.kind === 'literalExpression'
        ? evaluateFeel(d.logic.expression, context, options)
        : evaluateTable(d.logic, context, current, options);
    } catch (e) {
      throw Object.assign(new DecisionFailure((e as Error).message), { decisionId: d.id });
    }
    results.set(d.id, current.output);
    return current.output;
  };
  try {
    return { output: run(target), evaluated };
  } catch (e) {
    const failed = (e as { decisionId?: string }).decisionId ?? decisionId;
    return { output: null, evaluated, failedDecisionId: failed, failureMessage: `决策 '${failed}' 求值失败：${(e as Error).message}` };
  }
}

function evaluateTable(table: DecisionTable, context: Record<string, unknown>, report: EvaluatedDecision, options: EvaluateOptions): FeelValue {
  const values = table.inputs.map((input) => {
    const value = evaluateFeel(input.expression, context, options);
    report.evaluatedInputs.push({ inputId: input.id, inputName: input.label, inputValue: value });
    return value;
  });
  const matched: MatchedRule[] = [];
  for (const rule of table.rules) {
    if (!rule.inputEntries.every((entry, i) => matchesEntry(entry, values[i], context))) continue;
    matched.push(matchRule(table, rule, context, options));
  }
  const ordered = table.hitPolicy === 'PRIORITY' || table.hitPolicy === 'OUTPUT ORDER' ? byPriority(table, matched, context, options) : matched;
  const result = (m: MatchedRule): FeelValue => (table.outputs.length === 1
    ? m.evaluatedOutputs[0].outputValue
    : Object.fromEntries(m.evaluatedOutputs.map((o) => [o.outputName, o.outputValue])));

  switch (table.hitPolicy) {
    case 'UNIQUE':
      if (matched.length > 1) throw new Error(`命中策略 UNIQUE 只允许一条规则匹配，实际匹配了第 ${matched.map((m) => m.ruleIndex).join('、')} 条规则`);
      report.matchedRules = matched;
      return matched[0] ? result(matched[0]) : null;
    case 'ANY': {
      const distinct = new Set(matched.map((m) => JSON.stringify(result(m))));
      if (distinct.size > 1) throw new Error(`命中策略 ANY 要求匹配的规则输出相同，第 ${matched.map((m) => m.ruleIndex).join('、')} 条规则的输出不同`);
      report.matchedRules = matched;
      return matched[0] ? result(matched[0]) : null;
    }
    case 'FIRST':
    case 'PRIORITY':
      report.matchedRules = ordered.slice(0, 1);
      return ordered[0] ? result(ordered[0]) : null;
    case 'RULE ORDER':
    case 'OUTPUT ORDER':
      report.matchedRules = ordered;
      return ordered.map(result);
    case 'COLLECT': {
      report.matchedRules = matched;
      if (!table.aggregation) return matched.map(result);
      return aggregate(table.aggregation, matched.map(result));
    }
  }
}

function matchRule(table: DecisionTable, rule: TableRule, context: Record<string, unknown>, options: EvaluateOptions): MatchedRule {
  return {
    ruleId: rule.id,
    ruleIndex: rule.index,
    evaluatedOutputs: table.outputs.map((o, i) => ({
      outputId: o.id, outputName: o.name, outputValue: rule.outputEntries[i] ? evaluateFeel(rule.outputEntries[i], context, options) : null,
    })),
    ...(rule.annotation ? { annotation: rule.annotation } : {}),
  };
}

/** Matched rules by the position of their outputs' values in the outputs' allowed values (first = highest). */
function byPriority(table: DecisionTable, matched: MatchedRule[], context: Record<string, unknown>, options: EvaluateOptions): MatchedRule[] {
  const orders = table.outputs.map((o) => o.priorities.map((p) => JSON.stringify(evaluateFeel(p, context, options))));
  const rank = (m: MatchedRule) => m.evaluatedOutputs.map((o, i) => {
    if (orders[i].length === 0) return 0;
    const at = orders[i].indexOf(JSON.stringify(o.outputValue));
    return at < 0 ? orders[i].length : at;
  });
  return matched
    .map((m) => ({ m, r: rank(m) }))
    .sort((a, b) => {
      for (let i = 0; i < a.r.length; i++) if (a.r[i] !== b.r[i]) return a.r[i] - b.r[i];
      return a.m.ruleIndex - b.m.ruleIndex;
    })
    .map((x) => x.m);
}

function aggregate(kind: 'SUM' | 'MIN' | 'MAX' | 'COUNT', values: FeelValue[]): FeelValue {
  const present = values.filter((v) => v !== null);
  if (kind === 'COUNT') return present.length;
  if (present.length === 0) return null;
  if (present.some((v) => typeof v !== 'number')) throw new Error(`聚合 ${kind} 只适用于数值输出`);
  const nums = present as number[];
  if (kind === 'SUM') return nums.reduce((a, b) => a + b, 0);
  return kind === 'MIN' ? Math.min(...nums) : Math.max(...nums);
}
