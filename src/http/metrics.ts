/**
 * GET /metrics in Prometheus' text format, when the METRICS setting is on (404 otherwise, like a route
 * that does not exist); with METRICS_TOKEN set, only for `Authorization: Bearer <token>`.
 *
 * Besides the core's metrics (src/metrics: engine steps, jobs, process), the app adds:
 * - lsi_http_request_duration_seconds by method, route pattern and status. The route is the pattern
 *   the router matched (`/api/cases/:id`), never the URL, so no id reaches a label; requests no router
 *   matched are `(unmatched)` under /api and `(web)` for the UI's files;
 * - gauges read when scraped: open incidents and due timers of the embedded engine through the engine
 *   port's counts (left out in Zeebe mode, where both live in the cluster) and the outbox's unsent mail by state.
 */
import crypto from 'node:crypto';
import Router from '@koa/router';
import client from 'prom-client';
import { errors } from '../errors';
import { collectProcessMetrics, coreRegistry } from '../metrics';
import { outboxDepth } from '../metrics/counts';
import type { AppContext, AppDeps, AppState } from './context';
import { route, type RouteDoc } from './openapi';

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface MatchedLayer { path: string | RegExp; methods: string[] }

/** The route pattern of the request: the first route layer that matched path and method (the one that ran). */
export function routeLabel(ctx: AppContext): string {
  const matched = ((ctx as unknown as { matched?: MatchedLayer[] }).matched ?? []).filter((l) => l.methods.length > 0);
  const layer = matched.find((l) => l.methods.includes(ctx.method)) ?? matched[0];
  if (layer) return String(layer.path);
  return ctx.path.startsWith('/api') ? '(unmatched)' : '(web)';
}

export interface HttpMetrics {
  /** Times every request; null when METRICS is off. Mounted outside the error renderer, so it sees the final status. */
  middleware: ((ctx: AppContext, next: () => Promise<unknown>) => Promise<void>) | null;
  router: Router<AppState>;
}

function sameToken(given: string, expected: string): boolean {
  // Digests of equal length, so the comparison takes the same time whatever was sent.
  const a = crypto.createHash('sha256').update(given).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export function httpMetrics(deps: AppDeps): HttpMetrics {
  const router = new Router<AppState>();
  if (!deps.settings.METRICS) {
    router.get('/metrics', (ctx) => {
      throw errors.routeNotFound(ctx.method, ctx.path);
    });
    return { middleware: null, router };
  }

  collectProcessMetrics();
  // This app's own metrics: a test process may build several apps, each on its own database.
  const registry = new client.Registry();
  const requests = new client.Histogram({
    name: 'lsi_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern (never the URL) and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  if (deps.settings.ENGINE === 'embedded') {
    new client.Gauge({
      name: 'lsi_engine_incidents_open',
      help: 'Open incidents of the embedded engine (failed jobs out of retries, failed expressions), read when scraped.',
      registers: [registry],
      async collect() { this.set((await deps.engine.counts(deps.clock.now().getTime())).openIncidents); },
    });
    new client.Gauge({
      name: 'lsi_engine_timers_due',
      help: 'Timers of the embedded engine whose time has come and that have not fired yet, read when scraped.',
      registers: [registry],
      async collect() { this.set((await deps.engine.counts(deps.clock.now().getTime())).dueTimers ?? 0); },
    });
  }
  new client.Gauge({
    name: 'lsi_outbox_mails',
    help: 'Mail in the outbox not sent yet, by state (pending, sending, failed, unsent_no_credentials), read when scraped.',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      for (const [state, n] of await outboxDepth(deps.ds)) this.set({ state }, n);
    },
  });

  const token = deps.settings.METRICS_TOKEN;
  router.get('/metrics', async (ctx) => {
    if (token) {
      const m = /^Bearer (.+)$/.exec(ctx.get('Authorization'));
      if (!m || !sameToken(m[1], token)) {
        ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
        throw errors.unauthenticated('Send the metrics token as Authorization: Bearer <token>.');
      }
    }
    const merged = client.Registry.merge([coreRegistry, registry]);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = merged.contentType;
    ctx.body = await merged.metrics();
  });

  return {
    router,
    async middleware(ctx, next) {
      const end = requests.startTimer();
      try {
        await next();
      } finally {
        end({ method: ctx.method, route: routeLabel(ctx), status: String(ctx.status) });
      }
    },
  };
}

export const metricsRouteDocs: RouteDoc[] = [
  route('get', '/metrics', {
    summary: 'Prometheus metrics (text format)',
    description: 'HTTP latency by route pattern, engine step latency, jobs by type and outcome, open incidents, due timers, outbox depth and the process\'s default metrics. Answers 404 unless METRICS is on; with METRICS_TOKEN set, 401 without the bearer token.',
    auth: 'anyone when METRICS is on; with METRICS_TOKEN, the holder of the token',
    public: true,
    bearer: true,
    tag: 'operations',
    responses: { 200: { description: 'The metrics', type: 'text/plain; version=0.0.4' } },
    errors: { 401: ['UNAUTHENTICATED'], 404: ['ROUTE_NOT_FOUND'] },
  }),
];
