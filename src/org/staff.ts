/**
 * The people of each grid (两网化 staffing): full-time and part-time inspectors, grid assistants
 * (协管员) and enterprise coordinators (企业协管员), each optionally linked to a user account (and an
 * enterprise coordinator to their employer), with their training records (course, day, hours). The
 * dashboard counts them against the staffing and training norms.
 */
import crypto from 'node:crypto';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor, recordAudit } from '../audit/audit';
import { authorize, allowed } from '../auth/policy';
import { Principal } from '../auth/principal';
import { Grid } from '../db/entities';
import { chinaDate } from '../deadlines/china-time';
import { errors } from '../errors';

export const STAFF_KINDS = ['full_time_inspector', 'part_time_inspector', 'grid_assistant', 'enterprise_coordinator'] as const;
export type StaffKind = (typeof STAFF_KINDS)[number];

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((v) => {
  const t = new Date(v + 'T00:00:00Z');
  return Number.isFinite(t.getTime()) && t.toISOString().slice(0, 10) === v && t.getUTCFullYear() >= 1990;
}, 'a real calendar date');

export const createStaffSchema = z.strictObject({
  gridId: z.string().uuid(),
  kind: z.enum(STAFF_KINDS),
  name: z.string().trim().min(1).max(100),
  phone: z.string().trim().regex(/^[0-9+\- ]{5,40}$/, 'digits, spaces, + and -').nullable().default(null),
  userId: z.string().uuid().nullable().default(null),
  /** An enterprise coordinator's employer. */
  employerId: z.string().uuid().nullable().default(null),
});

export const updateStaffSchema = z.strictObject({
  gridId: z.string().uuid().optional(),
  kind: z.enum(STAFF_KINDS).optional(),
  name: z.string().trim().min(1).max(100).optional(),
  phone: z.string().trim().regex(/^[0-9+\- ]{5,40}$/, 'digits, spaces, + and -').nullable().optional(),
  userId: z.string().uuid().nullable().optional(),
  employerId: z.string().uuid().nullable().optional(),
  active: z.boolean().optional(),
});

export const trainingSchema = z.strictObject({
  course: z.string().trim().min(1).max(200),
  trainedOn: day,
  /** Hours, to one decimal (2.5). */
  hours: z.number().min(0.5).max(1000).refine((h) => Math.abs(h * 10 - Math.round(h * 10)) < 1e-9, 'hours to one decimal'),
});

export const listStaffSchema = z.strictObject({
  gridId: z.string().uuid().optional(),
  kind: z.enum(STAFF_KINDS).optional(),
});

export interface StaffView {
  id: string;
  gridId: string;
  gridName: string;
  kind: StaffKind;
  name: string;
  phone: string | null;
  userId: string | null;
  userName: string | null;
  employerId: string | null;
  employerName: string | null;
  active: boolean;
  trainingHours: number;
  trainings: { id: string; course: string; trainedOn: string; hours: number }[];
}

const maskPhone = (v: string | null) => (v && v.replace(/\D/g, '').length >= 7 ? `${v.replace(/\D/g, '').slice(0, 3)}****${v.replace(/\D/g, '').slice(-4)}` : v ? '****' : null);

async function staffRows(em: EntityManager, where: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return em.query(
    `SELECT s.*, g.name AS grid_name, pg.name AS parent_name, u.display_name AS user_name, e.name AS employer_name
       FROM grid_staff s JOIN grids g ON g.id = s.grid_id LEFT JOIN grids pg ON pg.id = g.parent_id
       LEFT JOIN users u ON u.id = s.user_id LEFT JOIN employers e ON e.id = s.employer_id
      WHERE ${where} ORDER BY g.name, s.kind, s.name, s.id`, params);
}

async function views(em: EntityManager, rows: Record<string, unknown>[], fullPhones: boolean): Promise<StaffView[]> {
  const ids = rows.map((r) => String(r.id));
  const trainings: Record<string, unknown>[] = ids.length
    ? await em.query(`SELECT * FROM grid_staff_training WHERE staff_id IN (${ids.map(() => '?').join(', ')}) ORDER BY trained_on DESC, id`, ids)
    : [];
  return rows.map((r) => {
    const mine = trainings.filter((t) => String(t.staff_id) === String(r.id)).map((t) => ({ id: String(t.id), course: String(t.course), trainedOn: String(t.trained_on), hours: Number(t.hours_tenths) / 10 }));
    const phone = (r.phone as string | null) ?? null;
    return {
      id: String(r.id), gridId: String(r.grid_id), gridName: r.parent_name ? `${String(r.parent_name)} · ${String(r.grid_name)}` : String(r.grid_name),
      kind: String(r.kind) as StaffKind, name: String(r.name), phone: fullPhones ? phone : maskPhone(phone),
      userId: (r.user_id as string | null) ?? null, userName: (r.user_name as string | null) ?? null,
      employerId: (r.employer_id as string | null) ?? null, employerName: (r.employer_name as string | null) ?? null,
      active: Number(r.active) === 1, trainings: mine, trainingHours: mine.reduce((s, t) => s + t.hours, 0),
    };
  });
}

