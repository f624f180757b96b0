/** The outbox as staff see it: sent and pending mail of a case, readable even when it cannot be sent. */
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { allowed, authorize, decide, MailRef } from '../../auth/policy';
import type { Principal } from '../../auth/principal';
import { caseRefById } from '../../cases/case-refs';
import { inTransaction } from '../../db/data-source';
import { errors } from '../../errors';
import { getMail, listMail, MAIL_STATES, requeueMail } from '../../mail';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput, uuidParam } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

const listQuery = z.strictObject({
  caseId: z.string().uuid().optional(),
  state: z.enum(MAIL_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function mailRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/mail' });
  router.use(requireLogin);

  /** What the mail policy decides on: the mail's case, if it has one. A case that is gone hides its mail. */
  async function mailRef(caseId: string | null | undefined): Promise<MailRef | null> {
    if (!caseId) return { case: null };
    const c = await caseRefById(deps.ds.manager, caseId);
    return c ? { case: c } : null;
  }

  async function visibleMail(p: Principal, id: string) {
    const mail = await getMail(deps.ds.manager, id);
    const ref = mail ? await mailRef(mail.caseId) : null;
    if (!mail || !ref || decide(p, 'mail.read', ref) === 'hidden') throw errors.notFound('mail', id);
    return { mail, ref };
  }

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    const q = parseInput(listQuery, ctx.query, 'query');
    if (!q.caseId) authorize(principal, 'outbox.listOffice');
    else {
      const ref = await mailRef(q.caseId);
      if (!ref || !allowed(principal, 'mail.read', ref)) throw errors.notFound('case', q.caseId);
    }
    ctx.body = { items: await listMail(deps.ds.manager, q) };
  });

  router.get('/:id', async (ctx) => {
    const { principal } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    ctx.body = (await visibleMail(principal, id)).mail;
  });

  router.post('/:id/requeue', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    const { id } = parseInput(uuidParam, ctx.params, 'params');
    parseInput(z.strictObject({}), ctx.request.body, 'body');
    const { mail, ref } = await visibleMail(principal, id);
    authorize(principal, 'mail.requeue', ref);
    await inTransaction(deps.ds, async (em) => {
      await requeueMail(em, id, deps.clock);
      await recordAudit(em, actor, deps.clock.now(), { action: 'mail.requeue', entityType: 'mail', entityId: id, caseId: mail.caseId });
    });
    ctx.status = 204;
  });

  return router;
}

export const mailRouteDocs: RouteDoc[] = [
  route('get', '/api/mail', {
    summary: 'The outbox, sent and pending: of one case, or of the office', auth: 'whoever sees the case (without caseId: supervisor, legal, admin)', query: listQuery,
    responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'] },
  }),
  route('get', '/api/mail/:id', { summary: 'One mail', auth: 'whoever sees its case', params: uuidParam, responses: { 200: 'The mail' }, errors: { 404: ['NOT_FOUND'] } }),
  route('post', '/api/mail/:id/requeue', {
    summary: 'Queue failed mail again; audited', auth: 'supervisor, admin who see its case', params: uuidParam, body: noFields,
    responses: { 204: 'Queued again' }, errors: { 403: ['FORBIDDEN'], 404: ['NOT_FOUND'], 409: ['MAIL_NOT_FAILED'] },
  }),
];
