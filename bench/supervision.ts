/**
 * Benchmark of the supervisor's aggregates (issue 7: "aggregates stay fast with a million tasks and a
 * hundred thousand cases"). For SQLite and MariaDB (its own database, dropped afterwards) it builds
 * the schema with the migrations, seeds the demo office, writes `--cases` cases over two years (70 %
 * closed, each with its closure target; the open ones also with their 60 工作日 limit) and `--tasks`
 * user tasks (about 2.6 % open: the last task of most open cases; 90 % with a due date from 40 days
 * ago to 60 days ahead) and prints the median and worst query time of
 *   - overdue: GET /api/supervision/overdue's work (open tasks near due counted by colour, grid,
 *     team and person, statutory deadlines counted, the most urgent of each listed), with its SQL
 *     aggregates timed apart (overdueTaskCountsMs, overdueDeadlineCountsMs), the escalation runner's
 *     row reads of the same work (runnerTasksMs, runnerDeadlinesMs), and whether the answer equals
 *     the row-by-row computation (overdueMatchesRows), and
 *   - stats12 / stats24: GET /api/supervision/stats over the last 365 and 730 days by month (with
 *     its catch-up of new cases; the runner's first sweep, which counts every case once into the
 *     month counts, is timed apart as firstSweepMs),
 * each with its ratio to a baseline measured in the same run: the indexed inbox query
 * (engine.listTasks for one assignee, 50 rows), the query DESIGN.md measures at 2–8 ms.
 *
 *   npm run bench:supervision -- [--tasks 1000000] [--cases 100000] [--runs 7] [--mysql mysql://root@127.0.0.1:3306/] [--only sqlite|mysql]
 */
import { benchArgs, benchEachDatabase, insertRows as insertMany, openBenchDatabase, seededRandom as rng, timeRuns as time } from './support';
import crypto from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { DataSource } from 'typeorm';
import { systemClock } from '../src/clock/clock';
import { loadCalendarData } from '../src/deadlines/calendar-store';
import { seedDemoData } from '../src/demo/seed';
import { EmbeddedEngine } from '../src/engine/runtime/engine';
import { deadlineBuckets, taskBuckets } from '../src/supervision/buckets';
import { caseStats, deadlineEntries, overdueView, recordCaseEvents, taskEntries } from '../src/supervision/queries';
import { loadServiceLevels } from '../src/supervision/service-levels';
import { overdueByRows } from '../test/integration/supervision/overdue-reference';

function argsOf(argv: string[]) {
  const a = benchArgs(argv, { tasks: 1_000_000, cases: 100_000, runs: 7 });
  return { ...a.n, mysqlUrl: a.mysqlUrl, only: a.only };
}
type Args = ReturnType<typeof argsOf>;

const DAY = 86_400_000;
const ELEMENTS = ['Task_Triage', 'Task_ApproveFiling', 'Task_AssignInspectors', 'Task_Investigate', 'Task_HandlingApproval', 'Task_ServeOrder', 'Task_ReInspect', 'Task_ApproveExtension', 'Task_ApproveClosure', 'Task_Archive'];
const USERS = ['handler1', 'handler2', 'intake', 'supervisor'];

