/**
 * DMN for the rest of the product: evaluating the latest deployed version of a decision (deployed
 * at start from `decisions/`, or a newer version deployed by legal staff). Both engine modes keep
 * deployed decisions in the case database, so this reads the same tables either way.
 */
import type { EntityManager } from 'typeorm';
import { evaluateDeployed, type DeployedEvaluation } from './run';
import { findDecision, loadDrg } from './store';
import type { CompiledDrg } from './types';

export type { DeployedEvaluation } from './run';
export type { EvaluatedDecision, MatchedRule } from './evaluate';

export function evaluateLatestDecision(em: EntityManager, decisionId: string, variables: Record<string, unknown>, now?: Date): Promise<DeployedEvaluation | undefined> {
  return evaluateDeployed(em, { decisionId }, variables, now);
}

export type { CompiledDrg } from './types';
export { evaluateDecision } from './evaluate';
export { compileDmn } from './parse';

/** The compiled graph of a decision's latest version, for callers that evaluate synchronously many times. */
export async function latestDecisionGraph(em: EntityManager, decisionId: string): Promise<{ drg: CompiledDrg; version: number } | undefined> {
  const decision = await findDecision(em, { decisionId });
  if (!decision) return undefined;
  return { drg: await loadDrg(em, decision.decisionRequirementsKey), version: decision.version };
}
