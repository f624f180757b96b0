/**
 * Kills the engine with SIGKILL in the middle of a load, restarts it, and checks: every start the
 * killed process reported as committed is there, every instance finishes (due timers fire, jobs
 * leased at the kill are handed out again), and no step ran twice (one effect row per task).
 */
import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { TestDatabase, createTestDatabase, testDbKinds } from '../../../support/db';

const ROOT = path.resolve(__dirname, '../../../..');
const CHILD = path.join(__dirname, 'child.ts');

function startChild(mode: 'load' | 'drain', location: string, onLine: (line: string) => void): ChildProcess {
  // tsx's loader inside this node process (not the tsx wrapper), so that SIGKILL reaches the engine itself.
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, location], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
  return child;
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe.each(testDbKinds())('crash safety on %s', (kind) => {
  let db: TestDatabase;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase(kind, 'crash');
    await db.ds.query('CREATE TABLE crash_effects (process_instance_key VARCHAR(20) NOT NULL, element_id VARCHAR(40) NOT NULL, PRIMARY KEY (process_instance_key, element_id))');
  });
  afterAll(async () => {
    for (const c of children) await kill(c);
    await db.close();
  });

  test('SIGKILL mid-load loses no committed step and runs no step twice', async () => {
    const location = db.databaseUrl ?? db.sqlitePath!;
    const started = new Set<string>();
    const load = startChild('load', location, (line) => {
      if (line.startsWith('started ')) started.add(line.slice(8));
    });
    children.push(load);
    await until(async () => started.size >= 60, 60_000);
    const count = async (sql: string) => Number((await db.ds.query(sql))[0].c);
    // Kill while jobs are leased to its worker.
    await until(async () => (await count("SELECT COUNT(*) AS c FROM engine_jobs WHERE state = 'activated'")) > 0, 10_000);
    await kill(load);
    const leased = (await db.ds.query("SELECT id FROM engine_jobs WHERE state = 'activated'")) as Array<{ id: number }>;
    const waitingTimers = await count('SELECT COUNT(*) AS c FROM engine_timers');
    const reported = [...started];

    const committed = new Set(((await db.ds.query('SELECT id FROM engine_process_instances')) as Array<{ id: number }>).map((r) => String(r.id)));
    for (const k of reported) expect(committed.has(k)).toBe(true);

    const drain = startChild('drain', location, () => undefined);
    children.push(drain);
    await until(async () => (await count("SELECT COUNT(*) AS c FROM engine_process_instances WHERE state = 'active'")) === 0, 90_000);
    await kill(drain);

    const total = committed.size;
    expect(await count("SELECT COUNT(*) AS c FROM engine_process_instances WHERE state = 'completed'")).toBe(total);
    expect(await count('SELECT COUNT(*) AS c FROM crash_effects')).toBe(total * 2);
    expect(await count('SELECT COUNT(*) AS c FROM engine_incidents')).toBe(0);
    expect(await count('SELECT COUNT(*) AS c FROM engine_jobs')).toBe(0);
    expect(await count('SELECT COUNT(*) AS c FROM engine_timers')).toBe(0);
    // The jobs leased at the kill were completed by the restarted worker after their lease ran out.
    if (leased.length) {
      const ids = leased.map((r) => r.id);
      expect(await count(`SELECT COUNT(*) AS c FROM engine_jobs WHERE id IN (${ids.join(',')})`)).toBe(0);
    }
    expect(leased.length + waitingTimers).toBeGreaterThan(0);
  }, 180_000);
});
