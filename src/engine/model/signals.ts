/**
 * Signal event definitions: a signal start, intermediate catch or boundary event names a bpmn:signal
 * whose name is what a broadcast must match. The name may be FEEL (evaluated when the catch opens;
 * a start event's with no variables, at deployment), as Zeebe allows.
 */
import { ref, str, type ModdleElement } from './parse';
import type { EventDefinition, Expr } from './types';

export function signalDefinition(
  def: ModdleElement,
  refuse: (reason: string) => void,
  expr: (value: string, what: string) => Expr | undefined,
): EventDefinition | undefined {
  const signal = ref(def, 'signalRef');
  const name = str(signal, 'name');
  if (!signal || !name) {
    refuse('a signal event needs a signal with a name');
    return undefined;
  }
  return { type: 'signal', signalName: expr(name, 'The signal name') ?? name };
}
