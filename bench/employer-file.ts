/**
 * Benchmark of the employer file (issue 17): `--employers` files in 65 communities, then, against a
 * same-run baseline (a primary-key read of one employer):
 *   - list: the first page by name (intake, whole office), a page deep in the list by cursor, a
 *     handler's page of their street (p50, p99 over `--runs`);
 *   - file: one employer's page data (fields with collectors, missing fields) and its history;
 *   - export: the whole list as xlsx (seconds, rows per second);
 *   - import: a dry run of an xlsx register of `--importRows` rows, half on file and half new
 *     (seconds, rows per second), and the confirmed import of the same file.
 *
 *   npm run bench:employers -- [--employers 100000] [--importRows 100000] [--runs 50] [--mysql URL] [--only sqlite|mysql]
 */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { benchArgs, formatTimings, insertGenerated, openBenchDatabase, seedBenchOffice, timeRuns } from './support';
import { systemActor } from '../src/audit/audit';
import { loadPrincipal, Principal } from '../src/auth/principal';
import { makeCreditCode } from '../src/cases/credit-code';
import { inTransaction } from '../src/db/data-source';
import { employersSheet } from '../src/employers/export';
import { xlsxBuffer } from '../src/employers/xlsx-stream';
import { importEmployers } from '../src/employers/import';
import { indexPendingEmployers } from '../src/employers/search';
import { employerFile, employerHistory, listEmployers } from '../src/employers/queries';

const a = benchArgs(process.argv.slice(2), { employers: 100_000, importRows: 100_000, runs: 50 });

const code = (i: number) => makeCreditCode(`91410100MA${String(i).padStart(7, '0')}`);

const timed = async (runs: number, f: () => Promise<unknown>) => formatTimings(await timeRuns(runs, f));

