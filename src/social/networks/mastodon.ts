/**
 * Mastodon through masto.js: POST /api/v2/media (with a description), POST /api/v1/statuses with
 * the post's key as `Idempotency-Key` (the server keeps it an hour, so a retry within that hour
 * returns the first status instead of posting twice), DELETE /api/v1/statuses/:id. An interrupted
 * send is checked in the account's latest statuses, looking for the link to the translation.
 * An answer to a false claim said on Mastodon is posted with `in_reply_to_id`: the status is found
 * from its address by the instance's search (resolve=true fetches a status of another instance);
 * one that cannot be found (deleted, instance gone) leaves the answer a post of its own.
 */
import { createRestAPIClient, MastoHttpError, MastoTimeoutError } from 'masto';
import { formatMastodon } from '../format/mastodon.ts';
import { errorForFailedRequest, errorForStatus, retryAfterMs, type Connection, type Network } from '../network.ts';

/** How far back the latest statuses are searched for an interrupted post. */
const lookBack = 40;

function mapError(err: unknown): Error {
  if (err instanceof MastoHttpError) {
    const headers = err.cause instanceof Response ? err.cause.headers : undefined;
    return errorForStatus(err.statusCode, `Mastodon answered ${err.statusCode}: ${err.message}${err.description ? ` (${err.description})` : ''}`, retryAfterMs(headers, new Date()));
  }
  if (err instanceof MastoTimeoutError) return errorForFailedRequest(Object.assign(new Error(err.message), { name: 'TimeoutError' }));
  return errorForFailedRequest(err);
}

export const mastodon: Network = {
  name: 'mastodon',
  credentialKeys: ['accessToken'],
  needsTarget: false,
  needsServer: true,
  image: { width: 1200, height: 675, maxBytes: 8 * 1024 * 1024 },
  format: (content, opts) => formatMastodon(content, opts.maxCharacters),

  connect(channel, credentials): Connection {
    const client = createRestAPIClient({ url: channel.server!, accessToken: credentials.accessToken! });
    return {
      publisher: {
        async publish(post, signal) {
          try {
            const mediaIds: string[] = [];
            if (post.image) {
              const media = await client.v2.media.create({ file: new Blob([new Uint8Array(post.image.bytes)], { type: post.image.mime }), description: post.image.alt }, { requestInit: { signal } });
              mediaIds.push(media.id);
            }
            let inReplyToId: string | undefined;
            if (post.content.replyTo) {
              const found = await client.v2.search.list({ q: post.content.replyTo, type: 'statuses', resolve: true, limit: 1 }, { requestInit: { signal } });
              inReplyToId = found.statuses[0]?.id;
            }
            const status = await client.v1.statuses.create(
              { status: post.formatted.text, mediaIds, language: post.content.language.slice(0, 2), visibility: 'public', ...(inReplyToId ? { inReplyToId } : {}) },
              { requestInit: { signal, headers: { 'Idempotency-Key': post.key } } },
            );
            return { id: status.id, url: status.url ?? status.uri };
          } catch (err) {
            throw mapError(err);
          }
        },
      },
      remover: {
        async remove(ref, signal) {
          try {
            await client.v1.statuses.$select(ref.id).remove(undefined, { requestInit: { signal } });
          } catch (err) {
            if (err instanceof MastoHttpError && err.statusCode === 404) return; // already gone
            throw mapError(err);
          }
        },
      },
      verifier: {
        async find(post, signal) {
          try {
            const me = await client.v1.accounts.verifyCredentials(undefined, { requestInit: { signal } });
            const statuses = await client.v1.accounts.$select(me.id).statuses.list({ limit: lookBack }, { requestInit: { signal } });
            const hit = statuses.find((s) => s.content.includes(post.content.url) || s.card?.url === post.content.url);
            return hit ? { id: hit.id, url: hit.url ?? hit.uri } : null;
          } catch (err) {
            throw mapError(err);
          }
        },
      },
    };
  },
};
