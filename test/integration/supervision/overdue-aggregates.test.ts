/**
 * The overdue view counts from SQL aggregates and reads rows only of the most urgent groups: its
 * answer must equal the row-by-row computation (overdue-reference.ts). Compared on both databases
 * over varied open work — levels by element, form, process, route and claim category (one with red
 * at 0 days), tasks due long ago, yesterday, today before and after now, at the end of today, soon,
 * later and without a due date, assigned, unassigned and assigned to unknown users, in community
 * grids, a street grid and none, a case of another office and a task without a case, statutory
 * deadlines of several rules — at several instants, with grid filters and small limits, for the
 * embedded engine's tasks and the Zeebe-mode copy, with and without another office in the database,
 * and through GET /api/supervision/overdue.
 */
import crypto from 'node:crypto';
import { loadCalendarData } from '../../../src/deadlines/calendar-store';
import { chinaDate, startOfChinaDay } from '../../../src/deadlines/china-time';
import { overdueView, WorkContext } from '../../../src/supervision/queries';
import { scheduleOf } from '../../../src/supervision/schedule';
import { loadServiceLevels, ServiceLevel } from '../../../src/supervision/service-levels';
import { EMBEDDED_TASKS, TaskSource, ZEEBE_TASKS } from '../../../src/supervision/task-source';
import { startTestApp, TestApp } from '../../support/app';
import { testDbKinds } from '../../support/db';
import { overdueByRows } from './overdue-reference';

jest.setTimeout(300_000);

type Row = Record<string, unknown>;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** A deterministic generator: both databases get the same data. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const span = (count: number, unit: 'workingDays' | 'calendarDays' = 'calendarDays') => ({ count, unit });
/** Besides the defaults: levels matching on route, form, process with claim categories, and red at 0 days. */
const MORE_LEVELS = loadServiceLevels({ serviceLevels: {
  mediation: { title: '调解', appliesTo: { subject: 'task', routes: ['mediation'] }, deadline: span(2), goal: span(1), red: span(0) },
  'form-a': { title: '表单A', appliesTo: { subject: 'task', formIds: ['form-a'] }, red: span(1, 'workingDays') },
  'other-contract': { title: '其他流程合同', appliesTo: { subject: 'task', bpmnProcessIds: ['other-process'], claimCategories: ['contract', 'overtime'] }, goal: span(4, 'workingDays') },
  'closure-target': { red: span(0) },
} });

