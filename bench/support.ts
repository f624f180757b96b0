/**
 * What the benchmarks share: a database of their own (a temporary SQLite file, or a fresh database on
 * the MariaDB server, dropped afterwards) built by the real migrations, their command line, bulk
 * seeding, the demo office with a district's grids, timings and percentiles, and the run over both
 * databases.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { inTransaction, openDatabase } from '../src/db/data-source';
import { seedDemoData } from '../src/demo/seed';

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

/**
 * Generates and inserts `count` items in chunks of `chunk`, so that a million-row seed never holds all
 * its rows at once: `generate(i, add)` adds item i's rows, with `add(table, row)`, to any of the tables
 * whose columns `columns` names.
 */
export async function insertGenerated<T extends string>(
  ds: DataSource, columns: Record<T, string[]>, count: number,
  generate: (i: number, add: (table: T, row: unknown[]) => void) => void, chunk = 10_000,
): Promise<void> {
  const tables = Object.keys(columns) as T[];
  for (let i0 = 0; i0 < count; i0 += chunk) {
    const rows = new Map<T, unknown[][]>(tables.map((t) => [t, []]));
    for (let i = i0; i < Math.min(count, i0 + chunk); i++) generate(i, (table, row) => rows.get(table)!.push(row));
    for (const t of tables) await insertRows(ds, t, columns[t], rows.get(t)!);
  }
}

/** A version-4-shaped id from a seeded generator, so that both databases get the same ids. */
export function seededUuid(r: () => number): string {
  const h = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** How many community grids the benchmarks' office has: a district's grid system. */
export const BENCH_COMMUNITIES = 65;

export interface BenchOffice {
  officeId: string;
  /** The demo office's street grids, by code. */
  streets: string[];
  /** The demo's community grids, then those added up to BENCH_COMMUNITIES. */
  communities: string[];
}

/** The demo data, with community grids added under the demo office's streets until there are BENCH_COMMUNITIES. */
export async function seedBenchOffice(ds: DataSource, now: number): Promise<BenchOffice> {
  await seedDemoData(ds, new Date(now));
  const [office] = (await ds.query('SELECT id FROM offices')) as { id: string }[];
  const streets = ((await ds.query('SELECT id FROM grids WHERE level = 1 ORDER BY code')) as { id: string }[]).map((g) => g.id);
  const communities = ((await ds.query('SELECT id FROM grids WHERE level = 2')) as { id: string }[]).map((g) => g.id);
  const more: unknown[][] = [];
  for (let i = communities.length; i < BENCH_COMMUNITIES; i++) more.push([crypto.randomUUID(), office.id, streets[i % streets.length], 2, `BC-${i}`, `第${i}社区`, now]);
  await insertRows(ds, 'grids', ['id', 'office_id', 'parent_id', 'level', 'code', 'name', 'created_at'], more);
  return { officeId: office.id, streets, communities: [...communities, ...more.map((g) => String(g[0]))] };
}

type Figures = Record<string, number | string>;

/**
 * Runs `bench` on SQLite and on MariaDB (or the one `only` names), printing a line as each starts
 * (`starting`), each database's figures as they come (`report`, by default all of them) and then one
 * table of both; a failure ends the process with its stack.
 */
export function benchEachDatabase<F extends Figures>(
  only: 'sqlite' | 'mysql' | undefined, bench: (kind: 'sqlite' | 'mysql') => Promise<F>,
  options: { starting?: string; report?: (figures: F) => string } = {},
): void {
  const { starting = 'seeding…', report = (f: F) => JSON.stringify(f) } = options;
  const run = async () => {
    const results: Record<string, F> = {};
    for (const kind of ['sqlite', 'mysql'] as const) {
      if (only && only !== kind) continue;
      process.stdout.write(`${kind}: ${starting}\n`);
      results[kind] = await bench(kind);
      process.stdout.write(`${kind}: ${report(results[kind])}\n`);
    }
    console.table(results);
  };
  run().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
