/**
 * A Facebook page through the Graph API over fetch: POST /{page-id}/feed with the message and the
 * link (Facebook draws the card from the page's OpenGraph tags), DELETE /{post-id} for takedowns.
 * The page access token needs pages_manage_posts. Errors come as {"error":{"code",…}}, sorted by
 * the Graph API's codes: 4, 17, 32, 341, 613 throttled; 102, 190, 200 and 10 auth; 506 duplicate.
 * No idempotency key and no lookup here: an interrupted send waits for a person.
 */
import { z } from 'zod';
import { formatFacebook } from '../format/plain.ts';
import { errorForStatus, SocialError, type Connection, type Network } from '../network.ts';
import { call, type Answer } from './http.ts';

const throttled = new Set([4, 17, 32, 341, 613]);
const authCodes = new Set([10, 102, 190, 200]);
/** The Graph API gives no Retry-After; its usage windows are an hour wide. */
const throttleWaitMs = 15 * 60_000;

/** What the Graph API answers on success: a post's id, or `success` for a deletion. */
const graphAnswer = z.object({ id: z.string().optional(), success: z.boolean().optional() });

function check(answer: Answer): z.infer<typeof graphAnswer> {
  if (answer.status < 300) return graphAnswer.safeParse(answer.body).data ?? {};
  const error = (answer.body as { error?: { code?: number; message?: string } } | null)?.error;
  const message = `Facebook answered ${answer.status}: ${error?.message ?? 'no message'} (code ${error?.code ?? '?'})`;
  if (error?.code !== undefined) {
    if (throttled.has(error.code)) throw new SocialError('rate_limited', message, throttleWaitMs);
    if (authCodes.has(error.code) || (error.code >= 200 && error.code < 300)) throw new SocialError('auth', message);
    if (error.code === 1 || error.code === 2) throw new SocialError('transient', message);
  }
  throw errorForStatus(answer.status, message);
}

export const facebookPage: Network = {
  name: 'facebook_page',
  credentialKeys: ['pageAccessToken'],
  needsTarget: true,
  needsServer: false,
  image: null,
  format: (content) => formatFacebook(content),

  connect(channel, credentials): Connection {
    const graph = (channel.server ?? 'https://graph.facebook.com/v21.0').replace(/\/+$/, '');
    const token = credentials.pageAccessToken!;
    return {
      publisher: {
        async publish(post, signal) {
          const body = new URLSearchParams({ message: post.formatted.text, link: post.content.url, access_token: token });
          const { id } = check(await call(`${graph}/${encodeURIComponent(channel.target!)}/feed`, { method: 'POST', body }, signal));
          if (!id) throw new SocialError('unknown_outcome', 'Facebook answered without a post id');
          return { id, url: `https://www.facebook.com/${id}` };
        },
      },
      remover: {
        async remove(ref, signal) {
          check(await call(`${graph}/${encodeURIComponent(ref.id)}?${new URLSearchParams({ access_token: token })}`, { method: 'DELETE' }, signal));
        },
      },
    };
  },
};
