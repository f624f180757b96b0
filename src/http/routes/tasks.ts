/**
 * The inbox: user tasks of the engine. A task's assignee, its candidate users and the members of its
 * candidate groups (roles and grid codes) see and complete it; supervisors, legal staff and admin see
 * every task of the office. Any other task answers 404, like one that does not exist.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { hasRole, requireRole } from '../../auth/policy';
import { Principal } from '../../auth/principal';
import { inTransaction } from '../../db/data-source';
import { User } from '../../db/entities';
import { getForm } from '../../engine/deploy/definitions';
import { canComplete, UserTaskView } from '../../engine/runtime/engine';
import { errors, isAppError } from '../../errors';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';

const idParam = z.strictObject({ id: z.string().regex(/^\d{1,19}$/, 'a numeric task key') });
const inboxQuery = z.strictObject({
  scope: z.enum(['mine', 'group', 'all']).default('mine'),
  state: z.enum(['open', 'completed']).default('open'),
  processInstanceKey: z.string().regex(/^\d{1,19}$/).optional(),
  dueBefore: z.string().datetime({ offset: true }).optional(),
  cursor: z.string().regex(/^\d{1,19}$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const completeSchema = z.strictObject({ variables: z.record(z.string().max(200), z.unknown()).default({}) });
const assignSchema = z.strictObject({ userId: z.string().uuid() });

const OFFICE_WIDE = ['supervisor', 'legal', 'admin'] as const;

function sees(p: Principal, task: UserTaskView): boolean {
  return hasRole(p, ...OFFICE_WIDE) || canComplete(task, { username: p.username, groups: p.groups });
}

function caseIdOf(variables: Record<string, unknown>): string | null {
  const id = variables.caseId;
  return typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

export function taskRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/tasks' });
  router.use(requireLogin);

  async function visibleTask(p: Principal, id: string) {
    let task;
    try {
      task = await deps.engine.getTask(id);
    } catch (e) {
      if (isAppError(e) && e.status === 404) throw errors.notFound('task', id);
      throw e;
    }
    if (!sees(p, task)) throw errors.notFound('task', id);
    return task;
  }

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(inboxQuery, ctx.query, 'query');
    if (q.scope === 'all') requireRole(principal, ...OFFICE_WIDE);
    const items = await deps.engine.listTasks({
      state: q.state === 'open' ? 'created' : 'completed',
      assignee: q.scope === 'mine' ? principal.username : undefined,
      candidateGroups: q.scope === 'group' ? principal.groups : undefined,
      candidateUser: q.scope === 'group' ? principal.username : undefined,
      processInstanceKey: q.processInstanceKey,
      dueBefore: q.dueBefore ? Date.parse(q.dueBefore) : undefined,
      after: q.cursor,
      limit: q.limit,
    });
    ctx.body = { items, nextCursor: items.length === q.limit ? items[items.length - 1].key : null };
  });

  router.get('/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    const task = await visibleTask(principal, id);
    const form = task.formId ? await getForm(deps.ds.manager, task.formId) : undefined;
    ctx.body = { ...task, form: form ?? null, mayComplete: canComplete(task, { username: principal.username, groups: principal.groups }) };
  });

  router.post('/:id/claim', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    const task = await visibleTask(principal, id);
    if (!task.assignee && !canComplete(task, { username: principal.username, groups: principal.groups })) throw errors.forbidden('This task is not for your groups.');
    ctx.body = await inTransaction(deps.ds, async (em) => {
      const after = await deps.engine.claimTask(id, principal.username, em);
      await recordAudit(em, actor, deps.clock.now(), { action: 'task.claim', entityType: 'task', entityId: id, caseId: caseIdOf(task.variables), before: { assignee: task.assignee }, after: { assignee: after.assignee } });
      return after;
    });
  });

  router.post('/:id/unclaim', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    const task = await visibleTask(principal, id);
    if (task.assignee !== principal.username && !hasRole(principal, 'supervisor', 'admin')) throw errors.forbidden('Only the assignee or a supervisor gives a task back.');
    ctx.body = await inTransaction(deps.ds, async (em) => {
      const after = await deps.engine.unclaimTask(id, em);
      await recordAudit(em, actor, deps.clock.now(), { action: 'task.unclaim', entityType: 'task', entityId: id, caseId: caseIdOf(task.variables), before: { assignee: task.assignee }, after: { assignee: null } });
      return after;
    });
  });

  router.post('/:id/assign', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    requireRole(principal, 'supervisor', 'admin');
    const { id } = parseInput(idParam, ctx.params, 'params');
    const { userId } = parseInput(assignSchema, ctx.request.body, 'body');
    const task = await visibleTask(principal, id);
    const user = await deps.ds.manager.findOne(User, { where: { id: userId, officeId: principal.officeId, active: true } });
    if (!user) throw errors.validation('Unknown user.', [{ path: 'body.userId', message: 'no active user with this id in your office' }]);
    ctx.body = await inTransaction(deps.ds, async (em) => {
      const after = await deps.engine.assignTask(id, user.username, em);
      await recordAudit(em, actor, deps.clock.now(), { action: 'task.assign', entityType: 'task', entityId: id, caseId: caseIdOf(task.variables), before: { assignee: task.assignee }, after: { assignee: user.username } });
      return after;
    });
  });

  router.post('/:id/complete', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    const { variables } = parseInput(completeSchema, ctx.request.body, 'body');
    const task = await visibleTask(principal, id);
    if (task.state !== 'created') throw errors.conflict(task.state === 'completed' ? 'TASK_ALREADY_COMPLETED' : 'TASK_CANCELED', `Task ${id} is ${task.state}.`);
    if (!canComplete(task, { username: principal.username, groups: principal.groups })) {
      throw errors.forbidden(task.assignee ? `Task ${id} is assigned to ${task.assignee}.` : 'This task is not for your groups.');
    }
    await inTransaction(deps.ds, async (em) => {
      await deps.engine.completeTask(id, variables, principal.username, em);
      await recordAudit(em, actor, deps.clock.now(), { action: 'task.complete', entityType: 'task', entityId: id, caseId: caseIdOf(task.variables), after: { elementId: task.elementId, name: task.name, variables } });
    });
    ctx.body = { key: id, state: 'completed' };
  });

  return router;
}
