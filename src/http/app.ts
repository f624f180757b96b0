/**
 * The Koa application: JSON API under /api and the web UI. The middleware order matters:
 * request id and log first, then (with METRICS) the request timer, which sees the final status, then
 * the error renderer (so every refusal gets the one JSON shape),
 * security headers, the cross-site and media type checks, the body parser with its size limit, the
 * shape check of the parsed input, the session, then the routes.
 */
import { PATROL_PHOTO_BODY_KB } from '../prevention/patrol-photos';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import helmet from 'koa-helmet';
import { WEB_DIST_DIR } from '../paths';
import { isTestClock } from '../clock/clock';
import type { AppDeps, AppState } from './context';
import { sessionLoader } from './middleware/auth';
import { errorHandler } from './middleware/errors';
import { inputGuard } from './middleware/input-guard';
import { refuseCrossSiteWrites, requestContext, requireJsonForWrites } from './middleware/request';
import { adminRouteDocs, adminRoutes } from './routes/admin';
import { caseRouteDocs, caseRoutes } from './routes/cases';
import { caseViewRouteDocs, caseViewRoutes } from './routes/case-view';
import { employerRouteDocs, employerRoutes } from './routes/employers';
import { creditRouteDocs, creditRoutes } from './routes/credit';
import { randomDrawRouteDocs, randomDrawRoutes } from './routes/random-draws';
import { publicationRouteDocs, publicationRoutes } from './routes/publications';
import { creditGradingRouteDocs, creditGradingRoutes } from './routes/credit-grading';
import { writtenReviewRouteDocs, writtenReviewRoutes } from './routes/written-review';
import { employerImportRouteDocs, employerImportRoutes } from './routes/employer-import';
import { addressRuleRoutes, gridStaffRouteDocs, gridStaffRoutes } from './routes/grid-staff';
import { documentRouteDocs, documentRoutes } from './routes/documents';
import { editingRouteDocs, editingRoutes } from './routes/editing';
import { decisionRouteDocs, decisionRoutes } from './routes/decisions';
import { instanceRepairRouteDocs, instanceRepairRoutes } from './routes/instance-repair';
import { signalRouteDocs, signalRoutes } from './routes/signals';
import { healthRouteDocs, healthRoutes } from './routes/health';
import { mailRouteDocs, mailRoutes } from './routes/mail';
import { messageRouteDocs, messageRoutes } from './routes/messages';
import { peopleRouteDocs, peopleRoutes } from './routes/people';
import { processInstanceRouteDocs, processInstanceRoutes } from './routes/process-instances';
import { taskRouteDocs, taskRoutes } from './routes/tasks';
import { workflowRouteDocs, workflowRoutes, XML_TYPES } from './routes/workflows';
import { sessionRouteDocs, sessionRoutes } from './routes/session';
import { testClockRouteDocs, testClockRoutes } from './routes/test-clock';
import { staticFiles } from './static';
import { supervisionRouteDocs, supervisionRoutes } from './routes/supervision';
import { contactRouteDocs, contactRoutes } from './routes/contacts';
import { calendarRouteDocs, calendarRoutes } from './routes/calendar';
import { preventionRouteDocs, preventionRoutes } from './routes/prevention';
import { httpMetrics, metricsRouteDocs } from './metrics';
import { openApiRouteDocs, openApiRoutes, type RouteDoc } from './openapi';

export interface AppExtras {
  /** More routers (engine, cases, documents…), mounted after the foundation's. */
  routers?: Router<AppState>[];
  /** The OpenAPI declarations of those routers' routes (see src/http/openapi.ts). */
  routeDocs?: RouteDoc[];
  /** Paths that accept a body other than JSON, with its media types (e.g. BPMN XML). */
  extraBodyTypes?: (path: string) => string[];
  /** Called after the test clock moved, so timers that became due fire before the answer. */
  onClockAdvance?: () => Promise<void>;
}

const UPLOAD_PATHS = /^\/api\/(documents\/[^/]+\/service|employers\/import|written-reviews\/[^/]+\/import)$/;
const PATROL_PHOTO_PATH = /^\/api\/prevention\/patrols\/[^/]+\/photos$/;

export const WEB_ROOTS = [WEB_DIST_DIR];

