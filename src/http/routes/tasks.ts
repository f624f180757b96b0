/**
 * The inbox: user tasks of the engine. Who sees, claims, gives back, assigns and completes a task is
 * the task policy's decision (src/auth/policy/task.ts), on the task and the case of its process
 * instance. A task the user may not see answers 404, like one that does not exist. What a completion
 * may carry is the task's form (src/forms/submission.ts).
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { allowed, authorize, decide, TaskRef } from '../../auth/policy';
import { loadPrincipal, Principal } from '../../auth/principal';
import { caseRefById, caseRefOfInstance, caseRefsByProcess } from '../../cases/case-refs';
import { caseProcesses } from '../../cases/store';
import { inTransaction } from '../../db/data-source';
import { User } from '../../db/entities';
import { getForm } from '../../engine/deploy/definitions';
import type { UserTaskView } from '../../engine/port';
import { isRejection } from '../../engine/rejection';
import { errors } from '../../errors';
import { dynamicChoices } from '../../forms/dynamic-choices';
import { prefillForm } from '../../forms/prefill';
import { displayNames } from '../../org/display-names';
import { checkSubmission } from '../../forms/submission';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

const idParam = z.strictObject({ id: z.string().regex(/^\d{1,19}$/, 'a numeric task key') });
const inboxQuery = z.strictObject({
  scope: z.enum(['mine', 'group', 'all']).default('mine'),
  state: z.enum(['open', 'completed']).default('open'),
  processInstanceKey: z.string().regex(/^\d{1,19}$/).optional(),
  /** The tasks of one case: its own process instance and the ones called from it. */
  caseId: z.string().uuid().optional(),
  dueBefore: z.string().datetime({ offset: true }).optional(),
  cursor: z.string().regex(/^\d{1,19}$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const completeSchema = z.strictObject({ variables: z.record(z.string().max(200), z.unknown()).default({}) });
const assignSchema = z.strictObject({ userId: z.string().uuid() });

export function taskRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/tasks' });
  router.use(requireLogin);
  router.use(async (ctx, next) => {
    await next();
    // Task variables name the parties of a case.
    ctx.set('Cache-Control', 'no-store');
  });

  /** The task with what the policy decides on: its case comes from its process instance. */
  async function loadTask(id: string) {
    let task;
    try {
      task = await deps.engine.getTask(id);
    } catch (e) {
      if (isRejection(e, 'NOT_FOUND')) throw errors.notFound('task', id);
      throw e;
    }
    const caseRef = await caseRefOfInstance(deps.ds.manager, task.processInstanceKey, task.rootProcessInstanceKey);
    const ref: TaskRef = { ...task, case: caseRef };
    return { task, ref };
  }

  async function visibleTask(p: Principal, id: string) {
    const t = await loadTask(id);
    if (decide(p, 'task.read', t.ref) === 'hidden') throw errors.notFound('task', id);
    return t;
  }

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(inboxQuery, ctx.query, 'query');
    if (q.scope === 'all') authorize(principal, 'office.readAllTasks');
    let caseProcessKeys: string[] | undefined;
    if (q.caseId) {
      // A case the user may not see answers 404, like one that does not exist.
      const caseRef = await caseRefById(deps.ds.manager, q.caseId);
      if (!caseRef) throw errors.notFound('case');
      authorize(principal, 'case.read', caseRef);
      caseProcessKeys = (await caseProcesses(deps.ds.manager, q.caseId)).map((p) => p.processInstanceKey);
    }
    const items = await deps.engine.listTasks({
      state: q.state === 'open' ? 'created' : 'completed',
      assignee: q.scope === 'mine' ? principal.username : undefined,
      candidateGroups: q.scope === 'group' ? principal.groups : undefined,
      candidateUser: q.scope === 'group' ? principal.username : undefined,
      processInstanceKey: q.processInstanceKey,
      rootProcessInstanceKeys: caseProcessKeys,
      dueBefore: q.dueBefore ? Date.parse(q.dueBefore) : undefined,
      after: q.cursor,
      limit: q.limit,
    });
    const cases = await caseRefsByProcess(deps.ds.manager, items.flatMap((t) => [t.rootProcessInstanceKey, t.processInstanceKey]));
    const caseOf = (t: UserTaskView) => cases.get(t.rootProcessInstanceKey) ?? cases.get(t.processInstanceKey) ?? null;
    // The page is cut before the policy filters it, so the cursor still moves past hidden tasks.
    const visible = items.filter((t) => allowed(principal, 'task.read', { ...t, case: caseOf(t) }));
    ctx.body = {
      items: visible,
      nextCursor: items.length === q.limit ? items[items.length - 1].key : null,
      // Assignees by display name: the page names people, not accounts.
      people: await displayNames(deps.ds.manager, principal.officeId, visible.flatMap((t) => [t.assignee, t.completedBy])),
    };
  });

  router.get('/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    const { task, ref } = await visibleTask(principal, id);
    const form = task.formId ? await getForm(deps.ds.manager, task.formId) : undefined;
    // Choices that depend on the case (the inspectors who see it) go with the variables the form reads.
    const choices = task.state === 'created' ? await dynamicChoices(deps.ds.manager, form?.schema, ref.case) : {};
    // An open task's form starts with what the case knows; a finished one shows what was submitted.
    const prefill = await prefillForm(deps.ds.manager, task.state === 'created' ? form?.schema : null, ref.case, task.variables, deps.clock.now().getTime());
    ctx.body = {
      ...task, variables: { ...task.variables, ...choices, ...prefill }, caseId: ref.case?.id ?? null, form: form ?? null,
      mayComplete: task.state === 'created' && allowed(principal, 'task.complete', ref),
      people: await displayNames(deps.ds.manager, principal.officeId, [task.assignee, task.completedBy, ...task.candidateUsers]),
    };
  });

  router.post('/:id/claim', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    const { task, ref } = await visibleTask(principal, id);
    if (!task.assignee) authorize(principal, 'task.claim', ref);
    ctx.body = await inTransaction(deps.ds, async (em) => {
      const after = await deps.engine.claimTask(id, principal.username, em);
      await recordAudit(em, actor, deps.clock.now(), { action: 'task.claim', entityType: 'task', entityId: id, caseId: ref.case?.id ?? null, before: { assignee: task.assignee }, after: { assignee: after.assignee } });
      return after;
    });
  });

  router.post('/:id/unclaim', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    const { task, ref } = await visibleTask(principal, id);
    authorize(principal, 'task.unclaim', ref);
    ctx.body = await inTransaction(deps.ds, async (em) => {
      const after = await deps.engine.unclaimTask(id, em);
      await recordAudit(em, actor, deps.clock.now(), { action: 'task.unclaim', entityType: 'task', entityId: id, caseId: ref.case?.id ?? null, before: { assignee: task.assignee }, after: { assignee: null } });
      return after;
    });
  });

  /** Who a supervisor may give the task to: the users it is offered to who see its case. */
  router.get('/:id/assignees', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    const { ref } = await visibleTask(principal, id);
    authorize(principal, 'task.assign', ref);
    const users = await deps.ds.manager.find(User, { where: { officeId: principal.officeId, active: true }, order: { username: 'ASC' } });
    const items = [];
    for (const u of users) {
      const target = await loadPrincipal(deps.ds.manager, u.id);
      if (target && allowed(target, 'task.receive', ref)) items.push({ id: u.id, username: u.username, displayName: u.displayName });
    }
    ctx.body = { items };
  });

  router.post('/:id/assign', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    const { userId } = parseInput(assignSchema, ctx.request.body, 'body');
    const { task, ref } = await visibleTask(principal, id);
    authorize(principal, 'task.assign', ref);
    const user = await deps.ds.manager.findOne(User, { where: { id: userId, officeId: principal.officeId, active: true } });
    const target = user ? await loadPrincipal(deps.ds.manager, user.id) : null;
    if (!user || !target) throw errors.validation('Unknown user.', [{ path: 'body.userId', message: 'no active user with this id in your office' }]);
    // The new assignee must be someone the task is offered to and who sees its case, or they would
    // hold a task whose case page answers them 404.
    if (!allowed(target, 'task.receive', ref)) {
      throw errors.validation('This user cannot take the task.', [{ path: 'body.userId', message: 'the task is not offered to this user, or the case is outside their grids' }]);
    }
    ctx.body = await inTransaction(deps.ds, async (em) => {
      const after = await deps.engine.assignTask(id, user.username, em);
      await recordAudit(em, actor, deps.clock.now(), { action: 'task.assign', entityType: 'task', entityId: id, caseId: ref.case?.id ?? null, before: { assignee: task.assignee }, after: { assignee: user.username } });
      return after;
    });
  });

  router.post('/:id/complete', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    const { variables } = parseInput(completeSchema, ctx.request.body, 'body');
    const { task, ref } = await visibleTask(principal, id);
    if (task.state !== 'created') throw errors.conflict(task.state === 'completed' ? 'TASK_ALREADY_COMPLETED' : 'TASK_CANCELED', `Task ${id} is ${task.state}.`);
    if (!allowed(principal, 'task.complete', ref)) {
      throw errors.forbidden(task.assignee ? `Task ${id} is assigned to ${task.assignee}.` : 'This task is not for your groups.');
    }
    const form = task.formId ? await getForm(deps.ds.manager, task.formId) : undefined;
    const problems = checkSubmission(form?.schema ?? null, variables, await dynamicChoices(deps.ds.manager, form?.schema, ref.case), {
      formId: task.formId, taskVariables: task.variables, now: deps.clock.now().getTime(), serviceDateDaysAhead: deps.settings.SERVICE_DATE_DAYS_AHEAD,
    });
    if (problems.length) {
      throw errors.validation(`The submission does not fit the task's form (${problems.slice(0, 5).map((d) => `${d.path}: ${d.message}`).join('; ')}).`, problems);
    }
    await inTransaction(deps.ds, async (em) => {
      await deps.engine.completeTask(id, variables, principal.username, em);
      await recordAudit(em, actor, deps.clock.now(), { action: 'task.complete', entityType: 'task', entityId: id, caseId: ref.case?.id ?? null, after: { elementId: task.elementId, name: task.name, variables } });
    });
    ctx.body = { key: id, state: 'completed' };
  });

  return router;
}

