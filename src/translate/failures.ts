/**
 * What happens after a provider fails, decided here and nowhere else. Each provider maps its own
 * errors (status codes, client error classes) to a ProviderError with one of these dispositions:
 *  - retry:   rate-limited or transient (429, 5xx, timeouts, a malformed answer) → wait and retry
 *  - quota:   the character quota is exhausted (456) → park, alert the admins, resume by itself
 *  - human:   authorization broken (403) → stop, alert the admins
 *  - give_up: the request itself is wrong (other 4xx) → fail with the reason on the translation
 */
import { backoffDelay } from '../core/backoff.ts';
import type { MachineReason } from '../core/failure-reasons.ts';

export type Disposition = 'retry' | 'quota' | 'human' | 'give_up';

/**
 * A provider's failure: what happens next (`disposition`), why in a word a person reads in their
 * language (`reason`), and the provider's own English `message` for the detail and the log.
 */
export class ProviderError extends Error {
  constructor(
    readonly disposition: Disposition,
    readonly reason: MachineReason,
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
    super('give_up', 'glossary_missing', message, undefined, undefined, cause);
  }
}

/** The retry layer's waits (the provider's own client never retries); the first wait and the
 *  attempts are configuration (translation.retry), so tests run fast. */
export const RETRY = {
  maxDelayMs: 5 * 60_000,
  /** ± this fraction of the wait, so parked workers do not all come back at once. */
  jitter: 0.25,
  /** Waits up to this long are slept inside the job; longer ones reschedule the job. */
  inlineWaitMs: 5000,
} as const;

export interface RetryPolicy { baseDelayMs: number; maxAttempts: number; quotaCheckMs: number }

/** The wait before attempt `attempt + 1`: the service's backoff, never less than Retry-After. */
export function retryDelay(policy: Pick<RetryPolicy, 'baseDelayMs'>, attempt: number, retryAfterMs: number | undefined, random = Math.random): number {
  return backoffDelay({ baseMs: policy.baseDelayMs, maxMs: RETRY.maxDelayMs, jitter: RETRY.jitter }, attempt, retryAfterMs, random);
}

export function asProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  // anything a provider did not sort is a bug or an outage of ours: retry, it may pass
  return new ProviderError('retry', 'unexpected', (err as Error)?.message ?? String(err), undefined, undefined, err);
}
