/** Moves the clock forward. Mounted only when the TEST_CLOCK setting is on (never in production). */
import Router from '@koa/router';
import { z } from 'zod';
import { TestClock } from '../../clock/clock';
import { Temporal } from '../../clock/temporal';
import type { AppState } from '../context';
import { requireLogin } from '../middleware/auth';
import { parseInput } from '../validate';
import { route, type RouteDoc } from '../openapi';

const advanceSchema = z.strictObject({
  advance: z.string().refine((v) => {
    try {
      return Temporal.durationToMs(v) > 0;
    } catch {
      return false;
    }
  }, 'an ISO-8601 duration without years or months, e.g. P3D or PT2H'),
});

export function testClockRoutes(clock: TestClock, onAdvance: () => Promise<void>): Router<AppState> {
  const router = new Router<AppState>();
  // Even in a test setup, moving the clock fires every due timer of every case: only for a logged-in user.
  router.use(requireLogin);
  router.post('/api/test/clock', async (ctx) => {
    const { advance } = parseInput(advanceSchema, ctx.request.body, 'body');
    const now = clock.advance(advance);
    await onAdvance();
    ctx.body = { now: now.toISOString(), offsetMs: clock.offset };
  });
  router.get('/api/test/clock', (ctx) => {
    ctx.body = { now: clock.now().toISOString(), offsetMs: clock.offset };
  });
  return router;
}

const TEST_CLOCK_ONLY = 'Mounted only with the TEST_CLOCK setting on, which is refused in production.';

export const testClockRouteDocs: RouteDoc[] = [
  route('post', '/api/test/clock', {
    summary: 'Move the clock forward and fire the timers that became due', description: TEST_CLOCK_ONLY, auth: 'logged in', tag: 'test', body: advanceSchema,
    responses: { 200: '{now, offsetMs}' },
  }),
  route('get', '/api/test/clock', { summary: "The test clock's time", description: TEST_CLOCK_ONLY, auth: 'logged in', tag: 'test', responses: { 200: '{now, offsetMs}' } }),
];
