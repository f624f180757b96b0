/** Employer files (一户一档): created at intake or by admin, visible by grid. */
import crypto from 'node:crypto';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor, recordAudit } from '../audit/audit';
import { allowed, authorize, decide } from '../auth/policy';
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
  if (!employer || decide(p, 'employer.read', employer) === 'hidden') throw errors.notFound('employer', id);
  return employer;
}

export async function searchEmployers(em: EntityManager, p: Principal, input: z.infer<typeof searchEmployersSchema>): Promise<Employer[]> {
  const qb = em.createQueryBuilder(Employer, 'e').where('e.office_id = :office', { office: p.officeId }).orderBy('e.name').take(input.limit);
  if (input.q) qb.andWhere('e.name LIKE :q', { q: `%${input.q.replace(/[%_\\]/g, (c) => '\\' + c)}%` });
  if (input.creditCode) qb.andWhere('e.credit_code = :cc', { cc: input.creditCode.toUpperCase() });
  const rows = await qb.getMany();
  return rows.filter((e) => allowed(p, 'employer.read', e));
}

async function checkGrid(em: EntityManager, p: Principal, gridId: string): Promise<void> {
  const grid = await em.findOne(Grid, { where: { id: gridId, officeId: p.officeId } });
  if (!grid || !allowed(p, 'employers.placeIn', grid)) throw errors.validation('Unknown grid.', [{ path: 'body.gridId', message: 'no such grid among yours' }]);
}

/** A credit code is on file once per office; the existing file's id is told only to who may see it. */
async function checkCreditCodeFree(em: EntityManager, p: Principal, code: string | null, exceptId?: string): Promise<void> {
  if (!code) return;
  const other = await em.findOne(Employer, { where: { officeId: p.officeId, creditCode: code } });
  if (!other || other.id === exceptId) return;
  if (allowed(p, 'employer.read', other)) throw errors.conflict('EMPLOYER_EXISTS', `An employer with credit code ${code} is already on file.`, { employerId: other.id });
  throw errors.conflict('EMPLOYER_EXISTS', `An employer with credit code ${code} is already on file, in another grid; ask its grid or the intake window.`);
}

export async function createEmployer(em: EntityManager, p: Principal, actor: Actor, now: Date, input: z.infer<typeof createEmployerSchema>): Promise<Employer> {
  authorize(p, 'employers.create');
  await checkGrid(em, p, input.gridId);
  await checkCreditCodeFree(em, p, input.creditCode);
  const employer: Employer = Object.assign(new Employer(), { id: crypto.randomUUID(), officeId: p.officeId, ...input, createdAt: now.getTime(), updatedAt: now.getTime() });
  await em.insert(Employer, employer);
  await recordAudit(em, actor, now, { action: 'employer.create', entityType: 'employer', entityId: employer.id, after: employer });
  return employer;
}

export async function updateEmployer(em: EntityManager, p: Principal, actor: Actor, now: Date, id: string, input: z.infer<typeof updateEmployerSchema>): Promise<Employer> {
  const before = await findVisibleEmployer(em, p, id);
  authorize(p, 'employer.update', before);
  if (input.gridId) await checkGrid(em, p, input.gridId);
  if (input.creditCode !== undefined) await checkCreditCodeFree(em, p, input.creditCode, id);
  await em.update(Employer, { id }, { ...input, updatedAt: now.getTime() });
  const after = await em.findOneOrFail(Employer, { where: { id } });
  await recordAudit(em, actor, now, { action: 'employer.update', entityType: 'employer', entityId: id, before, after });
  return after;
}
