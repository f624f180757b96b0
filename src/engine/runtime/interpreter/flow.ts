/**
 * Token movement: an element instance completes, its outgoing sequence flows are taken into its
 * scope, and a scope with nothing left active completes in turn.
 */
import type { FlowElement } from '../../model/types';
import type { Vars } from '../../port-types';
import type { EI, PI } from '../storage/step-state';
import { StepContext, element, proc } from './context';
import { run } from './activation';
import { IncidentError, raiseIncident } from './errors';
import { closeOwned } from './events';
import { joinArrived } from './gateways';
import { completeProcess } from './scopes';
import { applyOutputs } from './variables';

/**
 * Completes an element instance with the variables its trigger brought (job, task, message, child
 * process): with output mappings they become local and the outputs go to the flow scope; without,
 * they propagate.
 */
export async function complete(s: StepContext, pi: PI, ei: EI, el: FlowElement, vars: Vars | undefined): Promise<void> {
  try {
    await applyOutputs(s, ei, el, vars);
  } catch (e) {
    if (!(e instanceof IncidentError)) throw e;
    await raiseIncident(s, pi, ei, e.type, e.message, 'complete', null);
    return;
  }
  s.state.endEi(ei, 'completed');
  await closeOwned(s, pi, ei, el);
  if (el.ioMapping || el.kind === 'subProcess' || el.kind === 'callActivity' || el.kind === 'boundaryEvent') await s.state.dropLocals(ei);
  await take(s, pi, ei, el.outgoing);
}

/** Takes sequence flows out of `from` into its scope: every target is created before any runs. */
export async function take(s: StepContext, pi: PI, from: EI, flowIds: string[]): Promise<void> {
  const scope = await s.state.mustEi(from.scopeId!);
  if (!flowIds.length) {
    await scopeChildDone(s, pi, scope);
    return;
  }
  const p = await proc(s, pi);
  const entered: Array<[EI, FlowElement]> = [];
  for (const fid of flowIds) {
    const flow = p.flows[fid];
    const el = p.elements[flow.targetId];
    if (el.kind === 'parallelGateway' && el.incoming.length > 1 && !(await joinArrived(s, scope, el.id, el.incoming, fid))) continue;
    entered.push([await s.state.insertEi(pi.id, el.id, scope.id, el.kind), el]);
  }
  for (const [ei, el] of entered) {
    // An earlier branch of this same step may have ended the scope (terminate end event, error).
    if (ei.state === 'active' && pi.state === 'active') await run(s, pi, ei, el);
  }
}

/** A path in the scope ended: the scope completes when nothing in it is active and no join waits. */
export async function scopeChildDone(s: StepContext, pi: PI, scope: EI): Promise<void> {
  if (scope.state !== 'active') return;
  if (await s.state.scopeBusy(scope.id)) return;
  await completeScope(s, pi, scope);
}

export async function completeScope(s: StepContext, pi: PI, scope: EI): Promise<void> {
  if (scope.kind === 'process') await completeProcess(s, pi);
  else await complete(s, pi, scope, await element(s, pi, scope.elementId), undefined);
}
