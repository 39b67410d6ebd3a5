/**
 * X through twitter-api-v2 with an OAuth 2.0 user-context token: the card image through the v2
 * chunked upload (initialize, append, finalize) with its alt text as media metadata, then
 * POST /2/tweets; DELETE /2/tweets/:id for takedowns. X has no idempotency key and no cheap way
 * to look a post up, so an interrupted send is not retried blindly: it waits for a person.
 */
import { ApiRequestError, ApiResponseError, TwitterApi, TwitterApiv2 } from 'twitter-api-v2';
import { formatX } from '../format/x.ts';
import { errorForFailedRequest, errorForStatus, headersOf, retryAfterMs, SocialError, type Connection, type Network } from '../network.ts';

function mapError(err: unknown): Error {
  if (err instanceof ApiResponseError) {
    const detail = (err.data as { detail?: string; title?: string }).detail ?? err.data.title ?? err.message;
    // X answers a duplicate text with 403: the post exists already, the token is fine
    if (err.code === 403 && /duplicate/i.test(String(detail))) return new SocialError('rejected', `X refused a duplicate post: ${detail}`);
    return errorForStatus(err.code, `X answered ${err.code}: ${detail}`, retryAfterMs(headersOf(err.headers), new Date()));
  }
  if (err instanceof ApiRequestError) return errorForFailedRequest(err.requestError);
  return errorForFailedRequest(err);
}

/** The v2 client on another base URL (the library's own cloneWithPrefix calls a class without `new`). */
class PrefixedV2 extends TwitterApiv2 {
  constructor(base: TwitterApi, prefix: string) {
    super(base);
    this.setPrefix(prefix);
  }
}

/** Settles with the work or rejects when the signal aborts (the client takes no signal). */
function race<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(Object.assign(new Error('request timed out'), { name: 'TimeoutError' }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export const x: Network = {
  name: 'x',
  credentialKeys: ['accessToken'],
  needsTarget: false,
  needsServer: false,
  image: { width: 1200, height: 675, maxBytes: 5 * 1024 * 1024 },
  format: (content) => formatX(content),

  connect(channel, credentials): Connection {
    const client = new TwitterApi(credentials.accessToken!);
    const v2 = channel.server ? new PrefixedV2(client, `${channel.server.replace(/\/+$/, '')}/2/`) : client.readWrite.v2;
    return {
      publisher: {
        async publish(post, signal) {
          try {
            const mediaIds: string[] = [];
            if (post.image) {
              const id = await race(v2.uploadMedia(post.image.bytes, { media_type: 'image/jpeg' }), signal);
              await race(v2.createMediaMetadata(id, { alt_text: { text: post.image.alt.slice(0, 1000) } }), signal);
              mediaIds.push(id);
            }
            const { text } = post.formatted;
            const res = await race(v2.tweet(mediaIds.length ? { text, media: { media_ids: mediaIds as [string] } } : { text }), signal);
            return { id: res.data.id, url: `https://x.com/i/web/status/${res.data.id}` };
          } catch (err) {
            throw mapError(err);
          }
        },
      },
      remover: {
        async remove(ref, signal) {
          try {
            await race(v2.deleteTweet(ref.id), signal);
          } catch (err) {
            if (err instanceof ApiResponseError && err.code === 404) return;
            throw mapError(err);
          }
        },
      },
    };
  },
};
