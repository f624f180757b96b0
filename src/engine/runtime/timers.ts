/** Timer definitions to due times: ISO durations, date-times and repeating intervals (R3/PT1H, R/PT1H). */
import { Temporal } from '../../clock/temporal';
import { TimerDefinition } from '../model/types';
import { ExprError, exprString } from './expr';

export interface TimerSchedule {
  dueAt: number;
  /** Firings left after this one: null for one-shot timers, -1 for unbounded cycles. */
  repetitions: number | null;
  interval: string | null;
}

export function schedule(def: TimerDefinition, now: number, context: Record<string, unknown>): TimerSchedule {
  const value = exprString(def.expression, context, 'timer').trim();
  try {
    if (def.kind === 'duration') return { dueAt: Temporal.addDuration(new Date(now), value).getTime(), repetitions: null, interval: null };
    if (def.kind === 'date') {
      const t = Date.parse(value);
      if (Number.isNaN(t)) throw new RangeError(`not an ISO-8601 date-time: ${value}`);
      return { dueAt: t, repetitions: null, interval: null };
    }
    return cycle(value, now);
  } catch (e) {
    if (e instanceof ExprError) throw e;
    throw new ExprError(`invalid timer ${def.kind} '${value}': ${(e as Error).message}`);
  }
}

function cycle(value: string, now: number): TimerSchedule {
  const parts = value.split('/');
  const m = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!m || parts.length < 2 || parts.length > 3) throw new RangeError('expected a repeating interval such as R3/PT1H');
  const total = m[1] === '' ? -1 : Number(m[1]);
  if (total === 0) throw new RangeError('a cycle repeats at least once');
  const interval = parts.length === 3 ? parts[2] : parts[1];
  Temporal.parseDuration(interval);
  let dueAt: number;
  if (parts.length === 3) {
    const start = Date.parse(parts[1]);
    if (Number.isNaN(start)) throw new RangeError(`not an ISO-8601 start date: ${parts[1]}`);
    dueAt = start;
  } else {
    dueAt = Temporal.addDuration(new Date(now), interval).getTime();
  }
  return { dueAt, repetitions: total === -1 ? -1 : total - 1, interval };
}

/** The next firing of a cycle after one at `firedDue`, or null when the cycle is exhausted. */
export function nextOfCycle(firedDue: number, repetitions: number | null, interval: string | null): { dueAt: number; repetitions: number } | null {
  if (!interval || repetitions === null || repetitions === 0) return null;
  return { dueAt: Temporal.addDuration(new Date(firedDue), interval).getTime(), repetitions: repetitions === -1 ? -1 : repetitions - 1 };
}
