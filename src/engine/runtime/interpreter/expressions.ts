/** Expressions of a diagram evaluated during a step; a failure becomes an incident of the given type. */
import { expr, exprString, feel } from '../expr';
import type { Vars } from '../../port-types';
import { IncidentError } from './errors';

export function evalFeel(now: number, source: string, ctx: Vars, type: string): unknown {
  try {
    return feel(source, ctx, now);
  } catch (e) {
    throw new IncidentError(type, (e as Error).message);
  }
}

export function evalExpr(now: number, value: string, ctx: Vars, type = 'EXTRACT_VALUE_ERROR'): unknown {
  try {
    return expr(value, ctx, now);
  } catch (e) {
    throw new IncidentError(type, (e as Error).message);
  }
}

export function evalString(now: number, value: string, ctx: Vars, what: string): string {
  try {
    return exprString(value, ctx, what, now);
  } catch (e) {
    throw new IncidentError('EXTRACT_VALUE_ERROR', (e as Error).message);
  }
}

/** An optional attribute that must give a string (a number is taken as its text); null when unset or null. */
export function optString(now: number, value: string | undefined, ctx: Vars, what: string): string | null {
  if (value === undefined || value === '') return null;
  const v = evalExpr(now, value, ctx);
  if (v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected ${what} '${value}' to be a string, but was ${typeof v}.`);
}

/** An optional attribute that must give a list of strings or a comma-separated string. */
export function optList(now: number, value: string | undefined, ctx: Vars, what: string): string[] {
  if (value === undefined || value === '') return [];
  const v = evalExpr(now, value, ctx);
  if (v === null) return [];
  if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected ${what} '${value}' to be a list of strings or a comma-separated string.`);
}

/** An optional attribute that must give an ISO-8601 date-time; epoch milliseconds. */
export function optDate(now: number, value: string | undefined, ctx: Vars, what: string): number | null {
  const s = optString(now, value, ctx, what);
  if (s === null) return null;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new IncidentError('EXTRACT_VALUE_ERROR', `Expected ${what} '${value}' to be an ISO-8601 date-time, but was '${s}'.`);
  return t;
}
