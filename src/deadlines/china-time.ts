/**
 * Calendar dates in China. Legal periods count days of the Chinese calendar (Asia/Shanghai, UTC+8,
 * no daylight saving since 1991), whatever time zone the server runs in, so instants are converted
 * with a fixed offset instead of the process's local zone (which `Date#getDate()` would use).
 */

/** A calendar date in China, 'YYYY-MM-DD'. */
export type LocalDate = string;

export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export type Instant = Date | number;

function ms(instant: Instant): number {
  const t = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError('invalid instant');
  return t;
}

/** The date in China at `instant`: 2026-09-30T20:00Z is already 2026-10-01 there. */
export function chinaDate(instant: Instant): LocalDate {
  return new Date(ms(instant) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function assertDate(date: LocalDate): void {
  if (!isLocalDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
}

/** Days since 1970-01-01 of a local date; the arithmetic below runs on these. */
function dayNumber(date: LocalDate): number {
  assertDate(date);
  return Date.parse(date + 'T00:00:00Z') / DAY_MS;
}

function fromDayNumber(n: number): LocalDate {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return fromDayNumber(dayNumber(date) + n);
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: LocalDate): number {
  return new Date(dayNumber(date) * DAY_MS).getUTCDay();
}

export function yearOf(date: LocalDate): number {
  assertDate(date);
  return Number(date.slice(0, 4));
}

/** The first instant of a day in China (00:00 +08:00). */
export function startOfChinaDay(date: LocalDate): Date {
  return new Date(dayNumber(date) * DAY_MS - CHINA_OFFSET_MS);
}

/**
 * The instant of a China wall-clock text without an offset — a date ('2026-10-13', its start) or a
 * date and time ('2026-10-13T09:30', seconds optional) — or null for any other text.
 */
export function chinaLocalInstant(text: string): number | null {
  if (isLocalDate(text)) return startOfChinaDay(text).getTime();
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(text);
  if (!m || !isLocalDate(m[1])) return null;
  const [h, min, sec] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || sec > 59) return null;
  const fraction = m[5] ? Math.floor(Number(m[5]) * 1000) : 0;
  return startOfChinaDay(m[1]).getTime() + ((h * 60 + min) * 60 + sec) * 1000 + fraction;
}

/** The last millisecond of a day in China (23:59:59.999 +08:00): a period's last day ends at 24:00. */
export function endOfChinaDay(date: LocalDate): Date {
  return new Date(startOfChinaDay(date).getTime() + DAY_MS - 1);
}

/** ISO-8601 text of an instant with China's offset, e.g. '2026-10-13T23:59:59.999+08:00', for explanations. */
export function formatChinaTime(instant: Instant): string {
  return new Date(ms(instant) + CHINA_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** Date and minute of an instant in China, '2026-10-13 23:59', for text people read (mail, notices). */
export function chinaDateTimeText(instant: Instant): string {
  return new Date(ms(instant) + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The day of an instant in China as people write it, '2026年10月13日'. */
export function chineseDateText(instant: Instant): string {
  const day = chinaDate(instant);
  return `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}

/**
 * Adds calendar months the way 民法典 第202条 counts them: the corresponding day of the final month,
 * or that month's last day when it has no such day (2026-01-31 + 1 month = 2026-02-28).
 */
export function addMonths(date: LocalDate, months: number): LocalDate {
  assertDate(date);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const d = Number(date.slice(8, 10));
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return new Date(Date.UTC(ty, tm, Math.min(d, last))).toISOString().slice(0, 10);
}
