import { ExprError } from '../../../../src/engine/runtime/expr';
import { nextOfCycle, schedule } from '../../../../src/engine/runtime/timers';

const now = Date.parse('2026-10-01T00:00:00Z');

describe('timer schedules', () => {
  test('durations, dates and FEEL', () => {
    expect(schedule({ kind: 'duration', expression: 'P3D' }, now, {})).toEqual({ dueAt: Date.parse('2026-10-04T00:00:00Z'), repetitions: null, interval: null });
    expect(schedule({ kind: 'date', expression: '2026-10-13T08:00:00+08:00' }, now, {}).dueAt).toBe(Date.parse('2026-10-13T00:00:00Z'));
    expect(schedule({ kind: 'duration', expression: '=wait' }, now, { wait: 'PT2H' }).dueAt).toBe(now + 2 * 3600_000);
    expect(schedule({ kind: 'duration', expression: '=duration("PT1H")' }, now, {}).dueAt).toBe(now + 3600_000);
  });

  test('cycles: bounded, unbounded, with a start date', () => {
    const r3 = schedule({ kind: 'cycle', expression: 'R3/PT1H' }, now, {});
    expect(r3).toEqual({ dueAt: now + 3600_000, repetitions: 2, interval: 'PT1H' });
    const second = nextOfCycle(r3.dueAt, r3.repetitions, r3.interval)!;
    expect(second).toEqual({ dueAt: now + 7200_000, repetitions: 1 });
    const third = nextOfCycle(second.dueAt, second.repetitions, r3.interval)!;
    expect(nextOfCycle(third.dueAt, third.repetitions, r3.interval)).toBeNull();
    expect(schedule({ kind: 'cycle', expression: 'R/P1D' }, now, {}).repetitions).toBe(-1);
    expect(nextOfCycle(now, -1, 'P1D')).toEqual({ dueAt: now + 86400_000, repetitions: -1 });
    expect(schedule({ kind: 'cycle', expression: 'R2/2026-10-02T00:00:00Z/PT30M' }, now, {}).dueAt).toBe(Date.parse('2026-10-02T00:00:00Z'));
  });

  test('bad values are expression errors (incidents), not crashes', () => {
    expect(() => schedule({ kind: 'duration', expression: 'soon' }, now, {})).toThrow(ExprError);
    expect(() => schedule({ kind: 'date', expression: 'tomorrow' }, now, {})).toThrow(ExprError);
    expect(() => schedule({ kind: 'cycle', expression: 'PT1H' }, now, {})).toThrow(ExprError);
    expect(() => schedule({ kind: 'duration', expression: '=missing' }, now, {})).toThrow(ExprError);
  });
});
