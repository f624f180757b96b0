/**
 * Errors and incidents: a BPMN error thrown by an end event or a worker is caught by the nearest
 * matching boundary error event; a failure of the engine's own work (an expression, a missing called
 * process, an uncaught error) becomes an incident that stops the element until it is resolved.
 */
import type { BoundaryEvent } from '../../model/types';
import type { Vars } from '../../port-types';
import { exprString } from '../expr';
import type { EI, PI } from '../storage/step-state';
import { StepContext, proc } from './context';
import { closeOwned } from './events';
import { complete } from './flow';
import { terminate } from './scopes';

/** A failure that becomes an incident on the element being executed (Zeebe's incident types). */
export class IncidentError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

export async function raiseIncident(s: StepContext, pi: PI, ei: EI, type: string, message: string, phase: 'activate' | 'complete' | 'job', jobId: number | null): Promise<void> {
  await s.state.insertIncident(pi, ei, type, message, phase, jobId);
}

/**
 * Throws a BPMN error from an element instance: the nearest boundary error event that matches the
 * code, looking outwards through sub-processes and from called processes to their call activities,
 * catches it. Answers false when nothing catches it (the caller raises the incident).
 */
export async function throwError(s: StepContext, from: EI, code: string, vars: Vars): Promise<boolean> {
  const { state } = s;
  let cur: EI | null = from.kind === 'endEvent' ? await state.mustEi(from.scopeId!) : from;
  while (cur) {
    const pi = await state.mustPi(cur.piId);
    if (cur.kind === 'process') {
      cur = pi.parentEiId === null ? null : await state.mustEi(pi.parentEiId);
      continue;
    }
    const p = await proc(s, pi);
    const candidates = (p.boundaryEventsByHost[cur.elementId] ?? [])
      .map((id) => p.elements[id] as BoundaryEvent)
      .filter((b) => b.event.type === 'error');
    const codeOf = (b: BoundaryEvent) => (b.event.type === 'error' && b.event.errorCode ? exprString(b.event.errorCode, {}, 'error code') : null);
    const catcher = candidates.find((b) => codeOf(b) === code) ?? candidates.find((b) => codeOf(b) === null);
    if (catcher) {
      const host = cur;
      const scope = await state.mustEi(host.scopeId!);
      await closeOwned(s, pi, host, p.elements[host.elementId]);
      await terminate(s, host);
      const ei = await state.insertEi(pi.id, catcher.id, scope.id, 'boundaryEvent');
      // Error variables are local to the catch event; its output mappings carry them on (Zeebe).
      await state.setLocal(ei, vars);
      await complete(s, pi, ei, catcher, undefined);
      return true;
    }
    cur = cur.scopeId === null ? null : await state.mustEi(cur.scopeId);
  }
  return false;
}