describe.each(testDbKinds())('overdue aggregates on %s', (kind) => {
  let t: TestApp;
  let base: number;
  let officeId: string;
  const grid: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(kind, 'overdue-agg');
    // The runner would raise priorities and reassign tasks between the two computations.
    await t.core.supervision.stop();
    const ds = t.db.ds;
    // 10:00 China time today: "today before now" and "today after now" both exist.
    base = startOfChinaDay(chinaDate(t.clock.now().getTime())).getTime() + 10 * HOUR;
    officeId = String(((await ds.query('SELECT id FROM offices')) as Row[])[0].id);
    for (const g of (await ds.query('SELECT id, code FROM grids')) as Row[]) grid[String(g.code)] = String(g.id);
    const otherOffice = crypto.randomUUID();
    await ds.query('INSERT INTO offices (id, code, name, doc_prefix, created_at) VALUES (?, ?, ?, ?, ?)', [otherOffice, 'OTHER', '别的大队', '别', base]);

    const rand = rng(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const grids = [grid['JF-01'], grid['JF-02'], grid['RM-01'], grid['RM-02'], grid.JF, null];
    const endOfToday = startOfChinaDay(chinaDate(base)).getTime() + DAY - 1;
    const dueOffsets = [-20 * DAY, -5 * DAY, -3 * DAY - 2 * HOUR, -DAY, -2 * HOUR, 0, 3 * HOUR, endOfToday - base, endOfToday - base + DAY,
      DAY + 5 * HOUR, 2 * DAY, 4 * DAY, 9 * DAY, 40 * DAY, null, null];
    const createdOffsets = [-DAY, -3 * DAY, -8 * DAY, -15 * DAY, -30 * DAY, -60 * DAY];
    const elements = ['Task_Triage', 'Task_ApproveExtension', 'Task_ApproveFiling', 'Task_Investigate', 'Task_ServeOrder'];
    const assignees = ['handler1', 'handler2', null, null, '', 'ghost'];
    const candidates = ['["JF"]', '["RM"]', '["legal","supervisor"]', '[]', null];
    const rules = ['investigation.limit', 'closure.target', 'punishment.decision', 'police.decision', 'correction.period'];
    const tasks: unknown[][] = [];
    let key = 0;
    interface TaskOpts { element?: string; candidates?: string | null; created?: number; plain?: boolean }
    const task = (root: number, due: number | null, assignee: string | null, o: TaskOpts = {}) => {
      key++;
      const dueDate = due === null ? null : base + due;
      // `plain`: open, of the main process, without a form: the level follows from the element and the case.
      tasks.push([key, root, root, key * 10, o.element ?? pick(elements), o.plain || rand() < 0.5 ? 'inspection-case' : 'other-process', 'def', rand() < 0.2 ? null : `任务${key}`,
        o.plain || rand() < 0.7 ? null : 'form-a', assignee, o.candidates === undefined ? pick(candidates) : o.candidates, '[]', dueDate, 50,
        !o.plain && rand() < 0.1 ? 'completed' : 'created', o.created ?? base + pick(createdOffsets)]);
    };
    // The most urgent of all: a task without a due date and one due at the same instant (the end of
    // the day its default level gives it), in two buckets read by different days; key 1 comes first.
    const created = base - 120 * DAY;
    const { dueAt } = scheduleOf(await loadCalendarData(ds.manager), loadServiceLevels()[0], created, null);
    task(1002, null, 'handler2', { element: 'Task_Investigate', plain: true, created });
    task(1002, dueAt - base, 'handler2', { element: 'Task_Investigate', plain: true });
    for (let i = 0; i < 36; i++) {
      const id = crypto.randomUUID();
      const office = i === 35 ? otherOffice : officeId;
      await ds.query(
        `INSERT INTO cases (id, office_id, grid_id, case_number, year, sequence, kind, channel, received_at, route, status, supervised, duplicate_flag,
           summary, workers_count, wage_arrears, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, 2099, ?, 'complaint', 'window', ?, ?, 'filed', 0, 0, '', 1, 0, 'test', ?, ?)`,
        [id, office, office === officeId ? grids[i % grids.length] : null, `AGG-${i}`, i + 1, base - 30 * DAY, ['inspection', 'mediation', null][i % 3], base, base]);
      await ds.query('INSERT INTO case_processes (case_id, process_instance_key, bpmn_process_id, role, created_at) VALUES (?, ?, ?, ?, ?)', [id, String(1000 + i), 'inspection-case', 'main', base]);
      const claims = [['wage-arrears'], ['contract'], [], ['overtime', 'wage-arrears']][i % 4];
      for (const [p, category] of claims.entries()) {
        await ds.query('INSERT INTO case_claims (id, case_id, position, category, description) VALUES (?, ?, ?, ?, ?)', [crypto.randomUUID(), id, p, category, '']);
      }
      for (let k = 0; k < 8; k++) task(1000 + i, pick(dueOffsets), pick(assignees));
      for (const rule of rules) {
        if (rand() < 0.3) continue;
        const due = base + (pick(dueOffsets) ?? 15 * DAY);
        await ds.query(
          `INSERT INTO case_deadlines (id, case_id, rule, due_at, due_date, provisional, explanation_json, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, '{}', ?, ?, ?)`,
          [crypto.randomUUID(), id, rule, due, chinaDate(due), rand() < 0.15 ? 'met' : 'open', base - 30 * DAY, base]);
      }
    }
    // Twins: two people with the same name and the same counts, in the order of their most urgent task (twin-b's key is the smaller).
    for (const due of [-DAY, 3 * HOUR, 2 * DAY]) for (const who of ['twin-b', 'twin-a']) task(1000, due, who, { element: 'Task_Investigate', candidates: '["JF"]', plain: true });
    task(99_999, -DAY, 'handler1'); // a process instance without a case
    const cols = ['id', 'root_id', 'process_instance_id', 'element_instance_id', 'element_id', 'bpmn_process_id', 'definition_key', 'name', 'form_id',
      'assignee', 'candidate_groups', 'candidate_users', 'due_date', 'priority', 'state', 'created_at'];
    for (const r of tasks) await ds.query(`INSERT INTO engine_user_tasks (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, r);
    // The same tasks in the Zeebe-mode copy, with 64-bit keys as decimal strings.
    const zcols = ['user_task_key', 'process_instance_key', 'element_instance_key', 'element_id', 'bpmn_process_id', 'process_definition_key', 'name', 'form_id',
      'assignee', 'candidate_groups', 'candidate_users', 'due_date', 'priority', 'state', 'created_at', 'synced_at'];
    for (const r of tasks) {
      await ds.query(`INSERT INTO zeebe_user_tasks (${zcols.join(', ')}) VALUES (${zcols.map(() => '?').join(', ')})`,
        [String(2251799813685000n + BigInt(Number(r[0]) * 7)), String(r[1]), String(r[3]), ...r.slice(4, 6), '1', ...r.slice(7, 10), r[10] ?? '[]', ...r.slice(11), base]);
    }
  });
  afterAll(async () => t?.close());

  const names = () => new Map([['handler1', '监察员 李强'], ['handler2', '监察员 赵磊'], ['twin-a', '双胞胎'], ['twin-b', '双胞胎']]);
  const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

  async function compare(levels: ServiceLevel[], source: TaskSource, now: number, opts: { gridId?: string; limit: number }) {
    const ctx: WorkContext = { cal: await loadCalendarData(t.db.ds.manager), levels, now, officeId, source };
    const o = { ...opts, names: names() };
    const [got, want] = [await overdueView(t.db.ds, ctx, o), await overdueByRows(t.db.ds, ctx, o)];
    expect({ now: new Date(now).toISOString(), opts, view: plain(got) }).toEqual({ now: new Date(now).toISOString(), opts, view: plain(want) });
    return want;
  }

  const instants = () => [base, base - 9.5 * HOUR, base + 14 * HOUR - 1, base + DAY + 3 * HOUR, base + 3 * DAY, base + 8 * DAY];

  it.each([
    ['the default levels', () => loadServiceLevels()],
    ['levels by route, form, process and claim category', () => MORE_LEVELS],
  ])('equals the row-by-row computation with %s, at several instants, limits and grids', async (_, levelsOf) => {
    for (const now of instants()) {
      for (const opts of [{ limit: 200 }, { limit: 7 }, { limit: 1 }, { gridId: grid.JF, limit: 4 }, { gridId: grid['RM-01'], limit: 2 }]) {
        await compare(levelsOf(), EMBEDDED_TASKS, now, opts);
      }
    }
    // The data covers what it should: every colour and urgency, both lists, groups without grid and without assignee.
    const at = await compare(levelsOf(), EMBEDDED_TASKS, base, { limit: 1000 });
    expect(Math.min(at.counts.yellow, at.counts.orange, at.counts.red, at.statutory.counts.yellow, at.statutory.counts.orange, at.statutory.counts.red)).toBeGreaterThan(0);
    expect(new Set(at.items.map((i) => i.urgency))).toEqual(new Set(['serious', 'overdue', 'today', 'soon']));
    expect(at.extensions.length).toBeGreaterThan(0);
    expect(at.byPerson.map((p) => p.id)).toEqual(expect.arrayContaining([null, 'ghost', 'twin-a', 'twin-b']));
    expect(at.byTeam.map((g) => g.id)).toEqual(expect.arrayContaining([null, grid.JF]));
    expect(new Set(at.items.map((i) => i.serviceLevel)).size).toBeGreaterThan(2);
  });

  it('equals it for the Zeebe-mode copy of the tasks', async () => {
    for (const now of instants()) {
      for (const opts of [{ limit: 200 }, { limit: 3 }, { gridId: grid.RM, limit: 5 }]) await compare(MORE_LEVELS, ZEEBE_TASKS, now, opts);
    }
  });

  it('equals it with the office alone in the database (statutory deadlines counted without their cases)', async () => {
    const ds = t.db.ds;
    const other = (await ds.query("SELECT id FROM offices WHERE code = 'OTHER'")) as Row[];
    for (const table of ['case_claims', 'case_deadlines', 'case_processes']) {
      await ds.query(`DELETE FROM ${table} WHERE case_id IN (SELECT id FROM cases WHERE office_id = ?)`, [other[0].id]);
    }
    await ds.query('DELETE FROM cases WHERE office_id = ?', [other[0].id]);
    await ds.query('DELETE FROM offices WHERE id = ?', [other[0].id]);
    for (const now of instants()) {
      for (const opts of [{ limit: 200 }, { limit: 2 }, { gridId: grid.JF, limit: 3 }]) await compare(MORE_LEVELS, EMBEDDED_TASKS, now, opts);
    }
  });

  it('GET /api/supervision/overdue answers the same', async () => {
    const sup = await t.login('supervisor');
    for (const query of ['', `?gridId=${grid.JF}&limit=3`]) {
      const res = await sup.get(`/api/supervision/overdue${query}`);
      expect(res.status).toBe(200);
      const users = (await t.db.ds.query('SELECT username, display_name FROM users WHERE office_id = ? AND active = 1', [officeId])) as Row[];
      const ctx: WorkContext = { cal: await loadCalendarData(t.db.ds.manager), levels: loadServiceLevels(), now: Date.parse(res.body.now), officeId };
      const want = await overdueByRows(t.db.ds, ctx, {
        gridId: query ? grid.JF : undefined, limit: query ? 3 : 200, names: new Map(users.map((u) => [String(u.username), String(u.display_name)])),
      });
      const { counts, byGrid, byTeam, byPerson, items, truncated, statutory, extensions } = res.body;
      const strip = (xs: Row[]) => xs.map(({ assigneeName: _n, href: _h, ...rest }) => rest);
      expect({ counts, byGrid, byTeam, byPerson, items: strip(items), truncated, statutory, extensions: strip(extensions) }).toEqual(plain(want));
      expect(counts.total).toBeGreaterThan(0);
    }
  });
});
