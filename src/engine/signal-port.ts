/**
 * Broadcasting a signal: what the service asks of an engine that can (the embedded engine). Kept
 * beside the port, like repair-port.ts, because only one implementation has it; a Zeebe cluster's
 * signals are broadcast with Camunda's own tools.
 */
import type { EntityManager } from 'typeorm';
import type { Vars } from './port-types';

/**
 * How the service limits a broadcast to the instances of one office: the engine knows the waiting
 * catches, the service knows whose instance is whose. Both callbacks run in the broadcast's step.
 * Without one a broadcast reaches every instance, as Zeebe's BroadcastSignal does (the gateway's).
 */
export interface SignalReach {
  /** Of these root process instance keys, the ones the broadcast may move. */
  roots(rootProcessInstanceKeys: string[], em: EntityManager): Promise<Set<string>>;
  /** Records where an instance a signal start event just started belongs; runs in the same step. */
  started(processInstanceKey: string, bpmnProcessId: string, em: EntityManager): Promise<void>;
}

/** One step of a deployed diagram that catches a signal. */
export interface SignalCatch {
  bpmnProcessId: string;
  processName: string | null;
  elementId: string;
  elementName: string | null;
  /** A start event of the process (starts a new instance), a boundary event on a step, or a catch the flow waits at. */
  kind: 'start' | 'boundary' | 'catch';
  /** For a boundary event: the name of the step it is attached to. */
  attachedToName: string | null;
}

/** A signal name the latest versions of the deployed diagrams declare, with the steps that catch it. */
export interface DeclaredSignal {
  name: string;
  catches: SignalCatch[];
}

/** A catch waiting for a signal now. */
export interface SignalWaiter {
  rootProcessInstanceKey: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
}

export interface SignalBroadcaster {
  broadcastSignal(req: { signalName: string; variables?: Vars; broadcastBy: string; reach?: SignalReach }, em?: EntityManager): Promise<{
    signalKey: string;
    triggeredProcessInstanceKeys: string[];
    startedProcessInstanceKeys: string[];
  }>;
  declaredSignals(em?: EntityManager): Promise<DeclaredSignal[]>;
  signalWaiters(signalName: string, em?: EntityManager): Promise<SignalWaiter[]>;
}

/** The engine's signal broadcast, or null when it has none. */
export function signalBroadcasterOf(engine: object): SignalBroadcaster | null {
  const e = engine as Partial<SignalBroadcaster>;
  return typeof e.broadcastSignal === 'function' && typeof e.declaredSignals === 'function' ? (e as SignalBroadcaster) : null;
}