/** The staff of the grids the principal sees (a street includes its communities' people). */
export async function listStaff(em: EntityManager, p: Principal, q: z.infer<typeof listStaffSchema>): Promise<StaffView[]> {
  authorize(p, 'gridStaffList.list');
  const where = ['s.office_id = ?'];
  const params: unknown[] = [p.officeId];
  if (q.gridId) { where.push('(s.grid_id = ? OR g.parent_id = ?)'); params.push(q.gridId, q.gridId); }
  if (q.kind) { where.push('s.kind = ?'); params.push(q.kind); }
  const rows = (await staffRows(em, where.join(' AND '), params)).filter((r) => allowed(p, 'gridStaff.read', { officeId: String(r.office_id), gridId: String(r.grid_id) }));
  return views(em, rows, p.roles.includes('admin'));
}

async function findStaff(em: EntityManager, p: Principal, id: string): Promise<Record<string, unknown>> {
  const [row] = await staffRows(em, 's.id = ?', [id]);
  if (!row || !allowed(p, 'gridStaff.read', { officeId: String(row.office_id), gridId: String(row.grid_id) })) throw errors.notFound('staff member', id);
  return row;
}

async function checkRefs(em: EntityManager, p: Principal, input: { gridId?: string; userId?: string | null; employerId?: string | null }): Promise<void> {
  if (input.gridId && !(await em.findOne(Grid, { where: { id: input.gridId, officeId: p.officeId } }))) {
    throw errors.validation('Unknown grid.', [{ path: 'body.gridId', message: 'no such grid in your office' }]);
  }
  if (input.userId && !((await em.query('SELECT id FROM users WHERE id = ? AND office_id = ?', [input.userId, p.officeId])) as unknown[]).length) {
    throw errors.validation('Unknown user.', [{ path: 'body.userId', message: 'no such user in your office' }]);
  }
  if (input.employerId && !((await em.query('SELECT id FROM employers WHERE id = ? AND office_id = ?', [input.employerId, p.officeId])) as unknown[]).length) {
    throw errors.validation('Unknown employer.', [{ path: 'body.employerId', message: 'no such employer on file in your office' }]);
  }
}

export async function createStaff(em: EntityManager, p: Principal, actor: Actor, now: Date, input: z.infer<typeof createStaffSchema>): Promise<StaffView> {
  authorize(p, 'gridStaffList.create');
  await checkRefs(em, p, input);
  if (input.employerId && input.kind !== 'enterprise_coordinator') throw errors.validation('Only an enterprise coordinator has an employer.', [{ path: 'body.employerId', message: 'only for an enterprise coordinator' }]);
  const id = crypto.randomUUID();
  const t = now.getTime();
  await em.query('INSERT INTO grid_staff (id, office_id, grid_id, kind, name, phone, user_id, employer_id, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)',
    [id, p.officeId, input.gridId, input.kind, input.name, input.phone, input.userId, input.employerId, t, t]);
  await recordAudit(em, actor, now, { action: 'grid.staff.create', entityType: 'grid_staff', entityId: id, after: { ...input, phone: maskPhone(input.phone) } });
  return (await views(em, await staffRows(em, 's.id = ?', [id]), true))[0];
}

export async function updateStaff(em: EntityManager, p: Principal, actor: Actor, now: Date, id: string, input: z.infer<typeof updateStaffSchema>): Promise<StaffView> {
  const row = await findStaff(em, p, id);
  authorize(p, 'gridStaff.manage', { officeId: String(row.office_id), gridId: String(row.grid_id) });
  await checkRefs(em, p, input);
  const kind = input.kind ?? String(row.kind);
  const employerId = input.employerId !== undefined ? input.employerId : (row.employer_id as string | null);
  if (employerId && kind !== 'enterprise_coordinator') throw errors.validation('Only an enterprise coordinator has an employer.', [{ path: 'body.employerId', message: 'only for an enterprise coordinator' }]);
  const sets: string[] = [];
  const params: unknown[] = [];
  const col: Record<string, string> = { gridId: 'grid_id', kind: 'kind', name: 'name', phone: 'phone', userId: 'user_id', employerId: 'employer_id', active: 'active' };
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    sets.push(`${col[k]} = ?`);
    params.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
  }
  await em.query(`UPDATE grid_staff SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ?`, [...params, now.getTime(), id]);
  await recordAudit(em, actor, now, { action: 'grid.staff.update', entityType: 'grid_staff', entityId: id, before: { kind: row.kind, gridId: row.grid_id, name: row.name, active: row.active }, after: { ...input, phone: input.phone === undefined ? undefined : maskPhone(input.phone) } });
  return (await views(em, await staffRows(em, 's.id = ?', [id]), true))[0];
}

export async function addTraining(em: EntityManager, p: Principal, actor: Actor, now: Date, staffId: string, input: z.infer<typeof trainingSchema>): Promise<StaffView> {
  const row = await findStaff(em, p, staffId);
  authorize(p, 'gridStaff.manage', { officeId: String(row.office_id), gridId: String(row.grid_id) });
  if (input.trainedOn > chinaDate(now)) throw errors.validation('The training is in the future.', [{ path: 'body.trainedOn', message: 'not after today' }]);
  const id = crypto.randomUUID();
  await em.query('INSERT INTO grid_staff_training (id, staff_id, course, trained_on, hours_tenths, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [id, staffId, input.course, input.trainedOn, Math.round(input.hours * 10), p.username, now.getTime()]);
  await recordAudit(em, actor, now, { action: 'grid.staff.training', entityType: 'grid_staff', entityId: staffId, after: input });
  return (await views(em, await staffRows(em, 's.id = ?', [staffId]), true))[0];
}
