/**
 * Writing fields of an employer's file with their provenance: each field entered is marked with who
 * collected it and when (employer_fields; entering the same value again confirms it is current), each
 * value that changed gets a history row (employer_changes), and the file's completeness and collection
 * age are recomputed for the collection-rate figures. Every writer of a file (create, update, move,
 * import, placement) goes through `recordFields`.
 */
import { EntityManager, In } from 'typeorm';
import { Employer, EmployerChange, EmployerField } from '../db/entities';
import { EmployerFieldKey, FIELD_BY_KEY, FieldValue, historyText, readField, requiredFields, storeValue } from './fields';
import { indexEmployerText } from './search';

/** Where a value came from: a grid's collection, the intake window, an imported register, admin, an address rule. */
export type FieldSource = 'grid' | 'intake' | 'import' | 'admin' | 'rule';

export interface Collector {
  userId: string | null;
  name: string;
  source: FieldSource;
  /** When the value was collected (epoch ms); defaults to the write time. */
  collectedAt: number;
}

export type FieldChanges = Partial<Record<EmployerFieldKey, FieldValue>>;

/**
 * Applies `changes` to the employer (already in the database as `before`), writing the history and the
 * provenance. Returns the employer as it is afterwards. `now` stamps the history rows.
 */
export async function recordFields(em: EntityManager, before: Employer, changes: FieldChanges, who: Collector, now: number): Promise<Employer> {
  const keys = (Object.keys(changes) as EmployerFieldKey[]).filter((k) => FIELD_BY_KEY.has(k) && changes[k] !== undefined);
  const history: Partial<EmployerChange>[] = [];
  const columns: Record<string, unknown> = {};
  for (const key of keys) {
    const next = changes[key] as FieldValue;
    const old = readField(before, key);
    if (historyText(old) !== historyText(next)) {
      history.push({ employerId: before.id, field: key, oldValue: historyText(old), newValue: historyText(next), changedBy: who.userId, changedByName: who.name, changedAt: now, source: who.source });
      columns[key] = storeValue(key, next);
    }
  }
  if (history.length) await em.insert(EmployerChange, history);
  if (keys.length) {
    // A value entered (changed or confirmed) is collected now by this person; a cleared one has no collector.
    const cleared = keys.filter((k) => changes[k] === null);
    const set = keys.filter((k) => changes[k] !== null);
    if (cleared.length) await em.delete(EmployerField, { employerId: before.id, field: In(cleared) });
    if (set.length) {
      await em.upsert(EmployerField, set.map((field) => ({
        employerId: before.id, field, collectedBy: who.userId, collectedByName: who.name, collectedAt: who.collectedAt, source: who.source,
      })), ['employerId', 'field']);
    }
  }
  const after = Object.assign(new Employer(), before, columns);
  const state = await fileState(em, after);
  await em.update(Employer, { id: before.id }, { ...columns, fileComplete: state.complete ? 1 : 0, fileCollectedAt: state.collectedAt, updatedAt: now });
  // The search grams follow the name and address in the same transaction.
  if ('name' in columns || 'address' in columns) await indexEmployerText(em, before.id, after.name, after.address);
  return Object.assign(after, { fileComplete: state.complete ? 1 : 0, fileCollectedAt: state.collectedAt, updatedAt: now });
}

/**
 * Whether the required fields are all filled, and the oldest of their collection times: a file is as
 * current as its least recently confirmed required field.
 */
export async function fileState(em: EntityManager, e: Employer): Promise<{ complete: boolean; collectedAt: number | null; missing: EmployerFieldKey[] }> {
  const required = requiredFields(e);
  const missing = required.filter((k) => readField(e, k) === null);
  if (missing.length) return { complete: false, collectedAt: null, missing };
  const rows = await em.find(EmployerField, { where: { employerId: e.id, field: In(required) } });
  const times = required.map((k) => rows.find((r) => r.field === k)?.collectedAt ?? null);
  const collectedAt = times.some((t) => t === null) ? null : Math.min(...(times as number[]));
  return { complete: true, collectedAt, missing };
}
