/**
 * Benchmark of opening the annual written review (书面审查) over a large scope: `--employers` employers
 * in 65 communities, then the review is opened over all of them on the real embedded engine (workers
 * off: the notices they would issue are not part of opening). Reports the whole opening, the number of
 * batches (WRITTEN_REVIEW_OPEN_BATCH, `--batch`) and the longest and median batch, each batch being one
 * transaction: the figure that shows no transaction holds the whole scope; how soon the opening answers
 * (a scope over ten batches goes on after the answer). Also a progress read.
 *
 *   npx tsx bench/written-review.ts -- [--employers 10000] [--batch 200] [--mysql URL] [--only sqlite|mysql]
 */
import crypto from 'node:crypto';
import pino from 'pino';
import { benchArgs, insertGenerated, openBenchDatabase, percentile, seedBenchOffice } from './support';
import { systemActor } from '../src/audit/audit';
import { loadPrincipal } from '../src/auth/principal';
import { makeCreditCode } from '../src/cases/credit-code';
import { systemClock } from '../src/clock/clock';
import { loadSettings } from '../src/config/settings';
import { createCore } from '../src/core';
import { openReview, reviewProgress } from '../src/credit/written-review';

const a = benchArgs(process.argv.slice(2), { employers: 10_000, batch: 200 });

async function run(kind: 'sqlite' | 'mysql'): Promise<void> {
  const db = await openBenchDatabase(kind, 'written-review', a.mysqlUrl);
  try {
    const ds = db.ds;
    const now = Date.now();
    const { officeId, communities } = await seedBenchOffice(ds, now);
    const cols = ['id', 'office_id', 'grid_id', 'name', 'credit_code', 'address', 'headcount', 'scale', 'created_at', 'updated_at'];
    await insertGenerated(ds, { employers: cols }, a.n.employers, (i, add) => add('employers',
      [crypto.randomUUID(), officeId, communities[i % communities.length], `用人单位${String(i).padStart(6, '0')}`, makeCreditCode(`91410100MA${String(i).padStart(7, '0')}`), `某区某路${i}号`, 10 + (i % 300), 'small', now, now]));
    const total = Number((await ds.query('SELECT COUNT(*) AS n FROM employers'))[0].n);

    const settings = loadSettings({ NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent', WORKERS: '0' });
    const core = await createCore(ds, systemClock, settings, pino({ level: 'silent' }));
    const [sup] = (await ds.query("SELECT id FROM users WHERE username = 'supervisor'")) as { id: string }[];
    const principal = (await loadPrincipal(ds.manager, sup.id))!;
    // Each batch reads the clock once, inside its transaction: the gaps between readings are the batches.
    const stamps: number[] = [];
    const started = performance.now();
    const { review, enrolling } = await openReview({
      ds, engine: core.engine, rules: core.rules, batchSize: a.n.batch, now: () => { stamps.push(performance.now()); return Date.now(); },
    }, principal, systemActor('bench'), { year: 2026, scope: {} });
    const answered = performance.now() - started;
    await enrolling;
    const elapsed = performance.now() - started;
    const batches = stamps.slice(1).map((t, i) => (stamps[i + 2] ?? started + elapsed) - t).sort((x, y) => x - y);
    const enrolled = Number((await ds.query('SELECT COUNT(*) AS n FROM written_review_employers WHERE review_id = ? AND process_instance_key IS NOT NULL', [review.id]))[0].n);
    const sampled = Number((await ds.query('SELECT COUNT(*) AS n FROM written_review_employers WHERE review_id = ? AND sampled = 1', [review.id]))[0].n);
    const p0 = performance.now();
    const progress = await reviewProgress(ds.manager, principal, review.id);
    const progressMs = performance.now() - p0;
    console.log(`${kind}: opening answered in ${answered.toFixed(0)} ms; a review over ${total} employers enrolled in ${(elapsed / 1000).toFixed(1)} s (${Math.round(total / (elapsed / 1000))} employers/s); `
      + `${batches.length} batches of ${a.n.batch}, one transaction each: median ${percentile(batches, 50).toFixed(0)} ms, longest ${batches[batches.length - 1].toFixed(0)} ms; `
      + `${enrolled} lifecycles started, ${sampled} sampled; progress of ${progress.grids.length} grids read in ${progressMs.toFixed(0)} ms`);
    await core.stop();
  } finally {
    await db.cleanup();
  }
}

(async () => {
  for (const kind of ['sqlite', 'mysql'] as const) if (!a.only || a.only === kind) await run(kind);
})().catch((e) => { console.error(e); process.exit(1); });
