/**
 * User task commands of the embedded engine: claim, assignment, priority, a new offer (reassignment)
 * and completion. Each locks the task's instance tree first (lockedTask), so a change to a task never
 * races the step that completes or cancels it.
 */
import type { EntityManager } from 'typeorm';
import type { TaskReassignment, UserTaskView, Vars } from '../../port-types';
import { TaskRow, taskView } from '../../read-model/task-search';
import { reject } from '../../rejection';
import { checkPriority, checkReassignment } from '../../task-changes';
import { checkVariables, notFound, num, parseKey } from '../checks';
import type { EngineContext } from '../context';
import type { Step } from '../step';
import { exec, later, select } from '../tx';

async function lockedTask(step: Step, key: string): Promise<TaskRow> {
  const id = parseKey(key, 'TASK_NOT_FOUND', 'task');
  const [first] = await select<{ root_id: number | string }>(step.em, 'SELECT root_id FROM engine_user_tasks WHERE id = ?', [id]);
  if (!first) throw notFound('TASK_NOT_FOUND', `No task ${key}.`);
  await step.lockRoot(num(first.root_id));
  const [task] = await select<TaskRow>(step.em, 'SELECT * FROM engine_user_tasks WHERE id = ?', [id]);
  return task;
}

function openTask(task: TaskRow, key: string): void {
  if (task.state === 'completed') throw reject.invalidState('TASK_ALREADY_COMPLETED', `Task ${key} is already completed.`);
  if (task.state === 'canceled') throw reject.invalidState('TASK_CANCELED', `Task ${key} was cancelled by the process.`);
}

export async function claimTask(ctx: EngineContext, key: string, username: string, em?: EntityManager): Promise<UserTaskView> {
  return ctx.step(em, async (step) => {
    const task = await lockedTask(step, key);
    openTask(task, key);
    if (task.assignee && task.assignee !== username) throw reject.invalidState('TASK_ALREADY_CLAIMED', `Task ${key} is assigned to ${task.assignee}.`);
    await later(step.em, 'UPDATE engine_user_tasks SET assignee = ? WHERE id = ?', [username, task.id]);
    return taskView({ ...task, assignee: username });
  });
}

export async function assignTask(ctx: EngineContext, key: string, assignee: string | null, em?: EntityManager): Promise<UserTaskView> {
  return ctx.step(em, async (step) => {
    const task = await lockedTask(step, key);
    openTask(task, key);
    await later(step.em, 'UPDATE engine_user_tasks SET assignee = ? WHERE id = ?', [assignee, task.id]);
    return taskView({ ...task, assignee });
  });
}

export async function setTaskPriority(ctx: EngineContext, key: string, priority: number, em?: EntityManager): Promise<UserTaskView> {
  checkPriority(priority);
  return ctx.step(em, async (step) => {
    const task = await lockedTask(step, key);
    openTask(task, key);
    await later(step.em, 'UPDATE engine_user_tasks SET priority = ? WHERE id = ?', [priority, task.id]);
    return taskView({ ...task, priority });
  });
}

/** The task's assignee and candidates replaced at once: the JSON columns the view reads and the rows the inbox joins. */
export async function reassignTask(ctx: EngineContext, key: string, to: TaskReassignment, em?: EntityManager): Promise<UserTaskView> {
  const r = checkReassignment(to);
  return ctx.step(em, async (step) => {
    const task = await lockedTask(step, key);
    openTask(task, key);
    const users = r.candidateUsers ?? (task.candidate_users ? (JSON.parse(task.candidate_users) as string[]) : []);
    const groups = JSON.stringify(r.candidateGroups);
    await later(step.em, 'UPDATE engine_user_tasks SET assignee = ?, candidate_groups = ?, candidate_users = ? WHERE id = ?',
      [r.assignee, groups, JSON.stringify(users), task.id]);
    await later(step.em, 'DELETE FROM engine_user_task_candidates WHERE task_id = ?', [task.id]);
    // The new rows carry the task's state and due date as the ones they replace did (the inbox ranges over them).
    const cands = [...new Set(r.candidateGroups)].map((g) => ['group', g]).concat([...new Set(users)].map((u) => ['user', u]));
    if (cands.length) {
      await later(step.em, `INSERT INTO engine_user_task_candidates (task_id, kind, name, state, due_date) VALUES ${cands.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        cands.flatMap(([kind, name]) => [task.id, kind, name, task.state, task.due_date]));
    }
    return taskView({ ...task, assignee: r.assignee, candidate_groups: groups, candidate_users: JSON.stringify(users) });
  });
}

/** Completes a user task; who may do so is the caller's check (see `canComplete`). */
export async function completeTask(ctx: EngineContext, key: string, variables: Vars | undefined, user: string | null, em?: EntityManager): Promise<void> {
  const vars = checkVariables(variables);
  await ctx.step(em, async (step) => {
    const task = await lockedTask(step, key);
    openTask(task, key);
    const u = await exec(step.em, "UPDATE engine_user_tasks SET state = 'completed', completed_at = ?, completed_by = ? WHERE id = ? AND state = 'created'",
      [step.now, user, task.id]);
    if (u.affected !== 1) throw reject.invalidState('TASK_ALREADY_COMPLETED', `Task ${key} is already completed.`);
    // Off the groups' open inboxes, which range over the candidate rows' state.
    await later(step.em, "UPDATE engine_user_task_candidates SET state = 'completed' WHERE task_id = ?", [task.id]);
    await step.preload([num(task.element_instance_id), num(task.process_instance_id)]);
    const ei = await step.mustEi(num(task.element_instance_id));
    const pi = await step.mustPi(ei.piId);
    await step.complete(pi, ei, await step.element(pi, ei.elementId), vars);
  });
}
