/**
 * The one clock of the service: the engine's timers, deadlines, sessions and the audit log read it.
 * Tests move it forward (like Camunda's `increaseTime`); that control exists only on a TestClock,
 * which is built only when the TEST_CLOCK setting is on.
 */
import { Temporal } from './temporal';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export class TestClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock = systemClock) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }

  /** Moves the clock forward by an ISO-8601 duration such as `P3D` or `PT2H30M`. Never backwards. */
  advance(isoDuration: string): Date {
    const ms = Temporal.durationToMs(isoDuration);
    if (ms <= 0) throw new RangeError('the clock only moves forward');
    this.offsetMs += ms;
    return this.now();
  }

  get offset(): number {
    return this.offsetMs;
  }

  setOffset(ms: number): void {
    this.offsetMs = Math.max(this.offsetMs, ms);
  }
}

export function isTestClock(clock: Clock): clock is TestClock {
  return clock instanceof TestClock;
}
