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
import { benchArgs, benchEachDatabase, insertGenerated, openBenchDatabase, seedBenchOffice, seededRandom } from './support';
import { loadLegalRules } from '../src/config/legal-rules';
import { inTransaction } from '../src/db/data-source';
import { chinaDate, startOfChinaDay } from '../src/deadlines/china-time';
import { gradingRecords, proposeGrades } from '../src/credit/grading';

function argsOf(argv: string[]) {
  const a = benchArgs(argv, { employers: 100_000, records: 1_000_000, runs: 1 });
  return { ...a.n, mysqlUrl: a.mysqlUrl, only: a.only };
}
type Args = ReturnType<typeof argsOf>;

const YEAR = 2025;
const FIRST_YEAR = YEAR - 4;
const yearStart = (y: number) => startOfChinaDay(`${y}-01-01`).getTime();

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
  const { officeId, communities } = await seedBenchOffice(ds, now);
  const r = seededRandom(18);

  const employers: { id: string; grid: string }[] = [];
  const eCols = ['id', 'office_id', 'grid_id', 'name', 'credit_code', 'address', 'legal_representative', 'phone', 'headcount', 'created_at', 'updated_at'];
  await insertGenerated(ds, { employers: eCols }, args.employers, (i, add) => {
    const e = { id: crypto.randomUUID(), grid: communities[Math.floor(r() * communities.length)] };
    employers.push(e);
    add('employers', [e.id, officeId, e.grid, `用人单位${i}`, null, `某区某路${i}号`, null, null, 10 + Math.floor(r() * 300), now, now]);
  });
  // Records fall on a minority of employers, as complaints do: a quarter of them carries most.
  const busy = employers.slice(0, Math.max(1, Math.floor(employers.length / 4)));
  const employerOf = () => (r() < 0.7 ? busy[Math.floor(r() * busy.length)] : employers[Math.floor(r() * employers.length)]);
  const span = yearStart(YEAR + 1) - yearStart(FIRST_YEAR);

  const cases = Math.round(args.records * 0.7);
  const cCols = ['id', 'office_id', 'grid_id', 'employer_id', 'case_number', 'year', 'sequence', 'kind', 'channel', 'received_at', 'status', 'outcome', 'summary',
    'total_owed', 'workers_count', 'wage_arrears', 'closed_at', 'created_by', 'created_at', 'updated_at'];
  const kCols = ['id', 'case_id', 'position', 'category', 'description', 'amount'];
  await insertGenerated(ds, { cases: cCols, case_claims: kCols }, cases, (i, add) => {
    const e = employerOf();
    const closedAt = yearStart(FIRST_YEAR) + Math.floor(r() * span);
    const id = crypto.randomUUID();
    add('cases', [id, officeId, e.grid, e.id, `BENCH-${i}`, FIRST_YEAR, i + 1, 'complaint', 'window', closedAt - 20 * 86_400_000, 'closed', pick(r, OUTCOMES), '投诉',
      null, 1, 1, closedAt, 'intake', closedAt, closedAt]);
    add('case_claims', [crypto.randomUUID(), id, 0, pick(r, CATEGORIES), '事项', null]);
  }, 20_000);
  const patrols = args.records - cases;
  const pCols = ['id', 'office_id', 'grid_id', 'employer_id', 'plan_id', 'period', 'state', 'due_at', 'done_at', 'done_by', 'outcome', 'findings_json', 'document_id',
    'case_id', 'warning_id', 'process_instance_key', 'follow_up_due_at', 'follow_up_result', 'created_at'];
  await insertGenerated(ds, { patrols: pCols }, patrols, (_i, add) => {
    const e = employers[Math.floor(r() * employers.length)];
    const at = yearStart(FIRST_YEAR) + Math.floor(r() * span);
    // The patrol plan's month, as the office counts it.
    const period = chinaDate(at).slice(0, 7);
    const x = r();
    const outcome = x < 0.8 ? 'none' : x < 0.95 ? 'order' : 'warning';
    add('patrols', [crypto.randomUUID(), officeId, e.grid, e.id, null, period, 'done', at, at, 'grid1', outcome, null, null, null, null, null, null,
      outcome === 'order' ? (r() < 0.9 ? 'corrected' : 'not-corrected') : null, at]);
  }, 20_000);
  return officeId;
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

const args = argsOf(process.argv.slice(2));
benchEachDatabase(args.only, (kind) => benchKind(kind, args), {
  starting: `seeding ${args.employers} employers and ${args.records} records…`,
  report: (x) => `grading ${x.employers} employers took ${x.gradingS} s; one full scan of the records tables ${x.baselineScanS} s; ratio ${x.ratio}`,
});
