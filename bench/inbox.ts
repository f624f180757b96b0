/**
 * Benchmark of the task inbox at scale (issue 6: "keyset paging that stays fast with a million tasks").
 * For SQLite and MariaDB it fills engine_user_tasks and engine_user_task_candidates with open tasks
 * (a database of its own, dropped afterwards), then times every shape of the engine port's task search
 * (`engine.searchTasks`) — scope=mine, scope=group with a handler's groups, the office-wide list, cursor
 * pages deep into the list, due before / after and a due window, a case's tasks, a business key, a few
 * keys — and prints p50/p99 of each with its ratios to two baselines timed alternately with it, so all
 * three see the same load: one task read by primary key (xBase; baseP99ms its p99), and the rows the
 * shape answered read again by primary key, `id IN (…)` through the same search (xPage; pageP99ms),
 * which is what a page of that many rows costs at the least. Then the index each query uses (the plan
 * of its last statement).
 *
 *   node --import tsx bench/inbox.ts [--tasks 1000000] [--samples 200] [--mysql mysql://root@127.0.0.1:3306/] [--only sqlite|mysql]
 */
import { benchArgs, openBenchDatabase, percentile } from './support';
import { DataSource } from 'typeorm';
import { systemClock } from '../src/clock/clock';
import { EmbeddedEngine, TaskQuery, UserTaskView } from '../src/engine/runtime';

function argsOf(argv: string[]) {
  const a = benchArgs(argv, { tasks: 1_000_000, samples: 200 });
  return { ...a.n, mysqlUrl: a.mysqlUrl, only: a.only };
}
type Args = ReturnType<typeof argsOf>;

/** The office the data imitates: 50 grids, 200 handlers, a quarter of the tasks claimed. */
const GRIDS = 50;
const USERS = 200;
const DAY = 86_400_000;
/** Every this many tasks one has its process instance recorded with a business key. */
const KEYED_EVERY = 100;

/**
 * Task i: candidate group grid-(i mod 50), every tenth also 'legal'; claimed by handler-(i/4 mod 200) when
 * i mod 4 = 0; due dates spread over 120 days around now. Written as one INSERT … SELECT over a
 * sequence of numbers on each database (MariaDB's seq_1_to_N, a recursive CTE on SQLite).
 */
async function fill(ds: DataSource, kind: 'sqlite' | 'mysql', count: number, now: number): Promise<void> {
  const chunk = 100_000;
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    const source = kind === 'mysql'
      ? `SELECT seq AS i FROM seq_${from}_to_${to}`
      : `WITH RECURSIVE s(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM s WHERE i < ${to}) SELECT i FROM s`;
    const grid = kind === 'mysql' ? `CONCAT('grid-', i % ${GRIDS})` : `'grid-' || (i % ${GRIDS})`;
    const user = kind === 'mysql' ? `CONCAT('handler-', (i DIV 4) % ${USERS})` : `'handler-' || ((i / 4) % ${USERS})`;
    const groupsJson = kind === 'mysql'
      ? `CASE WHEN i % 10 = 0 THEN CONCAT('["', ${grid}, '","legal"]') ELSE CONCAT('["', ${grid}, '"]') END`
      : `CASE WHEN i % 10 = 0 THEN '["' || ${grid} || '","legal"]' ELSE '["' || ${grid} || '"]' END`;
    await ds.query(`INSERT INTO engine_user_tasks (id, root_id, process_instance_id, element_instance_id, element_id, bpmn_process_id, definition_key,
        name, form_id, assignee, candidate_groups, candidate_users, due_date, follow_up_date, priority, state, created_at)
      SELECT i, i, i, i, 'investigate', 'bench-inbox', '1', '立案调查', 'investigate-form',
        CASE WHEN i % 4 = 0 THEN ${user} ELSE NULL END, ${groupsJson}, NULL,
        ${now - 60 * DAY} + (i * 7919) % ${120 * DAY}, NULL, 50, 'created', ${now - 90 * DAY} + i
      FROM (${source}) n`);
    // The candidate rows carry their task's state and due date, as the engine writes them.
    const due = `${now - 60 * DAY} + (i * 7919) % ${120 * DAY}`;
    await ds.query(`INSERT INTO engine_user_task_candidates (task_id, kind, name, state, due_date) SELECT i, 'group', ${grid}, 'created', ${due} FROM (${source}) n`);
    await ds.query(`INSERT INTO engine_user_task_candidates (task_id, kind, name, state, due_date) SELECT i, 'group', 'legal', 'created', ${due} FROM (${source}) n WHERE i % 10 = 0`);
    // Every hundredth task's instance is recorded, with a business key, for the search by business key.
    const key = kind === 'mysql' ? "CONCAT('case-', i)" : "'case-' || i";
    await ds.query(`INSERT INTO engine_process_instances (id, definition_key, bpmn_process_id, version, business_key, parent_element_instance_id, root_id, state, started_at)
      SELECT i, '1', 'bench-inbox', 1, ${key}, NULL, i, 'active', ${now - 90 * DAY} + i FROM (${source}) n WHERE i % ${KEYED_EVERY} = 0`);
    process.stdout.write(`  ${to} tasks\r`);
  }
  process.stdout.write('\n');
  if (kind === 'mysql') {
    await ds.query('ANALYZE TABLE engine_user_tasks');
    await ds.query('ANALYZE TABLE engine_user_task_candidates');
    await ds.query('ANALYZE TABLE engine_process_instances');
  }
}


