/**
 * The one data source of the service: a SQLite file (better-sqlite3) by default, MySQL 8 / MariaDB
 * through mysql2 when a mysql:// URL is given. The schema comes only from the migrations in
 * `migrations/` (never `synchronize`), and the same migrations run on both.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import mysql2 from 'mysql2';
import { DataSource, EntityManager } from 'typeorm';
import { migrations } from '../../migrations';
import { entities } from './entities';
import { batchedMysqlTransaction } from './statement-batch';

export type DbKind = 'sqlite' | 'mysql';

export interface DataSourceOptions {
  /** mysql:// URL; when absent the SQLite file at sqlitePath is used. */
  databaseUrl?: string;
  sqlitePath?: string;
  poolSize?: number;
  logging?: boolean;
}

export function createDataSource(opts: DataSourceOptions): DataSource {
  const common = { entities, migrations, synchronize: false, migrationsTransactionMode: 'all' as const, logging: opts.logging ?? false };
  if (opts.databaseUrl) {
    return new DataSource({
      ...common,
      type: 'mysql',
      url: opts.databaseUrl,
      charset: MYSQL_COLLATION,
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      poolSize: opts.poolSize ?? 8,
      driver: readCommittedMysql,
      // The engine sends a step's writes together with its next statement (statement-batch.ts). Safe
      // because every statement takes its values as `?` parameters, never spliced into the text.
      multipleStatements: true,
    });
  }
  const file = opts.sqlitePath ?? ':memory:';
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  return new DataSource({
    ...common,
    type: 'better-sqlite3',
    database: file,
    enableWAL: file !== ':memory:',
    // WAL plus a busy timeout lets the HTTP server, the workers and a second process share the file.
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
    },
  });
}

/** Isolation level of every MySQL connection of the service; see `inTransaction`. */
const SESSION_ISOLATION = 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED';

/**
 * mysql2 as TypeORM loads it, except that each pooled connection is set to READ COMMITTED once, when it
 * is opened, instead of a SET TRANSACTION round trip before every transaction. A connection runs its
 * commands in order, so the SET precedes anything the pool hands it out for; a connection whose SET
 * failed is destroyed rather than used at the server's default level.
 */
const readCommittedMysql = {
  ...mysql2,
  createPool(config: mysql2.PoolOptions) {
    const pool = mysql2.createPool(config);
    pool.on('connection', (conn) => {
      conn.query(SESSION_ISOLATION, (err) => {
        if (err) conn.destroy();
      });
    });
    return pool;
  },
};

export function dbKind(ds: DataSource): DbKind {
  return ds.options.type === 'mysql' ? 'mysql' : 'sqlite';
}

/** Opens the data source and brings the schema up to date. */
export async function openDatabase(opts: DataSourceOptions): Promise<DataSource> {
  const ds = createDataSource(opts);
  await ds.initialize();
  if (dbKind(ds) === 'mysql') await useConnectionCharset(ds, 'before');
  await ds.runMigrations({ transaction: 'all' });
  if (dbKind(ds) === 'mysql') await useConnectionCharset(ds, 'after');
  return ds;
}

/** The character set and collation of every connection (createDataSource) and of every table. */
export const MYSQL_CHARSET = 'utf8mb4';
export const MYSQL_COLLATION = 'utf8mb4_unicode_ci';

/**
 * Tables take the database's default character set, which for a plain `CREATE DATABASE x` is the
 * server's (latin1 on many servers: Chinese text is refused; utf8mb4_general_ci on MariaDB 10.11:
 * comparing a column with text computed on the connection fails with "Illegal mix of collations").
 * Before the migrations the database default is set to the connection's; after them any table still
 * in another character set or collation (made by an earlier start) is converted.
 */
