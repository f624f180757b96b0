/**
 * Transactions for engine steps. On SQLite, TypeORM's better-sqlite3 driver has a single connection, so
 * two transactions running at once in one process would interleave on it: every transaction of the
 * process must go through `serialTransaction`. On MySQL/MariaDB steps run at READ COMMITTED, so that
 * after an instance's row lock is taken every statement sees what the previous holder committed.
 */
import { DataSource, EntityManager, QueryFailedError, QueryRunner, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { inTransaction } from '../../db/data-source';

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

/** Runs `work` in one transaction (see inTransaction: READ COMMITTED on MySQL, retried on deadlocks). */
export function serialTransaction<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  return inTransaction(ds, work);
}

export interface ExecResult {
  affected: number;
  insertId: number;
}

interface MysqlCallbackConnection {
  query(sql: string, params: unknown[], cb: (err: Error | null, raw: unknown) => void): void;
}

/**
 * A statement of a step on MySQL, sent through the query runner's own connection with mysql2's
 * callback interface: TypeORM's path goes through mysql2's promise wrapper, which captures a stack
 * trace per statement, a measurable share of a step's CPU time. Logging and errors stay TypeORM's.
 */
async function mysqlQuery(qr: QueryRunner, sql: string, params: unknown[]): Promise<unknown> {
  if (qr.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const conn = (await qr.connect()) as MysqlCallbackConnection;
  qr.connection.logger.logQuery(sql, params, qr);
  return new Promise((resolve, reject) => {
    conn.query(sql, params, (err, raw) => {
      if (!err) return resolve(raw);
      qr.connection.logger.logQueryError(err, sql, params, qr);
      reject(new QueryFailedError(sql, params, err));
    });
  });
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

export async function select<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  const qr = em.queryRunner;
  if (qr && isMysqlDs(qr.connection)) return (await mysqlQuery(qr, sql, params)) as T[];
  return (await em.query(sql, params)) as T[];
}

export function emIsMysql(em: EntityManager): boolean {
  return em.connection.options.type === 'mysql';
}
