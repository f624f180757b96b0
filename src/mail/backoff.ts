/** When to try a mail again after a transient failure. */

export interface BackoffPolicy {
  /** Delay after the first failed attempt. */
  baseMs: number;
  /** Longest delay between attempts. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 60 * 60_000 };

/**
 * Exponential back-off with "equal jitter": half the delay is fixed, half random, so senders that
 * failed together don't return together, and no retry comes sooner than half the nominal delay.
 * A Retry-After from the server is a floor, with up to 10 % jitter on top.
 */
export function retryDelayMs(attempts: number, policy: BackoffPolicy, random: () => number, retryAfterMs?: number): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  if (retryAfterMs !== undefined && retryAfterMs >= 0) {
    return Math.round(retryAfterMs + random() * Math.min(retryAfterMs * 0.1, policy.baseMs));
  }
  return Math.round(jittered);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: Date): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
