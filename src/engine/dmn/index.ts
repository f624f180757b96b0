/**
 * DMN for the rest of the product: evaluating the latest deployed version of a decision (deployed
 * at start from `decisions/`, or a newer version deployed by legal staff). Both engine modes keep
 * deployed decisions in the case database, so this reads the same tables either way.
 */
import type { EntityManager } from 'typeorm';
import { evaluateDeployed, type DeployedEvaluation } from './run';

export type { DeployedEvaluation } from './run';
export type { EvaluatedDecision, MatchedRule } from './evaluate';

export function evaluateLatestDecision(em: EntityManager, decisionId: string, variables: Record<string, unknown>, now?: Date): Promise<DeployedEvaluation | undefined> {
  return evaluateDeployed(em, { decisionId }, variables, now);
}
