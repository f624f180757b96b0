/**
 * The office's mail directory of outside bodies (police liaison, court, arbitration commission, social
 * insurance audit, the supervisors' mailbox): one name and address per role, each change audited with
 * the change itself. mail.send's directory reads them by role; staff addresses are on the users.
 */
import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { recordAudit, type Actor } from '../audit/audit';
import { displayNames } from './display-names';

/** Outside bodies and mailboxes an office keeps one address for. */
export const OFFICE_CONTACT_ROLES = ['police-liaison', 'court', 'arbitration-commission', 'social-insurance-audit', 'supervisor-mailbox'] as const;
export type OfficeContactRole = (typeof OFFICE_CONTACT_ROLES)[number];

interface ContactRow { id: string; role: string; name: string; email: string; updated_by: string; updated_at: number | string }

export interface OfficeContact {
  role: OfficeContactRole; name: string | null; email: string | null; configured: boolean;
  updatedBy: string | null; updatedByName: string | null; updatedAt: number | null;
}

/** Who last changed a contact, as the page shows it: a user by display name; the demo data's own writer by what it is. */
async function changedByNames(em: EntityManager, officeId: string, usernames: string[]): Promise<Record<string, string>> {
  return { demo: '演示数据', ...(await displayNames(em, officeId, usernames.filter((u) => u !== 'demo'))) };
}

/** Every role, set or not: an unset role's mail goes to a placeholder address and stays unsent. */
export async function listContacts(ds: DataSource, officeId: string): Promise<OfficeContact[]> {
  const rows = (await ds.query('SELECT id, role, name, email, updated_by, updated_at FROM office_contacts WHERE office_id = ?', [officeId])) as ContactRow[];
  const names = await changedByNames(ds.manager, officeId, rows.map((r) => r.updated_by));
  return OFFICE_CONTACT_ROLES.map((role) => {
    const r = rows.find((x) => x.role === role);
    return r
      ? { role, name: r.name, email: r.email, configured: true, updatedBy: r.updated_by, updatedByName: names[r.updated_by] ?? r.updated_by, updatedAt: Number(r.updated_at) }
      : { role, name: null, email: null, configured: false, updatedBy: null, updatedByName: null, updatedAt: null };
  });
}

/** Sets a role's name and address in the caller's transaction, audited with what it was before. */
export async function setContact(
  em: EntityManager, actor: Actor, actorDisplayName: string, officeId: string, role: OfficeContactRole, input: { name: string; email: string }, now: Date,
): Promise<OfficeContact> {
  const [before] = (await em.query('SELECT id, name, email FROM office_contacts WHERE office_id = ? AND role = ?', [officeId, role])) as Pick<ContactRow, 'id' | 'name' | 'email'>[];
  const id = before?.id ?? crypto.randomUUID();
  if (before) {
    await em.query('UPDATE office_contacts SET name = ?, email = ?, updated_by = ?, updated_at = ? WHERE id = ?', [input.name, input.email, actor.name, now.getTime(), id]);
  } else {
    await em.query('INSERT INTO office_contacts (id, office_id, role, name, email, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [id, officeId, role, input.name, input.email, actor.name, now.getTime()]);
  }
  const after = { role, name: input.name, email: input.email };
  await recordAudit(em, actor, now, {
    action: 'contact.update', entityType: 'office_contact', entityId: id,
    before: before ? { role, name: before.name, email: before.email } : null, after,
  });
  return { ...after, configured: true, updatedBy: actor.name, updatedByName: actorDisplayName, updatedAt: now.getTime() };
}
