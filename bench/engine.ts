/**
 * Benchmark of the embedded engine (issue 3, "Speed and memory"). For SQLite and MariaDB it prints
 * durable steps per second of a five-service-task process, start-to-end p50/p99 at half that load,
 * database bytes and process memory per instance waiting at a user task, and the MariaDB baseline
 * L = transactions/s of 3 inserts + 1 update on 8 connections, with steps/s ÷ L (the median of
 * `--rounds` rounds, each measuring L and then the engine).
 *
 *   tsx --expose-gc bench/engine.ts [--waiting 100000] [--seconds 10] [--rounds 3] [--mysql mysql://root@127.0.0.1:3306/] [--only sqlite|mysql]
 */
import { benchArgs, benchEachDatabase, openBenchDatabase, percentile } from './support';
import crypto from 'node:crypto';
import mysqlCallbacks from 'mysql2';
import { DataSource } from 'typeorm';
import { systemClock } from '../src/clock/clock';
import { EmbeddedEngine } from '../src/engine/runtime/engine';
import { retryStats } from '../src/engine/runtime/tx';
import { WorkerRuntime } from '../src/engine/runtime/worker-runtime';

function argsOf(argv: string[]) {
  const a = benchArgs(argv, { waiting: 100_000, seconds: 10, rounds: 3 });
  return { ...a.n, mysqlUrl: a.mysqlUrl, only: a.only };
}
type Args = ReturnType<typeof argsOf>;

const definitions = (body: string, id: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Defs_${id}" targetNamespace="http://bpmn.io/schema/bpmn"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="${id}" isExecutable="true">${body}</bpmn:process>
</bpmn:definitions>`;

const FIVE_TASKS = definitions(`
  <bpmn:startEvent id="start" />
  ${[1, 2, 3, 4, 5].map((i) => `
  <bpmn:sequenceFlow id="f${i}" sourceRef="${i === 1 ? 'start' : `t${i - 1}`}" targetRef="t${i}" />
  <bpmn:serviceTask id="t${i}"><bpmn:extensionElements><zeebe:taskDefinition type="bench-${i}" /></bpmn:extensionElements></bpmn:serviceTask>`).join('')}
  <bpmn:sequenceFlow id="f6" sourceRef="t5" targetRef="end" />
  <bpmn:endEvent id="end" />`, 'bench-five');

const WAIT_AT_TASK = definitions(`
  <bpmn:startEvent id="start" />
  <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
  <bpmn:userTask id="review" name="审核">
    <bpmn:extensionElements>
      <zeebe:userTask />
      <zeebe:formDefinition formId="bench-form" />
      <zeebe:assignmentDefinition candidateGroups="handlers" />
    </bpmn:extensionElements>
  </bpmn:userTask>
  <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
  <bpmn:endEvent id="end" />`, 'bench-wait');

const STEPS_PER_INSTANCE = 6; // the start and five job completions, each one transaction


async function runFive(engine: EmbeddedEngine, seconds: number, ratePerSec: number | null): Promise<{ stepsPerSec: number; p50: number; p99: number; cpuUsPerStep: number }> {
  const startedAt = new Map<string, number>();
  const latencies: number[] = [];
  let steps = 0;
  const workers = new WorkerRuntime(engine, { concurrency: 16, pollIntervalMs: 50 });
  for (let i = 1; i <= 5; i++) {
    workers.register({
      taskType: `bench-${i}`, timeoutMs: 30_000, maxJobsToActivate: 16,
      handler: async (job) => {
        const ack = await job.complete({ [`r${i}`]: i });
        steps++;
        if (i === 5) {
          const t0 = startedAt.get(job.processInstanceKey);
          if (t0 !== undefined) { latencies.push(performance.now() - t0); startedAt.delete(job.processInstanceKey); }
        }
        return ack;
      },
    });
  }
  workers.start();
  const until = Date.now() + seconds * 1000;
  const starters: Promise<void>[] = [];
  const start = async () => {
    const t0 = performance.now();
    const pi = await engine.createInstance({ bpmnProcessId: 'bench-five', variables: { case: crypto.randomUUID() } });
    startedAt.set(pi.processInstanceKey, t0);
    steps++;
  };
  const began = Date.now();
  const cpu0 = process.cpuUsage();
  if (ratePerSec === null) {
    // Closed loop: keep enough instances in flight to saturate the database.
    const inFlight = () => startedAt.size;
    for (let c = 0; c < 4; c++) {
      starters.push((async () => {
        while (Date.now() < until) {
          if (inFlight() > 64) { await new Promise((r) => setTimeout(r, 2)); continue; }
          await start();
        }
      })());
    }
  } else {
    starters.push((async () => {
      const pending: Promise<void>[] = [];
      let n = 0;
      while (Date.now() < until) {
        const due = began + (n * 1000) / ratePerSec;
        if (Date.now() < due) await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
        pending.push(start());
        n++;
      }
      await Promise.all(pending);
    })());
  }
  await Promise.all(starters);
  const elapsed = (Date.now() - began) / 1000;
  const stepsPerSec = steps / elapsed;
  // The service's own CPU time per step (user + system, which includes the socket writes to the
  // database): with the database on the same 2 cores, it is CPU the database does not get.
  const cpu = process.cpuUsage(cpu0);
  const cpuUsPerStep = (cpu.user + cpu.system) / Math.max(1, steps);
  // Let the instances in flight finish so their latencies count, then stop.
  const drainUntil = Date.now() + 30_000;
  while (startedAt.size && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  await workers.stop();
  const sorted = latencies.sort((a, b) => a - b);
  return { stepsPerSec, p50: percentile(sorted, 50), p99: percentile(sorted, 99), cpuUsPerStep };
}

async function dbBytes(ds: DataSource, kind: 'sqlite' | 'mysql'): Promise<number> {
  if (kind === 'sqlite') {
    await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
    const [{ page_count }] = await ds.query('PRAGMA page_count');
    const [{ freelist_count }] = await ds.query('PRAGMA freelist_count');
    const [{ page_size }] = await ds.query('PRAGMA page_size');
    return (Number(page_count) - Number(freelist_count)) * Number(page_size);
  }
  const tables = (await ds.query("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'engine\\_%'")) as Array<{ t: string }>;
  for (const { t } of tables) await ds.query(`ANALYZE TABLE \`${t}\``);
  const [{ bytes }] = await ds.query(
    "SELECT SUM(data_length + index_length) AS bytes FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE 'engine\\_%'");
  return Number(bytes);
}

