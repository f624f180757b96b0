/**
 * Deadlines with their reasons. A pure function of the calendar: given a rule, the event that starts
 * the period and its instant, it returns when the period ends and why, so that a supervisor can see
 * which days were skipped and which convention applied.
 *
 * Conventions (all in China's calendar, Asia/Shanghai):
 * - The day of the start event is not counted; counting starts the next day (民法典 第201条第1款;
 *   民事诉讼法 第85条第2款). Hours run from the instant itself (民法典 第201条第2款) and end exactly.
 * - Working days count only days that are working days under the published schedule: weekends and
 *   holidays are skipped, adjusted working days (调休上班) count (行政处罚法 第85条 for its 二/三/五/七日;
 *   the rule's own text elsewhere, e.g. 劳动保障监察条例 第17条).
 * - A period's last day ends at 24:00 (民法典 第203条第2款); it is stored as 23:59:59.999 +08:00 of that day.
 * - A period in calendar days, months or years whose last day is a rest day (a public holiday or a
 *   weekend, which 法定休假日 includes) ends on the first working day after it (民法典 第203条第1款;
 *   民事诉讼法 第85条第3款), unless the rule turns that off.
 * - Months and years end on the corresponding day of the final month, or its last day when it has
 *   none (民法典 第202条).
 */
import type { LegalRules, PeriodRule, PeriodRuleId, PeriodUnit } from '../config/legal-rules';
import { CalendarData, describeDay, isYearPublished } from './calendar';
import {
  Instant, LocalDate, addDays, addMonths, chinaDate, daysBetween, endOfChinaDay, formatChinaTime, yearOf,
} from './china-time';

export interface DeadlineRuleRef {
  id: string;
  title?: string;
  /** Law and article the period comes from. */
  source: string;
  /** See PeriodRule.extendIfEndsOnHoliday; default true. */
  extendIfEndsOnHoliday?: boolean;
}

export interface DeadlineInput {
  rule: DeadlineRuleRef;
  /** The event the period runs from, as the user knows it: '立案', '送达', '告知'. */
  startEvent: string;
  startedAt: Instant;
  count: number;
  unit: PeriodUnit;
}

export interface SkippedDay {
  date: LocalDate;
  reason: string;
}

export interface DeadlineExplanation {
  rule: string;
  ruleTitle: string | null;
  legalSource: string;
  startEvent: string;
  /** The start instant, ISO-8601 with +08:00. */
  startedAt: string;
  /** The start event's date in China. */
  startDate: LocalDate;
  count: number;
  unit: PeriodUnit;
  unitLabel: string;
  /** Whether a last day on a rest day moves to the next working day (calendar days, months, years). */
  extendIfEndsOnHoliday: boolean;
  /** The first day counted; null for hours. */
  firstDay: LocalDate | null;
  firstDayConvention: string;
  /** The last day of the period, after any extension. */
  lastDay: LocalDate;
  endConvention: string;
  /** Rest days passed over while counting working days, or by an extension. */
  skippedDays: SkippedDay[];
  /** Adjusted working days (调休上班, weekend days) that were counted as working days. */
  countedAdjustedWorkdays: SkippedDay[];
  /** Set when the last day fell on a rest day and the period was extended. */
  extension: { from: LocalDate; to: LocalDate; reason: string; legalSource: string } | null;
  provisional: boolean;
  /** Years examined that have no published holiday schedule (judged by weekends only). */
  unpublishedYears: number[];
  /** One sentence for the case page. */
  text: string;
}

export interface Deadline {
  /** The end of the period: the last millisecond of its last day in China, or exact for hours. */
  dueAt: Date;
  /** The last day of the period in China. */
  dueDate: LocalDate;
  provisional: boolean;
  explanation: DeadlineExplanation;
}

const UNIT_LABEL: Record<PeriodUnit, string> = { workingDays: '个工作日', calendarDays: '日', hours: '小时', months: '个月', years: '年' };

const FIRST_DAY_CONVENTION = '开始的当日不计入，自下一日开始计算（民法典 第201条第1款；民事诉讼法 第85条第2款）';
const WORKING_DAY_CONVENTION = '；只计工作日：周末和法定节假日不计，调休上班日计入（按国务院公布的节假日安排）';
const HOURS_CONVENTION = '按小时计算的期间自事件发生时起算，至届满时刻止（民法典 第201条第2款）';
const END_OF_DAY_CONVENTION = '期间最后一日的截止时间为二十四时，记为当日 23:59:59.999（北京时间）（民法典 第203条第2款）';
const EXTENSION_SOURCE = '民法典 第203条第1款；民事诉讼法 第85条第3款';

function checkInput(input: DeadlineInput): void {
  const n = input.count;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`period count must be a whole number ≥ 0, got ${n}`);
  if (!(input.unit in UNIT_LABEL)) throw new RangeError(`unknown period unit ${String(input.unit)}`);
}

