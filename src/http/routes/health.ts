import Router from '@koa/router';
import { dbKind } from '../../db/data-source';
import type { AppDeps, AppState } from '../context';
import { route, type RouteDoc } from '../openapi';

export function healthRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/api/health', async (ctx) => {
    let database: { kind: string; ok: boolean; detail?: string };
    try {
      await deps.ds.query('SELECT 1');
      database = { kind: dbKind(deps.ds), ok: true };
    } catch {
      database = { kind: dbKind(deps.ds), ok: false, detail: 'database not answering' };
    }
    const engine = deps.engineStatus ? await deps.engineStatus().catch(() => ({ kind: deps.settings.ENGINE, ok: false })) : { kind: deps.settings.ENGINE, ok: false, detail: 'not started' };
    const ok = database.ok && engine.ok;
    ctx.status = ok ? 200 : 503;
    ctx.body = { status: ok ? 'ok' : 'degraded', database, engine };
  });
  return router;
}

export const healthRouteDocs: RouteDoc[] = [
  route('get', '/api/health', {
    summary: 'Database and engine status', auth: 'anyone', public: true, tag: 'operations',
    responses: { 200: '{status: ok, database, engine}', 503: '{status: degraded, database, engine}' },
  }),
];
