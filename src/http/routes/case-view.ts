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
import { isRejection } from '../../engine/rejection';
import { errors } from '../../errors';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

const taskKeysQuery = z.strictObject({
  keys: z.string().regex(/^\d{1,19}(,\d{1,19}){0,199}$/, 'up to 200 numeric task keys separated by commas'),
});

type Row = Record<string, unknown>;

export function caseViewRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);

  router.get('/cases/:id/processes', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const c = await caseRefById(deps.ds.manager, id);
    if (!c || !allowed(principal, 'case.read', c)) throw errors.notFound('case', id);
    const own = ((await deps.ds.query('SELECT process_instance_key FROM case_processes WHERE case_id = ?', [id])) as Row[]).map((r) => String(r.process_instance_key));
    // Called instances are recorded once a job ran in them; the root id finds them before that too.
    const roots = own.filter((k) => /^\d{1,15}$/.test(k)).map(Number);
    const related = roots.length
      ? ((await deps.ds.query(`SELECT id FROM engine_process_instances WHERE root_id IN (${roots.map(() => '?').join(', ')}) OR id IN (${roots.map(() => '?').join(', ')}) ORDER BY id`, [...roots, ...roots])) as Row[]).map((r) => String(r.id))
      : [];
    const keys = [...new Set([...related, ...own])];
    const items = [];
    for (const key of keys) {
      // A key recorded by the case but unknown to this engine (e.g. another engine's) is left out.
      const pi = await deps.engine.getInstance(key).catch((e: unknown) => { if (isRejection(e, 'NOT_FOUND')) return null; throw e; });
      if (!pi) continue;
      const parent = pi.parentElementInstanceKey
        ? ((await deps.ds.query('SELECT process_instance_id FROM engine_element_instances WHERE id = ?', [Number(pi.parentElementInstanceKey)])) as Row[])[0]
        : undefined;
      const active = new Set(pi.elements.filter((e) => e.state === 'active').map((e) => e.elementId));
      items.push({
        processInstanceKey: pi.processInstanceKey,
        parentProcessInstanceKey: parent ? String(parent.process_instance_id) : null,
        bpmnProcessId: pi.bpmnProcessId,
        version: pi.version,
        definitionKey: pi.definitionKey,
        state: pi.state,
        startedAt: pi.startedAt,
        endedAt: pi.endedAt,
        activeElementIds: [...active],
        completedElementIds: [...new Set(pi.elements.filter((e) => e.state === 'completed' && !active.has(e.elementId)).map((e) => e.elementId))],
        incidents: pi.incidents.filter((i) => i.state === 'active').map((i) => ({ key: i.key, elementId: i.elementId, errorType: i.errorType, errorMessage: i.errorMessage, createdAt: i.createdAt })),
      });
    }
    ctx.body = { items };
  });

  router.get('/task-cases', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { keys } = parseInput(taskKeysQuery, ctx.query, 'query');
    const taskIds = [...new Set(keys.split(','))].map(Number).filter((k) => Number.isSafeInteger(k));
    if (!taskIds.length) { ctx.body = { items: [] }; return; }
    const marks = taskIds.map(() => '?').join(', ');
    // In Zeebe mode the inbox rows are the service's copy of the cluster's user tasks; their instance is
    // recorded on the case when the case's jobs ran in it.
    const tasks = (deps.settings.ENGINE === 'zeebe'
      ? await deps.ds.query(`SELECT user_task_key AS id, process_instance_key AS root_id FROM zeebe_user_tasks WHERE user_task_key IN (${marks})`, taskIds.map(String))
      : await deps.ds.query(`SELECT id, root_id FROM engine_user_tasks WHERE id IN (${marks})`, taskIds)) as Row[];
    const rootKeys = [...new Set(tasks.map((t) => String(t.root_id)))];
    if (!rootKeys.length) { ctx.body = { items: [] }; return; }
    const cases = (await deps.ds.query(
      `SELECT cp.process_instance_key, c.id, c.office_id, c.grid_id, c.case_number, c.status,
              (SELECT p.name FROM case_parties p WHERE p.case_id = c.id AND p.role = 'employer' ORDER BY p.position LIMIT 1) AS employer_name
         FROM case_processes cp JOIN cases c ON c.id = cp.case_id
        WHERE cp.process_instance_key IN (${rootKeys.map(() => '?').join(', ')})`, rootKeys)) as Row[];
    const byRoot = new Map(cases
      .filter((c) => allowed(principal, 'case.read', { id: String(c.id), officeId: String(c.office_id), gridId: c.grid_id === null ? null : String(c.grid_id) }))
      .map((c) => [String(c.process_instance_key), c]));
    ctx.body = {
      items: tasks.flatMap((t) => {
        const c = byRoot.get(String(t.root_id));
        return c ? [{ taskKey: String(t.id), caseId: String(c.id), caseNumber: String(c.case_number), employerName: c.employer_name === null ? null : String(c.employer_name), status: String(c.status) }] : [];
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
