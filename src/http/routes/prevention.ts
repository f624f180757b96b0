/**
 * Prevention (两网化) — patrols, three-colour warnings and the grid dashboard:
 * - GET  /api/prevention/dashboard?gridId=&period=            the office's or one grid's figures against the stage's targets
 * - GET  /api/prevention/dashboard/employers?figure=&…       the employers behind a figure (drill-down), keyset paged
 * - GET  /api/prevention/{dashboard,patrols,warnings}/export.xlsx   the grid table, the patrols, the warnings as xlsx (same filters and sight)
 * - POST /api/prevention/plans {gridId, period}               plan a grid's patrols for a month (starts a patrol per employer due)
 * - GET  /api/prevention/patrols?gridId=&period=&state=       patrols of the grids the user sees, with the task to work on
 * - GET  /api/prevention/warnings?state=&colour=&gridId=      warnings of the grids the user sees
 * - GET  /api/prevention/warnings/:id                         one warning with what was done about it
 * - POST /api/prevention/warnings/reports {employerId, summary, colour?}   a report (前置预警): an enterprise coordinator for their employer, or a grid's keeper
 * - POST /api/prevention/warnings/:id/reopen {reason}         reopen a closed warning
 * - POST /api/prevention/warnings/run-rules                   the warning rules over every employer of the office
 * - POST /api/prevention/patrols/:id/photos {fileName, contentBase64}   a photo of the patrol (JPEG or PNG), by the grid's keepers
 * - GET  /api/prevention/patrols/:id/photos                   the patrol's photos; GET /api/prevention/patrols/photos/:photoId  one photo's bytes
 * Every record answers 404 when the user may not see it, exactly like one that does not exist.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { authorize, decide } from '../../auth/policy';
import { rulesForOffice } from '../../config/legal-rules';
import { officeCode } from '../../cases/register-complaint';
import { inTransaction } from '../../db/data-source';
import { errors } from '../../errors';
import { DRILL_FIGURES, drillDown, gridDashboard } from '../../prevention/dashboard';
import { COLOURS, PERIOD_PATTERN } from '../../prevention/model';
import { createPatrolPlan, findPatrol, gridAndChildren, mustFindPatrol, periodOf } from '../../prevention/patrols';
import { addPatrolPhoto, findPatrolPhoto, listPatrolPhotos, photoBody } from '../../prevention/patrol-photos';
import { attachment, XLSX_CONTENT_TYPE, xlsxStream, type XlsxSheet } from '../../employers/xlsx-stream';
import { dashboardSheet, patrolsSheet, warningsSheet } from '../../prevention/export';
import { employerRef, gridRef, listPatrols, listWarnings, warningDetail } from '../../prevention/queries';
import { creditColours, runAllRules } from '../../prevention/warning-rules';
import { findWarning, openWarning, reopenWarning } from '../../prevention/warnings';
import type { Principal } from '../../auth/principal';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { route, type RouteDoc } from '../openapi';

const period = z.string().regex(PERIOD_PATTERN, 'a month as YYYY-MM');
const limit = z.coerce.number().int().min(1).max(200).default(50);
const dashboardQuery = z.strictObject({ gridId: z.string().uuid().optional(), period: period.optional() });
const drillQuery = z.strictObject({
  gridId: z.string().uuid().optional(), period: period.optional(), figure: z.enum(DRILL_FIGURES).default('all'), colour: z.enum(COLOURS).optional(),
  limit, cursor: z.string().max(700).optional(),
});
const planBody = z.strictObject({ gridId: z.string().uuid(), period });
const patrolQuery = z.strictObject({ gridId: z.string().uuid().optional(), employerId: z.string().uuid().optional(), period: period.optional(), state: z.enum(['planned', 'done']).optional(), limit, cursor: z.string().uuid().optional() });
const warningQuery = z.strictObject({
  gridId: z.string().uuid().optional(), employerId: z.string().uuid().optional(), state: z.enum(['open', 'closed']).optional(), colour: z.enum(COLOURS).optional(), limit, cursor: z.string().uuid().optional(),
});
const patrolExportQuery = patrolQuery.omit({ limit: true, cursor: true });
const warningExportQuery = warningQuery.omit({ limit: true, cursor: true });
const reportBody = z.strictObject({ employerId: z.string().uuid(), summary: z.string().trim().min(1).max(2000), colour: z.enum(COLOURS).optional() });
const reopenBody = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
const noBody = z.strictObject({});
const photoParam = z.strictObject({ photoId: z.string().uuid() });


export function preventionRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/prevention' });
  router.use(requireLogin);

  const gridOf = (officeId: string, id: string) => gridRef(deps.ds, officeId, id);
  const rulesOf = async (officeId: string) => rulesForOffice(deps.rules, await officeCode(deps.ds.manager, officeId));
  const decodeCursor = (c: string | undefined) => {
    if (!c) return undefined;
    try {
      const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as { name?: unknown; id?: unknown };
      if (typeof v.name === 'string' && typeof v.id === 'string') return { name: v.name, id: v.id };
    } catch { /* answered below */ }
    throw errors.validation('The cursor is not one this list gave.', [{ path: 'query.cursor', message: 'not a cursor of this list' }]);
  };

  const sendXlsx = (ctx: { set(k: string, v: string): void; body: unknown }, fileName: string, sheet: XlsxSheet) => {
    ctx.set('Content-Type', XLSX_CONTENT_TYPE);
    ctx.set('Content-Disposition', attachment(fileName));
    ctx.body = xlsxStream(sheet, (e) => deps.logger.warn({ err: e }, 'xlsx export failed while streaming'));
  };

  const dashboardOf = async (principal: Principal, query: unknown) => {
    const q = parseInput(dashboardQuery, query, 'query');
    const grid = q.gridId ? await gridOf(principal.officeId, q.gridId) : null;
    authorize(principal, 'gridDashboard.read', grid);
    const now = deps.clock.now().getTime();
    return gridDashboard(deps.ds, {
      officeId: principal.officeId, gridIds: grid ? await gridAndChildren(deps.ds.manager, grid.id) : undefined, period: q.period ?? periodOf(now), now,
      rules: await rulesOf(principal.officeId), stage: deps.settings.GRID_TARGET_STAGE,
    });
  };

  router.get('/dashboard', async (ctx) => {
    ctx.body = await dashboardOf(principalOf(ctx).principal, ctx.query);
  });

  router.get('/dashboard/export.xlsx', async (ctx) => {
    const d = await dashboardOf(principalOf(ctx).principal, ctx.query);
    sendXlsx(ctx, '网格监管情况.xlsx', dashboardSheet(d));
  });

  router.get('/dashboard/employers', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(drillQuery, ctx.query, 'query');
    const grid = q.gridId ? await gridOf(principal.officeId, q.gridId) : null;
    authorize(principal, 'gridDashboard.read', grid);
    const now = deps.clock.now().getTime();
    const page = await drillDown(deps.ds, {
      officeId: principal.officeId, gridIds: grid ? await gridAndChildren(deps.ds.manager, grid.id) : undefined, figure: q.figure, colour: q.colour,
      period: q.period ?? periodOf(now), now, rules: await rulesOf(principal.officeId), limit: q.limit, after: decodeCursor(q.cursor),
    });
    ctx.body = {
      items: page.items.map((r) => ({
        id: String(r.id), name: String(r.name), address: r.address === null ? null : String(r.address), gridName: r.grid_name === null ? null : String(r.grid_name),
        supervised: r.grid_id !== null && r.responsible_staff_id !== null, fileComplete: Number(r.file_complete) === 1,
        fileCollectedAt: r.file_collected_at === null ? null : Number(r.file_collected_at), openWarningColour: r.open_colour === null ? null : String(r.open_colour),
      })),
      nextCursor: page.next ? Buffer.from(JSON.stringify(page.next)).toString('base64url') : null,
    };
  });

  router.post('/plans', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const body = parseInput(planBody, ctx.request.body, 'body');
    const grid = await gridOf(principal.officeId, body.gridId);
    authorize(principal, 'patrols.plan', grid);
    const rules = await rulesOf(principal.officeId);
    ctx.body = await inTransaction(deps.ds, (em) => createPatrolPlan(em, deps.engine, rules, { officeId: principal.officeId, gridId: grid.id, period: body.period }, actor, deps.clock.now()));
    ctx.status = 201;
  });

  router.get('/patrols', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'patrols.list');
    const q = parseInput(patrolQuery, ctx.query, 'query');
    ctx.body = await listPatrols(deps.ds, deps.engine, principal, q);
  });

  router.get('/patrols/export.xlsx', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'patrols.list');
    const q = parseInput(patrolExportQuery, ctx.query, 'query');
    sendXlsx(ctx, '日常巡查.xlsx', patrolsSheet(deps.ds, principal, q));
  });

  /** The patrol if the user sees it; another grid's patrol answers 404 like one that does not exist. */
  const visiblePatrol = async (principal: Principal, id: string) => {
    const patrol = await mustFindPatrol(deps.ds.manager, id);
    authorize(principal, 'patrol.read', patrol);
    return patrol;
  };

  router.post('/patrols/:id/photos', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const patrol = await visiblePatrol(principal, id);
    // Whoever keeps the patrol's grid records its patrol, and so its photos.
    authorize(principal, 'patrols.plan', { officeId: patrol.officeId, id: patrol.gridId });
    const body = parseInput(photoBody, ctx.request.body, 'body');
    ctx.body = await inTransaction(deps.ds, (em) => addPatrolPhoto(em, patrol, body, actor, deps.clock.now()));
    ctx.status = 201;
  });

  router.get('/patrols/:id/photos', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    await visiblePatrol(principal, id);
    ctx.body = { items: await listPatrolPhotos(deps.ds.manager, id) };
  });

  router.get('/patrols/photos/:photoId', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { photoId } = parseInput(photoParam, ctx.params, 'params');
    const photo = await findPatrolPhoto(deps.ds.manager, photoId);
    const patrol = photo ? await findPatrol(deps.ds.manager, photo.patrolId) : null;
    // Another grid's photo answers exactly as one that does not exist, message included.
    if (!photo || !patrol || decide(principal, 'patrol.read', patrol) !== 'allow') throw errors.notFound('photo');
    ctx.type = photo.contentType;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
    ctx.body = photo.content;
  });

  router.get('/warnings/export.xlsx', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'warnings.list');
    const q = parseInput(warningExportQuery, ctx.query, 'query');
    sendXlsx(ctx, '三色预警.xlsx', warningsSheet(deps.ds, principal, q));
  });

  router.get('/warnings', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'warnings.list');
    const q = parseInput(warningQuery, ctx.query, 'query');
    ctx.body = await listWarnings(deps.ds, deps.engine, principal, q);
  });

  router.post('/warnings/reports', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const body = parseInput(reportBody, ctx.request.body, 'body');
    const ref = await employerRef(deps.ds, principal.officeId, body.employerId);
    authorize(principal, 'warnings.report', ref);
    if (ref.gridId === null) throw errors.conflict('EMPLOYER_NOT_PLACED', 'The employer is not in a grid yet: place it before reporting.');
    // An enterprise coordinator's report starts at yellow, with the community grid; the grid decides more.
    const colour = principal.roles.includes('enterprise_coordinator') ? 'yellow' : body.colour ?? 'yellow';
    const opened = await inTransaction(deps.ds, (em) => openWarning(em, deps.engine, {
      employerId: ref.employerId, colour, source: 'report', reasons: [`前置预警（${principal.displayName}报告）：${body.summary}`], reportedBy: principal.username,
    }, actor, deps.clock.now()));
    ctx.status = opened.effect === 'opened' ? 201 : 200;
    ctx.body = { id: opened.warning.id, colour: opened.effect === 'raised' ? colour : opened.warning.colour, effect: opened.effect };
  });

  router.post('/warnings/run-rules', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'warnings.runRules');
    parseInput(noBody, ctx.request.body ?? {}, 'body');
    ctx.body = await runAllRules(deps.ds, { engine: deps.engine, rules: await rulesOf(principal.officeId), colours: creditColours(deps.settings), actor, now: deps.clock.now() }, principal.officeId);
  });

  router.get('/warnings/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const w = await findWarning(deps.ds.manager, id);
    if (!w) throw errors.notFound('warning');
    authorize(principal, 'warning.read', w);
    ctx.body = await warningDetail(deps.ds, deps.engine, principal, id);
  });

  router.post('/warnings/:id/reopen', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const body = parseInput(reopenBody, ctx.request.body, 'body');
    const w = await findWarning(deps.ds.manager, id);
    if (!w) throw errors.notFound('warning');
    authorize(principal, 'warning.reopen', w);
    const reopened = await inTransaction(deps.ds, (em) => reopenWarning(em, deps.engine, id, `重新开启：${body.reason}`, actor, deps.clock.now()));
    ctx.body = { id: reopened.id, state: reopened.state, colour: reopened.colour };
  });

  return router;
}

