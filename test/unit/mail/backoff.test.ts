import { DEFAULT_BACKOFF, parseRetryAfter, retryDelayMs } from '../../../src/mail/backoff';

describe('retryDelayMs', () => {
  const policy = { baseMs: 1_000, maxMs: 60_000 };

  it('doubles per attempt, with half the delay random', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(500);
    expect(retryDelayMs(1, policy, () => 1)).toBe(1_000);
    expect(retryDelayMs(2, policy, () => 0)).toBe(1_000);
    expect(retryDelayMs(4, policy, () => 1)).toBe(8_000);
  });

  it('never exceeds the cap', () => {
    expect(retryDelayMs(40, policy, () => 1)).toBe(60_000);
    expect(retryDelayMs(40, DEFAULT_BACKOFF, () => 0.999)).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
  });

  it('takes Retry-After as a floor with a little jitter', () => {
    expect(retryDelayMs(1, policy, () => 0, 120_000)).toBe(120_000);
    const d = retryDelayMs(1, policy, () => 1, 120_000);
    expect(d).toBeGreaterThan(120_000);
    expect(d).toBeLessThanOrEqual(121_000);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-21T10:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 2 ', now)).toBe(2_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Sat, 21 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(['1', '2'], now)).toBeUndefined();
  });
});
