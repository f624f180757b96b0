/** Employer files (一户一档): created at intake or by admin, visible by grid. */
import crypto from 'node:crypto';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor, recordAudit } from '../audit/audit';
import { canSeeGrid } from '../auth/policy';
import { Principal } from '../auth/principal';
import { checkCreditCode } from '../cases/credit-code';
import { Employer, Grid } from '../db/entities';
import { errors } from '../errors';

const creditCode = z
  .string()
  .trim()
  .toUpperCase()
  .superRefine((v, ctx) => {
    const r = checkCreditCode(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
  });

export const createEmployerSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  creditCode: creditCode.nullable().default(null),
  address: z.string().trim().min(1).max(300),
  gridId: z.string().uuid(),
  legalRepresentative: z.string().trim().max(100).nullable().default(null),
  phone: z.string().trim().max(40).nullable().default(null),
  headcount: z.number().int().min(0).max(1_000_000).nullable().default(null),
});

export const updateEmployerSchema = createEmployerSchema.partial().strict();

export const searchEmployersSchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  creditCode: z.string().trim().max(18).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** An employer the principal may see, or 404 (never 403: existence must not leak). */
export async function findVisibleEmployer(em: EntityManager, p: Principal, id: string): Promise<Employer> {
  const employer = await em.findOne(Employer, { where: { id } });
  if (!employer || !canSeeGrid(p, employer.officeId, employer.gridId)) throw errors.notFound('employer', id);
  return employer;
}

export async function searchEmployers(em: EntityManager, p: Principal, input: z.infer<typeof searchEmployersSchema>): Promise<Employer[]> {
  const qb = em.createQueryBuilder(Employer, 'e').where('e.office_id = :office', { office: p.officeId }).orderBy('e.name').take(input.limit);
  if (input.q) qb.andWhere('e.name LIKE :q', { q: `%${input.q.replace(/[%_\\]/g, (c) => '\\' + c)}%` });
  if (input.creditCode) qb.andWhere('e.credit_code = :cc', { cc: input.creditCode.toUpperCase() });
  const rows = await qb.getMany();
  return rows.filter((e) => canSeeGrid(p, e.officeId, e.gridId));
}

async function checkGrid(em: EntityManager, p: Principal, gridId: string): Promise<void> {
  const grid = await em.findOne(Grid, { where: { id: gridId, officeId: p.officeId } });
  if (!grid || !canSeeGrid(p, grid.officeId, grid.id)) throw errors.validation('Unknown grid.', [{ path: 'body.gridId', message: 'no such grid among yours' }]);
}

async function checkCreditCodeFree(em: EntityManager, officeId: string, code: string | null, exceptId?: string): Promise<void> {
  if (!code) return;
  const other = await em.findOne(Employer, { where: { officeId, creditCode: code } });
  if (other && other.id !== exceptId) throw errors.conflict('EMPLOYER_EXISTS', `An employer with credit code ${code} is already on file.`, { employerId: other.id });
}

export async function createEmployer(em: EntityManager, p: Principal, actor: Actor, now: Date, input: z.infer<typeof createEmployerSchema>): Promise<Employer> {
  await checkGrid(em, p, input.gridId);
  await checkCreditCodeFree(em, p.officeId, input.creditCode);
  const employer: Employer = Object.assign(new Employer(), { id: crypto.randomUUID(), officeId: p.officeId, ...input, createdAt: now.getTime(), updatedAt: now.getTime() });
  await em.insert(Employer, employer);
  await recordAudit(em, actor, now, { action: 'employer.create', entityType: 'employer', entityId: employer.id, after: employer });
  return employer;
}

export async function updateEmployer(em: EntityManager, p: Principal, actor: Actor, now: Date, id: string, input: z.infer<typeof updateEmployerSchema>): Promise<Employer> {
  const before = await findVisibleEmployer(em, p, id);
  if (input.gridId) await checkGrid(em, p, input.gridId);
  if (input.creditCode !== undefined) await checkCreditCodeFree(em, p.officeId, input.creditCode, id);
  await em.update(Employer, { id }, { ...input, updatedAt: now.getTime() });
  const after = await em.findOneOrFail(Employer, { where: { id } });
  await recordAudit(em, actor, now, { action: 'employer.update', entityType: 'employer', entityId: id, before, after });
  return after;
}