const KEEPERS = 'handler, grid_officer of the grid; supervisor, admin';

export const preventionRouteDocs: RouteDoc[] = [
  route('get', '/api/prevention/dashboard', {
    summary: "The grid dashboard: employers on file, under grid supervision, information collected, patrols done against plan, warnings open by colour and handled on time, inspectors and 协管员 staffed against the norms and 协管员 trained, against the stage's targets",
    auth: 'the office: intake, legal, supervisor, admin; one grid: whoever sees it', query: dashboardQuery, responses: { 200: '{period, targets, total, grids}' },
    errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/prevention/dashboard/export.xlsx', {
    summary: "The dashboard's table of grids (same query) as an xlsx file: each grid's figures with their shares, the total, and the stage's targets with their source",
    auth: 'as the dashboard', query: dashboardQuery, responses: { 200: 'xlsx file' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/prevention/dashboard/employers', {
    summary: 'The employers behind a dashboard figure, by name, keyset paged', auth: 'as the dashboard', query: drillQuery,
    responses: { 200: '{items, nextCursor}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/prevention/plans', {
    summary: "Plan a grid's patrols for a month: every employer due for a visit by its interval gets a patrol task", auth: KEEPERS, body: planBody,
    responses: { 201: '{planId, gridId, period, planned}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['PLAN_EXISTS'] },
  }),
  route('get', '/api/prevention/patrols', {
    summary: 'Patrols of the grids the user sees, with the open task to work on', auth: 'intake, legal, handler, grid_officer, supervisor, admin', query: patrolQuery,
    responses: { 200: '{items, nextCursor}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/prevention/patrols/export.xlsx', {
    summary: 'The patrols (same filters, the grids the user sees) as an xlsx file; cells that begin with = + - @ are written as text with a leading apostrophe',
    auth: 'as the patrol list', query: patrolExportQuery, responses: { 200: 'xlsx file' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('post', '/api/prevention/patrols/:id/photos', {
    summary: 'A photo of the patrol: JPEG or PNG by its first bytes, at most 5 MiB, at most 20 per patrol; audited by name and size', auth: KEEPERS,
    params: uuidParam, body: photoBody, responses: { 201: '{id, patrolId, fileName, contentType, bytes, sha256, uploadedBy, uploadedAt}' },
    errors: { 400: ['VALIDATION_FAILED', 'PHOTO_TYPE_REFUSED', 'PHOTO_TOO_LARGE'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['PHOTO_LIMIT_REACHED'] },
  }),
  route('get', '/api/prevention/patrols/:id/photos', {
    summary: "The patrol's photos (without their bytes)", auth: 'whoever sees its grid', params: uuidParam,
    responses: { 200: '{items}' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/prevention/patrols/photos/:photoId', {
    summary: 'One patrol photo: its bytes with its content type, never cached', auth: 'whoever sees its patrol\'s grid', params: photoParam,
    responses: { 200: 'image/jpeg or image/png' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/prevention/warnings/export.xlsx', {
    summary: 'The warnings (same filters, the grids the user sees) as an xlsx file; cells that begin with = + - @ are written as text with a leading apostrophe',
    auth: 'as the warning list', query: warningExportQuery, responses: { 200: 'xlsx file' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/prevention/warnings', {
    summary: 'Three-colour warnings of the grids the user sees', auth: 'intake, legal, handler, grid_officer, supervisor, admin', query: warningQuery,
    responses: { 200: '{items, nextCursor}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('get', '/api/prevention/warnings/:id', {
    summary: 'One warning with its history', auth: 'whoever sees its grid', params: uuidParam, responses: { 200: 'The warning' }, errors: { 404: ['NOT_FOUND'] },
  }),
  route('post', '/api/prevention/warnings/reports', {
    summary: "A report (前置预警) opening a warning, or raising the employer's open one", auth: "an enterprise coordinator for their own employer; the employer's grid keepers",
    body: reportBody, responses: { 201: '{id, colour, effect: opened}', 200: '{id, colour, effect: raised|unchanged}' },
    errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['EMPLOYER_NOT_PLACED'] },
  }),
  route('post', '/api/prevention/warnings/run-rules', {
    summary: 'Run the warning rules over every employer of the office', auth: 'supervisor, admin', body: noBody,
    responses: { 200: '{employersEvaluated, employersWithFindings, opened, raised, seconds}' }, errors: { 403: ['FORBIDDEN'] },
  }),
  route('post', '/api/prevention/warnings/:id/reopen', {
    summary: 'Reopen a closed warning: its lifecycle starts again', auth: KEEPERS, params: uuidParam, body: reopenBody,
    responses: { 200: '{id, state, colour}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['WARNING_OPEN'] },
  }),
];
