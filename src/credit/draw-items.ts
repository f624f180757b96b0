/**
 * The inspection items list (抽查事项清单) a random draw inspects, kept by admin and legal staff, and
 * the recusals (回避) that keep an inspector from being drawn for an employer. A recusal is recorded,
 * never removed: a draw's stored snapshot names the ones it respected.
 */
import crypto from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { recordAudit, type Actor } from '../audit/audit';
import { authorize } from '../auth/policy';
import type { Principal } from '../auth/principal';
import { insertRow } from '../cases/store';
import { errors } from '../errors';

export const itemSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** The legal basis of the item (抽查依据). */
  basis: z.string().trim().min(1).max(2000),
});
export const itemPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  basis: z.string().trim().min(1).max(2000).optional(),
  active: z.boolean().optional(),
}).refine((v) => Object.keys(v).length > 0, 'name, basis or active');

export const recusalSchema = z.strictObject({
  userId: z.string().uuid(),
  employerId: z.string().uuid(),
  reason: z.string().trim().min(1).max(2000),
});

export interface ItemView { id: string; name: string; basis: string; active: boolean; updatedAt: number; updatedBy: string }

interface ItemRow { id: string; office_id: string; name: string; basis: string; active: number | string; updated_by: string; created_at: number | string; updated_at: number | string }
const itemView = (r: ItemRow): ItemView => ({ id: r.id, name: r.name, basis: r.basis, active: Number(r.active) === 1, updatedAt: Number(r.updated_at), updatedBy: r.updated_by });

export async function listItems(em: EntityManager, principal: Principal): Promise<ItemView[]> {
  authorize(principal, 'randomDraws.list');
  const rows: ItemRow[] = await em.query('SELECT * FROM inspection_items WHERE office_id = ? ORDER BY active DESC, name', [principal.officeId]);
  return rows.map(itemView);
}

export async function createItem(em: EntityManager, principal: Principal, actor: Actor, input: z.output<typeof itemSchema>, now: number): Promise<ItemView> {
  authorize(principal, 'randomDraws.manageItems');
  const row: ItemRow = { id: crypto.randomUUID(), office_id: principal.officeId, name: input.name, basis: input.basis, active: 1, updated_by: principal.username, created_at: now, updated_at: now };
  await insertRow(em, 'inspection_items', row as unknown as Record<string, unknown>);
  await recordAudit(em, actor, new Date(now), { action: 'inspection-item.create', entityType: 'inspection_item', entityId: row.id, after: { name: row.name } });
  return itemView(row);
}

export async function updateItem(em: EntityManager, principal: Principal, actor: Actor, id: string, input: z.output<typeof itemPatchSchema>, now: number): Promise<ItemView> {
  const rows: ItemRow[] = await em.query('SELECT * FROM inspection_items WHERE id = ? AND office_id = ?', [id, principal.officeId]);
  if (!rows[0]) throw errors.notFound('inspectionItem');
  authorize(principal, 'randomDraws.manageItems');
  const next: ItemRow = { ...rows[0], name: input.name ?? rows[0].name, basis: input.basis ?? rows[0].basis, active: input.active === undefined ? rows[0].active : input.active ? 1 : 0, updated_by: principal.username, updated_at: now };
  await em.query('UPDATE inspection_items SET name = ?, basis = ?, active = ?, updated_by = ?, updated_at = ? WHERE id = ?', [next.name, next.basis, next.active, next.updated_by, now, id]);
  await recordAudit(em, actor, new Date(now), { action: 'inspection-item.update', entityType: 'inspection_item', entityId: id, before: itemView(rows[0]), after: itemView(next) });
  return itemView(next);
}

export interface RecusalView { id: string; userId: string; userName: string; employerId: string; employerName: string; reason: string; recordedBy: string; createdAt: number }

export async function listRecusals(em: EntityManager, principal: Principal): Promise<RecusalView[]> {
  authorize(principal, 'randomDraws.list');
  const rows: { id: string; user_id: string; display_name: string; employer_id: string; name: string; reason: string; recorded_by: string; created_at: number | string }[] = await em.query(
    `SELECT r.id, r.user_id, u.display_name, r.employer_id, e.name, r.reason, r.recorded_by, r.created_at
       FROM inspector_recusals r JOIN users u ON u.id = r.user_id JOIN employers e ON e.id = r.employer_id WHERE r.office_id = ? ORDER BY r.created_at DESC LIMIT 500`, [principal.officeId]);
  return rows.map((r) => ({ id: r.id, userId: r.user_id, userName: r.display_name, employerId: r.employer_id, employerName: r.name, reason: r.reason, recordedBy: r.recorded_by, createdAt: Number(r.created_at) }));
}

/** Records that the user stays out of draws for the employer. Both must be of the principal's office. */
export async function recordRecusal(em: EntityManager, principal: Principal, actor: Actor, input: z.output<typeof recusalSchema>, now: number): Promise<{ id: string }> {
  authorize(principal, 'randomDraws.recuse', input.userId);
  const user: unknown[] = await em.query('SELECT 1 AS x FROM users WHERE id = ? AND office_id = ? AND active = 1', [input.userId, principal.officeId]);
  if (!user.length) throw errors.notFound('user');
  const employer: unknown[] = await em.query('SELECT 1 AS x FROM employers WHERE id = ? AND office_id = ?', [input.employerId, principal.officeId]);
  if (!employer.length) throw errors.notFound('employer');
  const id = crypto.randomUUID();
  await insertRow(em, 'inspector_recusals', { id, office_id: principal.officeId, user_id: input.userId, employer_id: input.employerId, reason: input.reason, recorded_by: principal.username, created_at: now });
  await recordAudit(em, actor, new Date(now), { action: 'inspector-recusal.create', entityType: 'inspector_recusal', entityId: id, after: { userId: input.userId, employerId: input.employerId } });
  return { id };
}

/** The inspector register as the draw page shows it: who may be drawn, with their grids. */
export async function inspectorRegister(em: EntityManager, principal: Principal): Promise<{ employers: number; inspectors: { id: string; name: string; grids: string[] }[] }> {
  authorize(principal, 'randomDraws.list');
  const count: { n: number | string }[] = await em.query('SELECT COUNT(*) AS n FROM employers WHERE office_id = ?', [principal.officeId]);
  const rows: { id: string; display_name: string; grid: string | null }[] = await em.query(
    `SELECT u.id, u.display_name, g.name AS grid FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'handler'
       LEFT JOIN user_grids ug ON ug.user_id = u.id LEFT JOIN grids g ON g.id = ug.grid_id
      WHERE u.office_id = ? AND u.active = 1 ORDER BY u.display_name`, [principal.officeId]);
  const out = new Map<string, { id: string; name: string; grids: string[] }>();
  for (const r of rows) {
    const v = out.get(r.id) ?? { id: r.id, name: r.display_name, grids: [] };
    if (r.grid) v.grids.push(r.grid);
    out.set(r.id, v);
  }
  return { employers: Number(count[0].n), inspectors: [...out.values()] };
}