export function createApp(deps: AppDeps, extras: AppExtras = {}): Koa<AppState> {
  const app = new Koa<AppState>({ proxy: false });
  app.keys = [deps.settings.SESSION_SECRET!];
  const limitKb = deps.settings.BODY_LIMIT_KB;
  const extraTypes = (p: string) => (p === '/api/workflows' || p === '/api/workflows/check' ? XML_TYPES : []).concat(extras.extraBodyTypes?.(p) ?? []);

  app.use(requestContext(deps.logger));
  const metrics = httpMetrics(deps);
  if (metrics.middleware) app.use(metrics.middleware);
  app.use(errorHandler(limitKb));
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'style-src': ["'self'", "'unsafe-inline'"], 'font-src': ["'self'", 'data:'] },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(refuseCrossSiteWrites());
  app.use(requireJsonForWrites(extraTypes));
  const parser = (kb: number) => bodyParser({
    enableTypes: ['json', 'text', 'xml'],
    extendTypes: { text: ['application/xml', 'text/xml', 'application/bpmn+xml'] },
    jsonLimit: `${kb}kb`,
    textLimit: `${kb}kb`,
    xmlLimit: `${kb}kb`,
    jsonStrict: true,
  });
  const normal = parser(limitKb);
  const upload = parser(deps.settings.UPLOAD_LIMIT_KB);
  // Only requests that carry a file (proof of service) get the larger limit.
  // A patrol photo's body holds up to the photo limit as base64 (src/prevention/patrol-photos.ts).
  const photoUpload = parser(PATROL_PHOTO_BODY_KB);
  app.use((ctx, next) => (PATROL_PHOTO_PATH.test(ctx.path) ? photoUpload(ctx, next) : UPLOAD_PATHS.test(ctx.path) ? upload(ctx, next) : normal(ctx, next)));
  app.use(inputGuard());
  app.use(sessionLoader(deps));

  const routers: Router<AppState>[] = [
    healthRoutes(deps), sessionRoutes(deps), adminRoutes(deps), employerImportRoutes(deps), employerRoutes(deps), gridStaffRoutes(deps), addressRuleRoutes(deps),
    workflowRoutes(deps), processInstanceRoutes(deps), taskRoutes(deps), messageRoutes(deps), documentRoutes(deps), mailRoutes(deps),
    caseRoutes(deps), caseViewRoutes(deps),
    supervisionRoutes(deps),
    creditRoutes(deps),
    randomDrawRoutes(deps),
    publicationRoutes(deps),
    creditGradingRoutes(deps),
    writtenReviewRoutes(deps),
    editingRoutes(deps),
    decisionRoutes(deps),
    instanceRepairRoutes(deps),
    signalRoutes(deps),
    contactRoutes(deps), calendarRoutes(deps), preventionRoutes(deps), peopleRoutes(deps),
    metrics.router,
    ...(extras.routers ?? []),
  ];
  const docs: RouteDoc[] = [
    ...healthRouteDocs, ...sessionRouteDocs, ...adminRouteDocs, ...employerRouteDocs, ...employerImportRouteDocs, ...gridStaffRouteDocs,
    ...workflowRouteDocs, ...processInstanceRouteDocs, ...taskRouteDocs, ...messageRouteDocs, ...documentRouteDocs, ...mailRouteDocs,
    ...caseRouteDocs, ...caseViewRouteDocs, ...supervisionRouteDocs, ...editingRouteDocs, ...contactRouteDocs, ...calendarRouteDocs, ...preventionRouteDocs,
    ...creditRouteDocs,
    ...randomDrawRouteDocs,
    ...publicationRouteDocs,
    ...creditGradingRouteDocs,
    ...writtenReviewRouteDocs,
    ...instanceRepairRouteDocs,
    ...decisionRouteDocs,
    ...signalRouteDocs,
    ...peopleRouteDocs, ...metricsRouteDocs, ...openApiRouteDocs, ...(extras.routeDocs ?? []),
  ];
  if (isTestClock(deps.clock) && deps.settings.TEST_CLOCK) {
    routers.push(testClockRoutes(deps.clock, extras.onClockAdvance ?? (async () => {})));
    docs.push(...testClockRouteDocs);
  }
  routers.push(openApiRoutes(() => docs));
  for (const r of routers) app.use(r.routes()).use(r.allowedMethods());
  app.use(staticFiles(WEB_ROOTS));
  return app;
}
