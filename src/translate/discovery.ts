/**
 * What a provider says it can do, read with patience and kept fresh: a discovery is retried with
 * backoff before anyone gives up on it, and its answer is read again in the background once it
 * has expired (the previous answer serves meanwhile, so a provider that is briefly down does not
 * take features away).
 */
import { retryDelay } from './failures.ts';

/** `read` until it succeeds, at most `attempts` times, waiting base, 2×base … between tries. */
export async function withRetries<T>(policy: { attempts: number; baseDelayMs: number }, read: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read(attempt);
    } catch (err) {
      if (attempt >= policy.attempts) throw err;
      await new Promise((r) => setTimeout(r, retryDelay(policy, attempt, undefined)));
    }
  }
}

/**
 * The value `discover` gives, for as long as it says (`validMs`); the first call waits for it,
 * later ones get the current value while a fresh one is read. A failed first discovery is tried
 * again at the next call; a failed refresh leaves the previous value in use and is reported.
 */
export function cachedDiscovery<T>(discover: () => Promise<{ value: T; validMs: number }>, onRefreshError: (err: unknown) => void): () => Promise<T> {
  let current: { value: T; until: number } | undefined;
  let pending: Promise<T> | undefined;
  const refresh = () => {
    pending ??= discover().then(({ value, validMs }) => {
      current = { value, until: Date.now() + validMs };
      return value;
    }).finally(() => { pending = undefined; });
    return pending;
  };
  return async () => {
    if (!current) return refresh();
    if (Date.now() >= current.until) refresh().catch(onRefreshError);
    return current.value;
  };
}
