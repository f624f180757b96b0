/**
 * The holiday calendar (法定节假日和调休): the years chinese-days carries and those an admin entered
 * from the State Council's notice, which is published every autumn for the next year. Until then
 * deadlines that reach into that year are 暂定; entering the year recomputes them (see
 * src/deadlines/recompute-provisional.ts) in the same transaction as the schedule and its audit entry.
 */
import Router from '@koa/router';
import { z } from 'zod';
import { authorize } from '../../auth/policy';
import { inTransaction } from '../../db/data-source';
import { chineseDaysSchedules, validateYearSchedule, type YearSchedule } from '../../deadlines/calendar';
import { loadAdminSchedules, loadCalendarData, saveYearSchedule } from '../../deadlines/calendar-store';
import { chinaDate, startOfChinaDay, yearOf } from '../../deadlines/china-time';
import { recomputeProvisionalDeadlines } from '../../deadlines/recompute-provisional';
import { errors, type ErrorDetail } from '../../errors';
import { principalOf, requireLogin } from '../middleware/auth';
import type { AppDeps, AppState } from '../context';
import { calendarDate, parseInput } from '../validate';
import { noFields, route, type RouteDoc } from '../openapi';

// validateYearSchedule's bounds: 2000–2200.
const yearParam = z.strictObject({ year: z.string().regex(/^(20\d\d|21\d\d|2200)$/, 'a year between 2000 and 2200, such as 2027') });

const entrySchema = z.strictObject({
  // Shape only here: whether the day exists, lies in the year and is not listed twice is checked below,
  // so that every entry's problem is named in one answer.
  date: z.string().max(20),
  kind: z.enum(['holiday', 'workday']),
  name: z.string().max(50),
});
const scheduleBody = z.strictObject({
  /** The notice's title and number, e.g. 国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕7号）. */
  source: z.string().trim().min(1).max(300),
  /** The day the notice was published. */
  publishedAt: calendarDate(),
  entries: z.array(entrySchema).max(366),
});

type Status = 'published' | 'provisional';

interface YearView {
  year: number;
  /** published: the year's official schedule is known (final deadlines); provisional: weekends only (暂定). */
  status: Status;
  final: boolean;
  source: YearSchedule['source'] | null;
  notice: string | null;
  publishedAt: number | null;
  holidays: number;
  workdays: number;
}

function view(year: number, s: YearSchedule | undefined): YearView {
  return {
    year, status: s ? 'published' : 'provisional', final: !!s, source: s?.source ?? null, notice: s?.notice ?? null, publishedAt: s?.publishedAt ?? null,
    holidays: s ? s.entries.filter((e) => e.kind === 'holiday').length : 0, workdays: s ? s.entries.filter((e) => e.kind === 'workday').length : 0,
  };
}

/** Each year's schedule in force: the package's, replaced year by year by the admin's. */
async function schedulesInForce(deps: AppDeps): Promise<Map<number, YearSchedule>> {
  const byYear = new Map<number, YearSchedule>();
  for (const s of chineseDaysSchedules()) byYear.set(s.year, s);
  for (const s of await loadAdminSchedules(deps.ds.manager)) byYear.set(s.year, s);
  return byYear;
}

export function calendarRoutes(deps: AppDeps): Router<AppState> {
  const router = new Router<AppState>({ prefix: '/api/calendar' });
  router.use(requireLogin);

  /** Every known year, and this year and the next when they are not known yet (those are the 暂定 ones). */
  router.get('/years', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'calendar.read');
    parseInput(z.strictObject({}), ctx.query, 'query');
    const byYear = await schedulesInForce(deps);
    const thisYear = yearOf(chinaDate(deps.clock.now()));
    const years = new Set([...byYear.keys(), thisYear, thisYear + 1]);
    ctx.body = { items: [...years].sort((a, b) => b - a).map((y) => view(y, byYear.get(y))) };
  });

  router.get('/years/:year', async (ctx) => {
    const { principal } = principalOf(ctx);
    authorize(principal, 'calendar.read');
    const year = Number(parseInput(yearParam, ctx.params, 'params').year);
    parseInput(z.strictObject({}), ctx.query, 'query');
    const s = (await schedulesInForce(deps)).get(year);
    ctx.body = { ...view(year, s), entries: s?.entries ?? [] };
  });

  router.put('/years/:year', async (ctx) => {
    const { principal, actor } = principalOf(ctx);
    authorize(principal, 'calendar.manage');
    const year = Number(parseInput(yearParam, ctx.params, 'params').year);
    const input = parseInput(scheduleBody, ctx.request.body, 'body');
    const now = deps.clock.now();
    const problems: ErrorDetail[] = validateYearSchedule({ year, entries: input.entries }).map((p) => ({ path: `body.${p.path}`, message: p.message }));
    if (!input.entries.some((e) => e.kind === 'holiday')) problems.push({ path: 'body.entries', message: '请至少填写一天放假安排' });
    if (input.publishedAt > chinaDate(now)) problems.push({ path: 'body.publishedAt', message: '发布日期不能晚于今天' });
    if (problems.length) throw errors.validation(`${year} 年节假日安排有误`, problems);

    ctx.body = await inTransaction(deps.ds, async (em) => {
      const saved = await saveYearSchedule(em, { year, source: input.source, publishedAt: startOfChinaDay(input.publishedAt).getTime(), entries: input.entries }, actor, now);
      const cal = await loadCalendarData(em);
      const recomputed = await recomputeProvisionalDeadlines(em, cal, year, actor, now);
      return {
        ...view(year, saved), entries: saved.entries,
        recomputed: { deadlines: recomputed.length, cases: new Set(recomputed.map((r) => r.caseId)).size, stillProvisional: recomputed.filter((r) => r.after.provisional).length },
      };
    });
  });

  return router;
}

export const calendarRouteDocs: RouteDoc[] = [
  route('get', '/api/calendar/years', {
    summary: 'Every year with a holiday schedule (chinese-days or entered by admin), and this year and the next when unpublished (provisional)',
    auth: 'logged in', query: noFields, responses: { 200: '{items: [{year, status, final, source, notice, publishedAt, holidays, workdays}]}' },
  }),
  route('get', '/api/calendar/years/:year', {
    summary: "A year's schedule: its holidays and adjusted working days (empty and provisional when unpublished)", auth: 'logged in',
    params: yearParam, query: noFields, responses: { 200: '{year, status, final, source, notice, publishedAt, entries: [{date, kind, name}]}' },
  }),
  route('put', '/api/calendar/years/:year', {
    summary: "Enter a year's schedule from the State Council's notice; replaces the year's schedule, audited; open provisional deadlines in the year are recomputed",
    auth: 'admin', params: yearParam, body: scheduleBody,
    responses: { 200: 'The year with its entries and {recomputed: {deadlines, cases, stillProvisional}}' }, errors: { 403: ['FORBIDDEN'] },
  }),
];