async function seed(ds: DataSource, args: Args, now: number): Promise<void> {
  await seedDemoData(ds, new Date(now));
  const [office] = (await ds.query('SELECT id FROM offices')) as { id: string }[];
  const grids = ((await ds.query('SELECT id FROM grids WHERE level = 2 ORDER BY code')) as { id: string }[]).map((g) => g.id);
  const rand = rng(7);
  // Statement size under SQLite's 32,766 bound variables and MariaDB's packet size.
  const per = 500;
  const caseCols = ['id', 'office_id', 'grid_id', 'case_number', 'year', 'sequence', 'kind', 'channel', 'received_at', 'status', 'supervised', 'duplicate_flag',
    'summary', 'workers_count', 'wage_arrears', 'filed_at', 'closed_at', 'created_by', 'created_at', 'updated_at'];
  const deadlineCols = ['id', 'case_id', 'rule', 'due_at', 'due_date', 'provisional', 'explanation_json', 'state', 'created_at', 'updated_at'];
  const taskCols = ['id', 'root_id', 'process_instance_id', 'element_instance_id', 'element_id', 'bpmn_process_id', 'definition_key', 'name', 'form_id',
    'assignee', 'candidate_groups', 'candidate_users', 'due_date', 'priority', 'state', 'created_at', 'completed_at', 'completed_by'];
  const tasksPerCase = Math.max(1, Math.round(args.tasks / args.cases));
  let taskId = 0;
  const started = Date.now();
  for (let c0 = 0; c0 < args.cases; c0 += 5000) {
    const cases: unknown[][] = [];
    const deadlines: unknown[][] = [];
    const processes: unknown[][] = [];
    const tasks: unknown[][] = [];
    for (let c = c0; c < Math.min(args.cases, c0 + 5000); c++) {
      const id = crypto.randomUUID();
      const received = now - Math.floor(rand() * 730 * DAY);
      const closed = rand() < 0.7 && received < now - 3 * DAY ? Math.min(now - DAY, received + Math.floor(rand() * 20 * DAY)) : null;
      const root = c + 1;
      const year = new Date(received).getUTCFullYear();
      cases.push([id, office.id, grids[c % grids.length], `BENCH-${c}`, year, c + 1, 'complaint', 'window', received, closed ? 'closed' : 'filed', 0, 0,
        '拖欠工资', 1, 1, received, closed, 'bench', received, received]);
      const target = received + 7 * DAY;
      deadlines.push([crypto.randomUUID(), id, 'closure.target', target, new Date(target).toISOString().slice(0, 10), 0, '{}', closed ? 'met' : 'open', received, received]);
      if (!closed) {
        const inv = received + 84 * DAY;
        deadlines.push([crypto.randomUUID(), id, 'investigation.limit', inv, new Date(inv).toISOString().slice(0, 10), 0, '{}', 'open', received, received]);
      }
      processes.push([id, String(root), 'intake-and-routing', 'main', received]);
      for (let k = 0; k < tasksPerCase && taskId < args.tasks; k++) {
        taskId++;
        // Open: the last task of most open cases, and a few stragglers.
        const open = !closed && k === tasksPerCase - 1 ? rand() < 0.7 : rand() < 0.005;
        const created = received + k * DAY;
        const due = rand() < 0.9 ? now - 40 * DAY + Math.floor(rand() * 100 * DAY) : null;
        const element = ELEMENTS[k % ELEMENTS.length];
        tasks.push([taskId, root, root, taskId * 10, element, 'inspection-case', 'bench', element, null,
          rand() < 0.6 ? USERS[taskId % USERS.length] : null, JSON.stringify(['JF']), '[]', due, 50,
          open ? 'created' : 'completed', open ? Math.min(created, now - DAY) : created, open ? null : created + DAY, open ? null : 'handler1']);
      }
    }
    await insertMany(ds, 'cases', caseCols, cases, per);
    await insertMany(ds, 'case_deadlines', deadlineCols, deadlines, per);
    await insertMany(ds, 'case_processes', ['case_id', 'process_instance_key', 'bpmn_process_id', 'role', 'created_at'], processes, per);
    await insertMany(ds, 'engine_user_tasks', taskCols, tasks, per);
    if ((c0 / 5000) % 4 === 0) process.stdout.write(`  ${c0 + cases.length} cases, ${taskId} tasks (${Math.round((Date.now() - started) / 1000)} s)\n`);
  }
  process.stdout.write(`  seeded ${args.cases} cases and ${taskId} tasks in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

const round = (x: number) => Math.round(x * 100) / 100;

async function benchKind(kind: 'sqlite' | 'mysql', args: Args): Promise<Record<string, number>> {
  const { ds, cleanup } = await openBenchDatabase(kind, 'supervision', args.mysqlUrl, 8);
  try {
    const now = Date.now();
    await seed(ds, args, now);
    if (kind === 'sqlite') await ds.query('ANALYZE');
    else for (const t of ['cases', 'case_deadlines', 'case_processes', 'engine_user_tasks']) await ds.query(`ANALYZE TABLE ${t}`);
    const engine = new EmbeddedEngine(ds, systemClock);
    const [office] = (await ds.query('SELECT id FROM offices')) as { id: string }[];
    const levels = loadServiceLevels();
    const cal = await loadCalendarData(ds.manager);
    const ctx = { cal, levels, now, officeId: office.id };
    let listed = 0;
    const baseline = await time(args.runs, () => engine.listTasks({ state: 'created', assignee: 'handler1', limit: 50 }));
    const names = new Map<string, string>();
    const overdue = await time(args.runs, async () => {
      const view = await overdueView(ds, ctx, { limit: 200, names });
      listed = view.counts.total + view.statutory.counts.total;
    });
    const taskCounts = await time(args.runs, () => taskBuckets(ds, ctx));
    const deadlineCounts = await time(args.runs, () => deadlineBuckets(ds, ctx, office.id));
    const runnerTasks = await time(args.runs, () => taskEntries(ds, ctx));
    const runnerDeadlines = await time(args.runs, () => deadlineEntries(ds, ctx));
    const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
    const matches = isDeepStrictEqual(plain(await overdueView(ds, ctx, { limit: 200, names })), plain(await overdueByRows(ds, ctx, { limit: 200, names })));
    // The runner's first pass records every case (received, closed) once; later passes and the stats route only the new ones.
    const t0 = Date.now();
    const recorded = await recordCaseEvents(ds, { full: true });
    const sweepMs = Date.now() - t0;
    const stats = (days: number) => async () => {
      await recordCaseEvents(ds);
      return caseStats(ds, office.id, now - days * DAY, now, 'month');
    };
    const stats12 = await time(args.runs, stats(365));
    const stats24 = await time(args.runs, stats(730));
    const open = Number(((await ds.query("SELECT COUNT(*) AS n FROM engine_user_tasks WHERE state = 'created'")) as { n: number }[])[0].n);
    return {
      tasks: args.tasks, cases: args.cases, openTasks: open, overdueItems: listed,
      baselineMs: round(baseline.median),
      overdueMs: round(overdue.median), overdueMaxMs: round(overdue.max), overdueRatio: round(overdue.median / baseline.median),
      overdueTaskCountsMs: round(taskCounts.median), overdueDeadlineCountsMs: round(deadlineCounts.median), overdueMatchesRows: matches ? 1 : 0,
      runnerTasksMs: round(runnerTasks.median), runnerDeadlinesMs: round(runnerDeadlines.median),
      caseEventsRecorded: recorded, firstSweepMs: sweepMs,
      stats12Ms: round(stats12.median), stats12MaxMs: round(stats12.max), stats12Ratio: round(stats12.median / baseline.median),
      stats24Ms: round(stats24.median), stats24Ratio: round(stats24.median / baseline.median),
    };
  } finally {
    await cleanup();
  }
}

const args = argsOf(process.argv.slice(2));
benchEachDatabase(args.only, (kind) => benchKind(kind, args));
