/**
 * Benchmark of grid supervision (issue 17): a city district of `--employers` employers in 68 grids
 * (3 streets, 65 communities, as seed 000's district), `--patrols` patrol records over twelve months,
 * `--warnings` warnings (most closed, some open) and `--cases` wage-arrears complaints over the last
 * year, written with bulk inserts into a database built by the real migrations (SQLite, and MariaDB in
 * a database of its own, dropped afterwards). It prints, each with the same run's baseline (a
 * primary-key read of one employer):
 *   - dashboardOffice / dashboardGrid: GET /api/prevention/dashboard's work for the office and for one
 *     street (p50, p99 over `--runs`),
 *   - rulesFullRun: the warning rules over every employer (seconds, employers per second, warnings
 *     opened and raised; each opening starts its risk-warning instance on the embedded engine),
 *   - rulesIncremental: one employer re-evaluated after a new complaint (p50, p99).
 * Targets (issue 17): dashboard p99 ≤ 300 ms on MariaDB; full run ≤ 60 s.
 *
 *   npm run bench:grids -- [--employers 100000] [--patrols 1000000] [--warnings 200000] [--cases 10000] [--runs 50] [--mysql URL] [--only sqlite|mysql]
 */
import crypto from 'node:crypto';
import { DataSource } from 'typeorm';
import { benchArgs, benchEachDatabase, insertRows as insertMany, openBenchDatabase, seededRandom as rng, seededUuid as uuid, timeRuns } from './support';
import { systemActor } from '../src/audit/audit';
import { systemClock } from '../src/clock/clock';
import { loadLegalRules } from '../src/config/legal-rules';
import { loadSettings } from '../src/config/settings';
import { bundledResources } from '../src/core';
import { inTransaction } from '../src/db/data-source';
import { seedDemoData } from '../src/demo/seed';
import { EmbeddedEngine } from '../src/engine/runtime/engine';
import { gridDashboard } from '../src/prevention/dashboard';
import { gridAndChildren, periodOf } from '../src/prevention/patrols';
import { creditColours, evaluateEmployer, runAllRules } from '../src/prevention/warning-rules';

function argsOf(argv: string[]) {
  const a = benchArgs(argv, { employers: 100_000, patrols: 1_000_000, warnings: 200_000, cases: 10_000, runs: 50 });
  return { ...a.n, mysqlUrl: a.mysqlUrl, only: a.only };
}
type Args = ReturnType<typeof argsOf>;

const DAY = 86_400_000;
const COLOURS = ['yellow', 'orange', 'red'];

const monthBack = (now: number, k: number) => periodOf(now - k * 30.5 * DAY);

