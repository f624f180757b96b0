/** Validation of request bodies, queries and route parameters with zod; unknown fields are refused. */
import { z } from 'zod';
import { ErrorDetail, errors } from '../errors';

export function parseInput<T extends z.ZodTypeAny>(schema: T, value: unknown, where: 'body' | 'query' | 'params'): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const details: ErrorDetail[] = [];
  for (const issue of result.error.issues) {
    const base = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) details.push({ path: `${base}.${key}`, message: 'unknown field' });
    } else {
      details.push({ path: base, message: issue.message });
    }
  }
  const summary = details.slice(0, 5).map((d) => `${d.path}: ${d.message}`).join('; ');
  throw errors.validation(`Invalid request (${summary}${details.length > 5 ? '; …' : ''}).`, details);
}

/** Route ids: UUIDs for our records, numeric keys for engine objects. */
export const uuidParam = z.strictObject({ id: z.string().uuid() });
export const keyParam = z.strictObject({ key: z.string().regex(/^\d{1,19}$/, 'a numeric key') });

/** Years a date in this service can sensibly fall in (cases, claim periods, deadlines, service dates). */
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2100;

/** Whether `YYYY-MM-DD` names a day that exists (2026-02-30 and 2026-13-45 do not) within the bounds. */
export function isCalendarDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return false;
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** A real calendar day as `YYYY-MM-DD`, years 1990–2100. */
export const calendarDate = () =>
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine(isCalendarDate, `a real calendar date between ${MIN_YEAR} and ${MAX_YEAR}`);

/**
 * An ISO 8601 date and time with an offset (`2026-03-01T09:30:00+08:00` or `…Z`) whose date part is a
 * real day and whose year is within 1990–2100 (zod's format check alone lets 2026-02-30 through).
 */
export const offsetDateTime = () =>
  z.iso.datetime({ offset: true }).refine((v) => isCalendarDate(v.slice(0, 10)) && Number.isFinite(Date.parse(v)), `a real date and time between ${MIN_YEAR} and ${MAX_YEAR}`);
