/**
 * The supervisor's dashboard API (督办). Supervisors and admin see their office; other roles get 403.
 * - GET  /api/supervision/overdue — open work at or past its goal with its colour (黄/橙/红), by
 *   grid (street), team (community grid) and person; statutory limits close to expiry; extensions
 *   waiting for approval; cases listed for supervision; the office's users to reassign to
 *   (reassigning is POST /api/tasks/:id/assign).
 * - GET  /api/supervision/stats?period=month|quarter|year&from=YYYY-MM-DD&to=YYYY-MM-DD — cases
 *   received and closed, and the on-time closure rate (按期结案率), per street grid and period.
 * - POST /api/supervision/cases/:id/supervise {dueAt, owner, reason?} — 挂牌督办 from the dashboard.
 * - GET  /api/supervision/levels — the service levels in force.
 * - GET  /api/supervision/task-colours?keys=1,2 — the colour of tasks the user may see, for every inbox.
 * - GET  /api/supervision/incidents — open incidents of the office: case, step, reason, since.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { allowed, authorize } from '../../auth/policy';
import { caseRefById } from '../../cases/case-refs';
import { inTransaction } from '../../db/data-source';
import { loadCalendarData } from '../../deadlines/calendar-store';
import { chinaDate, startOfChinaDay } from '../../deadlines/china-time';
import { errors } from '../../errors';
import { officeIncidents } from '../../incidents/listing';
import { superviseCase, supervisedCases } from '../../supervision/commands';
import {
  activeOfficeUsers, caseStats, casesByRootKey, officeGrids, openTasksByKey, overdueView, recordCaseEvents,
} from '../../supervision/queries';
import { COLOUR_OF_URGENCY, scheduleOf, urgencyAt } from '../../supervision/schedule';
import { levelForTask, loadServiceLevelsFile, serviceLevelsFileFor } from '../../supervision/service-levels';
import { taskSourceFor } from '../../supervision/task-source';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { calendarDate, offsetDateTime, parseInput, uuidParam } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

const localDate = calendarDate();
const overdueQuery = z.strictObject({
  gridId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
const statsQuery = z.strictObject({
  period: z.enum(['month', 'quarter', 'year']).default('month'),
  from: localDate.optional(),
  to: localDate.optional(),
});
const superviseBody = z.strictObject({
  dueAt: z.union([localDate, offsetDateTime()]),
  owner: z.string().trim().min(1).max(64),
  reason: z.string().trim().max(1000).optional(),
});
const taskKeysQuery = z.strictObject({
  keys: z.string().regex(/^\d{1,19}(,\d{1,19}){0,199}$/, 'up to 200 numeric task keys separated by commas'),
});


export function supervisionRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/supervision' });
  router.use(requireLogin);
  const levels = loadServiceLevelsFile(serviceLevelsFileFor(deps.settings.LEGAL_RULES_FILE), deps.rules.rules);
  const source = taskSourceFor(deps.settings);

  router.get('/overdue', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'office.supervise');
    const q = parseInput(overdueQuery, ctx.query, 'query');
    const now = deps.clock.now().getTime();
    const cal = await loadCalendarData(deps.ds.manager);
    const users = await activeOfficeUsers(deps.ds, principal.officeId);
    const names = new Map(users.map((u) => [u.username, u.displayName]));
    const view = await overdueView(deps.ds, { cal, levels, now, officeId: principal.officeId, source }, { gridId: q.gridId, limit: q.limit, names });
    const grids = await officeGrids(deps.ds, principal.officeId);
    ctx.body = {
      now: new Date(now).toISOString(),
      ...view,
      items: view.items.map((i) => ({ ...i, assigneeName: i.assignee ? names.get(i.assignee) ?? i.assignee : null, href: `/tasks/${i.key}` })),
      extensions: view.extensions.map((i) => ({ ...i, href: `/tasks/${i.key}` })),
      supervised: await supervisedCases(deps.ds.manager, principal.officeId),
      grids: [...grids.values()].filter((g) => g.level === 1).map((g) => ({ id: g.id, code: g.code, name: g.name })),
      users,
    };
  });

  router.get('/stats', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'office.supervise');
    const q = parseInput(statsQuery, ctx.query, 'query');
    const now = deps.clock.now();
    // Default: the twelve months up to today (China time).
    const today = chinaDate(now);
    const to = q.to ?? today;
    const from = q.from ?? `${Number(to.slice(0, 4)) - 1}-${to.slice(5, 7)}-01`;
    if (from > to) throw errors.validation('from is after to.', [{ path: 'query.from', message: 'must not be after to' }]);
    const toExclusive = startOfChinaDay(to).getTime() + 86_400_000;
    // Closures since the runner's last pass count at once.
    await recordCaseEvents(deps.ds);
    const stats = await caseStats(deps.ds, principal.officeId, startOfChinaDay(from).getTime(), toExclusive, q.period);
    ctx.body = { period: q.period, from, to, ...stats };
  });

  router.post('/cases/:id/supervise', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const c = await caseRefById(deps.ds.manager, id);
    // The same answer for a case that does not exist and one the user may not see.
    if (!c) throw errors.notFound('case');
    authorize(principal, 'case.supervise', c);
    const body = parseInput(superviseBody, ctx.request.body, 'body');
    const dueAt = /^\d{4}-\d{2}-\d{2}$/.test(body.dueAt) ? startOfChinaDay(body.dueAt).getTime() + 86_400_000 - 1 : Date.parse(body.dueAt);
    if (dueAt <= deps.clock.now().getTime()) throw errors.validation('The due date has passed.', [{ path: 'body.dueAt', message: 'must be in the future' }]);
    ctx.body = await inTransaction(deps.ds, (em) => superviseCase(em, principal.officeId, { caseId: id, dueAt, owner: body.owner, reason: body.reason ?? null, source: 'dashboard' }, actor, deps.clock.now()));
    ctx.status = 200;
  });

  router.get('/incidents', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'office.supervise');
    parseInput(z.strictObject({}), ctx.query, 'query');
    ctx.body = { items: await officeIncidents(deps.ds.manager, deps.engine, principal) };
  });

  router.get('/levels', (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'office.supervise');
    ctx.body = { items: levels };
  });

  router.get('/task-colours', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { keys } = parseInput(taskKeysQuery, ctx.query, 'query');
    // Zeebe's keys are 64-bit and compared as the decimal strings they are stored as.
    const ids = [...new Set(keys.split(','))].filter((k) => source.kind === 'zeebe' || Number.isSafeInteger(Number(k)));
    if (!ids.length) { ctx.body = { now: deps.clock.now().toISOString(), items: [] }; return; }
    const rows = await openTasksByKey(deps.ds, source, ids);
    const withClaims = levels.some((l) => l.appliesTo.claimCategories?.length);
    const cases = await casesByRootKey(deps.ds, rows.map((r) => r.rootKey), principal.officeId, withClaims);
    const cal = await loadCalendarData(deps.ds.manager);
    const now = deps.clock.now().getTime();
    ctx.body = {
      now: new Date(now).toISOString(),
      items: rows.flatMap((r) => {
        const c = cases.get(r.rootKey);
        if (!c || !allowed(principal, 'case.read', { id: '', officeId: c.officeId, gridId: c.gridId })) return [];
        const level = levelForTask(levels, { elementId: r.elementId, formId: r.formId, bpmnProcessId: r.bpmnProcessId, route: c.route, claimCategories: c.claimCategories });
        const s = scheduleOf(cal, level, r.createdAt, r.dueDate);
        const urgency = urgencyAt(s, now);
        return [{ taskKey: r.key, colour: COLOUR_OF_URGENCY[urgency], urgency, dueAt: new Date(s.dueAt).toISOString(), goalAt: new Date(s.goalAt).toISOString(), serviceLevel: level.id }];
      }),
    };
  });

  return router;
}

export const supervisionRouteDocs: RouteDoc[] = [
  route('get', '/api/supervision/overdue', {
    summary: 'Overdue and due-soon work by grid, team and person with its colour; statutory limits close to expiry; extensions waiting; supervised cases',
    auth: 'supervisor, admin', query: overdueQuery, responses: { 200: '{now, items, extensions, supervised, grids, users, …}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/supervision/stats', {
    summary: 'Cases received, closed, closed on time and the on-time closure rate, per street grid and period', auth: 'supervisor, admin', query: statsQuery,
    responses: { 200: '{period, from, to, …}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('post', '/api/supervision/cases/:id/supervise', {
    summary: 'List a case for supervision (挂牌督办) with a due date and an owner', auth: 'supervisor, admin who see the case', params: uuidParam, body: superviseBody,
    responses: { 200: 'The supervision record' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/supervision/incidents', {
    summary: 'Open incidents of the office: the case, the step by its diagram name, the reason in Chinese, since when', auth: 'supervisor, admin', query: noFields,
    responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/supervision/levels', { summary: 'The service levels in force', auth: 'supervisor, admin', responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('get', '/api/supervision/task-colours', {
    summary: "The server's colour of inbox tasks", auth: 'logged in (tasks of cases the user sees)', query: taskKeysQuery, responses: { 200: '{now, items}' },
  }),
];