interface Timing { p50: number; p99: number; rows: number }

function timing(t: number[], rows: number): Timing {
  t.sort((a, b) => a - b);
  return { p50: percentile(t, 50), p99: percentile(t, 99), rows: rows / t.length };
}

/**
 * Times a query shape with a primary-key read before each sample and, after it, the rows it answered
 * read again by their keys, so that all three see the same load on a shared machine; answers the
 * shape's, the single reads' and the page reads' times.
 */
async function timeIt(samples: number, run: () => Promise<UserTaskView[]>, base: () => Promise<unknown>,
  page: (rows: UserTaskView[]) => Promise<unknown>): Promise<{ shape: Timing; base: Timing; page: Timing }> {
  for (let i = 0; i < 5; i++) { await base(); await page(await run()); } // warm caches and prepared plans
  const t: number[] = [];
  const b: number[] = [];
  const p: number[] = [];
  let rows = 0;
  for (let i = 0; i < samples; i++) {
    const b0 = performance.now();
    await base();
    b.push(performance.now() - b0);
    const t0 = performance.now();
    const r = await run();
    t.push(performance.now() - t0);
    rows += r.length;
    const p0 = performance.now();
    await page(r);
    p.push(performance.now() - p0);
  }
  return { shape: timing(t, rows), base: timing(b, samples), page: timing(p, samples) };
}

/** Deterministic pseudo-random numbers, so that both databases answer the same queries. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Case { name: string; query: (r: () => number) => TaskQuery }

function cases(count: number, now: number): Case[] {
  const user = (r: () => number) => `handler-${Math.floor(r() * USERS)}`;
  const groups = (r: () => number) => ['handler', `grid-${Math.floor(r() * GRIDS)}`];
  const deep = (r: () => number) => String(Math.floor(count * (0.5 + 0.5 * r())));
  const soon = now + 3 * DAY;
  // Due dates run from 60 days ago to about 31 days ahead (fill): a tenth or so of the tasks is due after this.
  const later = now + 20 * DAY;
  return [
    { name: 'mine, first page', query: (r) => ({ assignee: user(r) }) },
    { name: 'mine, deep cursor', query: (r) => ({ assignee: user(r), after: deep(r) }) },
    { name: 'mine, dueBefore', query: (r) => ({ assignee: user(r), dueBefore: soon }) },
    { name: 'group, first page', query: (r) => { const u = user(r); return { candidateGroups: groups(r), candidateUser: u }; } },
    { name: 'group, deep cursor', query: (r) => { const u = user(r); return { candidateGroups: groups(r), candidateUser: u, after: deep(r) }; } },
    { name: 'group, dueBefore', query: (r) => { const u = user(r); return { candidateGroups: groups(r), candidateUser: u, dueBefore: soon }; } },
    { name: 'group, dueBefore, deep', query: (r) => { const u = user(r); return { candidateGroups: groups(r), candidateUser: u, dueBefore: soon, after: deep(r) }; } },
    { name: 'all, deep cursor', query: (r) => ({ after: deep(r) }) },
    { name: 'mine, dueAfter', query: (r) => ({ assignee: user(r), dueAfter: later }) },
    { name: 'group, due window', query: (r) => { const u = user(r); return { candidateGroups: groups(r), candidateUser: u, dueAfter: now, dueBefore: soon }; } },
    { name: 'group, dueAfter, deep', query: (r) => { const u = user(r); return { candidateGroups: groups(r), candidateUser: u, dueAfter: later, after: deep(r) }; } },
    { name: 'all, dueAfter, deep', query: (r) => ({ dueAfter: later, after: deep(r) }) },
    { name: 'a case (its instances)', query: (r) => ({ rootProcessInstanceKeys: [String(1 + Math.floor(r() * count))] }) },
    { name: 'business key', query: (r) => ({ businessKey: `case-${KEYED_EVERY * (1 + Math.floor(r() * Math.floor(count / KEYED_EVERY)))}` }) },
    { name: 'five keys, any state', query: (r) => ({ state: 'any', keys: Array.from({ length: 5 }, () => String(1 + Math.floor(r() * count))) }) },
  ];
}

/** The statement searchTasks sends for a query, captured once through the data source's logger, for EXPLAIN. */
async function capture(ds: DataSource, engine: EmbeddedEngine, q: TaskQuery): Promise<{ sql: string; params: unknown[] }> {
  const logger = ds.logger;
  let seen: { sql: string; params: unknown[] } | null = null;
  const spy = Object.create(logger) as typeof logger;
  // The last statement is the task search (a case's or a business key's instances are read first).
  spy.logQuery = (sql: string, params?: unknown[]) => { seen = { sql, params: params ?? [] }; };
  Object.defineProperty(ds, 'logger', { value: spy, configurable: true, writable: true });
  try {
    await engine.searchTasks(q);
  } finally {
    Object.defineProperty(ds, 'logger', { value: logger, configurable: true, writable: true });
  }
  return seen!;
}