/** Computes a deadline and its explanation. Pure: the same calendar and input give the same result. */
export function computeDeadline(cal: CalendarData, input: DeadlineInput): Deadline {
  checkInput(input);
  const startMs = typeof input.startedAt === 'number' ? input.startedAt : input.startedAt.getTime();
  const startDate = chinaDate(startMs);
  const skipped: SkippedDay[] = [];
  const adjusted: SkippedDay[] = [];
  const examinedYears = new Set<number>();
  let extension: DeadlineExplanation['extension'] = null;
  let firstDay: LocalDate | null = null;
  let lastDay: LocalDate;
  let dueAt: Date;

  const look = (date: LocalDate) => {
    examinedYears.add(yearOf(date));
    return describeDay(cal, date);
  };

  if (input.unit === 'hours') {
    dueAt = new Date(startMs + input.count * 3600_000);
    lastDay = chinaDate(dueAt);
  } else {
    if (input.unit === 'workingDays') {
      let d = startDate;
      let counted = 0;
      while (counted < input.count) {
        d = addDays(d, 1);
        const info = look(d);
        if (info.working) {
          counted++;
          if (info.type === 'adjustedWorkday') adjusted.push({ date: d, reason: info.reason! });
        } else {
          skipped.push({ date: d, reason: info.reason! });
        }
      }
      lastDay = d;
    } else {
      lastDay = input.unit === 'calendarDays' ? addDays(startDate, input.count)
        : addMonths(startDate, input.count * (input.unit === 'years' ? 12 : 1));
      // A zero-length period (a same-day target) ends on its own day: there is no last day to extend.
      if (input.count > 0 && input.rule.extendIfEndsOnHoliday !== false) {
        let info = look(lastDay);
        if (!info.working) {
          const from = lastDay;
          while (!info.working) {
            skipped.push({ date: lastDay, reason: info.reason! });
            lastDay = addDays(lastDay, 1);
            info = look(lastDay);
          }
          extension = {
            from,
            to: lastDay,
            reason: `期间最后一日（${dayText(from)}，${skipped[0].reason}）为法定休假日，以其后的第一个工作日（${dayText(lastDay)}）为期间届满日`,
            legalSource: EXTENSION_SOURCE,
          };
        }
      }
    }
    if (input.count > 0) firstDay = addDays(startDate, 1);
    dueAt = endOfChinaDay(lastDay);
  }

  const unpublishedYears = [...examinedYears].filter((y) => !isYearPublished(cal, y)).sort((a, b) => a - b);
  const provisional = unpublishedYears.length > 0;
  const explanation: DeadlineExplanation = {
    rule: input.rule.id,
    ruleTitle: input.rule.title ?? null,
    legalSource: input.rule.source,
    startEvent: input.startEvent,
    startedAt: formatChinaTime(startMs),
    startDate,
    count: input.count,
    unit: input.unit,
    unitLabel: UNIT_LABEL[input.unit],
    extendIfEndsOnHoliday: input.rule.extendIfEndsOnHoliday !== false,
    firstDay,
    firstDayConvention: input.unit === 'hours' ? HOURS_CONVENTION
      : FIRST_DAY_CONVENTION + (input.unit === 'workingDays' ? WORKING_DAY_CONVENTION : ''),
    lastDay,
    endConvention: input.unit === 'hours' ? '按小时计算的期间精确到时刻，不顺延' : END_OF_DAY_CONVENTION,
    skippedDays: skipped,
    countedAdjustedWorkdays: adjusted,
    extension,
    provisional,
    unpublishedYears,
    text: '',
  };
  explanation.text = describe(explanation, dueAt);
  return { dueAt, dueDate: lastDay, provisional, explanation };
}

/** A calendar day as people read it in the explanation shown on the case page: 2026年10月13日. */
function dayText(date: LocalDate): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** A China-time moment as people read it: 2026年10月1日 23:30 (the stored fields keep the ISO forms). */
function momentText(chinaIso: string): string {
  return `${dayText(chinaIso.slice(0, 10))} ${chinaIso.slice(11, 16)}`;
}

function describe(e: DeadlineExplanation, dueAt: Date): string {
  const head = `${e.ruleTitle ?? e.rule}：依${e.legalSource}，${e.startEvent}（${e.unit === 'hours' ? momentText(e.startedAt) : dayText(e.startDate)}）后${e.count}${e.unitLabel}`;
  const parts = [head];
  if (e.unit === 'hours') {
    parts.push(`届满于 ${momentText(formatChinaTime(dueAt))}（北京时间）`);
  } else {
    if (e.firstDay) parts.push(`自${dayText(e.firstDay)}起算`);
    const holidays = e.skippedDays.filter((d) => d.reason !== '周末').length;
    const weekends = e.skippedDays.length - holidays;
    if (e.skippedDays.length) parts.push(`不计${[holidays ? `节假日${holidays}天` : '', weekends ? `周末${weekends}天` : ''].filter(Boolean).join('、')}`);
    if (e.countedAdjustedWorkdays.length) parts.push(`调休上班日${e.countedAdjustedWorkdays.map((d) => dayText(d.date)).join('、')}计入`);
    if (e.extension) parts.push(e.extension.reason);
    parts.push(`届满于 ${dayText(e.lastDay)} 24:00（北京时间）`);
  }
  if (e.provisional) parts.push(`${e.unpublishedYears.join('、')}年节假日安排尚未公布，此期限为暂定，公布后应重新计算`);
  return parts.join('，') + '。';
}

