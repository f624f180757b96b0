/**
 * Read routes the case page and the inbox need beyond the case record, for whoever may see the case:
 * - GET /api/cases/:id/processes — each process instance of the case (its own and the ones called from
 *   it) with the diagram version, active and completed element ids and incidents, so a handler sees
 *   where the case stands without the staff-only /api/process-instances;
 * - GET /api/task-cases?keys=1,2 — the case number, employer and status behind inbox tasks.
 * Cases outside the user's grids answer 404 / are left out, as everywhere else.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { allowed } from '../../auth/policy';
import { caseRefById } from '../../cases/case-refs';
import { caseProcesses } from '../../cases/store';
import { casesOfInstances } from '../../cases/task-cases';
import { isRejection } from '../../engine/rejection';
import { errors } from '../../errors';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';
import type { ProcessView, TaskCase } from '../../contracts/api';

const taskKeysQuery = z.strictObject({
  keys: z.string().regex(/^\d{1,19}(,\d{1,19}){0,199}$/, 'up to 200 numeric task keys separated by commas'),
});

/** A case runs a handful of instances; this many are listed at most. */
const MAX_CASE_INSTANCES = 200;

/** Keys in the order the engines give them: decimal strings, shorter first. */
const byKey = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

export function caseViewRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);

  router.get('/cases/:id/processes', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const c = await caseRefById(deps.ds.manager, id);
    if (!c || !allowed(principal, 'case.read', c)) throw errors.notFound('case', id);
    const own = (await caseProcesses(deps.ds.manager, id)).map((p) => p.processInstanceKey);
    // Called instances are recorded once a job ran in them; the engine's call tree finds them before that too.
    const found = own.length ? await deps.engine.searchInstances({ rootProcessInstanceKeys: own, limit: MAX_CASE_INSTANCES }) : [];
    const parents = new Map(found.map((i) => [i.processInstanceKey, i.parentProcessInstanceKey]));
    const keys = [...new Set([...found.map((i) => i.processInstanceKey).sort(byKey), ...own])];
    const items = [];
    for (const key of keys) {
      // A key recorded by the case but unknown to this engine (e.g. another engine's) is left out.
      const pi = await deps.engine.getInstance(key).catch((e: unknown) => { if (isRejection(e, 'NOT_FOUND')) return null; throw e; });
      if (!pi) continue;
      const active = new Set(pi.elements.filter((e) => e.state === 'active').map((e) => e.elementId));
      items.push({
        processInstanceKey: pi.processInstanceKey,
        parentProcessInstanceKey: parents.get(key) ?? null,
        bpmnProcessId: pi.bpmnProcessId,
        version: pi.version,
        definitionKey: pi.definitionKey,
        state: pi.state,
        startedAt: pi.startedAt,
        endedAt: pi.endedAt,
        activeElementIds: [...active],
        completedElementIds: [...new Set(pi.elements.filter((e) => e.state === 'completed' && !active.has(e.elementId)).map((e) => e.elementId))],
        incidents: pi.incidents.filter((i) => i.state === 'active').map((i) => ({ key: i.key, elementId: i.elementId, errorType: i.errorType, errorMessage: i.errorMessage, createdAt: i.createdAt })),
      } satisfies ProcessView);
    }
    ctx.body = { items };
  });

  router.get('/task-cases', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { keys } = parseInput(taskKeysQuery, ctx.query, 'query');
    const taskKeys = [...new Set(keys.split(','))];
    // Whatever their state: the inbox lists completed tasks too. In Zeebe mode a task's root is its own
    // instance, which the case records once its jobs ran in it.
    const tasks = await deps.engine.searchTasks({ keys: taskKeys, state: 'any', limit: taskKeys.length });
    const cases = await casesOfInstances(deps.ds.manager, tasks.map((t) => t.rootProcessInstanceKey));
    ctx.body = {
      items: tasks.flatMap((t) => {
        const c = cases.get(t.rootProcessInstanceKey);
        return c && allowed(principal, 'case.read', c.ref)
          ? [{ taskKey: t.key, caseId: c.ref.id, caseNumber: c.caseNumber, employerName: c.employerName, status: c.status } satisfies TaskCase] : [];
      }),
    };
  });

  return router;
}

export const caseViewRouteDocs: RouteDoc[] = [
  route('get', '/api/cases/:id/processes', {
    summary: "The case's process instances with their diagram version, active and completed elements and open incidents", auth: 'whoever sees the case',
    params: uuidParam, responses: { 200: '{items}' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/task-cases', {
    summary: 'The case number, employer and status behind inbox tasks', auth: 'logged in (tasks of cases the user sees)', tag: 'tasks', query: taskKeysQuery, responses: { 200: '{items}' },
  }),
];
