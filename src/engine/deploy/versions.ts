/**
 * What every versioned resource of the engine shares when it is stored: processes, forms, decision
 * graphs and decisions are numbered per id (the next version after the newest), written with the same
 * retry when a concurrent deployment took that number first, and never change once written, so what is
 * compiled from a version is kept per database and key.
 */
import crypto from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../db/portable';

/** The id column of each versioned table. */
const ID_COLUMN = {
  engine_process_definitions: 'bpmn_process_id',
  engine_forms: 'form_id',
  engine_decision_requirements: 'drg_id',
  engine_decisions: 'decision_id',
} as const;

export type VersionedTable = keyof typeof ID_COLUMN;

/** What a deployment compares with the newest stored version of a resource it brings again. */
export interface LatestResource {
  key: number | string;
  version: number | string;
  checksum: string;
  /** Set when DeleteResource deleted the version (runtime/commands/delete-resource.ts). */
  deleted_at: number | string | null;
}

export const LATEST_RESOURCE_COLUMNS = '`key`, version, checksum, deleted_at';

/**
 * The newest stored version of `id` in `table` (the `columns` named), or undefined. `locked` reads it
 * FOR UPDATE on MySQL: after a lost race the plain read may still show the old snapshot, a locking
 * read sees the winner.
 */
export async function latestVersion<R extends { version: number | string }>(
  em: EntityManager, table: VersionedTable, id: string, columns: string, locked: boolean,
): Promise<R | undefined> {
  const forUpdate = locked && em.connection.options.type === 'mysql' ? ' FOR UPDATE' : '';
  const rows = (await em.query(`SELECT ${columns} FROM ${table} WHERE ${ID_COLUMN[table]} = ? ORDER BY version DESC LIMIT 1${forUpdate}`, [id])) as R[];
  return rows[0];
}

/** The version a new resource of that id gets. */
export function nextVersion(latest: { version: number | string } | undefined): number {
  return latest ? Number(latest.version) + 1 : 1;
}

/**
 * Runs `store` again, with locking reads, when its insert lost the version number to a concurrent
 * deployment (a unique violation); the fifth loss is thrown.
 */
export async function retryLostVersion<T>(store: (lockedRead: boolean) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store(attempt > 0);
    } catch (e) {
      if (attempt >= 4 || !isUniqueViolation(e)) throw e;
    }
  }
}

/** A resource's checksum: an unchanged resource is no new version (Zeebe's duplicate rule). */
export function checksumOf(content: string): string {
  return crypto.createHash('sha256').update(content, 'utf8').digest('hex');
}

/** The generated key of a raw INSERT: mysql2 answers a result header, better-sqlite3 the row id. */
export function insertedKey(result: unknown): string {
  if (typeof result === 'number' || typeof result === 'bigint') return String(result);
  const insertId = (result as { insertId?: number | string } | null)?.insertId;
  if (insertId !== undefined) return String(insertId);
  throw new Error('The database did not report the generated key.');
}

/**
 * What is compiled from stored versions, once per database (tests open several at once) and key; a
 * failed load (a missing key, a rolled-back transaction) is not kept, so the next call tries again.
 */
export class CompiledPerVersion<T> {
  private readonly perDb = new WeakMap<DataSource, Map<string, Promise<T>>>();

  get(em: EntityManager, key: string, load: () => Promise<T>): Promise<T> {
    let loaded = this.perDb.get(em.connection);
    if (!loaded) {
      loaded = new Map();
      this.perDb.set(em.connection, loaded);
    }
    const hit = loaded.get(key);
    if (hit) return hit;
    const loading = load();
    loaded.set(key, loading);
    const forget = loaded;
    loading.catch(() => forget.delete(key));
    return loading;
  }
}
