/**
 * Events and their subscriptions: a waiting element instance owns the timers and message
 * subscriptions of its catch events (the intermediate catch event itself, an event-based gateway's
 * targets, an activity's boundary events); a timer or message that arrives triggers the event.
 */
import type { BoundaryEvent, EventDefinition, FlowElement, TimerDefinition } from '../../model/types';
import type { Vars } from '../../port-types';
import { ExprError } from '../expr';
import { schedule } from '../timers';
import type { EI, MessageRow, PI, SubRow } from '../storage/step-state';
import { StepContext, proc } from './context';
import { IncidentError } from './errors';
import { evalString } from './expressions';
import { openSignal } from './signals';
import { complete } from './flow';
import { terminate } from './scopes';
import { context } from './variables';

/** Opens the timer, message and signal boundary events of an activity that has just been entered. */
export async function openBoundaries(s: StepContext, pi: PI, ei: EI, el: FlowElement): Promise<void> {
  const p = await proc(s, pi);
  const ids = p.boundaryEventsByHost[el.id];
  if (!ids?.length) return;
  let ctx: Vars | null = null;
  for (const id of ids) {
    const b = p.elements[id] as BoundaryEvent;
    if (b.event.type !== 'timer' && b.event.type !== 'message' && b.event.type !== 'signal') continue;
    ctx ??= await context(s, ei);
    await openEvent(s, pi, ei, b.id, b.event, b.cancelActivity, ctx);
  }
}

/** Opens the timer or message subscription of a catch event, owned by the waiting element instance. */
export async function openEvent(s: StepContext, pi: PI, owner: EI, elementId: string, ev: EventDefinition, interrupting: boolean, ctx: Vars): Promise<void> {
  if (ev.type === 'timer') return openTimer(s, pi, owner, elementId, ev.timer, interrupting, ctx);
  if (ev.type === 'signal') return openSignal(s, pi, owner, elementId, ev.signalName, interrupting, ctx);
  if (ev.type !== 'message') return;
  const name = evalString(s.now, ev.messageName, ctx, 'message name');
  const key = ev.correlationKey ? evalString(s.now, ev.correlationKey, ctx, 'correlation key') : '';
  const subId = await s.state.insertSubscription(name, key, pi, owner, elementId, interrupting);
  const msg = await s.state.bufferedMessage([name], key, pi.bpmnProcessId);
  // A buffered message is correlated once the current element has finished activating.
  if (msg) s.pending.push(() => correlateBuffered(s, subId, msg));
}

async function openTimer(s: StepContext, pi: PI, owner: EI, elementId: string, def: TimerDefinition, interrupting: boolean, ctx: Vars): Promise<void> {
  let t;
  try {
    t = schedule(def, s.now, ctx);
  } catch (e) {
    if (e instanceof ExprError) throw new IncidentError('EXTRACT_VALUE_ERROR', e.message);
    throw e;
  }
  // Only non-interrupting boundary timers repeat; any other cycle fires once.
  const repeats = !interrupting && t.repetitions !== null;
  await s.state.insertTimer({
    dueAt: t.dueAt, pi, owner, elementId, interrupting, repetitions: repeats ? t.repetitions : null, interval: repeats ? t.interval : null,
  });
  s.noteTimer(t.dueAt);
}

/** Deletes the subscriptions and timers a finished element instance owned (boundary events, gateway race). */
export async function closeOwned(s: StepContext, pi: PI, ei: EI, el: FlowElement): Promise<void> {
  const p = await proc(s, pi);
  const owns = el.kind === 'eventBasedGateway' || el.kind === 'intermediateCatchEvent' || (p.boundaryEventsByHost[el.id]?.length ?? 0) > 0;
  if (!owns) return;
  await s.state.deleteTimersOf(ei.id);
  await s.state.deleteSubscriptionsOf(ei.id);
}

/**
 * A timer or message reached the catch event `eventId` waiting at `owner`: the catch event itself,
 * an event-based gateway, or the activity a boundary event is attached to. The caller has already
 * consumed the timer or subscription row.
 */
export async function triggerEvent(s: StepContext, owner: EI, eventId: string, vars: Vars | undefined, interrupting: boolean): Promise<void> {
  if (owner.state !== 'active') return;
  const pi = await s.state.mustPi(owner.piId);
  if (pi.state !== 'active') return;
  const p = await proc(s, pi);
  const ownerEl = p.elements[owner.elementId];
  const ev = p.elements[eventId];
  if (owner.elementId === eventId) {
    await complete(s, pi, owner, ev, vars);
    return;
  }
  const scope = await s.state.mustEi(owner.scopeId!);
  if (ownerEl.kind === 'eventBasedGateway') {
    await closeOwned(s, pi, owner, ownerEl);
    s.state.endEi(owner, 'completed');
    const ei = await s.state.insertEi(pi.id, ev.id, scope.id, ev.kind);
    await complete(s, pi, ei, ev, vars);
    return;
  }
  if (interrupting) {
    await closeOwned(s, pi, owner, ownerEl);
    await terminate(s, owner);
  }
  const ei = await s.state.insertEi(pi.id, ev.id, scope.id, ev.kind);
  await complete(s, pi, ei, ev, vars);
}

/** Correlates a message that was buffered before the subscription opened (at most once per process). */
export async function correlateBuffered(s: StepContext, subId: number, msg: MessageRow): Promise<void> {
  const sub = await s.state.subscription(subId);
  if (!sub) return;
  if (await s.state.isCorrelated(msg.id, sub.bpmn_process_id)) return;
  await s.state.recordCorrelation(msg.id, sub.bpmn_process_id);
  await consumeSubscription(s, sub, msg.variables ? (JSON.parse(msg.variables) as Vars) : {});
}

/** Correlates a message to an instance's subscription; false when the subscription is gone. */
export async function consumeSubscription(s: StepContext, sub: SubRow, vars: Vars): Promise<boolean> {
  const interrupting = Boolean(Number(sub.interrupting));
  // The winner of a race deletes the row; a loser deletes nothing and stops here.
  if (interrupting && !(await s.state.deleteSubscription(sub.id))) return false;
  const owner = await s.state.ei(Number(sub.element_instance_id));
  if (!owner || owner.state !== 'active') return false;
  await triggerEvent(s, owner, sub.element_id, vars, interrupting);
  return true;
}

/** Runs work deferred until the current element finished activating (buffered messages). */
export async function drain(s: StepContext): Promise<void> {
  while (s.pending.length) await s.pending.shift()!();
}
