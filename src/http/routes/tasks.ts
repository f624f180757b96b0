/**
 * The inbox: user tasks of the engine. Who sees, claims, gives back, assigns and completes a task is
 * the task policy's decision (src/auth/policy/task.ts), on the task and the case of its process
 * instance; the rules and the inbox query are src/tasks/. A task the user may not see answers 404,
 * like one that does not exist. What a completion may carry is the task's form (src/forms/submission.ts).
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { allowed } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { getForm } from '../../engine/deploy/definitions';
import { errors } from '../../errors';
import { dynamicChoices } from '../../forms/dynamic-choices';
import { prefillForm } from '../../forms/prefill';
import { displayNames } from '../../org/display-names';
import { checkSubmission } from '../../forms/submission';
import { assignTask, claimTask, possibleAssignees, unclaimTask, visibleTask } from '../../tasks/commands';
import { inbox } from '../../tasks/inbox';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';
import type { TaskDetail } from '../../contracts/api';

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

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(inboxQuery, ctx.query, 'query');
    const page = await inbox(deps, principal, { ...q, dueBefore: q.dueBefore ? Date.parse(q.dueBefore) : undefined });
    ctx.body = {
      ...page,
      // Assignees by display name: the page names people, not accounts.
      people: await displayNames(deps.ds.manager, principal.officeId, page.items.flatMap((t) => [t.assignee, t.completedBy])),
    };
  });

  router.get('/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    const { task, ref } = await visibleTask(deps, principal, id);
    const form = task.formId ? await getForm(deps.ds.manager, task.formId) : undefined;
    // Choices that depend on the case (the inspectors who see it) go with the variables the form reads.
    const choices = task.state === 'created' ? await dynamicChoices(deps.ds.manager, form?.schema, ref.case) : {};
    // An open task's form starts with what the case knows; a finished one shows what was submitted.
    const prefill = await prefillForm(deps.ds.manager, task.state === 'created' ? form?.schema : null, ref.case, task.variables, deps.clock.now().getTime());
    ctx.body = {
      ...task, variables: { ...task.variables, ...choices, ...prefill }, caseId: ref.case?.id ?? null, form: form ?? null,
      mayComplete: task.state === 'created' && allowed(principal, 'task.complete', ref),
      people: await displayNames(deps.ds.manager, principal.officeId, [task.assignee, task.completedBy, ...task.candidateUsers]),
    } satisfies TaskDetail;
  });

  router.post('/:id/claim', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    ctx.body = await claimTask(deps, principal, actor, id);
  });

  router.post('/:id/unclaim', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    ctx.body = await unclaimTask(deps, principal, actor, id);
  });

  /** Who a supervisor may give the task to: the users it is offered to who see its case. */
  router.get('/:id/assignees', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    ctx.body = { items: await possibleAssignees(deps, principal, id) };
  });

  router.post('/:id/assign', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    const { userId } = parseInput(assignSchema, ctx.request.body, 'body');
    ctx.body = await assignTask(deps, principal, actor, id, userId);
  });

  router.post('/:id/complete', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(idParam, ctx.params, 'params');
    const { variables } = parseInput(completeSchema, ctx.request.body, 'body');
    const { task, ref } = await visibleTask(deps, principal, id);
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