async function useConnectionCharset(ds: DataSource, when: 'before' | 'after'): Promise<void> {
  if (when === 'before') {
    const [schema] = (await ds.query(
      'SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()')) as { name: string; cs: string; co: string }[];
    if (schema && (schema.cs !== MYSQL_CHARSET || schema.co !== MYSQL_COLLATION)) {
      await ds.query(`ALTER DATABASE \`${schema.name.replace(/`/g, '``')}\` CHARACTER SET ${MYSQL_CHARSET} COLLATE ${MYSQL_COLLATION}`);
    }
    return;
  }
  const tables = (await ds.query(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND (TABLE_COLLATION IS NULL OR TABLE_COLLATION <> ?)",
    [MYSQL_COLLATION])) as { name: string }[];
  if (!tables.length) return;
  const converting = new Set(tables.map((t) => t.name));
  const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;
  // MariaDB will not change the collation of a column a foreign key joins, not even with the checks
  // off: the keys touching these tables are dropped, the tables converted, and the keys made again.
  const keyColumns = (await ds.query(
    `SELECT rc.CONSTRAINT_NAME AS name, rc.TABLE_NAME AS tbl, rc.REFERENCED_TABLE_NAME AS ref, rc.UPDATE_RULE AS upd, rc.DELETE_RULE AS del,
            k.COLUMN_NAME AS col, k.REFERENCED_COLUMN_NAME AS refCol
       FROM information_schema.REFERENTIAL_CONSTRAINTS rc
       JOIN information_schema.KEY_COLUMN_USAGE k
         ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = rc.TABLE_NAME
      WHERE rc.CONSTRAINT_SCHEMA = DATABASE()
      ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION`)) as { name: string; tbl: string; ref: string; upd: string; del: string; col: string; refCol: string }[];
  const keys = new Map<string, { name: string; tbl: string; ref: string; upd: string; del: string; cols: string[]; refCols: string[] }>();
  for (const r of keyColumns) {
    if (!converting.has(r.tbl) && !converting.has(r.ref)) continue;
    const id = `${r.tbl}\u0000${r.name}`;
    const k = keys.get(id) ?? { name: r.name, tbl: r.tbl, ref: r.ref, upd: r.upd, del: r.del, cols: [], refCols: [] };
    k.cols.push(r.col);
    k.refCols.push(r.refCol);
    keys.set(id, k);
  }
  const qr = ds.createQueryRunner();
  try {
    await qr.query('SET FOREIGN_KEY_CHECKS = 0');
    for (const k of keys.values()) await qr.query(`ALTER TABLE ${q(k.tbl)} DROP FOREIGN KEY ${q(k.name)}`);
    for (const t of tables) await qr.query(`ALTER TABLE ${q(t.name)} CONVERT TO CHARACTER SET ${MYSQL_CHARSET} COLLATE ${MYSQL_COLLATION}`);
    for (const k of keys.values()) {
      await qr.query(`ALTER TABLE ${q(k.tbl)} ADD CONSTRAINT ${q(k.name)} FOREIGN KEY (${k.cols.map(q).join(', ')}) REFERENCES ${q(k.ref)} (${k.refCols.map(q).join(', ')}) ON DELETE ${k.del} ON UPDATE ${k.upd}`);
    }
  } finally {
    await qr.query('SET FOREIGN_KEY_CHECKS = 1').catch(() => undefined);
    await qr.release();
  }
}

/** Serialises one process's transactions on a data source; see `inTransaction`. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(() => undefined, () => undefined);
    return result;
  }
}

const sqliteLocks = new WeakMap<DataSource, Mutex>();

/**
 * The lock every transaction on a SQLite data source takes. TypeORM's better-sqlite3 driver has a
 * single connection, so two transactions of one process would interleave on it ("cannot start a
 * transaction within a transaction"); every module queues its transactions here instead.
 */
export function sqliteTransactionLock(ds: DataSource): Mutex {
  let lock = sqliteLocks.get(ds);
  if (!lock) sqliteLocks.set(ds, (lock = new Mutex()));
  return lock;
}

function retryable(e: unknown): boolean {
  const err = e as { driverError?: { errno?: number; code?: string }; errno?: number; code?: string };
  const errno = err.driverError?.errno ?? err.errno;
  const code = err.driverError?.code ?? err.code;
  return errno === 1213 || errno === 1205 || code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT';
}

/** Transactions retried after a deadlock or a busy database, since start (benchmarks print it). */
export const retryStats = { retries: 0 };

/**
 * Runs `work` in one transaction and passes its entity manager explicitly; everything that takes part
 * (the change, its audit entry, an engine step, the mail it queues) must use that manager.
 * MySQL runs it at READ COMMITTED, the level every connection is set to when opened (createDataSource):
 * once a row lock is taken, every statement sees what the previous holder committed (the engine relies
 * on it). A deadlock or busy database restarts the work, which
 * therefore must not have effects outside the transaction. `batched` (MySQL) sends writes queued with
 * `defer` together with the next statement, and BEGIN and COMMIT with their neighbours
 * (statement-batch.ts).
 */
export async function inTransaction<T>(ds: DataSource, work: (em: EntityManager) => Promise<T>, opts: { batched?: boolean } = {}): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (dbKind(ds) === 'mysql') return await (opts.batched ? batchedMysqlTransaction(ds, work) : ds.transaction(work));
      return await sqliteTransactionLock(ds).run(() => ds.transaction(work));
    } catch (e) {
      if (attempt >= 8 || !retryable(e)) throw e;
      retryStats.retries++;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
}
