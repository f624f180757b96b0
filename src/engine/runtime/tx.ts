/**
 * Transactions for engine steps. On SQLite, TypeORM's better-sqlite3 driver has a single connection, so
 * two transactions running at once in one process would interleave on it: every transaction of the
 * process must go through `serialTransaction`. On MySQL/MariaDB steps run at READ COMMITTED, so that
 * after an instance's row lock is taken every statement sees what the previous holder committed.
 */
import { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../db/data-source';
import { defer, mysqlQueries, mysqlQuery } from '../../db/statement-batch';

export { retryStats } from '../../db/data-source';

export function isMysqlDs(ds: DataSource): boolean {
  return ds.options.type === 'mysql';
}

export function isDuplicateKey(e: unknown): boolean {
  const err = e as { driverError?: { errno?: number; code?: string }; errno?: number; code?: string };
  const errno = err.driverError?.errno ?? err.errno;
  const code = err.driverError?.code ?? err.code;
  return errno === 1062 || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs `work` in one transaction (see inTransaction: READ COMMITTED on MySQL, retried on deadlocks),
 * batched: statements issued with `later` go out with the next one that is sent.
 */
export function serialTransaction<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return inTransaction(ds, work, { batched: true });
}

export interface ExecResult {
  affected: number;
  insertId: number;
}

/** A data-changing statement; answers affected rows and the generated key on both drivers. */
export async function exec(em: EntityManager, sql: string, params: unknown[] = []): Promise<ExecResult> {
  const qr = em.queryRunner;
  if (!qr) throw new Error('engine statements run inside a transaction');
  if (isMysqlDs(qr.connection)) {
    const raw = (await mysqlQuery(qr, sql, params)) as { affectedRows?: number; insertId?: number };
    return { affected: raw.affectedRows ?? 0, insertId: Number(raw.insertId ?? 0) };
  }
  const r = (await qr.query(sql, params, true)) as { raw: unknown; affected?: number };
  return { affected: r.affected ?? 0, insertId: Number(r.raw ?? 0) };
}

/**
 * A data-changing statement whose answer the step does not wait for: on MySQL it goes out with the
 * next statement sent (statement-batch.ts); `then` receives its answer then.
 */
export async function later(em: EntityManager, sql: string, params: unknown[] = [], then?: (r: ExecResult) => void): Promise<void> {
  const queued = defer(em, sql, params, then && ((raw) => {
    const r = raw as { affectedRows?: number; insertId?: number };
    then({ affected: r.affectedRows ?? 0, insertId: Number(r.insertId ?? 0) });
  }));
  if (queued) return;
  const r = await exec(em, sql, params);
  then?.(r);
}

export async function select<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const qr = em.queryRunner;
  if (qr && isMysqlDs(qr.connection)) return (await mysqlQuery(qr, sql, params)) as T[];
  return (await em.query(sql, params)) as T[];
}

/** Several reads in one round trip on MySQL (one after the other elsewhere); answers each one's rows. */
export async function selectAll(em: EntityManager, statements: Array<{ sql: string; params: unknown[] }>): Promise<unknown[][]> {
  const qr = em.queryRunner;
  if (qr && isMysqlDs(qr.connection)) return (await mysqlQueries(qr, statements)) as unknown[][];
  const out: unknown[][] = [];
  for (const st of statements) out.push((await em.query(st.sql, st.params)) as unknown[]);
  return out;
}

export function emIsMysql(em: EntityManager): boolean {
  return em.connection.options.type === 'mysql';
}
