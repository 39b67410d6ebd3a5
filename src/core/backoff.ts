/**
 * The one backoff of the service: after each failure the wait doubles from a base, up to a
 * ceiling, spread by an optional jitter so that many waiters do not come back together, and never
 * shorter than what the other side asked for (an HTTP Retry-After), itself capped so that a hostile
 * answer cannot park work for a year. Each stage names its own policy beside its use.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** ± this fraction of the wait (0.25: between 75 % and 125 %); 0 by default. */
  jitter?: number;
  /** The longest Retry-After honoured; longer asks are cut to this. */
  maxRetryAfterMs?: number;
}

/** The wait after `failures` consecutive failures (1 for the first). */
export function backoffDelay(policy: BackoffPolicy, failures: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  const jittered = policy.jitter ? exp * (1 + policy.jitter * (2 * random() - 1)) : exp;
  const asked = Math.min(retryAfterMs ?? 0, policy.maxRetryAfterMs ?? Infinity);
  return Math.round(Math.max(jittered, asked));
}