async function run(kind: 'sqlite' | 'mysql'): Promise<void> {
  const db = await openBenchDatabase(kind, 'employers', a.mysqlUrl);
  try {
    const ds = db.ds;
    const now = Date.now();
    const { officeId, communities } = await seedBenchOffice(ds, now);
    const started = Date.now();
    const cols = ['id', 'office_id', 'grid_id', 'name', 'credit_code', 'address', 'headcount', 'file_complete', 'created_at', 'updated_at'];
    let someId = '';
    await insertGenerated(ds, { employers: cols }, a.n.employers, (i, add) => {
      const id = crypto.randomUUID();
      if (i === 500) someId = id;
      add('employers', [id, officeId, communities[i % communities.length], `用人单位${String(i).padStart(6, '0')}`, code(i), `某区某路${i}号`, 10 + (i % 300), 0, now, now]);
    });
    console.log(`${kind}: ${a.n.employers} employers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // Bulk-inserted files get their search grams as the migration gives existing files theirs.
    const indexing = Date.now();
    const indexed = await inTransaction(ds, (em) => indexPendingEmployers(em));
    console.log(`  search grams of ${indexed} files: ${((Date.now() - indexing) / 1000).toFixed(1)} s`);
    const principal = async (username: string): Promise<Principal> => {
      const [u] = (await ds.query('SELECT id FROM users WHERE username = ?', [username])) as { id: string }[];
      return (await loadPrincipal(ds.manager, u.id))!;
    };
    const intake = await principal('intake');
    const admin = await principal('admin');
    const handler = await principal('handler1');
    await inTransaction(ds, async (em) => {
      for (let k = 0; k < 20; k++) await em.query('INSERT INTO employer_changes (employer_id, field, old_value, new_value, changed_by, changed_by_name, changed_at, source) VALUES (?, ?, ?, ?, NULL, ?, ?, ?)', [someId, 'headcount', String(k), String(k + 1), '协管员', now, 'grid']);
    });

    console.log(`  baseline primary-key read: ${await timed(a.n.runs, () => ds.query('SELECT * FROM employers WHERE id = ?', [someId]))}`);
    console.log(`  list, first page (office-wide): ${await timed(a.n.runs, () => listEmployers(ds.manager, intake, { limit: 20 }))}`);
    const deep = await listEmployers(ds.manager, intake, { limit: 100, q: '用人单位05' });
    const cursor = deep.nextCursor ?? undefined;
    console.log(`  list, a page deep by cursor: ${await timed(a.n.runs, () => listEmployers(ds.manager, intake, { limit: 20, cursor }))}`);
    console.log(`  list, a handler's street: ${await timed(a.n.runs, () => listEmployers(ds.manager, handler, { limit: 20 }))}`);
    console.log(`  list, search by name: ${await timed(a.n.runs, () => listEmployers(ds.manager, intake, { limit: 20, q: '用人单位0999' }))}`);
    console.log(`  list, search by part of a name (4 characters): ${await timed(a.n.runs, () => listEmployers(ds.manager, intake, { limit: 20, q: '单位0424' }))}`);
    console.log(`  list, search by address: ${await timed(a.n.runs, () => listEmployers(ds.manager, intake, { limit: 20, q: '某路7777' }))}`);
    console.log(`  list, search matching nothing: ${await timed(a.n.runs, () => listEmployers(ds.manager, intake, { limit: 20, q: '不存在的公司' }))}`);
    console.log(`  list, a handler's street searched: ${await timed(a.n.runs, () => listEmployers(ds.manager, handler, { limit: 20, q: '用人单位0999' }))}`);
    console.log(`  employer file: ${await timed(a.n.runs, () => employerFile(ds.manager, intake, someId))}`);
    console.log(`  employer history (20 changes): ${await timed(a.n.runs, () => employerHistory(ds.manager, intake, someId, 200))}`);

    let t0 = Date.now();
    const xlsx = await xlsxBuffer(employersSheet(ds.manager, intake, {}));
    let s = (Date.now() - t0) / 1000;
    console.log(`  export of ${a.n.employers + 4} rows to xlsx: ${s.toFixed(1)} s (${Math.round((a.n.employers + 4) / s)} rows/s, ${(xlsx.length / 1e6).toFixed(1)} MB)`);

    // A register: half the rows on file (half of those with a changed headcount), half new.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名册');
    ws.addRow(['统一社会信用代码', '企业名称', '住所', '从业人数']);
    const half = Math.floor(a.n.importRows / 2);
    for (let i = 0; i < a.n.importRows; i++) {
      const on = i < half;
      const n = on ? i : a.n.employers + i;
      ws.addRow([code(n), `用人单位${String(n).padStart(6, '0')}`, `某区某路${n}号`, on && i % 2 ? 11 + (n % 300) : 10 + (n % 300)]);
    }
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const input = { fileName: 'register.xlsx', contentBase64: file.toString('base64') };
    t0 = Date.now();
    const dry = await importEmployers(ds.manager, admin, systemActor('bench'), new Date(), { ...input, confirm: false }, 1_000_000);
    s = (Date.now() - t0) / 1000;
    console.log(`  import dry run of ${a.n.importRows} rows (${(file.length / 1e6).toFixed(1)} MB xlsx): ${s.toFixed(1)} s (${Math.round(a.n.importRows / s)} rows/s) — ${JSON.stringify(dry.counts)}`);
    t0 = Date.now();
    const done = await inTransaction(ds, (em) => importEmployers(em, admin, systemActor('bench'), new Date(), { ...input, confirm: true }, 1_000_000));
    s = (Date.now() - t0) / 1000;
    console.log(`  import confirmed: ${s.toFixed(1)} s (${Math.round(a.n.importRows / s)} rows/s) — ${JSON.stringify(done.counts)}`);
  } finally {
    await db.cleanup();
  }
}

async function main(): Promise<void> {
  for (const kind of ['sqlite', 'mysql'] as const) if (!a.only || a.only === kind) await run(kind);
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
