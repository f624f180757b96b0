/**
 * Which kind of deployed resource a key names. DeleteResource and EvaluateDecision take a key alone (as
 * Zeebe's do), so each kind takes its keys from a range of its own: the tables' generated keys start at
 * the range's base (migrations 1700000028200 and 1700000030300 set the counters). Keys handed out before
 * the ranges existed were moved into them; `engine_resource_key_aliases` resolves an old key still kept
 * by a client, where no current resource has it.
 */
import type { EntityManager } from 'typeorm';

/** 2^40 keys a kind: far above any number of versions, and every key stays a safe JavaScript integer. */
export const KEY_RANGE = 1_099_511_627_776;

export type ResourceKind = 'process' | 'form' | 'decision_requirements' | 'decision';

/** The first key of each kind; processes take theirs from 1. */
export const KEY_BASE: Record<ResourceKind, number> = { process: 1, form: KEY_RANGE, decision_requirements: 2 * KEY_RANGE, decision: 3 * KEY_RANGE };

/** The kind whose range holds the key. */
export function kindOfKey(key: number): ResourceKind {
  if (key < KEY_RANGE) return 'process';
  if (key < 2 * KEY_RANGE) return 'form';
  if (key < 3 * KEY_RANGE) return 'decision_requirements';
  return 'decision';
}

/** The keys an old key of these kinds was moved to (none when it was never moved). */
export async function movedKeys(em: EntityManager, oldKey: number, kinds: ResourceKind[]): Promise<Array<{ kind: ResourceKind; key: number }>> {
  if (!kinds.length) return [];
  const rows = (await em.query(
    `SELECT kind, new_key FROM engine_resource_key_aliases WHERE old_key = ? AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY kind`,
    [oldKey, ...kinds])) as Array<{ kind: ResourceKind; new_key: number | string }>;
  return rows.map((r) => ({ kind: r.kind, key: Number(r.new_key) }));
}
