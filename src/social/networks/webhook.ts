/**
 * A webhook: the post as JSON to `server`, for a partner's own system or a network we do not
 * speak. Every request carries the post's `Idempotency-Key`; with a `secret` credential the body
 * is signed (X-Doingoai-Signature: sha256=<hex HMAC of the body>). A 2xx answer may name the
 * post ({"id","url"}). A takedown is the same URL with `"event":"post.removed"`.
 */
import { createHmac } from 'node:crypto';
import { formatWebhook } from '../format/plain.ts';
import { errorForStatus, retryAfterMs, type Connection, type Network } from '../network.ts';
import { call } from './http.ts';

export const webhook: Network = {
  name: 'webhook',
  credentialKeys: [],
  needsTarget: false,
  needsServer: true,
  image: null,
  format: (content) => formatWebhook(content),

  connect(channel, credentials): Connection {
    const send = async (key: string, payload: Record<string, unknown>, signal: AbortSignal) => {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': key };
      if (credentials.secret) headers['x-doingoai-signature'] = `sha256=${createHmac('sha256', credentials.secret).update(body).digest('hex')}`;
      const answer = await call(channel.server!, { method: 'POST', headers, body }, signal);
      if (answer.status >= 300) throw errorForStatus(answer.status, `the webhook answered ${answer.status}`, retryAfterMs(answer.headers, new Date()));
      return (answer.body && typeof answer.body === 'object' ? answer.body : {}) as { id?: unknown; url?: unknown };
    };
    return {
      publisher: {
        async publish(post, signal) {
          const c = post.content;
          const answer = await send(post.key, {
            event: 'post.published', key: post.key, channel: channel.id, language: c.language,
            text: post.formatted.text, title: c.title, summary: c.summary, url: c.url, hashtags: c.hashtags,
          }, signal);
          return { id: typeof answer.id === 'string' ? answer.id : post.key, url: typeof answer.url === 'string' ? answer.url : null };
        },
      },
      remover: {
        async remove(ref, signal) {
          await send(`${ref.id}:removed`, { event: 'post.removed', channel: channel.id, id: ref.id }, signal);
        },
      },
    };
  },
};
