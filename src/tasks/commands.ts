/**
 * The inbox's rules, apart from the HTTP layer: which task a user may see (a hidden one is "not
 * found", like a missing one), and claim, give back and assign, each checked by the task policy
 * (src/auth/policy/task.ts) on the task and the case of its process instance, changed through the
 * engine port and audited in the same transaction.
 */
import type { DataSource } from 'typeorm';
import { Actor, recordAudit } from '../audit/audit';
import { allowed, authorize, decide, TaskRef } from '../auth/policy';
import { loadPrincipal, Principal } from '../auth/principal';
import { caseRefOfInstance } from '../cases/case-refs';
import type { Clock } from '../clock/clock';
import { inTransaction } from '../db/data-source';
import { User } from '../db/entities';
import type { UserTaskView, Vars, WorkflowEngine } from '../engine/port';
import { isRejection } from '../engine/rejection';
import { errors } from '../errors';
import { scopesByProcess } from './instance-scopes';

export interface TaskDeps {
  ds: DataSource;
  clock: Clock;
  engine: WorkflowEngine;
}

export interface LoadedTask {
  task: UserTaskView & { variables: Vars };
  /** What the policy decides on: the task with the case of its process instance. */
  ref: TaskRef;
}

/** The task with its case; a task that does not exist is "not found". */
export async function loadTask(deps: Pick<TaskDeps, 'ds' | 'engine'>, id: string): Promise<LoadedTask> {
  let task;
  try {
    task = await deps.engine.getTask(id);
  } catch (e) {
    if (isRejection(e, 'NOT_FOUND')) throw errors.notFound('task', id);
    throw e;
  }
  const caseRef = await caseRefOfInstance(deps.ds.manager, task.processInstanceKey, task.rootProcessInstanceKey);
  const scopes = caseRef ? null : await scopesByProcess(deps.ds.manager, [task.rootProcessInstanceKey, task.processInstanceKey]);
  const scope = scopes ? scopes.get(task.rootProcessInstanceKey) ?? scopes.get(task.processInstanceKey) ?? null : null;
  return { task, ref: { ...task, case: caseRef, scope } };
}

/** The task if the user may see it; one they may not see answers like one that does not exist. */
export async function visibleTask(deps: TaskDeps, p: Principal, id: string): Promise<LoadedTask> {
  const t = await loadTask(deps, id);
  if (decide(p, 'task.read', t.ref) === 'hidden') throw errors.notFound('task', id);
  return t;
}

/** Claims the task for the user; an unassigned task only if it is offered to them. */
export async function claimTask(deps: TaskDeps, p: Principal, actor: Actor, id: string): Promise<UserTaskView> {
  const { task, ref } = await visibleTask(deps, p, id);
  if (!task.assignee) authorize(p, 'task.claim', ref);
  return inTransaction(deps.ds, async (em) => {
    const after = await deps.engine.claimTask(id, p.username, em);
    await recordAudit(em, actor, deps.clock.now(), {
      action: 'task.claim', entityType: 'task', entityId: id, caseId: ref.case?.id ?? null, before: { assignee: task.assignee }, after: { assignee: after.assignee },
    });
    return after;
  });
}

/** Gives the task back to its candidates. */
export async function unclaimTask(deps: TaskDeps, p: Principal, actor: Actor, id: string): Promise<UserTaskView> {
  const { task, ref } = await visibleTask(deps, p, id);
  authorize(p, 'task.unclaim', ref);
  return inTransaction(deps.ds, async (em) => {
    const after = await deps.engine.unclaimTask(id, em);
    await recordAudit(em, actor, deps.clock.now(), {
      action: 'task.unclaim', entityType: 'task', entityId: id, caseId: ref.case?.id ?? null, before: { assignee: task.assignee }, after: { assignee: null },
    });
    return after;
  });
}

/** Who the task may be given to: active users of the office it is offered to who see its case. */
export async function possibleAssignees(deps: TaskDeps, p: Principal, id: string): Promise<{ id: string; username: string; displayName: string }[]> {
  const { ref } = await visibleTask(deps, p, id);
  authorize(p, 'task.assign', ref);
  const users = await deps.ds.manager.find(User, { where: { officeId: p.officeId, active: true }, order: { username: 'ASC' } });
  const items = [];
  for (const u of users) {
    const target = await loadPrincipal(deps.ds.manager, u.id);
    if (target && allowed(target, 'task.receive', ref)) items.push({ id: u.id, username: u.username, displayName: u.displayName });
  }
  return items;
}

/**
 * Gives the task to a user of the office. The new assignee must be someone the task is offered to and
 * who sees its case, or they would hold a task whose case page answers them 404.
 */
export async function assignTask(deps: TaskDeps, p: Principal, actor: Actor, id: string, userId: string): Promise<UserTaskView> {
  const { task, ref } = await visibleTask(deps, p, id);
  authorize(p, 'task.assign', ref);
  const user = await deps.ds.manager.findOne(User, { where: { id: userId, officeId: p.officeId, active: true } });
  const target = user ? await loadPrincipal(deps.ds.manager, user.id) : null;
  if (!user || !target) throw errors.validation('Unknown user.', [{ path: 'body.userId', message: 'no active user with this id in your office' }]);
  if (!allowed(target, 'task.receive', ref)) {
    throw errors.validation('This user cannot take the task.', [{ path: 'body.userId', message: 'the task is not offered to this user, or the case is outside their grids' }]);
  }
  return inTransaction(deps.ds, async (em) => {
    const after = await deps.engine.assignTask(id, user.username, em);
    await recordAudit(em, actor, deps.clock.now(), {
      action: 'task.assign', entityType: 'task', entityId: id, caseId: ref.case?.id ?? null, before: { assignee: task.assignee }, after: { assignee: user.username },
    });
    return after;
  });
}