function heapNow(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

async function waitingInstances(engine: EmbeddedEngine, ds: DataSource, kind: 'sqlite' | 'mysql', count: number) {
  const bytes0 = await dbBytes(ds, kind);
  const heap0 = heapNow();
  const rss0 = process.memoryUsage().rss;
  let next = 0;
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < count) {
      next++;
      await engine.createInstance({ bpmnProcessId: 'bench-wait', variables: { caseId: crypto.randomUUID(), employer: '某某建筑劳务有限公司', amount: 12345.67 } });
    }
  }));
  const seconds = (Date.now() - t0) / 1000;
  const bytes1 = await dbBytes(ds, kind);
  const heap1 = heapNow();
  const rss1 = process.memoryUsage().rss;
  return { count, bytesPerInstance: (bytes1 - bytes0) / count, heapDeltaBytes: heap1 - heap0, rssDeltaBytes: rss1 - rss0, createPerSec: count / seconds };
}

/**
 * L: transactions per second of 3 inserts + 1 update on 8 connections, each statement its own round
 * trip. It uses mysql2's callback interface, as the engine does (statement-batch.ts): the promise
 * wrapper captures a stack trace per statement, client CPU that would lower L on this shared machine.
 */
async function baseline(url: string, seconds: number): Promise<number> {
  const pool = mysqlCallbacks.createPool({ uri: url, connectionLimit: 8 });
  const run = (conn: mysqlCallbacks.PoolConnection, sql: string, params: unknown[] = []) =>
    new Promise<void>((resolve, reject) => conn.query(sql, params, (err) => (err ? reject(err) : resolve())));
  const setup = await new Promise<mysqlCallbacks.PoolConnection>((resolve, reject) => pool.getConnection((err, c) => (err ? reject(err) : resolve(c))));
  await run(setup, 'DROP TABLE IF EXISTS bench_baseline');
  await run(setup, 'CREATE TABLE bench_baseline (id BIGINT AUTO_INCREMENT PRIMARY KEY, a VARCHAR(64), b BIGINT, c INT NOT NULL DEFAULT 0)');
  await run(setup, "INSERT INTO bench_baseline (a, b) VALUES ('counter', 0)");
  setup.release();
  let tx = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: 8 }, async () => {
    const conn = await new Promise<mysqlCallbacks.PoolConnection>((resolve, reject) => pool.getConnection((err, c) => (err ? reject(err) : resolve(c))));
    while (Date.now() < until) {
      await run(conn, 'START TRANSACTION');
      for (let i = 0; i < 3; i++) await run(conn, 'INSERT INTO bench_baseline (a, b) VALUES (?, ?)', [crypto.randomUUID(), Date.now()]);
      await run(conn, 'UPDATE bench_baseline SET c = c + 1 WHERE id = ?', [1 + Math.floor(Math.random() * 1000)]);
      await run(conn, 'COMMIT');
      tx++;
    }
    conn.release();
  }));
  await new Promise<void>((resolve) => pool.end(() => resolve()));
  return tx / seconds;
}

