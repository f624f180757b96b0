/** The outbox as staff see it: sent and pending mail of a case, readable even when it cannot be sent. */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { hasRole, requireRole, canSeeGrid } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { errors } from '../../errors';
import { getMail, listMail, MAIL_STATES, requeueMail } from '../../mail';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';

const listQuery = z.strictObject({
  caseId: z.string().uuid().optional(),
  state: z.enum(MAIL_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function mailRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/mail' });
  router.use(requireLogin);

  async function caseVisible(p: Parameters<typeof canSeeGrid>[0], caseId: string | null | undefined): Promise<boolean> {
    if (!caseId) return hasRole(p, 'supervisor', 'legal', 'admin', 'intake');
    const [row] = (await deps.ds.query('SELECT office_id, grid_id FROM cases WHERE id = ?', [caseId])) as { office_id: string; grid_id: string | null }[];
    return row ? canSeeGrid(p, row.office_id, row.grid_id) : false;
  }

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(listQuery, ctx.query, 'query');
    if (!q.caseId) requireRole(principal, 'supervisor', 'legal', 'admin');
    else if (!(await caseVisible(principal, q.caseId))) throw errors.notFound('case', q.caseId);
    ctx.body = { items: await listMail(deps.ds.manager, q) };
  });

  router.get('/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    const mail = await getMail(deps.ds.manager, id);
    if (!mail || !(await caseVisible(principal, mail.caseId))) throw errors.notFound('mail', id);
    ctx.body = mail;
  });

  router.post('/:id/requeue', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    requireRole(principal, 'supervisor', 'admin');
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    const mail = await getMail(deps.ds.manager, id);
    if (!mail || !(await caseVisible(principal, mail.caseId))) throw errors.notFound('mail', id);
    await inTransaction(deps.ds, async (em) => {
      await requeueMail(em, id, deps.clock);
      await recordAudit(em, actor, deps.clock.now(), { action: 'mail.requeue', entityType: 'mail', entityId: id, caseId: mail.caseId });
    });
    ctx.status = 204;
  });

  return router;
}
