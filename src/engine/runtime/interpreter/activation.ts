/**
 * Activation: what each kind of element does when a token enters it. Events, gateways, tasks and
 * sub-processes are dispatched here to the module of their concern.
 */
import type { CallActivity, EventDefinition, FlowElement, SubProcess } from '../../model/types';
import type { EI, PI } from '../storage/step-state';
import { StepContext, proc } from './context';
import { IncidentError, raiseIncident, throwError } from './errors';
import { evalString } from './expressions';
import { complete, completeScope, scopeChildDone } from './flow';
import { eventBasedGateway, exclusiveGateway, parallelGateway } from './gateways';
import { openBoundaries, openEvent } from './events';
import { startInstance, terminateChildren } from './scopes';
import { createJob, createUserTask } from './tasks';
import { callDecision } from './decisions';
import { applyInputs, context } from './variables';

/** Executes an element instance that was just created (or again, when its incident is resolved). */
export async function run(s: StepContext, pi: PI, ei: EI, el: FlowElement): Promise<void> {
  try {
    await applyInputs(s, ei, el);
    await activate(s, pi, ei, el);
  } catch (e) {
    if (!(e instanceof IncidentError)) throw e;
    // Boundary events opened before the failure are opened again when the incident is resolved.
    await s.state.deleteTimersOf(ei.id);
    await s.state.deleteSubscriptionsOf(ei.id);
    await raiseIncident(s, pi, ei, e.type, e.message, 'activate', null);
  }
}

async function activate(s: StepContext, pi: PI, ei: EI, el: FlowElement): Promise<void> {
  switch (el.kind) {
    case 'startEvent':
    case 'boundaryEvent':
      return complete(s, pi, ei, el, undefined);
    case 'intermediateCatchEvent':
      if (el.event.type === 'none') return complete(s, pi, ei, el, undefined);
      return openEvent(s, pi, ei, el.id, el.event, true, await context(s, ei));
    case 'endEvent':
      return endEvent(s, pi, ei, el);
    case 'serviceTask':
    case 'sendTask':
      await openBoundaries(s, pi, ei, el);
      return createJob(s, pi, ei, el);
    case 'userTask':
      await openBoundaries(s, pi, ei, el);
      return createUserTask(s, pi, ei, el);
    case 'exclusiveGateway':
      return exclusiveGateway(s, pi, ei, el);
    case 'parallelGateway':
      return parallelGateway(s, pi, ei, el);
    case 'eventBasedGateway':
      return eventBasedGateway(s, pi, ei, el);
    case 'subProcess':
      await openBoundaries(s, pi, ei, el);
      return enterSubProcess(s, pi, ei, el);
    case 'callActivity':
      await openBoundaries(s, pi, ei, el);
      return callProcess(s, pi, ei, el);
    case 'businessRuleTask':
      return callDecision(s, pi, ei, el);
  }
}

async function enterSubProcess(s: StepContext, pi: PI, ei: EI, el: SubProcess): Promise<void> {
  const p = await proc(s, pi);
  const start = await s.state.insertEi(pi.id, el.startEventId, ei.id, 'startEvent');
  await run(s, pi, start, p.elements[el.startEventId]);
}

async function callProcess(s: StepContext, pi: PI, ei: EI, el: CallActivity): Promise<void> {
  const ctx = await context(s, ei);
  const calledId = evalString(s.now, el.calledProcessId, ctx, 'called process id');
  const def = await s.state.latestDefinition(calledId);
  if (!def) throw new IncidentError('CALLED_ELEMENT_ERROR', `Expected process with BPMN process id '${calledId}' to be deployed, but not found.`);
  const p = await s.state.executable(def.definitionKey);
  const start = p.startEventIds.find((id) => (p.elements[id] as { event?: EventDefinition }).event?.type === 'none');
  if (!start) throw new IncidentError('CALLED_ELEMENT_ERROR', `Expected process '${calledId}' to have a none start event, but not found.`);
  const vars = el.propagateAllParentVariables ? ctx : Object.fromEntries(await s.state.localVars(ei.id));
  await startInstance(s, def, start, vars, { parentEi: ei });
}

async function endEvent(s: StepContext, pi: PI, ei: EI, el: FlowElement & { kind: 'endEvent' }): Promise<void> {
  const ev = el.event;
  if (ev.type === 'error') {
    const code = ev.errorCode ? evalString(s.now, ev.errorCode, await context(s, ei), 'error code') : '';
    const caught = await throwError(s, ei, code, {});
    if (!caught) {
      throw new IncidentError('UNHANDLED_ERROR_EVENT',
        `Expected to throw an error event with the code '${code}', but it was not caught. No error events are available in the scope.`);
    }
    return;
  }
  s.state.endEi(ei, 'completed');
  const scope = await s.state.mustEi(ei.scopeId!);
  if (ev.type === 'terminate') {
    await terminateChildren(s, scope);
    await completeScope(s, pi, scope);
    return;
  }
  await scopeChildDone(s, pi, scope);
}