async function plan(ds: DataSource, kind: 'sqlite' | 'mysql', sql: string, params: unknown[]): Promise<string> {
  if (kind === 'mysql') {
    const rows = (await ds.query(`EXPLAIN ${sql}`, params)) as Array<{ table: string; type: string; key: string | null; rows: number; Extra: string }>;
    return rows.map((r) => `${r.table}:${r.type}/${r.key ?? '-'}${/filesort/i.test(r.Extra ?? '') ? ' filesort' : ''}${/temporary/i.test(r.Extra ?? '') ? ' temporary' : ''}`).join(' ');
  }
  const rows = (await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as Array<{ detail: string }>;
  return rows.map((r) => r.detail).join('; ');
}

async function benchKind(kind: 'sqlite' | 'mysql', args: Args) {
  const { ds, cleanup } = await openBenchDatabase(kind, 'inbox', args.mysqlUrl, 4);
  try {
    const now = Date.now();
    const t0 = Date.now();
    await fill(ds, kind, args.tasks, now);
    process.stdout.write(`${kind}: ${args.tasks} open tasks written in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    const engine = new EmbeddedEngine(ds, systemClock);
    const r0 = rng(7);
    const pk = () => ds.query('SELECT * FROM engine_user_tasks WHERE id = ?', [1 + Math.floor(r0() * args.tasks)]);
    // The page's rows by primary key through the same search (a shape that found nothing reads one task).
    const byKeys = (rows: UserTaskView[]) => engine.searchTasks({ state: 'any',
      keys: rows.length ? rows.map((t) => t.key) : [String(1 + Math.floor(r0() * args.tasks))], limit: Math.max(1, rows.length) });
    const out: Array<Record<string, string | number>> = [];
    const reads: number[] = [];
    for (const c of cases(args.tasks, now)) {
      const r = rng(42);
      const stmt = await capture(ds, engine, c.query(rng(42)));
      const { shape: t, base, page } = await timeIt(args.samples, () => engine.searchTasks(c.query(r)), pk, byKeys);
      reads.push(base.p50, base.p99);
      out.push({
        query: c.name, p50ms: round(t.p50), p99ms: round(t.p99), p50xBase: round(t.p50 / base.p50), p99xBase: round(t.p99 / base.p99),
        baseP99ms: round(base.p99), p50xPage: round(t.p50 / page.p50), p99xPage: round(t.p99 / page.p99), pageP99ms: round(page.p99),
        rows: round(t.rows), plan: await plan(ds, kind, stmt.sql, stmt.params),
      });
    }
    // The primary-key reads over the whole run (their p50s and p99s, each the median over the shapes).
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    out.unshift({ query: 'baseline: task by primary key', p50ms: round(median(reads.filter((_, i) => i % 2 === 0))),
      p99ms: round(median(reads.filter((_, i) => i % 2 === 1))), p50xBase: 1, p99xBase: 1, baseP99ms: '', p50xPage: '', p99xPage: '', pageP99ms: '', rows: 1, plan: '' });
    return out;
  } finally {
    await cleanup();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

async function main(): Promise<void> {
  const args = argsOf(process.argv.slice(2));
  for (const kind of ['sqlite', 'mysql'] as const) {
    if (args.only && args.only !== kind) continue;
    process.stdout.write(`${kind}: filling…\n`);
    const rows = await benchKind(kind, args);
    process.stdout.write(`${kind}: ${JSON.stringify(rows)}\n`);
    console.table(rows);
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
