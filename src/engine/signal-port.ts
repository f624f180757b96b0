/**
 * Broadcasting a signal: what the service asks of an engine that can (the embedded engine). Kept
 * beside the port, like repair-port.ts, because only one implementation has it; a Zeebe cluster's
 * signals are broadcast with Camunda's own tools.
 */
import type { EntityManager } from 'typeorm';
import type { Vars } from './port-types';

export interface SignalBroadcaster {
  broadcastSignal(req: { signalName: string; variables?: Vars; broadcastBy: string }, em?: EntityManager): Promise<{
    signalKey: string;
    triggeredProcessInstanceKeys: string[];
    startedProcessInstanceKeys: string[];
  }>;
}

/** The engine's signal broadcast, or null when it has none. */
export function signalBroadcasterOf(engine: object): SignalBroadcaster | null {
  const e = engine as Partial<SignalBroadcaster>;
  return typeof e.broadcastSignal === 'function' ? (e as SignalBroadcaster) : null;
}
