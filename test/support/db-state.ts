/**
 * What a test reads of a whole database to prove that a refused request wrote nothing: every table
 * (from the database's own catalogue), their row counts in one statement, and a wait until the
 * workers and the supervision runner have come to rest, so that their writes are not taken for the
 * next request's.
 */
import type { TestDatabase } from './db';

/** Every table of the test database. */
export async function listTables(db: TestDatabase): Promise<string[]> {
  const rows: { name: string }[] = db.kind === 'sqlite'
    ? await db.ds.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    : await db.ds.query("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name");
  return rows.map((r) => r.name);
}

/** Row counts of `tables`, in one statement so that a count is never taken half-way through a background write. */
export async function countRows(db: TestDatabase, tables: string[]): Promise<Record<string, number>> {
  const q = (name: string) => (db.kind === 'sqlite' ? `"${name}"` : `\`${name}\``);
  const rows: { t: string; n: number | string }[] = await db.ds.query(tables.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM ${q(t)}`).join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]));
}

/** Waits until no engine job is waiting for a worker and the counts of `tables` held still over three reads. */
export async function untilAtRest(db: TestDatabase, tables: string[], timeoutMs = 15_000): Promise<void> {
  const pendingJobs = async () => Number((await db.ds.query("SELECT COUNT(*) AS n FROM engine_jobs WHERE state <> 'failed'"))[0].n);
  let last = '';
  let steady = 0;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = JSON.stringify(await countRows(db, tables));
    steady = (await pendingJobs()) === 0 && counts === last ? steady + 1 : 0;
    if (steady >= 2) return;
    last = counts;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`the database did not come to rest within ${timeoutMs / 1000} s`);
}
