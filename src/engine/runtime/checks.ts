/**
 * What every command of the embedded engine checks at its door (keys, variables, time to live) and the
 * small conversions its rows need. Refusals are EngineRejections (../rejection.ts).
 */
import { Temporal } from '../../clock/temporal';
import type { Vars } from '../port-types';
import { EngineRejection, reject } from '../rejection';

export const num = (v: number | string | null | undefined): number => Number(v);
export const iso = (v: number | string | null | undefined): string | null => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());
export const str = (v: number | string | null | undefined): string | null => (v === null || v === undefined ? null : String(v));

export function notFound(code: string, message: string): EngineRejection {
  return reject.notFound(code, message);
}

/** A key as the tables store it (a positive integer); anything else is a record that does not exist. */
export function parseKey(key: string | number, code: string, what: string): number {
  const k = typeof key === 'number' ? key : /^\d{1,15}$/.test(key) ? Number(key) : NaN;
  if (!Number.isSafeInteger(k) || k <= 0) throw notFound(code, `No ${what} ${String(key)}.`);
  return k;
}

/** Variable names are stored in a column of this many characters (the variables table's name). */
const MAX_VARIABLE_NAME = 255;

export function checkVariables(v: unknown): Vars {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw reject.invalidArgument('VARIABLES_NOT_OBJECT', 'Variables must be a JSON object.');
  const long = Object.keys(v).find((name) => name.length > MAX_VARIABLE_NAME);
  if (long !== undefined) {
    throw reject.invalidArgument('VARIABLE_NAME_TOO_LONG', `A variable name is at most ${MAX_VARIABLE_NAME} characters; '${long.slice(0, 40)}…' is ${long.length}.`);
  }
  return v as Vars;
}

export function parseTimeToLive(ttl: number | string | undefined): number {
  if (ttl === undefined || ttl === null || ttl === '') return 0;
  if (typeof ttl === 'number') {
    if (!Number.isFinite(ttl) || ttl < 0) throw reject.invalidArgument('INVALID_TIME_TO_LIVE', 'timeToLive must be a non-negative number of milliseconds or an ISO-8601 duration.');
    return Math.floor(ttl);
  }
  if (/^\d+$/.test(ttl)) return Number(ttl);
  try {
    return Temporal.durationToMs(ttl);
  } catch {
    throw reject.invalidArgument('INVALID_TIME_TO_LIVE', `timeToLive '${ttl}' is neither milliseconds nor an ISO-8601 duration such as PT1H or P3D.`);
  }
}
