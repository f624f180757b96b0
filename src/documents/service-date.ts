/**
 * The one rule for a service date (送达日期), applied wherever service is recorded — the service
 * form on completion, the case page's service record and the service step's worker — so they agree:
 * a document is not served before it was issued, nor later than today plus the office's allowance
 * (setting SERVICE_DATE_DAYS_AHEAD). A day alone (YYYY-MM-DD, as the date-only form gives it) is
 * compared as a day in China; a moment with its time is compared as a moment.
 */
import { parseInstant } from '../cases/case-deadlines';
import { addDays, chinaDate, chinaDateTimeText, chineseDateText, isLocalDate } from '../deadlines/china-time';

/** A moment given a minute before the issue time still counts as after it (clocks of two machines). */
const CLOCK_SLACK_MS = 60_000;

export interface ServiceDateFacts {
  /** When the served document was issued, epoch ms; null when unknown (then only the future is checked). */
  issuedAt: number | null;
  /** The served document's title, for the message (《限期改正指令书》). */
  documentTitle?: string | null;
  now: number;
  /** Days after today a service date may name. */
  daysAhead: number;
}

export type ServiceDateCheck =
  | { ok: true; servedAt: number }
  | { ok: false; reason: 'invalid' | 'before-issue' | 'future'; message: string };

const chineseDay = (day: string) => `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
/** A moment in China as 2026年12月6日 15:04. */
const chineseMoment = (ms: number) => `${chineseDateText(ms)} ${chinaDateTimeText(ms).slice(11)}`;

/** What the user is asked to do about a refused date; an incident's repair field is found by this wording. */
export const SERVICE_DATE_FIX = '请更正送达日期后重试';

/**
 * Checks a service date and answers the moment to record: a day alone is recorded as its start, or
 * as the issue time when the document was issued that same day.
 */
export function checkServiceDate(value: unknown, facts: ServiceDateFacts): ServiceDateCheck {
  const text = typeof value === 'string' ? value.trim() : value;
  const given = parseInstant(text);
  if (given === null) return { ok: false, reason: 'invalid', message: `送达日期无法识别，${SERVICE_DATE_FIX}` };
  const dateOnly = typeof text === 'string' && isLocalDate(text);
  const servedDay = dateOnly ? (text as string) : chinaDate(given);
  const today = chinaDate(facts.now);
  const latestDay = addDays(today, Math.max(0, Math.trunc(facts.daysAhead)));
  if (servedDay > latestDay) {
    const allowance = facts.daysAhead > 0 ? `（最迟可填今天之后 ${facts.daysAhead} 天）` : '';
    return { ok: false, reason: 'future', message: `送达日期${chineseDay(servedDay)}晚于今天${allowance}，${SERVICE_DATE_FIX}` };
  }
  if (facts.issuedAt !== null) {
    const issuedDay = chinaDate(facts.issuedAt);
    const early = dateOnly ? servedDay < issuedDay : given < facts.issuedAt - CLOCK_SLACK_MS;
    if (early) {
      const title = facts.documentTitle ? `《${facts.documentTitle}》` : '文书';
      // A moment on the issue day itself is compared with the issue time: both are named with their times.
      const [served, issued] = !dateOnly && servedDay === issuedDay ? [chineseMoment(given), chineseMoment(facts.issuedAt)] : [chineseDay(servedDay), chineseDay(issuedDay)];
      return { ok: false, reason: 'before-issue', message: `送达日期${served}早于${title}签发时间（${issued}），${SERVICE_DATE_FIX}` };
    }
    if (dateOnly && servedDay === issuedDay) return { ok: true, servedAt: Math.max(given, facts.issuedAt) };
  }
  return { ok: true, servedAt: given };
}
