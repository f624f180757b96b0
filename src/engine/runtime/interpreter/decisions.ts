/**
 * Business rule tasks that call a decision (zeebe:calledDecision): the latest deployed version of the
 * decision is evaluated with the variables the task sees, and the task completes at once with the
 * result in its resultVariable (output mappings apply as after a job). A decision that is not deployed
 * or fails to evaluate raises an incident, in the staff's language, on the task; resolving it after
 * deploying a fixed table evaluates again.
 */
import type { BusinessRuleTask } from '../../model/types';
import type { EI, PI } from '../storage/step-state';
import type { StepContext } from './context';
import { IncidentError } from './errors';
import { evalString } from './expressions';
import { complete } from './flow';
import { context } from './variables';

export async function callDecision(s: StepContext, pi: PI, ei: EI, el: BusinessRuleTask): Promise<void> {
  const ctx = await context(s, ei);
  const decisionId = evalString(s.now, el.decisionId, ctx, 'decision id');
  const result = await s.state.evaluateDecision(decisionId, ctx);
  if (!result) {
    throw new IncidentError('CALLED_DECISION_ERROR', `业务规则任务“${el.name ?? el.id}”调用的决策“${decisionId}”尚未部署，请先部署该决策表再解决此事件。`);
  }
  if (result.failureMessage) {
    throw new IncidentError('DECISION_EVALUATION_ERROR', `业务规则任务“${el.name ?? el.id}”的决策求值失败：${result.failureMessage}`);
  }
  await complete(s, pi, ei, el, { [el.resultVariable]: result.output });
}
