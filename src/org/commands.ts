/** Managing users and grids (admin). Each change is audited in its own transaction. */
import crypto from 'node:crypto';
import { EntityManager, In } from 'typeorm';
import { z } from 'zod';
import { recordAudit, Actor } from '../audit/audit';
import { assertStrongPassword, hashPassword } from '../auth/passwords';
import { endSessionsOf } from '../auth/sessions';
import { Principal } from '../auth/principal';
import { Employer, Grid, ROLES, Role, User, UserEmployer, UserGrid, UserRole } from '../db/entities';
import { errors } from '../errors';
import { isRoleName } from '../auth/principal';

export const createUserSchema = z.strictObject({
  username: z.string().regex(/^[a-z][a-z0-9_.-]{1,63}$/, 'lower-case letters, digits, _ . -, starting with a letter'),
  displayName: z.string().trim().min(1).max(100),
  // Strength is the password policy's (assertStrongPassword: 400 WEAK_PASSWORD), not a schema rule.
  password: z.string().min(1).max(200),
  roles: z.array(z.enum(ROLES)).min(1),
  gridIds: z.array(z.string().uuid()).default([]),
  /** For an enterprise coordinator (企业协管员): the employer they report for. */
  employerIds: z.array(z.string().uuid()).max(10).default([]),
});

export const updateUserSchema = z.strictObject({
  displayName: z.string().trim().min(1).max(100).optional(),
  password: z.string().min(1).max(200).optional(),
  roles: z.array(z.enum(ROLES)).min(1).optional(),
  gridIds: z.array(z.string().uuid()).optional(),
  employerIds: z.array(z.string().uuid()).max(10).optional(),
  active: z.boolean().optional(),
  /** Where mail for the user's role reaches them; null removes it. */
  email: z.email().max(254).nullable().optional(),
});

export const createGridSchema = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -'),
  name: z.string().trim().min(1).max(200),
  parentId: z.string().uuid().nullable().default(null),
});

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  officeId: string;
  active: boolean;
  roles: Role[];
  gridIds: string[];
  /** Employers the user reports for as enterprise coordinator. */
  employerIds: string[];
  email: string | null;
}

export async function userView(em: EntityManager, user: User): Promise<UserView> {
  const roles = (await em.find(UserRole, { where: { userId: user.id } })).map((r) => r.role).sort();
  const gridIds = (await em.find(UserGrid, { where: { userId: user.id } })).map((g) => g.gridId).sort();
  const employerIds = (await em.find(UserEmployer, { where: { userId: user.id } })).map((e) => e.employerId).sort();
  // The address column came with the mail directory and is not mapped on the entity: read it directly.
  const [row] = (await em.query('SELECT email FROM users WHERE id = ?', [user.id])) as { email: string | null }[];
  return { id: user.id, username: user.username, displayName: user.displayName, officeId: user.officeId, active: user.active, roles, gridIds, employerIds, email: row?.email ?? null };
}

async function checkGrids(em: EntityManager, officeId: string, gridIds: string[]): Promise<void> {
  if (!gridIds.length) return;
  const found = await em.count(Grid, { where: { id: In(gridIds), officeId } });
  if (found !== new Set(gridIds).size) throw errors.validation('Unknown grid.', [{ path: 'body.gridIds', message: 'every grid must belong to your office' }]);
}

async function checkEmployers(em: EntityManager, officeId: string, employerIds: string[]): Promise<void> {
  if (!employerIds.length) return;
  const found = await em.count(Employer, { where: { id: In(employerIds), officeId } });
  if (found !== new Set(employerIds).size) throw errors.validation('Unknown employer.', [{ path: 'body.employerIds', message: 'every employer must be on file in your office' }]);
}

/**
 * Whether a username is taken, ignoring case: SQLite compares exactly and MySQL ignores case and
 * trailing spaces, so the rule is made the same on both here. Logins compare exactly (sessions.ts).
 */
export async function usernameTaken(em: EntityManager, username: string): Promise<boolean> {
  const rows = (await em.query('SELECT id FROM users WHERE LOWER(username) = ?', [username.toLowerCase()])) as unknown[];
  return rows.length > 0;
}

