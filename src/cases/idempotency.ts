/**
 * Idempotent complaint registration: POST /api/complaints with an `Idempotency-Key` header records the
 * key with the case in the registration's transaction. The same user sending the same key again gets
 * the first case back instead of a second registration; two sends at once cannot both register,
 * because the key is the table's primary key.
 */
import type { EntityManager } from 'typeorm';
import { insertRow } from './store';

export interface RememberedRegistration {
  caseId: string;
  processInstanceKey: string;
}

/** Letters, digits, `-` and `_`, as clients' UUIDs and random tokens are. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,100}$/;

export async function findRegistration(em: EntityManager, userId: string, key: string): Promise<RememberedRegistration | null> {
  const [r] = (await em.query('SELECT case_id, process_instance_key FROM complaint_idempotency_keys WHERE user_id = ? AND idempotency_key = ?', [userId, key])) as
    { case_id: string; process_instance_key: string }[];
  return r ? { caseId: String(r.case_id), processInstanceKey: String(r.process_instance_key) } : null;
}

export async function rememberRegistration(em: EntityManager, userId: string, key: string, r: RememberedRegistration, now: number): Promise<void> {
  await insertRow(em, 'complaint_idempotency_keys', { user_id: userId, idempotency_key: key, case_id: r.caseId, process_instance_key: r.processInstanceKey, created_at: now });
}
