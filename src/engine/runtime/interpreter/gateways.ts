/** Gateways: the exclusive choice, the parallel fork and join, and the event-based race. */
import type { EventBasedGateway, ExclusiveGateway, ParallelGateway } from '../../model/types';
import { condition } from '../expr';
import type { EI, PI } from '../storage/step-state';
import { StepContext, proc } from './context';
import { IncidentError } from './errors';
import { openEvent } from './events';
import { take } from './flow';
import { context } from './variables';

/** Takes the first outgoing flow whose condition holds, else the default flow; an incident when neither. */
export async function exclusiveGateway(s: StepContext, pi: PI, ei: EI, el: ExclusiveGateway): Promise<void> {
  const p = await proc(s, pi);
  let chosen: string | undefined;
  if (el.outgoing.length === 1 && !p.flows[el.outgoing[0]].condition) chosen = el.outgoing[0];
  else {
    const ctx = await context(s, ei);
    for (const fid of el.outgoing) {
      const flow = p.flows[fid];
      if (fid === el.defaultFlowId || !flow.condition) continue;
      let ok: boolean;
      try {
        ok = condition(flow.condition, ctx, s.now);
      } catch (e) {
        throw new IncidentError('CONDITION_ERROR', (e as Error).message);
      }
      if (ok) { chosen = fid; break; }
    }
    chosen ??= el.defaultFlowId;
  }
  if (!chosen) {
    throw new IncidentError('CONDITION_ERROR',
      `Expected at least one condition to evaluate to true, or to have a default flow, but no outgoing sequence flow of gateway '${el.id}' was taken.`);
  }
  s.state.endEi(ei, 'completed');
  await take(s, pi, ei, [chosen]);
}

/** A parallel gateway is entered once every incoming flow has a token (joinArrived): it forks at once. */
export async function parallelGateway(s: StepContext, pi: PI, ei: EI, el: ParallelGateway): Promise<void> {
  s.state.endEi(ei, 'completed');
  await take(s, pi, ei, el.outgoing);
}

/** Records a token arriving at a joining gateway; true when every incoming flow has one, consuming them. */
export async function joinArrived(s: StepContext, scope: EI, gatewayId: string, incoming: string[], flowId: string): Promise<boolean> {
  await s.state.addJoinToken(scope.id, gatewayId, flowId);
  const tokens = await s.state.joinTokens(scope.id, gatewayId);
  const first = new Map<string, number>();
  for (const t of tokens) if (!first.has(t.flowId)) first.set(t.flowId, t.id);
  if (!incoming.every((f) => first.has(f))) return false;
  await s.state.consumeJoinTokens([...first.values()]);
  return true;
}

/** Opens the catch events after an event-based gateway; the first to fire wins (events.triggerEvent). */
export async function eventBasedGateway(s: StepContext, pi: PI, ei: EI, el: EventBasedGateway): Promise<void> {
  const p = await proc(s, pi);
  const ctx = await context(s, ei);
  for (const fid of el.outgoing) {
    const target = p.elements[p.flows[fid].targetId];
    if (target.kind === 'intermediateCatchEvent') await openEvent(s, pi, ei, target.id, target.event, true, ctx);
  }
}
