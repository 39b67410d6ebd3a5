/**
 * The small interfaces every network implements, and the errors they answer with.
 *
 * A network file (networks/<name>.ts) exports one `Network`: how it formats a post (pure), the
 * image card it wants, and `connect`, which gives a `Publisher` and, where the network's API
 * allows, a `Remover` (takedowns) and a `Verifier` (did an interrupted send reach the channel?).
 * Shared code asks for the ability, never for the network's name.
 */
import type { FormattedPost, PostContent } from './format/content.ts';
import type { ImageCard, ImageSpec } from './image.ts';

/** Which post this is: `key` is stable for the post's whole life (idempotency). */
export interface PostIdentity {
  key: string;
  /** When the post row was created: with `key`, seeds deterministic ids (Bluesky's record key). */
  createdAt: Date;
  /** This attempt's time: what the network shows as the post's time where the client sets it. */
  at: Date;
  content: PostContent;
  image: ImageCard | null;
}

/**
 * One post on its way out, formatted once by its network's `format` (the same text is recorded as
 * sent): a publisher sends `formatted` and never formats again.
 */
export interface OutgoingPost<P extends FormattedPost = FormattedPost> extends PostIdentity {
  formatted: P;
}

/** Where the post lives on the network. */
export interface PublishedRef {
  id: string;
  url: string | null;
}

export interface Publisher<P extends FormattedPost = FormattedPost> {
  publish(post: OutgoingPost<P>, signal: AbortSignal): Promise<PublishedRef>;
}

export interface Remover {
  remove(ref: PublishedRef, signal: AbortSignal): Promise<void>;
}

export interface Verifier {
  /** The post if the channel has it, null if it certainly does not. */
  find(post: PostIdentity, signal: AbortSignal): Promise<PublishedRef | null>;
}

export interface Connection<P extends FormattedPost = FormattedPost> {
  publisher: Publisher<P>;
  remover?: Remover;
  verifier?: Verifier;
}

export interface ChannelSettings {
  id: string;
  server: string | undefined;
  target: string | undefined;
}

export interface Network<P extends FormattedPost = FormattedPost> {
  name: string;
  /** Credential keys the network needs in `credentials:` (values come from the environment). */
  credentialKeys: readonly string[];
  /** Whether `target` (a chat or page id) is required. */
  needsTarget: boolean;
  /** Whether `server` is required (no public default, e.g. a webhook receiver or a Mastodon instance). */
  needsServer: boolean;
  /** The image card this network shows with a post, or null when it draws its own from the page. */
  image: ImageSpec | null;
  /**
   * The post exactly as it will appear, with its length counted the network's way; `maxCharacters`:
   * the channel's own limit where the network lets each server set one (Mastodon).
   */
  format(content: PostContent, opts: { hasImage: boolean; maxCharacters?: number | undefined }): P;
  connect(channel: ChannelSettings, credentials: Record<string, string>): Connection<P>;
}

/**
 * What went wrong, sorted by what happens next:
 * - rate_limited: wait `retryAfterMs` (the channel pauses), then try again;
 * - transient: 5xx, refused connection: back off and try again, up to a limit;
 * - unknown_outcome: a timeout or a cut connection after the request left: the post may exist,
 *   so the channel is asked (Verifier) before any retry;
 * - auth: 401/403: the channel is marked broken and its posts wait for a person;
 * - rejected: the network refused this post (422, duplicate, too long): retrying will not help.
 */
export type SocialErrorKind = 'rate_limited' | 'transient' | 'unknown_outcome' | 'auth' | 'rejected';

export class SocialError extends Error {
  constructor(readonly kind: SocialErrorKind, message: string, readonly retryAfterMs?: number, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The usual HTTP status → error mapping; networks with their own codes (Telegram, Facebook) refine it. */
export function errorForStatus(status: number, message: string, retryAfterMs?: number): SocialError {
  if (status === 429) return new SocialError('rate_limited', message, retryAfterMs ?? 60_000);
  if (status === 401 || status === 403) return new SocialError('auth', message);
  if (status === 408 || status >= 500) return new SocialError('transient', message);
  return new SocialError('rejected', message);
}

/** A client library's plain header record (Node's or XRPC's) as Headers, for retryAfterMs. */
export function headersOf(record: Readonly<Record<string, string | string[] | undefined>> | undefined): Headers {
  return new Headers(Object.entries(record ?? {}).flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)] as [string, string]])));
}

/** Retry-After as seconds or an HTTP date, or a rate-limit reset given as epoch seconds. */
export function retryAfterMs(headers: Headers | undefined, now: Date): number | undefined {
  const value = headers?.get('retry-after');
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(value);
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  const reset = headers?.get('x-ratelimit-reset') ?? headers?.get('x-rate-limit-reset') ?? headers?.get('ratelimit-reset');
  if (reset) {
    const n = Number(reset);
    if (Number.isFinite(n)) return Math.max(0, n > 1e9 ? n * 1000 - now.getTime() : n * 1000);
    const at = Date.parse(reset); // Mastodon sends an ISO 8601 time
    if (!Number.isNaN(at)) return Math.max(0, at - now.getTime());
  }
  return undefined;
}

/** A fetch failure before any answer: aborted by our timeout → unknown outcome; refused → transient. */
export function errorForFailedRequest(err: unknown): SocialError {
  if (err instanceof SocialError) return err;
  const e = err as { name?: string; cause?: { code?: string }; code?: string; message?: string };
  const code = e.cause?.code ?? e.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new SocialError('transient', `cannot connect: ${code}`, undefined, { cause: err });
  }
  return new SocialError('unknown_outcome', `no answer: ${e.message ?? String(err)}`, undefined, { cause: err });
}
