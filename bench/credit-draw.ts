/**
 * Benchmark of a random draw (双随机、一公开, issue 18): an office of `--employers` employers in 65
 * community grids, about half with a final A/B/C grade, `--inspectors` inspectors (handlers, one grid
 * each) and `--recusals` recusals, written with bulk inserts into a database built by the real
 * migrations (SQLite, and MariaDB in a database of its own, dropped afterwards). It prints, each with
 * the same run's baseline (reading the employer register once, the draw's own first query):
 *   - draw: reading the registers and drawing `--percent` % of the employers with two inspectors each
 *     (src/credit/draws.ts prepareDraw; p50, p99 over `--runs`), and the computation alone,
 *   - store: writing the draw (seed, snapshot, result) and its result rows, once,
 *   - the same seed giving the same draw (two draws from the same seed compared; the stored draw
 *     reproduced by checkDraw) — the run fails if not.
 *
 *   npm run bench:credit   (runs bench/credit-draw.ts after the grading benchmark)
 *   tsx bench/credit-draw.ts [--employers 100000] [--inspectors 300] [--percent 5] [--recusals 1000] [--runs 5] [--mysql URL] [--only sqlite|mysql]
 */
import crypto from 'node:crypto';
import { DataSource } from 'typeorm';
import { benchArgs, benchEachDatabase, insertGenerated, insertRows, openBenchDatabase, seedBenchOffice, seededRandom, seededUuid as uuid, timeRuns } from './support';
import { loadLegalRules } from '../src/config/legal-rules';
import { inTransaction } from '../src/db/data-source';
import { checkDraw, computeDraw, drawSize, sha256 } from '../src/credit/draw-random';
import { drawParams, prepareDraw, storeDraw } from '../src/credit/draws';

function argsOf(argv: string[]) {
  const a = benchArgs(argv, { employers: 100_000, inspectors: 300, percent: 5, recusals: 1000, runs: 5 });
  return { ...a.n, mysqlUrl: a.mysqlUrl, only: a.only };
}
type Args = ReturnType<typeof argsOf>;

