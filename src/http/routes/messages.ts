/**
 * Outside answers arrive as messages (police decision, court ruling, hearing request…), correlated by
 * the case number. A message nobody waits for is buffered for its time to live, or dropped: not an error.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { requireRole } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';

const publishSchema = z.strictObject({
  name: z.string().min(1).max(255),
  correlationKey: z.string().max(255).default(''),
  variables: z.record(z.string().max(200), z.unknown()).default({}),
  timeToLive: z.union([z.number().int().min(0).max(366 * 86_400_000), z.string().max(40)]).optional(),
  messageId: z.string().min(1).max(255).optional(),
});

export function messageRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);

  router.post('/messages', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    requireRole(principal, 'handler', 'supervisor', 'legal', 'admin');
    const input = parseInput(publishSchema, ctx.request.body, 'body');
    const now = deps.clock.now();
    const result = await inTransaction(deps.ds, async (em) => {
      const r = await deps.engine.publishMessage(input, em);
      if (!r.duplicate) {
        await recordAudit(em, actor, now, {
          action: 'message.publish', entityType: 'message', entityId: r.messageKey ?? `${input.name}:${input.correlationKey}`,
          after: { name: input.name, correlationKey: input.correlationKey, messageId: input.messageId ?? null, correlated: r.correlatedProcessInstanceKeys },
        });
      }
      return r;
    });
    ctx.body = result;
  });

  return router;
}
