/**
 * The office's mail directory of outside bodies (src/org/contacts.ts): read and set by admin. Staff
 * addresses are set on the users (PATCH /api/users/:id {email}).
 */
import Router from '@koa/router';
import { z } from 'zod';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { listContacts, OFFICE_CONTACT_ROLES, setContact } from '../../org/contacts';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

export { OFFICE_CONTACT_ROLES };

const roleParam = z.strictObject({ role: z.enum(OFFICE_CONTACT_ROLES) });
const contactBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
});

export function contactRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/contacts' });
  router.use(requireLogin);

  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'office.manageContacts');
    parseInput(z.strictObject({}), ctx.query, 'query');
    ctx.body = { items: await listContacts(deps.ds, principal.officeId) };
  });

  router.put('/:role', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'office.manageContacts');
    const { role } = parseInput(roleParam, ctx.params, 'params');
    const input = parseInput(contactBody, ctx.request.body, 'body');
    const now = deps.clock.now();
    ctx.body = await inTransaction(deps.ds, (em) => setContact(em, actor, principal.displayName, principal.officeId, role, input, now));
  });

  return router;
}

export const contactRouteDocs: RouteDoc[] = [
  route('get', '/api/contacts', { summary: "The office's outside addresses for each role, set or not", auth: 'admin', query: noFields, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('put', '/api/contacts/:role', {
    summary: "Set a role's name and address; audited", auth: 'admin', params: roleParam, body: contactBody, responses: { 200: 'The contact' }, errors: { 403: ['FORBIDDEN'] },
  }),
];
