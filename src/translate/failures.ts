/**
 * What happens after a provider fails, decided here and nowhere else. Each provider maps its own
 * errors (status codes, client error classes) to a ProviderError with one of these dispositions:
 *  - retry:   rate-limited or transient (429, 5xx, timeouts, a malformed answer) → wait and retry
 *  - quota:   the character quota is exhausted (456) → park, alert the admins, resume by itself
 *  - human:   authorization broken (403) → stop, alert the admins
 *  - give_up: the request itself is wrong (other 4xx) → fail with the reason on the translation
 */
export type Disposition = 'retry' | 'quota' | 'human' | 'give_up';

export class ProviderError extends Error {
  constructor(
    readonly disposition: Disposition,
    message: string,
    readonly status?: number,
    /** The provider's Retry-After, in milliseconds, when it sent one. */
    readonly retryAfterMs?: number,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/**
 * The provider no longer has the glossary the request named (deleted there, a rotated key): the
 * caller drops the stored id, creates the glossary again and retries once (glossaries.ts). Left
 * unhandled it is a request that cannot succeed.
 */
export class GlossaryMissingError extends ProviderError {
  constructor(readonly glossaryId: string, message: string, cause?: unknown) {
    super('give_up', message, undefined, undefined, cause);
  }
}

/** Backoff of the retry layer (the provider's own client never retries). */
export const BACKOFF = {
  /** First wait; configurable (translation.retry.baseDelayMs) so tests run fast. */
  baseDelayMs: 1000,
  multiplier: 2,
  maxDelayMs: 5 * 60_000,
  /** ± this fraction of the wait, so parked workers do not all come back at once. */
  jitter: 0.25,
  /** Attempts before giving up on a translation (configurable: translation.retry.maxAttempts). */
  maxAttempts: 8,
  /** Waits up to this long are slept inside the job; longer ones reschedule the job. */
  inlineWaitMs: 5000,
  /** How often a parked quota is checked against the provider's usage. */
  quotaCheckMs: 10 * 60_000,
} as const;

export interface BackoffPolicy { baseDelayMs: number; maxAttempts: number; quotaCheckMs: number }

/** The wait before attempt `attempt + 1`: exponential with jitter, never less than Retry-After. */
export function retryDelay(policy: Pick<BackoffPolicy, 'baseDelayMs'>, attempt: number, retryAfterMs: number | undefined, random = Math.random): number {
  const exp = Math.min(policy.baseDelayMs * BACKOFF.multiplier ** Math.max(0, attempt - 1), BACKOFF.maxDelayMs);
  const jittered = exp * (1 + BACKOFF.jitter * (2 * random() - 1));
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

export function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  // anything a provider did not sort is a bug or an outage of ours: retry, it may pass
  return new ProviderError('retry', (err as Error)?.message ?? String(err), undefined, undefined, err);
}
