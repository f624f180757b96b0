/**
 * Evaluating a deployed decision: find the version (by key, or the latest of a decision id), load its
 * graph, evaluate, and attach each evaluated decision's key and version. Shared by the gateway's
 * EvaluateDecision, business rule tasks and the product's own callers (the penalty proposal).
 */
import type { EntityManager } from 'typeorm';
import { evaluateDecision, type DecisionEvaluation, type EvaluatedDecision } from './evaluate';
import { select } from '../runtime/tx';
import { findDecision, loadDrg, type DecisionRecord } from './store';

export interface DeployedEvaluation extends DecisionEvaluation {
  decision: DecisionRecord;
  evaluated: Array<EvaluatedDecision & { decisionKey: string; decisionVersion: number }>;
}

/** undefined when no such decision is deployed. */
export async function evaluateDeployed(
  em: EntityManager,
  by: { decisionKey: string } | { decisionId: string },
  variables: Record<string, unknown>,
  now?: Date,
): Promise<DeployedEvaluation | undefined> {
  const decision = await findDecision(em, by);
  if (!decision) return undefined;
  const drg = await loadDrg(em, decision.decisionRequirementsKey);
  const result = evaluateDecision(drg, decision.decisionId, variables, { now });
  const siblings = await select<{ key: number | string; decision_id: string; version: number | string }>(em, 'SELECT `key`, decision_id, version FROM engine_decisions WHERE drg_key = ?', [Number(decision.decisionRequirementsKey)]);
  const meta = new Map(siblings.map((s) => [s.decision_id, { decisionKey: String(s.key), decisionVersion: Number(s.version) }]));
  return {
    ...result,
    decision,
    evaluated: result.evaluated.map((e) => ({ ...e, ...(meta.get(e.decisionId) ?? { decisionKey: '0', decisionVersion: 0 }) })),
  };
}
