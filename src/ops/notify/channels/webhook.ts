/**
 * The office's own receiver (a chat bridge, an on-call system): a JSON POST signed with
 * HMAC-SHA256 over the exact body bytes, hex in `X-Doingoai-Signature: sha256=<hex>`, with the
 * message key in `Idempotency-Key` so the receiver can drop a repeat after a crash.
 */
import { createHmac } from 'node:crypto';
import { errorForFetch, errorForHttpStatus, type Notifier } from '../notifier.ts';

export interface WebhookSettings { url: string; secret: string; timeoutMs: number }

/** The signature header's value for a body: what a receiver recomputes with the shared secret. */
export const webhookSignature = (secret: string, body: string): string => `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;

export function webhookNotifier(settings: WebhookSettings): Notifier {
  return {
    async send(message, signal) {
      const body = JSON.stringify({
        key: message.key, event: message.event.name, values: message.event.values,
        subject: message.subject, text: message.text, link: message.link,
      });
      let res: Response;
      try {
        res = await fetch(settings.url, {
          method: 'POST', body, signal: AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]),
          headers: { 'content-type': 'application/json', 'x-doingoai-signature': webhookSignature(settings.secret, body), 'idempotency-key': message.key },
        });
        await res.arrayBuffer();
      } catch (err) {
        throw errorForFetch(err, `the notification webhook ${new URL(settings.url).host} could not be reached`);
      }
      if (!res.ok) throw errorForHttpStatus(res.status, `the notification webhook answered ${res.status}`, retryAfter(res));
    },
  };
}

const retryAfter = (res: Response) => {
  const s = Number(res.headers.get('retry-after'));
  return Number.isFinite(s) && s > 0 ? s * 1000 : undefined;
};
