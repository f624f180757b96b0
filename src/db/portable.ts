/**
 * Column types and SQL fragments that differ between SQLite and MySQL/MariaDB, for migrations and the
 * few raw queries that need them. Times are stored as epoch milliseconds in BIGINT columns everywhere:
 * portable, indexable and free of time-zone conversions in either driver.
 */
import { QueryRunner } from 'typeorm';

export function isMysql(qr: QueryRunner): boolean {
  return qr.connection.options.type === 'mysql';
}

/** Large JSON or text payloads: MySQL's TEXT stops at 64 KiB. */
export function longText(qr: QueryRunner): string {
  return isMysql(qr) ? 'longtext' : 'text';
}

/** Epoch-millisecond timestamps read back from either driver as numbers. */
export const epochMs = {
  from: (v: unknown): number | null => (v === null || v === undefined ? null : Number(v)),
  to: (v: number | null | undefined) => v,
};

/** JSON stored in a text column. */
export const jsonText = {
  from: (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v ?? null),
  to: (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v)),
};

/** Whether a failed statement broke a unique or primary key, on either database. */
export function isUniqueViolation(e: unknown): boolean {
  const d = ((e as { driverError?: unknown }).driverError ?? e) as { code?: string; errno?: number };
  return d.code === 'ER_DUP_ENTRY' || d.errno === 1062 || d.code === 'SQLITE_CONSTRAINT_UNIQUE' || d.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
