/**
 * What the benchmarks share: a database of their own (a temporary SQLite file, or a fresh database on
 * the MariaDB server, dropped afterwards) built by the real migrations, and percentiles.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { inTransaction, openDatabase } from '../src/db/data-source';

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

export interface BenchArgs<N extends string> {
  /** The numeric options, with their defaults filled in. */
  n: Record<N, number>;
  mysqlUrl: string;
  only?: 'sqlite' | 'mysql';
}

/**
 * The command line every benchmark shares: its own numeric options (`--name 123`, defaults given),
 * `--mysql URL` and `--only sqlite|mysql`. Unknown or malformed options stop the run with the reason.
 */
export function benchArgs<N extends string>(argv: string[], numbers: Record<N, number>): BenchArgs<N> {
  const options: Record<string, { type: 'string' }> = { mysql: { type: 'string' }, only: { type: 'string' } };
  for (const name of Object.keys(numbers)) options[name] = { type: 'string' };
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  const n = { ...numbers };
  for (const name of Object.keys(numbers) as N[]) {
    const v = values[name];
    if (v === undefined) continue;
    const x = Number(v);
    if (!Number.isFinite(x) || x <= 0) throw new Error(`--${name} must be a positive number, not '${String(v)}'`);
    n[name] = x;
  }
  const only = values.only;
  if (only !== undefined && only !== 'sqlite' && only !== 'mysql') throw new Error(`--only must be sqlite or mysql, not '${String(only)}'`);
  return { n, mysqlUrl: typeof values.mysql === 'string' ? values.mysql : 'mysql://root@127.0.0.1:3306/', only };
}

/** Timings of repeated runs of one piece of work, in milliseconds. */
export interface Timings {
  p50: number;
  p99: number;
  /** The middle sample (the upper one of an even count) and the slowest. */
  median: number;
  max: number;
}

/**
 * Runs `work` once to warm caches and statements, then `runs` times, and answers the percentiles of
 * the timed runs (one clock, the monotonic one, for every benchmark).
 */
export async function timeRuns(runs: number, work: () => Promise<unknown>): Promise<Timings> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), median: samples[Math.floor(samples.length / 2)], max: samples[samples.length - 1] };
}

/** "p50 x ms, p99 y ms", for the benchmarks that print lines rather than a table. */
export function formatTimings(t: Timings): string {
  return `p50 ${t.p50.toFixed(2)} ms, p99 ${t.p99.toFixed(2)} ms`;
}

/** A deterministic generator (LCG), so both databases get the same data. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Bulk inserts, each statement in its own transaction; by default as many rows per statement as stay
 * under SQLite's 32,766 bound variables and MariaDB's packet size.
 */
export async function insertRows(ds: DataSource, table: string, columns: string[], rows: unknown[][], perStatement = Math.max(1, Math.floor(30_000 / columns.length / 2))): Promise<void> {
  for (let i = 0; i < rows.length; i += perStatement) {
    const part = rows.slice(i, i + perStatement);
    const placeholders = part.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
    await inTransaction(ds, (em) => em.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders}`, part.flat()));
  }
}
