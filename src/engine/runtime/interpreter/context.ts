/**
 * What every part of the interpreter works with during one step: the step's storage, its time, and
 * what it collects for after the commit (jobs to push, job types to announce, the earliest timer).
 */
import type { ExecutableProcess, FlowElement } from '../../model/types';
import type { JobPush } from '../job-push';
import type { PI, StepState } from '../storage/step-state';

export interface StepContext {
  readonly state: StepState;
  /** The step's time, epoch milliseconds. */
  readonly now: number;
  readonly jobs: JobPush;
  /** Types of the jobs the step made activatable: workers polling them are woken after the commit. */
  readonly jobTypes: Set<string>;
  /** Work deferred until the current element has finished activating (buffered messages); see drain. */
  readonly pending: Array<() => Promise<void>>;
  /** A timer the step scheduled: the poller wakes no later than `dueAt`. */
  noteTimer(dueAt: number): void;
}

export function proc(s: StepContext, pi: PI): Promise<ExecutableProcess> {
  return s.state.executable(pi.definitionKey);
}

export async function element(s: StepContext, pi: PI, elementId: string): Promise<FlowElement> {
  const el = (await proc(s, pi)).elements[elementId];
  if (!el) throw new Error(`element ${elementId} is not in ${pi.bpmnProcessId} v${pi.version}`);
  return el;
}
