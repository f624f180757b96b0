/**
 * Signal catch events of a running instance: the waiting element instance owns a signal subscription
 * (no correlation key: a broadcast reaches every subscription of its name). Broadcasting is a command
 * (runtime/commands/signals.ts); what a signal does when it arrives is events.triggerEvent, as for a message.
 */
import type { Expr } from '../../model/types';
import type { Vars } from '../../port-types';
import type { EI, PI } from '../storage/step-state';
import type { StepContext } from './context';
import { evalString } from './expressions';

export async function openSignal(s: StepContext, pi: PI, owner: EI, elementId: string, signalName: Expr, interrupting: boolean, ctx: Vars): Promise<void> {
  const name = evalString(s.now, signalName, ctx, 'signal name');
  await s.state.insertSignalSubscription(name, pi, owner, elementId, interrupting);
}