const TASK_USERS = "the assignee, or a member of a candidate group, who sees the task's case";

export const taskRouteDocs: RouteDoc[] = [
  route('get', '/api/tasks', {
    summary: 'The inbox: user tasks, with keyset paging (nextCursor)', auth: 'logged in (scope=all: supervisor, legal, admin)', query: inboxQuery,
    responses: { 200: '{items, nextCursor, people: display names by username}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/tasks/:id', {
    summary: 'One task with its variables, case id and form', auth: TASK_USERS, params: idParam, responses: { 200: 'The task' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/tasks/:id/claim', {
    summary: 'Claim a task; audited', auth: TASK_USERS, params: idParam, body: noFields,
    responses: { 200: 'The task' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['TASK_ALREADY_CLAIMED'] },
  }),
  route('post', '/api/tasks/:id/unclaim', {
    summary: 'Give a task back; audited', auth: TASK_USERS, params: idParam, body: noFields,
    responses: { 200: 'The task' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/tasks/:id/assignees', {
    summary: 'The users the task may be given to: offered to them, and they see its case', auth: "supervisor, admin who see the task's case", params: idParam,
    responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/tasks/:id/assign', {
    summary: 'Give a task to one of its assignees; audited', auth: "supervisor, admin who see the task's case", params: idParam, body: assignSchema,
    responses: { 200: 'The task' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/tasks/:id/complete', {
    summary: "Complete a task with its form's fields; audited", auth: TASK_USERS, params: idParam, body: completeSchema,
    responses: { 200: '{key, state: completed}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['TASK_ALREADY_COMPLETED', 'TASK_CANCELED'] },
  }),
];
