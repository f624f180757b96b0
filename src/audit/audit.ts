/**
 * The append-only audit log: who, when, what, before and after. Written with the entity manager of
 * the change it records, so both commit or neither does.
 */
import { EntityManager } from 'typeorm';
import { AuditEntry } from '../db/entities';

export interface Actor {
  userId: string | null;
  name: string;
  requestId?: string;
}

export const systemActor = (name = 'system'): Actor => ({ userId: null, name });

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  caseId?: string | null;
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(em: EntityManager, actor: Actor, at: Date, rec: AuditRecord): Promise<void> {
  await em.insert(AuditEntry, {
    at: at.getTime(),
    actorId: actor.userId,
    actorName: actor.name,
    action: rec.action,
    entityType: rec.entityType,
    entityId: rec.entityId,
    caseId: rec.caseId ?? null,
    requestId: actor.requestId ?? null,
    before: (rec.before ?? null) as object | null,
    after: (rec.after ?? null) as object | null,
  });
}

export async function auditTrail(em: EntityManager, filter: { entityType?: string; entityId?: string; caseId?: string; limit?: number }) {
  const qb = em.createQueryBuilder(AuditEntry, 'a').orderBy('a.id', 'DESC').take(filter.limit ?? 100);
  if (filter.entityType) qb.andWhere('a.entity_type = :t', { t: filter.entityType });
  if (filter.entityId) qb.andWhere('a.entity_id = :i', { i: filter.entityId });
  if (filter.caseId) qb.andWhere('a.case_id = :c', { c: filter.caseId });
  return qb.getMany();
}
