/**
 * Outside answers arrive as messages (police decision, court ruling, hearing request…), correlated by
 * the case number; what a sender may publish is src/cases/outside-answer.ts. A message nobody waits
 * for is buffered for its time to live, or dropped: not an error.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { publishOutsideAnswer } from '../../cases/outside-answer';
import { Temporal } from '../../clock/temporal';
import { inTransaction } from '../../db/data-source';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { route, type RouteDoc } from '../openapi';

/** Longest a message waits in the buffer: a year, whether given in milliseconds or as a duration. */
const MAX_TTL_MS = 366 * 86_400_000;

function ttlWithinLimit(ttl: string): boolean {
  if (/^\d+$/.test(ttl)) return Number(ttl) <= MAX_TTL_MS;
  try {
    return Temporal.durationToMs(ttl) <= MAX_TTL_MS;
  } catch {
    return false;
  }
}

const publishSchema = z.strictObject({
  name: z.string().min(1).max(255),
  correlationKey: z.string().max(255).default(''),
  variables: z.record(z.string().max(200), z.unknown()).default({}),
  timeToLive: z.union([
    z.number().int().min(0).max(MAX_TTL_MS),
    z.string().max(40).refine(ttlWithinLimit, 'milliseconds or an ISO-8601 duration in days or less (PT1H, P3D), at most 366 days'),
  ]).optional(),
  messageId: z.string().min(1).max(255).optional(),
});

export function messageRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api' });
  router.use(requireLogin);

  router.post('/messages', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const input = parseInput(publishSchema, ctx.request.body, 'body');
    ctx.body = await inTransaction(deps.ds, (em) => publishOutsideAnswer(em, deps.engine, principal, actor, deps.clock.now(), input));
  });

  return router;
}

export const messageRouteDocs: RouteDoc[] = [
  route('post', '/api/messages', {
    summary: 'An outside answer arrives (police decision, court ruling, hearing request…), correlated by the case number',
    description: 'A message nobody waits for is buffered for its time to live or dropped, never an error; a repeated messageId is accepted once.',
    auth: 'handler (cases of their grids), supervisor, legal, admin', body: publishSchema,
    responses: { 200: 'The published message with the instances it reached' }, errors: { 400: ['INVALID_MESSAGE'], 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
];
