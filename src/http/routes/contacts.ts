/**
 * The office's mail directory of outside bodies (police liaison, court, arbitration commission, social
 * insurance audit, the supervisors' mailbox): read and set by admin, each change audited with the
 * change itself. Staff addresses are set on the users (PATCH /api/users/:id {email}).
 */
import crypto from 'node:crypto';
import Router from '@koa/router';
import { z } from 'zod';
import { recordAudit } from '../../audit/audit';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { parseInput } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

/** Outside bodies and mailboxes an office keeps one address for; mail.send's directory reads them by role. */
export const OFFICE_CONTACT_ROLES = ['police-liaison', 'court', 'arbitration-commission', 'social-insurance-audit', 'supervisor-mailbox'] as const;

const roleParam = z.strictObject({ role: z.enum(OFFICE_CONTACT_ROLES) });
const contactBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(254),
});

interface ContactRow { id: string; role: string; name: string; email: string; updated_by: string; updated_at: number | string }

/** Who last changed a contact, as the page shows it: a user by display name; the demo data's own writer by what it is. */
async function changedByNames(deps: AppDeps, officeId: string, usernames: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>([['demo', '演示数据']]);
  const wanted = [...new Set(usernames)].filter((u) => u && u !== 'demo');
  if (wanted.length) {
    const rows = (await deps.ds.query(`SELECT username, display_name FROM users WHERE office_id = ? AND username IN (${wanted.map(() => '?').join(', ')})`,
      [officeId, ...wanted])) as { username: string; display_name: string }[];
    for (const r of rows) names.set(r.username, r.display_name);
  }
  return names;
}

export function contactRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/contacts' });
  router.use(requireLogin);

  /** Every role, set or not: an unset role's mail goes to a placeholder address and stays unsent. */
  router.get('/', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'office.manageContacts');
    parseInput(z.strictObject({}), ctx.query, 'query');
    const rows = (await deps.ds.query('SELECT id, role, name, email, updated_by, updated_at FROM office_contacts WHERE office_id = ?', [principal.officeId])) as ContactRow[];
    const names = await changedByNames(deps, principal.officeId, rows.map((r) => r.updated_by));
    ctx.body = {
      items: OFFICE_CONTACT_ROLES.map((role) => {
        const r = rows.find((x) => x.role === role);
        return r
          ? { role, name: r.name, email: r.email, configured: true, updatedBy: r.updated_by, updatedByName: names.get(r.updated_by) ?? r.updated_by, updatedAt: Number(r.updated_at) }
          : { role, name: null, email: null, configured: false, updatedBy: null, updatedByName: null, updatedAt: null };
      }),
    };
  });

  router.put('/:role', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'office.manageContacts');
    const { role } = parseInput(roleParam, ctx.params, 'params');
    const input = parseInput(contactBody, ctx.request.body, 'body');
    const now = deps.clock.now();
    ctx.body = await inTransaction(deps.ds, async (em) => {
      const [before] = (await em.query('SELECT id, name, email FROM office_contacts WHERE office_id = ? AND role = ?', [principal.officeId, role])) as Pick<ContactRow, 'id' | 'name' | 'email'>[];
      const id = before?.id ?? crypto.randomUUID();
      if (before) {
        await em.query('UPDATE office_contacts SET name = ?, email = ?, updated_by = ?, updated_at = ? WHERE id = ?', [input.name, input.email, actor.name, now.getTime(), id]);
      } else {
        await em.query('INSERT INTO office_contacts (id, office_id, role, name, email, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [id, principal.officeId, role, input.name, input.email, actor.name, now.getTime()]);
      }
      const after = { role, name: input.name, email: input.email };
      await recordAudit(em, actor, now, {
        action: 'contact.update', entityType: 'office_contact', entityId: id,
        before: before ? { role, name: before.name, email: before.email } : null, after,
      });
      return { ...after, configured: true, updatedBy: actor.name, updatedByName: principal.displayName, updatedAt: now.getTime() };
    });
  });

  return router;
}

export const contactRouteDocs: RouteDoc[] = [
  route('get', '/api/contacts', { summary: "The office's outside addresses for each role, set or not", auth: 'admin', query: noFields, responses: { 200: '{items}' }, errors: { 403: ['FORBIDDEN'] } }),
  route('put', '/api/contacts/:role', {
    summary: "Set a role's name and address; audited", auth: 'admin', params: roleParam, body: contactBody, responses: { 200: 'The contact' }, errors: { 403: ['FORBIDDEN'] },
  }),
];
