/**
 * What the benchmarks share: a database of their own (a temporary SQLite file, or a fresh database on
 * the MariaDB server, dropped afterwards) built by the real migrations, and percentiles.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { openDatabase } from '../src/db/data-source';

export interface BenchDatabase {
  ds: DataSource;
  /** The mysql:// URL of the benchmark's own database; empty on SQLite. */
  url: string;
  cleanup(): Promise<void>;
}

export async function openBenchDatabase(kind: 'sqlite' | 'mysql', label: string, mysqlUrl: string, poolSize = 8): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${label}-`));
    const ds = await openDatabase({ sqlitePath: path.join(dir, 'bench.sqlite') });
    return { ds, url: '', cleanup: async () => { await ds.destroy(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const name = `bench_${label}_${Date.now()}`;
  const admin = await mysql.createConnection({ uri: mysqlUrl });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const u = new URL(mysqlUrl);
  u.pathname = '/' + name;
  const url = u.toString();
  const ds = await openDatabase({ databaseUrl: url, poolSize });
  return {
    ds, url,
    async cleanup() {
      await ds.destroy();
      const c = await mysql.createConnection({ uri: mysqlUrl });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/** The p-th percentile (nearest rank) of an ascending list; NaN when empty. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
