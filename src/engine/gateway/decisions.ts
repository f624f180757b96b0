/**
 * The gateway's DMN parts: the decision and decision requirements entries of a DeployResource answer
 * (decisions first, as Zeebe lists them) and EvaluateDecision, by decision key or by the latest version
 * of a decision id, answering every evaluated decision with its inputs and matched rules.
 */
import * as grpc from '@grpc/grpc-js';
import type { DeploymentResult, Vars } from '../port-types';
import type { EmbeddedEngine } from '../runtime/engine';
import { evaluateDeployed } from '../dmn/run';
import { Problem } from './rest-problem';
import { GatewayError, invalidArgument } from './status';

export interface EvaluateDecisionRequest { decisionKey: string; decisionId: string; variables: string; tenantId: string }

type DecisionEntry = { decision: Record<string, unknown> } | { decisionRequirements: Record<string, unknown> };

export function decisionDeployments(r: DeploymentResult, tenantId: string): DecisionEntry[] {
  const decisions = (r.decisions ?? []).map((d) => ({
    decision: {
      dmnDecisionId: d.decisionId, dmnDecisionName: d.name ?? d.decisionId, version: d.version, decisionKey: d.key,
      dmnDecisionRequirementsId: d.decisionRequirementsId, decisionRequirementsKey: d.decisionRequirementsKey, tenantId,
    },
  }));
  const requirements = (r.decisionRequirements ?? []).map((g) => ({
    decisionRequirements: {
      dmnDecisionRequirementsId: g.decisionRequirementsId, dmnDecisionRequirementsName: g.name ?? g.decisionRequirementsId, version: g.version,
      decisionRequirementsKey: g.key, resourceName: g.resourceName, tenantId,
    },
  }));
  return [...decisions, ...requirements];
}

const json = (v: unknown) => JSON.stringify(v ?? null);

export async function evaluateDecisionRpc(engine: EmbeddedEngine, req: EvaluateDecisionRequest, variables: Vars | undefined, tenantId: string) {
  const byKey = req.decisionKey && req.decisionKey !== '0';
  if (!byKey && !req.decisionId) throw invalidArgument('Expected either a decision id or a valid decision key, but none provided');
  const by = byKey ? { decisionKey: req.decisionKey } : { decisionId: req.decisionId };
  const result = await evaluateDeployed(engine.ds.manager, by, variables ?? {}, engine.clock.now());
  if (!result) {
    throw new GatewayError(grpc.status.NOT_FOUND, byKey
      ? `Expected to evaluate decision with key '${req.decisionKey}', but no such decision found`
      : `Expected to evaluate decision '${req.decisionId}', but no decision found for id '${req.decisionId}'`);
  }
  const d = result.decision;
  if (result.failureMessage) {
    throw new GatewayError(grpc.status.INVALID_ARGUMENT, `Expected to evaluate decision '${d.decisionId}', but ${result.failureMessage}`);
  }
  return {
    decisionKey: d.key, decisionId: d.decisionId, decisionName: d.name ?? d.decisionId, decisionVersion: d.version,
    decisionRequirementsId: d.decisionRequirementsId, decisionRequirementsKey: d.decisionRequirementsKey,
    decisionOutput: json(result.output),
    evaluatedDecisions: result.evaluated.map((e) => ({
      decisionKey: e.decisionKey, decisionId: e.decisionId, decisionName: e.decisionName, decisionVersion: e.decisionVersion,
      decisionType: e.decisionType, decisionOutput: json(e.output), tenantId,
      matchedRules: e.matchedRules.map((m) => ({
        ruleId: m.ruleId, ruleIndex: m.ruleIndex,
        evaluatedOutputs: m.evaluatedOutputs.map((o) => ({ outputId: o.outputId, outputName: o.outputName, outputValue: json(o.outputValue) })),
      })),
      evaluatedInputs: e.evaluatedInputs.map((i) => ({ inputId: i.inputId, inputName: i.inputName, inputValue: json(i.inputValue) })),
    })),
    failedDecisionId: '', failureMessage: '', tenantId, decisionInstanceKey: '0',
  };
}

/**
 * POST /v2/decision-definitions/evaluation of the Camunda 8.8 REST API: the same evaluation with the
 * REST names (decisionDefinitionId / decisionDefinitionKey, variables as an object, outputs as JSON text).
 */
export async function evaluateDecisionRest(engine: EmbeddedEngine, body: Record<string, unknown>, tenantId: string): Promise<Record<string, unknown>> {
  const id = typeof body.decisionDefinitionId === 'string' ? body.decisionDefinitionId : '';
  const key = typeof body.decisionDefinitionKey === 'string' || typeof body.decisionDefinitionKey === 'number' ? String(body.decisionDefinitionKey) : '';
  const variables = body.variables ?? {};
  if (!id && !key) throw new Problem(400, 'INVALID_ARGUMENT', 'Expected either a decisionDefinitionId or a decisionDefinitionKey, but neither was given.');
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) throw new Problem(400, 'INVALID_ARGUMENT', 'Expected variables to be a JSON object.');
  const result = await evaluateDeployed(engine.ds.manager, key ? { decisionKey: key } : { decisionId: id }, variables as Vars, engine.clock.now());
  if (!result) throw new Problem(404, 'NOT_FOUND', key ? `No decision with key '${key}' is deployed.` : `No decision with id '${id}' is deployed.`);
  const d = result.decision;
  if (result.failureMessage) throw new Problem(400, 'INVALID_ARGUMENT', `Expected to evaluate decision '${d.decisionId}', but ${result.failureMessage}`);
  return {
    decisionDefinitionId: d.decisionId, decisionDefinitionKey: d.key, decisionDefinitionName: d.name ?? d.decisionId, decisionDefinitionVersion: d.version,
    decisionRequirementsId: d.decisionRequirementsId, decisionRequirementsKey: d.decisionRequirementsKey, output: json(result.output),
    failedDecisionDefinitionId: '', failureMessage: '', tenantId, decisionInstanceKey: '0', decisionEvaluationKey: '0',
    evaluatedDecisions: result.evaluated.map((e) => ({
      decisionDefinitionId: e.decisionId, decisionDefinitionKey: e.decisionKey, decisionDefinitionName: e.decisionName, decisionDefinitionVersion: e.decisionVersion,
      decisionDefinitionType: e.decisionType, output: json(e.output), tenantId,
      matchedRules: e.matchedRules.map((m) => ({
        ruleId: m.ruleId, ruleIndex: m.ruleIndex,
        evaluatedOutputs: m.evaluatedOutputs.map((o) => ({ outputId: o.outputId, outputName: o.outputName, outputValue: json(o.outputValue) })),
      })),
      evaluatedInputs: e.evaluatedInputs.map((i) => ({ inputId: i.inputId, inputName: i.inputName, inputValue: json(i.inputValue) })),
    })),
  };
}
