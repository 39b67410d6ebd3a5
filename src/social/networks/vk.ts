/**
 * VK through vk-io 4 (Node ≥ 12.20; its `apiBaseUrl` and the upload URL VK hands out let the tests
 * use a local fake): a community's wall, posted as the community (`from_group`) with a community
 * administrator's user token (scopes wall, photos, offline). `target` is the community: its id
 * (`123456`, `-123456` or `club123456`).
 *
 * A post: the card uploaded with photos.getWallUploadServer → POST to the upload URL →
 * photos.saveWallPhoto (vk-io's upload.wallPhoto), then wall.post with the text, the photo and the
 * link as attachments, and the post's key as `guid`, VK's guard against the same post sent twice.
 * An interrupted send is looked up in the wall's latest posts (wall.get) by its link before any
 * retry. A takedown is wall.delete. vk-io's own retry of failed requests is off (a timeout may
 * have posted); it still waits out VK's "too many requests per second" (error 6) by itself.
 */
import { API, APIError, Upload } from 'vk-io';
import { formatVk } from '../format/vk.ts';
import { errorForFailedRequest, SocialError, type Connection, type Network, type PostIdentity, type PublishedRef } from '../network.ts';

/** How far back the wall is searched for an interrupted post. */
const lookBack = 40;

/** VK's error codes (dev.vk.com/reference/errors), sorted by what happens next. */
const AUTH = new Set([5, 14, 15, 17, 27, 28, 203]); // bad token, captcha, access denied, validation: a person must act
const RATE = new Map([[9, 60_000], [29, 3600_000]]); // flood control; the method's daily limit
const TRANSIENT = new Set([1, 10]); // unknown, internal server error

function mapError(err: unknown): Error {
  if (err instanceof APIError) {
    const code = Number(err.code);
    const message = `VK answered error ${code}: ${err.message}`;
    if (AUTH.has(code)) return new SocialError('auth', message);
    if (RATE.has(code)) return new SocialError('rate_limited', message, RATE.get(code));
    if (TRANSIENT.has(code)) return new SocialError('transient', message);
    return new SocialError('rejected', message);
  }
  return errorForFailedRequest(err);
}

/** `123456`, `-123456`, `club123456`, `public123456` → 123456. */
export function communityId(target: string): number {
  const id = Number(/^(?:-|club|public)?(\d+)$/.exec(target.trim())?.[1]);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Error(`VK target "${target}" is not a community id such as 123456 or club123456`);
  return id;
}

interface WallItem { id?: number; text?: string; attachments?: Array<{ type?: string; link?: { url?: string } }> }

export const vk: Network = {
  name: 'vk',
  credentialKeys: ['accessToken'],
  needsTarget: true,
  needsServer: false,
  // VK shows wall photos up to 1280 wide; its upload takes up to 50 MB
  image: { width: 1280, height: 720, maxBytes: 5 * 1024 * 1024 },
  format: (content) => formatVk(content),

  connect(channel, credentials): Connection {
    const groupId = communityId(channel.target!);
    const ownerId = -groupId;
    const api = new API({
      token: credentials.accessToken!,
      apiBaseUrl: `${(channel.server ?? 'https://api.vk.ru').replace(/\/+$/, '')}/method`,
      apiRetryLimit: 0,
      apiVersion: '5.199',
    });
    const upload = new Upload({ api });
    const ref = (postId: number): PublishedRef => ({ id: String(postId), url: `https://vk.com/wall${ownerId}_${postId}` });
    const isOurs = (post: PostIdentity) => (item: WallItem) =>
      item.attachments?.some((a) => a.type === 'link' && a.link?.url === post.content.url) || !!item.text?.includes(post.content.url);

    return {
      publisher: {
        async publish(post) {
          try {
            const attachments: string[] = [];
            if (post.image) {
              const photo = await upload.wallPhoto({
                source: { value: post.image.bytes, filename: 'card.jpg', contentType: post.image.mime },
                group_id: groupId, caption: post.image.alt,
              });
              attachments.push(photo.toString());
            }
            attachments.push(post.content.url);
            const res = await api.wall.post({ owner_id: ownerId, from_group: 1, message: post.formatted.text, attachments: attachments.join(','), guid: post.key });
            return ref(res.post_id);
          } catch (err) {
            throw mapError(err);
          }
        },
      },
      remover: {
        async remove(published) {
          try {
            await api.wall.delete({ owner_id: ownerId, post_id: Number(published.id) });
          } catch (err) {
            throw mapError(err);
          }
        },
      },
      verifier: {
        async find(post) {
          try {
            const wall = await api.wall.get({ owner_id: ownerId, count: lookBack });
            const hit = (wall.items as WallItem[]).find(isOurs(post));
            return hit?.id ? ref(hit.id) : null;
          } catch (err) {
            throw mapError(err);
          }
        },
      },
    };
  },
};
