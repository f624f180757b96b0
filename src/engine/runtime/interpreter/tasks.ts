/**
 * Wait states for people and workers: a service or send task creates a job (pushed straight to an
 * in-process worker when one has a free slot, see job-push.ts), a user task creates a task for the
 * inbox with its assignee, candidates, dates and priority.
 */
import type { JobTask, UserTask } from '../../model/types';
import { ActivatedJob, noteJobContext } from '../job-push';
import type { EI, NewJob, PI } from '../storage/step-state';
import type { StepContext } from './context';
import { IncidentError } from './errors';
import { evalExpr, evalString, optDate, optList, optString } from './expressions';
import { context } from './variables';

/** Zeebe's default number of retries of a job. */
const DEFAULT_RETRIES = '3';
/** Zeebe's default priority of a user task (0–100). */
const DEFAULT_PRIORITY = 50;

export async function createJob(s: StepContext, pi: PI, ei: EI, el: JobTask): Promise<void> {
  const ctx = await context(s, ei);
  const type = evalString(s.now, el.jobType, ctx, 'job type');
  const retries = Number(evalExpr(s.now, el.retries || DEFAULT_RETRIES, ctx));
  if (!Number.isInteger(retries)) throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected retries '${el.retries}' to be a whole number.`);
  const headers = Object.keys(el.headers ?? {}).length ? JSON.stringify(el.headers) : null;
  const row: NewJob = { type, pi, ei, elementId: el.id, retries, headers };
  const stream = s.jobs.reserve(type);
  if (stream) {
    const deadline = s.now + stream.timeoutMs;
    const variables = stream.fetchVariables ? Object.fromEntries(stream.fetchVariables.filter((k) => k in ctx).map((k) => [k, ctx[k]])) : ctx;
    const job: ActivatedJob = {
      key: '', type, processInstanceKey: String(pi.id), bpmnProcessId: pi.bpmnProcessId, processDefinitionVersion: pi.version,
      processDefinitionKey: pi.definitionKey, elementId: el.id, elementInstanceKey: String(ei.id), customHeaders: { ...(el.headers ?? {}) },
      worker: stream.worker, retries, deadline, variables,
    };
    // The job's key is known once the insert has gone out, which is before the step commits and the
    // job is pushed.
    await s.state.insertActivatedJob(row, deadline, stream.worker, (key) => { job.key = String(key); });
    await noteJobContext(job, ei, pi, (id) => s.state.mustEi(id));
    s.jobs.add(stream, job);
    return;
  }
  await s.state.insertJob(row);
  s.jobTypes.add(type);
}

export async function createUserTask(s: StepContext, pi: PI, ei: EI, el: UserTask): Promise<void> {
  const ctx = await context(s, ei);
  const assignee = optString(s.now, el.assignee, ctx, 'assignee');
  const groups = optList(s.now, el.candidateGroups, ctx, 'candidate groups');
  const users = optList(s.now, el.candidateUsers, ctx, 'candidate users');
  const dueDate = optDate(s.now, el.dueDate, ctx, 'due date');
  const followUpDate = optDate(s.now, el.followUpDate, ctx, 'follow-up date');
  const priority = el.priority ? Number(evalExpr(s.now, el.priority, ctx)) : DEFAULT_PRIORITY;
  if (!Number.isInteger(priority) || priority < 0 || priority > 100) {
    throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected priority '${el.priority}' to be a whole number from 0 to 100.`);
  }
  await s.state.insertUserTask({
    pi, ei, elementId: el.id, name: el.name ?? null, formId: el.formId ?? null, assignee, groups, users, dueDate, followUpDate, priority,
  });
}
