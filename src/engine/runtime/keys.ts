/**
 * Element-instance keys on MySQL/MariaDB, handed out from blocks reserved in `engine_key_blocks`.
 *
 * Why: a step creates element instances and writes rows that refer to them (variables, jobs, tasks).
 * With AUTO_INCREMENT the step must wait for each insert's answer before it can write the next row;
 * with the key known beforehand the inserts wait in the step's queue and go out with its COMMIT
 * (statement-batch.ts), one round trip instead of one per element.
 *
 * Blocks are reserved with one autocommitted UPDATE on a connection of their own: never the pool's,
 * whose connections may all be held by steps waiting for a key, and never inside a step, whose rollback
 * would hand the same block out twice. Keys of a block not used before the process stops are skipped;
 * keys are unique, not gap-free (like Zeebe's). On SQLite the database hands out keys as before: it
 * has no round trips to save.
 */
import mysql from 'mysql2';
import type { DataSource } from 'typeorm';

/** Keys reserved per round trip to the key table. */
export const KEY_BLOCK_SIZE = 500;

export class KeyBlocks {
  private next = 0;
  private end = 0;
  private refill: Promise<void> | null = null;
  private conn: mysql.Connection | null = null;

  constructor(private readonly url: string, private readonly name = 'element_instance', private readonly blockSize = KEY_BLOCK_SIZE) {}

  /** The key blocks of a MySQL data source; null on SQLite. */
  static forDataSource(ds: DataSource): KeyBlocks | null {
    if (ds.options.type !== 'mysql') return null;
    const url = (ds.options as { url?: string }).url;
    if (!url) throw new Error('the MySQL data source is configured by URL (DATABASE_URL)');
    return new KeyBlocks(url);
  }

  async take(): Promise<number> {
    while (this.next >= this.end) {
      // One reservation at a time; everyone waiting takes from the block it brings.
      this.refill ??= this.reserve().finally(() => { this.refill = null; });
      await this.refill;
    }
    return this.next++;
  }

  private async reserve(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const conn = (this.conn ??= this.connect());
      try {
        // LAST_INSERT_ID(expr) makes the new end the statement's insert id: reserved and read in one go.
        const end = await new Promise<number>((resolve, reject) => {
          conn.query('UPDATE engine_key_blocks SET next_key = LAST_INSERT_ID(next_key + ?) WHERE name = ?', [this.blockSize, this.name], (err, r) => {
            if (err) return reject(err);
            const ok = r as mysql.ResultSetHeader;
            if (ok.affectedRows !== 1) return reject(new Error(`engine_key_blocks has no row '${this.name}'`));
            resolve(Number(ok.insertId));
          });
        });
        this.next = end - this.blockSize;
        this.end = end;
        return;
      } catch (e) {
        // A connection the server closed (idle timeout, restart) is replaced once.
        this.conn = null;
        conn.destroy();
        if (attempt >= 2) throw e;
      }
    }
  }

  private connect(): mysql.Connection {
    const conn = mysql.createConnection({ uri: this.url });
    // The data source's pool keeps the process running while it is open; this connection must not
    // keep it running after the pool is closed, when an engine was never stopped.
    (conn as unknown as { stream?: { unref?: () => void } }).stream?.unref?.();
    return conn;
  }

  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    if (conn) await new Promise<void>((resolve) => conn.end(() => resolve()));
  }
}
