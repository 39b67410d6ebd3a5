/**
 * The small interface every notification channel implements, and the errors it answers with.
 *
 * A channel file (channels/<name>.ts) exports a factory that takes its settings (from the config)
 * and gives a `Notifier`. Shared code asks the registry for a channel by its name and never branches
 * on it; what a channel cannot do (an address it does not have) is a `NotifyError` like any other.
 */

import type { DeliveryReason } from '../../core/failure-reasons.ts';

/** One message on its way to one person (or, for the webhook, to the office's own receiver). */
export interface OutgoingMessage {
  /** Stable for the message's whole life: a Message-ID, an idempotency header. */
  key: string;
  /** Where: an e-mail address, a Telegram chat id; the webhook ignores it. */
  address: string;
  subject: string;
  /** Plain text, whole sentences, in the person's language. */
  text: string;
  /** The desk page to act on. */
  link: string;
  /** What happened, for machines reading the webhook: the event and its values. */
  event: { name: string; values: Record<string, string | number> };
}

export interface Notifier {
  send(message: OutgoingMessage, signal: AbortSignal): Promise<void>;
}

/**
 * What went wrong, sorted by what happens next:
 * - transient: refused connection, timeout, 5xx, 4xx SMTP replies, 429: back off and try again;
 * - permanent: the address or the settings are wrong (5xx SMTP reply, 400/401/403/404): give up and
 *   say so on the person's preferences page.
 */
export type NotifyErrorKind = 'transient' | 'permanent';

export class NotifyError extends Error {
  readonly code = 'notify_failed';
  /**
   * `reason` (with `values`, e.g. the answer's status) is what the person reads, in their language;
   * `message` is the channel's own English for the detail and the log.
   */
  constructor(readonly kind: NotifyErrorKind, readonly reason: DeliveryReason, message: string, readonly values: Record<string, string | number> = {}, readonly retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** An HTTP answer sorted the one way every HTTP channel sorts it. */
export function errorForHttpStatus(status: number, message: string, retryAfterMs?: number): NotifyError {
  return new NotifyError(status === 429 || status === 408 || status >= 500 ? 'transient' : 'permanent', 'refused', message, { status }, retryAfterMs);
}

/** A failed fetch (refused, reset, aborted by our timeout) is always worth another try. */
export function errorForFetch(err: unknown, what: string): NotifyError {
  if (err instanceof NotifyError) return err;
  const timedOut = (err as Error)?.name === 'TimeoutError';
  return new NotifyError('transient', timedOut ? 'timeout' : 'unreachable', `${what}: ${(err as Error).message}`, {}, undefined, { cause: err });
}
