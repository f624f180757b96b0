/**
 * What changed between two versions of a decision resource (deployed or draft), for the legal staff
 * reviewing a new discretion standard before deploying it: decisions added and removed, and per
 * decision table its hit policy, columns, and rules added, removed or changed (matched by rule id),
 * with each changed rule's cells before and after.
 */
import { compileDmn } from '../engine/dmn';
import type { CompiledDecision, TableRule } from '../engine/dmn/types';

interface RuleCells { index: number; inputs: string[]; outputs: string[]; annotation: string }

export interface DecisionChange {
  decisionId: string;
  name: string;
  hitPolicy?: { from: string; to: string };
  columns?: { from: string[]; to: string[] };
  rulesAdded: Array<{ ruleId: string } & RuleCells>;
  rulesRemoved: Array<{ ruleId: string } & RuleCells>;
  rulesChanged: Array<{ ruleId: string; from: RuleCells; to: RuleCells }>;
  expression?: { from: string; to: string };
}

export interface DecisionDiff {
  decisionsAdded: string[];
  decisionsRemoved: string[];
  changed: DecisionChange[];
  /** Problems of a side that does not compile (a draft may hold errors); its decisions then count as absent. */
  problems: { from: string[]; to: string[] };
}

const cells = (r: TableRule): RuleCells => ({ index: r.index, inputs: r.inputEntries, outputs: r.outputEntries, annotation: r.annotation ?? '' });
const columns = (d: CompiledDecision) => (d.logic.kind === 'decisionTable' ? [...d.logic.inputs.map((i) => `输入：${i.label}`), ...d.logic.outputs.map((o) => `输出：${o.label || o.name}`)] : []);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function diffDecisions(fromXml: string, toXml: string): Promise<DecisionDiff> {
  const [from, to] = await Promise.all([compileDmn(fromXml), compileDmn(toXml)]);
  const a = new Map((from.drg?.decisions ?? []).map((d) => [d.id, d]));
  const b = new Map((to.drg?.decisions ?? []).map((d) => [d.id, d]));
  const changed: DecisionChange[] = [];
  for (const [id, next] of b) {
    const prev = a.get(id);
    if (!prev) continue;
    const change: DecisionChange = { decisionId: id, name: next.name ?? id, rulesAdded: [], rulesRemoved: [], rulesChanged: [] };
    if (prev.logic.kind === 'literalExpression' || next.logic.kind === 'literalExpression') {
      const text = (d: CompiledDecision) => (d.logic.kind === 'literalExpression' ? d.logic.expression : '（决策表）');
      if (text(prev) !== text(next)) change.expression = { from: text(prev), to: text(next) };
    } else {
      const [p, n] = [prev.logic, next.logic];
      const hp = (t: typeof p) => t.hitPolicy + (t.aggregation ? ` ${t.aggregation}` : '');
      if (hp(p) !== hp(n)) change.hitPolicy = { from: hp(p), to: hp(n) };
      if (!same(columns(prev), columns(next))) change.columns = { from: columns(prev), to: columns(next) };
      const before = new Map(p.rules.map((r) => [r.id, r]));
      const after = new Map(n.rules.map((r) => [r.id, r]));
      for (const r of n.rules) {
        const old = before.get(r.id);
        if (!old) change.rulesAdded.push({ ruleId: r.id, ...cells(r) });
        else if (!same({ ...cells(old), index: 0 }, { ...cells(r), index: 0 })) change.rulesChanged.push({ ruleId: r.id, from: cells(old), to: cells(r) });
      }
      for (const r of p.rules) if (!after.has(r.id)) change.rulesRemoved.push({ ruleId: r.id, ...cells(r) });
    }
    if (change.hitPolicy || change.columns || change.expression || change.rulesAdded.length || change.rulesRemoved.length || change.rulesChanged.length) changed.push(change);
  }
  return {
    decisionsAdded: [...b.keys()].filter((id) => !a.has(id)),
    decisionsRemoved: [...a.keys()].filter((id) => !b.has(id)),
    changed,
    problems: { from: from.problems.map((p) => p.message), to: to.problems.map((p) => p.message) },
  };
}
