/**
 * Fewer round trips for MySQL/MariaDB transactions whose statements are mostly writes nobody waits for
 * (the engine's steps). On MySQL a transaction's cost is mostly round trips: a step used to send
 * START TRANSACTION, its reads, each write and COMMIT one by one. Here:
 *
 * - a write whose answer is not needed (`defer`) waits in the transaction's queue and goes out with the
 *   next statement that must be sent (a read, a write whose answer is needed, or COMMIT), as one
 *   multi-statement query;
 * - START TRANSACTION waits in the queue too, so it goes out with the transaction's first read.
 *
 * The statements run in the order they were issued, so reads see every earlier write. A queued write
 * that fails fails the statement it went out with, and the transaction rolls back as a whole.
 * Statements sent through TypeORM's own query runner (a worker's writes in the step) send the queue
 * first. This needs `multipleStatements` on the pool (data-source.ts): every statement of the service
 * takes its values as `?` parameters, never spliced into the text.
 */
import { DataSource, EntityManager, QueryFailedError, QueryRunner, QueryRunnerAlreadyReleasedError } from 'typeorm';

interface Queued {
  sql: string;
  params: unknown[];
  /** Receives the statement's answer once it has been sent. */
  then?: (raw: unknown) => void;
  /** Gives the statement's text and values at the moment it is sent (see `deferOpen`). */
  build?: () => { sql: string; params: unknown[] };
  /** Set once the statement has left the queue. */
  sent?: boolean;
}

/** A queued write that its owner may still change until `sent` turns true. */
export interface OpenWrite {
  readonly sent: boolean;
}

interface MysqlCallbackConnection {
  query(sql: string, params: unknown[], cb: (err: Error | null, raw: unknown) => void): void;
}

const queues = new WeakMap<QueryRunner, Queued[]>();

/**
 * Sends `sql` on the query runner's own connection, after the statements queued before it, in one
 * round trip; answers `sql`'s own result.
 */
export async function mysqlQuery(qr: QueryRunner, sql: string, params: unknown[]): Promise<unknown> {
  const [answer] = await mysqlQueries(qr, [{ sql, params }]);
  return answer;
}

/**
 * Sends the queued statements and then `statements` in one round trip; answers the results of
 * `statements`. mysql2's callback interface is used directly: TypeORM's path goes through mysql2's
 * promise wrapper, which captures a stack trace per statement, a measurable share of a step's CPU
 * time. Logging and errors stay TypeORM's.
 */
export async function mysqlQueries(qr: QueryRunner, statements: Array<{ sql: string; params: unknown[] }>): Promise<unknown[]> {
  if (qr.isReleased) throw new QueryRunnerAlreadyReleasedError();
  const queued = queues.get(qr)?.splice(0) ?? [];
  for (const q of queued) {
    if (q.build) ({ sql: q.sql, params: q.params } = q.build());
    q.sent = true;
  }
  const all = [...queued, ...statements];
  const text = all.length === 1 ? all[0].sql : all.map((q) => q.sql).join(';\n');
  const values = all.length === 1 ? all[0].params : all.flatMap((q) => q.params);
  const conn = (await qr.connect()) as MysqlCallbackConnection;
  qr.connection.logger.logQuery(text, values, qr);
  const raw = await new Promise<unknown>((resolve, reject) => {
    conn.query(text, values, (err, r) => {
      if (!err) return resolve(r);
      qr.connection.logger.logQueryError(err, text, values, qr);
      reject(new QueryFailedError(text, values, err));
    });
  });
  if (all.length === 1) return [raw];
  const answers = raw as unknown[];
  queued.forEach((q, i) => q.then?.(answers[i]));
  return answers.slice(queued.length);
}

/**
 * Queues a write whose answer the caller does not wait for, if `em` is in a batched transaction;
 * `then` receives the answer once sent. Answers false when there is no queue (SQLite, which has no
 * round trips, or an ordinary transaction): the caller then runs the statement itself.
 */
export function defer(em: EntityManager, sql: string, params: unknown[], then?: (raw: unknown) => void): boolean {
  const queue = em.queryRunner && queues.get(em.queryRunner);
  if (!queue) return false;
  queue.push({ sql, params, then });
  return true;
}

/**
 * Queues a write whose text and values are asked of `build` only when it is sent, so that its owner
 * can add rows to it or change them until then (the engine folds a step's element-instance writes
 * into one statement this way). Answers null when there is no queue, as `defer` answers false.
 */
export function deferOpen(em: EntityManager, build: () => { sql: string; params: unknown[] }): OpenWrite | null {
  const queue = em.queryRunner && queues.get(em.queryRunner);
  if (!queue) return null;
  const q: Queued = { sql: '', params: [], build };
  queue.push(q);
  return q as OpenWrite;
}

/** Sends what is queued, if anything. */
async function flush(qr: QueryRunner): Promise<void> {
  const queue = queues.get(qr);
  if (queue?.length) await mysqlQuery(qr, 'DO 0', []);
}

interface TypeormTxState { isTransactionActive: boolean; transactionDepth: number }

/**
 * One attempt of a MySQL transaction with queued statements (see the module comment); the caller
 * retries deadlocks. The query runner looks to TypeORM like one in a transaction, so a worker's
 * repository writes join it, and a nested transaction would become a savepoint.
 */
export async function batchedMysqlTransaction<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>): Promise<T> {
  const qr = ds.createQueryRunner();
  const state = qr as unknown as TypeormTxState;
  const begin: Queued = { sql: 'START TRANSACTION', params: [] };
  const queue: Queued[] = [begin];
  queues.set(qr, queue);
  const typeormQuery = qr.query.bind(qr);
  qr.query = (async (...args: Parameters<QueryRunner['query']>) => {
    await flush(qr);
    return typeormQuery(...args);
  }) as QueryRunner['query'];
  state.isTransactionActive = true;
  state.transactionDepth = 1;
  try {
    const result = await work(qr.manager);
    await mysqlQuery(qr, 'COMMIT', []);
    return result;
  } catch (e) {
    // Once START TRANSACTION has left the queue the transaction may have begun, even when the batch
    // it went out with failed part-way.
    queues.delete(qr);
    try {
      if (queue[0] !== begin) await typeormQuery('ROLLBACK');
    } catch {
      // The connection is broken; the server rolls back when it goes. Do not reuse it.
      (qr as unknown as { databaseConnection?: { destroy?: () => void } }).databaseConnection?.destroy?.();
    }
    throw e;
  } finally {
    queues.delete(qr);
    state.isTransactionActive = false;
    state.transactionDepth = 0;
    await qr.release();
  }
}
