/** ISO-8601 duration arithmetic used by the clock and the engine's timers. */

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

export interface DurationParts {
  years: number; months: number; weeks: number; days: number;
  hours: number; minutes: number; seconds: number;
}

export const Temporal = {
  parseDuration(text: string): DurationParts {
    const m = DURATION.exec(text.trim());
    if (!m) throw new RangeError(`not an ISO-8601 duration: ${text}`);
    const n = (i: number) => (m[i] ? Number(m[i]) : 0);
    return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
  },

  /** Adds a duration to a date: years and months as calendar months, the rest as exact time. */
  addDuration(from: Date, text: string): Date {
    const d = Temporal.parseDuration(text);
    const out = new Date(from.getTime());
    if (d.years || d.months) out.setUTCMonth(out.getUTCMonth() + d.years * 12 + d.months);
    const ms = (((d.weeks * 7 + d.days) * 24 + d.hours) * 60 + d.minutes) * 60_000 + d.seconds * 1000;
    return new Date(out.getTime() + ms);
  },

  /** Length of a duration without years or months, in milliseconds. */
  durationToMs(text: string): number {
    const d = Temporal.parseDuration(text);
    if (d.years || d.months) throw new RangeError('years and months have no fixed length; use days');
    return Temporal.addDuration(new Date(0), text).getTime();
  },
};
