/**
 * Benchmark of the yearly A/B/C grading (issue 18): an office of `--employers` employers in 65
 * community grids with `--records` past case and patrol records over five years (70 % cases closed
 * with their claim, 30 % patrols), written with bulk inserts into a database built by the real
 * migrations (SQLite, and MariaDB in a database of its own, dropped afterwards). It prints:
 *   - baseline: one full scan of the records tables (every case, every patrol), in the same run;
 *   - read: the year's records of every employer (src/credit/grading.ts gradingRecords);
 *   - grading: the whole yearly computation as the run's first step does it — records read, every
 *     employer's grade with its reasons, written in one transaction (proposeGrades);
 *   - the ratio grading / baseline, and the grades by letter.
 * The computation runs `--runs` times (the year's grades deleted between runs); the median is printed.
 *
 *   npm run bench:credit   (runs this, then bench/credit-draw.ts)
 *   tsx bench/credit-grading.ts [--employers 100000] [--records 1000000] [--runs 1] [--mysql URL] [--only sqlite|mysql]
 */
import crypto from 'node:crypto';
import { DataSource } from 'typeorm';
import { benchArgs, insertRows, openBenchDatabase, seededRandom } from './support';
import { loadLegalRules } from '../src/config/legal-rules';
import { inTransaction } from '../src/db/data-source';
import { seedDemoData } from '../src/demo/seed';
import { gradingRecords, proposeGrades } from '../src/credit/grading';

function argsOf(argv: string[]) {
  const a = benchArgs(argv, { employers: 100_000, records: 1_000_000, runs: 1 });
  return { ...a.n, mysqlUrl: a.mysqlUrl, only: a.only };
}
type Args = ReturnType<typeof argsOf>;

const YEAR = 2025;
const FIRST_YEAR = YEAR - 4;
const yearStart = (y: number) => Date.parse(`${y}-01-01T00:00:00+08:00`);

/** Case outcomes in the proportions of a busy office: most complaints end corrected or without a violation. */
const OUTCOMES: [string, number][] = [
  ['no-violation', 0.38], ['corrected', 0.3], ['penalty', 0.12], ['handling-decision', 0.05], ['withdrawn', 0.06],
  ['referred-arbitration', 0.06], ['referred-to-police', 0.01], ['transferred', 0.02],
];
const CATEGORIES: [string, number][] = [['wage-arrears', 0.7], ['no-written-contract', 0.15], ['working-hours', 0.1], ['social-insurance-registration', 0.045], ['child-labour', 0.005]];
const pick = (r: () => number, table: [string, number][]) => {
  let x = r();
  for (const [v, p] of table) if ((x -= p) < 0) return v;
  return table[table.length - 1][0];
};