async function benchKind(kind: 'sqlite' | 'mysql', args: Args): Promise<Record<string, number>> {
  const { ds, url, cleanup } = await openBenchDatabase(kind, 'engine', args.mysqlUrl, 8);
  try {
    const engine = new EmbeddedEngine(ds, systemClock);
    await engine.deploy([{ name: 'bench-five.bpmn', content: FIVE_TASKS }, { name: 'bench-wait.bpmn', content: WAIT_AT_TASK }], 'bench');
    // Rounds of the baseline and the engine's throughput, one after the other against the same server:
    // what else the shared machine does moves both, so each round's ratio is steadier than either
    // figure, and the medians of several rounds steadier still. Every round is printed.
    const rounds: Array<{ L: number | null; stepsPerSec: number; cpuUsPerStep: number }> = [];
    for (let r = 1; r <= args.rounds; r++) {
      const L = kind === 'mysql' ? await baseline(url, args.seconds) : null;
      const f = await runFive(engine, args.seconds, null);
      rounds.push({ L, stepsPerSec: f.stepsPerSec, cpuUsPerStep: f.cpuUsPerStep });
      process.stdout.write(`${kind} round ${r}: ${Math.round(f.stepsPerSec)} steps/s` +
        (L === null ? '' : `, L ${Math.round(L)} tx/s, ratio ${round(f.stepsPerSec / L)}`) + '\n');
    }
    const full = { stepsPerSec: median(rounds.map((x) => x.stepsPerSec)), cpuUsPerStep: median(rounds.map((x) => x.cpuUsPerStep)) };
    const L = kind === 'mysql' ? median(rounds.map((x) => x.L!)) : null;
    const ratio = kind === 'mysql' ? median(rounds.map((x) => x.stepsPerSec / x.L!)) : null;
    const half = await runFive(engine, args.seconds, full.stepsPerSec / STEPS_PER_INSTANCE / 2);
    const waiting = await waitingInstances(engine, ds, kind, args.waiting);
    const out: Record<string, number> = {
      stepsPerSec: Math.round(full.stepsPerSec), serviceCpuUsPerStep: Math.round(full.cpuUsPerStep), p50msAtHalfLoad: round(half.p50), p99msAtHalfLoad: round(half.p99),
      waitingInstances: waiting.count, bytesPerWaitingInstance: Math.round(waiting.bytesPerInstance),
      heapBytesPerWaitingInstance: round(waiting.heapDeltaBytes / waiting.count), rssDeltaMiB: round(waiting.rssDeltaBytes / 1048576),
      waitingCreatedPerSec: Math.round(waiting.createPerSec), retriedTransactions: retryStats.retries,
    };
    if (L !== null && ratio !== null) {
      out.baselineL = Math.round(L);
      out.stepsPerSecOverL = round(ratio);
    }
    return out;
  } finally {
    await cleanup();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

const args = argsOf(process.argv.slice(2));
if (!(globalThis as { gc?: unknown }).gc) process.stdout.write('note: run node with --expose-gc for steadier heap figures\n');
benchEachDatabase(args.only, (kind) => benchKind(kind, args), { starting: 'running…' });