async function seed(ds: DataSource, args: Args, now: number): Promise<string> {
  const { officeId, communities } = await seedBenchOffice(ds, now);
  const r = seededRandom(29);

  const started = Date.now();
  const eCols = ['id', 'office_id', 'grid_id', 'name', 'credit_code', 'address', 'legal_representative', 'phone', 'headcount', 'responsible_staff_id', 'file_complete', 'file_collected_at', 'created_at', 'updated_at'];
  const gCols = ['id', 'office_id', 'employer_id', 'grid_id', 'year', 'proposed_grade', 'final_grade', 'reasons_json', 'state', 'decided_by', 'decided_at', 'created_at'];
  const employerIds: string[] = [];
  await insertGenerated(ds, { employers: eCols, credit_grades: gCols }, args.employers, (i, add) => {
    const id = uuid(r);
    const grid = communities[Math.floor(r() * communities.length)];
    employerIds.push(id);
    add('employers', [id, officeId, grid, `用人单位${i}`, null, `某区某路${i}号`, null, null, 10 + Math.floor(r() * 300), null, 0, null, now, now]);
    // About half graded: mostly A, some B, a few C.
    const x = r();
    if (x < 0.5) {
      const g = x < 0.4 ? 'A' : x < 0.47 ? 'B' : 'C';
      add('credit_grades', [crypto.randomUUID(), officeId, id, grid, 2025, g, g, '[]', 'final', 'legal', now, now]);
    }
  });
  const [hash] = (await ds.query("SELECT password_hash FROM users WHERE username = 'handler1'")) as { password_hash: string }[];
  const users: unknown[][] = [];
  const roles: unknown[][] = [];
  const userGrids: unknown[][] = [];
  for (let i = 0; i < args.inspectors; i++) {
    const id = uuid(r);
    users.push([id, officeId, `bench-inspector-${i}`, `监察员${i}`, hash.password_hash, 1, now, now]);
    roles.push([id, 'handler']);
    userGrids.push([id, communities[i % communities.length]]);
  }
  await insertRows(ds, 'users', ['id', 'office_id', 'username', 'display_name', 'password_hash', 'active', 'created_at', 'updated_at'], users);
  await insertRows(ds, 'user_roles', ['user_id', 'role'], roles);
  await insertRows(ds, 'user_grids', ['user_id', 'grid_id'], userGrids);
  const recusals: unknown[][] = [];
  for (let i = 0; i < args.recusals; i++) {
    recusals.push([crypto.randomUUID(), officeId, String(users[Math.floor(r() * users.length)][0]), employerIds[Math.floor(r() * employerIds.length)], '回避', 'legal', now]);
  }
  await insertRows(ds, 'inspector_recusals', ['id', 'office_id', 'user_id', 'employer_id', 'reason', 'recorded_by', 'created_at'], recusals);
  process.stdout.write(`  ${args.employers} employers, ${args.inspectors} inspectors, ${args.recusals} recusals in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return officeId;
}

const round = (x: number) => Math.round(x * 100) / 100;

async function benchKind(kind: 'sqlite' | 'mysql', args: Args): Promise<Record<string, number | string>> {
  const { ds, cleanup } = await openBenchDatabase(kind, 'draw', args.mysqlUrl, 8);
  try {
    const now = Date.now();
    const officeId = await seed(ds, args, now);
    if (kind === 'sqlite') await ds.query('ANALYZE');
    else for (const t of ['employers', 'credit_grades', 'users', 'user_roles', 'user_grids', 'inspector_recusals']) await ds.query(`ANALYZE TABLE ${t}`);
    const params = drawParams(loadLegalRules().rules, { excludeGridInspector: true, alwaysGradeC: true }, args.percent);

    const baseline = await timeRuns(args.runs, () => ds.query('SELECT id, grid_id FROM employers WHERE office_id = ?', [officeId]));
    const draw = await timeRuns(args.runs, () => prepareDraw(ds.manager, officeId, params, 'bench-seed'));
    const first = await prepareDraw(ds.manager, officeId, params, 'bench-seed');
    const compute = await timeRuns(args.runs, async () => computeDraw('bench-seed', first.inputs));
    // Same seed, same draw: read and drawn again from scratch.
    const second = await prepareDraw(ds.manager, officeId, params, 'bench-seed');
    const other = await prepareDraw(ds.manager, officeId, params, 'another-seed');
    const sameSeedSameDraw = second.resultJson === first.resultJson;
    const otherSeedOtherDraw = other.resultJson !== first.resultJson;

    const t0 = process.hrtime.bigint();
    const drawId = await inTransaction(ds, (em) => storeDraw(em, officeId, first, { title: 'bench', items: [], by: 'bench', now }));
    const storeMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const [row] = (await ds.query('SELECT seed, inputs_json, inputs_sha256, result_json, result_sha256 FROM random_draws WHERE id = ?', [drawId])) as
      { seed: string; inputs_json: string; inputs_sha256: string; result_json: string; result_sha256: string }[];
    const t1 = process.hrtime.bigint();
    const check = checkDraw({ seed: row.seed, inputsJson: row.inputs_json, inputsSha256: row.inputs_sha256, resultJson: row.result_json, resultSha256: row.result_sha256 });
    const reproduceMs = Number(process.hrtime.bigint() - t1) / 1e6;
    const reproduced = check.inputsIntact && check.resultIntact && check.resultMatches;
    const drawn = first.result.picks.length;
    if (!sameSeedSameDraw || !otherSeedOtherDraw || !reproduced || drawn !== drawSize(first.inputs.employers.length, args.percent)) {
      throw new Error(`${kind}: draw not reproducible (same seed same draw: ${sameSeedSameDraw}, other seed other draw: ${otherSeedOtherDraw}, stored draw reproduced: ${reproduced}, drawn ${drawn})`);
    }
    process.stdout.write(`${kind}: same seed → same draw: yes (result sha256 ${sha256(first.resultJson).slice(0, 16)}…, twice); another seed → another draw: yes; stored draw reproduced: yes\n`);
    return {
      employers: first.inputs.employers.length, inspectors: first.inputs.inspectors.length, drawn,
      baselineRegisterReadP50Ms: round(baseline.p50), drawP50Ms: round(draw.p50), drawP99Ms: round(draw.p99),
      computeOnlyP50Ms: round(compute.p50), storeMs: round(storeMs), reproduceMs: round(reproduceMs),
      snapshotKiB: Math.round(row.inputs_json.length / 1024), sameSeedSameDraw: 'yes',
    };
  } finally {
    await cleanup();
  }
}

const args = argsOf(process.argv.slice(2));
benchEachDatabase(args.only, (kind) => benchKind(kind, args));