async function seed(ds: DataSource, args: Args, now: number): Promise<string> {
  await seedDemoData(ds, new Date(now));
  const r = seededRandom(18);
  const [office] = (await ds.query('SELECT id FROM offices')) as { id: string }[];
  const streets = ((await ds.query('SELECT id FROM grids WHERE level = 1 ORDER BY code')) as { id: string }[]).map((g) => g.id);
  const existing = ((await ds.query('SELECT id FROM grids WHERE level = 2')) as { id: string }[]).map((g) => g.id);
  const grids: unknown[][] = [];
  for (let i = existing.length; i < 65; i++) grids.push([crypto.randomUUID(), office.id, streets[i % streets.length], 2, `G-${i}`, `第${i}社区`, now]);
  await insertRows(ds, 'grids', ['id', 'office_id', 'parent_id', 'level', 'code', 'name', 'created_at'], grids);
  const communities = [...existing, ...grids.map((g) => String(g[0]))];

  const employers: { id: string; grid: string }[] = [];
  const eCols = ['id', 'office_id', 'grid_id', 'name', 'credit_code', 'address', 'legal_representative', 'phone', 'headcount', 'created_at', 'updated_at'];
  for (let i0 = 0; i0 < args.employers; i0 += 10_000) {
    const rows: unknown[][] = [];
    for (let i = i0; i < Math.min(args.employers, i0 + 10_000); i++) {
      const e = { id: crypto.randomUUID(), grid: communities[Math.floor(r() * communities.length)] };
      employers.push(e);
      rows.push([e.id, office.id, e.grid, `用人单位${i}`, null, `某区某路${i}号`, null, null, 10 + Math.floor(r() * 300), now, now]);
    }
    await insertRows(ds, 'employers', eCols, rows);
  }
  // Records fall on a minority of employers, as complaints do: a quarter of them carries most.
  const busy = employers.slice(0, Math.max(1, Math.floor(employers.length / 4)));
  const employerOf = () => (r() < 0.7 ? busy[Math.floor(r() * busy.length)] : employers[Math.floor(r() * employers.length)]);
  const span = yearStart(YEAR + 1) - yearStart(FIRST_YEAR);

  const cases = Math.round(args.records * 0.7);
  const cCols = ['id', 'office_id', 'grid_id', 'employer_id', 'case_number', 'year', 'sequence', 'kind', 'channel', 'received_at', 'status', 'outcome', 'summary',
    'total_owed', 'workers_count', 'wage_arrears', 'closed_at', 'created_by', 'created_at', 'updated_at'];
  const kCols = ['id', 'case_id', 'position', 'category', 'description', 'amount'];
  for (let i0 = 0; i0 < cases; i0 += 20_000) {
    const rows: unknown[][] = [];
    const claims: unknown[][] = [];
    for (let i = i0; i < Math.min(cases, i0 + 20_000); i++) {
      const e = employerOf();
      const closedAt = yearStart(FIRST_YEAR) + Math.floor(r() * span);
      const id = crypto.randomUUID();
      rows.push([id, office.id, e.grid, e.id, `BENCH-${i}`, FIRST_YEAR, i + 1, 'complaint', 'window', closedAt - 20 * 86_400_000, 'closed', pick(r, OUTCOMES), '投诉',
        null, 1, 1, closedAt, 'intake', closedAt, closedAt]);
      claims.push([crypto.randomUUID(), id, 0, pick(r, CATEGORIES), '事项', null]);
    }
    await insertRows(ds, 'cases', cCols, rows);
    await insertRows(ds, 'case_claims', kCols, claims);
  }
  const patrols = args.records - cases;
  const pCols = ['id', 'office_id', 'grid_id', 'employer_id', 'plan_id', 'period', 'state', 'due_at', 'done_at', 'done_by', 'outcome', 'findings_json', 'document_id',
    'case_id', 'warning_id', 'process_instance_key', 'follow_up_due_at', 'follow_up_result', 'created_at'];
  for (let i0 = 0; i0 < patrols; i0 += 20_000) {
    const rows: unknown[][] = [];
    for (let i = i0; i < Math.min(patrols, i0 + 20_000); i++) {
      const e = employers[Math.floor(r() * employers.length)];
      const at = yearStart(FIRST_YEAR) + Math.floor(r() * span);
      const d = new Date(at + 8 * 3_600_000);
      const period = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
      const x = r();
      const outcome = x < 0.8 ? 'none' : x < 0.95 ? 'order' : 'warning';
      rows.push([crypto.randomUUID(), office.id, e.grid, e.id, null, period, 'done', at, at, 'grid1', outcome, null, null, null, null, null, null,
        outcome === 'order' ? (r() < 0.9 ? 'corrected' : 'not-corrected') : null, at]);
    }
    await insertRows(ds, 'patrols', pCols, rows);
  }
  return office.id;
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function benchKind(kind: 'sqlite' | 'mysql', args: Args): Promise<Record<string, number | string>> {
  const { ds, cleanup } = await openBenchDatabase(kind, 'grading', args.mysqlUrl, 4);
  try {
    const now = Date.parse('2026-01-10T09:00:00+08:00');
    const s0 = process.hrtime.bigint();
    const officeId = await seed(ds, args, now);
    const seeded = seconds(s0);
    if (kind === 'mysql') await ds.query('ANALYZE TABLE cases, case_claims, patrols, employers, credit_grades');
    else await ds.query('ANALYZE');
    const rules = loadLegalRules().rules;

    // Baseline: one full scan of the records tables, touching every row.
    const b0 = process.hrtime.bigint();
    const scanned = (await ds.query("SELECT COUNT(*) AS n, SUM(CASE WHEN outcome = 'penalty' THEN 1 ELSE 0 END) AS p, MAX(closed_at) AS m FROM cases")) as { n: number | string }[];
    const scannedPatrols = (await ds.query("SELECT COUNT(*) AS n, SUM(CASE WHEN outcome = 'order' THEN 1 ELSE 0 END) AS o, MAX(done_at) AS m FROM patrols")) as { n: number | string }[];
    const baseline = seconds(b0);

    const r0 = process.hrtime.bigint();
    const records = await gradingRecords(ds.manager, officeId, YEAR);
    const read = seconds(r0);

    const samples: number[] = [];
    let counts = { A: 0, B: 0, C: 0 };
    for (let i = 0; i < args.runs; i++) {
      await ds.query('DELETE FROM credit_grades WHERE year = ?', [YEAR]);
      const t0 = process.hrtime.bigint();
      counts = await inTransaction(ds, (em) => proposeGrades(em, officeId, YEAR, rules, now, null));
      samples.push(seconds(t0));
    }
    samples.sort((a, b) => a - b);
    const grading = samples[Math.floor(samples.length / 2)];
    const written = Number(((await ds.query('SELECT COUNT(*) AS n FROM credit_grades WHERE year = ?', [YEAR])) as { n: number | string }[])[0].n);
    if (written !== counts.A + counts.B + counts.C) throw new Error(`graded ${counts.A + counts.B + counts.C}, written ${written}`);
    return {
      employers: args.employers, cases: Number(scanned[0].n), patrols: Number(scannedPatrols[0].n), employersWithRecords: records.size,
      seedS: Number(seeded.toFixed(1)), baselineScanS: Number(baseline.toFixed(3)), readYearS: Number(read.toFixed(3)), gradingS: Number(grading.toFixed(3)),
      ratio: Number((grading / baseline).toFixed(2)), A: counts.A, B: counts.B, C: counts.C,
    };
  } finally {
    await cleanup();
  }
}

async function main(): Promise<void> {
  const args = argsOf(process.argv.slice(2));
  const results: Record<string, Record<string, number | string>> = {};
  for (const kind of ['sqlite', 'mysql'] as const) {
    if (args.only && args.only !== kind) continue;
    process.stdout.write(`${kind}: seeding ${args.employers} employers and ${args.records} records…\n`);
    results[kind] = await benchKind(kind, args);
    const x = results[kind];
    process.stdout.write(`${kind}: grading ${x.employers} employers took ${x.gradingS} s; one full scan of the records tables ${x.baselineScanS} s; ratio ${x.ratio}\n`);
  }
  console.table(results);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
