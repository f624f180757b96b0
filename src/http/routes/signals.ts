/**
 * Broadcasting a signal to the running cases (POST /api/signals): e.g. a new holiday schedule or a
 * changed rule reaching every case waiting for it. The diagrams say who listens (signal catch,
 * boundary and start events of the name); the broadcast is the administrator's or a supervisor's,
 * with a reason, and is audited with the names of the variables it carried (not their values, which
 * may hold personal data). With ENGINE=zeebe it answers 409 ENGINE_CANNOT_BROADCAST.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { signalBroadcasterOf } from '../../engine/signal-port';
import { errors } from '../../errors';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { route, type RouteDoc } from '../openapi';

const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'a variable name');
const broadcastBody = z.strictObject({
  /** The signal's name as the diagrams' bpmn:signal elements name it. */
  name: z.string().trim().min(1, 'give the signal name').max(255),
  variables: z.record(variableName, z.unknown()).refine((v) => Object.keys(v).length <= 50, { message: 'at most 50 variables' }).optional(),
  reason: z.string().trim().min(2, 'give the reason (at least 2 characters)').max(500),
});

export function signalRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use('/signals', requireLogin);

  router.post('/signals', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'signal.broadcast');
    const body = parseInput(broadcastBody, ctx.request.body, 'body');
    const engine = signalBroadcasterOf(deps.engine);
    if (!engine) throw errors.conflict('ENGINE_CANNOT_BROADCAST', 'The engine cases run on (Zeebe) broadcasts signals in its own tools, not here.');
    const now = deps.clock.now();
    const r = await inTransaction(deps.ds, async (em) => {
      const res = await engine.broadcastSignal({ signalName: body.name, variables: body.variables, broadcastBy: actor.name }, em);
      await recordAudit(em, actor, now, {
        action: 'signal.broadcast', entityType: 'signal', entityId: res.signalKey,
        after: {
          name: body.name, variableNames: Object.keys(body.variables ?? {}), reason: body.reason,
          triggered: res.triggeredProcessInstanceKeys.length, started: res.startedProcessInstanceKeys.length,
        },
      });
      return res;
    });
    ctx.status = 201;
    ctx.body = { signalKey: r.signalKey, triggered: r.triggeredProcessInstanceKeys.length, started: r.startedProcessInstanceKeys.length };
  });

  return router;
}

export const signalRouteDocs: RouteDoc[] = [
  route('post', '/api/signals', {
    summary: 'Broadcast a signal to the running cases (every waiting signal catch, boundary and start event of the name), with a reason; audited', tag: 'process-instances',
    auth: 'admin, supervisor', body: broadcastBody, responses: { 201: '{signalKey, triggered, started}' },
    errors: { 400: ['VALIDATION_FAILED', 'INVALID_SIGNAL_NAME'], 403: ['FORBIDDEN'], 409: ['ENGINE_CANNOT_BROADCAST'] },
  }),
];
