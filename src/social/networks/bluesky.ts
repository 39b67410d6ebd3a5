/**
 * Bluesky through @atproto/api. The session is created once per channel and kept (session
 * creation is limited to 30 per 5 minutes); the agent refreshes it when the access token expires.
 * A post is `com.atproto.repo.createRecord` with a deterministic record key (tid.ts), so an
 * interrupted send is checked with getRecord on that key, and a takedown is deleteRecord on it.
 * The link card is an external embed with the card image uploaded as a blob (≤ 1,000,000 bytes).
 * An answer to a false claim said on Bluesky is a reply record: the post (an at:// URI; a handle
 * in it is resolved to its DID) is read through app.bsky.feed.getPosts for its CID, and the reply
 * names it as parent and its thread's root as root (strong refs). A post that cannot be found
 * leaves the answer a post of its own.
 */
import { AtpAgent, XRPCError, type AtpSessionData } from '@atproto/api';
import { formatBluesky, type BlueskyPost } from '../format/bluesky.ts';
import { errorForFailedRequest, errorForStatus, headersOf, retryAfterMs, type Connection, type Network, type PostIdentity } from '../network.ts';
import { deterministicTid } from './tid.ts';

const collection = 'app.bsky.feed.post';

function mapError(err: unknown): Error {
  if (err instanceof XRPCError && err.status > 1) {
    return errorForStatus(err.status, `Bluesky answered ${err.status}: ${err.error}${err.message ? ` (${err.message})` : ''}`, retryAfterMs(headersOf(err.headers), new Date()));
  }
  return errorForFailedRequest(err);
}

export const bluesky: Network<BlueskyPost> = {
  name: 'bluesky',
  credentialKeys: ['identifier', 'password'],
  needsTarget: false,
  needsServer: false,
  image: { width: 1200, height: 630, maxBytes: 1_000_000 },
  format: (content) => formatBluesky(content),

  connect(channel, credentials): Connection<BlueskyPost> {
    let session: AtpSessionData | undefined;
    const agent = new AtpAgent({
      service: channel.server ?? 'https://bsky.social',
      persistSession: (_event, data) => { session = data; },
    });
    let login: Promise<unknown> | undefined;
    const ready = async () => {
      if (session && agent.session) return agent.session;
      login ??= agent.login({ identifier: credentials.identifier!, password: credentials.password! }).finally(() => { login = undefined; });
      await login;
      return agent.session!;
    };
    const locate = async (post: PostIdentity) => {
      const me = await ready();
      return { repo: me.did, handle: me.handle, rkey: deterministicTid(post.createdAt, post.key) };
    };
    const webUrl = (handle: string, rkey: string) => `https://bsky.app/profile/${handle}/post/${rkey}`;
    const replyOf = async (uri: string, signal: AbortSignal) => {
      const m = /^at:\/\/([^/]+)\/(app\.bsky\.feed\.post)\/([^/?#]+)$/.exec(uri);
      if (!m) return undefined;
      const authority = m[1]!.startsWith('did:') ? m[1]! : await agent.com.atproto.identity.resolveHandle({ handle: m[1]! }, { signal }).then((r) => r.data.did, (err: unknown) => {
        if (err instanceof XRPCError && err.status === 400) return undefined; // no such handle (any more)
        throw err;
      });
      if (!authority) return undefined;
      const found = (await agent.app.bsky.feed.getPosts({ uris: [`at://${authority}/${m[2]}/${m[3]}`] }, { signal })).data.posts[0];
      if (!found) return undefined;
      const parent = { uri: found.uri, cid: found.cid };
      const root = (found.record as { reply?: { root?: { uri?: unknown; cid?: unknown } } }).reply?.root;
      return { root: typeof root?.uri === 'string' && typeof root.cid === 'string' ? { uri: root.uri, cid: root.cid } : parent, parent };
    };

    return {
      publisher: {
        async publish(post, signal) {
          try {
            const { repo, handle, rkey } = await locate(post);
            const { formatted } = post;
            let thumb: unknown;
            if (post.image) {
              const blob = await agent.com.atproto.repo.uploadBlob(post.image.bytes, { encoding: post.image.mime, signal });
              thumb = blob.data.blob;
            }
            const reply = post.content.replyTo ? await replyOf(post.content.replyTo, signal) : undefined;
            const record = {
              $type: collection,
              ...(reply ? { reply } : {}),
              text: formatted.text,
              facets: formatted.facets,
              langs: [post.content.language],
              createdAt: post.at.toISOString(),
              embed: { $type: 'app.bsky.embed.external', external: { ...formatted.card, ...(thumb ? { thumb } : {}) } },
            };
            const res = await agent.com.atproto.repo.createRecord({ repo, collection, rkey, record }, { signal });
            return { id: res.data.uri, url: webUrl(handle, rkey) };
          } catch (err) {
            throw mapError(err);
          }
        },
      },
      remover: {
        async remove(ref, signal) {
          try {
            const me = await ready();
            const rkey = ref.id.split('/').at(-1)!;
            await agent.com.atproto.repo.deleteRecord({ repo: me.did, collection, rkey }, { signal });
          } catch (err) {
            throw mapError(err);
          }
        },
      },
      verifier: {
        async find(post, signal) {
          try {
            const { repo, handle, rkey } = await locate(post);
            const res = await agent.com.atproto.repo.getRecord({ repo, collection, rkey }, { signal });
            return { id: res.data.uri, url: webUrl(handle, rkey) };
          } catch (err) {
            if (err instanceof XRPCError && (err.error === 'RecordNotFound' || err.status === 404)) return null;
            throw mapError(err);
          }
        },
      },
    };
  },
};
