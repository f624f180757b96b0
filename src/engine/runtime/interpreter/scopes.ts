/**
 * Scopes and their ends: a process instance starts with its root element instance (the outermost
 * scope), completes when its last path ends, and a terminated scope takes everything inside it along:
 * element instances, jobs, user tasks, called processes, timers, subscriptions and incidents.
 */
import type { CallActivity } from '../../model/types';
import type { Vars } from '../../port-types';
import type { DefinitionInfo } from '../definitions';
import type { EI, PI } from '../storage/step-state';
import { StepContext, element } from './context';
import { run } from './activation';
import { complete } from './flow';
import { releaseStartKey } from './message-start';

export interface StartOptions {
  businessKey?: string | null;
  /** The call activity's element instance that calls this process. */
  parentEi?: EI;
  /** The variables of the message that started it: the start event completes with them. */
  triggerVars?: Vars;
  /** The correlation key of the message that started it, claimed beforehand with claimStartKey. */
  startKey?: string;
}

/** Creates a process instance and runs it from `startId` until it waits. */
export async function startInstance(s: StepContext, def: DefinitionInfo, startId: string, variables: Vars, opts: StartOptions = {}): Promise<PI> {
  const { state } = s;
  const p = await state.executable(def.definitionKey);
  const root = await state.insertEi(null, p.id, null, 'process');
  const parentPi = opts.parentEi ? await state.mustPi(opts.parentEi.piId) : null;
  const pi: PI = { id: root.id, definitionKey: def.definitionKey, bpmnProcessId: def.bpmnProcessId, version: def.version, parentEiId: opts.parentEi?.id ?? null, rootId: parentPi ? parentPi.rootId : root.id, state: 'active' };
  await state.insertPi(pi, opts.businessKey ?? null);
  if (opts.startKey !== undefined) {
    // Held before the instance runs: it may end within this very step (releaseStartKey).
    await state.holdStartKey(pi.id, pi.bpmnProcessId, opts.startKey);
  }
  await state.setLocal(root, variables);
  const start = await state.insertEi(pi.id, startId, root.id, p.elements[startId].kind);
  if (opts.triggerVars) {
    await complete(s, pi, start, p.elements[startId], opts.triggerVars);
  } else {
    await run(s, pi, start, p.elements[startId]);
  }
  return pi;
}

/** The last path of a process instance ended: it completes, and a called one completes its call activity. */
export async function completeProcess(s: StepContext, pi: PI): Promise<void> {
  const { state } = s;
  const root = await state.mustEi(pi.id);
  state.endEi(root, 'completed');
  await state.endPi(pi, 'completed');
  if (pi.parentEiId === null) {
    await releaseStartKey(s, pi);
    return;
  }
  const callEi = await state.mustEi(pi.parentEiId);
  if (callEi.state !== 'active') return;
  const parentPi = await state.mustPi(callEi.piId);
  const el = (await element(s, parentPi, callEi.elementId)) as CallActivity;
  const hasOutputs = (el.ioMapping?.outputs.length ?? 0) > 0;
  const childVars = el.propagateAllChildVariables || hasOutputs ? Object.fromEntries(await state.localVars(root.id)) : undefined;
  await complete(s, parentPi, callEi, el, childVars);
}

/** Ends a process instance and everything in it (cancel, or its call activity was interrupted). */
export async function terminateProcess(s: StepContext, pi: PI, endState: 'canceled' | 'terminated'): Promise<void> {
  const root = await s.state.mustEi(pi.id);
  await terminate(s, root);
  await s.state.endPi(pi, endState);
  if (pi.parentEiId === null) await releaseStartKey(s, pi);
}

/** Terminates every active element instance in a scope and drops its waiting join tokens. */
export async function terminateChildren(s: StepContext, scope: EI): Promise<void> {
  for (const child of await s.state.activeChildren(scope.id)) await terminate(s, child);
  await s.state.dropJoinTokens(scope.id);
}

/** Ends an active element instance and everything under it: jobs, user tasks, called processes, events. */
export async function terminate(s: StepContext, ei: EI): Promise<void> {
  const { state } = s;
  if (ei.state !== 'active') return;
  ei.state = 'terminating';
  if (ei.kind === 'process' || ei.kind === 'subProcess') await terminateChildren(s, ei);
  if (ei.kind === 'serviceTask' || ei.kind === 'sendTask') {
    await state.deleteJobsOf(ei.id);
  } else if (ei.kind === 'userTask') {
    await state.cancelUserTasksOf(ei.id);
  } else if (ei.kind === 'callActivity') {
    for (const id of await state.activeCalledInstances(ei.id)) await terminateProcess(s, await state.mustPi(id), 'terminated');
  }
  if (ei.kind !== 'process') {
    await state.deleteTimersOf(ei.id);
    await state.deleteSubscriptionsOf(ei.id);
    await state.resolveIncidentsOfElement(ei.id);
    await state.dropLocals(ei);
  } else {
    await state.resolveIncidentsOfProcess(ei.id);
  }
  state.endEi(ei, 'terminated');
}