async function seed(ds: DataSource, args: Args, now: number): Promise<{ officeId: string; streetId: string; employerIds: string[] }> {
  await seedDemoData(ds, new Date(now));
  const r = rng(17);
  const [office] = (await ds.query('SELECT id FROM offices')) as { id: string }[];
  const streets = ((await ds.query('SELECT id FROM grids WHERE level = 1 ORDER BY code')) as { id: string }[]).map((g) => g.id);
  // A third street and communities up to seed 000's 65.
  const third = crypto.randomUUID();
  await ds.query('INSERT INTO grids (id, office_id, parent_id, level, code, name, created_at) VALUES (?, ?, NULL, 1, ?, ?, ?)', [third, office.id, 'BX', '北岗街道', now]);
  streets.push(third);
  const existing = ((await ds.query('SELECT id FROM grids WHERE level = 2')) as { id: string }[]).map((g) => g.id);
  const grids: unknown[][] = [];
  for (let i = existing.length; i < 65; i++) grids.push([crypto.randomUUID(), office.id, streets[i % 3], 2, `C-${i}`, `第${i}社区`, now]);
  await insertMany(ds, 'grids', ['id', 'office_id', 'parent_id', 'level', 'code', 'name', 'created_at'], grids);
  const communities = [...existing, ...grids.map((g) => String(g[0]))];

  const started = Date.now();
  const employerIds: string[] = [];
  const employerGrid = new Map<string, string>();
  const eCols = ['id', 'office_id', 'grid_id', 'name', 'credit_code', 'address', 'legal_representative', 'phone', 'headcount', 'responsible_staff_id', 'file_complete', 'file_collected_at', 'created_at', 'updated_at'];
  for (let i0 = 0; i0 < args.employers; i0 += 10_000) {
    const rows: unknown[][] = [];
    for (let i = i0; i < Math.min(args.employers, i0 + 10_000); i++) {
      const id = uuid(r);
      // About 3 % not yet placed in a grid; 60 % of the placed with a responsible officer; half the files complete.
      const grid = r() < 0.03 ? null : communities[Math.floor(r() * communities.length)];
      const complete = r() < 0.5;
      employerIds.push(id);
      if (grid) employerGrid.set(id, grid);
      rows.push([id, office.id, grid, `用人单位${i}`, null, `某区某路${i}号`, null, null, 10 + Math.floor(r() * 300),
        grid && r() < 0.6 ? uuid(r) : null, complete ? 1 : 0, complete ? now - Math.floor(r() * 540) * DAY : null, now, now]);
    }
    await insertMany(ds, 'employers', eCols, rows);
  }
  const placed = employerIds.filter((id) => employerGrid.has(id));
  process.stdout.write(`  employers ${args.employers} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const pCols = ['id', 'office_id', 'grid_id', 'employer_id', 'plan_id', 'period', 'state', 'due_at', 'done_at', 'done_by', 'outcome', 'created_at'];
  for (let i0 = 0; i0 < args.patrols; i0 += 20_000) {
    const rows: unknown[][] = [];
    for (let i = i0; i < Math.min(args.patrols, i0 + 20_000); i++) {
      const e = placed[Math.floor(r() * placed.length)];
      const k = Math.floor(r() * 12);
      const done = k === 0 ? r() < 0.5 : r() < 0.9;
      const at = now - k * 30 * DAY;
      rows.push([uuid(r), office.id, employerGrid.get(e), e, null, monthBack(now, k), done ? 'done' : 'planned', at + 20 * DAY, done ? at : null, done ? 'grid1' : null,
        done ? (r() < 0.9 ? 'none' : 'order') : null, at - DAY]);
    }
    await insertMany(ds, 'patrols', pCols, rows);
  }
  process.stdout.write(`  patrols ${args.patrols} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const wCols = ['id', 'office_id', 'grid_id', 'employer_id', 'colour', 'source', 'state', 'reasons_json', 'opened_at', 'due_at', 'handled_at', 'handled_on_time',
    'closed_at', 'result', 'escalations', 'reopen_count', 'created_at', 'updated_at'];
  const hasOpen = new Set<string>();
  for (let i0 = 0; i0 < args.warnings; i0 += 20_000) {
    const rows: unknown[][] = [];
    for (let i = i0; i < Math.min(args.warnings, i0 + 20_000); i++) {
      let e = placed[Math.floor(r() * placed.length)];
      // 5 % open, at most one open per employer.
      const open = r() < 0.05 && !hasOpen.has(e);
      if (open) hasOpen.add(e);
      else if (hasOpen.has(e)) e = placed[Math.floor(r() * placed.length)];
      const opened = now - Math.floor(r() * 730) * DAY;
      const handled = open ? (r() < 0.5 ? opened + DAY : null) : opened + Math.floor(r() * 8) * DAY;
      rows.push([uuid(r), office.id, employerGrid.get(e), e, COLOURS[Math.floor(r() * 3)], 'rule', open ? 'open' : 'closed', '["近12个月内欠薪投诉1次"]', opened, opened + 7 * DAY,
        handled, handled === null ? null : (handled <= opened + 7 * DAY ? 1 : 0), open ? null : opened + 10 * DAY, open ? null : 'resolved', 0, 0, opened, opened]);
    }
    await insertMany(ds, 'warnings', wCols, rows);
  }
  process.stdout.write(`  warnings ${args.warnings} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const cCols = ['id', 'office_id', 'grid_id', 'employer_id', 'case_number', 'year', 'sequence', 'kind', 'channel', 'received_at', 'status', 'supervised', 'duplicate_flag',
    'summary', 'total_owed', 'workers_count', 'wage_arrears', 'created_by', 'created_at', 'updated_at'];
  const rows: unknown[][] = [];
  for (let i = 0; i < args.cases; i++) {
    const e = placed[Math.floor(r() * placed.length)];
    const at = now - Math.floor(r() * 365) * DAY;
    rows.push([uuid(r), office.id, employerGrid.get(e), e, `BENCH-${i}`, 2000, i + 1, 'complaint', 'window', at, 'closed', 0, 0, '欠薪投诉',
      Math.floor(r() < 0.05 ? 100_000_00 + r() * 1e7 : r() * 5_000_000), r() < 0.03 ? 25 : 1 + Math.floor(r() * 10), 1, 'bench', at, at]);
  }
  await insertMany(ds, 'cases', cCols, rows);
  process.stdout.write(`  cases ${args.cases} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return { officeId: office.id, streetId: streets[0], employerIds: placed };
}

const round = (x: number) => Math.round(x * 100) / 100;

async function benchKind(kind: 'sqlite' | 'mysql', args: Args): Promise<Record<string, number>> {
  const { ds, cleanup } = await openBenchDatabase(kind, 'grids', args.mysqlUrl, 8);
  try {
    const now = Date.now();
    const { officeId, streetId, employerIds } = await seed(ds, args, now);
    if (kind === 'sqlite') await ds.query('ANALYZE');
    else for (const t of ['employers', 'patrols', 'warnings', 'cases']) await ds.query(`ANALYZE TABLE ${t}`);
    const rules = loadLegalRules().rules;
    const engine = new EmbeddedEngine(ds, systemClock);
    await engine.deploy(bundledResources(), 'bench');
    const period = periodOf(now);
    const streetGrids = await gridAndChildren(ds.manager, streetId);
    let k = 0;
    const baseline = await timeRuns(args.runs, () => ds.query('SELECT * FROM employers WHERE id = ?', [employerIds[k++ % employerIds.length]]));
    const office = await timeRuns(args.runs, () => gridDashboard(ds, { officeId, period, now, rules, stage: 'launch' }));
    const grid = await timeRuns(args.runs, () => gridDashboard(ds, { officeId, gridIds: streetGrids, period, now, rules, stage: 'launch' }));
    const ctx = { engine, rules, colours: creditColours(loadSettings({})), actor: systemActor('bench'), now: new Date(now) };
    const full = await runAllRules(ds, ctx, officeId);
    // One employer re-evaluated after a new complaint, as the rule runner does for each event.
    let n = 0;
    const incremental = await timeRuns(Math.min(args.runs, 30), async () => {
      const e = employerIds[(n++ * 7919) % employerIds.length];
      await ds.query(
        `INSERT INTO cases (id, office_id, grid_id, employer_id, case_number, year, sequence, kind, channel, received_at, status, supervised, duplicate_flag, summary, total_owed, workers_count, wage_arrears, created_by, created_at, updated_at)
         VALUES (?, ?, NULL, ?, ?, 2001, ?, 'complaint', 'window', ?, 'registered', 0, 0, '欠薪投诉', 300000, 3, 1, 'bench', ?, ?)`,
        [crypto.randomUUID(), officeId, e, `INC-${n}`, n, now, now, now]);
      await inTransaction(ds, (em) => evaluateEmployer(em, ctx, e));
    });
    return {
      employers: args.employers, patrols: args.patrols, warnings: args.warnings, cases: args.cases,
      baselineP50Ms: round(baseline.p50), baselineP99Ms: round(baseline.p99),
      dashboardOfficeP50Ms: round(office.p50), dashboardOfficeP99Ms: round(office.p99), dashboardOfficeRatio: round(office.p50 / baseline.p50),
      dashboardGridP50Ms: round(grid.p50), dashboardGridP99Ms: round(grid.p99), dashboardGridRatio: round(grid.p50 / baseline.p50),
      rulesFullRunS: round(full.seconds), rulesEmployersPerS: Math.round(full.employersEvaluated / full.seconds),
      rulesWithFindings: full.employersWithFindings, rulesOpened: full.opened, rulesRaised: full.raised,
      rulesIncrementalP50Ms: round(incremental.p50), rulesIncrementalP99Ms: round(incremental.p99),
    };
  } finally {
    await cleanup();
  }
}

const args = argsOf(process.argv.slice(2));
benchEachDatabase(args.only, (kind) => benchKind(kind, args));