/** Creates a user; `by` may be a system caller (the admin:create command) naming only the office. */
export async function createUser(em: EntityManager, by: Pick<Principal, 'officeId'>, actor: Actor, now: Date, input: z.infer<typeof createUserSchema>): Promise<UserView> {
  assertStrongPassword(input.password, input.username);
  if (await usernameTaken(em, input.username)) {
    throw errors.conflict('USERNAME_TAKEN', `The username ${input.username} is taken.`);
  }
  await checkGrids(em, by.officeId, input.gridIds);
  await checkEmployers(em, by.officeId, input.employerIds);
  const user: User = Object.assign(new User(), {
    id: crypto.randomUUID(), officeId: by.officeId, username: input.username, displayName: input.displayName,
    passwordHash: await hashPassword(input.password), active: true, createdAt: now.getTime(), updatedAt: now.getTime(),
  });
  await em.insert(User, user);
  for (const role of new Set(input.roles)) await em.insert(UserRole, { userId: user.id, role });
  for (const gridId of new Set(input.gridIds)) await em.insert(UserGrid, { userId: user.id, gridId });
  for (const employerId of new Set(input.employerIds)) await em.insert(UserEmployer, { userId: user.id, employerId });
  const view = await userView(em, user);
  await recordAudit(em, actor, now, { action: 'user.create', entityType: 'user', entityId: user.id, after: view });
  return view;
}

export async function updateUser(em: EntityManager, by: Principal, actor: Actor, now: Date, id: string, input: z.infer<typeof updateUserSchema>): Promise<UserView> {
  const user = await em.findOne(User, { where: { id, officeId: by.officeId } });
  if (!user) throw errors.notFound('user', id);
  const before = await userView(em, user);
  if (input.active === false && user.id === by.userId) throw errors.conflict('CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account.');
  if (input.password !== undefined) assertStrongPassword(input.password, user.username);
  if (input.gridIds) await checkGrids(em, by.officeId, input.gridIds);
  if (input.employerIds) await checkEmployers(em, by.officeId, input.employerIds);
  const changes: Partial<User> = { updatedAt: now.getTime() };
  if (input.displayName !== undefined) changes.displayName = input.displayName;
  if (input.active !== undefined) changes.active = input.active;
  if (input.password !== undefined) changes.passwordHash = await hashPassword(input.password);
  await em.update(User, { id }, changes);
  // A new password or a deactivation ends every session of the user, so a cookie taken before
  // cannot be used with the new password, nor again after a reactivation.
  if (input.password !== undefined || input.active === false) await endSessionsOf(em, id);
  if (input.email !== undefined) await em.query('UPDATE users SET email = ? WHERE id = ?', [input.email, id]);
  if (input.roles) {
    await em.delete(UserRole, { userId: id });
    for (const role of new Set(input.roles)) await em.insert(UserRole, { userId: id, role });
  }
  if (input.gridIds) {
    await em.delete(UserGrid, { userId: id });
    for (const gridId of new Set(input.gridIds)) await em.insert(UserGrid, { userId: id, gridId });
  }
  if (input.employerIds) {
    await em.delete(UserEmployer, { userId: id });
    for (const employerId of new Set(input.employerIds)) await em.insert(UserEmployer, { userId: id, employerId });
  }
  const after = await userView(em, (await em.findOneOrFail(User, { where: { id } })));
  await recordAudit(em, actor, now, { action: input.password ? 'user.update+password' : 'user.update', entityType: 'user', entityId: id, before, after });
  return after;
}

export async function createGrid(em: EntityManager, by: Principal, actor: Actor, now: Date, input: z.infer<typeof createGridSchema>): Promise<Grid> {
  // Grid codes and role names are both candidate groups of user tasks: a grid named like a role would
  // hand that role's tasks to the grid's members.
  if (isRoleName(input.code)) {
    throw errors.badRequest('GRID_CODE_RESERVED', `The grid code ${input.code} is a role name; choose another.`, [{ path: 'body.code', message: 'a role name cannot be a grid code' }]);
  }
  if (await em.findOne(Grid, { where: { code: input.code } })) throw errors.conflict('GRID_CODE_TAKEN', `The grid code ${input.code} is taken.`);
  let level = 1;
  if (input.parentId) {
    const parent = await em.findOne(Grid, { where: { id: input.parentId, officeId: by.officeId } });
    if (!parent) throw errors.validation('Unknown parent grid.', [{ path: 'body.parentId', message: 'no such grid in your office' }]);
    if (parent.level !== 1) throw errors.validation('Communities sit under streets.', [{ path: 'body.parentId', message: 'the parent must be a level-1 grid (street)' }]);
    level = 2;
  }
  const grid: Grid = Object.assign(new Grid(), { id: crypto.randomUUID(), officeId: by.officeId, parentId: input.parentId, level, code: input.code, name: input.name, createdAt: now.getTime() });
  await em.insert(Grid, grid);
  await recordAudit(em, actor, now, { action: 'grid.create', entityType: 'grid', entityId: grid.id, after: grid });
  return grid;
}