/**
 * The input a stored explanation was computed from, to compute it again: when an admin publishes a
 * year's schedule, provisional deadlines in that year are recomputed with the new calendar.
 */
export function inputFromExplanation(e: DeadlineExplanation): DeadlineInput {
  return {
    rule: { id: e.rule, ...(e.ruleTitle ? { title: e.ruleTitle } : {}), source: e.legalSource, extendIfEndsOnHoliday: e.extendIfEndsOnHoliday },
    startEvent: e.startEvent,
    startedAt: new Date(e.startedAt),
    count: e.count,
    unit: e.unit,
  };
}

/** A deadline for one of the legal rules, with its configured count and unit. */
export function deadlineForRule(
  cal: CalendarData,
  rules: LegalRules,
  ruleId: PeriodRuleId,
  start: { event: string; at: Instant },
): Deadline {
  const rule: PeriodRule = rules[ruleId];
  return computeDeadline(cal, {
    rule: { id: ruleId, title: rule.title, source: rule.source, extendIfEndsOnHoliday: rule.extendIfEndsOnHoliday },
    startEvent: start.event,
    startedAt: start.at,
    count: rule.value,
    unit: rule.unit,
  });
}

export interface LatestDay {
  /** The last day on which the act may still be done (its end, 23:59:59.999 +08:00). */
  latestAt: Date;
  latestDate: LocalDate;
  provisional: boolean;
  explanation: {
    rule: string;
    legalSource: string;
    event: string;
    eventDate: LocalDate;
    count: number;
    unit: 'workingDays' | 'calendarDays';
    /** The days counted between the act and the event (neither end counted). */
    countedDays: LocalDate[];
    skippedDays: SkippedDay[];
    unpublishedYears: number[];
    text: string;
  };
}

/**
 * For "at least N days before an event" (e.g. the hearing notice 7 日 before the hearing, 行政处罚法
 * 第64条): the latest day the act may be done so that N full days lie between it and the event.
 */
export function latestDayBefore(
  cal: CalendarData,
  input: { rule: DeadlineRuleRef; event: string; eventDate: LocalDate; count: number; unit: 'workingDays' | 'calendarDays' },
): LatestDay {
  if (!Number.isInteger(input.count) || input.count < 0) throw new RangeError('count must be a whole number ≥ 0');
  const counted: LocalDate[] = [];
  const skipped: SkippedDay[] = [];
  const years = new Set<number>();
  let d = input.eventDate;
  while (counted.length < input.count) {
    d = addDays(d, -1);
    if (input.unit === 'calendarDays') {
      counted.push(d);
      continue;
    }
    years.add(yearOf(d));
    const info = describeDay(cal, d);
    if (info.working) counted.push(d);
    else skipped.push({ date: d, reason: info.reason! });
  }
  const latestDate = addDays(d, -1);
  const unpublishedYears = [...years].filter((y) => !isYearPublished(cal, y)).sort((a, b) => a - b);
  const provisional = unpublishedYears.length > 0;
  const text = `依${input.rule.source}，须在${input.event}（${input.eventDate}）前${input.count}${UNIT_LABEL[input.unit]}完成，`
    + `最迟于 ${latestDate} 24:00（北京时间）；其间计入${counted.length}天${skipped.length ? `，不计非工作日${skipped.length}天` : ''}`
    + (provisional ? `；${unpublishedYears.join('、')}年节假日安排尚未公布，此日期为暂定` : '') + '。';
  return {
    latestAt: endOfChinaDay(latestDate),
    latestDate,
    provisional,
    explanation: {
      rule: input.rule.id, legalSource: input.rule.source, event: input.event, eventDate: input.eventDate,
      count: input.count, unit: input.unit, countedDays: counted.reverse(), skippedDays: skipped.reverse(), unpublishedYears, text,
    },
  };
}

/** Days a deadline is overdue at `now` (0 when not yet due), counted in China's calendar days. */
export function daysOverdue(deadline: Pick<Deadline, 'dueAt'>, now: Instant): number {
  const t = typeof now === 'number' ? now : now.getTime();
  if (t <= deadline.dueAt.getTime()) return 0;
  return Math.max(1, daysBetween(chinaDate(deadline.dueAt), chinaDate(t)));
}
